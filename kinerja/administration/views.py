"""Administration for the national and regional administrators (not the Django admin, which stays
for superusers): the units they administer and the bulk onboarding workbook."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.core.downloads import content_download
from kinerja.core.uploads import refusal, upload_problems
from kinerja.organizations.models import HeadAppointment, OnboardingImport, Unit, UnitKind
from kinerja.organizations.onboarding import (
    first_login_link,
    onboard,
    onboarding_template,
    welcome,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def administered(request: HttpRequest):
    """The units this user administers (a regional administrator: the Kanwil and its facilities;
    the national administrator: all); 404 for anyone else, who learns nothing."""
    units = Unit.objects.restrict(request.user, "administer")
    if not units.exists():
        raise Http404("Halaman ini untuk admin Kanwil dan admin nasional.")
    return units


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = administered(request)
    today = timezone.localdate()
    heads = {
        a.unit_id: a
        for a in HeadAppointment.objects.filter(unit__in=units, start__lte=today)
        .exclude(end__lt=today)
        .select_related("person")
        .order_by("start")
    }
    rows = list(
        units.exclude(kind=UnitKind.DIRECTORATE)
        .select_related("parent")
        .annotate(
            users=Count("memberships__user", distinct=True),
            people_count=Count("people", distinct=True),
            signed=Count("agreements", filter=Q(agreements__status="signed"), distinct=True),
        )
    )
    return render(
        request,
        "administration/index.html",
        {
            "rows": [(u, heads.get(u.pk)) for u in rows],
            "imports": OnboardingImport.objects.filter(uploaded_by=request.user)[:10],
        },
    )


@login_required
def onboarding_template_download(request: HttpRequest) -> HttpResponse:
    administered(request)
    return content_download(
        onboarding_template(), filename="orientasi-kinerja.xlsx", content_type=XLSX
    )


def _own_import(request: HttpRequest, import_id: int) -> OnboardingImport:
    administered(request)
    return get_object_or_404(OnboardingImport, pk=import_id, uploaded_by=request.user)


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: the workbook is kept and checked, nothing written yet (the preview)."""
    scope = administered(request)
    if request.method != "POST":
        return render(request, "administration/onboarding.html", {})
    refused = upload_problems(request)
    upload = request.FILES.get("file")
    if refused or upload is None:
        for message in refused or ["Pilih buku kerja orientasi yang sudah diisi dulu."]:
            messages.error(request, message)
        return redirect("admin_onboarding")
    content = upload.read()
    limit = settings.KINERJA_IMPORT_MAX_BYTES
    if len(content) > limit:
        messages.error(request, refusal(upload.name, len(content), limit, "buku kerja orientasi"))
        return redirect("admin_onboarding")
    result = onboard(
        content=content, filename=upload.name, by=request.user, write=False, scope=scope
    )
    record = OnboardingImport(
        filename=upload.name[:255],
        uploaded_by=request.user,
        summary={"problems": len(result.problems), "changes": len(result.changes)},
    )
    record.file.save(upload.name[:100], ContentFile(content), save=False)
    record.save()
    return render(
        request,
        "administration/onboarding_preview.html",
        {"record": record, "result": result},
        status=200 if result.ok else 422,
    )


@login_required
@require_POST
def onboarding_apply(request: HttpRequest, import_id: int) -> HttpResponse:
    """Apply a checked workbook: checked again (the data may have changed since), written at once."""
    scope = administered(request)
    with transaction.atomic():
        record = _own_import(request, import_id)
        record = OnboardingImport.objects.select_for_update().get(pk=record.pk)
        if record.applied_at is not None:
            messages.info(request, f"{record.filename} sudah diterapkan.")
            return redirect("admin_onboarding_result", import_id=record.pk)
        with record.file.open("rb") as handle:
            content = handle.read()
        try:
            result = onboard(
                content=content,
                filename=record.filename,
                by=request.user,
                write=True,
                scope=scope,
            )
        except ValidationError as exc:  # changed meanwhile beyond what the check could see
            messages.error(request, " ".join(exc.messages))
            return redirect("admin_onboarding")
        if not result.ok:
            return render(
                request,
                "administration/onboarding_preview.html",
                {"record": record, "result": result},
                status=422,
            )
        record.applied_at = timezone.now()
        record.summary = {
            "changes": len(result.changes),
            "unchanged": result.unchanged,
            "lines": [f"{c.sheet}!baris {c.row}: {c.text}" for c in result.changes][:2000],
        }
        record.save(update_fields=["applied_at", "summary"])
        record.new_users.set(result.new_users)
    sent, _ = welcome(result.new_users) if result.new_users else ([], [])
    messages.success(
        request,
        f"{record.filename} diterapkan: {len(result.changes)} perubahan, {result.unchanged} sudah "
        f"sesuai."
        + (f" Tautan masuk pertama dikirim lewat surel ke {len(sent)} pengguna." if sent else ""),
    )
    return redirect("admin_onboarding_result", import_id=record.pk)


@login_required
def onboarding_result(request: HttpRequest, import_id: int) -> HttpResponse:
    """What an applied workbook changed, and the printable first-login links of its new accounts
    that have not logged in yet (made on reading; a token is a signature, nothing is stored)."""
    record = _own_import(request, import_id)
    if record.applied_at is None:
        raise Http404("Buku kerja ini belum diterapkan.")
    links = [
        (user, first_login_link(user))
        for user in record.new_users.order_by("username")
        if user.last_login is None and not user.has_usable_password() and user.is_active
    ]
    return render(
        request,
        "administration/onboarding_result.html",
        {
            "record": record,
            "links": links,
            "base": settings.KINERJA_BASE_URL.rstrip("/"),
            "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
