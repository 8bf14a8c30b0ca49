"""GET never writes (issue 13, point 10): every GET address of the app, as every role of the demo,
leaves every table exactly as it was; starting a review run or a document job is a POST that a
read-only user cannot make."""

from __future__ import annotations

import hashlib
import re
import zoneinfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kinerja.api.models import ApiToken
from kinerja.api.services import token_create
from kinerja.core.formatting import format_datetime
from kinerja.documents.models import DocumentJob, JobStatus
from kinerja.evaluation.models import AnswerFile, Criterion, FollowUp, Recommendation
from kinerja.imports.models import ImportRecord
from kinerja.imports.services import renaksi_upload
from kinerja.measurement.models import Evidence, QuarterReport
from kinerja.measurement.services import evidence_add
from kinerja.notifications.models import Kind, Notification
from kinerja.organizations.models import Membership, OnboardingImport, Unit
from kinerja.organizations.services import user_upsert
from kinerja.planning.models import PerjanjianKinerja
from kinerja.publication.models import Publication
from kinerja.review.models import Acceptance, ReviewRun
from kinerja.review.services import review_compute
from tests.conftest import blank_pdf

pytestmark = pytest.mark.django_db

# Writes that are not data: the session (and its idle-time stamp) and django-axes' login records.
IGNORED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
DEMO_ROLES = [
    "admin",
    "pimpinan",
    "evaluator.ntt",
    "evaluator.sulteng",
    "admin.sulteng",
    "operator.atambua",
    "kepala.atambua",
    "operator.luwuk",
    "kepala.luwuk",
]
PDF = blank_pdf()


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: row count and a hash of every row, so an update shows as well as an insert."""
    out = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.proxy or not model._meta.managed or table in IGNORED_TABLES:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        out[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def rows_written() -> int:
    """Rows inserted, updated or deleted so far on this connection (cheap, asked after every
    request): SQLite counts them per connection, PostgreSQL per transaction (the test's)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables"
        )
        return int(cursor.fetchone()[0])


@pytest.fixture
def demo(demo):
    """The shared demo (conftest), plus rows the detail addresses need."""
    atambua = Unit.objects.get(slug="lapas-atambua")
    luwuk = Unit.objects.get(slug="lapas-luwuk")
    pk_2023 = PerjanjianKinerja.objects.get(unit=atambua, year=2023)
    first_ikk = pk_2023.indicators.filter(indicator__level="ikk").order_by("id").first()
    # Rows the detail addresses need: an evidence, a pending import, a finished job, an acceptance.
    evidence_add(pk_indicator=first_ikk, quarter=4, data=PDF, filename="bukti.pdf")
    renaksi_upload(unit=luwuk, year=2025, data=b"bukan workbook", filename="renaksi.xlsx")
    job = DocumentJob.objects.create(
        unit=atambua, kind="pk", year=2023, format="docx", status=JobStatus.DONE
    )
    job.file.save("pk.docx", ContentFile(b"PK"), save=False)
    job.filename = "pk.docx"
    job.save()
    # through the page, so that the acceptance's history names its user (a history row without
    # one is issue 13 point 9, not this test's subject)
    head = Client()
    head.force_login(get_user_model().objects.get(username="kepala.atambua"))
    finding = next(f for f in review_compute(unit=atambua, year=2023).findings)
    head.post(
        "/unit/lapas-atambua/reviu/2023/terima/",
        {"aturan": finding.rule, "kunci": finding.key, "penjelasan": "Diterima dengan penjelasan."},
    )
    assert Acceptance.objects.exists()
    # An API token: its page and the API read with a GET write nothing.
    token_create(user=get_user_model().objects.get(username="operator.atambua"), name="Uji GET")
    # An unread notification: listing it (GET) must not mark it read.
    Notification.objects.create(
        user=get_user_model().objects.get(username="kepala.atambua"),
        kind=Kind.QUARTER_SUBMITTED,
        text="Realisasi TW IV 2023 diajukan.",
        link="/unit/lapas-atambua/realisasi/2023/tw/4/",
        unit=atambua,
        key="uji-get",
    )
    # An applied onboarding workbook with a new account: its result page prints first-login links
    # (made on reading, never stored).
    from tests.test_onboarding import poso_file

    regional = Client()
    regional.force_login(get_user_model().objects.get(username="admin.sulteng"))
    upload = ContentFile(poso_file(), name="poso.xlsx")
    assert regional.post("/administrasi/orientasi/", {"file": upload}).status_code == 200
    record = OnboardingImport.objects.get()
    regional.post(f"/administrasi/orientasi/{record.pk}/terapkan/")
    assert OnboardingImport.objects.get().applied_at is not None
    # A self-assessment with an evidence file (the demo's synthetic facilities have finished
    # evaluations with recommendations and follow-ups).
    from kinerja.evaluation.services import answer_file_add, evaluation_start

    operator = get_user_model().objects.get(username="operator.atambua")
    answer_file_add(
        evaluation=evaluation_start(unit=atambua, year=2023, by=operator),
        criterion=Criterion.objects.order_by("id").first(),
        data=PDF,
        filename="pedoman.pdf",
        by=operator,
    )
    return {"atambua": atambua, "luwuk": luwuk, "row": first_ikk}


def _values(demo) -> dict[str, list]:
    """Candidate values for each URL parameter, taken from the demo."""
    reader = get_user_model().objects.get(username="pimpinan")
    luwuk_pk = PerjanjianKinerja.objects.get(unit=demo["luwuk"], year=2024)
    return {
        "slug": ["lapas-atambua", "lapas-luwuk", "kanwil-ntt", "ditjenpas"],
        "year": [2023, 2024],
        "quarter": [1, 4],
        "month": [1],
        "row_id": [demo["row"].id, luwuk_pk.indicators.order_by("id").first().id],
        "record_id": list(ImportRecord.objects.values_list("id", flat=True)),
        "evidence_id": list(Evidence.objects.values_list("id", flat=True)),
        "job_id": list(DocumentJob.objects.values_list("id", flat=True)),
        "acceptance_id": list(Acceptance.objects.values_list("id", flat=True)),
        "notification_id": list(Notification.objects.values_list("id", flat=True)),
        "token_id": list(ApiToken.objects.values_list("id", flat=True)),
        "import_id": list(OnboardingImport.objects.values_list("id", flat=True)),
        "membership_id": list(Membership.objects.values_list("id", flat=True)[:3]),
        "start": [2020, 2025],  # Atambua's Renstra 2020-2024, and none
        "fmt": ["xlsx", "pdf", "docx"],
        "criterion_id": list(Criterion.objects.order_by("id").values_list("id", flat=True)[:1]),
        "file_id": list(AnswerFile.objects.values_list("id", flat=True)),
        "follow_up_id": list(FollowUp.objects.values_list("id", flat=True)[:2]),
        "recommendation_id": list(Recommendation.objects.values_list("id", flat=True)[:2]),
        "publication_id": list(Publication.objects.values_list("id", flat=True)),
        "code": ["IKK-2.3"],
        # a valid password-reset link and a forged one
        "uidb64": [urlsafe_base64_encode(force_bytes(reader.pk)), "MQ"],
        "token": [default_token_generator.make_token(reader), "set-password"],
    }


def _expand(route: str, values: dict[str, list]) -> list[str]:
    """Every address a route gives with the candidate values (regex routes by their groups)."""
    names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
    names = [a or b for a, b in names]
    urls = [route]
    for name in names:
        step = []
        for url in urls:
            for value in values[name]:
                step.append(
                    re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), url, count=1)
                )
        urls = step
    cleaned = []
    for url in urls:
        url = url.lstrip("^").rstrip("$").replace("\\.", ".")
        cleaned.append("/" + url)
    return cleaned


def app_get_urls(values) -> list[tuple[str, str]]:
    out = []
    patterns = []
    for pattern in get_resolver("kinerja.urls").url_patterns:
        if isinstance(pattern, URLPattern):
            patterns.append((str(pattern.pattern), pattern.name))
        elif getattr(pattern, "namespace", None) == "api-v1":  # the API's, under its prefix
            prefix = str(pattern.pattern)
            patterns += [
                (prefix + str(p.pattern), f"api-v1:{p.name}") for p in pattern.url_patterns
            ]
        # else the admin: Django's own, staff only
    for route, name in patterns:
        for url in _expand(route, values):
            out.append((name, url))
            if "<" not in url and name not in ("logout",):
                out.append((name, url + "?tahun=2023&tw=4"))
    return out


def test_no_get_address_writes_anything_for_any_role(demo, settings):
    # Sessions in signed cookies here, so that every row written during the walk is data.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    urls = app_get_urls(_values(demo))
    assert len(urls) > 100
    outsider = user_upsert(username="orang.luar", password="rahasia-uji-123")
    clients = {"tanpa login": Client()}
    for username in DEMO_ROLES:
        clients[username] = Client()
        clients[username].force_login(get_user_model().objects.get(username=username))
    clients["orang.luar"] = Client()
    clients["orang.luar"].force_login(outsider)

    ok_names = set()
    before = database_fingerprint()
    for who, client in clients.items():
        for name, url in urls:
            written = rows_written()
            response = client.get(url)
            assert response.status_code != 500, (who, url)
            assert rows_written() == written, (who, url, "wrote rows")
            if response.status_code == 200:
                ok_names.add(name)
        # and table by table, after each role's walk
        assert not changed_tables(before, database_fingerprint()), who
    # The walk reached the pages that used to write.
    for name in (
        "region",
        "review",
        "entry",
        "narratives",
        "documents",
        "review_download",
        "lke",
        "lke_download",
        "lke_file",
        "region_evaluations",
        "public_facility",
        "publish_page",
        "region_publications",
    ):
        assert name in ok_names, name
    for name in ("units", "indicators", "results", "openapi-json", "openapi-view"):
        name = f"api-v1:{name}"  # the API's
        assert name in ok_names, name


def test_the_region_page_shows_stored_counts_and_never_runs_on_view(
    demo, settings, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(get_user_model().objects.get(username="evaluator.ntt"))
    ReviewRun.objects.all().delete()
    page = client.get("/wilayah/kanwil-ntt/?tahun=2023&tw=4&reviu=ulang").content.decode()
    assert "belum dijalankan" in page and not ReviewRun.objects.exists()
    assert 'action="/wilayah/kanwil-ntt/reviu/"' in page

    # The run is a background job, enqueued when its row commits; here it runs at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wilayah/kanwil-ntt/reviu/", {"tahun": "2023", "tw": "4"})
    assert response.status_code == 302
    run = ReviewRun.objects.get(unit=demo["atambua"], year=2023)
    page = client.get("/wilayah/kanwil-ntt/?tahun=2023&tw=4").content.decode()
    # When it ran, in the region's zone (NTT: WITA), in the one date-time format.
    assert f"{run.errors} galat" in page
    assert format_datetime(run.at, zoneinfo.ZoneInfo(demo["atambua"].local_time_zone)) in page


@pytest.mark.parametrize("username", ["pimpinan", "evaluator.sulteng", "operator.atambua"])
def test_only_the_regions_evaluator_or_an_admin_reruns_its_reviews(demo, username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    ReviewRun.objects.all().delete()
    response = client.post("/wilayah/kanwil-ntt/reviu/", {"tahun": "2023", "tw": "4"})
    assert response.status_code == 404
    assert not ReviewRun.objects.exists()
    page = client.get("/wilayah/kanwil-ntt/?tahun=2023&tw=4")
    assert b"Jalankan reviu semua UPT" not in page.content


def test_a_read_only_user_starts_no_review_run_and_no_document_job(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="pimpinan"))
    ReviewRun.objects.all().delete()
    jobs = DocumentJob.objects.count()
    before = database_fingerprint()

    assert client.post("/unit/lapas-atambua/reviu/2023/jalankan/").status_code == 404
    response = client.post(
        "/unit/lapas-atambua/dokumen/buat/", {"tahun": "2023", "dokumen": "pk", "format": "docx"}
    )
    assert response.status_code == 404
    assert not changed_tables(before, database_fingerprint())
    assert DocumentJob.objects.count() == jobs and not ReviewRun.objects.exists()

    documents = client.get("/unit/lapas-atambua/dokumen/?tahun=2023").content.decode()
    assert "Buat Word" not in documents and "Akun hanya baca" in documents
    review = client.get("/unit/lapas-atambua/reviu/?tahun=2023").content.decode()
    assert "Jalankan dan simpan reviu" not in review


def test_facility_staff_and_the_evaluator_store_a_review_run_by_post(demo):
    for username in ("operator.atambua", "evaluator.ntt"):
        ReviewRun.objects.all().delete()
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get("/unit/lapas-atambua/reviu/?tahun=2023").content.decode()
        assert "Jalankan dan simpan reviu" in page and "belum dijalankan" in page
        assert not ReviewRun.objects.exists()
        client.post("/unit/lapas-atambua/reviu/2023/jalankan/")
        assert ReviewRun.objects.get(unit=demo["atambua"], year=2023).trigger.startswith(
            "dijalankan"
        )


def test_the_entry_page_of_a_quarter_without_report_creates_none(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="operator.atambua"))
    # Atambua's own TW I (the demo's synthetic regions have TW I reports of their own).
    tw1 = QuarterReport.objects.filter(agreement__unit__slug="lapas-atambua", quarter=1)
    assert not tw1.exists()
    page = client.get("/unit/lapas-atambua/realisasi/2023/tw/1/")
    assert page.status_code == 200 and "Draf" in page.content.decode()
    assert (
        not tw1.exists()
        and not QuarterReport.objects.filter(agreement__unit__slug="lapas-atambua")
        .exclude(quarter=4)
        .exists()
    )
