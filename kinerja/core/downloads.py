"""Every file a user put into Kinerja (or a document built from user text) leaves as a download.

A user's file is never shown inside Kinerja's origin: sent inline, a PDF's script or an HTML file
would run with the user's session. So every such response is an attachment with a plain file name,
`nosniff`, and a sandboxing Content-Security-Policy set on the response itself (a global CSP
middleware leaves a header that is already present alone).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

SANDBOX_CSP = "sandbox; default-src 'none'"


def safe_filename(name: str, default: str = "berkas") -> str:
    """A file name without paths, control characters, quotes or separators a header could misread."""
    name = PurePath(str(name).replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'["*/:<>?\\|;]+', "_", name).strip(" .")
    return name[:150] or default


def protect(response: HttpResponse, filename: str) -> HttpResponse:
    """Make a response an attachment that a browser neither renders nor sniffs."""
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def file_download(handle, *, filename: str, content_type: str | None = None) -> FileResponse:
    response = FileResponse(
        handle, as_attachment=True, filename=safe_filename(filename), content_type=content_type
    )
    return protect(response, filename)


def content_download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    return protect(HttpResponse(content, content_type=content_type), filename)
