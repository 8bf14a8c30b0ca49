"""Exporters share one shape: options in, `Export(filename, mimetype, content)` out, so that the
download view, the command line and a background job use the same code (the pretix habit)."""

from __future__ import annotations

from dataclasses import dataclass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


@dataclass(frozen=True)
class Export:
    filename: str
    mimetype: str
    content: bytes
    draft: bool = False  # watermarked "DRAF"
    note: str = ""  # why it is a draft when a final version was asked for


class ExportError(Exception):
    """The document cannot be produced; the message says why, in Indonesian."""


def html_to_pdf(html: str) -> bytes:
    try:
        import weasyprint
    except OSError as exc:  # the Pango libraries are missing
        raise ExportError(
            "PDF tidak dapat dibuat: pustaka Pango belum terpasang (apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from exc
    return weasyprint.HTML(string=html).write_pdf()
