"""Export of the Rencana Aksi: the office layout in XLSX (re-importable) and a PDF for signing."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from kinerja.core.render.export import ExportError
from kinerja.imports.services import renaksi_check, renaksi_import
from kinerja.planning import services
from kinerja.planning.models import PerjanjianKinerja
from kinerja.planning.renaksi_export import renaksi_pdf, renaksi_xlsx
from tests.conftest import require
from tests.test_imports import XLSX


def dump(agreement: PerjanjianKinerja) -> dict:
    """The whole plan as plain values, for comparing two plans."""
    return {
        "goals": [(g.number, g.name) for g in agreement.goals.order_by("number")],
        "indicators": [
            (
                r.indicator.code,
                r.number,
                r.target,
                r.target_unit,
                r.activity.name if r.activity else None,
                r.ra_status,
                r.ra_remarks,
                r.blocked_amount,
                [
                    (q.quarter, q.planned_activity, q.evidence_expected, q.achievement_text)
                    for q in r.quarters.order_by("quarter")
                ],
            )
            for r in agreement.indicators.select_related("indicator", "activity").order_by(
                "goal__number", "number"
            )
        ],
        "activities": sorted(
            (
                a.name,
                a.pagu,
                tuple(
                    (q.quarter, q.planned_disbursement, q.realised)
                    for q in a.quarters.order_by("quarter")
                ),
            )
            for a in agreement.activities.all()
        ),
    }


@pytest.fixture
def luwuk_plan(world):
    renaksi_import(unit=world.luwuk, year=2024, data=XLSX.read_bytes(), filename=XLSX.name)
    return PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)


def test_export_then_import_gives_back_the_same_plan(world, luwuk_plan):
    export = renaksi_xlsx(agreement=luwuk_plan)
    assert export.filename == "rencana-aksi-lapas-luwuk-2024.xlsx"
    before = dump(luwuk_plan)
    # Imported again by the same facility (the draft's plan is replaced by the file's).
    renaksi_import(unit=world.luwuk, year=2024, data=export.content, filename=export.filename)
    copy = PerjanjianKinerja.objects.get(unit=world.luwuk, year=2024)
    assert dump(copy) == before
    assert copy.activities.count() == 13  # shared activities are still recognised as shared
    # Another facility's file is refused by its title, not imported as its own plan.
    checked = renaksi_check(
        data=export.content, filename=export.filename, year=2024, unit=world.atambua
    )
    assert not checked.ok
    assert checked.plan.errors[0].message.startswith(
        "Judul berkas tidak menyebut Lapas Kelas IIB Atambua"
    )


def test_the_exported_workbook_keeps_the_office_layout(luwuk_plan):
    ws = openpyxl.load_workbook(io.BytesIO(renaksi_xlsx(agreement=luwuk_plan).content)).active
    assert ws["A4"].value == "SASARAN KEGIATAN" and ws["O4"].value == "KETERANGAN"
    assert ws["C5"].value == 0.85 and "%" in ws["C5"].number_format
    assert ws["F5"].value == 5160600000 and ws["F5"].number_format == "#,##0"
    assert ws["I8"].value == "TW IV"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"B5:B8", "E5:E8", "F5:F8", "A5:A32", "I4:J4"} <= merged
    checked = renaksi_check(data=renaksi_xlsx(agreement=luwuk_plan).content, filename="x.xlsx")
    office = renaksi_check(data=XLSX.read_bytes(), filename=XLSX.name)
    # The office's formula flaw and both RPD mismatches travel with the plan: the export checks
    # as the office's own workbook does.
    assert checked.ok and len(checked.plan.warnings) == len(office.plan.warnings) == 3


def test_the_pdf_has_the_plan_in_indonesian_format(world, luwuk_plan, tmp_path):
    services.pk_update(
        agreement=luwuk_plan,
        first_party=world.head_person,
        first_party_title="Kepala Lapas Kelas IIB Luwuk",
    )
    export = renaksi_pdf(agreement=luwuk_plan)
    assert export.content.startswith(b"%PDF") and export.mimetype == "application/pdf"
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) tidak terpasang")
    path = tmp_path / export.filename
    path.write_bytes(export.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "RENCANA KEGIATAN PERJANJIAN KINERJA" in text
    assert "5.160.600.000" in text and "1.012.304.000" in text
    assert "Rp 9.485.886.000" in text  # total pagu, each activity once
    assert "Halaman 1 dari" in text
    assert "Endi Wahyudi" in text and "NIP. 197009121993031001" in text  # signature block


def test_an_empty_plan_cannot_be_exported(world):
    agreement = services.pk_create(unit=world.luwuk, year=2030, from_catalogue=False)
    with pytest.raises(ExportError, match="belum berisi indikator"):
        renaksi_xlsx(agreement=agreement)


def test_the_export_command_writes_xlsx_and_pdf(luwuk_plan, tmp_path):
    for suffix in ("xlsx", "pdf"):
        target = tmp_path / f"ra.{suffix}"
        call_command(
            "export-renaksi",
            "--unit",
            "lapas-luwuk",
            "--year",
            "2024",
            "-o",
            str(target),
            stdout=io.StringIO(),
        )
        assert target.stat().st_size > 1000
    with pytest.raises(CommandError, match="harus berakhiran .xlsx atau .pdf"):
        call_command(
            "export-renaksi",
            "--unit",
            "lapas-luwuk",
            "--year",
            "2024",
            "-o",
            str(tmp_path / "ra.doc"),
        )
    with pytest.raises(CommandError, match="Belum ada Perjanjian Kinerja"):
        call_command(
            "export-renaksi",
            "--unit",
            "lapas-luwuk",
            "--year",
            "2031",
            "-o",
            str(tmp_path / "x.xlsx"),
        )
