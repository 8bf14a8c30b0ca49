"""Renstra pages (issue 17, point 4): create a five-year Renstra, its medium-term targets per
indicator and year on the page or from a workbook, revised with history."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from kinerja.indicators.models import Indicator
from kinerja.planning import services
from kinerja.planning.models import Renstra, RenstraTarget


def test_a_facility_creates_a_renstra_and_sets_its_targets_on_the_page(world, login):
    client = login(world.users["head_luwuk"])
    response = client.post(
        "/unit/lapas-luwuk/renstra/",
        {"start_year": "2025", "vision": "Terwujudnya pemasyarakatan yang bermartabat"},
        follow=True,
    )
    assert "Renstra 2025-2029 dibuat" in response.content.decode()
    renstra = Renstra.objects.get(unit=world.luwuk)
    assert (renstra.start_year, renstra.end_year) == (2025, 2029)
    # An overlapping period is refused with the one it overlaps.
    again = client.post("/unit/lapas-luwuk/renstra/", {"start_year": "2027"})
    assert (
        again.status_code == 422
        and "Bertumpang tindih dengan Renstra 2025-2029" in again.content.decode()
    )

    food = Indicator.objects.get(code="IKK-1.1")
    page = "/unit/lapas-luwuk/renstra/2025/"
    form = {"vision": renstra.vision, "mission": "", "goals": "", "reason": "Penetapan awal"}
    bad = client.post(page, form | {f"t_{food.id}_2025": "delapan"})
    assert bad.status_code == 422 and "bukan angka" in bad.content.decode()
    assert not RenstraTarget.objects.exists()
    client.post(page, form | {f"t_{food.id}_2025": "90", f"t_{food.id}_2026": "92,5"})
    assert dict(RenstraTarget.objects.values_list("year", "value")) == {
        2025: Decimal("90"),
        2026: Decimal("92.5"),
    }
    # A revision: 2026 changed, 2025 removed; the history says who, what and why.
    client.post(page, form | {"reason": "Reviu Renstra", f"t_{food.id}_2026": "95"}, follow=True)
    assert dict(RenstraTarget.objects.values_list("year", "value")) == {2026: Decimal("95")}
    text = client.get(page).content.decode()
    assert "Riwayat target" in text and "Reviu Renstra" in text and "dihapus" in text
    latest = RenstraTarget.history.filter(year=2026).order_by("-history_date").first()
    assert latest.history_user == world.users["head_luwuk"]
    # A reader sees the targets and cannot change them; another facility gets nothing.
    reader = login(world.users["viewer_national"])
    assert "95" in reader.get(page).content.decode()
    assert reader.post(page, form | {f"t_{food.id}_2026": "1"}).status_code == 404
    outsider = login(world.users["operator_atambua"])
    assert outsider.get(page).status_code == 404
    assert outsider.get(page + "templat.xlsx").status_code == 404
    assert RenstraTarget.objects.get().value == Decimal("95")


def test_targets_come_from_a_workbook_checked_cell_by_cell(world, login):
    renstra = services.renstra_create(unit=world.luwuk, start_year=2025)
    client = login(world.users["operator_luwuk"])
    template = client.get("/unit/lapas-luwuk/renstra/2025/templat.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = book["Renstra"]
    assert [c.value for c in sheet[1]] == [
        "Kode",
        "Indikator",
        "Satuan",
        2025,
        2026,
        2027,
        2028,
        2029,
    ]
    rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    sheet.cell(row=rows["IKK-1.1"], column=4, value=90)
    sheet.cell(row=rows["IKK-1.1"], column=5, value="92,5")
    sheet.cell(row=rows["IKK-1.2"], column=4, value="banyak")
    sheet.cell(row=rows["IKK-4.9"], column=4, value=12.5)  # a count of buildings
    buffer = io.BytesIO()
    book.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "renstra.xlsx"
    response = client.post("/unit/lapas-luwuk/renstra/2025/unggah/", {"file": upload})
    text = response.content.decode()
    assert response.status_code == 422
    assert f"Renstra!D{rows['IKK-1.2']}" in text and "bukan angka" in text
    assert f"Renstra!D{rows['IKK-4.9']}" in text
    assert not RenstraTarget.objects.exists()  # all or nothing
    sheet.cell(row=rows["IKK-1.2"], column=4, value=95)
    sheet.cell(row=rows["IKK-4.9"], column=4, value=12)
    buffer = io.BytesIO()
    book.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "renstra.xlsx"
    done = client.post("/unit/lapas-luwuk/renstra/2025/unggah/", {"file": upload}, follow=True)
    assert "renstra.xlsx: 4 target berubah" in done.content.decode()
    values = {
        (t.indicator.code, t.year): t.value for t in renstra.targets.select_related("indicator")
    }
    assert values == {
        ("IKK-1.1", 2025): Decimal("90"),
        ("IKK-1.1", 2026): Decimal("92.5"),
        ("IKK-1.2", 2025): Decimal("95"),
        ("IKK-4.9", 2025): Decimal("12"),
    }
    assert RenstraTarget.history.first().history_change_reason == "unggah renstra.xlsx"
    # The template comes back with what is recorded: uploading it again changes nothing.
    again = io.BytesIO(client.get("/unit/lapas-luwuk/renstra/2025/templat.xlsx").content)
    again.name = "renstra.xlsx"
    done = client.post("/unit/lapas-luwuk/renstra/2025/unggah/", {"file": again}, follow=True)
    assert "renstra.xlsx: 0 target berubah" in done.content.decode()


def test_the_service_refuses_years_outside_the_period_and_a_period_too_long(world):
    renstra = services.renstra_create(unit=world.luwuk, start_year=2025)
    food = Indicator.objects.get(code="IKK-1.1")
    with pytest.raises(ValidationError, match="di luar periode Renstra 2025-2029"):
        services.renstra_revise(renstra=renstra, targets={(food.id, 2030): Decimal(1)})
    with pytest.raises(ValidationError, match="paling lama 10 tahun"):
        services.renstra_create(unit=world.atambua, start_year=2020, end_year=2035)
