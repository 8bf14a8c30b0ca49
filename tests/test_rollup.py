"""The roll-up above the facility: ΣA / ΣB from the facilities' own counts, never a mean of
percentages; N/A facilities add their counts and are counted as N/A; one query count whatever the
number of facilities; the same figures per facility as each facility's results page."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja import calc
from kinerja.dashboards.rollup import rollup
from kinerja.measurement.selectors import year_results
from kinerja.measurement.services import realization_save
from kinerja.organizations.models import Unit, UnitKind
from kinerja.organizations.services import unit_create
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja
from tests.conftest import budget_table_fill

YEAR = 2024
D = Decimal
S = calc.Standing


def contribution(values, target, formula="A / B * 100", cap=None):
    figure = calc.year_figure(formula, [values] if values else [], target, cap=cap)
    recorded = figure.realisation is not None
    return calc.Contribution(
        values if recorded else None,
        target,
        figure.realisation,
        calc.standing(figure.achievement, recorded, D(80)),
    )


# --- calc.aggregate ------------------------------------------------------------------------------


def test_a_ratio_adds_up_the_counts_and_never_averages_the_percentages():
    small = contribution({"A": D(6), "B": D(12)}, D(90))  # 50%
    large = contribution({"A": D(1188), "B": D(1200)}, D(90))  # 99%
    result = calc.aggregate("A / B * 100", [small, large])
    assert result.sums == {"A": D(1194), "B": D(1212)}
    assert result.realisation.value == D("98.51")  # 1194 / 1212, not (50 + 99) / 2 = 74,5
    assert result.target == D(90)
    assert result.achievement.raw == D("98.51") / D(90) * 100
    assert result.computation.startswith("1194 / 1212 × 100 = 98,51%")
    assert result.counts[S.ACHIEVED] == 1 and result.counts[S.MISSED] == 1


def test_a_facility_without_population_adds_its_counts_and_is_never_counted_as_achieved():
    none = contribution({"A": D(0), "B": D(0)}, D(80))
    some = contribution({"A": D(40), "B": D(50)}, D(80))
    result = calc.aggregate("A / B * 100", [none, some, contribution(None, D(80))])
    assert result.counts == {
        S.ACHIEVED: 1,
        S.NEARLY: 0,
        S.MISSED: 0,
        S.NA: 1,
        S.NOT_REPORTED: 1,
    }
    assert result.facilities == 3 and result.reporting == 2
    assert result.realisation.value == D(80)  # 40 / 50: the N/A facility adds 0 / 0
    only_none = calc.aggregate("A / B * 100", [none])
    assert only_none.realisation.is_na and only_none.achievement.is_na
    assert only_none.counts[S.ACHIEVED] == 0


def test_a_composite_combines_the_aggregated_parts():
    formula = "(A / B * 100 + C / D * 100) / 2"
    one = contribution({"A": D(1), "B": D(1), "C": D(0), "D": D(10)}, D(80), formula)
    two = contribution({"A": D(9), "B": D(19), "C": D(30), "D": D(30)}, D(80), formula)
    result = calc.aggregate(formula, [one, two])
    # (10 / 20 × 100 + 30 / 40 × 100) / 2 = (50 + 75) / 2
    assert result.realisation.value == D("62.50")


def test_count_targets_add_up_and_differing_ratio_targets_are_weighted_by_the_population():
    count_a = contribution({"A": D(3)}, D(4), "A")
    count_b = contribution({"A": D(5)}, D(6), "A")
    counts = calc.aggregate("A", [count_a, count_b], target_unit="Unit")
    assert counts.realisation.value == D(8) and counts.target == D(10)
    assert counts.achievement.raw == D(80)

    a = contribution({"A": D(10), "B": D(100)}, D(90))
    b = contribution({"A": D(10), "B": D(300)}, D(70))
    ratio = calc.aggregate("A / B * 100", [a, b])
    assert ratio.target == D(75)  # (90 × 100 + 70 × 300) / 400
    assert "tertimbang" in ratio.target_note


def test_an_index_aggregates_as_a_mean_and_none_gives_only_the_counts():
    a = contribution({"A": D("3.2")}, D(3), "A")
    b = contribution({"A": D("3.6")}, D(4), "A")
    mean = calc.aggregate("A", [a, b], mode=calc.Aggregation.MEAN, target_unit="Indeks")
    assert mean.realisation.value == D("3.40") and mean.target == D("3.5")
    nothing = calc.aggregate("A", [a, b], mode=calc.Aggregation.NONE)
    assert nothing.realisation is None and nothing.achievement is None
    assert nothing.counts[S.ACHIEVED] == 1 and nothing.counts[S.NEARLY] == 1  # 3,6 / 4 = 90%


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 5000), st.sampled_from([None, 80, 90, 100])),
        min_size=1,
        max_size=12,
    )
)
def test_the_aggregate_is_always_the_ratio_of_the_sums(facilities):
    parts = []
    for a, b, target in facilities:
        a = min(a, b)
        parts.append(
            contribution({"A": D(a), "B": D(b)}, D(target) if target is not None else None)
        )
    result = calc.aggregate("A / B * 100", parts)
    total_a = sum(min(a, b) for a, b, _ in facilities)
    total_b = sum(b for _, b, _ in facilities)
    if total_b == 0:
        assert result.realisation.is_na
    else:
        assert result.realisation == calc.reported(calc.Outcome(D(total_a) / D(total_b) * 100))
    assert sum(result.counts.values()) == len(facilities)
    na = sum(1 for _, b, t in facilities if b == 0 or t is None)
    assert result.counts[S.NA] == na  # never achieved


# --- the roll-up over the database -----------------------------------------------------------


class Facilities:
    """Facilities with a signed PK (targets 85) under the world's two regions."""

    def __init__(self, world):
        self.world = world
        self.count = 0
        self.units = []

    def region_head(self, region):
        if region == self.world.sulteng:
            return self.world.kakanwil
        appointment = region.head_appointments.first()
        return appointment.person if appointment else self.world.appoint_head(region)

    def add(self, n: int, region=None, facility_type="lapas"):
        added = []
        for _ in range(n):
            self.count += 1
            unit = unit_create(
                name=f"{facility_type.title()} Uji {self.count:02d}",
                slug=f"{facility_type}-uji-{self.count}",
                kind=UnitKind.UPT,
                parent=region or self.world.sulteng,
                facility_type=facility_type,
                facility_class="IIB",
                city=f"Kota {self.count}",
            )
            agreement = planning.pk_create(
                unit=unit,
                year=YEAR,
                place="Palu",
                signed_on=dt.date(YEAR, 1, 16),
                first_party=self.world.appoint_head(unit),
                first_party_title="Kepala",
                second_party=self.region_head(region or self.world.sulteng),
                second_party_title="Kepala Kantor Wilayah",
            )
            planning.pk_targets_set(
                agreement=agreement,
                targets={row.id: D(85) for row in agreement.indicators.all()},
            )
            budget_table_fill(agreement)
            planning.pk_sign(agreement=agreement, by=None)
            added.append(unit)
        self.units += added
        return added


def rows_of(unit):
    agreement = PerjanjianKinerja.objects.in_force(unit, YEAR)
    return {
        row.indicator.code: row
        for row in agreement.indicators.select_related("indicator").filter(indicator__level="ikk")
    }


def record(unit, code, quarter, **values):
    realization_save(
        pk_indicator=rows_of(unit)[code],
        quarter=quarter,
        values={k: D(v) for k, v in values.items()},
        by=None,
    )


@pytest.fixture
def facilities(world):
    return Facilities(world)


def independent_sums(units, code):
    """ΣA and ΣB from each facility's own results (the results page's path), facility by facility."""
    sums: dict[str, Decimal] = {}
    for unit in units:
        agreement = PerjanjianKinerja.objects.in_force(unit, YEAR)
        for result in year_results(agreement):
            if result.row.indicator.code == code and result.recorded:
                for name, value in result.values.items():
                    sums[name] = sums.get(name, D(0)) + value
    return sums


def test_the_region_and_the_nation_equal_the_sum_of_their_facilities_own_results(world, facilities):
    palu, kupang = facilities.add(3), facilities.add(2, region=world.ntt)
    counts = [(6, 12), (1188, 1200), (0, 0), (40, 50), (7, 7)]
    for unit, (a, b) in zip(palu + kupang, counts, strict=True):
        record(unit, "IKK-2.3", 1, A=a, B=b)
        record(unit, "IKK-4.6", 1, A=a % 9)
    record(palu[0], "IKK-2.3", 2, A=10, B=12)  # the latest complete quarter counts

    for unit, members in [
        (world.ditjen, palu + kupang),
        (world.sulteng, palu),
        (world.ntt, kupang),
    ]:
        result = rollup(unit, YEAR)
        for code in ("IKK-2.3", "IKK-4.6"):
            item = result.indicator(code)
            sums = independent_sums(members, code)
            assert item.aggregate.sums == sums, (unit, code)
            formula = item.indicator.formula
            assert item.aggregate.realisation == calc.reported(calc.evaluate(formula, sums))
        # every facility's figure is the one its results page shows
        for member in members:
            agreement = PerjanjianKinerja.objects.in_force(member, YEAR)
            for own in year_results(agreement):
                cell = result.cell(member.id, own.row.indicator_id)
                assert (cell.realisation, cell.achievement) == (own.realisation, own.achievement)

    national = rollup(world.ditjen, YEAR).indicator("IKK-2.3").aggregate
    assert national.sums == {"A": D(1245), "B": D(1269)}
    assert national.counts[S.NA] == 1  # 0 / 0 is N/A, not achieved
    assert national.counts[S.NOT_REPORTED] == 0
    assert national.facilities == 5
    # per child: the two regions
    whole = rollup(world.ditjen, YEAR)
    children = {c.unit.slug: c for c in whole.children}
    ikk = whole.indicator("IKK-2.3").indicator.id
    assert children["kanwil-ntt"].aggregates[ikk].sums == {"A": D(47), "B": D(57)}
    assert children["kanwil-sulteng"].facilities == 4  # Luwuk without a PK counts as a facility


def test_s_d_a_quarter_reads_only_the_periods_up_to_it(world, facilities):
    (unit,) = facilities.add(1)
    record(unit, "IKK-2.3", 1, A=10, B=20)
    record(unit, "IKK-2.3", 2, A=30, B=40)
    assert rollup(world.sulteng, YEAR, quarter=1).indicator("IKK-2.3").aggregate.sums == {
        "A": D(10),
        "B": D(20),
    }
    assert rollup(world.sulteng, YEAR).indicator("IKK-2.3").aggregate.sums == {
        "A": D(30),
        "B": D(40),
    }


def test_an_incomplete_period_is_not_reported_and_the_one_before_counts(world, facilities):
    (unit,) = facilities.add(1)
    record(unit, "IKK-2.3", 1, A=10, B=20)
    realization_save(pk_indicator=rows_of(unit)["IKK-2.3"], quarter=2, values={"A": D(30)}, by=None)
    item = rollup(world.sulteng, YEAR).indicator("IKK-2.3")
    assert item.aggregate.sums == {"A": D(10), "B": D(20)}
    assert item.facilities[0].quarter == 1
    assert rollup(world.sulteng, YEAR).indicator("IKK-2.1").aggregate.counts[S.NOT_REPORTED] == 1


def test_the_roll_up_takes_the_same_number_of_queries_for_three_times_the_facilities(
    world, facilities
):
    for unit in facilities.add(2):
        record(unit, "IKK-2.3", 1, A=5, B=10)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            result = rollup(world.ditjen, YEAR)
        return len(captured.captured_queries), result

    small, _ = queries()
    for unit in facilities.add(4, region=world.ntt, facility_type="rutan"):
        record(unit, "IKK-2.3", 1, A=5, B=10)
    large, result = queries()
    assert large == small <= 8
    assert result.indicator("IKK-2.3").aggregate.sums == {"A": D(30), "B": D(60)}


def test_a_filtered_set_of_facilities_rolls_up_only_those(world, facilities):
    lapas = facilities.add(2)
    rutan = facilities.add(1, facility_type="rutan")
    for unit in lapas + rutan:
        record(unit, "IKK-2.3", 1, A=1, B=2)
    only = Unit.objects.filter(facility_type="rutan")
    result = rollup(world.ditjen, YEAR, facilities=only)
    assert [u.slug for u in result.facilities] == [rutan[0].slug]
    assert result.indicator("IKK-2.3").aggregate.sums == {"A": D(1), "B": D(2)}


def test_the_rollup_command_prints_the_aggregate_and_its_children(world, facilities, capsys):
    for unit, (a, b) in zip(
        facilities.add(2) + facilities.add(1, region=world.ntt),
        [(1, 2), (3, 4), (5, 6)],
        strict=True,
    ):
        record(unit, "IKK-2.3", 1, A=a, B=b)
    call_command("rollup", unit="ditjenpas", year=YEAR, json=True)
    data = json.loads(capsys.readouterr().out)
    item = next(i for i in data["indicators"] if i["code"] == "IKK-2.3")
    assert item["sums"] == {"A": "9", "B": "12"}
    assert item["realisation"] == "75.00"
    assert item["by_status"]["belum"] == 0 and item["facilities"] == 3
    assert item["computation"].startswith("9 / 12 × 100 = 75,00%")
    children = {c["unit"]: c for c in data["children"]}
    ntt = next(i for i in children["kanwil-ntt"]["indicators"] if i["code"] == "IKK-2.3")
    assert ntt["sums"] == {"A": "5", "B": "6"}
    call_command("rollup", unit="kanwil-sulteng", year=YEAR, quarter=1)
    text = capsys.readouterr().out
    assert "IKK-2.3" in text and "4 / 6 × 100 = 66,66%" in text


def test_the_rollup_command_refuses_a_facility_and_an_unknown_unit(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="UPT"):
        call_command("rollup", unit="lapas-luwuk", year=YEAR)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("rollup", unit="tidak-ada", year=YEAR)


# --- the synthetic national dataset ------------------------------------------------------------


def test_on_the_synthetic_dataset_every_aggregate_is_the_sum_of_the_facilities_own_results(
    catalogue,
):
    """For every IKK, at each region and nationally, for the year and s.d. each quarter: ΣA / ΣB of
    the facilities' own results (the results page's path), and N/A facilities never achieved."""
    import datetime as _dt

    from kinerja.organizations.models import Unit
    from kinerja.synth import synth

    synth(
        regions=2,
        facilities_per_region=4,
        years=[2025],
        seed=11,
        prefix="agr",
        today=_dt.date(2026, 6, 1),
    )
    directorate = Unit.objects.get(slug="ditjenpas")
    regions = list(Unit.objects.filter(kind=UnitKind.KANWIL))
    own = {}  # (facility id, indicator code) -> IndicatorResult, from each facility's own page
    for facility in Unit.objects.facilities():
        agreement = PerjanjianKinerja.objects.in_force(facility, 2025)
        for result in year_results(agreement):
            own[(facility.id, result.row.indicator.code)] = result
    seen_na = 0
    for unit in [directorate, *regions]:
        members = {f.id for f in Unit.objects.facilities().filter(path__startswith=unit.path)}
        result = rollup(unit, 2025)
        for item in result.indicators:
            code = item.indicator.code
            sums: dict[str, Decimal] = {}
            na = 0
            for (facility_id, c), mine in own.items():
                if c != code or facility_id not in members or not mine.recorded:
                    continue
                for name, value in mine.values.items():
                    sums[name] = sums.get(name, D(0)) + value
                na += mine.achievement is None or mine.achievement.is_na
            aggregate = item.aggregate
            if item.indicator.aggregation == calc.Aggregation.SUM:
                assert aggregate.sums == sums, (unit.slug, code)
                if sums:
                    expected = calc.reported(calc.evaluate(item.indicator.formula, sums))
                    assert aggregate.realisation == expected, (unit.slug, code)
            assert aggregate.counts[S.NA] == na, (unit.slug, code)
            achieved = sum(
                1
                for (facility_id, c), mine in own.items()
                if c == code and facility_id in members and calc.target_reached(mine.achievement)
            )
            assert aggregate.counts[S.ACHIEVED] == achieved, (unit.slug, code)
            seen_na += na
    assert seen_na > 0  # the dataset has facilities without population; none counted achieved


# --- Stored figures: read while current, never stale ----------------------------------------------


def snapshot(result):
    """What a page shows of a roll-up: every facility's figure and every aggregate."""
    cells = {
        key: (c.values, c.realisation, c.achievement, c.standing, c.quarter, c.month)
        for key, c in result._cells.items()
    }
    aggregates = {
        i.indicator.code: (
            i.aggregate.sums,
            i.aggregate.realisation,
            i.aggregate.achievement,
            i.aggregate.counts,
        )
        for i in result.indicators
    }
    return cells, aggregates


@pytest.fixture
def computed(monkeypatch):
    """The roll-up's reads of the results: one entry per statement, the row ids it was limited to
    (None: the PKs' rows whole). Empty: every figure came from the stored ones."""
    from kinerja.dashboards import rollup as module

    calls = []
    real = module._latest_values

    def spy(agreement_ids, needed, quarter, row_ids=None):
        calls.append(None if row_ids is None else sorted(row_ids))
        return real(agreement_ids, needed, quarter, row_ids)

    monkeypatch.setattr(module, "_latest_values", spy)
    return calls


@pytest.fixture(params=["by index", "by join"])
def read_path(request, monkeypatch):
    """Both ways PostgreSQL reads the stored figures: row by row by index (a Kanwil) and by one
    hash join (the directorate); SQLite has the join only."""
    from kinerja.dashboards import rollup as module

    if request.param == "by join":
        monkeypatch.setattr(module, "PROBE_LIMIT", 0)
    return request.param


@pytest.fixture
def recorded(world, facilities):
    """Four facilities in two regions: ratios, a facility without population (N/A), an index, a
    later quarter, and an incomplete period."""
    palu, kupang = facilities.add(3), facilities.add(1, region=world.ntt)
    for unit, (a, b) in zip(palu + kupang, [(6, 12), (0, 0), (40, 50), (7, 7)], strict=True):
        record(unit, "IKK-2.3", 1, A=a, B=b)
        record(unit, "IKK-4.6", 1, A=a % 9)
    record(palu[0], "IKK-2.3", 3, A=10, B=12)
    realization_save(
        pk_indicator=rows_of(palu[2])["IKK-2.3"], quarter=2, values={"A": D(45)}, by=None
    )
    return palu + kupang


def test_stored_figures_are_the_computed_ones_and_are_read_instead_of_the_results(
    world, recorded, computed, read_path
):
    from kinerja.dashboards.rollup import store_figures

    units = [world.ditjen, world.sulteng, world.ntt]
    quarters = (None, 1, 2, 3, 4)
    live = {(u.slug, q): snapshot(rollup(u, YEAR, quarter=q)) for u in units for q in quarters}
    assert len(computed) == len(live)  # nothing stored yet: one read of the results per roll-up
    stored = store_figures()
    assert stored == 4 * len(
        PerjanjianKinerja.objects.get(unit=recorded[0]).indicators.filter(indicator__level="ikk")
    ) * len(recorded)
    computed.clear()
    for u in units:
        for q in quarters:
            assert snapshot(rollup(u, YEAR, quarter=q)) == live[(u.slug, q)], (u.slug, q)
    assert computed == []  # every figure read from the stored ones


def test_a_result_written_after_storing_shows_in_the_next_roll_up_whatever_the_path(
    world, recorded, computed
):
    from kinerja.dashboards.rollup import store_figures
    from kinerja.measurement.models import Realization, VariableValue

    store_figures()
    first = recorded[0]
    row = rows_of(first)["IKK-2.3"]

    def figure():
        computed.clear()
        return rollup(world.sulteng, YEAR).cell(first.id, row.indicator_id)

    # through the service, its transaction not yet committed (no storing again): computed
    record(first, "IKK-2.3", 4, A=11, B=12)
    cell = figure()
    assert cell.values == {"A": D(11), "B": D(12)} and cell.quarter == 4
    assert computed == [[row.id]]  # only the changed row came from the results
    # a bulk update below the services (no signal, no model): the trigger still marks it
    VariableValue.objects.filter(realization__pk_indicator=row, realization__quarter=4).filter(
        symbol="A"
    ).update(value=D(12))
    cell = figure()
    assert cell.values["A"] == D(12) and cell.achievement.raw == D(100) / D(85) * 100
    # raw SQL deleting the quarter: the latest complete period is TW III again
    realization = Realization.objects.get(pk_indicator=row, quarter=4)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM measurement_variablevalue WHERE realization_id = %s", [realization.id]
        )
        cursor.execute("DELETE FROM measurement_realization WHERE id = %s", [realization.id])
    cell = figure()
    assert cell.values == {"A": D(10), "B": D(12)} and cell.quarter == 3
    # once the services' transaction commits, the PK's figures are stored again and read (the
    # test's transaction never commits: its on-commit callbacks are run as the commit would)
    record(first, "IKK-2.3", 4, A=12, B=12)
    for _, callback, _ in list(connection.run_on_commit):
        callback()
    cell = figure()
    assert cell.values == {"A": D(12), "B": D(12)} and cell.quarter == 4
    assert computed == []


def test_a_changed_target_formula_or_cap_is_never_read_from_a_stored_figure(
    world, recorded, computed
):
    from kinerja.dashboards.rollup import store_figures
    from kinerja.indicators.models import Indicator
    from kinerja.planning.models import PKIndicator

    store_figures()
    third = recorded[2]  # 40 / 50 = 80,00 against 85
    row = rows_of(third)["IKK-2.3"]

    def achievement():
        computed.clear()
        return rollup(world.sulteng, YEAR).cell(third.id, row.indicator_id).achievement

    assert achievement().raw == D("80.00") / D(85) * 100 and computed == []
    PKIndicator.objects.filter(id=row.id).update(target=D("80.5"))
    assert achievement().raw == D("80.00") / D("80.5") * 100 and computed == [[row.id]]
    # the target as the ORM gives it, to the last decimal, on both databases
    cell = rollup(world.sulteng, YEAR).cell(third.id, row.indicator_id)
    assert str(cell.target) == str(PKIndicator.objects.get(id=row.id).target) == "80.5000"
    PKIndicator.objects.filter(id=row.id).update(target=D(80))
    assert achievement().raw == D(100) and computed == [[row.id]]
    PerjanjianKinerja.objects.filter(id=row.agreement_id).update(achievement_cap=D(90))
    assert achievement().capped == D(90)
    Indicator.objects.filter(id=row.indicator_id).update(formula="A / B * 50")
    assert achievement().raw == D(50)  # 40 / 50 × 50 = 40,00 against 80


def test_a_figure_stored_before_a_later_write_is_not_read(world, recorded, computed, read_path):
    """The race the stamps close: a figure computed from results that another transaction then
    changed is stored with the older version and never read as current."""
    from kinerja.dashboards.models import FigureStamp, StoredFigure
    from kinerja.dashboards.rollup import store_figures

    store_figures()
    first = recorded[0]
    row = rows_of(first)["IKK-2.3"]
    # a stored figure claiming something the results do not say, at the row's current version
    StoredFigure.objects.filter(pk_indicator_id=row.id, through=4).update(
        period_values="A=1;B=12", realisation="8.33", raw="9.8", capped="9.8"
    )
    assert rollup(world.sulteng, YEAR).cell(first.id, row.indicator_id).values["A"] == D(1)
    # ... a write after it was computed raises the stamp: the results are read again
    stamp = FigureStamp.objects.filter(pk_indicator_id=row.id)
    assert stamp.update(version=F("version") + 1) == 1
    computed.clear()
    assert rollup(world.sulteng, YEAR).cell(first.id, row.indicator_id).values == {
        "A": D(10),
        "B": D(12),
    }
    assert computed == [[row.id]]


def test_the_roll_up_keeps_its_query_count_with_figures_stored_or_not(world, facilities):
    from kinerja.dashboards.rollup import store_figures

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rollup(world.ditjen, YEAR)
        return len(captured.captured_queries)

    for unit in facilities.add(2):
        record(unit, "IKK-2.3", 1, A=5, B=10)
    store_figures()
    all_stored = queries()
    for unit in facilities.add(4, region=world.ntt):
        record(unit, "IKK-2.3", 1, A=5, B=10)  # not stored: computed
    assert queries() == all_stored + 1 <= 8
    store_figures()
    assert queries() == all_stored


def test_stored_figures_are_not_in_a_backup_and_the_command_stores_them(world, recorded, capsys):
    from kinerja.core.backup import table_counts
    from kinerja.dashboards.models import StoredFigure

    call_command("rollup", "--store", "--year", str(YEAR))
    assert StoredFigure.objects.count() > 0
    assert "angka IKK disimpan (4 PK)" in capsys.readouterr().out
    counts = table_counts()
    assert "dashboards.storedfigure" not in counts and "dashboards.figurestamp" not in counts
    assert counts["measurement.variablevalue"] > 0
