"""Issue 13, point 11: every record a user (or an admin) can change keeps its history, and the
facility head and the region see it on the facility's change log page."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from contextlib import contextmanager
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalRecords, registered_models

from kinerja import changelog
from kinerja.budget import services as budget
from kinerja.budget.models import BudgetScore, EmonevMonth, TarjaItem
from kinerja.core.formatting import format_date, format_rupiah
from kinerja.documents import services as documents
from kinerja.indicators.models import Level
from kinerja.measurement import services as measurement
from kinerja.organizations.models import (
    HeadAppointment,
    Membership,
    Role,
    StaffRankCount,
    StaffReport,
)
from kinerja.organizations.services import membership_grant, person_upsert, unit_upsert
from kinerja.planning import services as planning
from kinerja.planning.models import RAActivity
from kinerja.reporting.models import AnnualReport, PrintedSignature, TeamMember

YEAR = 2024

# Logs and caches: written by the application as a record of something, never edited by anyone.
# PeerNames is its own history: one row per switch of the directorate's setting, never edited.
NOT_TRACKED = {
    "Transition",
    "ReviewRun",
    "DocumentJob",
    "ImportRecord",
    "OnboardingImport",  # the log of one upload; what it wrote has its own history
    "RegionReviewJob",
    "PeerNames",
    # caches derived from the results, kept by triggers (dashboards 0004): nobody edits them
    "StoredFigure",
    "FigureStamp",
}


@contextmanager
def acting_as(user):
    """What HistoryRequestMiddleware does for a web request: the user of the changes made inside."""
    request = RequestFactory().get("/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def entries(unit, **kwargs):
    return changelog.changes(unit, YEAR, **kwargs)


def find(unit, model: str, label: str, *, action: str = "diubah"):
    """The newest change of `model` with a field `label`; fails listing what there is."""
    found = [
        (e, f)
        for e in entries(unit)
        if e.model == model and e.action == action
        for f in e.fields
        if f.label == label
    ]
    assert found, [(e.model, e.action, [f.label for f in e.fields]) for e in entries(unit)][:20]
    return found[0]


@pytest.fixture
def luwuk(world):
    """Luwuk with a complete draft PK 2024, a Rencana Aksi activity and two DIPA leaf lines."""
    world.agreement = world.draft_pk(YEAR)
    program = budget.line_add(
        unit=world.luwuk, year=YEAR, level="program", code="WA", name="Program Dukungan"
    )
    world.line = budget.line_add(
        unit=world.luwuk,
        year=YEAR,
        level="component",
        code="051",
        name="Operasional kantor",
        parent=program,
        pagu=D("100000000"),
        spending_type="52",
    )
    world.other_line = budget.line_add(
        unit=world.luwuk,
        year=YEAR,
        level="component",
        code="052",
        name="Makan narapidana",
        parent=program,
        pagu=D("900000000"),
        spending_type="52",
    )
    world.ikk = world.agreement.indicators.filter(indicator__level=Level.IKK).first()
    return world


def operator(world):
    return world.users["operator_luwuk"]


# --- Inventory: the whole class -------------------------------------------------------------


def test_every_model_of_kinerja_keeps_history_except_logs_and_caches():
    tracked = {model for model in registered_models.values()}
    missing = [
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("kinerja.")
        and not model.__name__.startswith("Historical")
        and model not in tracked
        and model.__name__ not in NOT_TRACKED
    ]
    assert missing == []
    # And every log really is one: not editable in the admin, or not registered at all.
    for name in NOT_TRACKED:
        model = next(m for m in apps.get_models() if m.__name__ == name)
        assert model not in tracked


def test_no_code_writes_tracked_records_around_their_history():
    """QuerySet.update(), bulk_create() and bulk_update() skip the history rows: for a tracked
    model the code uses save() or simple_history's bulk_*_with_history instead. A line marked
    `# history-exempt` (with its reason above it) is a deliberate exception."""
    from pathlib import Path

    import kinerja

    tracked = {m.__name__ for m in registered_models.values()}
    pattern = re.compile(r"\b([A-Z]\w+)\.objects\b[^\n;]*?\.(update|bulk_create|bulk_update)\(")
    offenders = []
    for path in Path(kinerja.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines, start=1):
            if any("# history-exempt" in later for later in lines[number - 1 : number + 3]):
                continue
            for match in pattern.finditer(line):
                if match.group(1) in tracked:
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


def test_every_model_the_admin_can_change_keeps_history_and_shows_it_read_only():
    from kinerja.core.history_admin import HistoryAdmin

    user_model = get_user_model()
    for model, model_admin in admin.site._registry.items():
        ours = model.__module__.startswith("kinerja.") or model is user_model
        if not ours or model.__name__ in NOT_TRACKED:
            continue
        assert model in registered_models.values(), model.__name__
        assert isinstance(model_admin, HistoryAdmin), model.__name__


# --- A change through the services leaves old, new and who -----------------------------------


def test_monthly_spending_change_through_the_service(luwuk):
    with acting_as(operator(luwuk)):
        budget.spending_save([budget.MonthFigures(line=luwuk.line, month=3, planned=D("1000000"))])
        budget.spending_save([budget.MonthFigures(line=luwuk.line, month=3, planned=D("2500000"))])
    entry, change = find(luwuk.luwuk, "SpendingMonth", "rencana (RPD)")
    assert (change.old, change.new) == (format_rupiah(D("1000000")), format_rupiah(D("2500000")))
    assert entry.user == "operator_luwuk" and entry.kind == "Anggaran"
    assert "051 Operasional kantor" in entry.record and "Maret" in entry.record
    # The row made empty by get_or_create and filled in the same save reads as one creation.
    months = [
        (e.action, [(f.label, f.new) for f in e.fields])
        for e in entries(luwuk.luwuk)
        if e.model == "SpendingMonth"
    ]
    assert months[1:] == [
        ("dibuat", [("bulan", "3"), ("rencana (RPD)", "Rp 1.000.000"), ("realisasi", "Rp 0")])
    ]


def test_spending_exception_keeps_its_reason(luwuk):
    with acting_as(operator(luwuk)):
        budget.spending_save(
            [
                budget.MonthFigures(
                    line=luwuk.line,
                    month=5,
                    realised=D("120000000"),
                    exception_reason="Tambahan bahan makanan banjir",
                )
            ]
        )
    entry, _ = find(luwuk.luwuk, "SpendingMonth", "alasan pengecualian", action="dibuat")
    assert entry.reason == "Pengecualian: Tambahan bahan makanan banjir"


def test_pagu_revision_records_the_head_and_the_reason_without_a_request(luwuk):
    head = luwuk.users["head_luwuk"]
    budget.pagu_revise(
        line=luwuk.line,
        new_pagu=D("150000000"),
        revised_on=dt.date(YEAR, 6, 1),
        reason="Revisi DIPA ke-2",
        by=head,
    )
    entry, change = find(luwuk.luwuk, "DipaLine", "pagu")
    assert (change.old, change.new) == ("Rp 100.000.000", "Rp 150.000.000")
    assert entry.user == "head_luwuk" and entry.reason == "Revisi pagu: Revisi DIPA ke-2"
    # The revision row itself names its author through its own field ...
    entry, _ = find(luwuk.luwuk, "PaguRevision", "pagu baru", action="dibuat")
    assert entry.user == "head_luwuk"
    # ... but its deletion by a command is not the author's doing.
    luwuk.line.revisions.get().delete()
    deleted = [
        e for e in entries(luwuk.luwuk) if e.model == "PaguRevision" and e.action == "dihapus"
    ]
    assert [e.user for e in deleted] == ["sistem"]


def test_the_ikk_a_line_funds(luwuk):
    with acting_as(operator(luwuk)):
        budget.line_funds_set(line=luwuk.line, codes=["IKK-1.1"])
        budget.line_funds_set(line=luwuk.line, codes=["IKK-1.1", "IKK-2.1"])
    changes = [
        (f.old, f.new, e.user)
        for e in entries(luwuk.luwuk)
        if e.model == "DipaLine"
        for f in e.fields
        if f.label == "mendanai IKK"
    ]
    assert changes[:2] == [
        ("IKK-1.1", "IKK-1.1, IKK-2.1", "operator_luwuk"),
        ("—", "IKK-1.1", "operator_luwuk"),
    ]


def test_smart_and_ikpa_scores_and_components(luwuk):
    with acting_as(operator(luwuk)):
        budget.score_set(unit=luwuk.luwuk, year=YEAR, smart=D("90"), ikpa=D("88.5"))
        budget.score_set(
            unit=luwuk.luwuk,
            year=YEAR,
            smart=D("95.25"),
            ikpa=D("88.5"),
            ikpa_components={"Penyerapan": D("99.83")},
        )
    entry, change = find(luwuk.luwuk, "BudgetScore", "nilai SMART DJA")
    assert (change.old, change.new, entry.user) == ("90", "95,25", "operator_luwuk")
    _, change = find(luwuk.luwuk, "BudgetScore", "komponen IKPA")
    assert change.old == "—" and "Penyerapan: 99.83" in change.new


def test_emonev_year_spending_and_tarja(luwuk):
    with acting_as(operator(luwuk)):
        budget.emonev_set(unit=luwuk.luwuk, year=YEAR, months={6: (D("40"), D("45"))})
        budget.emonev_set(unit=luwuk.luwuk, year=YEAR, months={6: (D("42.5"), D("45"))})
        budget.year_spending_set(
            unit=luwuk.luwuk, year=YEAR, figures={"51": (D("10"), D("5"))}, source="LKjIP"
        )
        budget.year_spending_set(
            unit=luwuk.luwuk, year=YEAR, figures={"51": (D("10"), D("7"))}, source="LKjIP"
        )
        budget.tarja_set(unit=luwuk.luwuk, year=YEAR, items=[("Zero halinar", D("90"), "")])
        budget.tarja_set(unit=luwuk.luwuk, year=YEAR, items=[("Zero halinar", D("100"), "")])
    _, change = find(luwuk.luwuk, "EmonevMonth", "serapan anggaran (%)")
    assert (change.old, change.new) == ("40", "42,5")
    _, change = find(luwuk.luwuk, "YearSpending", "realisasi")
    assert (change.old, change.new) == ("Rp 5", "Rp 7")
    # TARJA is replaced as a whole: the old item's deletion and the new one are both kept.
    kept = [e for e in entries(luwuk.luwuk) if e.model == "TarjaItem"]
    assert {e.action for e in kept} == {"dibuat", "dihapus"}
    assert TarjaItem.history.filter(history_type="-").count() == 1


def test_rencana_aksi_quarters_activities_and_rpd(luwuk):
    with acting_as(operator(luwuk)):
        activity = planning.ra_activity_save(
            agreement=luwuk.agreement,
            name="Pembinaan kepribadian",
            pagu=D("40000000"),
            disbursements={1: D("10000000")},
        )
        planning.ra_activity_save(
            agreement=luwuk.agreement,
            name="Pembinaan kepribadian",
            pagu=D("45000000"),
            disbursements={1: D("12000000")},
        )
        for increment in (D("20"), D("25")):
            planning.ra_indicator_plan_set(
                pk_indicator=luwuk.ikk,
                activity=RAActivity.objects.get(pk=activity.pk),
                quarters=[planning.QuarterPlan(quarter=1, target_increment=increment)],
            )
    entry, change = find(luwuk.luwuk, "RAActivity", "pagu (Rp)")
    assert (change.old, change.new, entry.user) == (
        "Rp 40.000.000",
        "Rp 45.000.000",
        "operator_luwuk",
    )
    _, change = find(luwuk.luwuk, "RAActivityQuarter", "RPD (Rp)")
    assert (change.old, change.new) == ("Rp 10.000.000", "Rp 12.000.000")
    entry, change = find(luwuk.luwuk, "RAQuarter", "target triwulan")
    assert (change.old, change.new) == ("20", "25")
    assert entry.record == f"Rencana Aksi {luwuk.ikk.indicator.code} TW I"
    assert entry.kind == "Rencana Aksi"


def test_pk_header_goal_budget_sign_and_revision(luwuk):
    head = luwuk.users["head_luwuk"]
    with acting_as(operator(luwuk)):
        planning.pk_update(agreement=luwuk.agreement, place="Luwuk")
        planning.pk_budget_set(
            agreement=luwuk.agreement,
            lines=[planning.BudgetLine(kind="program", name="Program Pembinaan", amount=D("5000"))],
        )
    entry, change = find(luwuk.luwuk, "PerjanjianKinerja", "tempat")
    assert (change.old, change.new, entry.user) == ("Palu", "Luwuk", "operator_luwuk")
    entry, change = find(luwuk.luwuk, "PKBudgetItem", "anggaran (Rp)", action="dibuat")
    assert change.new == "Rp 5.000"
    planning.pk_sign(agreement=luwuk.agreement, by=head)
    entry, change = find(luwuk.luwuk, "PerjanjianKinerja", "status")
    assert (change.old, change.new) == ("Draf", "Ditandatangani")
    assert entry.user == "head_luwuk" and entry.reason == "Ditandatangani"
    with acting_as(operator(luwuk)):
        revision = planning.pk_revise(agreement=luwuk.agreement, reason="Target IKK berubah")
    planning.pk_sign(agreement=revision, by=head)
    superseded = [
        e
        for e in entries(luwuk.luwuk)
        if e.model == "PerjanjianKinerja" and "Digantikan" in e.reason
    ]
    assert superseded and superseded[0].record == f"PK {YEAR}"
    created = [e for e in entries(luwuk.luwuk) if e.reason == "Revisi: Target IKK berubah"]
    assert (
        created and created[0].user == "operator_luwuk" and created[0].record.endswith("revisi 1")
    )


def test_monitoring_note_and_entry_window_name_the_region(luwuk):
    evaluator = luwuk.users["evaluator_sulteng"]
    planning.pk_sign(agreement=luwuk.agreement, by=luwuk.users["head_luwuk"])
    luwuk.ikk.refresh_from_db()
    measurement.monitoring_note_add(
        pk_indicator=luwuk.ikk, quarter=1, text="Lengkapi data dukung", by=evaluator
    )
    entry, change = find(luwuk.luwuk, "MonitoringNote", "catatan", action="dibuat")
    assert change.new == "Lengkapi data dukung" and entry.user == "evaluator_sulteng"
    with acting_as(evaluator):
        for closes in (dt.date(YEAR, 4, 10), dt.date(YEAR, 4, 20)):
            measurement.entry_window_set(
                region=luwuk.sulteng,
                year=YEAR,
                quarter=1,
                opens=dt.date(YEAR, 4, 1),
                closes=closes,
                by=evaluator,
            )
    entry, change = find(luwuk.luwuk, "EntryWindow", "ditutup")
    assert (change.old, change.new) == ("10 April 2024", "20 April 2024")
    assert entry.user == "evaluator_sulteng"


def test_units_people_and_memberships(luwuk):
    admin_user = luwuk.users["admin_national"]
    with acting_as(admin_user):
        unit_upsert(
            slug="lapas-luwuk",
            name=luwuk.luwuk.name,
            kind="upt",
            parent=luwuk.sulteng,
            facility_type="lapas",
            facility_class="IIB",
            city="Luwuk Banggai",
        )
        person_upsert(
            name="Endi Wahyudi",
            nip="197009121993031001",
            unit=luwuk.luwuk,
            position="Kepala Lapas Kelas IIB Luwuk",
        )
        newcomer = get_user_model().objects.create_user("operator_baru", password="x-rahasia-123")
        membership_grant(user=newcomer, unit=luwuk.luwuk, role=Role.OPERATOR)
    this_year = luwuk.luwuk.local_today().year  # the change log dates changes where the unit is
    found = changelog.changes(luwuk.luwuk, this_year, kind="organisasi")
    unit_change = next(e for e in found if e.model == "Unit" and e.action == "diubah")
    assert [(f.label, f.old, f.new) for f in unit_change.fields] == [
        ("kota", "Luwuk", "Luwuk Banggai")
    ]
    assert unit_change.user == "admin_national"
    person = next(e for e in found if e.model == "Person" and e.action == "diubah")
    assert person.fields[0].new == "Kepala Lapas Kelas IIB Luwuk"
    grant = next(e for e in found if e.model == "Membership")
    assert grant.record == "Keanggotaan operator_baru"
    assert ("peran", "Operator UPT") in [(f.label, f.new) for f in grant.fields]


def test_narratives_and_realisation_values(luwuk):
    planning.pk_sign(agreement=luwuk.agreement, by=luwuk.users["head_luwuk"])
    documents.sections_save(
        unit=luwuk.luwuk, year=YEAR, texts={"latar": "Versi satu"}, reset=set(), by=operator(luwuk)
    )
    documents.sections_save(
        unit=luwuk.luwuk, year=YEAR, texts={"latar": "Versi dua"}, reset=set(), by=operator(luwuk)
    )
    entry, change = find(luwuk.luwuk, "ReportSection", "isi")
    assert (change.old, change.new, entry.user) == ("Versi satu", "Versi dua", "operator_luwuk")
    symbols = list(luwuk.ikk.indicator.variables.values_list("symbol", flat=True))
    for value in (D("3"), D("4")):
        measurement.realization_save(
            pk_indicator=luwuk.ikk,
            quarter=1,
            values={s: value for s in symbols},
            by=operator(luwuk),
        )
    entry, change = find(luwuk.luwuk, "VariableValue", "nilai")
    assert (change.old, change.new) == ("3", "4") and entry.kind == "Realisasi"


# --- A change through the admin --------------------------------------------------------------


class _Form(HTMLParser):
    """The values of the admin change form as the browser would send them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str | list[str]] = {}
        self._select = self._textarea = None
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            else:
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in a
            if not self._multiple:
                self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            if self._multiple:
                self.data.setdefault(self._select, []).append(a.get("value", ""))
            else:
                self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += (
                data.lstrip("\n") if not self.data[self._textarea] else data
            )


def admin_change(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = _Form()
    form.feed(page.content.decode())
    data = {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode()
    )


@pytest.fixture
def staff(client, luwuk):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "rahasia-uji-123")
    client.force_login(root)
    return client


def test_admin_changes_leave_history_with_the_admin_user(staff, luwuk):
    score = BudgetScore.objects.create(unit=luwuk.luwuk, year=YEAR, smart=D("80"))
    appointment = HeadAppointment.objects.create(
        unit=luwuk.luwuk, person=luwuk.head_person, title="Kepala Lapas", start=dt.date(2023, 1, 1)
    )
    staff_report = StaffReport.objects.create(
        unit=luwuk.luwuk, year=YEAR, as_of=dt.date(YEAR, 12, 31), stated_total=40
    )
    signature = PrintedSignature.objects.create(
        unit=luwuk.luwuk, year=YEAR, document="pk", location="PK", name="Endi"
    )
    report = AnnualReport.objects.create(unit=luwuk.luwuk, year=YEAR, place="Luwuk")
    TeamMember.objects.create(
        report=report, person=luwuk.head_person, position="Kepala", role="Anggota"
    )
    StaffRankCount.objects.create(report=staff_report, rank="III/b", count=10)
    membership = Membership.objects.get(user__username="operator_luwuk")
    emonev = EmonevMonth.objects.create(unit=luwuk.luwuk, year=YEAR, month=1, absorption=D("5"))

    admin_change(staff, score, smart="85.50")
    admin_change(staff, appointment, title="Kepala Lapas Kelas IIB Luwuk")
    admin_change(staff, staff_report, stated_total="42", **{"ranks-0-count": "12"})
    admin_change(staff, signature, name="Endi Wahyudi")
    admin_change(staff, report, place="Banggai", **{"team-0-role": "Penanggung jawab"})
    admin_change(staff, membership, role=Role.HEAD)
    admin_change(staff, emonev, absorption="7.25")

    this_year = luwuk.luwuk.local_today().year
    expected = [
        ("BudgetScore", "nilai SMART DJA", "80", "85,5", YEAR),
        ("HeadAppointment", "jabatan", "Kepala Lapas", "Kepala Lapas Kelas IIB Luwuk", this_year),
        ("StaffReport", "jumlah yang dinyatakan", "40", "42", YEAR),
        ("PrintedSignature", "nama tertulis", "Endi", "Endi Wahyudi", YEAR),
        ("AnnualReport", "tempat", "Luwuk", "Banggai", YEAR),
        ("Membership", "peran", "Operator UPT", "Kepala UPT", this_year),
        ("EmonevMonth", "serapan anggaran (%)", "5", "7,25", YEAR),
        ("TeamMember", "jabatan dalam tim", "Anggota", "Penanggung jawab", YEAR),
        ("StaffRankCount", "jumlah", "10", "12", YEAR),
    ]
    for model, label, old, new, year in expected:
        found = [
            (e, f)
            for e in changelog.changes(luwuk.luwuk, year)
            if e.model == model and e.action == "diubah"
            for f in e.fields
            if f.label == label
        ]
        assert found, model
        entry, change = found[0]
        assert (change.old, change.new, entry.user) == (old, new, "root"), model


def test_accounts_keep_history_without_password_hashes(staff, luwuk):
    account = luwuk.users["operator_luwuk"]
    admin_change(staff, account, is_staff="on", first_name="Rina")
    record = account.history.latest("history_date")
    assert record.history_user.username == "root"
    assert record.is_staff and record.first_name == "Rina"
    assert record.prev_record is not None and not record.prev_record.is_staff
    names = {f.name for f in type(record)._meta.get_fields()}
    assert "password" not in names and "last_login" not in names


def test_admin_history_can_be_read_but_an_old_version_cannot_be_saved_back(staff, luwuk):
    with acting_as(operator(luwuk)):
        planning.pk_update(agreement=luwuk.agreement, place="Luwuk")
    url = reverse("admin:planning_perjanjiankinerja_history", args=[luwuk.agreement.pk])
    assert "Luwuk" in staff.get(url).content.decode() or staff.get(url).status_code == 200
    oldest = luwuk.agreement.history.earliest("history_date")
    version = reverse(
        "admin:planning_perjanjiankinerja_simple_history",
        args=[luwuk.agreement.pk, oldest.history_id],
    )
    assert staff.get(version).status_code == 200
    before = luwuk.agreement.history.count()
    assert staff.post(version, {"place": "Palu"}).status_code == 403
    luwuk.agreement.refresh_from_db()
    assert luwuk.agreement.place == "Luwuk" and luwuk.agreement.history.count() == before


# --- The page: who may see it, what it shows -------------------------------------------------


def changelog_url(world, slug="lapas-luwuk", **params):
    query = "&".join(f"{k}={v}" for k, v in {"tahun": YEAR, **params}.items())
    return f"{reverse('changelog', args=[slug])}?{query}"


def test_head_and_region_see_the_change_with_who_old_new_and_reason(luwuk, login):
    with acting_as(operator(luwuk)):
        budget.spending_save([budget.MonthFigures(line=luwuk.line, month=2, realised=D("1000"))])
        budget.spending_save([budget.MonthFigures(line=luwuk.line, month=2, realised=D("2000"))])
    budget.pagu_revise(
        line=luwuk.line,
        new_pagu=D("120000000"),
        revised_on=dt.date(YEAR, 3, 1),
        reason="Tambahan pagu",
        by=luwuk.users["head_luwuk"],
    )
    for user in ("head_luwuk", "evaluator_sulteng", "viewer_national"):
        page = login(luwuk.users[user]).get(changelog_url(luwuk)).content.decode()
        assert "051 Operasional kantor · Februari" in page
        assert "<del>Rp 1.000</del> → Rp 2.000" in page
        assert "operator_luwuk" in page
        assert "Revisi pagu: Tambahan pagu" in page
        assert "<del>Rp 100.000.000</del> → Rp 120.000.000" in page


@pytest.mark.parametrize("who", ["operator_atambua", "outsider"])
def test_other_facilities_and_outsiders_get_404(luwuk, login, who):
    user = luwuk.outsider if who == "outsider" else luwuk.users[who]
    assert login(user).get(changelog_url(luwuk)).status_code == 404


def test_anonymous_is_sent_to_log_in(luwuk, client):
    response = client.get(changelog_url(luwuk))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "query",
    ["tahun=abc", "tahun=99999999999999999999", "halaman=x&tahun=2024", "jenis=bogus", "baris=-1"],
)
def test_hostile_parameters_never_give_500(luwuk, login, query):
    response = login(luwuk.users["head_luwuk"]).get(
        f"{reverse('changelog', args=['lapas-luwuk'])}?{query}"
    )
    assert response.status_code in (200, 404)


def test_filter_by_kind(luwuk, login):
    with acting_as(operator(luwuk)):
        planning.pk_update(agreement=luwuk.agreement, place="Ampana")
        budget.score_set(unit=luwuk.luwuk, year=YEAR, smart=D("77"))
    client = login(luwuk.users["head_luwuk"])
    budget_page = client.get(changelog_url(luwuk, jenis="anggaran")).content.decode()
    pk_page = client.get(changelog_url(luwuk, jenis="pk")).content.decode()
    assert "Nilai SMART DJA/IKPA" in budget_page and "Ampana" not in budget_page
    assert "Ampana" in pk_page and "Nilai SMART DJA/IKPA" not in pk_page


def test_changes_without_a_user_render_as_sistem(luwuk, login):
    # A command or a job: no request, and a service that is not told who acts.
    budget.score_set(unit=luwuk.luwuk, year=YEAR, smart=D("60"))
    # A user who made a change and was then deleted.
    gone = get_user_model().objects.create_user("pergi", password="x-rahasia-123")
    with acting_as(gone):
        budget.score_set(unit=luwuk.luwuk, year=YEAR, smart=D("61"))
    gone.delete()
    assert BudgetScore.history.filter(history_user__isnull=True).count() == 2
    client = login(luwuk.users["head_luwuk"])
    page = client.get(changelog_url(luwuk, jenis="anggaran"))
    assert page.status_code == 200
    assert page.content.decode().count(">sistem<") >= 2
    # The other pages that list history rows handle them too.
    assert client.get(reverse("budget", args=["lapas-luwuk"]) + f"?tahun={YEAR}").status_code == 200
    assert (
        client.get(reverse("unit_detail", args=["lapas-luwuk"]) + f"?tahun={YEAR}").status_code
        == 200
    )
    history = reverse("indicator_history", args=["lapas-luwuk", YEAR, luwuk.ikk.id])
    assert client.get(history).status_code == 200


def test_times_are_in_the_facility_zone(luwuk, login):
    luwuk.sulteng.time_zone = "Asia/Makassar"
    luwuk.sulteng.save()
    with acting_as(operator(luwuk)):
        budget.score_set(unit=luwuk.luwuk, year=YEAR, smart=D("70"))
    moment = BudgetScore.history.latest("history_date").history_date
    local = moment.astimezone(zoneinfo.ZoneInfo("Asia/Makassar"))
    page = login(luwuk.users["head_luwuk"]).get(changelog_url(luwuk)).content.decode()
    assert f"{format_date(local.date())} {local:%H.%M} WITA" in page


def _changes(world, n: int):
    """n recorded changes of several kinds."""
    with acting_as(operator(world)):
        for i in range(n):
            kind = i % 3
            if kind == 0:
                budget.spending_save(
                    [budget.MonthFigures(line=world.line, month=i % 12 + 1, planned=D(i + 1))]
                )
            elif kind == 1:
                budget.score_set(unit=world.luwuk, year=YEAR, smart=D(i % 100))
            else:
                planning.pk_update(agreement=world.agreement, place=f"Tempat {i}")


def test_query_count_does_not_grow_with_the_number_of_changes(luwuk, login):
    client = login(luwuk.users["head_luwuk"])
    counts = []
    for n in (10, 90):  # 10 changes, then 100
        _changes(luwuk, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(changelog_url(luwuk))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    total = len(entries(luwuk.luwuk))
    assert total >= 100
    assert f"{total} perubahan" in response.content.decode()
    # Paginated: 50 per page, the last page holds the rest.
    last = client.get(changelog_url(luwuk, halaman=99)).content.decode()
    assert f"Halaman {(total + 49) // 50} dari {(total + 49) // 50}" in last


# --- Where people work: links and the last change ---------------------------------------------


def test_facility_pages_and_the_region_link_to_the_change_log(luwuk, login):
    planning.pk_sign(agreement=luwuk.agreement, by=luwuk.users["head_luwuk"])
    link = reverse("changelog", args=["lapas-luwuk"])
    head = login(luwuk.users["head_luwuk"])
    for url in (
        reverse("unit_detail", args=["lapas-luwuk"]) + f"?tahun={YEAR}",
        reverse("budget", args=["lapas-luwuk"]) + f"?tahun={YEAR}",
        reverse("entry", args=["lapas-luwuk", YEAR, 1]),
    ):
        assert link in head.get(url).content.decode(), url
    region = login(luwuk.users["evaluator_sulteng"]).get(
        reverse("region", args=["kanwil-sulteng"]) + f"?tahun={YEAR}&tw=1"
    )
    assert link in region.content.decode()


def test_budget_page_says_who_changed_each_line_and_when(luwuk, login):
    with acting_as(operator(luwuk)):
        budget.spending_save([budget.MonthFigures(line=luwuk.line, month=4, realised=D("5000"))])
    client = login(luwuk.users["head_luwuk"])
    page = client.get(reverse("budget", args=["lapas-luwuk"]) + f"?tahun={YEAR}").content.decode()
    assert "diubah oleh operator_luwuk pada" in page
    assert f"baris={luwuk.line.id}" in page
    line_log = client.get(
        changelog_url(luwuk, jenis="anggaran", baris=luwuk.line.id)
    ).content.decode()
    assert "Operasional kantor · April" in line_log and "Makan narapidana" not in line_log
    entry_page = client.get(reverse("budget_entry", args=["lapas-luwuk", YEAR, 4])).content.decode()
    assert "diubah oleh operator_luwuk pada" in entry_page


def test_pk_page_shows_the_header_history(luwuk, login):
    planning.pk_sign(agreement=luwuk.agreement, by=luwuk.users["head_luwuk"])
    page = login(luwuk.users["evaluator_sulteng"]).get(
        reverse("unit_detail", args=["lapas-luwuk"]) + f"?tahun={YEAR}"
    )
    html = page.content.decode()
    assert "Riwayat Perjanjian Kinerja" in html
    assert "head_luwuk" in html and "Draf → Ditandatangani" in html and "(Ditandatangani)" in html


def test_history_of_a_deleted_plan_is_still_listed(luwuk):
    """An import replaces a draft plan: the rows go, their history stays on the page."""
    with acting_as(operator(luwuk)):
        planning.ra_indicator_plan_set(
            pk_indicator=luwuk.ikk,
            activity=None,
            quarters=[planning.QuarterPlan(quarter=2, target_increment=D("30"))],
        )
        planning.pk_plan_clear(agreement=luwuk.agreement)
    kept = [e for e in entries(luwuk.luwuk) if e.model == "RAQuarter"]
    assert sorted(e.action for e in kept) == ["dibuat", "dihapus"]
    # Named from the deleted indicator row's own history.
    assert {e.record for e in kept} == {f"Rencana Aksi {luwuk.ikk.indicator.code} TW II"}


def test_review_page_and_indicator_history_render_rows_without_a_user(luwuk, login):
    from kinerja.review.models import Acceptance

    Acceptance.objects.create(
        unit=luwuk.luwuk,
        year=YEAR,
        rule="REN-04",
        key="x",
        message="Tidak ada target triwulan",
        explanation="Diisi bulan depan",
        by=luwuk.users["head_luwuk"],
    )
    Acceptance.history.update(history_user=None)
    planning.pk_targets_set(agreement=luwuk.agreement, targets={luwuk.ikk.id: D("90")})
    luwuk.ikk.history.update(history_user=None)
    client = login(luwuk.users["head_luwuk"])
    review = client.get(reverse("review", args=["lapas-luwuk"]) + f"?tahun={YEAR}")
    assert review.status_code == 200
    assert re.search(r"<td>sistem</td><td>REN-04</td>", review.content.decode())
    history = client.get(reverse("indicator_history", args=["lapas-luwuk", YEAR, luwuk.ikk.id]))
    assert history.status_code == 200 and "<td>sistem</td>" in history.content.decode()


def test_logging_in_sets_the_last_login_without_a_history_row(world, client):
    account = world.users["head_luwuk"]
    before = account.history.count()
    assert (
        client.post(
            reverse("login"), {"username": "head_luwuk", "password": "rahasia-uji-123"}
        ).status_code
        == 302
    )
    account.refresh_from_db()
    assert account.last_login is not None
    assert account.history.count() == before
