"""`kinerja synth`: a synthetic national dataset whose rows pass the real rules."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from kinerja import calc
from kinerja.budget.models import DipaLine, SpendingMonth
from kinerja.core.locks import LockRefused
from kinerja.measurement.models import (
    EntryWindow,
    QuarterReport,
    Realization,
    Transition,
    VariableValue,
)
from kinerja.measurement.selectors import year_results
from kinerja.measurement.services import missing_results, value_problems
from kinerja.organizations.models import Membership, Unit, UnitKind
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, RAQuarter
from kinerja.planning.services import pk_sign_problems
from kinerja.synth import SynthExists, synth

TODAY = dt.date(2026, 6, 1)


def make(seed: int = 5, prefix: str = "uji", regions: int = 2, per_region: int = 3):
    return synth(
        regions=regions,
        facilities_per_region=per_region,
        years=[2024, 2025],
        seed=seed,
        prefix=prefix,
        today=TODAY,
    )


@pytest.fixture
def small(catalogue):
    return make()


def test_it_creates_regions_with_every_facility_type_and_their_people(small):
    regions = Unit.objects.filter(kind=UnitKind.KANWIL, slug__startswith="kanwil-uji-")
    assert regions.count() == 2
    facilities = Unit.objects.filter(kind=UnitKind.UPT, parent__in=regions)
    assert facilities.count() == 6
    for region in regions:
        types = set(region.children.values_list("facility_type", flat=True))
        assert {"lapas", "rutan", "bapas"} <= types  # Rutan present from three facilities up
        assert region.time_zone and region.parent.kind == UnitKind.DIRECTORATE
        assert Membership.objects.filter(
            unit=region, role="evaluator", user__username=f"evaluator.{region.slug}"
        ).exists()
    for facility in facilities:
        assert facility.path == f"{facility.parent.path}{facility.slug}/"
        assert facility.facility_class and facility.city
        assert (facility.capacity is None) == (facility.facility_type == "bapas")
        roles = set(facility.memberships.values_list("user__username", "role"))
        assert roles == {(f"op.{facility.slug}", "operator"), (f"kepala.{facility.slug}", "head")}
    # One password hash for every user, and it is the demo password.
    users = Membership.objects.filter(unit__path__startswith="/ditjenpas/kanwil-uji-")
    assert len({m.user.password for m in users.select_related("user")}) == 1
    assert users.first().user.check_password("kinerja-demo-2024")
    assert small.facilities == 6 and small.rows["planning.PerjanjianKinerja"] == 12


def test_every_pk_is_signed_complete_and_its_plan_adds_up(small):
    agreements = PerjanjianKinerja.objects.filter(unit__slug__contains="-uji-")
    assert agreements.count() == 12 and {a.status for a in agreements} == {"signed"}
    for agreement in agreements:
        assert pk_sign_problems(agreement) == []  # parties with NIPs, place, date, every target
        assert agreement.indicators.filter(indicator__level="ikk").count() == 28
    plans = defaultdict(dict)
    for q in RAQuarter.objects.filter(pk_indicator__agreement__in=agreements):
        plans[q.pk_indicator_id][q.quarter] = q.target_increment
    rows = PKIndicator.objects.filter(agreement__in=agreements, indicator__level="ikk")
    assert len(plans) == rows.count() == 12 * 28
    for row in rows:
        assert calc.increments_problem(row.target, plans[row.id]) == ""


def test_results_pass_the_services_rules_with_na_missing_and_partial_quarters(small):
    agreements = list(PerjanjianKinerja.objects.filter(unit__slug__contains="-uji-"))
    realizations = (
        Realization.objects.filter(pk_indicator__agreement__in=agreements)
        .select_related("pk_indicator__indicator")
        .prefetch_related("values", "pk_indicator__indicator__variables")
    )
    for realization in realizations:
        values = {v.symbol: v.value for v in realization.values.all()}
        assert value_problems(realization.pk_indicator, values) == {}
        assert all(v >= 0 for v in values.values())
    reports = {
        (r.agreement_id, r.quarter): r
        for r in QuarterReport.objects.filter(agreement__in=agreements)
    }
    not_reported = drafts = 0
    for agreement in agreements:
        for quarter in (1, 2, 3, 4):
            report = reports.get((agreement.id, quarter))
            if report is None:
                not_reported += 1
                assert not Realization.objects.filter(
                    pk_indicator__agreement=agreement, quarter=quarter
                ).exists()
            elif report.status == "draft":
                drafts += 1
            else:  # the workflow only lets complete quarters through
                assert missing_results(agreement, quarter) == []
    assert not_reported and drafts
    outcomes = Counter()
    for agreement in agreements:
        for result in year_results(agreement):
            assert result.quarter is not None
            outcomes["na" if result.realisation.is_na else "value"] += 1
            if result.realisation.is_na:
                assert (
                    "B = 0" in result.realisation.na_reason or "= 0" in result.realisation.na_reason
                )
    assert outcomes["na"] and outcomes["value"] > outcomes["na"]


def test_the_workflow_log_has_late_returned_verified_and_locked_quarters(small):
    reports = QuarterReport.objects.filter(agreement__unit__slug__contains="-uji-")
    statuses = Counter(reports.values_list("status", flat=True))
    assert statuses["locked"] and statuses["verified"] and statuses["returned"]
    for report in reports.exclude(status="draft").prefetch_related("transitions"):
        log = list(report.transitions.all())
        assert log[0].from_status == "draft" and log[-1].to_status == report.status
        assert all(a.to_status == b.from_status for a, b in zip(log, log[1:], strict=False))
        assert all(a.at <= b.at for a, b in zip(log, log[1:], strict=False))
    windows = {
        (w.region_id, w.year, w.quarter): w.closes
        for w in EntryWindow.objects.filter(region__slug__startswith="kanwil-uji-")
    }
    late = [
        t
        for t in Transition.objects.filter(
            report__in=reports, from_status="draft", to_status="submitted"
        ).select_related("report__agreement__unit")
        if t.at.date()
        > windows[(t.report.agreement.unit.parent_id, t.report.agreement.year, t.report.quarter)]
    ]
    assert late
    returned = reports.filter(status="returned")
    assert all(r.return_reason for r in returned)


def test_budget_stays_within_pagu_and_closed_quarters_refuse_writes(small):
    leaves = DipaLine.objects.filter(
        unit__slug__contains="-uji-", pagu__isnull=False
    ).prefetch_related("months", "funds")
    assert leaves.exists()
    for leaf in leaves:
        assert leaf.spending_type in {"51", "52", "53"}
        months = list(leaf.months.all())
        assert len(months) == 12
        assert sum(m.planned for m in months) == leaf.pagu
        assert sum(m.realised for m in months) <= leaf.pagu - leaf.blocked
    funded = set(
        DipaLine.funds.through.objects.filter(dipaline__unit__slug__contains="-uji-").values_list(
            "indicator__code", flat=True
        )
    )
    assert len(funded) == 28
    # The lock triggers and the models still hold on synthetic rows.
    locked = QuarterReport.objects.filter(
        agreement__unit__slug__contains="-uji-", status="locked"
    ).first()
    value = VariableValue.objects.filter(
        realization__pk_indicator__agreement=locked.agreement, realization__quarter=locked.quarter
    ).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        VariableValue.objects.filter(pk=value.pk).update(value=Decimal(1))
    month = SpendingMonth.objects.filter(
        line__unit=locked.agreement.unit, line__year=locked.agreement.year, month=3 * locked.quarter
    ).first()
    month.realised += 1
    with pytest.raises(LockRefused), transaction.atomic():
        month.save()


class Rollback(Exception):
    pass


def fingerprint() -> list:
    units = Unit.objects.filter(slug__contains="-uji-").order_by("slug")
    return [
        list(
            units.values_list("slug", "name", "facility_type", "facility_class", "city", "capacity")
        ),
        list(
            PKIndicator.objects.filter(agreement__unit__in=units)
            .order_by("agreement__unit__slug", "agreement__year", "indicator__code")
            .values_list("agreement__unit__slug", "agreement__year", "indicator__code", "target")
        ),
        list(
            VariableValue.objects.filter(realization__pk_indicator__agreement__unit__in=units)
            .order_by(
                "realization__pk_indicator__agreement__unit__slug",
                "realization__pk_indicator__agreement__year",
                "realization__pk_indicator__indicator__code",
                "realization__quarter",
                "symbol",
            )
            .values_list("realization__quarter", "symbol", "value")
        ),
        list(
            Transition.objects.filter(report__agreement__unit__in=units)
            .order_by("report__agreement__unit__slug", "report__agreement__year", "at")
            .values_list("report__quarter", "from_status", "to_status", "at", "by__username")
        ),
        list(
            SpendingMonth.objects.filter(line__unit__in=units)
            .order_by("line__unit__slug", "line__year", "line__order", "month")
            .values_list("line__code", "planned", "realised")
        ),
    ]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(catalogue):
    runs = []
    for seed in (5, 5, 6):
        with pytest.raises(Rollback), transaction.atomic():
            make(seed=seed)
            runs.append(fingerprint())
            raise Rollback
    assert runs[0] == runs[1]
    assert runs[0][0] == runs[2][0] or runs[0] != runs[2]
    assert runs[0][2] != runs[2][2]


def test_it_refuses_to_write_twice_into_the_same_regions(small):
    with pytest.raises(SynthExists):
        make()
    out = io.StringIO()
    with pytest.raises(CommandError, match="sudah ada"):
        call_command(
            "synth", "--regions", "1", "--facilities-per-region", "3", "--years", "2024",
            "--prefix", "uji", stdout=out,
        )  # fmt: skip


@pytest.mark.django_db
def test_the_command_prints_units_rows_and_time(catalogue):
    out = io.StringIO()
    call_command(
        "synth", "--regions", "1", "--facilities-per-region", "4", "--years", "2023-2024",
        "--seed", "3", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "1 Kanwil (kanwil-sintetis-01 s.d. kanwil-sintetis-01), 4 UPT" in text
    assert "measurement.VariableValue" in text and "Waktu:" in text
    assert (
        Unit.objects.get(slug="kanwil-sintetis-01").children.filter(facility_type="lpka").exists()
    )
    assert Unit.objects.get(slug="ditjenpas").kind == UnitKind.DIRECTORATE


@pytest.mark.django_db
def test_on_a_new_database_it_loads_the_catalogue_and_stores_the_dashboards_figures():
    """`kinerja synth` on a database without a catalogue (it failed with a KeyError): the national
    catalogue is loaded first, every PK has its IKK rows, and their figures are stored."""
    from kinerja.dashboards.models import StoredFigure
    from kinerja.indicators.models import Indicator

    assert not Indicator.objects.exists()
    synth(regions=1, facilities_per_region=1, years=[2025], seed=5, today=dt.date(2026, 3, 1))
    agreement = PerjanjianKinerja.objects.get()
    rows = PKIndicator.objects.filter(agreement=agreement, indicator__level="ikk").count()
    assert rows > 20
    assert (
        StoredFigure.objects.filter(pk_indicator_id__in=agreement.indicators.values("id")).count()
        == 4 * rows
    )
