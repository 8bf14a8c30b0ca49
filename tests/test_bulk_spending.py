"""Monthly budget realisation from a workbook (budget.bulk_upload): template per year, an upload
checked whole (every problem at its cell), only changed months written, at once, through the
spending page's service, the file named in the history; by command and API."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kinerja.api.services import token_create
from kinerja.budget.bulk_upload import FIXED, HEADER_ROW, spending_template, spending_upload
from kinerja.budget.models import DipaLine, SpendingMonth
from kinerja.measurement.models import QuarterReport
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja

pytestmark = pytest.mark.django_db


def atambua():
    return Unit.objects.filter(slug="lapas-atambua")


def template():
    return load_workbook(io.BytesIO(spending_template(atambua(), 2023)))


def saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def month_cell(month: int) -> int:
    return len(FIXED) + month


def upload(content, write=True, name="anggaran.xlsx"):
    return spending_upload(
        facilities=atambua(), year=2023, content=content, filename=name, write=write
    )


def months():
    return sorted(
        SpendingMonth.objects.filter(line__unit__slug="lapas-atambua", line__year=2023).values_list(
            "line_id", "month", "realised"
        )
    )


def first_line(sheet) -> tuple[int, DipaLine]:
    line = DipaLine.objects.get(pk=sheet.cell(HEADER_ROW + 1, 1).value)
    return HEADER_ROW + 1, line


def test_the_template_as_it_comes_changes_nothing(demo):
    before = months()
    result = upload(saved(template()))
    assert result.ok and result.lines > 5 and result.changes == [] and months() == before


def roomy_line(sheet, room: int) -> tuple[int, DipaLine]:
    """A row whose line has `room` rupiah of its available pagu left."""
    from django.db.models import Sum

    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        line = DipaLine.objects.get(pk=sheet.cell(row, 1).value)
        spent = line.months.aggregate(total=Sum("realised"))["total"] or 0
        if line.available - spent > room:
            return row, line
    raise AssertionError("no line with room")


def test_a_changed_month_is_written_with_the_file_in_its_history(demo):
    book = template()
    sheet = book["Realisasi anggaran"]
    row, line = roomy_line(sheet, 4_000_000)
    sheet.cell(row, month_cell(10)).value = 1_000_000
    sheet.cell(row, month_cell(11)).value = "2.500.000"  # typed the Indonesian way
    result = upload(saved(book), name="okt-nov.xlsx")
    assert result.ok and result.written == 2
    stored = {m.month: m for m in SpendingMonth.objects.filter(line=line, month__in=(10, 11))}
    assert stored[10].realised == 1_000_000 and stored[11].realised == 2_500_000
    assert stored[10].history.latest().history_change_reason == "unggah okt-nov.xlsx"


def test_each_problem_is_at_its_cell_and_nothing_is_written(demo):
    agreement = PerjanjianKinerja.objects.get(
        unit__slug="lapas-atambua", year=2023, status="signed"
    )
    QuarterReport.objects.create(agreement=agreement, quarter=1, status="submitted")
    book = template()
    sheet = book["Realisasi anggaran"]
    row, line = first_line(sheet)
    sheet.cell(row, month_cell(10)).value = "satu juta"
    sheet.cell(row, month_cell(11)).value = 1500.5  # sen
    sheet.cell(row, month_cell(2)).value = 123  # February: TW I is submitted
    sheet.cell(row + 1, 1).value = 999999  # not a line of this DIPA
    over_row = row + 2
    sheet.cell(over_row, month_cell(12)).value = 10**13  # far above the pagu
    before = months()
    result = upload(saved(book))
    where = {p.location: p.message for p in result.problems}
    col = get_column_letter
    assert "bukan" in where[f"Realisasi anggaran!{col(month_cell(10))}{row} (Realisasi Oktober)"]
    assert where[f"Realisasi anggaran!{col(month_cell(11))}{row} (Realisasi November)"]
    assert (
        "berstatus Diajukan"
        in where[f"Realisasi anggaran!{col(month_cell(2))}{row} (Realisasi Februari)"]
    )
    assert "tidak dikenal" in where[f"Realisasi anggaran!A{row + 1} (ID baris)"]
    assert "melebihi pagu tersedia" in where[f"Realisasi anggaran!E{over_row} (Pagu)"]
    assert result.written == 0 and months() == before


def test_a_wrong_header_is_said_at_its_cell(demo):
    book = template()
    book["Realisasi anggaran"].cell(HEADER_ROW, month_cell(1)).value = "Januari"
    result = upload(saved(book))
    assert [p.location for p in result.problems] == [
        f"Realisasi anggaran!{get_column_letter(month_cell(1))}{HEADER_ROW} (Januari)"
    ]


def test_the_api_serves_and_takes_it_for_who_may_change(demo):
    def key(username):
        return token_create(user=get_user_model().objects.get(username=username), name="x")[1]

    operator = {"HTTP_AUTHORIZATION": f"Bearer {key('operator.atambua')}"}
    got = Client().get("/api/v1/units/lapas-atambua/uploads/spending/2023/template", **operator)
    assert got.status_code == 200
    book = load_workbook(io.BytesIO(got.content))
    sheet = book["Realisasi anggaran"]
    row, line = first_line(sheet)
    row, line = roomy_line(sheet, 1000)
    sheet.cell(row, month_cell(12)).value = 777
    path = "/api/v1/units/lapas-atambua/uploads/spending/2023"
    dry = Client().post(
        path, {"file": SimpleUploadedFile("a.xlsx", saved(book)), "dry_run": "true"}, **operator
    )
    assert dry.status_code == 200 and dry.json() == {
        "written": 0,
        "changed": 1,
        "rows": dry.json()["rows"],
    }
    done = Client().post(path, {"file": SimpleUploadedFile("a.xlsx", saved(book))}, **operator)
    assert done.status_code == 200 and done.json()["written"] == 1
    assert SpendingMonth.objects.get(line=line, month=12).realised == 777
    reader = {"HTTP_AUTHORIZATION": f"Bearer {key('pimpinan')}"}
    sheet.cell(row, month_cell(12)).value = 888
    refused = Client().post(path, {"file": SimpleUploadedFile("a.xlsx", saved(book))}, **reader)
    assert refused.status_code == 422 and "bukan wewenang" in refused.json()["errors"][0]["message"]
    assert SpendingMonth.objects.get(line=line, month=12).realised == 777
    other = {"HTTP_AUTHORIZATION": f"Bearer {key('operator.luwuk')}"}
    assert (
        Client()
        .get("/api/v1/units/lapas-atambua/uploads/spending/2023/template", **other)
        .status_code
        == 404
    )


def test_the_budget_page_takes_the_template_back_checked_whole(demo, client):
    client.force_login(get_user_model().objects.get(username="operator.atambua"))
    assert (
        "Isi realisasi bulanan dari Excel"
        in client.get("/unit/lapas-atambua/anggaran/?tahun=2023").content.decode()
    )
    got = client.get("/unit/lapas-atambua/anggaran/2023/templat.xlsx")
    book = load_workbook(io.BytesIO(got.content))
    sheet = book["Realisasi anggaran"]
    row, line = roomy_line(sheet, 1000)
    sheet.cell(row, month_cell(12)).value = "dua ratus"
    url = "/unit/lapas-atambua/anggaran/2023/unggah/"
    before = months()
    refused = client.post(url, {"file": SimpleUploadedFile("a.xlsx", saved(book))})
    assert (
        refused.status_code == 422
        and f"{get_column_letter(month_cell(12))}{row}" in refused.content.decode()
    )
    assert months() == before
    sheet.cell(row, month_cell(12)).value = 200
    done = client.post(url, {"file": SimpleUploadedFile("a.xlsx", saved(book))}, follow=True)
    assert "1 bulan dari a.xlsx disimpan" in done.content.decode()
    assert SpendingMonth.objects.get(line=line, month=12).realised == 200
    other = Client()
    other.force_login(get_user_model().objects.get(username="pimpinan"))
    assert other.get("/unit/lapas-atambua/anggaran/2023/templat.xlsx").status_code == 404
    assert other.post(url, {"file": SimpleUploadedFile("a.xlsx", saved(book))}).status_code == 404
