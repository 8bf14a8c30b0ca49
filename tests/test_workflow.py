"""The quarter workflow: every allowed and forbidden transition by every role; a closed quarter
cannot be changed by any path (service, model, admin)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kinerja.measurement.models import (
    EntryWindow,
    QuarterLocked,
    QuarterReport,
    Transition,
    VariableValue,
)
from kinerja.measurement.services import (
    TRANSITIONS,
    monitoring_note_add,
    quarter_transition,
    realization_save,
)
from kinerja.planning import services as planning

ROLES = [
    "operator_luwuk",
    "head_luwuk",
    "evaluator_sulteng",
    "operator_atambua",
    "viewer_national",
    "admin_national",
]


@pytest.fixture
def complete(world):
    """A signed Luwuk PK with every IKK's TW I values filled in."""
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    for row in agreement.indicators.filter(indicator__level="ikk").select_related(
        "indicator", "agreement"
    ):
        values = {v.symbol: Decimal(1) for v in row.indicator.variables.all()}
        realization_save(pk_indicator=row, quarter=1, values=values)
    return agreement


def move(agreement, action, user, reason=""):
    return quarter_transition(agreement=agreement, quarter=1, action=action, by=user, reason=reason)


def set_status(agreement, status):
    QuarterReport.objects.update_or_create(
        agreement=agreement, quarter=1, defaults={"status": status}
    )


# Who may take each action from its starting status (return depends on the status it starts from).
ALLOWED = {
    ("submit", "draft"): {"operator_luwuk", "head_luwuk", "admin_national"},
    ("submit", "returned"): {"operator_luwuk", "head_luwuk", "admin_national"},
    ("approve", "submitted"): {"head_luwuk", "admin_national"},
    ("verify", "approved"): {"evaluator_sulteng", "admin_national"},
    ("lock", "verified"): {"evaluator_sulteng", "admin_national"},
    ("return", "submitted"): {"head_luwuk", "evaluator_sulteng", "admin_national"},
    ("return", "approved"): {"evaluator_sulteng", "admin_national"},
    ("return", "verified"): {"evaluator_sulteng", "admin_national"},
    ("reopen", "locked"): {"evaluator_sulteng", "admin_national"},
}


@pytest.mark.parametrize(("action", "start"), sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_transition_is_allowed_only_to_its_roles(complete, world, action, start, role):
    set_status(complete, start)
    user = world.users[role]
    if role in ALLOWED[(action, start)]:
        report = move(complete, action, user, reason="Data dukung kurang")
        assert report.status == TRANSITIONS[action][1]
        step = Transition.objects.get(report=report)
        assert (step.from_status, step.to_status, step.by) == (start, report.status, user)
    else:
        with pytest.raises(PermissionError, match="tidak berwenang"):
            move(complete, action, user, reason="x")
        assert QuarterReport.objects.get(agreement=complete, quarter=1).status == start
        assert not Transition.objects.exists()


@pytest.mark.parametrize(
    ("action", "start"),
    [
        ("approve", "draft"),
        ("verify", "submitted"),
        ("lock", "approved"),
        ("submit", "locked"),
        ("return", "draft"),
        ("reopen", "verified"),
        ("submit", "submitted"),
    ],
)
def test_transitions_from_the_wrong_status_are_refused(complete, world, action, start):
    set_status(complete, start)
    with pytest.raises(ValidationError, match="tidak dapat"):
        move(complete, action, world.users["admin_national"], reason="x")


def test_returning_and_reopening_need_a_reason_the_operator_then_sees(complete, world):
    move(complete, "submit", world.users["operator_luwuk"])
    with pytest.raises(ValidationError, match="Alasan wajib"):
        move(complete, "return", world.users["head_luwuk"], reason="  ")
    report = move(complete, "return", world.users["head_luwuk"], reason="Lampiran TW I belum ada")
    assert report.status == "returned" and report.return_reason == "Lampiran TW I belum ada"


def test_submitting_needs_every_ikk_filled(world):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    row = agreement.indicators.get(indicator__code="IKK-1.1")
    realization_save(pk_indicator=row, quarter=1, values={"A": Decimal(1), "B": Decimal(1)})
    with pytest.raises(ValidationError) as exc:
        move(agreement, "submit", world.users["operator_luwuk"])
    assert "belum lengkap" in exc.value.messages[0] and "IKK-1.2" in exc.value.messages[0]
    assert "IKK-1.1," not in exc.value.messages[0]


@pytest.mark.parametrize("status", ["submitted", "approved", "verified", "locked"])
def test_a_closed_quarter_cannot_be_changed_by_any_path(complete, world, status):
    set_status(complete, status)
    row = complete.indicators.get(indicator__code="IKK-1.1")
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        realization_save(pk_indicator=row, quarter=1, values={"A": Decimal(0), "B": Decimal(1)})
    value = VariableValue.objects.get(
        realization__pk_indicator=row, realization__quarter=1, symbol="A"
    )
    value.value = Decimal(0)
    with pytest.raises(QuarterLocked):
        value.save()
    with pytest.raises(QuarterLocked):
        value.delete()
    admin = get_user_model().objects.create_superuser("root", "r@example.org", "rahasia-uji-123")
    from django.test import Client

    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:measurement_variablevalue_change", args=[value.id]),
        {"realization": value.realization_id, "symbol": "A", "value": "0"},
    )
    assert response.status_code == 403  # read-only in the admin
    value.refresh_from_db()
    assert value.value == Decimal(1)


def test_the_region_reopens_a_locked_quarter_and_it_is_recorded(complete, world):
    set_status(complete, "locked")
    report = move(
        complete, "reopen", world.users["evaluator_sulteng"], reason="Koreksi angka remisi"
    )
    assert report.status == "returned"
    row = complete.indicators.get(indicator__code="IKK-2.2")
    realization_save(pk_indicator=row, quarter=1, values={"A": Decimal(1), "B": Decimal(2)})
    assert Transition.objects.get(report=report).reason == "Koreksi angka remisi"


def test_an_entry_window_closes_entry(complete, world):
    today = timezone.localdate()
    EntryWindow.objects.create(
        region=world.sulteng,
        year=complete.year,
        quarter=1,
        opens=today - dt.timedelta(days=30),
        closes=today - dt.timedelta(days=1),
    )
    row = complete.indicators.get(indicator__code="IKK-1.1")
    with pytest.raises(ValidationError, match="sudah ditutup sejak"):
        realization_save(pk_indicator=row, quarter=1, values={"A": Decimal(1), "B": Decimal(1)})
    with pytest.raises(ValidationError, match="sudah ditutup sejak"):
        move(complete, "submit", world.users["operator_luwuk"])


def test_monitoring_notes_are_written_by_the_region_only(complete, world):
    row = complete.indicators.get(indicator__code="IKK-1.1")
    note = monitoring_note_add(
        pk_indicator=row, quarter=1, text="Lengkapi BAST", by=world.users["evaluator_sulteng"]
    )
    assert note.by == world.users["evaluator_sulteng"]
    with pytest.raises(PermissionError):
        monitoring_note_add(pk_indicator=row, quarter=1, text="x", by=world.users["operator_luwuk"])


def test_the_region_sees_its_facilities_and_who_has_not_submitted(login, world, complete):
    from kinerja.organizations.services import unit_create

    unit_create(
        name="Rutan Kelas IIB Poso",
        slug="rutan-poso",
        kind="upt",
        parent=world.sulteng,
        facility_type="rutan",
    )
    move(complete, "submit", world.users["operator_luwuk"])
    page = login(world.users["evaluator_sulteng"]).get(
        reverse("region", args=["kanwil-sulteng"]) + "?tahun=2024&tw=1"
    )
    html = page.content.decode()
    assert "Belum mengajukan TW I 2024 (1)" in html and "Rutan Kelas IIB Poso" in html
    assert "Diajukan" in html and "Lapas Kelas IIB Luwuk" in html
    assert "Atambua" not in html
    outsider = login(world.users["operator_atambua"])
    assert outsider.get(reverse("region", args=["kanwil-sulteng"])).status_code == 404


def test_the_region_sets_entry_windows_and_writes_notes_through_its_pages(login, world, complete):
    evaluator = login(world.users["evaluator_sulteng"])
    url = reverse("region", args=["kanwil-sulteng"]) + "?tahun=2024&tw=1"
    evaluator.post(url, {"opens": "2024-04-01", "closes": "2024-04-10"})
    window = EntryWindow.objects.get(region=world.sulteng, year=2024, quarter=1)
    assert (window.opens, window.closes) == (dt.date(2024, 4, 1), dt.date(2024, 4, 10))
    refused = evaluator.post(url, {"opens": "2024-04-10", "closes": "2024-04-01"}, follow=True)
    assert "tidak boleh sebelum" in refused.content.decode()
    row = complete.indicators.get(indicator__code="IKK-1.1")
    note_url = reverse("monitoring_note", args=["lapas-luwuk", 2024, 1, row.id])
    evaluator.post(note_url, {"text": "BAST bulan Maret belum diunggah"})
    page = (
        login(world.users["operator_luwuk"])
        .get(reverse("entry", args=["lapas-luwuk", 2024, 1]))
        .content.decode()
    )
    assert "BAST bulan Maret belum diunggah" in page
    operator = login(world.users["operator_luwuk"])
    assert operator.post(note_url, {"text": "x"}).status_code == 404
    operator.post(url, {"opens": "2024-01-01", "closes": "2024-12-31"})
    assert EntryWindow.objects.get(region=world.sulteng, year=2024, quarter=1).closes == dt.date(
        2024, 4, 10
    )
