"""One path for every figure: the results page, the CLI's JSON, the LKjIP's data and the review's
facts give the same realisation, achievement and N/A state for every IKK, over the demo facilities
and over facility-years made up by hypothesis (random counts, targets, caps, missing quarters).

And quarterly figures are honest: a quarter without values is "belum diisi", and a quarter whose
previous quarter has no figure has no quarterly achievement in any output."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.core.formatting import TRIWULAN, round_half_up
from kinerja.documents import capaian_doc, lkjip_data, reports
from kinerja.measurement.services import realization_save
from kinerja.organizations.models import Unit
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja
from kinerja.review.gather import gather as review_gather


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def _n(value: Decimal | None) -> str | None:
    return None if value is None else str(round_half_up(value, 2))


def _figure(recorded: bool, na: bool, realisation, raw, capped) -> tuple:
    """(recorded, N/A, realisation, achievement raw, achievement capped), two decimals half-up."""
    if not recorded:
        return (False, False, None, None, None)
    if na:
        return (True, True, None, None, None)
    return (True, False, _n(realisation), _n(raw), _n(capped))


def _from_result(r) -> tuple:
    na = r.recorded and r.realisation.is_na
    ach = r.achievement if r.achievement is not None and not r.achievement.is_na else None
    return _figure(
        r.recorded,
        na,
        r.realisation.value if r.recorded and not na else None,
        ach.raw if ach else None,
        ach.capped if ach else None,
    )


def results_page(client, unit: Unit, year: int) -> dict[str, tuple]:
    response = client.get(f"/unit/{unit.slug}/capaian/?tahun={year}")
    assert response.status_code == 200
    html = response.content.decode()
    figures = {r.row.indicator.code: _from_result(r) for r in response.context["results"]}
    # The page's own row classes say the same N/A and empty states.
    for code, (recorded, na, *_rest) in figures.items():
        row = re.search(
            rf'<tr class="row-([a-z]+)">\s*<td><strong>{re.escape(code)}</strong>', html
        )
        assert row, code
        assert (row.group(1) == "empty") == (not recorded), code
        assert (row.group(1) == "na") == (recorded and (na or figures[code][3] is None)), code
    return figures


def cli_json(unit: Unit, year: int) -> dict[str, tuple]:
    out = io.StringIO()
    call_command("results", "--unit", unit.slug, "--year", str(year), "--json", stdout=out)
    figures = {}
    for row in json.loads(out.getvalue()):
        figures[row["code"]] = _figure(
            row["recorded"],
            row["na"],
            row["realisation"] and Decimal(row["realisation"]),
            row["achievement"] and Decimal(row["achievement"]),
            row["achievement_capped"] and Decimal(row["achievement_capped"]),
        )
    return figures


def lkjip_tables(unit: Unit, year: int) -> dict[str, tuple]:
    """The figures the LKjIP lays out: the year's column of its tables (data.history)."""
    data = lkjip_data.gather(unit, year)
    figures = {}
    for code, years in data.history.items():
        fig = years[year]
        recorded = fig.source == "hitung"
        r = fig.result
        ach = r.achievement if recorded and r.achievement and not r.achievement.is_na else None
        figures[code] = _figure(
            recorded,
            fig.is_na,
            r.realisation.value if recorded and not fig.is_na else None,
            ach.raw if ach else None,
            fig.achievement,
        )
    return figures


def review_facts(unit: Unit, year: int) -> dict[str, tuple]:
    ctx = review_gather(unit, year)
    figures = {}
    for ind in ctx.indicators:
        # The facts as gathered (from the selector) and the same facts recomputed from the
        # periods alone (as a case written by hand is): both must give the figure.
        for facts in (ind, dataclasses.replace(ind, figure=None)):
            outcome = facts.outcome(ctx.rounding)
            ach = facts.achievement(ctx.rounding)
            ach = ach if ach is not None and not ach.is_na else None
            figure = _figure(
                outcome is not None,
                outcome is not None and outcome.is_na,
                outcome.value if outcome is not None and not outcome.is_na else None,
                ach.raw if ach else None,
                ach.capped if ach else None,
            )
            assert figures.setdefault(ind.code, figure) == figure, ind.code
    return figures


def assert_one_path(client, unit: Unit, year: int) -> dict[str, tuple]:
    page = results_page(client, unit, year)
    assert page, "no IKK on the results page"
    assert cli_json(unit, year) == page
    assert lkjip_tables(unit, year) == page
    assert review_facts(unit, year) == page
    return page


def test_every_demo_ikk_has_one_figure_on_the_page_the_cli_the_lkjip_and_the_review(
    demo, admin_client
):
    recorded = 0
    for slug, year in (("lapas-atambua", 2023), ("lapas-luwuk", 2024)):
        figures = assert_one_path(admin_client, Unit.objects.get(slug=slug), year)
        recorded += sum(f[0] for f in figures.values())
    assert recorded >= 10, "the demo has recorded figures to compare"


# --- a made-up facility-year -------------------------------------------------------------------

# A ratio, the composite of two ratios and a count: the three kinds of formula in the catalogue.
CODES = ("IKK-1.1", "IKK-1.7", "IKK-4.6")

quarters = st.sets(st.sampled_from((1, 2, 3, 4)))
population = st.integers(min_value=0, max_value=60)


@st.composite
def counts(draw, formula_variables):
    values = {}
    for numerator, denominator in formula_variables:
        b = draw(population)
        values[denominator] = Decimal(b)
        values[numerator] = Decimal(draw(st.integers(min_value=0, max_value=b)))
    return values


@st.composite
def indicator_year(draw, code):
    pairs = {"IKK-1.1": [("A", "B")], "IKK-1.7": [("A", "B"), ("C", "D")], "IKK-4.6": []}[code]
    filled = draw(quarters)
    if pairs:
        values = {q: draw(counts(pairs)) for q in filled}
        target = draw(st.sampled_from([Decimal(0), Decimal(50), Decimal(85), Decimal(100)]))
    else:
        values = {q: {"A": Decimal(draw(st.integers(0, 12)))} for q in filled}
        target = Decimal(draw(st.integers(0, 8)))
    increments = {
        q: draw(st.one_of(st.none(), st.integers(0, 40).map(Decimal))) for q in (1, 2, 3, 4)
    }
    return {"values": values, "target": target, "increments": increments}


@st.composite
def facility_year(draw):
    return {
        "cap": draw(st.sampled_from([None, Decimal(100), Decimal(120)])),
        "indicators": {code: draw(indicator_year(code)) for code in CODES},
    }


def _build(world, spec) -> PerjanjianKinerja:
    agreement = world.draft_pk(2024)
    rows = {
        r.indicator.code: r
        for r in agreement.indicators.select_related("indicator").filter(indicator__code__in=CODES)
    }
    planning.pk_targets_set(
        agreement=agreement,
        targets={rows[c].id: spec["indicators"][c]["target"] for c in CODES},
    )
    if spec["cap"] is not None:
        # The cap is set in the admin (no service): written on the draft before signing.
        PerjanjianKinerja.objects.filter(pk=agreement.pk).update(achievement_cap=spec["cap"])
    for code in CODES:
        planning.ra_indicator_plan_set(
            pk_indicator=rows[code],
            activity=None,
            quarters=[
                planning.QuarterPlan(quarter=q, target_increment=v)
                for q, v in spec["indicators"][code]["increments"].items()
            ],
        )
    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    for code in CODES:
        row = agreement.indicators.select_related("indicator", "agreement").get(
            indicator__code=code
        )
        for quarter, values in sorted(spec["indicators"][code]["values"].items()):
            realization_save(pk_indicator=row, quarter=quarter, values=values)
    return agreement


def _quarters_without_previous(spec, code) -> set[int]:
    filled = set(spec["indicators"][code]["values"])
    return {q for q in filled if q > 1 and q - 1 not in filled}


def _capaian_percentages(agreement) -> dict[tuple[str, int], str]:
    """(indicator name, quarter) -> the (%) column of the Laporan Capaian TW IV."""
    out, name = {}, ""
    for row in capaian_doc.indicator_rows(agreement, 4):
        name = row[3] or name
        out[(name, {v: k for k, v in TRIWULAN.items()}[row[5]])] = row[9]
    return out


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=facility_year())
def test_a_made_up_facility_year_has_one_figure_everywhere_and_honest_quarters(
    world, catalogue, admin_client, spec
):
    with transaction.atomic():
        agreement = _build(world, spec)
        figures = assert_one_path(admin_client, world.luwuk, 2024)
        for code in CODES:
            assert figures[code][0] == bool(spec["indicators"][code]["values"]), code
        # No quarterly achievement where the quarter before has no values, in any output.
        data = lkjip_data.gather(world.luwuk, 2024)
        page = admin_client.get(f"/unit/{world.luwuk.slug}/capaian/?tahun=2024").context
        capaian = _capaian_percentages(agreement)
        for code in CODES:
            lkjip = next(r for r in data.results if r.row.indicator.code == code)
            shown = next(r for r in page["results"] if r.row.indicator.code == code)
            for quarter in _quarters_without_previous(spec, code):
                reason = f"{TRIWULAN[quarter - 1]} belum diisi, kenaikan {TRIWULAN[quarter]}"
                for result in (lkjip, shown):
                    fig = result.quarter_figures[quarter - 1]
                    assert fig.achievement is None and fig.increment is None, (code, quarter)
                    # A quarter that is N/A itself (no population) keeps its own reason.
                    if fig.cumulative is not None:
                        assert fig.na_reason.startswith(reason), (code, quarter)
                    else:
                        assert fig.na_reason, (code, quarter)
                assert capaian[(lkjip.row.indicator.name, quarter)] in ("-", "N/A"), (
                    code,
                    quarter,
                )
        transaction.set_rollback(True)


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", " ", xml)


def test_the_atambua_laporan_capaian_tw_iv_shows_no_whole_year_increment(demo, admin_client):
    """Atambua filled TW IV only: its increment over unknown quarters cannot be computed, so the
    Laporan Capaian prints no 400% or 500% (the year against one quarter's target)."""
    unit = Unit.objects.get(slug="lapas-atambua")
    text = _docx_text(reports.generate("capaian", unit, 2023, "docx", quarter=4).content)
    assert not re.search(r"\b[4-6]\d\d,\d\d\b", text), "a quarterly figure of 400-699%"
    assert "TW III belum diisi, kenaikan TW IV tidak dapat dihitung" in text
    agreement = PerjanjianKinerja.objects.in_force(unit, 2023)
    for row in capaian_doc.indicator_rows(agreement, 4):
        if row[5] == TRIWULAN[4] and row[8] == "":
            continue
        if row[9] not in ("", "-", "N/A"):
            assert Decimal(row[9].replace(".", "").replace(",", ".")) < 400, row
    page = admin_client.get(f"/unit/{unit.slug}/capaian/?tahun=2023").content.decode()
    assert "TW III belum diisi, kenaikan TW IV tidak dapat dihitung" in page
    assert not re.search(r"\b[4-6]\d\d(,\d+)?%", page)
