"""Exporters share one shape: options in, `Export(filename, mimetype, content)` out, so that the
download view, the command line and a background job use the same code (the pretix habit)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

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


def _weasyprint():
    try:
        import weasyprint
    except OSError as exc:  # the Pango libraries are missing
        raise ExportError(
            "PDF tidak dapat dibuat: pustaka Pango belum terpasang (apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from exc
    return weasyprint


def html_to_pdf(html: str, images: dict[str, bytes] | None = None) -> bytes:
    """The PDF of `html`. `images` serves `kinerja:` URLs (the bytes of images, so that they are not
    parsed as base64 text with the HTML); only those and data: URLs are fetched, nothing from the
    file system or the network."""
    weasyprint = _weasyprint()
    fetcher = _fetcher(images or {})
    document = _from_xml(weasyprint, html, fetcher) or weasyprint.HTML(
        string=html, url_fetcher=fetcher
    )
    return document.write_pdf()


def _fetcher(images: dict[str, bytes]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in images:
                return URLFetcherResponse(url, images[url], {"Content-Type": "image/png"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"tidak diambil: {url[:60]}")

    return Fetcher()


XML_START = "<!DOCTYPE html><html"


def _from_xml(weasyprint, html: str, fetcher):
    """WeasyPrint's HTML parser (tinyhtml5, pure Python) takes about 0,4 s of an LKjIP's PDF; markup
    that is well-formed XML (`html_render` writes it so) is read by expat in 0,02 s and handed to
    WeasyPrint as the tree its parser would have built (what `weasyprint.HTML.__init__` does after
    parsing). Anything else (None) goes through the HTML parser."""
    if not html.startswith(XML_START):
        return None
    try:
        root = ElementTree.fromstring(html)
    except ElementTree.ParseError:
        return None
    import cssselect2

    document = weasyprint.HTML.__new__(weasyprint.HTML)
    document.base_url = None
    document.url_fetcher = fetcher
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document
