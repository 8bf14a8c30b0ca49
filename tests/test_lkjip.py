"""The LKjIP's structure as a reader meets it, for every demo facility-year with a PK: the chapters in
order (in the Word file and in the PDF's outline), one row per IKK of the PK in the summary table and
one results table per IKK with the target, realisation and achievement the results selector gives,
and the computation shown step by step. And the layering of the builder: the chapter modules only
lay out what `lkjip.data.gather` read, so they import no models and no database code."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import docx
import pypdf
import pytest
from django.core.management import call_command

from kinerja import calc
from kinerja.core.formatting import format_number
from kinerja.documents import lkjip, reports
from kinerja.documents.common import figure, target_text
from kinerja.measurement.selectors import year_results
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja

CHAPTERS = [
    "KATA PENGANTAR",
    "IKHTISAR EKSEKUTIF",
    "BAB I PENDAHULUAN",
    "BAB II PERENCANAAN KINERJA",
    "BAB III AKUNTABILITAS KINERJA",
    "BAB IV PENUTUP",
    "LAMPIRAN",
]
NO_DATA = "tidak ada data"


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def _walk(content: bytes) -> list[tuple]:
    """The Word body in reading order: ('h', level, text), ('p', text), ('t', caption, rows)."""
    word = docx.Document(io.BytesIO(content))
    out, last_para = [], ""
    for element in word.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[1]
        if tag == "p":
            para = docx.text.paragraph.Paragraph(element, word)
            style = para.style.name if para.style is not None else ""
            match = re.fullmatch(r"Heading (\d)", style)
            if match:
                out.append(("h", int(match.group(1)), para.text))
            else:
                out.append(("p", para.text))
            if para.text.strip():
                last_para = para.text
        elif tag == "tbl":
            table = docx.table.Table(element, word)
            rows = []
            for row in table.rows:
                cells, seen = [], set()
                for c in row.cells:  # a merged cell is returned once per grid column
                    if id(c._tc) not in seen:
                        seen.add(id(c._tc))
                        cells.append(c.text.strip())
                rows.append(cells)
            out.append(("t", last_para if last_para.startswith("Tabel ") else "", rows))
    return out


def _expected(result) -> list[str]:
    """Target, realisation and achievement of the report's year as the results selector gives them."""
    row = result.row
    target = target_text(row)
    if not result.recorded:
        return [target, NO_DATA, NO_DATA]
    if result.realisation.is_na:
        return [target, "N/A", "N/A"]
    realisation = figure(result.realisation.value, row.target_unit)
    achieved = result.achievement
    if achieved is None or achieved.is_na:
        return [target, realisation, "N/A"]
    text = f"{format_number(achieved.capped, 2)}%"
    if achieved.cap_applied:
        text += f" (tanpa batas {format_number(achieved.raw, 2)}%)"
    return [target, realisation, text]


def _steps(result) -> list[str]:
    """The computation's steps as `measurement.selectors` gives them, labelled as printed."""
    return [
        f"{'Realisasi' if s.kind == calc.StepKind.REALISATION else 'Capaian'} = {s.text}"
        for s in result.steps
    ]


@pytest.mark.parametrize("slug,year", [("lapas-atambua", 2023), ("lapas-luwuk", 2024)])
def test_lkjip_has_its_chapters_in_order_and_every_ikk_with_the_selectors_figures(demo, slug, year):
    unit = Unit.objects.get(slug=slug)
    results = year_results(PerjanjianKinerja.objects.in_force(unit, year))
    assert results
    body = _walk(reports.generate("lkjip", unit, year, "docx").content)

    chapters = [text for kind, *rest in body if kind == "h" and rest[0] == 1 for text in rest[1:]]
    assert chapters == CHAPTERS
    pdf = pypdf.PdfReader(io.BytesIO(reports.generate("lkjip", unit, year, "pdf").content))
    assert [o.title for o in pdf.outline if not isinstance(o, list)] == CHAPTERS
    # BAB III's parts in order, after BAB II and before BAB IV
    parts = [b[2] for b in body if b[0] == "h" and b[1] in (1, 2)]
    bab3 = parts.index("BAB III AKUNTABILITAS KINERJA")
    assert parts[bab3 : bab3 + 5] == [
        "BAB III AKUNTABILITAS KINERJA",
        "A. Capaian Kinerja Organisasi",
        "B. Realisasi Anggaran",
        "C. Capaian Kinerja Anggaran",
        "D. Capaian Kinerja Lainnya",
    ]

    # the summary table: one row per IKK of the PK, in the PK's order, with the selector's figures
    summary = next(b[2] for b in body if b[0] == "t" and b[1].startswith("Tabel 3.1 Capaian"))
    rows = summary[2:]
    assert len(rows) == len(results)
    for row, result in zip(rows, results, strict=True):
        code = result.row.indicator.code
        assert row[2] == f"{result.row.number}. {result.row.indicator.name}", code
        assert row[3:6] == _expected(result), code

    # per IKK: its heading in order, its results table, and the computation shown step by step
    headings = [b[2] for b in body if b[0] == "h" and b[1] == 3]
    assert headings == [f"{r.row.indicator.code} {r.row.indicator.name}" for r in results]
    starts = [i for i, b in enumerate(body) if b[0] == "h" and b[1] == 3] + [
        next(i for i, b in enumerate(body) if b[0] == "h" and b[2] == "B. Realisasi Anggaran")
    ]
    spans = list(zip(starts, starts[1:], strict=False))
    for result, (start, end) in zip(results, spans, strict=True):
        code, part = result.row.indicator.code, body[start:end]
        texts = [b[1] for b in part if b[0] == "p"]
        tables = {b[1].split(" ", 2)[2]: b[2] for b in part if b[0] == "t" and b[1]}
        if not result.recorded:
            assert f"Realisasi Tahun {year} belum dicatat." in texts, code
            continue
        own = tables[f"Target dan Realisasi {code} Tahun {year}"]
        assert own[1] == [result.row.indicator.name, *_expected(result)], code
        if result.realisation.is_na:
            assert any(
                t.startswith(f"Realisasi: N/A — {result.realisation.na_reason}") for t in texts
            ), code
            continue
        steps = _steps(result)
        assert steps, code
        for step in steps:
            assert step in texts, (code, step)
        if result.row.target is not None:
            assert steps[-1].startswith("Capaian = "), code


def test_lkjip_without_a_pk_still_has_every_chapter_and_says_the_pk_is_missing(demo):
    unit = Unit.objects.get(slug="lapas-luwuk")
    assert PerjanjianKinerja.objects.in_force(unit, 2023) is None
    body = _walk(reports.generate("lkjip", unit, 2023, "docx").content)
    assert [b[2] for b in body if b[0] == "h" and b[1] == 1] == CHAPTERS
    texts = [b[1] for b in body if b[0] == "p"]
    assert "Perjanjian Kinerja 2023 belum dibuat." in texts
    headings = [b[2] for b in body if b[0] == "h"]
    assert not any(h.startswith(("Lampiran 2.", "Lampiran 3.")) for h in headings)
    assert not any(h.startswith("IKK-") for h in headings)


def test_the_gathered_report_is_frozen_data(demo):
    import dataclasses

    report = lkjip.gather(Unit.objects.get(slug="lapas-atambua"), 2023)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.year = 2024
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.ikks[0].target = None


# --- layering -------------------------------------------------------------------------------------

PACKAGE = Path(lkjip.__file__).parent
FORBIDDEN = (
    re.compile(r"^django\.db(\.|$)"),
    re.compile(r"^kinerja\.\w+\.models(\.|$)"),
    re.compile(r"^kinerja\.calc$"),  # figures come computed in the data
    re.compile(r"^kinerja\.\w+\.selectors$"),  # reads belong to data.gather
    re.compile(r"^kinerja\.documents\.lkjip_data$"),
)


def forbidden_imports(source: str) -> list[str]:
    """The modules a source imports that a layout module must not (`from x import models` too)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return sorted({n for n in names if any(p.match(n) for p in FORBIDDEN)})


def test_the_import_check_catches_model_database_and_calculation_imports():
    assert forbidden_imports("from kinerja.budget.models import LineLevel") == [
        "kinerja.budget.models",
        "kinerja.budget.models.LineLevel",
    ]
    assert forbidden_imports("from kinerja.planning import models") == ["kinerja.planning.models"]
    assert forbidden_imports("import django.db.models") == ["django.db.models"]
    assert forbidden_imports("from django.db import connection") == [
        "django.db",
        "django.db.connection",
    ]
    assert forbidden_imports("from kinerja import calc") == ["kinerja.calc"]
    assert forbidden_imports("from kinerja.measurement import selectors") == [
        "kinerja.measurement.selectors"
    ]
    assert forbidden_imports("from kinerja.core.formatting import format_number") == []


def test_lkjip_chapter_modules_import_no_models_and_no_database_code():
    modules = sorted(p for p in PACKAGE.glob("*.py") if p.name != "data.py")
    assert {p.stem for p in modules} >= {"cover", "bab1", "bab2", "bab3", "bab4", "lampiran"}
    for path in modules:
        assert forbidden_imports(path.read_text()) == [], path.name
