"""The automatic drafts of the LKjIP's narratives (documents/drafts.py) on the demo's Atambua 2023:
every percentage and Rupiah figure they state is a figure the report's own tables and paragraphs
show (same formatting, same rounding), no placeholder is left, the recommendations are not
repeated, an IKK below target names its weakest quarter, an IKK without results says so without a
percentage, and reading the notes, quarter reports, evidence and findings does not cost a query per
IKK."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.core.render import doc
from kinerja.documents import drafts, lkjip, lkjip_data
from kinerja.measurement.models import (
    MonitoringNote,
    QuarterReport,
    RealizationStatus,
    Transition,
)
from kinerja.measurement.services import realization_save

YEAR = 2023
OWN_KEYS = ("isu_strategis", "saran")  # plus every analisis:<code>

NUMBER = r"\d{1,3}(?:\.\d{3})*(?:,\d+)?"
STATED = re.compile(rf"Rp\s?({NUMBER})|({NUMBER})\s?%")
SHOWN = re.compile(rf"(?<![\d.,]){NUMBER}(?![\d])")
QUOTED = re.compile(r"“[^”]*”")


def _stated(text: str) -> set[str]:
    """The percentages and Rupiah figures a draft states, outside the words it quotes (the
    facility's narratives, the region's notes and rule titles are quoted as written)."""
    text = QUOTED.sub("", text)
    return {rupiah or percent for rupiah, percent in STATED.findall(text)}


def _texts(block) -> list[str]:
    if isinstance(block, doc.Table):
        cells = [c for row in (block.header or []) + block.rows for c in row]
        return [c.text if isinstance(c, doc.Cell) else str(c) for c in cells] + [block.note]
    if isinstance(block, doc.Para | doc.Heading):
        return [block.text]
    if isinstance(block, doc.Bullets):
        return list(block.items)
    return []


def _shown(report) -> tuple[set[str], dict[str, set[str]]]:
    """The numbers the report shows without any narrative (tables, their notes, the computed
    paragraphs): in the whole document, and per IKK in its own part of BAB III."""
    document = lkjip.build(dataclasses.replace(report, narratives={}))
    everything: set[str] = set()
    per_ikk: dict[str, set[str]] = {}
    current = None
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, doc.Heading):
                code = block.text.split(" ", 1)[0]
                current = code if block.level == 3 and code.startswith("IKK-") else None
            for text in _texts(block):
                numbers = set(SHOWN.findall(text))
                everything |= numbers
                if current:
                    per_ikk.setdefault(current, set()).update(numbers)
    return everything, per_ikk


def test_every_figure_a_draft_states_is_a_figure_of_the_report(demo):
    source = lkjip_data.gather(demo, YEAR)
    report = lkjip.data.from_source(source)
    everything, per_ikk = _shown(report)
    checked = 0
    for key, _ in drafts.section_keys(source):
        if key not in OWN_KEYS and not key.startswith("analisis:"):
            continue
        text = drafts.draft(source, key)
        scope = per_ikk[key.split(":", 1)[1]] if key.startswith("analisis:") else everything
        stated = _stated(text)
        assert stated <= scope, (key, sorted(stated - scope), text)
        checked += len(stated)
    assert checked > 50  # the drafts do state figures: achievements, money, last year


def test_the_drafts_leave_no_placeholder_and_repeat_no_recommendation(demo):
    source = lkjip_data.gather(demo, YEAR)
    for key, _ in drafts.section_keys(source):
        text = drafts.draft(source, key)
        assert "(Uraikan" not in text and "(Tuliskan" not in text, key
    bullets = [line for line in drafts.draft(source, "saran").splitlines() if line.startswith("- ")]
    assert len(bullets) == len(set(bullets)) > 1
    assert not any("Menyusun langkah perbaikan" in b for b in bullets)


def test_strategic_issues_and_suggestions_name_what_the_data_show(demo):
    source = lkjip_data.gather(demo, YEAR)
    issues = drafts.draft(source, "isu_strategis")
    suggestions = drafts.draft(source, "saran")
    missed = source.groups()["kurang"]
    assert missed
    for r in missed:
        code, achieved = r.row.indicator.code, drafts._pct(r.achievement.capped)
        assert f"{r.row.name} ({code}) belum mencapai target: capaian {achieved}" in issues
        assert f"({r.row.indicator.code}), yang pada {YEAR} hanya mencapai" in suggestions
    assert "Jumlah Kendaraan Bermotor (IKK-4.6) belum mencapai target: capaian 66,67%" in issues
    for r in source.groups()["na"]:
        assert r.row.indicator.code in issues
    assert "IKK belum mencapai target (lihat Bab III.A)" not in issues
    # the review's open errors, and the quarter reports not submitted (the demo's TW IV is a draft)
    assert "galat yang belum diperbaiki" in issues
    assert "Memperbaiki temuan reviu" in suggestions
    assert not re.search(r"\b[A-Z]{3}-\d{2}\b", suggestions), "no rule ids in the report's text"
    assert "Laporan TW I, TW II, TW III dan TW IV Tahun 2023 belum diajukan" in issues


def test_an_ikk_without_results_says_so_and_states_no_percentage(demo):
    source = lkjip_data.gather(demo, YEAR)
    empty = source.groups()["kosong"]
    assert empty  # IKK-2.1 and IKK-2.6 have no realisation in 2023
    for r in empty:
        text = drafts.draft(source, f"analisis:{r.row.indicator.code}")
        assert "belum dicatat" in text and "belum diisi" in text
        assert "%" not in text and "0,00" not in text


def test_an_ikk_without_population_gives_the_reason(demo):
    source = lkjip_data.gather(demo, YEAR)
    for r in source.groups()["na"]:
        text = drafts.draft(source, f"analisis:{r.row.indicator.code}")
        assert r.realisation.na_reason in text and "tidak dihitung sebagai tercapai" in text


def test_a_missed_ikk_names_its_weakest_quarter_and_the_quarter_narratives(demo):
    source = lkjip_data.gather(demo, YEAR)
    row = next(r.row for r in source.results if r.row.indicator.code == "IKK-4.7")
    assert row.target == 43  # TW targets 13 + 10 + 10 + 10
    # year-to-date counts: TW I 13 (13 of 13), TW II 14 (1 of 10), TW III 18 (4 of 10), TW IV 21
    for quarter, value, narrative in (
        (1, 13, "Pengadaan 13 unit komputer selesai."),
        (2, 14, "Pengadaan tertunda karena revisi anggaran."),
        (3, 18, ""),
    ):
        realization_save(
            pk_indicator=row, quarter=quarter, values={"A": D(value)}, narrative=narrative
        )
    source = lkjip_data.gather(demo, YEAR)
    text = drafts.draft(source, "analisis:IKK-4.7")
    assert "belum mencapai target" in text
    assert (
        "Triwulan yang paling tertinggal adalah TW II: kenaikan 1 dari target triwulan 10" in text
    )
    assert "(capaian triwulan 10,00%)" in text
    assert "TW I target 13, kenaikan 13 (capaian triwulan 100,00%)" in text
    assert "Menurut catatan triwulan: TW I “Pengadaan 13 unit komputer selesai.”" in text
    assert "TW II “Pengadaan tertunda karena revisi anggaran.”" in text
    saran = drafts.draft(source, "saran")
    bullet = next(line for line in saran.splitlines() if "(IKK-4.7)" in line)
    assert "pada TW II, TW III dan TW IV" in bullet and "10,00%" in bullet
    # and the figures are still the report's
    report = lkjip.data.from_source(source)
    _everything, per_ikk = _shown(report)
    assert _stated(text) <= per_ikk["IKK-4.7"]


def test_notes_returns_and_findings_are_read_for_all_ikk_at_once(demo):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            lkjip_data.gather(demo, YEAR)
        return len(captured)

    before = queries()
    source = lkjip_data.gather(demo, YEAR)
    rows = [r.row for r in source.results]
    for row in rows[:6]:
        MonitoringNote.objects.create(pk_indicator=row, quarter=4, text=f"Catatan {row.id}")
    report = QuarterReport.objects.create(agreement=source.agreement, quarter=2)
    Transition.objects.create(
        report=report,
        from_status=RealizationStatus.SUBMITTED,
        to_status=RealizationStatus.RETURNED,
        reason="Data dukung TW II belum diunggah",
        at=dt.datetime(2023, 7, 10, tzinfo=dt.UTC),
    )
    assert queries() <= before  # six notes and a returned quarter: no query more
    source = lkjip_data.gather(demo, YEAR)
    code = rows[0].indicator.code
    assert f"Catatan monitoring Kanwil: TW IV “Catatan {rows[0].id}”" in drafts.draft(
        source, f"analisis:{code}"
    )
    issues = drafts.draft(source, "isu_strategis")
    assert "Laporan TW II 2023 dikembalikan dengan alasan “Data dukung TW II belum diunggah”" in (
        issues
    )
    assert "agar laporan tidak dikembalikan seperti TW II 2023" in drafts.draft(source, "saran")
