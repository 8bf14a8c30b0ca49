"""Shared fixtures: the reference unit tree with one persona per role (STYLE.md habit 5)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja.indicators.services import catalogue_sync
from kinerja.organizations.models import HeadAppointment, Role, UnitKind
from kinerja.organizations.services import membership_grant, person_upsert, unit_create, user_upsert
from kinerja.planning import services as planning

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip on a contributor's laptop; fail in CI, where everything must be installed."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI must provide this: {reason}")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_hasher_and_private_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the API's rate limit counts there, per user for a
    session, and users' ids come back in the next test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def catalogue(db):
    catalogue_sync()
    # seeded by a migration, and emptied by a transactional test's flush
    from kinerja.evaluation.services import framework_ensure

    framework_ensure()


class World:
    """Units, people and users of two regions, like the reference facilities."""

    def __init__(self):
        self.ditjen = unit_create(
            name="Direktorat Jenderal Pemasyarakatan", slug="ditjenpas", kind=UnitKind.DIRECTORATE
        )
        self.sulteng = unit_create(
            name="Kanwil Sulawesi Tengah",
            slug="kanwil-sulteng",
            kind=UnitKind.KANWIL,
            parent=self.ditjen,
        )
        self.ntt = unit_create(
            name="Kanwil Nusa Tenggara Timur",
            slug="kanwil-ntt",
            kind=UnitKind.KANWIL,
            parent=self.ditjen,
        )
        self.luwuk = unit_create(
            name="Lapas Kelas IIB Luwuk",
            slug="lapas-luwuk",
            kind=UnitKind.UPT,
            parent=self.sulteng,
            facility_type="lapas",
            facility_class="IIB",
            city="Luwuk",
        )
        self.atambua = unit_create(
            name="Lapas Kelas IIB Atambua",
            slug="lapas-atambua",
            kind=UnitKind.UPT,
            parent=self.ntt,
            facility_type="lapas",
            facility_class="IIB",
            city="Atambua",
        )
        self.head_person = person_upsert(
            name="Endi Wahyudi", nip="197009121993031001", unit=self.luwuk, position="Kepala Lapas"
        )
        self.kakanwil = person_upsert(
            name="Kepala Kanwil Sulteng",
            nip="196411261991032001",
            unit=self.sulteng,
            position="Kepala Kantor Wilayah",
        )
        # Heads of record, so that a PK's parties are the heads on its signing day.
        for unit, person, title in (
            (self.luwuk, self.head_person, "Kepala Lapas Kelas IIB Luwuk"),
            (self.sulteng, self.kakanwil, "Kepala Kantor Wilayah Sulawesi Tengah"),
        ):
            HeadAppointment.objects.create(
                unit=unit, person=person, title=title, start=dt.date(2020, 1, 1)
            )
        self.users = {}
        for name, role, unit in [
            ("operator_luwuk", Role.OPERATOR, self.luwuk),
            ("head_luwuk", Role.HEAD, self.luwuk),
            ("evaluator_sulteng", Role.EVALUATOR, self.sulteng),
            ("operator_atambua", Role.OPERATOR, self.atambua),
            ("viewer_national", Role.VIEWER, self.ditjen),
            ("admin_national", Role.ADMIN, self.ditjen),
        ]:
            user = user_upsert(username=name, password="rahasia-uji-123")
            membership_grant(user=user, unit=unit, role=role)
            self.users[name] = user
        self.outsider = user_upsert(username="outsider", password="rahasia-uji-123")

    def appoint_head(self, unit, *, title: str = "", start=dt.date(2020, 1, 1)):
        """A head of record for a unit (a facility or a region) with a valid NIP; returns the
        person, to be a PK's party."""
        number = HeadAppointment.objects.count() + 1
        person = person_upsert(
            name=f"Kepala {unit.name}",
            nip=f"197001011995031{number + 100:03d}",
            unit=unit,
            position=title or f"Kepala {unit.name}",
        )
        HeadAppointment.objects.create(unit=unit, person=person, title=person.position, start=start)
        return person

    def draft_pk(self, year: int = 2024, *, complete: bool = True):
        agreement = planning.pk_create(
            unit=self.luwuk,
            year=year,
            place="Palu",
            signed_on=dt.date(year, 1, 16),
            first_party=self.head_person,
            first_party_title="Kepala Lapas Kelas IIB Luwuk",
            second_party=self.kakanwil,
            second_party_title="Kepala Kantor Wilayah Sulawesi Tengah",
        )
        if complete:
            planning.pk_targets_set(
                agreement=agreement,
                targets={row.id: Decimal("85") for row in agreement.indicators.all()},
            )
            budget_table_fill(agreement)
        return agreement


def budget_table_fill(agreement) -> None:
    """A PK's budget table of one programme (a PK with an empty table is not signed)."""
    planning.pk_budget_set(
        agreement=agreement,
        lines=[
            planning.BudgetLine(
                "program", "Program Penegakan dan Pelayanan Hukum", Decimal(2_500_000_000)
            )
        ],
    )


def year_in_order(agreement):
    """A PK's Rencana Aksi (one activity, RPD equal to its pagu, every IKK's quarters adding up) and
    a Renstra 2020-2024 with every IKK's target: what the review expects of a year in order.
    Returns the PK's IKK rows."""
    rows = list(agreement.indicators.filter(indicator__level="ikk").select_related("indicator"))
    activity = planning.ra_activity_save(
        agreement=agreement,
        name="Layanan perkantoran",
        pagu=Decimal(100_000_000),
        disbursements={q: Decimal(25_000_000) for q in (1, 2, 3, 4)},
    )
    for row in rows:
        planning.ra_indicator_plan_set(
            pk_indicator=row,
            activity=activity,
            quarters=[
                planning.QuarterPlan(quarter=q, target_increment=Decimal(v))
                for q, v in ((1, 20), (2, 20), (3, 20), (4, 25))
            ],
        )
    planning.renstra_save(
        unit=agreement.unit,
        start_year=2020,
        end_year=2024,
        targets={(row.indicator.code, agreement.year): Decimal(85) for row in rows},
    )
    return rows


@pytest.fixture
def world(catalogue):
    return World()


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def chromium_path() -> str | None:
    return (
        shutil.which("chromium")
        or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium")
        or None
    )


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"kinerja database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']})"


def blank_pdf() -> bytes:
    """A real one-page PDF (evidence PDFs are parsed and checked for active content)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _locked_rows_cleared_before_flush(request):
    """A transactional test ends with a flush, which on SQLite is a DELETE per table: the lock
    triggers (measurement 0008, budget 0003, evaluation 0002) would refuse it for a closed quarter or the workflow
    log. Clear those rows first inside lock_bypass(). PostgreSQL truncates instead,
    which fires no row triggers."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    from kinerja.core.locks import lock_bypass

    if connection.vendor != "sqlite":
        return
    with lock_bypass(), connection.cursor() as cursor:
        for table in (
            "measurement_transition",
            "measurement_evidence",
            "measurement_variablevalue",
            "measurement_realization",
            "measurement_quarterreport",
            "budget_spendingmonth",
            # a submitted or finished AKIP evaluation (evaluation 0002)
            "evaluation_followup",
            "evaluation_recommendation",
            "evaluation_answerfile",
            "evaluation_answer",
            "evaluation_evaluation",
            # a published version (publication 0002)
            "publication_publication",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)


# --- The demo, loaded once per session ------------------------------------------------------
#
# Loading the demo takes seconds (catalogue, imports, budget, documents). Tests that only read it,
# or write inside their own transaction (rolled back at the end, as every `db` test is), share
# one copy: `demo` below. It is loaded once, inside an outer transaction opened before the first
# such test; each test's own transaction is then a savepoint within it. After the last of them the
# outer transaction is rolled back, so the database is exactly as before (the rows the migrations
# seed included), and no other test ever sees the demo. To keep the shared tests together,
# pytest_collection_modifyitems runs them at the end of the non-transactional tests (pytest-django
# has already put those first, then the transactional ones, then those without a database).
# A transactional test ends with a flush and cannot share the demo: it loads its own.

DEMO_FIXTURE = "demo"
_shared: dict = {}


def _uses_shared_demo(item) -> bool:
    return DEMO_FIXTURE in getattr(item, "fixturenames", ())


def _in_one_transaction(item) -> bool:
    """A `db` test (pytest-django's order 0): not transactional, and using the database."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or bool({"transactional_db", "live_server"} & set(fixtures))
    return not transactional and (marker is not None or "db" in fixtures)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """After pytest-django's sort: the shared-demo tests at the end of the `db` tests (a stable
    partition: the order within each part is kept)."""
    first = [i for i in items if _in_one_transaction(i)]
    rest = [i for i in items if not _in_one_transaction(i)]
    items[:] = (
        [i for i in first if not _uses_shared_demo(i)]
        + [i for i in first if _uses_shared_demo(i)]
        + rest
    )


def _end_shared_demo() -> None:
    block = _shared.pop("block", None)
    if block is None:
        return
    from django.db import transaction

    with _shared["blocker"].unblock():
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


@pytest.fixture(scope="session")
def _shared_demo(django_db_setup, django_db_blocker):
    """Session scope, so pytest sets it up before the test's own transaction opens."""
    from django.db import transaction
    from django.test.utils import override_settings

    from kinerja.demo import load_demo

    _shared["blocker"] = django_db_blocker
    # The hasher every test uses (see _fast_hasher_and_private_media), so logging in stays fast.
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        block = transaction.atomic()
        block.__enter__()
        # Like a TestCase's own blocks: a durable block inside a test is still allowed.
        transaction.get_connection().atomic_blocks[-1]._from_testcase = True
        _shared["block"] = block
        load_demo()
    yield True
    _end_shared_demo()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # the test's own fixtures (its transaction) are finished first
    if _uses_shared_demo(item) and (nextitem is None or not _uses_shared_demo(nextitem)):
        _end_shared_demo()


@pytest.fixture
def demo(request, _shared_demo, db):
    """The demo data (Atambua and Luwuk with their PKs, results, budget, documents, users), shared
    by the session: changes a test makes are rolled back with its transaction. Returns Atambua."""
    from kinerja.organizations.models import Unit

    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        pytest.fail("The shared demo is for tests in a transaction; load the demo yourself.")
    if not _shared:
        pytest.fail("The shared demo has ended: its tests must run together (conftest).")
    return Unit.objects.get(slug="lapas-atambua")


def libreoffice_text(docx: Path, tmp_path: Path, *, layout: bool = False) -> str:
    """The text of a .docx as LibreOffice prints it to PDF (headless, a profile of its own), read
    back by pdftotext; skips (a CI failure) where LibreOffice or pdftotext is missing."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    require(office is not None, "LibreOffice (libreoffice-writer-nogui) is not installed")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = tmp_path / "out" / (docx.stem + ".pdf")
    assert done.returncode == 0 and converted.exists(), done.stderr
    return subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), str(converted), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
