"""Issue 13, points 2 and 3: locks hold on every path.

A PK revision carries every quarter's results over in their status (a locked quarter stays locked,
the superseded version keeps its record unchanged), and no path changes a locked value: service,
model save/delete, the admin (as a superuser), QuerySet.update, bulk_update, bulk_create, loaddata
and raw SQL. The last four are refused by database triggers, on SQLite and on PostgreSQL. The
workflow log is append-only. Monthly spending of a closed quarter's months is locked the same way.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client, RequestFactory
from django.urls import reverse

from kinerja.budget import services as budget
from kinerja.budget.models import MonthClosed, SpendingMonth
from kinerja.core.locks import LockMessageMiddleware
from kinerja.measurement.models import (
    Evidence,
    MonitoringNote,
    QuarterLocked,
    QuarterReport,
    Realization,
    RecordProtected,
    Transition,
    VariableValue,
)
from kinerja.measurement.selectors import year_results
from kinerja.measurement.services import (
    evidence_add,
    monitoring_note_add,
    quarter_transition,
    realization_save,
)
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja, PKFrozenError, PKIndicator, RAQuarter
from tests.conftest import blank_pdf

D = Decimal
PDF = blank_pdf()
# The database refuses: an IntegrityError from the trigger (DatabaseError covers both vendors'
# wrapping when the statement runs inside loaddata).
REFUSED = (IntegrityError, DatabaseError)


@pytest.fixture
def signed(world):
    """Luwuk's signed PK 2024 with TW I increments and every IKK's TW I counts entered."""
    agreement = world.draft_pk()
    for row in agreement.indicators.filter(indicator__level="ikk"):
        planning.ra_indicator_plan_set(
            pk_indicator=row,
            activity=None,
            quarters=[planning.QuarterPlan(quarter=q, target_increment=D(20 + q)) for q in (1, 2)],
        )
    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    agreement.refresh_from_db()
    for row in ikk_rows(agreement):
        values = {v.symbol: D(3) for v in row.indicator.variables.all()}
        realization_save(pk_indicator=row, quarter=1, values=values, narrative=f"TW I {row.number}")
    return agreement


def ikk_rows(agreement):
    return (
        agreement.indicators.filter(indicator__level="ikk")
        .select_related("indicator", "agreement__unit")
        .prefetch_related("indicator__variables")
        .order_by("indicator__code")
    )


def lock(world, agreement, quarter=1, until="locked"):
    """Move a quarter through the real workflow, each step by the role that may take it."""
    steps = [
        ("submit", "operator_luwuk"),
        ("approve", "head_luwuk"),
        ("verify", "evaluator_sulteng"),
        ("lock", "evaluator_sulteng"),
    ]
    for action, user in steps:
        report = quarter_transition(
            agreement=agreement, quarter=quarter, action=action, by=world.users[user]
        )
        if report.status == until:
            return report
    return report


@pytest.fixture
def locked(world, signed):
    """TW I of the signed PK with evidence and a monitoring note, then locked by the region."""
    row = signed.indicators.get(indicator__code="IKK-1.1")
    evidence_add(pk_indicator=row, quarter=1, data=PDF, filename="bast.pdf")
    monitoring_note_add(
        pk_indicator=row, quarter=1, text="Lengkapi BAST", by=world.users["evaluator_sulteng"]
    )
    lock(world, signed)
    return signed


def snapshot(agreement):
    """Everything a quarter holds on one PK version, as plain values."""
    return {
        "values": sorted(
            VariableValue.objects.filter(
                realization__pk_indicator__agreement=agreement
            ).values_list(
                "realization__pk_indicator__indicator__code",
                "realization__quarter",
                "symbol",
                "value",
            )
        ),
        "narratives": sorted(
            Realization.objects.filter(pk_indicator__agreement=agreement).values_list(
                "pk_indicator__indicator__code", "quarter", "narrative"
            )
        ),
        "evidence": sorted(
            Evidence.objects.filter(realization__pk_indicator__agreement=agreement).values_list(
                "realization__pk_indicator__indicator__code", "file", "original_name", "size"
            )
        ),
        "notes": sorted(
            MonitoringNote.objects.filter(pk_indicator__agreement=agreement).values_list(
                "pk_indicator__indicator__code", "quarter", "text"
            )
        ),
        "reports": sorted(
            QuarterReport.objects.filter(agreement=agreement).values_list("quarter", "status")
        ),
        "log": sorted(
            Transition.objects.filter(report__agreement=agreement).values_list(
                "report__quarter", "from_status", "to_status", "by", "reason"
            )
        ),
    }


def revise_and_sign(world, agreement, change=None):
    revision = planning.pk_revise(agreement=agreement, reason="Target IKK-1.1 disesuaikan")
    if change:
        change(revision)
    planning.pk_sign(agreement=revision, by=world.users["head_luwuk"])
    revision.refresh_from_db()
    return revision


def value_a(agreement, code="IKK-1.1", quarter=1):
    return VariableValue.objects.get(
        realization__pk_indicator__agreement=agreement,
        realization__pk_indicator__indicator__code=code,
        realization__quarter=quarter,
        realization__month=None,
        symbol="A",
    )


# --- 2. A PK revision carries the results over and keeps a locked quarter locked -------------


def test_signing_a_revision_keeps_a_locked_quarter_locked_with_all_its_results(world, locked):
    before = snapshot(locked)

    def new_target(revision):
        row = revision.indicators.get(indicator__code="IKK-1.1")
        planning.pk_targets_set(agreement=revision, targets={row.id: D(90)})

    revision = revise_and_sign(world, locked, new_target)
    locked.refresh_from_db()
    assert (locked.status, revision.status) == ("superseded", "signed")
    after = snapshot(revision)
    # Every value, narrative, evidence row (same stored file), note and status came along...
    for key in ("values", "narratives", "evidence", "notes", "reports"):
        assert after[key] == before[key], key
    assert after["reports"] == [(1, "locked")]
    # ...with the whole log, plus one entry saying where it came from.
    assert after["log"][: len(before["log"])] == before["log"] or set(before["log"]) <= set(
        after["log"]
    )
    assert len(after["log"]) == len(before["log"]) + 1
    carried = Transition.objects.filter(report__agreement=revision).order_by("id").last()
    assert (carried.from_status, carried.to_status) == ("locked", "locked")
    assert "Dibawa dari" in carried.reason and carried.by == world.users["head_luwuk"]
    # The superseded version is the record, unchanged.
    assert snapshot(locked) == before
    # The evidence file is still readable from the revision.
    copy = Evidence.objects.get(realization__pk_indicator__agreement=revision)
    with copy.file.open("rb") as f:
        assert f.read() == PDF


def test_after_a_revision_the_facility_cannot_change_the_locked_quarter(world, locked):
    revision = revise_and_sign(world, locked)
    row = revision.indicators.get(indicator__code="IKK-1.1")
    with pytest.raises(ValidationError, match="berstatus Dikunci"):
        realization_save(pk_indicator=row, quarter=1, values={"A": D(0), "B": D(3)})
    with pytest.raises(ValidationError, match="berstatus Dikunci"):
        evidence_add(pk_indicator=row, quarter=1, data=PDF, filename="lain.pdf")
    value = value_a(revision)
    value.value = D(0)
    with pytest.raises(QuarterLocked):
        value.save()
    assert value_a(revision).value == D(3)
    # The entry page shows it read-only.
    client = Client()
    client.force_login(world.users["operator_luwuk"])
    page = client.get(reverse("entry", args=["lapas-luwuk", 2024, 1]))
    assert page.status_code == 200 and "Dikunci" in page.content.decode()
    assert f'name="A_{row.id}"' not in page.content.decode() or "disabled" in page.content.decode()


@pytest.mark.parametrize("status", ["submitted", "approved", "verified"])
def test_every_closed_status_survives_a_revision(world, signed, status):
    lock(world, signed, until=status)
    revision = revise_and_sign(world, signed)
    assert QuarterReport.objects.get(agreement=revision, quarter=1).status == status


def test_a_draft_quarter_with_results_is_carried_over_and_stays_editable(world, signed):
    revision = revise_and_sign(world, signed)
    assert QuarterReport.objects.get(agreement=revision, quarter=1).status == "draft"
    row = revision.indicators.get(indicator__code="IKK-1.1")
    realization_save(pk_indicator=row, quarter=1, values={"A": D(2), "B": D(3)})
    assert value_a(revision).value == D(2)
    assert value_a(signed).value == D(3)  # the superseded record keeps what it had


def test_the_superseded_version_refuses_every_write(world, signed):
    revise_and_sign(world, signed)
    signed.refresh_from_db()
    row = signed.indicators.get(indicator__code="IKK-1.1")
    with pytest.raises(ValidationError):
        realization_save(pk_indicator=row, quarter=1, values={"A": D(0), "B": D(3)})
    with pytest.raises(ValidationError, match="tidak berlaku"):
        quarter_transition(
            agreement=signed, quarter=1, action="submit", by=world.users["operator_luwuk"]
        )
    with pytest.raises(ValidationError, match="berlaku"):
        monitoring_note_add(
            pk_indicator=row, quarter=1, text="x", by=world.users["evaluator_sulteng"]
        )
    with pytest.raises(ValidationError, match="berlaku"):
        evidence_add(pk_indicator=row, quarter=1, data=PDF, filename="lain.pdf")
    value = value_a(signed)
    value.value = D(0)
    with pytest.raises(QuarterLocked, match="digantikan revisi"):
        value.save()
    with pytest.raises(REFUSED), transaction.atomic():
        VariableValue.objects.filter(pk=value.pk).update(value=D(0))
    assert value_a(signed).value == D(3)


def test_pages_read_the_results_of_the_version_in_force(world, locked):
    client = Client()
    client.force_login(world.users["head_luwuk"])
    url = reverse("results", args=["lapas-luwuk"]) + "?tahun=2024"
    # While a revision is being prepared, the signed version's results are still the ones shown.
    revision = planning.pk_revise(agreement=locked, reason="Target disesuaikan")
    assert PerjanjianKinerja.objects.in_force(world.luwuk, 2024) == locked
    region = Client()
    region.force_login(world.users["evaluator_sulteng"])
    region_url = reverse("region", args=["kanwil-sulteng"]) + "?tahun=2024&tw=1"
    assert "Dikunci" in region.get(region_url).content.decode()
    assert client.get(url).status_code == 200
    recorded = [r for r in year_results(PerjanjianKinerja.objects.in_force(world.luwuk, 2024))]
    assert sum(r.recorded for r in recorded) == len(list(ikk_rows(locked)))
    # Once signed, the revision is in force and carries the same results.
    planning.pk_sign(agreement=revision, by=world.users["head_luwuk"])
    in_force = PerjanjianKinerja.objects.in_force(world.luwuk, 2024)
    assert in_force == revision
    assert sum(r.recorded for r in year_results(in_force)) == len(list(ikk_rows(locked)))
    assert client.get(url).status_code == 200
    assert "Dikunci" in region.get(region_url).content.decode()


def test_a_revision_may_not_change_the_target_of_a_locked_quarter(world, locked):
    revision = planning.pk_revise(agreement=locked, reason="Target TW disesuaikan")
    row = revision.indicators.get(indicator__code="IKK-1.1")
    with pytest.raises(ValidationError, match="Target TW I indikator IKK-1.1 tidak dapat diubah"):
        planning.ra_indicator_plan_set(
            pk_indicator=row,
            activity=None,
            quarters=[planning.QuarterPlan(quarter=1, target_increment=D(50))],
        )
    # TW II is open: its increment may change.
    planning.ra_indicator_plan_set(
        pk_indicator=row,
        activity=None,
        quarters=[
            planning.QuarterPlan(quarter=1, target_increment=D(21)),
            planning.QuarterPlan(quarter=2, target_increment=D(40)),
        ],
    )
    # A change by another path (the model on a draft) is caught when signing.
    RAQuarter.objects.filter(pk_indicator=row, quarter=1).update(target_increment=D(5))
    with pytest.raises(ValidationError, match="Target tetap 21"):
        planning.pk_sign(agreement=revision, by=world.users["head_luwuk"])
    revision.refresh_from_db()
    assert revision.status == "draft"


def test_results_of_an_ikk_the_revision_removes_stay_on_the_superseded_version(world, locked):
    def remove(revision):
        row = revision.indicators.get(indicator__code="IKK-1.2")
        row.quarters.all().delete()
        row.delete()

    revision = revise_and_sign(world, locked, remove)
    assert not revision.indicators.filter(indicator__code="IKK-1.2").exists()
    assert value_a(locked, "IKK-1.2").value == D(3)
    assert Realization.objects.filter(pk_indicator__agreement=revision).count() == (
        len(list(ikk_rows(locked))) - 1
    )


def test_the_region_can_still_reopen_after_a_revision_and_the_facility_corrects(world, locked):
    revision = revise_and_sign(world, locked)
    quarter_transition(
        agreement=revision,
        quarter=1,
        action="reopen",
        by=world.users["evaluator_sulteng"],
        reason="Koreksi angka",
    )
    row = revision.indicators.get(indicator__code="IKK-1.1")
    realization_save(pk_indicator=row, quarter=1, values={"A": D(1), "B": D(3)})
    assert value_a(revision).value == D(1)
    lock(world, revision)
    assert QuarterReport.objects.get(agreement=revision, quarter=1).status == "locked"


# --- 3. Every path that could change a locked value -------------------------------------------


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "r@example.org", "rahasia-uji-123")


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_queryset_update_and_bulk_update_of_locked_values_fail(locked):
    value = value_a(locked)
    with pytest.raises(REFUSED), transaction.atomic():
        VariableValue.objects.filter(pk=value.pk).update(value=D(0))
    value.value = D(0)
    with pytest.raises(REFUSED), transaction.atomic():
        VariableValue.objects.bulk_update([value], ["value"])
    with pytest.raises(REFUSED), transaction.atomic():
        Realization.objects.filter(pk=value.realization_id).update(narrative="diubah")
    with pytest.raises(REFUSED), transaction.atomic():
        Evidence.objects.filter(realization__pk_indicator__agreement=locked).update(size=1)
    with pytest.raises(REFUSED), transaction.atomic():
        VariableValue.objects.filter(pk=value.pk).delete()
    # Re-pointing a value out of the closed quarter is a change of it too.
    row2 = locked.indicators.get(indicator__code="IKK-1.1")
    with pytest.raises(REFUSED), transaction.atomic():
        Realization.objects.filter(pk=value.realization_id).update(quarter=2)
    # A new row slipped into the closed quarter.
    with pytest.raises(REFUSED), transaction.atomic():
        Realization.objects.bulk_create([Realization(pk_indicator=row2, quarter=1, month=1)])
    assert value_a(locked).value == D(3)
    assert Realization.objects.get(pk=value.realization_id).quarter == 1


def test_raw_sql_cannot_change_locked_values(locked):
    value = value_a(locked)
    for sql in (
        f"UPDATE measurement_variablevalue SET value = 0 WHERE id = {value.pk}",
        f"DELETE FROM measurement_variablevalue WHERE id = {value.pk}",
        f"UPDATE measurement_realization SET narrative = 'x' WHERE id = {value.realization_id}",
        f"DELETE FROM measurement_evidence WHERE realization_id = {value.realization_id}",
    ):
        with pytest.raises(REFUSED) as exc, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        assert "tidak dapat diubah" in str(exc.value)
    assert value_a(locked).value == D(3)
    assert Evidence.objects.filter(realization_id=value.realization_id).count() == 1


def test_loaddata_cannot_change_a_locked_value(locked, tmp_path):
    value = value_a(locked)
    fixture = tmp_path / "ubah.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "measurement.variablevalue",
                    "pk": value.pk,
                    "fields": {"realization": value.realization_id, "symbol": "A", "value": "0"},
                }
            ]
        )
    )
    with pytest.raises(REFUSED), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    assert value_a(locked).value == D(3)


def test_loaddata_cannot_unlock_a_quarter(locked, tmp_path):
    report = QuarterReport.objects.get(agreement=locked, quarter=1)
    fixture = tmp_path / "buka.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "measurement.quarterreport",
                    "pk": report.pk,
                    "fields": {
                        "agreement": locked.pk,
                        "quarter": 1,
                        "status": "draft",
                        "return_reason": "",
                    },
                }
            ]
        )
    )
    with pytest.raises(REFUSED), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    report.refresh_from_db()
    assert report.status == "locked"


def test_model_save_and_delete_of_locked_values_fail(locked):
    value = value_a(locked)
    value.value = D(0)
    with pytest.raises(QuarterLocked):
        value.save()
    with pytest.raises(QuarterLocked):
        value.delete()
    realization = value.realization
    with pytest.raises(QuarterLocked):
        realization.delete()
    evidence = Evidence.objects.get(realization__pk_indicator__agreement=locked)
    with pytest.raises(QuarterLocked):
        evidence.delete()
    # Moving an open quarter's row into the closed one is refused as well.
    row = locked.indicators.get(indicator__code="IKK-1.1")
    open_row = realization_save(pk_indicator=row, quarter=2, values={"A": D(1), "B": D(2)})
    open_row.quarter = 1
    with pytest.raises(QuarterLocked):
        open_row.save()
    assert value_a(locked).value == D(3)


def test_the_workflow_log_is_append_only_on_every_path(locked, tmp_path):
    steps = list(Transition.objects.filter(report__agreement=locked).order_by("id"))
    assert len(steps) == 4
    kept = [(s.from_status, s.to_status, s.reason, s.by_id, s.at) for s in steps]
    step = steps[0]
    step.reason = "diubah"
    with pytest.raises(RecordProtected):
        step.save()
    with pytest.raises(RecordProtected):
        step.delete()
    with pytest.raises(RecordProtected):
        Transition.objects.filter(pk=step.pk).update(reason="diubah")
    with pytest.raises(RecordProtected):
        Transition.objects.all().delete()
    with pytest.raises(RecordProtected), transaction.atomic():
        Transition.objects.bulk_update([step], ["reason"])
    # Past the model's own queryset (the plain base manager), the database refuses.
    with pytest.raises(REFUSED), transaction.atomic():
        Transition._base_manager.filter(pk=step.pk).update(reason="diubah")
    with pytest.raises(REFUSED), transaction.atomic():
        Transition._base_manager.filter(pk=step.pk).delete()
    for sql in (
        f"UPDATE measurement_transition SET reason = 'x' WHERE id = {step.pk}",
        "DELETE FROM measurement_transition",
    ):
        with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    fixture = tmp_path / "log.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "measurement.transition",
                    "pk": step.pk,
                    "fields": {
                        "report": step.report_id,
                        "from_status": "draft",
                        "to_status": "draft",
                        "by": None,
                        "at": "2024-01-01T00:00:00Z",
                        "reason": "x",
                    },
                }
            ]
        )
    )
    with pytest.raises(REFUSED), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    # A person who acted in the workflow is deactivated, not deleted (the log keeps who did it).
    with pytest.raises(ProtectedError):
        step.by.delete()
    assert [
        (s.from_status, s.to_status, s.reason, s.by_id, s.at)
        for s in Transition.objects.filter(report__agreement=locked).order_by("id")
    ] == kept


def test_a_quarter_report_cannot_be_unlocked_moved_or_deleted_outside_the_workflow(locked):
    report = QuarterReport.objects.get(agreement=locked, quarter=1)
    with pytest.raises(REFUSED), transaction.atomic():
        QuarterReport.objects.filter(pk=report.pk).update(status="draft")
    with pytest.raises(REFUSED), transaction.atomic():
        QuarterReport.objects.filter(pk=report.pk).update(quarter=2)
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM measurement_quarterreport WHERE id = {report.pk}")
    report.status = "draft"
    with pytest.raises(RecordProtected):
        report.save()
    report.refresh_from_db()
    with pytest.raises(RecordProtected):
        report.delete()
    with pytest.raises((ProtectedError, *REFUSED)), transaction.atomic():
        QuarterReport.objects.filter(pk=report.pk).delete()
    # Deleting the PK or its indicator rows never takes the results and log with it.
    with pytest.raises(PKFrozenError):
        locked.delete()
    with pytest.raises((ProtectedError, *REFUSED)), transaction.atomic():
        PerjanjianKinerja.objects.filter(pk=locked.pk).delete()
    with pytest.raises((ProtectedError, *REFUSED)), transaction.atomic():
        PKIndicator.objects.filter(agreement=locked).delete()
    report.refresh_from_db()
    assert report.status == "locked"
    assert Transition.objects.filter(report=report).count() == 4
    assert VariableValue.objects.filter(realization__pk_indicator__agreement=locked).exists()


def test_the_admin_cannot_delete_unlock_or_repoint_a_locked_quarter(locked, superuser):
    client = admin_client(superuser)
    report = QuarterReport.objects.get(agreement=locked, quarter=1)
    delete = reverse("admin:measurement_quarterreport_delete", args=[report.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # The bulk action is not offered either.
    changelist = reverse("admin:measurement_quarterreport_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302), response.content.decode()[:3000]
    # The change form cannot re-point it or touch its log.
    other = planning.pk_create(unit=locked.unit, year=2025)
    change = reverse("admin:measurement_quarterreport_change", args=[report.pk])
    response = client.post(
        change,
        {
            "agreement": other.pk,
            "quarter": 2,
            "transitions-TOTAL_FORMS": "4",
            "transitions-INITIAL_FORMS": "4",
            "transitions-MIN_NUM_FORMS": "0",
            "transitions-MAX_NUM_FORMS": "1000",
            **{
                f"transitions-{i}-id": t.pk
                for i, t in enumerate(Transition.objects.filter(report=report).order_by("id"))
            },
            **{f"transitions-{i}-DELETE": "on" for i in range(4)},
        },
    )
    assert response.status_code == 403  # a closed report is read-only in the admin
    report.refresh_from_db()
    assert (report.agreement_id, report.quarter, report.status) == (locked.pk, 1, "locked")
    assert Transition.objects.filter(report=report).count() == 4
    # Values and realisations of the closed quarter are read-only: change and delete refused.
    value = value_a(locked)
    for name, pk in (
        ("measurement_variablevalue", value.pk),
        ("measurement_realization", value.realization_id),
    ):
        assert (
            client.post(reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"}).status_code
            == 403
        )
    assert (
        client.post(
            reverse("admin:measurement_variablevalue_change", args=[value.pk]),
            {"realization": value.realization_id, "symbol": "A", "value": "0"},
        ).status_code
        == 403
    )
    # A signed PK cannot be deleted in the admin.
    pk_delete = reverse("admin:planning_perjanjiankinerja_delete", args=[locked.pk])
    assert client.post(pk_delete, {"post": "yes"}).status_code == 403
    assert value_a(locked).value == D(3)


def test_a_draft_quarter_report_without_log_may_still_be_deleted(signed, superuser):
    report = QuarterReport.objects.get(agreement=signed, quarter=1)
    client = admin_client(superuser)
    response = client.post(
        reverse("admin:measurement_quarterreport_delete", args=[report.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not QuarterReport.objects.filter(pk=report.pk).exists()


def test_reopening_by_the_region_makes_the_rows_editable_again_on_every_path(world, locked):
    quarter_transition(
        agreement=locked,
        quarter=1,
        action="reopen",
        by=world.users["evaluator_sulteng"],
        reason="Koreksi",
    )
    value = value_a(locked)
    VariableValue.objects.filter(pk=value.pk).update(value=D(2))
    assert value_a(locked).value == D(2)
    assert QuarterReport.objects.get(agreement=locked, quarter=1).status == "returned"


def test_a_trigger_refusal_reaching_a_view_is_a_message_not_a_500(locked):
    value = value_a(locked)
    try:
        with transaction.atomic():
            VariableValue.objects.filter(pk=value.pk).update(value=D(0))
    except REFUSED as exc:
        refusal = exc
    request = RequestFactory().post("/")
    request.user = get_user_model().objects.first()
    request.session = {}
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    response = LockMessageMiddleware(lambda r: None).process_exception(request, refusal)
    assert response.status_code == 409
    body = response.content.decode()
    assert "tidak dapat diubah" in body and "[kunci]" not in body
    assert LockMessageMiddleware(lambda r: None).process_exception(request, ValueError()) is None
    # An htmx save reloads the page, which shows the message.
    request.headers = {"HX-Request": "true"}
    request.META["HTTP_HX_REQUEST"] = "true"
    response = LockMessageMiddleware(lambda r: None).process_exception(request, refusal)
    assert response.headers["HX-Refresh"] == "true"
    assert any("tidak dapat diubah" in str(m) for m in request._messages)


# --- Monthly spending of a closed quarter's months ---------------------------------------------


@pytest.fixture
def spending(world, signed):
    line = budget.line_add(
        unit=world.luwuk, year=2024, level="component", code="002", name="Operasional",
        pagu=D(3_500_000), spending_type="52",
    )  # fmt: skip
    budget.spending_save(
        [budget.MonthFigures(line=line, month=m, planned=D(100), realised=D(90)) for m in (2, 4)]
    )
    return line


def test_spending_of_a_closed_quarters_months_is_locked_on_every_path(
    world, signed, spending, tmp_path
):
    lock(world, signed, until="submitted")
    february = SpendingMonth.objects.get(line=spending, month=2)
    with pytest.raises(ValidationError, match="TW I berstatus Diajukan"):
        budget.spending_save([budget.MonthFigures(line=spending, month=2, realised=D(1))])
    with pytest.raises(ValidationError, match="TW I"):  # a new month of the quarter as well
        budget.spending_save([budget.MonthFigures(line=spending, month=3, realised=D(1))])
    february.realised = D(1)
    with pytest.raises(MonthClosed, match="Februari 2024"):
        february.save()
    with pytest.raises(MonthClosed):
        february.delete()
    with pytest.raises(REFUSED), transaction.atomic():
        SpendingMonth.objects.filter(pk=february.pk).update(realised=D(1))
    with pytest.raises(REFUSED), transaction.atomic():
        SpendingMonth.objects.bulk_update([february], ["realised"])
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM budget_spendingmonth WHERE id = {february.pk}")
    fixture = tmp_path / "bulan.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "budget.spendingmonth",
                    "pk": february.pk,
                    "fields": {
                        "line": spending.pk,
                        "month": 2,
                        "planned": "100",
                        "realised": "1",
                        "exception": False,
                        "exception_reason": "",
                    },
                }
            ]
        )
    )
    with pytest.raises(REFUSED), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    february.refresh_from_db()
    assert february.realised == D(90)
    # TW II is open: April may change.
    budget.spending_save([budget.MonthFigures(line=spending, month=4, realised=D(95))])
    assert SpendingMonth.objects.get(line=spending, month=4).realised == D(95)


def test_the_budget_entry_page_shows_a_closed_month_read_only(world, signed, spending, login):
    lock(world, signed)
    client = login(world.users["operator_luwuk"])
    url = reverse("budget_entry", args=["lapas-luwuk", 2024, 2])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Februari 2024 termasuk TW I yang berstatus Dikunci" in body
    assert "disabled" in body and "Simpan Februari" not in body
    refused = client.post(url, {f"planned_{spending.id}": "1", f"realised_{spending.id}": "1"})
    assert refused.status_code == 400 and "tidak dapat diubah" in refused.content.decode()
    assert SpendingMonth.objects.get(line=spending, month=2).realised == D(90)
    april = client.get(reverse("budget_entry", args=["lapas-luwuk", 2024, 4])).content.decode()
    assert "Simpan April" in april


def test_the_admin_cannot_change_or_delete_a_closed_month(world, signed, spending, superuser):
    lock(world, signed)
    client = admin_client(superuser)
    months = list(SpendingMonth.objects.filter(line=spending).order_by("month"))
    change = reverse("admin:budget_dipaline_change", args=[spending.pk])
    form = client.get(change)
    assert form.status_code == 200
    data = {
        "unit": spending.unit_id,
        "year": 2024,
        "level": spending.level,
        "code": spending.code,
        "name": spending.name,
        "spending_type": spending.spending_type,
        "blocked": "0",
        "blocked_reason": "",
        "order": spending.order,
        "parent": "",
        "volume": "",
        "volume_unit": "",
        "months-TOTAL_FORMS": "2",
        "months-INITIAL_FORMS": "2",
        "months-MIN_NUM_FORMS": "0",
        "months-MAX_NUM_FORMS": "1000",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(months):
        data |= {
            f"months-{i}-id": m.pk,
            f"months-{i}-line": spending.pk,
            f"months-{i}-month": m.month,
            f"months-{i}-planned": "100",
            f"months-{i}-realised": "1",
            f"months-{i}-exception_reason": "",
        }
    response = client.post(change, data)
    assert response.status_code == 200  # the form again, with the message
    assert "Februari 2024 tidak dapat diubah" in response.content.decode()
    data |= {"months-0-realised": "90", "months-0-DELETE": "on"}
    response = client.post(change, data)
    assert response.status_code == 200
    assert SpendingMonth.objects.get(line=spending, month=2).realised == D(90)
    delete = reverse("admin:budget_dipaline_delete", args=[spending.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SpendingMonth.objects.filter(line=spending).count() == 2


def test_the_history_after_a_revision_shows_who_entered_the_values_not_the_copy(world, locked):
    from kinerja.measurement.selectors import indicator_history

    revision = revise_and_sign(world, locked)
    row = revision.indicators.get(indicator__code="IKK-1.1")
    entries = [c for c in indicator_history(row) if "TW I" in c.what and "variabel A" in c.what]
    # One entry: the operator's, on the version it was made on; the copy adds none.
    assert [(c.what, c.new) for c in entries] == [("TW I (PK revisi 0) variabel A: nilai", "3")]
    client = Client()
    client.force_login(world.users["head_luwuk"])
    page = client.get(reverse("indicator_history", args=["lapas-luwuk", 2024, row.id]))
    assert page.status_code == 200 and "PK revisi 0" in page.content.decode()


def test_a_whole_dump_loads_back_only_inside_lock_bypass_and_the_locks_return(locked, tmp_path):
    from kinerja.core.locks import lock_bypass

    dump = tmp_path / "dump.json"
    call_command("dumpdata", "measurement", output=str(dump), verbosity=0)
    before = snapshot(locked)
    with lock_bypass(), connection.cursor() as cursor:
        for table in (
            "measurement_transition",
            "measurement_evidence",
            "measurement_variablevalue",
            "measurement_realization",
            "measurement_quarterreport",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
    assert not Transition.objects.exists()
    # A dump writes the locked report before its results: the triggers refuse it...
    with pytest.raises(REFUSED), transaction.atomic():
        call_command("loaddata", str(dump), verbosity=0)
    # ...unless it is a restore, inside the bypass.
    with lock_bypass():
        call_command("loaddata", str(dump), verbosity=0)
    assert snapshot(locked) == before
    value = value_a(locked)
    with pytest.raises(REFUSED), transaction.atomic():
        VariableValue.objects.filter(pk=value.pk).update(value=D(0))
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM measurement_transition WHERE id = {Transition.objects.first().pk}"
        )


def test_the_admin_cannot_move_an_open_value_into_the_closed_quarter(locked, superuser):
    row = locked.indicators.get(indicator__code="IKK-1.1")
    open_row = realization_save(pk_indicator=row, quarter=2, values={"A": D(1), "B": D(2)})
    value = open_row.values.get(symbol="A")
    closed = value_a(locked).realization_id
    client = admin_client(superuser)
    response = client.post(
        reverse("admin:measurement_variablevalue_change", args=[value.pk]),
        {"realization": closed, "symbol": "A", "value": "1"},
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.realization_id == open_row.id
    response = client.post(
        reverse("admin:measurement_realization_change", args=[open_row.pk]),
        {
            "pk_indicator": row.pk,
            "quarter": 1,
            "narrative": "",
            "values-TOTAL_FORMS": "0",
            "values-INITIAL_FORMS": "0",
            "values-MIN_NUM_FORMS": "0",
            "values-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code in (200, 302)
    open_row.refresh_from_db()
    assert open_row.quarter == 2
