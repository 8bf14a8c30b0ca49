from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kinerja.documents.exporters import ExportError
from kinerja.documents.renaksi import renaksi_pdf, renaksi_xlsx
from kinerja.imports.forms import UploadForm
from kinerja.imports.models import ImportRecord, ImportStatus
from kinerja.imports.services import (
    MAX_UPLOAD_BYTES,
    ImportRejected,
    plan_summary,
    renaksi_check,
    renaksi_import,
    renaksi_upload,
)
from kinerja.organizations.access import facility_or_404
from kinerja.planning.models import PerjanjianKinerja


@login_required
def renaksi_upload_view(request, slug: str):
    unit = facility_or_404(request, slug, "change")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", f"Berkas lebih dari {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        else:
            try:
                record = renaksi_upload(
                    unit=unit,
                    year=form.cleaned_data["year"],
                    data=upload.read(),
                    filename=upload.name,
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error("file", " ".join(exc.messages))
            else:
                return redirect("renaksi_preview", slug=unit.slug, record_id=record.id)
    imports = ImportRecord.objects.filter(unit=unit, status=ImportStatus.IMPORTED).select_related(
        "uploaded_by"
    )[:10]
    return render(request, "imports/upload.html", {"unit": unit, "form": form, "imports": imports})


@login_required
def renaksi_preview(request, slug: str, record_id: int):
    unit = facility_or_404(request, slug, "change")
    record = get_object_or_404(ImportRecord.objects.filter(unit=unit), pk=record_id)
    with record.file.open("rb") as handle:
        data = handle.read()
    if request.method == "POST" and record.status == ImportStatus.PENDING:
        try:
            renaksi_import(
                unit=unit,
                year=record.year,
                data=data,
                filename=record.filename,
                by=request.user,
                pending=record,
            )
        except ImportRejected:
            messages.error(
                request,
                "Impor dibatalkan: perbaiki kesalahan di bawah lalu unggah ulang berkasnya.",
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Rencana Aksi {record.year} diimpor dari {record.filename}.")
            return redirect(
                f"{reverse('unit_detail', args=[unit.slug])}?tahun={record.year}#rencana-aksi"
            )
    checked = renaksi_check(data=data, filename=record.filename, year=record.year)
    existing = PerjanjianKinerja.objects.latest_for(unit, record.year)
    return render(
        request,
        "imports/preview.html",
        {
            "unit": unit,
            "record": record,
            "summary": plan_summary(checked),
            "ok": checked.ok,
            "existing": existing,
        },
    )


@login_required
def renaksi_download(request, slug: str, year: str, fmt: str):
    unit = facility_or_404(request, slug, "view")
    year = int(year)
    agreement = PerjanjianKinerja.objects.latest_for(unit, year)  # unit is already restricted
    if agreement is None:
        raise Http404("Perjanjian Kinerja tidak ditemukan.")
    exporter = {"xlsx": renaksi_xlsx, "pdf": renaksi_pdf}[fmt]
    try:
        export = exporter(agreement=agreement)
    except ExportError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('unit_detail', args=[unit.slug])}?tahun={year}")
    response = HttpResponse(export.content, content_type=export.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
