"""Recording year-to-date counts and the honest figures computed from them."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kinerja.measurement.models import Realization
from kinerja.measurement.selectors import year_results
from kinerja.measurement.services import realization_save
from kinerja.planning import services as planning


@pytest.fixture
def signed(world):
    agreement = world.draft_pk()
    targets = {
        "IKK-2.3": Decimal(85),
        "IKK-4.6": Decimal(6),
        "IKK-1.3": Decimal(97),
        "IKK-2.7": Decimal(72),
    }
    rows = {r.indicator.code: r for r in agreement.indicators.select_related("indicator")}
    planning.pk_targets_set(
        agreement=agreement, targets={rows[c].id: v for c, v in targets.items()}
    )
    row = rows["IKK-4.6"]
    row.target_unit = "Unit"
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    return agreement, {
        r.indicator.code: r for r in agreement.indicators.select_related("indicator", "agreement")
    }


def results_by_code(agreement):
    return {r.row.indicator.code: r for r in year_results(agreement)}


def test_the_year_figure_comes_from_the_counts(signed):
    agreement, rows = signed
    realization_save(
        pk_indicator=rows["IKK-2.3"], quarter=4, values={"A": Decimal(73), "B": Decimal(78)}
    )
    realization_save(pk_indicator=rows["IKK-4.6"], quarter=4, values={"A": Decimal(4)})
    realization_save(
        pk_indicator=rows["IKK-1.3"], quarter=4, values={"A": Decimal(0), "B": Decimal(0)}
    )
    results = results_by_code(agreement)
    integration = results["IKK-2.3"]
    assert integration.realisation.value == Decimal("93.58")
    assert integration.achievement.raw.quantize(Decimal("0.01")) == Decimal("110.09")
    assert integration.computation == "73 / 78 × 100 = 93,58%; 93,58 / 85 × 100 = 110,09%"
    vehicles = results["IKK-4.6"]
    assert vehicles.achievement.raw.quantize(Decimal("0.01")) == Decimal("66.67")
    assert vehicles.computation == "4 / 6 × 100 = 66,67%"
    maternal = results["IKK-1.3"]
    assert maternal.realisation.is_na and maternal.achievement.is_na
    assert "tidak ada populasi" in maternal.computation
    assert not results["IKK-1.1"].recorded


def test_the_reporting_rule_is_a_setting(signed, settings):
    agreement, rows = signed
    realization_save(
        pk_indicator=rows["IKK-2.3"], quarter=4, values={"A": Decimal(73), "B": Decimal(78)}
    )
    settings.KINERJA_REALISATION_ROUNDING = "half-up"
    integration = results_by_code(agreement)["IKK-2.3"]
    assert integration.computation == "73 / 78 × 100 = 93,59%; 93,59 / 85 × 100 = 110,11%"


def test_the_latest_quarter_with_complete_values_counts(signed):
    agreement, rows = signed
    realization_save(
        pk_indicator=rows["IKK-2.3"], quarter=1, values={"A": Decimal(10), "B": Decimal(20)}
    )
    realization_save(pk_indicator=rows["IKK-2.3"], quarter=2, values={"A": Decimal(30), "B": None})
    result = results_by_code(agreement)["IKK-2.3"]
    assert result.quarter == 1 and result.realisation.value == Decimal(50)


def test_a_cap_on_the_pk_keeps_raw_and_capped(signed, settings):
    agreement, rows = signed
    realization_save(
        pk_indicator=rows["IKK-2.7"], quarter=4, values={"A": Decimal(52), "B": Decimal(52)}
    )
    settings.KINERJA_ACHIEVEMENT_CAP = "120"
    result = results_by_code(agreement)["IKK-2.7"]
    assert result.achievement.raw.quantize(Decimal("0.01")) == Decimal("138.89")
    assert result.achievement.capped == Decimal(120)
    assert "dibatasi 120%" in result.computation


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"A": Decimal(79), "B": Decimal(78)}, "A (79) tidak boleh lebih besar dari B (78)"),
        ({"A": Decimal(-1), "B": Decimal(78)}, "A tidak boleh negatif"),
        ({"Z": Decimal(1)}, "Variabel Z tidak ada pada indikator IKK-2.3"),
    ],
)
def test_impossible_values_are_refused_with_a_message_and_nothing_is_saved(signed, values, message):
    _, rows = signed
    with pytest.raises(ValidationError) as exc:
        realization_save(pk_indicator=rows["IKK-2.3"], quarter=4, values=values)
    assert any(message in m for m in exc.value.messages)
    assert not Realization.objects.exists()


def test_results_need_a_signed_pk(world):
    agreement = world.draft_pk()
    row = agreement.indicators.get(indicator__code="IKK-2.3")
    with pytest.raises(ValidationError, match="sudah ditandatangani"):
        realization_save(pk_indicator=row, quarter=1, values={"A": Decimal(1), "B": Decimal(2)})


def test_the_results_command_on_the_atambua_demo_is_honest(demo):
    out = io.StringIO()
    call_command("results", "--unit", "lapas-atambua", "--year", "2023", "--json", stdout=out)
    rows = {r["code"]: r for r in json.loads(out.getvalue())}
    assert len(rows) == 28
    assert rows["IKK-2.3"]["realisation"] == "93.58" and rows["IKK-2.3"]["achievement"] == "110.09"
    assert rows["IKK-2.3"]["computation"] == "73 / 78 × 100 = 93,58%; 93,58 / 85 × 100 = 110,09%"
    assert rows["IKK-4.6"]["achievement"] == "66.67"
    for code in ("IKK-1.3", "IKK-3.1", "IKK-3.2"):  # the report printed 97%, 85% and 80% here
        assert rows[code]["na"] is True and rows[code]["realisation"] is None
        assert rows[code]["achievement"] is None and "tidak ada populasi" in rows[code]["na_reason"]
    assert rows["IKK-2.1"]["recorded"] is False


def test_the_results_page_shows_honest_figures_and_na_plainly(login, world, signed):
    agreement, rows = signed
    realization_save(
        pk_indicator=rows["IKK-2.3"], quarter=4, values={"A": Decimal(73), "B": Decimal(78)}
    )
    realization_save(
        pk_indicator=rows["IKK-1.3"], quarter=4, values={"A": Decimal(0), "B": Decimal(0)}
    )
    from django.urls import reverse

    page = login(world.users["operator_luwuk"]).get(
        reverse("results", args=["lapas-luwuk"]) + "?tahun=2024"
    )
    html = page.content.decode()
    assert "110,09%" in html and "93,58%" in html
    assert "73 / 78 × 100 = 93,58%; 93,58 / 85 × 100 = 110,09%" in html
    assert "tidak ada populasi (B = 0)" in html
    assert html.count("belum diisi") >= 21


def test_an_outsider_gets_no_results_page(login, world, signed):
    from django.urls import reverse

    response = login(world.users["operator_atambua"]).get(
        reverse("results", args=["lapas-luwuk"]) + "?tahun=2024"
    )
    assert response.status_code == 404


def test_quarterly_achievement_is_shown_against_the_planned_increments(login, world):
    from django.urls import reverse

    agreement = world.draft_pk()
    food = agreement.indicators.get(indicator__code="IKK-1.1")
    planning.ra_indicator_plan_set(
        pk_indicator=food,
        activity=None,
        quarters=[
            planning.QuarterPlan(quarter=q, target_increment=Decimal(20)) for q in (1, 2, 3, 4)
        ],
    )
    planning.pk_sign(agreement=agreement, by=None)
    food.refresh_from_db()
    realization_save(pk_indicator=food, quarter=1, values={"A": Decimal(20), "B": Decimal(100)})
    realization_save(pk_indicator=food, quarter=2, values={"A": Decimal(35), "B": Decimal(100)})
    result = {r.row.indicator.code: r for r in year_results(agreement)}["IKK-1.1"]
    assert [f.achievement for f in result.quarter_figures][:2] == [Decimal(100), Decimal(75)]
    html = (
        login(world.users["operator_luwuk"])
        .get(reverse("results", args=["lapas-luwuk"]) + "?tahun=2024")
        .content.decode()
    )
    assert '<td class="num">75,00%</td>' in html  # as the LKjIP and Laporan Capaian print it
