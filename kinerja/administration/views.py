"""Administration for the national and regional administrators (not the Django admin, which stays
for superusers): the units they administer and the bulk onboarding workbook."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from kinerja.administration.forms import (
    AppointmentForm,
    NewFacilityForm,
    OrganisationNameForm,
    PersonForm,
    RoleForm,
    UnitForm,
)
from kinerja.core.downloads import content_download
from kinerja.core.formatting import format_date
from kinerja.core.uploads import refusal, upload_problems
from kinerja.organizations.models import (
    HeadAppointment,
    Membership,
    OnboardingImport,
    OrganisationName,
    Person,
    Role,
    Unit,
    UnitKind,
)
from kinerja.organizations.onboarding import (
    first_login_link,
    onboard,
    onboarding_template,
    welcome,
)
from kinerja.organizations.services import (
    account_create,
    appointment_add,
    membership_grant,
    membership_revoke,
    organisation_name_set,
    person_save,
    unit_create,
    unit_save,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is login_required


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
            "imports": OnboardingImport.objects.filter(uploaded_by=_me(request))[:10],
            "national": _national(units),
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
    return get_object_or_404(OnboardingImport, pk=import_id, uploaded_by=_me(request))


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
    name = upload.name or "orientasi.xlsx"
    limit = settings.KINERJA_IMPORT_MAX_BYTES
    if len(content) > limit:
        messages.error(request, refusal(name, len(content), limit, "buku kerja orientasi"))
        return redirect("admin_onboarding")
    result = onboard(content=content, filename=name, by=_me(request), write=False, scope=scope)
    record = OnboardingImport(
        filename=name[:255],
        uploaded_by=_me(request),
        summary={"problems": len(result.problems), "changes": len(result.changes)},
    )
    record.file.save(name[:100], ContentFile(content), save=False)
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
                by=_me(request),
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


# --- one unit: its facts, people, heads of record and users -----------------------------------


def _national(units) -> bool:
    return units.filter(kind=UnitKind.DIRECTORATE).exists()


def _recent_changes(unit: Unit, limit: int = 20) -> list[dict]:
    """The latest recorded changes of the unit, its people, heads and roles, newest first."""
    kinds = {"+": "dibuat", "~": "diubah", "-": "dihapus"}
    rows = []
    for label, history in (
        ("Unit", Unit.history.filter(id=unit.id)),
        ("Pegawai", Person.history.filter(unit_id=unit.id)),
        ("Kepala", HeadAppointment.history.filter(unit_id=unit.id)),
        ("Peran", Membership.history.filter(unit_id=unit.id)),
    ):
        for h in history.select_related("history_user").order_by("-history_date")[:limit]:
            rows.append(
                {
                    "at": h.history_date,
                    "what": label,
                    "text": str(h.instance),
                    "kind": kinds.get(h.history_type, h.history_type),
                    "by": (h.history_user.get_full_name() or h.history_user.username)
                    if h.history_user
                    else "sistem",
                    "reason": h.history_change_reason or "",
                }
            )
    return sorted(rows, key=lambda r: r["at"], reverse=True)[:limit]


def _unit_context(request, unit: Unit, units, **forms_given) -> dict:
    national = _national(units)
    editable = unit.kind == UnitKind.UPT or national
    return {
        "unit": unit,
        "editable": editable,
        "unit_form": forms_given.get("unit_form")
        or (UnitForm(instance=unit, prefix="unit") if editable else None),
        "person_form": forms_given.get("person_form") or PersonForm(prefix="pegawai"),
        "editing_person": forms_given.get("editing_person"),
        "head_form": forms_given.get("head_form") or AppointmentForm(unit=unit, prefix="kepala"),
        "role_form": forms_given.get("role_form")
        or RoleForm(unit=unit, national=national, prefix="peran"),
        "people": Person.objects.filter(unit=unit).order_by("name"),
        "heads": HeadAppointment.objects.filter(unit=unit).select_related("person"),
        "memberships": Membership.objects.filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__username"),
        "children": unit.children.order_by("name") if unit.kind == UnitKind.KANWIL else [],
        "changes": _recent_changes(unit),
        "new_link": forms_given.get("new_link"),
        "base": settings.KINERJA_BASE_URL.rstrip("/"),
    }


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
    else:
        for problem in exc.messages:
            form.add_error(None, problem)


@login_required
def unit_page(request: HttpRequest, slug: str) -> HttpResponse:
    units = administered(request)
    unit = get_object_or_404(units.select_related("parent"), slug=slug)
    if request.method != "POST":
        context = _unit_context(request, unit, units)
        person_id = request.GET.get("pegawai", "")
        if (person_id.isascii() and person_id.isdigit()) and len(person_id) < 10:
            shown = get_object_or_404(Person, pk=int(person_id), unit=unit)
            context["editing_person"] = shown
            context["person_form"] = PersonForm(instance=shown, prefix="pegawai")
        return render(request, "administration/unit.html", context)
    part = request.POST.get("bagian", "")
    here = redirect("admin_unit", slug=unit.slug)
    given: dict = {}
    if part == "unit":
        context = _unit_context(request, unit, units)
        if not context["editable"]:
            raise Http404("Data Kanwil diubah oleh admin nasional.")
        form = UnitForm(request.POST, instance=Unit.objects.get(pk=unit.pk), prefix="unit")
        if form.is_valid():
            try:
                unit_save(
                    unit=Unit.objects.get(pk=unit.pk),
                    by=_me(request),
                    **{f: form.cleaned_data[f] for f in UnitForm.Meta.fields},
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "Data unit disimpan.")
                return here
        given["unit_form"] = form
    elif part == "pegawai":
        raw = request.POST.get("pegawai_id", "")
        person: Person | None = (
            get_object_or_404(Person, pk=int(raw), unit=unit)
            if (raw.isascii() and raw.isdigit()) and len(raw) < 10
            else None
        )
        person_form = PersonForm(request.POST, instance=person, prefix="pegawai")
        if person_form.is_valid():
            try:
                saved = person_save(
                    unit=unit,
                    person=Person.objects.get(pk=person.pk) if person else None,
                    name=person_form.cleaned_data["name"],
                    nip=person_form.cleaned_data["nip"],
                    position=person_form.cleaned_data["position"],
                    by=_me(request),
                )
            except ValidationError as exc:
                _form_error(person_form, exc)
            else:
                messages.success(request, f"Pegawai {saved.name} disimpan.")
                return here
        given["person_form"], given["editing_person"] = person_form, person
    elif part == "kepala":
        head_form = AppointmentForm(request.POST, unit=unit, prefix="kepala")
        if head_form.is_valid():
            data = head_form.cleaned_data
            try:
                appointed = appointment_add(
                    unit=unit,
                    person=data["person"],
                    title=data["title"],
                    start=data["start"],
                    end=data["end"],
                    by=_me(request),
                )
            except ValidationError as exc:
                _form_error(head_form, exc)
            else:
                closed = "".join(
                    f" Penunjukan {c.person.name} diakhiri {format_date(c.end)}."
                    for c in appointed.closed
                )
                messages.success(
                    request,
                    f"{data['person'].name} tercatat sebagai kepala sejak "
                    f"{format_date(data['start'])}.{closed}",
                )
                return here
        given["head_form"] = head_form
    elif part == "peran":
        role_form = RoleForm(request.POST, unit=unit, national=_national(units), prefix="peran")
        if role_form.is_valid():
            data = role_form.cleaned_data
            existing = get_user_model().objects.filter(username=data["username"]).first()
            try:
                with transaction.atomic():
                    if existing is None:
                        if not data["full_name"].strip():
                            raise ValidationError(
                                {"full_name": "Pengguna baru: isi nama lengkapnya."}
                            )
                        account = account_create(
                            username=data["username"],
                            full_name=data["full_name"],
                            email=data["email"],
                            by=_me(request),
                        )
                    else:
                        account = existing
                    membership_grant(user=account, unit=unit, role=data["role"])
            except ValidationError as exc:
                _form_error(role_form, exc)
            else:
                label = Role(data["role"]).label
                if existing is not None:
                    messages.success(request, f"{account.username} kini {label} di {unit.name}.")
                    return here
                sent, _ = welcome([account])
                if sent:
                    messages.success(
                        request,
                        f"Akun {account.username} dibuat sebagai {label}; tautan masuk pertama "
                        f"dikirim ke {account.email}.",
                    )
                    return here
                # No address (or the mail failed): the link is shown once, on this answer.
                context = _unit_context(
                    request, unit, units, new_link=(account, first_login_link(account))
                )
                return render(request, "administration/unit.html", context)
        given["role_form"] = role_form
    else:
        raise Http404("Bagian tidak dikenal.")
    return render(
        request,
        "administration/unit.html",
        _unit_context(request, unit, units, **given),
        status=422,
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    units = administered(request)
    unit = get_object_or_404(units, slug=slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, unit=unit
    )
    if membership.user_id == request.user.pk and membership.role == Role.REGIONAL_ADMIN:
        messages.error(request, "Anda tidak dapat mencabut peran admin Anda sendiri.")
        return redirect("admin_unit", slug=unit.slug)
    membership_revoke(membership=membership, by=_me(request))
    messages.success(
        request,
        f"Peran {membership.get_role_display()} {membership.user.username} di {unit.name} dicabut.",
    )
    return redirect("admin_unit", slug=unit.slug)


@login_required
def facility_new(request: HttpRequest) -> HttpResponse:
    """A new facility under a Kanwil this user administers; its code is made from type and city."""
    units = administered(request)
    regions = units.filter(kind=UnitKind.KANWIL).order_by("name")
    form = NewFacilityForm(request.POST or None, regions=regions, prefix="unit")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        base_slug = slugify(f"{data['facility_type']} {data['city'] or data['name']}")[:70]
        slug, n = base_slug, 1
        while Unit.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base_slug}-{n}"
        try:
            unit = unit_create(
                slug=slug,
                kind=UnitKind.UPT,
                parent=data["parent"],
                **{f: data[f] for f in UnitForm.Meta.fields if f != "results_by_month"},
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{unit.name} ditambahkan dengan kode {unit.slug}.")
            return redirect("admin_unit", slug=unit.slug)
    return render(
        request,
        "administration/facility_new.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
def organisation_names(request: HttpRequest) -> HttpResponse:
    """The names of the ministry, the directorate and the regional offices by period (national
    administrator): a document of a year prints the names in force that year."""
    units = administered(request)
    if not _national(units):
        raise Http404("Nama organisasi diatur oleh admin nasional.")
    form = OrganisationNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = organisation_name_set(
                unit=data["unit"], valid_from=data["valid_from"], name=data["name"], by=_me(request)
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{entry.name} berlaku sejak {entry.valid_from}.")
            return redirect("admin_names")
    entries = OrganisationName.objects.select_related("unit").order_by("unit__path", "valid_from")
    history = list(
        OrganisationName.history.select_related("history_user").order_by("-history_date")[:20]
    )
    return render(
        request,
        "administration/names.html",
        {"form": form, "entries": entries, "history": history},
        status=422 if form.errors else 200,
    )
