"""The dashboards' sections across facilities: completeness and timeliness per quarter, the budget
across facilities, open review findings, their XLSX downloads, and the region's review run as a
background job."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from kinerja.budget import services as budget
from kinerja.budget.selectors import budget_overview
from kinerja.calc import Timeliness
from kinerja.dashboards.models import RegionReviewJob, RunStatus
from kinerja.dashboards.money import budget_across
from kinerja.dashboards.monitoring import completeness, findings
from kinerja.dashboards.tasks import region_review
from kinerja.measurement.models import EntryWindow, QuarterReport, Transition
from kinerja.organizations.models import Role, Unit, UnitKind
from kinerja.organizations.services import membership_grant, unit_create, user_upsert
from kinerja.planning.models import PerjanjianKinerja
from kinerja.review.models import ReviewRun

YEAR = 2024
UTC = dt.UTC
# "Now" for the tests: 20 May 2024, 10:00 WITA.
NOW = dt.datetime(2024, 5, 20, 2, 0, tzinfo=UTC)


def facility(world, n: int, region=None, **extra) -> Unit:
    return unit_create(
        name=f"Rutan Kelas IIB Uji {n:03d}",
        slug=f"rutan-uji-{n:03d}",
        kind=UnitKind.UPT,
        parent=region or world.sulteng,
        facility_type="rutan",
        facility_class="IIB",
        city=f"Kota {n}",
        **extra,
    )


def signed(unit: Unit, year: int = YEAR) -> PerjanjianKinerja:
    # The dashboards read the PK's status only; the PK's content is not what they show.
    return PerjanjianKinerja.objects.create(unit=unit, year=year, status="signed")


def report(
    agreement, quarter: int, status: str, *, submitted: dt.datetime | None = None, reason=""
):
    """A quarter report as the workflow leaves it: its status and its log's first submission."""
    row = QuarterReport.objects.create(
        agreement=agreement, quarter=quarter, status=status, return_reason=reason
    )
    if submitted is not None:
        Transition.objects.create(
            report=row, from_status="draft", to_status="submitted", at=submitted
        )
        # A later submission (after a return) does not move the first one.
        Transition.objects.create(
            report=row,
            from_status="returned",
            to_status="submitted",
            at=submitted + dt.timedelta(days=9),
        )
    return row


def window(region, quarter: int, closes: dt.date, year: int = YEAR):
    return EntryWindow.objects.create(
        region=region,
        year=year,
        quarter=quarter,
        opens=closes - dt.timedelta(days=20),
        closes=closes,
    )


@pytest.fixture
def sulteng(world):
    """Sulteng (WITA) with six facilities in every state, and NTT with one."""
    world.sulteng.time_zone = "Asia/Makassar"
    world.sulteng.save()
    window(world.sulteng, 1, dt.date(2024, 4, 10))
    window(world.sulteng, 2, dt.date(2024, 7, 10))  # not yet closed on NOW
    window(world.ntt, 1, dt.date(2024, 4, 15))
    units = {n: facility(world, n) for n in range(1, 7)}
    pks = {n: signed(units[n]) for n in range(1, 6)}  # 6 has no PK
    # 1: submitted on 9 April 23:30 WITA = 15:30 UTC: on time.
    report(pks[1], 1, "verified", submitted=dt.datetime(2024, 4, 9, 15, 30, tzinfo=UTC))
    # 2: 10 April 17:00 UTC is 11 April 01:00 WITA: one day late where the facility is.
    report(pks[2], 1, "submitted", submitted=dt.datetime(2024, 4, 10, 17, 0, tzinfo=UTC))
    # 3: returned with a reason, first submitted on 13 April (3 days late).
    report(
        pks[3],
        1,
        "returned",
        submitted=dt.datetime(2024, 4, 13, 2, 0, tzinfo=UTC),
        reason='=HYPERLINK("http://contoh.invalid") lampiran kurang',
    )
    # 4: a draft report, never submitted: 40 days past the closing day on 20 May.
    report(pks[4], 1, "draft")
    # 5: no report at all: also overdue. Locked TW II (submitted early).
    report(pks[5], 2, "locked", submitted=dt.datetime(2024, 5, 1, 2, 0, tzinfo=UTC))
    # NTT: Atambua-like facility, approved on time.
    other = facility(world, 7, region=world.ntt)
    report(signed(other), 1, "approved", submitted=dt.datetime(2024, 4, 15, 1, 0, tzinfo=UTC))
    # Last year: one of two reported in TW I.
    report(signed(units[1], 2023), 1, "locked", submitted=dt.datetime(2023, 4, 1, 2, 0, tzinfo=UTC))
    signed(units[2], 2023)
    units[7] = other
    return units


def all_facilities():
    return Unit.objects.facilities()


# --- Completeness and timeliness -----------------------------------------------------------------


def test_each_facility_shows_its_quarter_status_and_how_late_it_is(sulteng):
    data = completeness(all_facilities(), YEAR, now=NOW)
    rows = {r.unit.slug: r for r in data.facilities}
    tw1 = {n: rows[f"rutan-uji-{n:03d}"].quarter(1) for n in range(1, 6)}
    assert (tw1[1].status, tw1[1].timing, tw1[1].late_days) == (
        "verified",
        Timeliness.ON_TIME,
        None,
    )
    assert tw1[1].submitted_on == dt.date(2024, 4, 9)
    # Taken as the facility's local date (WITA), not UTC's 10 April.
    assert tw1[2].submitted_on == dt.date(2024, 4, 11)
    assert (tw1[2].timing, tw1[2].late_days) == (Timeliness.LATE, 1)
    assert (tw1[3].status, tw1[3].label) == ("returned", "Dikembalikan")
    assert "lampiran kurang" in tw1[3].reason
    assert (tw1[3].timing, tw1[3].late_days) == (Timeliness.LATE, 3)
    # Not submitted, window closed 10 April, today 20 May (WITA): 40 days.
    assert (tw1[4].label, tw1[4].timing, tw1[4].late_days) == (
        "Belum diajukan",
        Timeliness.OVERDUE,
        40,
    )
    assert (tw1[5].status, tw1[5].timing, tw1[5].late_days) == ("draft", Timeliness.OVERDUE, 40)
    # TW II's window closes 10 July: not yet due; TW III has no window.
    tw2 = rows["rutan-uji-004"].quarter(2)
    assert (tw2.timing, tw2.timing.label) == (Timeliness.OPEN, "Belum jatuh tempo")
    assert rows["rutan-uji-005"].quarter(2).timing == Timeliness.ON_TIME
    assert rows["rutan-uji-001"].quarter(3).timing == Timeliness.NO_WINDOW
    # The facility without a PK is listed, without quarters.
    assert sorted(u.slug for u in data.without_pk) == [
        "lapas-atambua",
        "lapas-luwuk",
        "rutan-uji-006",
    ]


def test_the_reporting_rate_counts_submitted_or_further_per_region(sulteng, world):
    data = completeness(all_facilities(), YEAR, now=NOW)
    regions = {r.unit.slug: r for r in data.regions}
    tw1 = regions["kanwil-sulteng"].quarters[0]
    assert tw1.facilities == 5  # with a PK
    assert tw1.counts == {
        "draft": 2,
        "returned": 1,
        "submitted": 1,
        "approved": 0,
        "verified": 1,
        "locked": 0,
    }
    # Submitted or further: 2 of 5; a returned one is not reported.
    assert tw1.reported == 2 and tw1.reporting_rate == D(40)
    assert (tw1.on_time, tw1.late, tw1.overdue) == (1, 2, 2)
    assert tw1.on_time_rate == D(20)
    ntt = regions["kanwil-ntt"].quarters[0]
    assert (ntt.facilities, ntt.reported, ntt.reporting_rate, ntt.on_time_rate) == (
        1,
        1,
        D(100),
        D(100),
    )
    # Overall: from the counts (3 of 6), not the mean of the regions' rates (70).
    overall = data.quarters[0]
    assert (overall.facilities, overall.reported, overall.reporting_rate) == (6, 3, D(50))
    # Trend over years: 2023 TW I, 1 of 2 facilities with a PK reported.
    trend = {y.year: y.quarters[0] for y in data.years}
    assert (trend[2023].facilities, trend[2023].reported, trend[2023].reporting_rate) == (
        2,
        1,
        D(50),
    )
    assert [y.year for y in data.years] == [2022, 2023, 2024]


def test_the_pk_in_force_carries_the_status(world, sulteng):
    """A revision being prepared has no results; the signed version's reports count."""
    unit = sulteng[1]
    PerjanjianKinerja.objects.create(unit=unit, year=YEAR, status="draft", revision=1)
    row = next(
        r for r in completeness(all_facilities(), YEAR, now=NOW).facilities if r.unit == unit
    )
    assert row.quarter(1).status == "verified"


def test_completeness_reads_a_fixed_number_of_queries_whatever_the_facilities(world, sulteng):
    def count(fn):
        with CaptureQueriesContext(connection) as queries:
            fn()
        return len(queries.captured_queries)

    calls = [
        lambda: completeness(all_facilities(), YEAR, now=NOW),
        lambda: findings(all_facilities(), YEAR),
        lambda: budget_across(all_facilities(), YEAR),
    ]
    small = [count(fn) for fn in calls]
    for n in range(10, 24):  # about 3 × the facilities, with reports and runs
        unit = facility(world, n)
        pk = signed(unit)
        report(pk, 1, "submitted", submitted=dt.datetime(2024, 4, 2, 2, 0, tzinfo=UTC))
        ReviewRun.objects.create(unit=unit, year=YEAR, errors=1)
    large = [count(fn) for fn in calls]
    assert large == small
    assert small == [7, 3, 6]  # completeness: one query for the PKs of each of 3 years


# --- Review findings -----------------------------------------------------------------------------


def test_open_findings_per_facility_and_belum_direviu(world, sulteng):
    ReviewRun.objects.create(unit=sulteng[1], year=YEAR, errors=2, warnings=1, notes=3, accepted=1)
    ReviewRun.objects.create(unit=sulteng[6], year=YEAR, errors=9)  # no PK: not shown as reviewed
    data = findings(all_facilities(), YEAR)
    rows = {f.unit.slug: f for f in data.facilities}
    assert rows["rutan-uji-001"].run.errors == 2 and rows["rutan-uji-001"].open == 6
    assert not rows["rutan-uji-002"].reviewed and rows["rutan-uji-002"].has_pk
    assert not rows["rutan-uji-006"].has_pk and rows["rutan-uji-006"].run is None
    assert data.not_reviewed == 5  # 2-5 and the NTT facility
    assert (data.errors, data.warnings, data.notes) == (2, 1, 3)
    assert data.facilities[0].unit.slug == "rutan-uji-001"  # most errors first
    html = render_to_string("dashboards/_findings.html", {"findings": data, "year": YEAR})
    assert "belum direviu" in html
    assert reverse("review", args=["rutan-uji-001"]) + f"?tahun={YEAR}" in html


# --- Budget across facilities --------------------------------------------------------------------


def dipa(unit, pagu: D, realised: D, blocked: D = D(0)):
    programme = budget.line_add(unit=unit, year=YEAR, level="program", code="WA", name="Program")
    leaf = budget.line_add(
        unit=unit,
        year=YEAR,
        level="component",
        code="051",
        name="Komponen",
        parent=programme,
        pagu=pagu,
        blocked=blocked,
        blocked_reason="menunggu revisi" if blocked else "",
        spending_type="52",
    )
    budget.spending_save([budget.MonthFigures(line=leaf, month=9, planned=pagu, realised=realised)])


def test_region_totals_are_sums_and_absorption_of_the_sums(world, sulteng):
    dipa(sulteng[1], D(1_000_000), D(900_000), blocked=D(50_000))
    dipa(sulteng[2], D(9_000_000), D(900_000))
    budget.score_set(unit=sulteng[1], year=YEAR, smart=D(90), ikpa=D(80))
    data = budget_across(all_facilities(), YEAR)
    rows = {r.unit.slug: r for r in data.facilities}
    assert rows["rutan-uji-001"].absorption == D(90) and rows["rutan-uji-002"].absorption == D(10)
    assert rows["rutan-uji-001"].performance == D(86)  # 60 % × 90 + 40 % × 80
    region = next(r for r in data.regions if r.unit == world.sulteng)
    assert (region.totals.pagu, region.totals.realised, region.totals.blocked) == (
        D(10_000_000),
        D(1_800_000),
        D(50_000),
    )
    # 1.800.000 / 10.000.000: 18 %, never the mean of 90 % and 10 % (50 %).
    assert region.totals.absorption == D(18)
    assert region.totals.facilities == 2 and region.totals.left_out == 5  # Luwuk, 3-6: no pagu
    assert rows["rutan-uji-003"].source == "belum ada" and rows["rutan-uji-003"].absorption is None
    html = render_to_string("dashboards/_budget.html", {"budget": data, "year": YEAR})
    assert "18,00%" in html and "Rp 10.000.000" in html


def test_a_facility_without_lines_shows_its_reported_figures_marked(world, sulteng):
    from kinerja.budget.models import YearSpending

    YearSpending.objects.create(
        unit=sulteng[3], year=YEAR, spending_type="51", pagu=D(400), realised=D(300), source="LKjIP"
    )
    YearSpending.objects.create(
        unit=sulteng[3], year=YEAR, spending_type="52", pagu=D(600), realised=D(500), source="LKjIP"
    )
    row = next(r for r in budget_across(all_facilities(), YEAR).facilities if r.unit == sulteng[3])
    assert (row.source, row.reported, row.pagu, row.realised, row.absorption) == (
        "LKjIP",
        True,
        D(1000),
        D(800),
        D(80),
    )


@pytest.mark.parametrize(("slug", "year"), [("lapas-atambua", 2023), ("lapas-luwuk", 2024)])
def test_per_facility_figures_equal_the_budget_page(demo, slug, year):
    unit = Unit.objects.get(slug=slug)
    overview = budget_overview(unit, year)
    row = next(
        r for r in budget_across(Unit.objects.facilities(), year).facilities if r.unit == unit
    )
    assert overview.has_lines and row.from_lines
    assert (row.pagu, row.blocked, row.realised) == (
        overview.total.pagu,
        overview.total.blocked,
        overview.total.realised,
    )
    assert row.absorption == overview.total.absorption
    assert row.smart == (overview.score.smart if overview.score else None)
    assert row.ikpa == (overview.score.ikpa if overview.score else None)
    assert row.performance == overview.performance


def test_atambua_2023_budget_row_reads_as_its_report(demo):
    data = budget_across(Unit.objects.facilities(), 2023)
    row = next(r for r in data.facilities if r.unit.slug == "lapas-atambua")
    assert (row.pagu, row.realised) == (D(6946743000), D(6904019875))
    html = render_to_string("dashboards/_budget.html", {"budget": data, "year": 2023})
    assert "Rp 6.946.743.000" in html and "99,38%" in html


# --- Section templates ---------------------------------------------------------------------------


def test_the_completeness_section_names_status_and_lateness_in_words(sulteng):
    data = completeness(all_facilities(), YEAR, now=NOW)
    html = render_to_string("dashboards/_completeness.html", {"completeness": data, "year": YEAR})
    assert "terlambat 1 hari" in html and "lewat 40 hari" in html
    assert "Dikembalikan" in html and "lampiran kurang" in html
    assert "40,00%" in html  # Sulteng's TW I reporting rate
    assert reverse("results", args=["rutan-uji-001"]) + f"?tahun={YEAR}" in html
    assert "=HYPERLINK" in html and '<a href="http://contoh' not in html


# --- XLSX downloads ------------------------------------------------------------------------------

DOWNLOADS = ["region_completeness_xlsx", "region_budget_xlsx", "region_findings_xlsx"]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_downloads_are_for_the_regions_own_people_only(world, sulteng, login, name):
    url = reverse(name, args=["kanwil-sulteng"]) + f"?tahun={YEAR}"
    other = user_upsert(username="evaluator_ntt", password="rahasia-uji-123")
    membership_grant(user=other, unit=world.ntt, role=Role.EVALUATOR)
    for user in (other, world.users["operator_luwuk"], world.outsider):
        assert login(user).get(url).status_code == 404
    for user in (world.users["evaluator_sulteng"], world.users["viewer_national"]):
        response = login(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        load_workbook(io.BytesIO(response.content))
    assert (
        login(world.users["evaluator_sulteng"])
        .get(url[: url.index("?")] + "?tahun=99999")
        .status_code
        == 404
    )


def test_the_completeness_workbook_keeps_user_text_as_text_and_numbers_as_numbers(
    world, sulteng, login
):
    url = reverse("region_completeness_xlsx", args=["kanwil-sulteng"]) + f"?tahun={YEAR}"
    book = load_workbook(io.BytesIO(login(world.users["evaluator_sulteng"]).get(url).content))
    sheet = book["Per UPT"]
    rows = list(sheet.iter_rows(min_row=4, values_only=False))
    names = {r[1].value for r in rows}
    assert "Rutan Kelas IIB Uji 007" not in names  # NTT's facility is not Sulteng's
    returned = next(r for r in rows if r[1].value.endswith("003") and r[2].value == "TW I")
    assert returned[4].value.startswith("=HYPERLINK") and returned[4].data_type == "s"
    assert returned[8].value == 3 and returned[8].data_type == "n"
    assert returned[5].is_date
    summary = book["Ringkasan"]
    overall_tw1 = next(
        r
        for r in summary.iter_rows(min_row=4, values_only=True)
        if r[0].startswith("Seluruh") and r[1] == "TW I"
    )
    assert overall_tw1[2] == 5 and float(overall_tw1[10]) == pytest.approx(0.4)


def test_a_facility_name_starting_with_equals_stays_text_in_the_budget_workbook(world, login):
    unit = facility(world, 50)
    unit.name = "=cmd|' /C calc'!A0"
    unit.save()
    dipa(unit, D(1000), D(250))
    url = reverse("region_budget_xlsx", args=["kanwil-sulteng"]) + f"?tahun={YEAR}"
    book = load_workbook(io.BytesIO(login(world.users["evaluator_sulteng"]).get(url).content))
    row = next(r for r in book["Per UPT"].iter_rows(min_row=4) if r[1].value == unit.name)
    assert row[1].data_type == "s"
    assert row[3].value == 1000 and row[3].number_format == "#,##0"
    assert float(row[7].value) == pytest.approx(0.25) and row[7].number_format == "0.00%"


# --- The region's review run in the background ---------------------------------------------------


def test_the_review_run_is_scheduled_not_run_in_the_request(
    demo, client, django_capture_on_commit_callbacks
):
    client.force_login(get_user_model().objects.get(username="evaluator.ntt"))
    ReviewRun.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):  # the job commits: enqueued (database)
        response = client.post("/wilayah/kanwil-ntt/reviu/", {"tahun": "2023", "tw": "4"})
    assert response.status_code == 302
    assert not ReviewRun.objects.exists()  # nothing ran inside the request
    job = RegionReviewJob.objects.get()
    assert (job.status, job.total) == (RunStatus.QUEUED, 1)
    assert DBTaskResult.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Reviu 2023 dijadwalkan untuk 1 UPT." in page
    assert "Reviu seluruh UPT: Menunggu" in page

    # A second click while it is pending joins it: nothing is enqueued twice.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wilayah/kanwil-ntt/reviu/", {"tahun": "2023", "tw": "4"})
    assert RegionReviewJob.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert "sudah dijadwalkan" in client.get(response["Location"]).content.decode()

    # The worker runs the task: the reviews are stored, the job says so.
    assert region_review.call(job.pk) == "done"
    run = ReviewRun.objects.get(unit__slug="lapas-atambua", year=2023)
    assert run.trigger == "pemantauan Kanwil"
    job.refresh_from_db()
    assert (job.status, job.done) == (RunStatus.DONE, 1)
    page = client.get("/wilayah/kanwil-ntt/?tahun=2023&tw=4").content.decode()
    assert "Reviu seluruh UPT: Selesai" in page and f"{run.errors} galat" in page
    # Once done, a new click schedules a new run.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/wilayah/kanwil-ntt/reviu/", {"tahun": "2023", "tw": "4"})
    assert RegionReviewJob.objects.count() == 2


@pytest.mark.parametrize("username", ["operator.atambua", "evaluator.sulteng", "pimpinan"])
def test_only_the_regions_evaluator_schedules_its_review_run(
    demo, client, username, django_capture_on_commit_callbacks
):
    client.force_login(get_user_model().objects.get(username=username))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wilayah/kanwil-ntt/reviu/", {"tahun": "2023", "tw": "4"})
    assert response.status_code == 404
    assert not RegionReviewJob.objects.exists() and not DBTaskResult.objects.exists()


def test_one_failing_review_is_named_and_the_others_still_run(world, sulteng, monkeypatch):
    from kinerja.dashboards import services

    calls = []

    def fake_run(*, unit, year, trigger):
        calls.append(unit.slug)
        if unit.slug == "rutan-uji-002":
            raise RuntimeError("boom")
        ReviewRun.objects.create(unit=unit, year=year, trigger=trigger)

    monkeypatch.setattr(services, "review_run", fake_run)
    job, created = services.region_review_start(
        region=world.sulteng, year=YEAR, facility_ids=[sulteng[1].id, sulteng[2].id, sulteng[3].id]
    )
    assert created
    job = services.region_review_execute(job.pk)
    assert len(calls) == 3 and ReviewRun.objects.count() == 2
    assert job.status == RunStatus.DONE and job.failed == ["Rutan Kelas IIB Uji 002"]
    assert "Uji 002" in job.error


def test_the_database_holds_one_pending_run_per_region_and_year(world):
    """Two requests racing past the check still make one job: the second insert is refused, and
    `region_review_start` then joins the job that won."""
    from django.db import IntegrityError, transaction

    from kinerja.dashboards import services

    first = RegionReviewJob.objects.create(region=world.sulteng, year=YEAR, facility_ids=[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionReviewJob.objects.create(region=world.sulteng, year=YEAR, facility_ids=[2])
    # Another year, or once the first is done, is a new job.
    RegionReviewJob.objects.create(region=world.sulteng, year=YEAR - 1)
    job, created = services.region_review_start(region=world.sulteng, year=YEAR, facility_ids=[3])
    assert (job.pk, created) == (first.pk, False)
    first.status = RunStatus.DONE
    first.save()
    job, created = services.region_review_start(region=world.sulteng, year=YEAR, facility_ids=[3])
    assert created and job.pk != first.pk and job.facility_ids == [3]
