"""The REST API, `/api/v1/` (django-ninja): its schema at `/api/v1/openapi.json`, its interactive
documentation at `/api/v1/docs` (Swagger UI served by Kinerja, no CDN). Personal tokens
(`Authorization: Bearer kin_…`) or the browser's session. Every endpoint reads through the same
selectors as the pages and asks the same access rule (`Unit.objects.restrict`): another unit's
data is 404, exactly as a unit that does not exist. Errors have one shape (`schemas.Error`)."""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, Throttled, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, django_auth
from ninja.throttling import BaseThrottle

from kinerja.api import schemas
from kinerja.api.models import ApiToken
from kinerja.api.services import token_for
from kinerja.core.bounds import YEAR_MAX, YEAR_MIN
from kinerja.indicators.models import Indicator
from kinerja.measurement.exchange import result_records
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja

PAGE_SIZE = 100


class BearerToken(HttpBearer):
    """A personal token; the request then acts as its user (the pages' access rule applies)."""

    openapi_description = "Token pribadi dari halaman Token API (Authorization: Bearer kin_…)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for(token)
        if found is None:
            return None
        request.user = found.user
        return found


class PerToken(BaseThrottle):
    """At most `KINERJA_API_RATE` requests ("600/m") per token, or per user for the browser's
    session, counted in Django's cache (per process with the default local-memory cache: with
    two gunicorn processes a client may reach twice the rate). Thread-safe: nothing of one request
    is kept on the shared instance but in a thread-local."""

    _local = threading.local()
    UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def allow_request(self, request: HttpRequest) -> bool:
        count, per = settings.KINERJA_API_RATE.split("/")
        limit, seconds = int(count), self.UNITS[per[0]]
        auth = getattr(request, "auth", None)
        ident = f"token-{auth.pk}" if isinstance(auth, ApiToken) else f"user-{request.user.pk}"
        key = f"kinerja-api-rate-{ident}"
        now = time.monotonic()
        history = [t for t in cache.get(key, []) if t > now - seconds]
        if len(history) >= limit:
            self._local.wait = max(1, int(seconds - (now - min(history))) + 1)
            return False
        cache.set(key, [*history, now], seconds)
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


api = NinjaAPI(
    title="Kinerja API",
    version="1",
    description=(
        "Data kinerja UPT Pemasyarakatan: unit, katalog indikator, dan capaian per IKK. Angka "
        'desimal dikirim sebagai teks (mis. "110.09") agar tidak ada pembulatan biner; '
        "realisasi yang belum diisi adalah null, bukan nol."
    ),
    urls_namespace="api-v1",
    auth=[BearerToken(), django_auth],
    throttle=[PerToken()],
)


def error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    problems: list[dict[str, str]] | None = None,
) -> HttpResponse:
    problems = problems or []
    body = schemas.Error(
        status=status,
        code=code,
        message=message,
        field=problems[0]["field"] if problems else None,
        errors=[schemas.FieldProblem(**p) for p in problems],
    )
    return api.create_response(request, body.model_dump(), status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) if exc.args and str(exc) else "Tidak ditemukan."
    return error(request, 404, "not_found", message)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = exc.wait or 1
    response = error(
        request,
        429,
        "too_many_requests",
        f"Terlalu banyak permintaan dengan token ini; coba lagi dalam {wait} detik.",
    )
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(
        request,
        401,
        "unauthorized",
        "Perlu token yang sah (Authorization: Bearer kin_…) atau sesi masuk; token bisa saja "
        "sudah dicabut atau kedaluwarsa.",
    )


def _problem(item: dict[str, Any]) -> dict[str, str]:
    where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("", None))
    return {"field": where, "message": item.get("msg", "tidak sah")}


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error(request, 422, "invalid", "Masukan tidak sah.", [_problem(e) for e in exc.errors])


def _year(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404(f"Tahun {year} di luar rentang {YEAR_MIN}-{YEAR_MAX}.")
    return year


def _facility(request: HttpRequest, slug: str) -> Unit:
    unit = Unit.objects.restrict(request.user, "view").facilities().filter(slug=slug).first()
    if unit is None:
        raise Http404("UPT tidak ditemukan.")
    return unit


@api.get(
    "/units/", response=list[schemas.UnitOut], summary="Unit yang boleh dilihat", tags=["unit"]
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def units(request: HttpRequest) -> Any:
    """Pohon unit yang boleh dilihat pemanggil (Ditjen, Kanwil, UPT), urut menurut pohon; 100
    per halaman (`?page=`)."""
    return Unit.objects.restrict(request.user, "view").select_related("parent").order_by("path")


@api.get(
    "/indicators/",
    response=list[schemas.IndicatorOut],
    summary="Katalog indikator",
    tags=["katalog"],
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def indicators(request: HttpRequest) -> Any:
    """Katalog indikator dengan variabel, rumus, arah dan cara agregasinya; 100 per halaman."""
    return Indicator.objects.prefetch_related("variables").order_by("level", "order", "code")


class ThroughQuery(Schema):
    quarter: int | None = Query(  # type: ignore[assignment]
        None, ge=1, le=4, description="s.d. triwulan 1-4 (kosong: seluruh data tahun ini)"
    )


@api.get(
    "/units/{slug}/results/{year}",
    response={200: schemas.ResultsOut, 401: schemas.Error, 404: schemas.Error, 422: schemas.Error},
    summary="Capaian kinerja UPT",
    tags=["capaian"],
)
def results(request: HttpRequest, slug: str, year: int, filters: Query[ThroughQuery]) -> Any:
    """Per IKK dari PK yang berlaku: target, realisasi, capaian mentah dan dibatasi, N/A dengan
    alasannya dan perhitungannya; angka yang sama dengan halaman Capaian dan `kinerja results
    --json`. `?quarter=N`: s.d. triwulan N."""
    unit = _facility(request, slug)
    agreement = PerjanjianKinerja.objects.in_force(unit, _year(year))
    if agreement is None:
        raise Http404(f"Belum ada Perjanjian Kinerja {unit.name} tahun {year}.")
    return {
        "unit": unit.slug,
        "year": agreement.year,
        "through": filters.quarter,
        "pk_revision": agreement.revision,
        "pk_status": agreement.status,
        "results": result_records(agreement, through=filters.quarter),
    }
