"""Is an uploaded evidence file what it claims to be, and free of active content?

A PDF may carry JavaScript, launch actions, embedded files, rich media or XFA forms, which a
browser's or a desktop viewer runs when the file is opened; Kinerja keeps evidence for auditors to
read, so such a PDF is refused. Names may be hidden from a byte search: hex-escaped (`/J#61vaScript`)
or inside compressed object streams, so the authority is pypdf walking every object of the file; a
byte scan first refuses the plain cases cheaply. A PDF pypdf cannot read is refused as well: what
cannot be checked is not accepted.

An image is opened and verified with Pillow, its pixel count bounded before it is decoded
(a few KB of PNG can declare 100,000 x 100,000 pixels).
"""

from __future__ import annotations

import io
import re
import warnings

from django.conf import settings

# Keys whose presence in any dictionary means active content.
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": "aksi otomatis (/AA)",
    "/Launch": "perintah menjalankan program (/Launch)",
    "/EmbeddedFile": "berkas tersemat",
    "/EmbeddedFiles": "berkas tersemat",
    "/RichMedia": "media aktif (/RichMedia)",
    "/XFA": "formulir XFA",
}
# Action types (/S) that run something or fetch something when triggered.
ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "perintah menjalankan program (/Launch)",
    "/ImportData": "aksi mengimpor data (/ImportData)",
    "/RichMediaExecute": "media aktif (/RichMediaExecute)",
    "/GoToE": "berkas tersemat (/GoToE)",
    "/Rendition": "aksi media (/Rendition)",
}
# The byte scan looks only for long names: a short one (/JS, /AA) can occur by chance inside
# compressed binary data, and pypdf finds those anyway.
_BYTE_NAMES = re.compile(
    rb"/(JavaScript|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>\[\]()%{}]|$)"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _unescape_names(data: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def pdf_problem(data: bytes, filename: str) -> str:
    """Why this PDF is refused, or "" when it is a readable PDF without active content."""
    found = _BYTE_NAMES.search(data) or (b"#" in data and _BYTE_NAMES.search(_unescape_names(data)))
    if found:
        return _refusal(filename, ACTIVE_KEYS.get("/" + found.group(1).decode(), "isi aktif"))
    try:
        what = _walk_pdf(data)
    except Exception:  # pypdf raises many kinds for damaged files
        return (
            f"Berkas {filename} tidak dapat dibaca sebagai PDF yang utuh, sehingga isinya tidak "
            "dapat diperiksa; tidak diterima. Simpan ulang sebagai PDF (Cetak > Simpan sebagai PDF)."
        )
    return _refusal(filename, what) if what else ""


def _refusal(filename: str, what: str) -> str:
    return (
        f"Berkas {filename} berisi {what}; PDF dengan isi aktif tidak diterima sebagai data dukung. "
        "Cetak ulang dokumennya ke PDF biasa (Cetak > Simpan sebagai PDF) lalu unggah lagi."
    )


def _walk_pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted")
    if len(reader.pages) == 0:
        raise ValueError("no pages")
    # Every object the file holds, also those in compressed object streams and unreferenced ones,
    # and everything reachable from the trailer.
    roots = [reader.trailer]
    for generation, objects in reader.xref.items():
        roots += [IndirectObject(number, generation, reader) for number in objects]
    roots += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen: set[int] = set()
    stack = list(roots)
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        visited += 1
        if visited > 2_000_000:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            for key in item.keys():
                if key in ACTIVE_KEYS:
                    return ACTIVE_KEYS[key]
            action = item.get("/S")
            if isinstance(action, NameObject) and action in ACTIVE_ACTIONS:
                return ACTIVE_ACTIONS[action]
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return ""


def image_problem(data: bytes, filename: str, kind: str) -> str:
    """Why this image is refused, or "" when Pillow reads it as a sane PNG or JPEG."""
    from PIL import Image

    limit = settings.KINERJA_IMAGE_MAX_PIXELS
    expected = {"image/png": "PNG", "image/jpeg": "JPEG"}[kind]
    unreadable = f"Berkas {filename} bukan gambar {expected} yang utuh; tidak diterima."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if image.format != expected:
                    return unreadable
                if width * height > limit:
                    return (
                        f"Berkas {filename} berukuran {width:,} x {height:,} piksel; batasnya "
                        f"{limit:,} piksel. Perkecil gambarnya lalu unggah lagi."
                    ).replace(",", ".")
                # Checks the file's structure (PNG chunk checksums) without decoding the pixels.
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return (
            f"Berkas {filename} menyatakan gambar yang terlalu besar (lebih dari "
            f"{limit:,} piksel); tidak diterima.".replace(",", ".")
        )
    except Exception:  # Pillow raises many kinds for damaged files
        return unreadable
    return ""
