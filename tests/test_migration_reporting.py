"""The report data (AnnualReport, TeamMember, PrintedSignature and their history) moved from the
documents app to `reporting` without moving a row: a database at the old state keeps its LKjIP
data, team, printed signatures, history and permissions after migrating."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from kinerja.documents.models import ReportSection
from kinerja.reporting.models import AnnualReport, PrintedSignature, TeamMember

BEFORE = [("documents", "0004_history_for_every_editable_record"), ("reporting", None)]
AFTER = [
    ("documents", "0005_report_data_moved_to_reporting"),
    ("reporting", "0001_moved_from_documents"),
]


def latest():
    """Every app at its newest migration: the state the models of this checkout describe (later
    migrations, such as the cover letter's fields, come after the move)."""
    return MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    state = executor.migrate(targets)
    executor.loader.build_graph()  # the recorder's view of what is applied, for the next call
    return state.apps


def test_the_migration_graph_is_one_line_through_the_move():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan = [key for key in graph.forwards_plan(AFTER[0]) if key[0] in ("documents", "reporting")]
    assert plan[-3:] == [BEFORE[0], AFTER[1], AFTER[0]]
    # One line each: a single leaf, which comes after the move.
    for app, move in (("reporting", AFTER[1]), ("documents", AFTER[0])):
        (leaf,) = graph.leaf_nodes(app)
        assert move in graph.forwards_plan(leaf)


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_after_it():
    old = migrate(BEFORE)
    Unit = old.get_model("organizations", "Unit")
    Person = old.get_model("organizations", "Person")
    unit = Unit.objects.create(name="Lapas Kelas IIB Luwuk", slug="lapas-luwuk", path="/x/")
    person = Person.objects.create(name="Budi Santoso", nip=None, unit=unit)
    report = old.get_model("documents", "AnnualReport").objects.create(
        unit=unit, year=2024, place="Luwuk", decree_number="W.21-PAS.PAS.15-OT.01.01-07"
    )
    old.get_model("documents", "TeamMember").objects.create(
        report=report, person=person, position="Kepala Lapas", role="Penanggung jawab"
    )
    old.get_model("documents", "PrintedSignature").objects.create(
        unit=unit, year=2023, document="pk", location="PK", name="Budi Santoso", place="Luwuk"
    )
    old.get_model("documents", "HistoricalAnnualReport").objects.create(
        id=report.id,
        unit=unit,
        year=2024,
        place="Luwuk",
        history_date=dt.datetime(2024, 1, 5, tzinfo=dt.UTC),
        history_type="+",
    )
    ReportSectionOld = old.get_model("documents", "ReportSection")
    ReportSectionOld.objects.create(report=report, key="latar", text="Latar belakang.")
    OldContentType = old.get_model("contenttypes", "ContentType")
    old_ct, _ = OldContentType.objects.get_or_create(app_label="documents", model="annualreport")
    OldPermission = old.get_model("auth", "Permission")
    OldPermission.objects.get_or_create(
        content_type=old_ct, codename="change_annualreport", defaults={"name": "Can change LKjIP"}
    )
    OldContentType.objects.filter(app_label="reporting").delete()

    migrate(AFTER)
    migrate(latest())  # read below through today's models

    moved = AnnualReport.objects.get(unit__slug="lapas-luwuk", year=2024)
    assert (moved.place, moved.decree_number) == ("Luwuk", "W.21-PAS.PAS.15-OT.01.01-07")
    assert [(m.person.name, m.role) for m in moved.team.all()] == [
        ("Budi Santoso", "Penanggung jawab")
    ]
    assert list(PrintedSignature.objects.values_list("name", "place")) == [
        ("Budi Santoso", "Luwuk")
    ]
    assert [h.place for h in moved.history.all()] == ["Luwuk"]
    assert ReportSection.objects.get(key="latar").report == moved
    assert TeamMember._meta.db_table == "documents_teammember"
    # Permissions granted on the LKjIP data follow it to its new app.
    ContentType.objects.clear_cache()
    ct = ContentType.objects.get_for_model(AnnualReport)
    assert (ct.app_label, ct.id) == ("reporting", old_ct.id)
    assert Permission.objects.filter(content_type=ct, codename="change_annualreport").exists()
    assert not ContentType.objects.filter(app_label="documents", model="annualreport").exists()

    # And back: the old state reads the same rows.
    old = migrate(BEFORE)
    assert old.get_model("documents", "AnnualReport").objects.get(year=2024).place == "Luwuk"
    migrate(latest())  # the database as the next tests expect it
