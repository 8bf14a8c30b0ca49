"""The REST API, `/api/v1/` (django-ninja): its schema at `/api/v1/openapi.json`, its interactive
documentation at `/api/v1/docs` (Swagger UI served by Kinerja, no CDN). Personal tokens
(`Authorization: Bearer kin_…`) or the browser's session. Every endpoint reads through the same
selectors as the pages and asks the same access rule (`Unit.objects.restrict`): another unit's
data is 404, exactly as a unit that does not exist. Errors have one shape (`schemas.Error`)."""

from __future__ import annotations

import re
import threading
import time
from decimal import Decimal
from typing import Annotated, Any, Literal, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError as ModelValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, NinjaAPI, Path, Query, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, django_auth
from ninja.throttling import BaseThrottle

from kinerja.api import schemas
from kinerja.api.models import ApiToken
from kinerja.api.services import token_for
from kinerja.budget.bulk_upload import spending_template, spending_upload
from kinerja.budget.exchange import budget_record
from kinerja.core.bounds import MAX_ID, YEAR_MAX, YEAR_MIN
from kinerja.core.downloads import content_download, file_download
from kinerja.core.locks import lock_message
from kinerja.core.uploads import upload_problems
from kinerja.dashboards import bulk
from kinerja.dashboards.rollup import rollup
from kinerja.dashboards.serialize import rollup_json
from kinerja.documents.models import DocumentJob, JobStatus
from kinerja.documents.services import job_start
from kinerja.indicators.models import Indicator, Level
from kinerja.measurement import services as measurement
from kinerja.measurement.bulk_upload import results_template, results_upload
from kinerja.measurement.exchange import result_record, result_records
from kinerja.measurement.selectors import ikk_rows, year_results
from kinerja.organizations.models import Unit, UnitKind
from kinerja.planning.exchange import action_plan_record, pk_record
from kinerja.planning.models import PerjanjianKinerja, PKIndicator, PKStatus
from kinerja.review.services import review_compute

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 100
MAX_PAGE = 1_000_000
# A number as other systems write it: digits, an optional decimal point (not Indonesian
# thousands separators: "1.500" is one and a half here, as in JSON).
NUMBER = re.compile(r"-?\d{1,20}(\.\d{1,10})?")


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
        ident = (
            f"token-{auth.digest[:24]}" if isinstance(auth, ApiToken) else f"user-{request.user.pk}"
        )
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


def errors(*statuses: int) -> dict[int, type[schemas.Error]]:
    """The error answers an endpoint documents, all in the one shape; 400 (a NUL character in a
    field, refused by `core.middleware.BoundedPathNumbers` before any view) on every one."""
    return dict.fromkeys((400, *statuses), schemas.Error)


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


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals in the API's shape; the CSRF check of a session write in Indonesian."""
    if exc.status_code == 403 and "CSRF" in str(exc):
        return error(
            request,
            403,
            "csrf",
            "Pemeriksaan CSRF gagal: dengan sesi masuk, kirim header X-CSRFToken berisi cookie "
            "csrftoken; sistem lain memakai token API.",
        )
    return error(request, exc.status_code, "http_error", str(exc))


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
    loc = [str(p) for p in item.get("loc", ()) if p not in ("", None)]
    if loc[:2] == ["body", "data"]:  # the body is the endpoint's `data` parameter: body.<field>
        loc = ["body", *loc[2:]]
    where = ".".join(loc)
    return {"field": where, "message": item.get("msg", "tidak sah")}


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error(request, 422, "invalid", "Masukan tidak sah.", [_problem(e) for e in exc.errors])


@api.exception_handler(Exception)
def locked_or_raise(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A write refused by a lock the request did not foresee (a colleague submitted the quarter a
    moment earlier; a database trigger): 409 with the lock's message. Anything else is a real
    error and goes on as one."""
    message = lock_message(exc)
    if message is None:
        raise exc
    return error(request, 409, "locked", message)


# A service's refusals that are about the state of things, not the input: the quarter's status,
# the entry window, an unsigned PK, an incomplete quarter (ValidationError codes).
CONFLICTS = {"locked", "window", "unsigned", "state", "incomplete"}


def _refused(request: HttpRequest, exc: ModelValidationError, field: str) -> HttpResponse:
    """A service's refusal: per field (422, located under `field`), of the state of things (409:
    the quarter's status, the entry window, an unsigned PK), or of the input as a whole (422 at
    `field`)."""
    if hasattr(exc, "error_dict"):
        problems = [
            {"field": f"{field}.{name}", "message": " ".join(messages)}
            for name, messages in exc.message_dict.items()
        ]
        return error(request, 422, "invalid", "Nilai tidak dapat disimpan.", problems)
    message = " ".join(exc.messages)
    code = getattr(exc, "code", None)
    if code in CONFLICTS:
        return error(request, 409, "refused", message)
    where = "body.month" if code == "period" else field
    return error(request, 422, "invalid", message, [{"field": where, "message": message}])


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
    "/me",
    response={200: schemas.MeOut, **errors(401, 429)},
    summary="Pemilik token",
    tags=["unit"],
)
def me(request: HttpRequest) -> Any:
    """Siapa yang memanggil: untuk menguji token (tanpa membaca data apa pun selain tokennya)."""
    user = _user(request)
    return {"username": user.get_username(), "name": user.get_full_name()}


class Pages(PageNumberPagination):
    """Ninja's pages with bounds: a page number past what any list holds is an empty page, never
    an OFFSET the database refuses (a 500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="halaman, mulai 1")
        page_size: int | None = Field(
            None, ge=1, le=PAGE_SIZE, description=f"baris per halaman, paling banyak {PAGE_SIZE}"
        )


@api.get(
    "/units/",
    response={200: list[schemas.UnitOut], **errors(401, 422, 429)},
    summary="Unit yang boleh dilihat",
    tags=["unit"],
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def units(request: HttpRequest) -> Any:
    """Pohon unit yang boleh dilihat pemanggil (Ditjen, Kanwil, UPT), urut menurut pohon; 100
    per halaman (`?page=`)."""
    return Unit.objects.restrict(request.user, "view").select_related("parent").order_by("path")


@api.get(
    "/indicators/",
    response={200: list[schemas.IndicatorOut], **errors(401, 422, 429)},
    summary="Katalog indikator",
    tags=["katalog"],
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def indicators(request: HttpRequest) -> Any:
    """Katalog indikator dengan variabel, rumus, arah dan cara agregasinya; 100 per halaman."""
    return Indicator.objects.prefetch_related("variables").order_by("level", "order", "code")


# The path's parts, with what they mean and an example from the demo (Swagger's "Try it out" and
# schemathesis' explicit examples start from them).
Slug = Annotated[str, Path(description="kode UPT", examples=["lapas-atambua"])]
Year = Annotated[int, Path(description="tahun PK", examples=[2023])]
QuarterNo = Annotated[int, Path(description="triwulan 1-4", examples=[4])]
Code = Annotated[str, Path(description="kode IKK", examples=["IKK-2.3"])]


class ThroughQuery(Schema):
    quarter: int | None = Query(  # type: ignore[assignment]
        None, ge=1, le=4, description="s.d. triwulan 1-4 (kosong: seluruh data tahun ini)"
    )


@api.get(
    "/units/{slug}/results/{year}",
    response={200: schemas.ResultsOut, **errors(401, 404, 422, 429)},
    summary="Capaian kinerja UPT",
    tags=["capaian"],
)
def results(request: HttpRequest, slug: Slug, year: Year, filters: Query[ThroughQuery]) -> Any:
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


def _agreement(request: HttpRequest, slug: str, year: int) -> PerjanjianKinerja:
    """The facility's PK of the year as its page shows it: the newest version not superseded."""
    unit = _facility(request, slug)
    agreement = PerjanjianKinerja.objects.latest_for(unit, _year(year))
    if agreement is None:
        raise Http404(f"Belum ada Perjanjian Kinerja {unit.name} tahun {year}.")
    return agreement


@api.get(
    "/units/{slug}/pk/{year}",
    response={200: dict[str, Any], **errors(401, 404, 422, 429)},
    summary="Perjanjian Kinerja UPT",
    tags=["rencana"],
)
def pk(request: HttpRequest, slug: Slug, year: Year) -> Any:
    """Versi PK terbaru yang tidak digantikan (draf yang sedang disusun atau yang berlaku): revisi,
    status, para pihak, tiga tabel (IKU, IKP, IKK) dengan sasaran, indikator dan target, dan
    tabel anggaran; sama dengan halaman PK."""
    return pk_record(_agreement(request, slug, year))


@api.get(
    "/units/{slug}/rencana-aksi/{year}",
    response={200: dict[str, Any], **errors(401, 404, 422, 429)},
    summary="Rencana Aksi UPT",
    tags=["rencana"],
)
def rencana_aksi(request: HttpRequest, slug: Slug, year: Year) -> Any:
    """Per IKK: kegiatan pendanaan dan pagunya, empat triwulan (target, rencana kegiatan, data
    dukung) dan RPD kegiatan; total pagu dan RPD menghitung setiap kegiatan sekali."""
    return action_plan_record(_agreement(request, slug, year))


@api.get(
    "/units/{slug}/budget/{year}",
    response={200: dict[str, Any], **errors(401, 404, 422, 429)},
    summary="Anggaran UPT",
    tags=["anggaran"],
)
def budget(request: HttpRequest, slug: Slug, year: Year) -> Any:
    """Pagu, blokir, rencana, realisasi dan penyerapan per jenis belanja, per baris DIPA dan
    total; SMART, IKPA dan Capaian Kinerja Anggaran (60/40); per IKK uang di belakangnya: sama
    dengan halaman Anggaran dan `kinerja budget --json`."""
    unit = _facility(request, slug)
    data = budget_record(unit, _year(year))
    if data is None:
        raise Http404(f"Belum ada data anggaran {unit.name} tahun {year}.")
    return data


@api.get(
    "/units/{slug}/review/{year}",
    response={200: dict[str, Any], **errors(401, 404, 422, 429)},
    summary="Reviu UPT",
    tags=["reviu"],
)
def review(request: HttpRequest, slug: Slug, year: Year) -> Any:
    """Setiap temuan reviu dengan aturan, tingkat, pesan, letak, kunci (aturan + kunci mengenali
    temuan), tautan perbaikan (`perbaiki`) dan penerimaan kepala UPT; dihitung seperti halaman
    Reviu, tanpa menyimpan apa pun."""
    unit = _facility(request, slug)
    return review_compute(unit=unit, year=_year(year)).as_json()


class RollupQuery(Schema):
    quarter: int | None = Query(  # type: ignore[assignment]
        None, ge=1, le=4, description="s.d. triwulan 1-4 (kosong: seluruh data tahun ini)"
    )


RegionSlug = Annotated[str, Path(description="kode Kanwil atau Ditjen", examples=["kanwil-ntt"])]


@api.get(
    "/units/{slug}/rollup/{year}",
    response={200: dict[str, Any], **errors(401, 404, 422, 429)},
    summary="Agregat Kanwil atau Ditjen",
    tags=["agregat"],
)
def rollup_get(
    request: HttpRequest, slug: RegionSlug, year: Year, filters: Query[RollupQuery]
) -> Any:
    """Per IKK: jumlah variabel UPT, realisasi dan capaian dari jumlah itu (ΣA/ΣB × 100, bukan
    rata-rata persentase) dengan perhitungannya, target agregat, jumlah UPT tercapai / hampir /
    tidak / N/A / belum melapor; di bawah `children` per Kanwil (atau per UPT untuk Kanwil). Sama
    dengan dasbor dan `kinerja rollup --json`."""
    unit = (
        Unit.objects.restrict(request.user, "view")
        .filter(slug=slug, kind__in=(UnitKind.KANWIL, UnitKind.DIRECTORATE))
        .first()
    )
    if unit is None:
        raise Http404("Kanwil atau Ditjen tidak ditemukan.")
    return rollup_json(rollup(unit, _year(year), quarter=filters.quarter))


QUARTERS = (1, 2, 3, 4)


def _user(request: HttpRequest) -> User:
    """The caller: every endpoint is authenticated (token or session) before it runs."""
    return cast(User, request.user)


def _quarter(quarter: int) -> int:
    if quarter not in QUARTERS:
        raise Http404("Triwulan harus 1-4.")
    return quarter


def _signed_pk(request: HttpRequest, slug: str, year: int, action: str) -> PerjanjianKinerja:
    """The signed PK in force of a facility this user may `action` on; 404 otherwise (the same
    rule as the entry page)."""
    unit = Unit.objects.restrict(request.user, action).facilities().filter(slug=slug).first()
    if unit is None:
        raise Http404("UPT tidak ditemukan.")
    agreement = (
        PerjanjianKinerja.objects.filter(unit=unit, year=_year(year), status=PKStatus.SIGNED)
        .select_related("unit__parent")
        .order_by("-revision")
        .first()
    )
    if agreement is None:
        raise Http404(f"Belum ada Perjanjian Kinerja yang ditandatangani {unit.name} tahun {year}.")
    return agreement


def _number(symbol: str, raw: str | int | None) -> Decimal | None:
    if raw is None:
        return None
    text = str(raw).strip()
    if not NUMBER.fullmatch(text):
        raise ValueError(
            f"{symbol}: '{text[:40]}' bukan angka; tulis dengan titik desimal, mis. 73 atau 12.5."
        )
    return Decimal(text)


def _ikk_row(agreement: PerjanjianKinerja, code: str) -> PKIndicator:
    row = (
        PKIndicator.objects.filter(
            agreement=agreement, indicator__code=code, indicator__level=Level.IKK
        )
        .select_related("indicator", "agreement__unit__parent")
        .prefetch_related("indicator__variables")
        .first()
    )
    if row is None:
        raise Http404(f"IKK {code} tidak ada pada Perjanjian Kinerja ini.")
    return row


def _plain(value: Decimal) -> str:
    """A stored value as sent back: every decimal it has, none it lacks ('73', '12.5')."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@api.put(
    "/units/{slug}/results/{year}/{quarter}/{code}",
    response={200: schemas.SavedOut, **errors(401, 403, 404, 409, 422, 429)},
    summary="Simpan realisasi satu IKK",
    tags=["capaian"],
    openapi_extra={
        "responses": {
            "200": {
                "links": {
                    "CapaianSetelahnya": {
                        "operationId": "kinerja_api_api_results",
                        "parameters": {"slug": "$request.path.slug", "year": "$request.path.year"},
                    },
                    "AjukanTriwulan": {
                        "operationId": "kinerja_api_api_transition",
                        "parameters": {
                            "slug": "$request.path.slug",
                            "year": "$request.path.year",
                            "quarter": "$request.path.quarter",
                        },
                    },
                }
            }
        }
    },
)
def result_put(
    request: HttpRequest,
    slug: Slug,
    year: Year,
    quarter: QuarterNo,
    code: Code,
    data: schemas.ResultIn,
) -> Any:
    """Nilai variabel kumulatif dan narasi satu IKK pada satu triwulan (atau bulan), lewat layanan
    yang sama dengan halaman pengisian: validasi, kunci status triwulan, masa pengisian Kanwil dan
    riwayat perubahan sama. Semua nilai atau tidak satu pun."""
    agreement = _signed_pk(request, slug, year, "change")
    row = _ikk_row(agreement, code)
    values: dict[str, Decimal | None] = {}
    problems = []
    for symbol, raw in data.values.items():
        try:
            values[symbol] = _number(symbol, raw)
        except ValueError as exc:
            problems.append({"field": f"body.values.{symbol}", "message": str(exc)})
    if problems:
        return error(request, 422, "invalid", "Nilai tidak dapat disimpan.", problems)
    try:
        realization = measurement.realization_save(
            pk_indicator=row,
            quarter=_quarter(quarter),
            values=values,
            narrative=data.narrative,
            by=_user(request),
            month=data.month,
        )
    except ModelValidationError as exc:
        return _refused(request, exc, "body.values")
    stored = {v.symbol: _plain(v.value) for v in realization.values.all()}
    figure = year_results(agreement, rows=ikk_rows(agreement).filter(pk=row.pk))[0]
    return {
        "code": code,
        "quarter": quarter,
        "month": data.month,
        "values": stored,
        "narrative": realization.narrative,
        "result": result_record(figure),
    }


@api.post(
    "/units/{slug}/results/{year}/{quarter}/{code}/evidence",
    response={201: schemas.EvidenceOut, **errors(401, 403, 404, 409, 413, 422, 429)},
    summary="Unggah data dukung satu IKK",
    tags=["capaian"],
    url_name="api_evidence",
)
def evidence_post(
    request: HttpRequest,
    slug: Slug,
    year: Year,
    quarter: QuarterNo,
    code: Code,
    file: UploadedFile | None = File(None),  # noqa: B008 - ninja's way of declaring a part
    month: Form[int | None] = None,
) -> Any:
    """Berkas PDF, JPG atau PNG (diperiksa menurut isinya, dengan batas ukuran yang sama dengan
    halaman pengisian) sebagai data dukung realisasi satu IKK (multipart, medan `file`; `month`
    untuk UPT yang mengisi bulanan)."""
    agreement = _signed_pk(request, slug, year, "change")
    row = _ikk_row(agreement, code)
    refused = upload_problems(request)
    if refused:
        return error(request, 413, "too_large", " ".join(refused))
    if file is None:
        message = "Pilih berkas data dukung dulu (medan file)."
        return error(request, 422, "invalid", message, [{"field": "body.file", "message": message}])
    try:
        evidence = measurement.evidence_add(
            pk_indicator=row,
            quarter=_quarter(quarter),
            data=file.read(),
            filename=file.name or "data-dukung",
            by=_user(request),
            month=month,
        )
    except ModelValidationError as exc:
        return _refused(request, exc, "body.file")
    return Status(
        201,
        {
            "id": evidence.pk,
            "code": code,
            "quarter": quarter,
            "month": month,
            "name": evidence.original_name,
            "content_type": evidence.content_type,
            "size": evidence.size,
        },
    )


@api.post(
    "/units/{slug}/quarters/{year}/{quarter}/transitions",
    response={200: schemas.QuarterOut, **errors(401, 403, 404, 409, 422, 429)},
    summary="Pindahkan laporan triwulan dalam alur kerja",
    tags=["alur kerja"],
)
def transition(
    request: HttpRequest, slug: Slug, year: Year, quarter: QuarterNo, data: schemas.TransitionIn
) -> Any:
    """Ajukan, setujui, kembalikan, verifikasi, kunci atau buka kembali laporan triwulan, menurut
    peran pemanggil (seperti tombol di halaman pengisian); setiap langkah tercatat."""
    agreement = _signed_pk(request, slug, year, "view")
    if data.action in ("return", "reopen") and not data.reason.strip():
        return error(
            request,
            422,
            "invalid",
            "Alasan wajib diisi.",
            [{"field": "body.reason", "message": "Alasan wajib diisi."}],
        )
    try:
        report = measurement.quarter_transition(
            agreement=agreement,
            quarter=_quarter(quarter),
            action=data.action,
            by=_user(request),
            reason=data.reason,
        )
    except PermissionError as exc:
        return error(request, 403, "forbidden", str(exc))
    except ModelValidationError as exc:
        return _refused(request, exc, "body")
    return {
        "unit": agreement.unit.slug,
        "year": agreement.year,
        "quarter": quarter,
        "status": report.status,
        "status_label": report.get_status_display(),
        "notices": [n.text for n in getattr(report, "notices", ())],
    }


# --- Documents as jobs ----------------------------------------------------------------------


def _job(job: DocumentJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "unit": job.unit.slug,
        "kind": job.kind,
        "year": job.year,
        "quarter": job.quarter,
        "format": job.format,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "step": job.step,
        "error": job.error,
        "draft": job.draft,
        "note": job.note,
        "file": f"/api/v1/jobs/{job.pk}/file"
        if job.status == JobStatus.DONE and job.file
        else None,
    }


@api.post(
    "/units/{slug}/documents",
    response={202: schemas.JobOut, **errors(401, 404, 409, 422, 429)},
    summary="Buat dokumen (pekerjaan latar belakang)",
    tags=["dokumen"],
    openapi_extra={
        "responses": {
            "202": {
                "links": {
                    "StatusPekerjaan": {
                        "operationId": "kinerja_api_api_job_get",
                        "parameters": {"job_id": "$response.body#/id"},
                    }
                }
            }
        }
    },
)
def document_create(request: HttpRequest, slug: Slug, data: schemas.DocumentIn) -> Any:
    """LKjIP, PK atau Laporan Capaian PK sebagai Word atau PDF, dibuat oleh pekerja latar
    belakang seperti dari halaman Dokumen; ikuti kemajuannya di `GET /api/v1/jobs/{id}`. Perlu
    peran yang boleh menjalankan (bukan hanya baca)."""
    unit = Unit.objects.restrict(request.user, "run").facilities().filter(slug=slug).first()
    if unit is None:
        raise Http404("UPT tidak ditemukan.")
    try:
        job = job_start(
            unit=unit,
            kind=data.kind,
            year=data.year,
            fmt=data.format,
            quarter=data.quarter,
            by=_user(request),
            draft=data.draft,
        )
    except ModelValidationError as exc:
        return _refused(request, exc, "body")
    job.unit = unit
    return Status(202, _job(job))


def _visible_job(request: HttpRequest, job_id: int) -> DocumentJob:
    job = (
        DocumentJob.objects.filter(
            pk=job_id if 0 < job_id <= MAX_ID else 0,
            unit__in=Unit.objects.restrict(request.user, "view").facilities(),
        )
        .select_related("unit")
        .first()
    )
    if job is None:
        raise Http404("Pekerjaan tidak ditemukan.")
    return job


JobId = Annotated[int, Path(description="nomor pekerjaan")]


@api.get(
    "/jobs/{job_id}",
    response={200: schemas.JobOut, **errors(401, 404, 422, 429)},
    summary="Status pekerjaan dokumen",
    tags=["dokumen"],
    openapi_extra={
        "responses": {
            "200": {
                "links": {
                    "BerkasPekerjaan": {
                        "operationId": "kinerja_api_api_job_file",
                        "parameters": {"job_id": "$response.body#/id"},
                    }
                }
            }
        }
    },
)
def job_get(request: HttpRequest, job_id: JobId) -> Any:
    """Status, kemajuan dan langkah pekerjaan; bila selesai, alamat berkasnya."""
    return _job(_visible_job(request, job_id))


@api.get(
    "/jobs/{job_id}/file",
    response=errors(401, 404, 409, 410, 422, 429),
    summary="Unduh berkas dokumen",
    tags=["dokumen"],
    openapi_extra={
        "responses": {
            "200": {
                "description": "berkas dokumen",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    DOCX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def job_file(request: HttpRequest, job_id: JobId) -> Any:
    """Berkas Word atau PDF pekerjaan yang sudah selesai (409 selama belum selesai atau bila
    gagal; 410 bila berkasnya hilang dari penyimpanan)."""
    job = _visible_job(request, job_id)
    if job.status != JobStatus.DONE or not job.file:
        return error(
            request, 409, "not_ready", f"Dokumen belum tersedia: {job.get_status_display()}."
        )
    if not job.file.storage.exists(job.file.name or ""):
        # the row says done, the file is gone from storage (a restore without it, a lost disk)
        return error(
            request,
            410,
            "gone",
            "Berkas dokumen tidak ada lagi di penyimpanan; buat ulang dokumennya.",
        )
    content_type = "application/pdf" if job.format == "pdf" else DOCX
    return file_download(job.file.open("rb"), filename=job.filename, content_type=content_type)


# --- Bulk export ---------------------------------------------------------------------------------


class ExportQuery(Schema):
    what: Literal["results", "budget", "reviu"] = Query(  # type: ignore[assignment]
        ..., description="results (capaian IKK), budget (anggaran), reviu (temuan reviu)"
    )
    years: str = Query(  # type: ignore[assignment]
        ...,
        pattern=r"^\d{4}(-\d{4})?$",
        description="tahun, 2023, atau rentang 2021-2025 (paling banyak 10 tahun, 2000-2100)",
    )
    format: Literal["xlsx", "csv"] = Query("xlsx", description="xlsx atau csv (UTF-8)")  # type: ignore[assignment]
    separator: Literal[",", ";"] = Query(  # type: ignore[assignment]
        ",", description='pemisah CSV; ";" untuk Excel berbahasa Indonesia (koma desimal)'
    )


AnySlug = Annotated[str, Path(description="kode UPT, Kanwil atau Ditjen", examples=["kanwil-ntt"])]


@api.get(
    "/units/{slug}/export",
    response=errors(401, 404, 422, 429),
    summary="Ekspor massal",
    tags=["ekspor"],
    openapi_extra={
        "responses": {
            "200": {
                "description": "tabel satu baris per UPT (dan IKK atau temuan) per tahun",
                "content": {
                    bulk.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def export(request: HttpRequest, slug: AnySlug, params: Query[ExportQuery]) -> Any:
    """Capaian, anggaran atau temuan reviu unit ini dan setiap UPT di bawahnya yang boleh dilihat
    pemanggil, untuk satu tahun atau rentang tahun; angka yang sama dengan halaman-halamannya."""
    unit = Unit.objects.restrict(request.user, "view").filter(slug=slug).first()
    if unit is None:
        raise Http404("Unit tidak ditemukan.")
    try:
        years = bulk.parse_years(params.years)
    except ValueError as exc:
        return error(
            request, 422, "invalid", str(exc), [{"field": "query.years", "message": str(exc)}]
        )
    facilities = Unit.objects.restrict(request.user, "view").facilities()
    try:
        content, filename, content_type = bulk.online_export(
            unit, facilities, params.what, years, params.format, params.separator
        )
    except ValueError as exc:
        return error(
            request, 422, "too_large", str(exc), [{"field": "query.years", "message": str(exc)}]
        )
    return content_download(content, filename=filename, content_type=content_type)


# --- Bulk results from a workbook ----------------------------------------------------------------

XLSX_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _changeable_below(request: HttpRequest, slug: str) -> tuple[Unit, QuerySet[Unit]]:
    """A unit the caller may see, and the facilities below it whose results they may change."""
    unit = Unit.objects.restrict(request.user, "view").filter(slug=slug).first()
    if unit is None:
        raise Http404("Unit tidak ditemukan.")
    facilities = (
        Unit.objects.restrict(request.user, "change")
        .facilities()
        .filter(path__startswith=unit.path)
    )
    return unit, facilities


XLSX_ANSWER = {
    "responses": {
        "200": {
            "description": "buku kerja templat",
            "content": {XLSX_CONTENT: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _refused_upload(request: HttpRequest, file: UploadedFile | None) -> HttpResponse | None:
    """An upload refused before it is read: too large (413), or no file (422)."""
    refused = upload_problems(request)
    if refused:
        return error(request, 413, "too_large", " ".join(refused))
    if file is None:
        message = "Pilih berkas templat yang sudah diisi (medan file)."
        return error(request, 422, "invalid", message, [{"field": "body.file", "message": message}])
    return None


def _upload_problems(request: HttpRequest, problems: list[Any], filename: str) -> HttpResponse:
    """Every problem of a checked workbook, each at its cell: 422, nothing written."""
    return error(
        request,
        422,
        "upload_problems",
        f"{len(problems)} masalah pada {filename}; tidak ada yang ditulis.",
        [{"field": p.location, "message": p.message} for p in problems],
    )


@api.get(
    "/units/{slug}/uploads/results/{year}/{quarter}/template",
    response=errors(401, 404, 422, 429),
    summary="Templat unggah realisasi",
    tags=["capaian"],
    openapi_extra=XLSX_ANSWER,
)
def results_template_get(
    request: HttpRequest, slug: AnySlug, year: Year, quarter: QuarterNo
) -> Any:
    """Templat Excel realisasi satu triwulan untuk UPT ini (atau setiap UPT di bawah Kanwil/Ditjen
    ini) yang boleh diubah pemanggil, berisi nilai yang sudah tercatat."""
    unit, facilities = _changeable_below(request, slug)
    content = results_template(facilities, _year(year), _quarter(quarter))
    return content_download(
        content,
        filename=f"realisasi-{unit.slug}-{year}-tw{quarter}.xlsx",
        content_type=XLSX_CONTENT,
    )


@api.post(
    "/units/{slug}/uploads/results/{year}/{quarter}",
    response={200: schemas.UploadOut, **errors(401, 404, 413, 422, 429)},
    summary="Unggah realisasi dari templat",
    tags=["capaian"],
    url_name="api_results_upload",
)
def results_upload_post(
    request: HttpRequest,
    slug: AnySlug,
    year: Year,
    quarter: QuarterNo,
    file: UploadedFile | None = File(None),  # noqa: B008 - ninja's way of declaring a part
    dry_run: Form[bool] = False,
) -> Any:
    """Templat yang diisi (multipart, medan `file`): diperiksa seluruhnya, setiap masalah dengan
    lembar, baris dan kolomnya (422, tidak ada yang ditulis); tanpa masalah semua baris ditulis
    sekaligus lewat layanan halaman pengisian, riwayatnya menyebut berkas ini. `dry_run`: periksa
    saja. Letak masalah ditulis `Realisasi!C7 (Kode IKK)`: lembar, sel, judul kolom."""
    unit, facilities = _changeable_below(request, slug)
    refused = _refused_upload(request, file)
    if refused is not None or file is None:
        return refused
    upload = results_upload(
        facilities=facilities,
        year=_year(year),
        quarter=_quarter(quarter),
        content=file.read(),
        filename=file.name or "realisasi.xlsx",
        by=_user(request),
        write=not dry_run,
    )
    if upload.problems:
        return _upload_problems(request, upload.problems, file.name or "berkas")
    return {"written": upload.written, "checked": len(upload.rows), "skipped": upload.skipped}


@api.get(
    "/units/{slug}/uploads/spending/{year}/template",
    response=errors(401, 404, 422, 429),
    summary="Templat unggah realisasi anggaran bulanan",
    tags=["anggaran"],
    openapi_extra=XLSX_ANSWER,
)
def spending_template_get(request: HttpRequest, slug: AnySlug, year: Year) -> Any:
    """Templat realisasi anggaran bulanan setahun untuk UPT ini (atau setiap UPT di bawah
    Kanwil/Ditjen ini) yang boleh diubah pemanggil, berisi realisasi yang sudah tercatat."""
    unit, facilities = _changeable_below(request, slug)
    content = spending_template(facilities, _year(year))
    return content_download(
        content, filename=f"realisasi-anggaran-{unit.slug}-{year}.xlsx", content_type=XLSX_CONTENT
    )


@api.post(
    "/units/{slug}/uploads/spending/{year}",
    response={200: schemas.SpendingUploadOut, **errors(401, 404, 413, 422, 429)},
    summary="Unggah realisasi anggaran bulanan dari templat",
    tags=["anggaran"],
    url_name="api_spending_upload",
)
def spending_upload_post(
    request: HttpRequest,
    slug: AnySlug,
    year: Year,
    file: UploadedFile | None = File(None),  # noqa: B008 - ninja's way of declaring a part
    dry_run: Form[bool] = False,
) -> Any:
    """Templat yang diisi (multipart, medan `file`): diperiksa seluruhnya, setiap masalah dengan
    selnya (422, tidak ada yang ditulis); tanpa masalah bulan yang berubah ditulis sekaligus lewat
    layanan halaman anggaran. `dry_run`: periksa saja."""
    unit, facilities = _changeable_below(request, slug)
    refused = _refused_upload(request, file)
    if refused is not None or file is None:
        return refused
    upload = spending_upload(
        facilities=facilities,
        year=_year(year),
        content=file.read(),
        filename=file.name or "realisasi-anggaran.xlsx",
        write=not dry_run,
    )
    if upload.problems:
        return _upload_problems(request, upload.problems, file.name or "berkas")
    return {"written": upload.written, "changed": len(upload.changes), "rows": upload.lines}
