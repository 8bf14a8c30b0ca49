from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kinerja.core.downloads import content_download
from kinerja.core.render.export import ExportError
from kinerja.core.uploads import upload_problems
from kinerja.imports.forms import UploadForm
from kinerja.imports.models import ImportRecord, ImportStatus
from kinerja.imports.services import (
    ImportRejected,
    kept_check,
    renaksi_check,
    renaksi_import,
    renaksi_upload,
)
from kinerja.organizations.access import facility_or_404
from kinerja.planning.models import PerjanjianKinerja
from kinerja.planning.renaksi_export import renaksi_pdf, renaksi_xlsx


@login_required
def renaksi_upload_view(request, slug: str):
    unit = facility_or_404(request, slug, "change")
    form = UploadForm(request.POST or None, request.FILES or None)
    refused = upload_problems(request) if request.method == "POST" else []
    if refused:  # too large: refused while it arrived, never read whole
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", refused)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
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
    """The file was checked once, on upload; this page shows the kept result and never parses
    the file. Confirming checks it once more inside the import (the catalogue may have changed)."""
    unit = facility_or_404(request, slug, "change")
    record = get_object_or_404(ImportRecord.objects.filter(unit=unit), pk=record_id)
    if request.method == "POST" and record.status == ImportStatus.PENDING:
        with record.file.open("rb") as handle:
            data = handle.read()
        if request.POST.get("aksi") == "periksa":
            # The user answered the questions the file could not: check again with the answers
            # and keep the result (the totals change when a label is read as separate lines).
            asked = {q["key"] for q in record.summary.get("questions", [])}
            chosen = frozenset(k for k in request.POST.getlist("terpisah") if k in asked)
            record.summary = kept_check(
                renaksi_check(
                    data=data,
                    filename=record.filename,
                    year=record.year,
                    unit=unit,
                    separate=chosen,
                )
            )
            record.save(update_fields=["summary"])
            messages.info(request, "Berkas diperiksa ulang dengan pilihan Anda.")
            return redirect("renaksi_preview", slug=unit.slug, record_id=record.id)
        try:
            renaksi_import(
                unit=unit,
                year=record.year,
                data=data,
                filename=record.filename,
                by=request.user,
                pending=record,
                separate=frozenset(record.summary.get("separate", [])),
            )
        except ImportRejected as exc:
            record.summary = kept_check(exc.checked)
            record.save(update_fields=["summary"])
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
        return redirect("renaksi_preview", slug=unit.slug, record_id=record.id)
    summary = record.summary if record.summary.get("checked") else None
    if summary is None and record.status == ImportStatus.IMPORTED:  # imported by the command
        summary = {**record.summary, "errors": [], "warnings": record.warnings, "ok": True}
    if summary is None:  # kept from before checks were stored: not parsed here, uploaded again
        summary = {
            "errors": [
                {
                    "location": record.filename,
                    "message": "Hasil pemeriksaan berkas ini tidak tersimpan; unggah ulang berkasnya.",
                }
            ],
            "warnings": [],
            "ok": False,
        }
    existing = PerjanjianKinerja.objects.latest_for(unit, record.year)
    return render(
        request,
        "imports/preview.html",
        {
            "unit": unit,
            "record": record,
            "summary": summary,
            "ok": summary.get("ok", False),
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
    return content_download(export.content, filename=export.filename, content_type=export.mimetype)
