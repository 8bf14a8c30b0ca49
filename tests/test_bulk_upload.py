"""Results from a workbook (measurement.bulk_upload): a template per quarter, an upload checked
whole (every problem at its cell, nothing written while there is one), then written at once
through the entry page's service with the file named in the history; by command and API."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from kinerja.api.services import token_create
from kinerja.measurement.bulk_upload import HEADER_ROW, results_template, results_upload
from kinerja.measurement.models import QuarterReport, Realization, VariableValue
from kinerja.organizations.models import Unit

pytestmark = pytest.mark.django_db


def atambua():
    return Unit.objects.filter(slug="lapas-atambua")


def template():
    return load_workbook(io.BytesIO(results_template(atambua(), 2023, 4)))


def saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}


def line_of(sheet, code) -> int:
    return next(
        r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 3).value == code
    )


def stored():
    return sorted(
        VariableValue.objects.filter(
            realization__pk_indicator__agreement__unit__slug="lapas-atambua", realization__quarter=4
        ).values_list("realization__pk_indicator__indicator__code", "symbol", "value")
    )


def upload(content, write=True, name="realisasi.xlsx"):
    return results_upload(
        facilities=atambua(),
        year=2023,
        quarter=4,
        content=content,
        filename=name,
        by=None,
        write=write,
    )


def test_the_template_holds_each_ikk_with_its_recorded_values_and_their_meaning(demo):
    sheet = template()["Realisasi"]
    col = columns(sheet)
    line = line_of(sheet, "IKK-2.3")
    values = {
        v.symbol: v.value
        for v in VariableValue.objects.filter(
            realization__pk_indicator__agreement__unit__slug="lapas-atambua",
            realization__pk_indicator__indicator__code="IKK-2.3",
            realization__quarter=4,
        )
    }
    assert {s: sheet.cell(line, col[s]).value for s in values} == {
        s: int(v) for s, v in values.items()
    }
    assert "A = " in sheet.cell(line, col["Arti variabel"]).value
    # a template as it comes writes the same values again, nothing else
    before = stored()
    result = upload(saved(template()))
    assert result.ok and result.written == len(result.rows) > 20
    assert stored() == before


def test_every_problem_is_at_its_cell_and_nothing_is_written(demo):
    book = template()
    sheet = book["Realisasi"]
    col = columns(sheet)
    text_line, unknown_line = line_of(sheet, "IKK-2.3"), line_of(sheet, "IKK-1.1")
    sheet.cell(text_line, col["A"]).value = "tujuh"
    sheet.cell(unknown_line, 3).value = "IKK-9.9"
    part_line = line_of(sheet, "IKK-1.2")
    sheet.cell(part_line, col["A"]).value = 500  # a part above its whole
    before = stored()
    result = upload(saved(book))
    where = {p.location: p.message for p in result.problems}
    assert where[f"Realisasi!C{unknown_line} (Kode IKK)"].startswith("IKK 'IKK-9.9' tidak ada")
    assert "tidak boleh lebih besar" in where[f"Realisasi!{_letter(col['A'])}{part_line} (A)"]
    assert "bukan angka" in where[f"Realisasi!{_letter(col['A'])}{text_line} (A)"]
    assert result.written == 0 and stored() == before
    # a wrong header: said at its cell, nothing read further
    book = template()
    book["Realisasi"].cell(HEADER_ROW, 3).value = "Kode"
    wrong = upload(saved(book))
    assert [p.location for p in wrong.problems] == [f"Realisasi!C{HEADER_ROW} (Kode)"]
    assert "harus 'Kode IKK'" in wrong.problems[0].message
    # not a workbook at all
    assert "bukan buku kerja Excel" in upload(b"bukan xlsx").problems[0].message


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def test_a_locked_quarter_is_said_on_each_of_its_rows(demo):
    QuarterReport.objects.filter(agreement__unit__slug="lapas-atambua", quarter=4).update(
        status="locked"
    )
    result = upload(saved(template()))
    assert result.problems and all(p.field == "triwulan" for p in result.problems)
    assert "berstatus Dikunci" in result.problems[0].message and result.written == 0


def test_a_clean_upload_writes_every_row_at_once_naming_the_file_in_the_history(demo):
    book = template()
    sheet = book["Realisasi"]
    col = columns(sheet)
    line = line_of(sheet, "IKK-2.3")
    sheet.cell(line, col["A"]).value = 7
    sheet.cell(line, col["B"]).value = "12"  # text read as a number
    result = upload(saved(book), name="tw4-sdp.xlsx")
    assert result.ok and result.written == len(result.rows)
    values = dict((s, v) for c, s, v in stored() if c == "IKK-2.3")
    assert values == {"A": 7, "B": 12}
    realization = Realization.objects.get(
        pk_indicator__agreement__unit__slug="lapas-atambua",
        pk_indicator__indicator__code="IKK-2.3",
        quarter=4,
    )
    assert realization.history.latest().history_change_reason == "unggah tw4-sdp.xlsx"
    value = realization.values.get(symbol="A")
    assert value.history.latest().history_change_reason == "unggah tw4-sdp.xlsx"


def test_a_dry_run_checks_and_writes_nothing(demo):
    book = template()
    sheet = book["Realisasi"]
    sheet.cell(line_of(sheet, "IKK-2.3"), columns(sheet)["A"]).value = 3
    before = stored()
    result = upload(saved(book), write=False)
    assert result.ok and result.rows and result.written == 0 and stored() == before


def test_the_api_serves_the_template_and_takes_the_upload_for_who_may_change(demo):
    operator = token_create(
        user=get_user_model().objects.get(username="operator.atambua"), name="x"
    )[1]
    reader = token_create(user=get_user_model().objects.get(username="pimpinan"), name="x")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {operator}"}
    got = Client().get("/api/v1/units/lapas-atambua/uploads/results/2023/4/template", **auth)
    assert got.status_code == 200 and "attachment" in got["Content-Disposition"]
    book = load_workbook(io.BytesIO(got.content))
    sheet = book["Realisasi"]
    sheet.cell(line_of(sheet, "IKK-2.3"), columns(sheet)["A"]).value = "tujuh"
    path = "/api/v1/units/lapas-atambua/uploads/results/2023/4"
    refused = Client().post(path, {"file": SimpleUploadedFile("r.xlsx", saved(book))}, **auth)
    assert refused.status_code == 422 and refused.json()["code"] == "upload_problems"
    assert (
        refused.json()["field"].startswith("Realisasi!")
        and "bukan angka" in refused.json()["errors"][0]["message"]
    )
    sheet.cell(line_of(sheet, "IKK-2.3"), columns(sheet)["A"]).value = 5
    ok = Client().post(path, {"file": SimpleUploadedFile("r.xlsx", saved(book))}, **auth)
    assert ok.status_code == 200 and ok.json()["written"] == ok.json()["checked"] > 0
    assert dict((s, v) for c, s, v in stored() if c == "IKK-2.3")["A"] == 5
    # a read-only user may see the facility but change none of it: every row is refused
    before = stored()
    read_only = Client().post(
        path,
        {"file": SimpleUploadedFile("r.xlsx", saved(book))},
        HTTP_AUTHORIZATION=f"Bearer {reader}",
    )
    assert (
        read_only.status_code == 422
        and "bukan wewenang Anda" in read_only.json()["errors"][0]["message"]
    )
    assert stored() == before
    # another facility's operator: 404
    other = token_create(user=get_user_model().objects.get(username="operator.luwuk"), name="x")[1]
    assert (
        Client()
        .get(
            "/api/v1/units/lapas-atambua/uploads/results/2023/4/template",
            HTTP_AUTHORIZATION=f"Bearer {other}",
        )
        .status_code
        == 404
    )


def test_the_entry_page_takes_the_template_back_checked_whole(demo, client):
    client.force_login(get_user_model().objects.get(username="operator.atambua"))
    entry = client.get("/unit/lapas-atambua/realisasi/2023/tw/4/").content.decode()
    assert (
        "Isi dari Excel" in entry
        and "/unit/lapas-atambua/realisasi/2023/tw/4/templat.xlsx" in entry
    )
    got = client.get("/unit/lapas-atambua/realisasi/2023/tw/4/templat.xlsx")
    assert got.status_code == 200
    book = load_workbook(io.BytesIO(got.content))
    sheet = book["Realisasi"]
    line, col = line_of(sheet, "IKK-2.3"), columns(sheet)
    sheet.cell(line, col["A"]).value = "tujuh"
    before = stored()
    url = "/unit/lapas-atambua/realisasi/2023/tw/4/unggah/"
    refused = client.post(url, {"file": SimpleUploadedFile("r.xlsx", saved(book))})
    page = refused.content.decode()
    assert refused.status_code == 422 and "tidak ada yang disimpan" in page
    assert f"{_letter(col['A'])}{line}" in page and "bukan angka" in page
    assert stored() == before
    sheet.cell(line, col["A"]).value = 6
    checked = client.post(url, {"file": SimpleUploadedFile("r.xlsx", saved(book)), "periksa": "1"})
    assert checked.status_code == 200 and "lolos pemeriksaan" in checked.content.decode()
    assert stored() == before
    done = client.post(url, {"file": SimpleUploadedFile("r.xlsx", saved(book))}, follow=True)
    assert "disimpan" in done.content.decode()
    assert dict((s, v) for c, s, v in stored() if c == "IKK-2.3")["A"] == 6
    # who may not change Atambua's results gets nothing
    for username in ("operator.luwuk", "pimpinan"):
        other = Client()
        other.force_login(get_user_model().objects.get(username=username))
        assert other.get("/unit/lapas-atambua/realisasi/2023/tw/4/templat.xlsx").status_code == 404
        assert (
            other.post(url, {"file": SimpleUploadedFile("r.xlsx", saved(book))}).status_code == 404
        )


def test_a_region_with_the_right_to_change_uploads_for_its_facilities(demo):
    """An operator whose role is on the Kanwil (it covers every facility below): the template has
    its facilities' rows, the upload writes them; another Kanwil's facility is refused."""
    from kinerja.organizations.services import membership_grant, user_upsert

    regional = user_upsert(username="operator.kanwil-ntt", password="rahasia-uji-123")
    membership_grant(user=regional, unit=Unit.objects.get(slug="kanwil-ntt"), role="operator")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=regional, name='kanwil')[1]}"}
    got = Client().get("/api/v1/units/kanwil-ntt/uploads/results/2023/4/template", **auth)
    book = load_workbook(io.BytesIO(got.content))
    sheet = book["Realisasi"]
    assert {sheet.cell(r, 1).value for r in range(HEADER_ROW + 1, sheet.max_row + 1)} == {
        "lapas-atambua"
    }
    sheet.cell(line_of(sheet, "IKK-2.3"), columns(sheet)["A"]).value = 4
    path = "/api/v1/units/kanwil-ntt/uploads/results/2023/4"
    ok = Client().post(path, {"file": SimpleUploadedFile("ntt.xlsx", saved(book))}, **auth)
    assert ok.status_code == 200, ok.content
    assert dict((s, v) for c, s, v in stored() if c == "IKK-2.3")["A"] == 4
    sheet.cell(line_of(sheet, "IKK-2.3"), 1).value = "lapas-luwuk"  # not below this Kanwil
    refused = Client().post(path, {"file": SimpleUploadedFile("ntt.xlsx", saved(book))}, **auth)
    assert (
        refused.status_code == 422
        and "bukan wewenang Anda" in refused.json()["errors"][0]["message"]
    )
