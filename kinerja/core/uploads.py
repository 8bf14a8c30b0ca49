"""Upload size limits enforced while the request body arrives, not after it has been read.

Django reads a multipart body into memory (small files) or a temporary file (large ones) before the
view sees it, so a limit checked in the view comes after the whole upload was received. This handler
runs first (settings.FILE_UPLOAD_HANDLERS): when the request's declared length is already over the
limit of its page, it stops as the file's first part arrives (a huge body is not read further, a
moderately large one is read to its end and discarded, chunk by chunk); otherwise it
counts the bytes as they stream and skips the file once they pass the limit. Fields sent before the
file (the CSRF token, the year) are kept, so the view can answer with a message naming the file.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.urls import Resolver404, resolve

from kinerja.core.formatting import format_number

# What a form sends beside the file (boundaries, part headers, CSRF token, a few fields).
FORM_OVERHEAD = 64 * 1024
# A body this much over the limit is still read to its end (in chunks, discarded) so that the
# browser, which is still sending, receives the answer: the usual case is a scan a few MB too
# large. Beyond it the rest is not read and the connection is closed (a browser may then show a
# connection error instead of the message; the bytes never reach memory either way).
DRAIN_AT_MOST = 32 * 1024 * 1024

# Which limit applies to which page (URL name -> setting); any other page gets the largest.
LIMITS = {
    "evidence_upload": ("KINERJA_EVIDENCE_MAX_BYTES", "data dukung"),
    "api_evidence": ("KINERJA_EVIDENCE_MAX_BYTES", "data dukung"),
    "lke_file_upload": ("KINERJA_EVIDENCE_MAX_BYTES", "data dukung LKE"),
    "lke_follow_up": ("KINERJA_EVIDENCE_MAX_BYTES", "data dukung tindak lanjut"),
    "renaksi_upload": ("KINERJA_IMPORT_MAX_BYTES", "berkas Rencana Aksi"),
    "api_results_upload": ("KINERJA_IMPORT_MAX_BYTES", "templat realisasi"),
    "results_upload": ("KINERJA_IMPORT_MAX_BYTES", "templat realisasi"),
    "api_spending_upload": ("KINERJA_IMPORT_MAX_BYTES", "templat realisasi anggaran"),
    "spending_upload": ("KINERJA_IMPORT_MAX_BYTES", "templat realisasi anggaran"),
}


def upload_limit(request) -> tuple[int, str]:
    """The largest file (bytes) the page of this request accepts, and what the file is called."""
    try:
        name = resolve(request.path_info).url_name
    except Resolver404:
        name = None
    if name in LIMITS:
        setting, label = LIMITS[name]
        return getattr(settings, setting), label
    return max(getattr(settings, s) for s, _ in LIMITS.values()), "berkas"


def size_text(size: int) -> str:
    """5242880 -> '5 MB'; 209715200 -> '200 MB'; 1536 -> '2 KB'."""
    if size >= 1048576:
        return f"{format_number(Decimal(size) / 1048576, 1, trim=True)} MB"
    return f"{-(-size // 1024)} KB"


def refusal(filename: str, size: int | None, limit: int, label: str) -> str:
    measured = (
        f"sekitar {size_text(size)}" if size is not None else f"lebih dari {size_text(limit)}"
    )
    return (
        f"Berkas {filename} berukuran {measured}; batasnya {size_text(limit)} untuk {label}. "
        "Berkas tidak diterima; perkecil atau pecah berkasnya lalu unggah ulang."
    )


def upload_problems(request) -> list[str]:
    """Messages for files this request carried that were refused for their size (empty if none)."""
    request.POST  # noqa: B018 - parsing the body runs the handlers that record refusals
    return list(getattr(request, "upload_refused", []))


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit, self.label = upload_limit(request)
        self.request_length = 0
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803 - Django's signature
        self.request_length = content_length or 0
        return None  # let the parser go on

    def _refuse(self, size: int | None) -> None:
        refused = getattr(self.request, "upload_refused", [])
        refused.append(refusal(self.file_name or "(tanpa nama)", size, self.limit, self.label))
        self.request.upload_refused = refused

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.request_length > self.limit + FORM_OVERHEAD:
            # The declared length already says no: nothing more of this file is kept.
            self._refuse(self.request_length)
            drain = self.request_length <= max(4 * self.limit, DRAIN_AT_MOST)
            raise StopUpload(connection_reset=not drain)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(None)
            raise SkipFile()  # the parser discards the rest of this file as it streams past
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file
