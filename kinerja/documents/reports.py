"""The three documents (PK, Laporan Capaian PK, LKjIP) in Word and PDF behind one call with one
shape, used by the command line, the background job and the tests: options in, `Export` out."""

from __future__ import annotations

from kinerja.core.formatting import TRIWULAN
from kinerja.core.render import docx_render, pdf_render
from kinerja.core.render.export import PDF, Export, ExportError
from kinerja.documents import capaian_doc, lkjip, pk_doc
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = ("lkjip", "pk", "capaian")
FORMATS = ("docx", "pdf")


def build(
    kind: str,
    unit: Unit,
    year: int,
    quarter: int | None = None,
    progress=None,
    draft: bool = False,
    findings: list | None = None,
):
    """The document's blocks (see `doc`), before rendering. `findings`: the review's, when the
    caller has just run it."""
    if kind not in KINDS:
        raise ExportError(f"Jenis dokumen tidak dikenal: {kind!r} (pilih lkjip, pk atau capaian).")
    if kind == "lkjip":
        return lkjip.build(lkjip.gather(unit, year, findings=findings), progress, draft=draft)
    agreement = PerjanjianKinerja.objects.latest_for(unit, year)
    if agreement is None:
        raise ExportError(f"{unit.name} belum memiliki Perjanjian Kinerja tahun {year}.")
    if kind == "pk":
        return pk_doc.build(agreement)
    # Results are read from the version in force, not from a revision still being prepared.
    agreement = PerjanjianKinerja.objects.in_force(unit, year)
    if quarter not in (1, 2, 3, 4):
        raise ExportError("Laporan Capaian PK memerlukan triwulan 1-4 (--quarter).")
    return capaian_doc.build(agreement, quarter)


def filename(
    kind: str, unit: Unit, year: int, quarter: int | None, fmt: str, draft: bool = False
) -> str:
    name = {"lkjip": "LKjIP", "pk": "Perjanjian-Kinerja", "capaian": "Laporan-Capaian-PK"}[kind]
    tw = f"-{TRIWULAN[quarter].replace(' ', '')}" if kind == "capaian" and quarter else ""
    return f"{name}-{year}{tw}-{unit.slug}{'-DRAF' if draft else ''}.{fmt}"


def lkjip_gate(unit: Unit, year: int, draft: bool) -> tuple[bool, str, list]:
    """Generating the LKjIP runs the review; open errors keep it a draft (watermarked "DRAF").
    Returns (draft, why, the review's findings for the drafts)."""
    from kinerja.review.services import review_run

    review = review_run(
        unit=unit, year=year, trigger="pembuatan draf LKjIP" if draft else "pembuatan LKjIP"
    )
    findings = list(review.findings)
    if draft or not review.blocks_final:
        return draft, "", findings
    return (
        True,
        f"Versi final diblokir oleh reviu: {review.open_errors} galat belum diperbaiki atau "
        f"diterima dengan penjelasan. Dokumen dibuat sebagai DRAF.",
        findings,
    )


def generate(
    kind: str,
    unit: Unit,
    year: int,
    fmt: str,
    quarter: int | None = None,
    progress=None,
    draft: bool = False,
) -> Export:
    """The document as a file. An LKjIP asked for as final is a draft while the review has open
    errors; `Export.note` says so."""
    if fmt not in FORMATS:
        raise ExportError(f"Format tidak dikenal: {fmt!r} (pilih docx atau pdf).")
    progress = progress or (lambda pct, step: None)
    note, findings = "", None
    if kind == "lkjip":
        progress(2, "Menjalankan reviu")
        draft, note, findings = lkjip_gate(unit, year, draft)
    else:
        draft = False
    document = build(kind, unit, year, quarter, progress, draft=draft, findings=findings)
    progress(85, "Menyusun berkas Word" if fmt == "docx" else "Menyusun berkas PDF")
    if fmt == "docx":
        content, mimetype = docx_render.render(document), DOCX
    else:
        content, mimetype = pdf_render.render_pdf(document), PDF
    progress(100, "Selesai")
    return Export(
        filename(kind, unit, year, quarter, fmt, draft), mimetype, content, draft=draft, note=note
    )
