"""Facilities that record results monthly: the month's year-to-date counts, and the quarter's
figure taken from the quarter's last month."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from kinerja.measurement.models import QuarterLocked, QuarterReport, Realization
from kinerja.measurement.selectors import year_results
from kinerja.measurement.services import missing_results, quarter_transition, realization_save
from kinerja.planning import services as planning


@pytest.fixture
def monthly(world):
    world.luwuk.results_by_month = True
    world.luwuk.save()
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    rows = {
        r.indicator.code: r for r in agreement.indicators.select_related("indicator", "agreement")
    }
    return agreement, rows


def save(row, month, a, b, quarter=None):
    return realization_save(
        pk_indicator=row,
        quarter=quarter or (month - 1) // 3 + 1,
        month=month,
        values={"A": Decimal(a), "B": Decimal(b)},
    )


def integration(agreement):
    return next(r for r in year_results(agreement) if r.row.indicator.code == "IKK-2.3")


def test_the_quarter_figure_is_the_figure_of_its_last_month(monthly):
    agreement, rows = monthly
    save(rows["IKK-2.3"], 1, 20, 25)
    save(rows["IKK-2.3"], 2, 45, 50)
    result = integration(agreement)
    # Only January and February: the latest month is shown, TW I has no quarter figure yet.
    assert result.realisation.value == Decimal("90.00")
    assert [name for name, _ in result.month_figures] == ["Januari", "Februari"]
    assert result.quarter_figures[0].cumulative is None
    assert "IKK-2.3" in missing_results(agreement, 1)

    save(rows["IKK-2.3"], 3, 73, 78)
    result = integration(agreement)
    assert result.quarter_figures[0].cumulative == Decimal("93.58")
    assert result.computation == "73 / 78 × 100 = 93,58%; 93,58 / 85 × 100 = 110,09%"
    assert "IKK-2.3" not in missing_results(agreement, 1)
    assert Realization.objects.filter(pk_indicator=rows["IKK-2.3"]).count() == 3


def test_a_month_must_lie_in_its_quarter_and_match_the_facility_setting(monthly, world):
    agreement, rows = monthly
    with pytest.raises(ValidationError, match="Bulan 4 tidak termasuk TW I"):
        save(rows["IKK-2.3"], 4, 1, 2, quarter=1)
    with pytest.raises(ValidationError, match="mengisi realisasi bulanan: pilih bulannya"):
        realization_save(
            pk_indicator=rows["IKK-2.3"], quarter=1, values={"A": Decimal(1), "B": Decimal(2)}
        )
    world.luwuk.results_by_month = False
    world.luwuk.save()
    rows["IKK-2.3"].agreement.unit.refresh_from_db()
    with pytest.raises(ValidationError, match="per triwulan, bukan bulanan"):
        save(rows["IKK-2.3"], 1, 1, 2)
    assert not Realization.objects.exists()


def test_the_database_refuses_a_month_outside_its_quarter_and_a_month_twice(monthly):
    _, rows = monthly
    save(rows["IKK-2.3"], 5, 1, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Realization.objects.create(pk_indicator=rows["IKK-2.3"], quarter=1, month=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Realization.objects.create(pk_indicator=rows["IKK-2.3"], quarter=2, month=5)


def test_a_submitted_quarter_refuses_changes_to_its_months(monthly, world):
    agreement, rows = monthly
    for row in rows.values():
        if row.indicator.level == "ikk":
            values = {v.symbol: Decimal(1) for v in row.indicator.variables.all()}
            realization_save(pk_indicator=row, quarter=1, month=3, values=values)
    quarter_transition(
        agreement=agreement, quarter=1, action="submit", by=world.users["operator_luwuk"]
    )
    assert QuarterReport.objects.get(agreement=agreement, quarter=1).status == "submitted"
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        save(rows["IKK-2.3"], 2, 1, 2)
    march = Realization.objects.filter(month=3).first()
    march.narrative = "diubah lewat shell"
    with pytest.raises(QuarterLocked):
        march.save()
    # April belongs to TW II, which is still open.
    save(rows["IKK-2.3"], 4, 1, 2)


def test_the_entry_page_offers_the_months_of_the_quarter_and_saves_the_chosen_one(
    login, world, monthly
):
    _, rows = monthly
    client = login(world.users["operator_luwuk"])
    page = client.get(reverse("entry", args=["lapas-luwuk", 2024, 2]) + "?bulan=5").content.decode()
    assert "Realisasi Mei (TW II) 2024" in page
    assert "?bulan=4" in page and "?bulan=6" in page and "?bulan=7" not in page
    assert 'name="bulan" value="5"' in page
    row = rows["IKK-2.3"]
    response = client.post(
        reverse("entry_row", args=["lapas-luwuk", 2024, 2, row.id]),
        {"bulan": "5", "v_A": "30", "v_B": "40"},
        HTTP_HX_REQUEST="true",
    )
    assert "Tersimpan." in response.content.decode()
    assert Realization.objects.get(pk_indicator=row).month == 5
    assert (
        client.get(reverse("entry", args=["lapas-luwuk", 2024, 2]) + "?bulan=8").status_code == 404
    )


def test_a_quarterly_facility_has_no_month_pages(login, world):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    client = login(world.users["operator_luwuk"])
    page = client.get(reverse("entry", args=["lapas-luwuk", 2024, 1]))
    assert page.status_code == 200 and "?bulan=" not in page.content.decode()
    assert (
        client.get(reverse("entry", args=["lapas-luwuk", 2024, 1]) + "?bulan=2").status_code == 404
    )
