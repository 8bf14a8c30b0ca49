"""Publication: the head publishes a signed PK, a final LKjIP or a quarter's achievement; a
published version is frozen and a correction is a new version; the public pages (no login) show
only what was published, as pages, CSV, JSON and a sitemap; everything else stays closed."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import URLPattern, get_resolver
from django.utils import timezone

from kinerja.core.locks import LockRefused
from kinerja.documents import reports
from kinerja.documents.models import DocumentJob, JobStatus
from kinerja.measurement.services import quarter_transition, realization_save
from kinerja.organizations.models import Unit
from kinerja.planning import services as planning
from kinerja.publication import selectors, services
from kinerja.publication.models import Publication
from tests.test_hardening_get import _expand

pytestmark = pytest.mark.django_db
YEAR = 2024


def job(unit, kind, year=YEAR, quarter=None, draft=False, by=None) -> DocumentJob:
    """A generated PDF, as the Dokumen page's background job leaves it."""
    export = reports.generate(kind, unit, year, "pdf", quarter=quarter, draft=draft)
    made = DocumentJob(
        unit=unit,
        kind=kind,
        year=year,
        quarter=quarter,
        format="pdf",
        status=JobStatus.DONE,
        draft=export.draft,
        note=export.note,
        filename=export.filename,
        created_by=by,
        finished_at=timezone.now(),
    )
    made.file.save(export.filename, ContentFile(export.content), save=False)
    made.save()
    return made


@pytest.fixture
def signed(world):
    agreement = world.draft_pk(YEAR)
    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    agreement.refresh_from_db()
    return agreement


def record_quarter(agreement, quarter=1, approve=True):
    """Every IKK of the quarter recorded (the first with no population: N/A), then submitted by the
    operator and approved by the head, as a quarter's achievement must be before it is published."""
    rows = agreement.indicators.filter(indicator__level="ikk").select_related("indicator")
    for number, row in enumerate(rows.order_by("id")):
        value = Decimal(0) if number == 0 else Decimal(4)
        values = {v.symbol: value for v in row.indicator.variables.all()}
        realization_save(pk_indicator=row, quarter=quarter, values=values, by=None)
    if approve:
        users = get_user_model().objects
        for action, who in (("submit", "operator_luwuk"), ("approve", "head_luwuk")):
            quarter_transition(
                agreement=agreement, quarter=quarter, action=action, by=users.get(username=who)
            )


def test_only_the_head_publishes_a_signed_pk_and_it_is_frozen(world, signed):
    made = job(world.luwuk, "pk")
    with pytest.raises(PermissionDenied):
        services.publish(job=made, by=world.users["operator_luwuk"])
    publication = services.publish(job=made, by=world.users["head_luwuk"])
    assert publication.version == 1 and publication.replaced_at is None
    with publication.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF") and publication.sha256 == hashlib.sha256(content).hexdigest()
    assert [f["code"] for f in publication.figures][:2] == ["IKK-1.1", "IKK-1.2"]
    assert publication.figures[0]["target"] == "85" and "realisation" not in publication.figures[0]
    # frozen: the model, update(), raw SQL, delete
    publication.note = "diubah"
    with pytest.raises(LockRefused):
        publication.save()
    with pytest.raises(LockRefused):
        publication.delete()
    with pytest.raises(IntegrityError, match="kunci"), transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(sha256="0" * 64)
    with pytest.raises(IntegrityError, match="kunci"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM publication_publication WHERE id = %s", [publication.pk])
    assert Publication.objects.get(pk=publication.pk).sha256 == hashlib.sha256(content).hexdigest()


def test_a_pk_generated_before_signing_or_a_draft_pk_is_refused(world):
    agreement = world.draft_pk(YEAR)
    made = job(world.luwuk, "pk")
    with pytest.raises(ValidationError, match="belum ditandatangani"):
        services.publish(job=made, by=world.users["head_luwuk"])
    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    with pytest.raises(ValidationError, match="sebelum Perjanjian Kinerja 2024 yang berlaku"):
        services.publish(job=made, by=world.users["head_luwuk"])


def test_publishing_a_draft_lkjip_is_refused_with_the_reason(world, signed):
    made = job(world.luwuk, "lkjip")
    assert made.draft  # the review has open errors (nothing recorded yet)
    with pytest.raises(ValidationError) as refused:
        services.publish(job=made, by=world.users["head_luwuk"])
    text = " ".join(refused.value.messages)
    assert "LKjIP 2024 ini draf (bertanda DRAF) dan tidak dapat dipublikasikan" in text
    assert "galat" in text  # the review's reason, as the document says
    assert not Publication.objects.exists()


def test_a_quarter_not_approved_or_changed_after_its_pdf_is_refused(world, signed):
    record_quarter(signed, 1, approve=False)
    made = job(world.luwuk, "capaian", quarter=1)
    with pytest.raises(ValidationError, match="setelah disetujui kepala UPT"):
        services.publish(job=made, by=world.users["head_luwuk"])
    # made, then the quarter's figures changed (returned and corrected): the PDF is out of date
    record_quarter(signed, 1)
    with pytest.raises(ValidationError, match="Realisasi berubah setelah dokumen ini dibuat"):
        services.publish(job=made, by=world.users["head_luwuk"])
    assert (
        services.publish(
            job=job(world.luwuk, "capaian", quarter=1), by=world.users["head_luwuk"]
        ).version
        == 1
    )


def test_a_correction_is_a_new_version_and_the_first_stays_listed_as_replaced(world, signed):
    record_quarter(signed, 1)
    first = services.publish(
        job=job(world.luwuk, "capaian", quarter=1), by=world.users["head_luwuk"]
    )
    again = job(world.luwuk, "capaian", quarter=1)
    with pytest.raises(ValidationError, match="tuliskan alasan koreksinya"):
        services.publish(job=again, by=world.users["head_luwuk"])
    second = services.publish(
        job=again, by=world.users["head_luwuk"], note="Koreksi: data dukung TW I dilengkapi."
    )
    first.refresh_from_db()
    assert (second.version, first.replaced_by_id, first.replaced_at) == (
        2,
        second.id,
        second.published_at,
    )
    assert first.history.first().history_change_reason == "diganti versi 2"
    page = Client().get("/publik/upt/lapas-luwuk/").content.decode()
    assert "versi 1" in page and "<strong>diganti</strong> oleh versi 2" in page
    assert "Koreksi: data dukung TW I dilengkapi." in page
    # both versions can be downloaded, each with its checksum
    for p in (first, second):
        response = Client().get(f"/publik/dokumen/{p.id}/")
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == p.sha256 and p.sha256 in page
    # the replaced version can no longer change either
    with pytest.raises(IntegrityError, match="kunci"), transaction.atomic():
        Publication.objects.filter(pk=first.pk).update(replaced_at=None)


def test_the_public_facility_page_shows_published_figures_with_na_and_not_filled(world, signed):
    record_quarter(signed, 1)
    services.publish(job=job(world.luwuk, "capaian", quarter=1), by=world.users["head_luwuk"])
    record_quarter(signed, 2, approve=False)  # recorded after publishing: never public
    page = Client().get("/publik/upt/lapas-luwuk/")
    assert page.status_code == 200 and not page.cookies
    html = page.content.decode()
    published = Publication.objects.get().figures
    shown = next(f for f in published if f.get("realisation"))
    assert shown["name"] in html
    assert "tidak ada populasi" in html  # N/A with its reason, never 0 or achieved
    assert "Capaian IKK per tahun" in html and "<svg" in html
    # nothing beyond the published document: no review, no evidence, no draft, no operator
    for word in ("reviu", "data dukung", "DRAF", "operator_luwuk", "Endi Wahyudi"):
        assert word not in html, word


def test_the_data_come_as_csv_and_json_with_the_licence_and_checksums(world, signed):
    record_quarter(signed, 1)
    publication = services.publish(
        job=job(world.luwuk, "capaian", quarter=1), by=world.users["head_luwuk"]
    )
    response = Client().get("/publik/data/upt/lapas-luwuk.json")
    assert response.status_code == 200 and "creativecommons.org/licenses/by/4.0" in response["Link"]
    data = json.loads(response.content)
    assert data["lisensi"].endswith("(CC BY 4.0)")
    assert data["dokumen"][0]["sha256"] == publication.sha256
    assert data["dokumen"][0]["unduh"] == f"/publik/dokumen/{publication.id}/"
    rows = data["angka"]
    assert len(rows) == len(publication.figures)
    filled = [r for r in rows if r["realisasi"] is not None]
    assert filled and all(r["keterangan"] in ("", "belum diisi") or r["keterangan"] for r in rows)
    assert any(r["realisasi"] is None and "populasi" in r["keterangan"] for r in rows)
    text = Client().get("/publik/data/upt/lapas-luwuk.csv").content.decode()
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["kode_ikk"] for r in table] == [r["kode_ikk"] for r in rows]
    national = json.loads(Client().get(f"/publik/data/nasional.json?tahun={YEAR}").content)
    assert {r["upt"] for r in national["angka"]} == {"lapas-luwuk"}
    sitemap = Client().get("/publik/sitemap.xml").content.decode()
    assert "/publik/upt/lapas-luwuk/" in sitemap and "/publik/wilayah/kanwil-sulteng/" in sitemap


def test_search_by_name_city_region_and_type(world):
    client = Client()

    def found(query):
        html = client.get(f"/publik/?{query}").content.decode()
        return set(re.findall(r'href="/publik/upt/([-\w]+)/"', html))

    assert found("q=luwuk") == {"lapas-luwuk"}
    assert found("q=Atambua") == {"lapas-atambua"}
    assert found("wilayah=kanwil-ntt") == {"lapas-atambua"}
    assert found("tipe=lapas") == {"lapas-luwuk", "lapas-atambua"}
    assert found("tipe=rutan") == set()
    assert found("tipe=bukan-tipe&q=luwuk") == {"lapas-luwuk"}  # a bad choice is ignored
    assert client.get("/publik/?q=" + "x" * 5000).status_code == 200
    # a year that is not one (a superscript digit is a digit to Python, not to int()) is 404
    for year in ("²", "20²4", "99999", "-1"):
        assert client.get(f"/publik/?tahun={year}").status_code == 404, year
        assert client.get(f"/publik/data/nasional.csv?tahun={year}").status_code == 404, year


def test_the_region_sees_what_each_facility_published_and_when(world, signed, login):
    services.publish(job=job(world.luwuk, "pk"), by=world.users["head_luwuk"])
    page = login(world.users["evaluator_sulteng"]).get(
        f"/wilayah/kanwil-sulteng/publikasi/?tahun={YEAR}"
    )
    html = page.content.decode()
    assert page.status_code == 200
    row = html[html.index('id="publikasi-upt"') :]
    assert "Lapas Kelas IIB Luwuk" in row and "belum" in row
    assert "Perjanjian Kinerja: 1 UPT" in html
    assert (
        login(world.users["operator_luwuk"]).get("/wilayah/kanwil-sulteng/publikasi/").status_code
        == 404
    )


def test_the_national_aggregate_sums_the_published_counts(world, signed):
    record_quarter(signed, 1)
    record_quarter(signed, 4)
    services.publish(job=job(world.luwuk, "capaian", quarter=4), by=world.users["head_luwuk"])
    page = selectors.national_page(YEAR)
    assert page.facilities_with_figures == 1
    published = {f["code"]: f for f in Publication.objects.get().figures}
    for figure, aggregate in page.aggregates:
        mine = published[figure.code]
        if mine.get("values"):
            assert aggregate.sums == {k: Decimal(v) for k, v in mine["values"].items()}
            if aggregate.realisation is not None and aggregate.realisation.value is not None:
                assert aggregate.realisation.value == Decimal(mine["realisation"])


# --- Anonymous visitors --------------------------------------------------------------------------


def _candidates(demo) -> dict[str, list]:
    from tests.test_hardening_get import _values

    values = _values(
        {"atambua": demo, "luwuk": Unit.objects.get(slug="lapas-luwuk"), "row": _first_ikk(demo)}
    )
    values["publication_id"] = list(Publication.objects.values_list("id", flat=True))
    values["slug"] = values["slug"] + ["kanwil-contoh-01"]
    values["fmt"] = values["fmt"] + ["csv", "json"]
    return values


def _first_ikk(unit):
    from kinerja.planning.models import PerjanjianKinerja

    return (
        PerjanjianKinerja.objects.get(unit=unit, year=2023)
        .indicators.filter(indicator__level="ikk")
        .order_by("id")
        .first()
    )


PUBLIC_OK = {
    "public_home",
    "public_region",
    "public_facility",
    "public_document",
    "public_facility_data",
    "public_national_data",
    "public_sitemap",
}
# Open by design, holding no unit's data: logging in, password reset, the health check, the API's
# own schema and documentation page.
OPEN = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "api-v1:openapi-json",
    "api-v1:openapi-view",
}


def test_an_anonymous_visitor_gets_only_published_data_and_nothing_else(demo):
    client = Client()
    values = _candidates(demo)
    patterns = []
    for pattern in get_resolver("kinerja.urls").url_patterns:
        if isinstance(pattern, URLPattern):
            patterns.append((str(pattern.pattern), pattern.name))
        elif getattr(pattern, "namespace", None) == "api-v1":
            patterns += [
                (str(pattern.pattern) + str(p.pattern), f"api-v1:{p.name}")
                for p in pattern.url_patterns
            ]
    seen_public = set()
    for route, name in patterns:
        for url in _expand(route, values):
            response = client.get(url)
            status = response.status_code
            if name in PUBLIC_OK:
                if status == 200:
                    seen_public.add(name)
                    assert not response.cookies, url
                else:
                    # a unit that is not a facility or region; 410: the demo's stored file is not
                    # in this test's own media folder (the download itself: the correction test)
                    assert status in (404, 410), (url, status)
            elif name in OPEN or name == "logout":
                continue
            elif name.startswith("api-v1:"):
                assert status in (401, 404, 405), (url, status)
                assert b'"unauthorized"' in response.content or status != 401
            else:
                assert status in (302, 404, 405), (url, status)
                if status == 302:
                    assert response["Location"].startswith("/masuk/"), (url, response["Location"])
    assert seen_public >= PUBLIC_OK - {"public_document"}
    # What the published pages show: Atambua's signed PK, never its draft LKjIP nor its quarters
    # (drafts in the demo).
    html = client.get("/publik/upt/lapas-atambua/").content.decode()
    assert "Perjanjian Kinerja 2023" in html
    assert "LKjIP 2023" not in html and "Capaian kinerja" not in html
    assert "belum mempublikasikan" in client.get("/publik/upt/lapas-luwuk/").content.decode()
    # The head's own page is not public.
    assert client.get("/unit/lapas-atambua/publikasi/").status_code == 302
    # The demo's publications were made by the head, through the service.
    head = get_user_model().objects.get(username="kepala.atambua")
    assert set(Publication.objects.values_list("published_by", flat=True)) == {head.id}
