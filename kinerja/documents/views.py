"""Documents page: generate the PK, the quarterly Laporan Capaian PK and the LKjIP as Word or PDF in
the background, follow their progress, download the files; and edit the LKjIP's narrative parts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.core.bounds import year_or_404
from kinerja.core.downloads import file_download
from kinerja.documents import drafts, lkjip_data, services
from kinerja.documents.forms import FIELDS, ReportFactsForm
from kinerja.documents.models import DocumentJob, JobStatus
from kinerja.organizations.access import facility_or_404, may
from kinerja.organizations.models import Unit
from kinerja.review.models import ReviewRun


def _year(request) -> int:
    return year_or_404(
        request.GET.get("tahun") or request.POST.get("tahun"), timezone.localdate().year
    )


def _jobs(unit: Unit, year: int):
    return DocumentJob.objects.filter(unit=unit, year=year).select_related("created_by")[:15]


@login_required
def documents_page(request, slug: str):
    unit = facility_or_404(request, slug)
    year = _year(request)
    jobs = list(_jobs(unit, year))
    return render(
        request,
        "documents/documents.html",
        {
            "unit": unit,
            "year": year,
            "jobs": jobs,
            "pending": any(not j.finished for j in jobs),
            "can_edit": may(request.user, unit, "change"),
            "can_run": may(request.user, unit, "run"),
            "quarters": [(1, "TW I"), (2, "TW II"), (3, "TW III"), (4, "TW IV")],
            "review_run": ReviewRun.objects.filter(unit=unit, year=year).first(),
        },
    )


@login_required
def jobs_fragment(request, slug: str):
    """The job list alone, polled by htmx while a job is running."""
    unit = facility_or_404(request, slug)
    year = _year(request)
    jobs = list(_jobs(unit, year))
    return render(
        request,
        "documents/_jobs.html",
        {"unit": unit, "year": year, "jobs": jobs, "pending": any(not j.finished for j in jobs)},
    )


@login_required
@require_POST
def job_create(request, slug: str):
    # A job writes (its row, the file, the LKjIP's review run): not for read-only roles.
    unit = facility_or_404(request, slug, "run")
    year = _year(request)
    quarter = request.POST.get("triwulan")
    try:
        services.job_start(
            unit=unit,
            kind=request.POST.get("dokumen", ""),
            year=year,
            fmt=request.POST.get("format", ""),
            quarter=int(quarter) if quarter and (quarter.isascii() and quarter.isdigit()) else None,
            by=request.user,
            draft=request.POST.get("draf") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Dokumen sedang dibuat; kemajuannya tampil di bawah.")
    return redirect(f"{reverse('documents', args=[unit.slug])}?tahun={year}")


@login_required
def job_download(request, slug: str, job_id: int):
    unit = facility_or_404(request, slug)
    job = get_object_or_404(DocumentJob, pk=job_id, unit=unit, status=JobStatus.DONE)
    if not job.file:
        raise Http404("Berkas tidak ada.")
    return file_download(job.file.open("rb"), filename=job.filename)


@login_required
def narratives_page(request, slug: str, year: int):
    """The LKjIP's narrative sections: each shows what was saved or the automatic draft."""
    unit = facility_or_404(request, slug, "change")
    data = lkjip_data.gather(unit, year)
    keys = drafts.section_keys(data)
    errors = []
    if request.method == "POST":
        texts, reset = {}, set()
        for key, _label in keys:
            field = f"s-{key}"
            if request.POST.get(f"reset-{key}"):
                reset.add(key)
            elif field in request.POST:
                text = request.POST[field].replace("\r\n", "\n").strip()
                if key in data.sections or text != drafts.draft(data, key).strip():
                    texts[key] = text
        try:
            changed = services.sections_save(
                unit=unit, year=year, texts=texts, reset=reset, by=request.user
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"{changed} bagian disimpan.")
            return redirect("narratives", slug=unit.slug, year=year)
    return _narratives(request, unit, year, data, keys, errors)


def _narratives(request, unit, year, data, keys, errors, facts_form=None):
    sections = []
    for key, label in keys:
        text, is_draft = drafts.text(data, key)
        if request.method == "POST" and f"s-{key}" in request.POST:
            text = request.POST[f"s-{key}"]
        sections.append({"key": key, "label": label, "text": text, "is_draft": is_draft})
    if facts_form is None:
        facts_form = ReportFactsForm(instance=data.report, year=year)
    return render(
        request,
        "documents/narratives.html",
        {
            "unit": unit,
            "year": year,
            "sections": sections,
            "errors": errors,
            "facts_form": facts_form,
        },
        status=422 if errors or facts_form.errors else 200,
    )


@login_required
@require_POST
def report_facts(request, slug: str, year: int):
    """The report's own facts: place and date, the cover letter's number, nature and attachment,
    the team decree's number and date."""
    unit = facility_or_404(request, slug, "change")
    year = year_or_404(str(year), year)
    data = lkjip_data.gather(unit, year)
    form = ReportFactsForm(request.POST, instance=data.report, year=year)
    if not form.is_valid():
        return _narratives(request, unit, year, data, drafts.section_keys(data), [], form)
    services.report_facts_save(
        unit=unit, year=year, values={name: form.cleaned_data[name] for name in FIELDS}
    )
    messages.success(request, "Data laporan disimpan.")
    return redirect("narratives", slug=unit.slug, year=year)
