"""The annual report (LKjIP) of a facility and year, in the structure of DOMAIN.md: cover, Kata
Pengantar, table of contents, Ikhtisar Eksekutif, BAB I-IV and the appendices (team decree, the
signed PK, the quarterly Laporan Capaian PK). Tables and charts come from `lkjip_data.gather`, the
narrative parts from what the user saved or the automatic draft."""

from __future__ import annotations

from decimal import Decimal

from kinerja import calc
from kinerja.budget.models import LineLevel
from kinerja.core.formatting import BULAN, TRIWULAN, format_date, format_number, format_rupiah
from kinerja.core.render import charts, doc
from kinerja.documents import capaian_doc, drafts, pk_doc
from kinerja.documents.common import figure, letterhead, place_date, signer_lines
from kinerja.documents.common import target_text as target_of
from kinerja.documents.lkjip_data import SPENDING_LABELS, LkjipData
from kinerja.organizations.selectors import head_on
from kinerja.reporting.models import AnnualReport

PRINTED_NOTE = (
    "* angka sebagaimana tercetak pada laporan tahun tersebut (tanpa data hitungan di Kinerja)."
)
NO_DATA = "tidak ada data"


class Builder:
    def __init__(self, data: LkjipData, progress=None, draft: bool = False):
        self.data = data
        self.progress = progress or (lambda pct, step: None)
        self.draft = draft
        self.tables = 0
        self.figures = 0
        self.chapter = ""

    # --- helpers --------------------------------------------------------------------------------

    def caption(self, text: str) -> str:
        self.tables += 1
        return f"Tabel {self.chapter}.{self.tables} {text}"

    def figure_caption(self, text: str) -> str:
        self.figures += 1
        return f"Grafik {self.chapter}.{self.figures} {text}"

    def start_chapter(self, number: str) -> None:
        self.chapter, self.tables, self.figures = number, 0, 0

    def narrative(self, key: str) -> list:
        text, _is_draft = drafts.text(self.data, key)
        blocks, bullets = [], []
        for chunk in text.replace("\r\n", "\n").split("\n\n"):
            lines = [line for line in chunk.split("\n") if line.strip()]
            for line in lines:
                if line.lstrip().startswith("- "):
                    bullets.append(line.lstrip()[2:])
                    continue
                if bullets:
                    blocks.append(doc.Bullets(bullets))
                    bullets = []
                blocks.append(doc.Para(line))
            if bullets:
                blocks.append(doc.Bullets(bullets))
                bullets = []
        return blocks

    def signature(self) -> doc.Signature:
        report: AnnualReport = self.data.report
        head = head_on(self.data.unit, report.report_date)
        return doc.Signature(
            [
                signer_lines(
                    [place_date(report.place, report.report_date), f"Kepala {self.data.unit.name}"],
                    head.person if head else None,
                )
            ],
            gap_after=[2],
        )

    # --- parts ----------------------------------------------------------------------------------

    def cover(self) -> list:
        unit, year = self.data.unit, self.data.year
        lines = letterhead(unit)
        return [
            doc.Para("\n".join(lines), align="center", bold=True, size=12),
            doc.Para("\n\n\n", align="center"),
            doc.Heading(
                f"LAPORAN KINERJA INSTANSI PEMERINTAH\n(LKjIP)\nTAHUN {year}", level=0, toc=False
            ),
            doc.Para("\n\n", align="center"),
            doc.Para(unit.name.upper(), align="center", bold=True, size=14),
            doc.Para(unit.address or "", align="center"),
            doc.PageBreak(),
        ]

    def front(self) -> list:
        blocks = [doc.Heading("KATA PENGANTAR", 1)]
        blocks += self.narrative("kata_pengantar")
        blocks.append(self.signature())
        blocks.append(doc.PageBreak())
        blocks.append(doc.Contents())
        blocks.append(doc.Heading("IKHTISAR EKSEKUTIF", 1))
        blocks += self.narrative("ikhtisar")
        blocks.append(doc.PageBreak())
        return blocks

    def bab1(self) -> list:
        self.start_chapter("1")
        data = self.data
        blocks = [doc.Heading("BAB I PENDAHULUAN", 1), doc.Heading("A. Latar Belakang", 2)]
        blocks += self.narrative("latar_belakang")
        blocks.append(doc.Heading("B. Tugas, Fungsi dan Struktur Organisasi", 2))
        blocks += self.narrative("tugas_fungsi")
        blocks += self.organisation()
        blocks += self.staff()
        blocks.append(doc.Heading("C. Maksud dan Tujuan", 2))
        blocks += self.narrative("maksud_tujuan")
        blocks.append(doc.Heading("D. Aspek Strategis", 2))
        blocks += self.narrative("aspek_strategis")
        blocks.append(doc.Heading("E. Isu Strategis", 2))
        blocks += self.narrative("isu_strategis")
        blocks.append(doc.Heading("F. Sistematika Laporan", 2))
        blocks.append(
            doc.Bullets(
                [
                    "Kata Pengantar dan Ikhtisar Eksekutif",
                    "BAB I Pendahuluan",
                    "BAB II Perencanaan Kinerja",
                    f"BAB III Akuntabilitas Kinerja Tahun {data.year}",
                    "BAB IV Penutup",
                    "Lampiran",
                ]
            )
        )
        blocks.append(doc.PageBreak())
        return blocks

    def organisation(self) -> list:
        unit = self.data.unit
        chain, node = [], unit
        while node is not None:
            chain.insert(0, node.name)
            node = node.parent
        rows = [["Kedudukan", " → ".join(chain)]]
        if unit.facility_type:
            rows.append(["Jenis UPT", unit.get_facility_type_display()])
        if unit.facility_class:
            rows.append(["Kelas", unit.get_facility_class_display()])
        if unit.capacity:
            rows.append(["Kapasitas hunian", f"{format_number(unit.capacity, 0)} orang"])
        if unit.address:
            rows.append(["Alamat", unit.address])
        return [
            doc.Table(
                columns=[doc.Col("Uraian", 4), doc.Col("Keterangan", 12)],
                rows=rows,
                caption=self.caption("Kedudukan dan Organisasi"),
            )
        ]

    def staff(self) -> list:
        report = self.data.staff
        if report is None:
            return [doc.Para("Data pegawai tahun ini belum dicatat.", italic=True)]
        ranks = list(report.ranks.all())
        total = sum(r.count for r in ranks)
        columns = [doc.Col("Golongan/Ruang", 3.2)] + [
            doc.Col(r.rank, max(0.9, 12.8 / max(1, len(ranks)))) for r in ranks
        ]
        body = [["Jumlah (orang)"] + [str(r.count) for r in ranks]]
        body.append(
            [doc.Cell("Total"), doc.Cell(f"{total} orang", colspan=len(ranks), align="center")]
        )
        notes = [f"Per {format_date(report.as_of)}: jumlah menurut golongan {total} orang."]
        if report.men is not None and report.women is not None:
            notes.append(
                f"Menurut jenis kelamin: laki-laki {report.men}, perempuan {report.women} "
                f"(jumlah {report.men + report.women})."
            )
        if report.stated_total is not None and report.stated_total != total:
            notes.append(
                f"Jumlah yang dinyatakan ({report.stated_total} orang) berbeda dengan rinciannya "
                f"({total} orang): periksa data kepegawaian."
            )
        return [
            doc.Table(
                columns=columns,
                header=[["Golongan/Ruang"] + [r.rank for r in ranks]],
                rows=body,
                caption=self.caption("Jumlah Pegawai"),
            ),
            doc.Para(" ".join(notes)),
        ]

    def bab2(self) -> list:
        self.start_chapter("2")
        data = self.data
        blocks = [
            doc.Heading("BAB II PERENCANAAN KINERJA", 1),
            doc.Heading("A. Rencana Strategis", 2),
        ]
        renstra = data.unit.renstras.filter(
            start_year__lte=data.year, end_year__gte=data.year
        ).first()
        if renstra:
            blocks.append(
                doc.Para(
                    f"Rencana Strategis {renstra.start_year}-{renstra.end_year} menetapkan visi: "
                    f"“{renstra.vision}”."
                )
            )
            if renstra.mission:
                blocks.append(doc.Para(f"Misi: {renstra.mission}"))
            if renstra.goals:
                blocks.append(doc.Para(f"Tujuan: {renstra.goals}"))
        else:
            blocks.append(doc.Para("Renstra yang berlaku belum dicatat.", italic=True))
        if data.renstra:
            years = data.renstra_years
            rows = []
            for r in data.results:
                values = data.renstra.get(r.row.indicator.code, {})
                rows.append(
                    [r.row.indicator.code, r.row.indicator.name]
                    + [figure(values.get(y), r.row.target_unit) for y in years]
                )
            width = 9.5 / max(1, len(years))
            blocks.append(
                doc.Table(
                    columns=[doc.Col("Kode", 1.5), doc.Col("Indikator", 6.5)]
                    + [doc.Col(str(y), width, "center") for y in years],
                    rows=rows,
                    caption=self.caption("Target Jangka Menengah (Renstra)"),
                )
            )
        blocks.append(doc.Heading("B. Perjanjian Kinerja", 2))
        if data.agreement is None:
            blocks.append(doc.Para(f"Perjanjian Kinerja {data.year} belum dibuat.", italic=True))
        else:
            a = data.agreement
            blocks.append(
                doc.Para(
                    f"Perjanjian Kinerja Tahun {data.year} ditandatangani di "
                    f"{place_date(a.place, a.signed_on)} oleh "
                    f"{a.first_party.name if a.first_party else '-'} selaku Pihak Pertama dan "
                    f"{a.second_party.name if a.second_party else '-'} selaku Pihak Kedua."
                )
            )
            for table in pk_doc.indicator_tables(a):
                table.caption = self.caption(
                    f"Perjanjian Kinerja {data.year}: " + table.columns[2].title
                )
                blocks.append(table)
            blocks.append(
                pk_doc.budget_table(a, self.caption("Anggaran Program Perjanjian Kinerja"))
            )
        blocks.append(doc.PageBreak())
        return blocks

    # --- BAB III --------------------------------------------------------------------------------

    def _cell(self, fig, row) -> tuple[str, str, str]:
        """(target, realisation, achievement) of one year as text; printed figures marked '*'."""
        if fig is None or fig.source == "":
            return ("-", NO_DATA, NO_DATA)
        if fig.source == "cetak":
            p = fig.printed
            unit_label = row.target_unit
            if p.printed_text and p.achievement is None:
                return (figure(p.target, unit_label), p.printed_text + "*", p.printed_text + "*")
            return (
                figure(p.target, unit_label) + ("*" if p.target is not None else ""),
                figure(p.realisation, unit_label) + ("*" if p.realisation is not None else ""),
                (f"{format_number(p.achievement, 2)}%*" if p.achievement is not None else "-"),
            )
        r = fig.result
        target = target_of(r.row)
        if r.realisation.is_na:
            return (target, "N/A", "N/A")
        real = figure(r.realisation.value, r.row.target_unit)
        ach = r.achievement
        if ach is None or ach.is_na:
            return (target, real, "N/A")
        text = f"{format_number(ach.capped, 2)}%"
        if ach.cap_applied:
            text += f" (tanpa batas {format_number(ach.raw, 2)}%)"
        return (target, real, text)

    def summary_table(self) -> doc.Table:
        data = self.data
        y0, y1, y2 = data.years
        rows, last_goal, printed = [], None, False
        for r in data.results:
            hist = data.history.get(r.row.indicator.code, {})
            target, real, ach = self._cell(hist.get(y0), r.row)
            target = target_of(r.row)
            prev = self._cell(hist.get(y1), r.row)[2]
            prev2 = self._cell(hist.get(y2), r.row)[2]
            printed = printed or "*" in prev + prev2
            first = r.row.goal_id != last_goal
            last_goal = r.row.goal_id
            rows.append(
                [
                    f"{r.row.goal.number}." if first else "",
                    r.row.goal.name if first else "",
                    f"{r.row.number}. {r.row.indicator.name}",
                    target,
                    real,
                    ach,
                    prev,
                    prev2,
                ]
            )
        return doc.Table(
            columns=[
                doc.Col("No", 0.8, "center"),
                doc.Col("Sasaran Kegiatan", 3.0),
                doc.Col("Indikator Kinerja", 4.6),
                doc.Col("Target", 1.5, "center"),
                doc.Col("Realisasi", 1.7, "center"),
                doc.Col(str(y0), 1.6, "center"),
                doc.Col(str(y1), 1.5, "center"),
                doc.Col(str(y2), 1.5, "center"),
            ],
            header=[
                [
                    "No",
                    "Sasaran Kegiatan",
                    "Indikator Kinerja",
                    f"Target {y0}",
                    f"Realisasi {y0}",
                    doc.Cell("Capaian", colspan=3),
                ],
                ["", "", "", "", "", str(y0), str(y1), str(y2)],
            ],
            rows=rows,
            caption=self.caption(f"Capaian Kinerja {data.unit.name} Tahun {y2}-{y0}"),
            font_size=8,
            note=(
                "N/A: tidak ada populasi (penyebut nol), tidak dihitung sebagai tercapai. "
                f"“{NO_DATA}”: tahun itu tidak memiliki data di Kinerja maupun angka tercetak."
                + (" " + PRINTED_NOTE if printed else "")
            ),
        )

    def achievement_chart(self) -> list:
        results = [r for r in self.data.results if r.recorded]
        if not results:
            return []
        png = charts.achievement_bars(
            [r.row.indicator.code for r in results],
            [
                None if r.achievement is None or r.achievement.is_na else r.achievement.capped
                for r in results
            ],
        )
        return [
            doc.Image(
                png,
                15,
                self.figure_caption(f"Capaian IKK Tahun {self.data.year} (garis putus: 100%)"),
            )
        ]

    def indicator_part(self, r) -> list:
        data = self.data
        row, indicator = r.row, r.row.indicator
        blocks = [doc.Heading(f"{indicator.code} {indicator.name}", 3)]
        # 1. target and realisation, step by step
        blocks.append(doc.Para(f"1. Target dan realisasi Tahun {data.year}", bold=True))
        variables = list(indicator.variables.all())
        if not r.recorded:
            blocks.append(doc.Para(f"Realisasi Tahun {data.year} belum dicatat.", italic=True))
        else:
            rows = [
                [v.symbol, v.description, format_number(r.values.get(v.symbol), 2, trim=True)]
                for v in variables
            ]
            blocks.append(
                doc.Table(
                    columns=[
                        doc.Col("Variabel", 1.8, "center"),
                        doc.Col("Keterangan", 11),
                        doc.Col("Jumlah", 3, "right"),
                    ],
                    rows=rows,
                    caption=self.caption(
                        f"Data {indicator.code} s.d. {TRIWULAN[r.quarter]} {data.year}"
                    ),
                )
            )
            blocks.append(doc.Para(f"Rumus: {indicator.formula.replace('*', '×')}", align="left"))
            if r.realisation.is_na:
                blocks.append(
                    doc.Para(
                        f"Realisasi: N/A — {r.realisation.na_reason}. Tidak ada populasi yang "
                        "diukur pada tahun ini, sehingga realisasi dan capaian tidak dapat "
                        "dihitung dan tidak ditulis sebagai tercapai.",
                        bold=True,
                    )
                )
            else:
                steps = [s.strip() for s in r.computation.split(";") if s.strip()]
                labels = ["Realisasi", "Capaian"] if len(steps) == 2 else ["Capaian"]
                if len(steps) == 1 and r.row.target is not None:
                    blocks.append(
                        doc.Para(
                            f"Realisasi: {figure(r.realisation.value, row.target_unit)}",
                            align="left",
                        )
                    )
                for label, step in zip(labels, steps, strict=False):
                    blocks.append(doc.Para(f"{label} = {step}", align="left"))
            target, real, ach = self._cell(data.history[indicator.code][data.year], row)
            blocks.append(
                doc.Table(
                    columns=[
                        doc.Col("Indikator", 9),
                        doc.Col("Target", 2.3, "center"),
                        doc.Col("Realisasi", 2.3, "center"),
                        doc.Col("Capaian", 2.4, "center"),
                    ],
                    rows=[[indicator.name, target, real, ach]],
                    caption=self.caption(
                        f"Target dan Realisasi {indicator.code} Tahun {data.year}"
                    ),
                )
            )
        # 2. last year
        blocks.append(doc.Para("2. Perbandingan dengan tahun sebelumnya", bold=True))
        hist = data.history[indicator.code]
        rows = []
        for y in (data.year - 1, data.year):
            t, re, ac = self._cell(hist.get(y), row)
            rows.append([str(y), t, re, ac])
        prev = hist.get(data.year - 1)
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("Tahun", 2, "center"),
                    doc.Col("Target", 4, "center"),
                    doc.Col("Realisasi", 4, "center"),
                    doc.Col("Capaian", 4, "center"),
                ],
                rows=rows,
                caption=self.caption(
                    f"Perbandingan {indicator.code} Tahun {data.year - 1} dan {data.year}"
                ),
                note=PRINTED_NOTE if prev is not None and prev.source == "cetak" else "",
            )
        )
        now = hist[data.year].achievement
        before = prev.achievement if prev else None
        if now is not None and before is not None:
            change = now - before
            word = "naik" if change > 0 else "turun" if change < 0 else "tetap"
            blocks.append(
                doc.Para(
                    f"Capaian {word} dari {format_number(before, 2)}% ({data.year - 1}) menjadi "
                    f"{format_number(now, 2)}% ({data.year})"
                    + (f", selisih {format_number(abs(change), 2)} poin." if change else ".")
                )
            )
        elif prev is None or prev.source == "":
            blocks.append(doc.Para(f"Tahun {data.year - 1}: tidak ada data.", italic=True))
        # 3. Renstra
        blocks.append(
            doc.Para("3. Perbandingan dengan target jangka menengah (Renstra)", bold=True)
        )
        medium = data.renstra.get(indicator.code, {})
        if medium:
            years = sorted(medium)
            blocks.append(
                doc.Table(
                    columns=[doc.Col(str(y), 16 / len(years), "center") for y in years],
                    rows=[[figure(medium[y], row.target_unit) for y in years]],
                    caption=self.caption(f"Target Jangka Menengah {indicator.code}"),
                )
            )
            m = medium.get(data.year)
            if m is not None and r.recorded and not r.realisation.is_na:
                reached = calc.achievement(
                    r.realisation, m, direction=indicator.direction, lower_rule=indicator.lower_rule
                )
                blocks.append(
                    doc.Para(
                        f"Target Renstra {data.year}: {figure(m, row.target_unit)}; realisasi "
                        f"{figure(r.realisation.value, row.target_unit)} = "
                        f"{format_number(reached.raw, 2)}% dari target jangka menengah."
                    )
                )
        else:
            blocks.append(
                doc.Para("Indikator ini tidak memiliki target Renstra yang tercatat.", italic=True)
            )
        # 4. quarters
        blocks.append(doc.Para("4. Perkembangan per triwulan", bold=True))
        rows = []
        for f in r.quarter_figures:
            rows.append(
                [
                    TRIWULAN[f.quarter],
                    format_number(f.target_increment, 2, trim=True)
                    if f.target_increment is not None
                    else "-",
                    format_number(f.cumulative, 2, trim=True) if f.cumulative is not None else "-",
                    format_number(f.increment, 2, trim=True) if f.increment is not None else "-",
                    f"{format_number(f.achievement, 2)}%"
                    if f.achievement is not None
                    else (f.na_reason or "-"),
                ]
            )
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("Triwulan", 2.2, "center"),
                    doc.Col("Target triwulan", 3, "center"),
                    doc.Col("Realisasi kumulatif", 3.4, "center"),
                    doc.Col("Kenaikan", 2.6, "center"),
                    doc.Col("Capaian triwulan", 4.8, "center"),
                ],
                rows=rows,
                caption=self.caption(f"Perkembangan {indicator.code} per Triwulan {data.year}"),
            )
        )
        known = [f for f in r.quarter_figures if f.cumulative is not None]
        if len(known) >= 2:
            png = charts.lines(
                [TRIWULAN[q] for q in (1, 2, 3, 4)],
                {
                    "Realisasi kumulatif": [
                        next((f.cumulative for f in known if f.quarter == q), None)
                        for q in (1, 2, 3, 4)
                    ],
                },
                ylabel=row.target_unit,
            )
            blocks.append(
                doc.Image(png, 12, self.figure_caption(f"Realisasi {indicator.code} per Triwulan"))
            )
        # 5. causes, 6. programmes
        blocks.append(doc.Para("5. Penyebab keberhasilan/kegagalan", bold=True))
        blocks += self.narrative(f"analisis:{indicator.code}")
        blocks.append(doc.Para("6. Program/kegiatan yang menunjang", bold=True))
        funding = data.funding.get(indicator.code)
        if funding and funding.lines:
            rows = [[line.full_code, line.name] for line in funding.lines]
            f = funding.figures
            rows.append(
                [
                    doc.Cell("Jumlah (setiap baris sekali)", colspan=2, bold=True),
                ]
            )
            blocks.append(
                doc.Table(
                    columns=[doc.Col("Kode", 3.5), doc.Col("Kegiatan/Rincian Output", 12.5)],
                    rows=rows[:-1],
                    caption=self.caption(f"Anggaran yang Mendanai {indicator.code}"),
                )
            )
            blocks.append(
                doc.Para(
                    f"Pagu {format_rupiah(f.pagu)}, realisasi {format_rupiah(f.realised)} "
                    f"({format_number(f.absorption, 2) + '%' if f.absorption is not None else 'N/A'})."
                    + (
                        f" Efisiensi (capaian − penyerapan): {format_number(funding.efficiency, 2)} poin."
                        if funding.efficiency is not None
                        else ""
                    )
                )
            )
        else:
            blocks.append(
                doc.Para("Belum ada baris DIPA yang ditautkan ke indikator ini.", italic=True)
            )
        return blocks

    def bab3(self) -> list:
        self.start_chapter("3")
        data = self.data
        blocks = [
            doc.Heading("BAB III AKUNTABILITAS KINERJA", 1),
            doc.Heading("A. Capaian Kinerja Organisasi", 2),
            doc.Para(
                "Capaian setiap indikator dihitung dengan rumus Capaian = Realisasi / Target × 100% "
                "(indikator semakin tinggi semakin baik); realisasi dihitung dari data dukung dengan "
                "rumus indikator masing-masing. Bila penyebut bernilai nol (tidak ada populasi), "
                "realisasi ditulis N/A dan tidak dihitung sebagai tercapai."
            ),
            self.summary_table(),
        ]
        blocks += self.achievement_chart()
        self.progress(35, "Uraian per IKK")
        last_goal = None
        for i, r in enumerate(data.results):
            if r.row.goal_id != last_goal:
                last_goal = r.row.goal_id
                blocks.append(
                    doc.Para(f"Sasaran Kegiatan {r.row.goal.number}. {r.row.goal.name}", bold=True)
                )
            blocks += self.indicator_part(r)
            if data.results:
                self.progress(35 + int(30 * (i + 1) / len(data.results)), "Uraian per IKK")
        self.progress(66, "Realisasi anggaran")
        blocks += self.budget_part()
        blocks += self.performance_part()
        blocks += self.other_part()
        blocks.append(doc.PageBreak())
        return blocks

    def budget_part(self) -> list:
        data = self.data
        o = data.overview
        blocks = [doc.Heading("B. Realisasi Anggaran", 2)]
        if not o.has_lines:
            blocks.append(doc.Para("Baris DIPA tahun ini belum dicatat.", italic=True))
            return blocks

        def money_row(label, f, bold=False):
            return [
                doc.Cell(label, bold=bold),
                doc.Cell(format_number(f.pagu, 0), bold=bold),
                doc.Cell(format_number(f.realised, 0), bold=bold),
                doc.Cell(format_number(f.remaining, 0), bold=bold),
                doc.Cell(
                    f"{format_number(f.absorption, 2)}%" if f.absorption is not None else "N/A",
                    bold=bold,
                ),
            ]

        money_cols = [
            doc.Col("Uraian", 6.4),
            doc.Col("Pagu (Rp)", 2.7, "right"),
            doc.Col("Realisasi (Rp)", 2.7, "right"),
            doc.Col("Sisa (Rp)", 2.5, "right"),
            doc.Col("%", 1.7, "right"),
        ]
        activity_rows = [
            money_row(
                f"{n.line.full_code} {n.line.name}", n.figures, n.line.level == LineLevel.PROGRAM
            )
            for n in o.rows
            if n.line.level in (LineLevel.PROGRAM, LineLevel.ACTIVITY)
        ]
        activity_rows.append(money_row("Jumlah", o.total, True))
        blocks.append(
            doc.Table(
                columns=money_cols,
                rows=activity_rows,
                caption=self.caption(f"Pagu dan Realisasi Anggaran per Kegiatan Tahun {data.year}"),
            )
        )
        type_rows = [
            money_row(f"{t} {SPENDING_LABELS[t]}", f) for t, f in o.by_type.items() if f.pagu
        ]
        type_rows.append(money_row("Jumlah", o.total, True))
        blocks.append(
            doc.Table(
                columns=money_cols,
                rows=type_rows,
                caption=self.caption(
                    f"Pagu dan Realisasi Anggaran per Jenis Belanja Tahun {data.year}"
                ),
            )
        )
        differences = o.type_differences
        if differences:
            blocks.append(
                doc.Para(
                    "Catatan: angka per jenis belanja yang dilaporkan berbeda dengan jumlah baris DIPA: "
                    + "; ".join(
                        f"{d['type']} {d['label']} ({d['what']}): dilaporkan {format_rupiah(d['reported'])}, "
                        f"baris DIPA {format_rupiah(d['computed'])}"
                        for d in differences
                    )
                    + ".",
                    italic=True,
                )
            )
        kro_rows = []
        for n in o.rows:
            if n.line.level in (LineLevel.KRO, LineLevel.RO):
                label = f"{n.line.full_code} {n.line.name}"
                if n.line.volume is not None:
                    label += f" ({format_number(n.line.volume, 0)} {n.line.volume_unit})"
                kro_rows.append(money_row(label, n.figures, n.line.level == LineLevel.KRO))
        kro_rows.append(money_row("Jumlah", o.total, True))
        blocks.append(
            doc.Table(
                columns=money_cols,
                rows=kro_rows,
                caption=self.caption(f"Pagu dan Realisasi Anggaran per KRO/RO Tahun {data.year}"),
                font_size=8,
            )
        )
        # three years by spending type
        years = data.years_by_type
        if years:
            labels = [str(r["year"]) for r in years]
            series = {
                SPENDING_LABELS[t]: [r["types"][t][1] for r in years] for t in ("51", "52", "53")
            }
            png = charts.grouped_bars(labels, series)
            blocks.append(
                doc.Image(
                    png,
                    15,
                    self.figure_caption(
                        f"Realisasi Anggaran per Jenis Belanja {labels[0]}-{labels[-1]} (juta rupiah)"
                    ),
                )
            )
            rows = [
                [str(r["year"])]
                + [format_number(r["types"][t][1], 0) for t in ("51", "52", "53")]
                + [format_number(r["realised"], 0), r["source"]]
                for r in years
            ]
            missing = [y for y in (data.year - 2, data.year - 1, data.year) if str(y) not in labels]
            blocks.append(
                doc.Table(
                    columns=[
                        doc.Col("Tahun", 1.5, "center"),
                        doc.Col("51 Pegawai", 2.8, "right"),
                        doc.Col("52 Barang", 2.8, "right"),
                        doc.Col("53 Modal", 2.6, "right"),
                        doc.Col("Jumlah", 3, "right"),
                        doc.Col("Sumber", 3.3),
                    ],
                    rows=rows,
                    caption=self.caption("Realisasi per Jenis Belanja Tiga Tahun (Rp)"),
                    note=("Tahun tanpa data: " + ", ".join(map(str, missing))) if missing else "",
                )
            )
        months = o.months
        if any(m["planned"] or m["realised"] for m in months):
            png = charts.lines(
                [BULAN[m["month"] - 1][:3] for m in months],
                {
                    "Rencana (RPD) kumulatif": [m["cum_planned"] for m in months],
                    "Realisasi kumulatif": [m["cum_realised"] for m in months],
                },
                ylabel="Rupiah",
                rupiah=True,
            )
            blocks.append(
                doc.Image(
                    png,
                    15,
                    self.figure_caption(f"Rencana dan Realisasi Kumulatif per Bulan {data.year}"),
                )
            )
        return blocks

    def performance_part(self) -> list:
        data = self.data
        o = data.overview
        blocks = [doc.Heading("C. Capaian Kinerja Anggaran", 2)]
        weights = o.weights
        smart_w = weights.get("smart")
        ikpa_w = weights.get("ikpa")
        score = o.score
        if score is None:
            blocks.append(
                doc.Para(f"Nilai SMART DJA dan IKPA Tahun {data.year} belum dicatat.", italic=True)
            )
        else:
            blocks.append(
                doc.Para(
                    f"Capaian Kinerja Anggaran = {format_number(smart_w, 0)}% × nilai SMART DJA + "
                    f"{format_number(ikpa_w, 0)}% × nilai IKPA = {format_number(smart_w, 0)}% × "
                    f"{format_number(score.smart, 2)} + {format_number(ikpa_w, 0)}% × "
                    f"{format_number(score.ikpa, 2)} = "
                    + (f"{format_number(o.performance, 2)}" if o.performance is not None else "N/A")
                    + "."
                )
                if smart_w is not None
                and ikpa_w is not None
                and score.smart is not None
                and score.ikpa is not None
                else doc.Para("Nilai SMART atau IKPA belum lengkap.", italic=True)
            )
            for label, components in (
                ("SMART DJA", score.smart_components),
                ("IKPA", score.ikpa_components),
            ):
                if components:
                    blocks.append(
                        doc.Table(
                            columns=[doc.Col("Komponen", 10), doc.Col("Nilai", 4, "right")],
                            rows=[
                                [k, format_number(Decimal(str(v)), 2)]
                                for k, v in components.items()
                            ],
                            caption=self.caption(f"Komponen Nilai {label} {data.year}"),
                        )
                    )
        if o.estimate is not None and o.estimate.score is not None:
            blocks.append(
                doc.Para(
                    f"Perkiraan IKPA dari data Kinerja (penyerapan dan deviasi RPD, mencakup "
                    f"{format_number(o.estimate.weight_covered, 0)}% bobot IKPA): "
                    f"{format_number(o.estimate.score, 2)}.",
                    italic=True,
                )
            )
        years = list(range(data.year - 2, data.year + 1))
        by_year = {s.year: s for s in data.scores}
        rows = []
        for y in years:
            s = by_year.get(y)
            rows.append(
                [
                    str(y),
                    format_number(s.smart, 2) if s and s.smart is not None else NO_DATA,
                    format_number(s.ikpa, 2) if s and s.ikpa is not None else NO_DATA,
                ]
            )
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("Tahun", 3, "center"),
                    doc.Col("SMART DJA", 5, "center"),
                    doc.Col("IKPA", 5, "center"),
                ],
                rows=rows,
                caption=self.caption(f"Nilai SMART DJA dan IKPA {years[0]}-{years[-1]}"),
            )
        )
        with_scores = [y for y in years if y in by_year]
        if len(with_scores) >= 2:
            png = charts.lines(
                [str(y) for y in years],
                {
                    "SMART DJA": [by_year[y].smart if y in by_year else None for y in years],
                    "IKPA": [by_year[y].ikpa if y in by_year else None for y in years],
                },
                ylabel="Nilai",
            )
            blocks.append(doc.Image(png, 14, self.figure_caption("Tren Nilai SMART DJA dan IKPA")))
        return blocks

    def other_part(self) -> list:
        data = self.data
        o = data.overview
        blocks = [doc.Heading("D. Capaian Kinerja Lainnya", 2)]
        blocks.append(doc.Para("1. e-Monev Bappenas", bold=True))
        if o.emonev:
            blocks.append(
                doc.Table(
                    columns=[
                        doc.Col("Bulan", 4),
                        doc.Col("Serapan anggaran", 5, "right"),
                        doc.Col("Progres fisik", 5, "right"),
                    ],
                    rows=[
                        [
                            BULAN[e.month - 1],
                            f"{format_number(e.absorption, 2)}%",
                            f"{format_number(e.physical, 2)}%",
                        ]
                        for e in o.emonev
                    ],
                    caption=self.caption(f"Capaian e-Monev Bappenas {data.year}"),
                )
            )
        else:
            blocks.append(doc.Para("Data e-Monev tahun ini belum dicatat.", italic=True))
        blocks.append(doc.Para("2. Target Kinerja (TARJA)", bold=True))
        if o.tarja:
            blocks.append(
                doc.Table(
                    columns=[
                        doc.Col("No", 1, "center"),
                        doc.Col("Target Kinerja", 10.5),
                        doc.Col("Capaian", 2, "right"),
                        doc.Col("Keterangan", 2.5),
                    ],
                    rows=[
                        [
                            str(t.number),
                            t.name,
                            format_number(t.score, 2) if t.score is not None else "-",
                            t.remarks,
                        ]
                        for t in o.tarja
                    ],
                    caption=self.caption(f"Target Kinerja (TARJA) {data.year}"),
                )
            )
        else:
            blocks.append(doc.Para("Data TARJA tahun ini belum dicatat.", italic=True))
        blocks.append(doc.Para("3. Kegiatan Prioritas Nasional", bold=True))
        np_rows = [r for r in data.results if r.row.national_priority]
        if np_rows:
            blocks.append(
                doc.Table(
                    columns=[
                        doc.Col("Kode", 1.8),
                        doc.Col("Indikator", 9),
                        doc.Col("Target", 2, "center"),
                        doc.Col("Realisasi", 1.8, "center"),
                        doc.Col("Capaian", 1.8, "center"),
                    ],
                    rows=[
                        [
                            r.row.indicator.code,
                            r.row.indicator.name,
                            *self._cell(data.history[r.row.indicator.code][data.year], r.row),
                        ]
                        for r in np_rows
                    ],
                    caption=self.caption(f"IKK Prioritas Nasional {data.year}"),
                )
            )
        else:
            blocks.append(doc.Para("Tidak ada IKK yang ditandai Prioritas Nasional.", italic=True))
        return blocks

    def bab4(self) -> list:
        blocks = [doc.Heading("BAB IV PENUTUP", 1), doc.Heading("A. Kesimpulan", 2)]
        blocks += self.narrative("kesimpulan")
        blocks.append(doc.Heading("B. Saran", 2))
        blocks += self.narrative("saran")
        blocks.append(self.signature())
        return blocks

    # --- appendices -----------------------------------------------------------------------------

    def team_decree(self) -> list:
        report: AnnualReport = self.data.report
        unit = self.data.unit
        head = head_on(unit, report.decree_date)
        blocks = [
            doc.Heading("Lampiran 1. Keputusan Pembentukan Tim Penyusun LKjIP", 2),
            doc.Para("\n".join(letterhead(unit)), align="center", bold=True),
            doc.Para(
                f"KEPUTUSAN KEPALA {unit.name.upper()}\nNOMOR: {report.decree_number or '(belum diisi)'}\n"
                f"TENTANG\nPEMBENTUKAN TIM PENYUSUN LKjIP TAHUN {self.data.year}",
                align="center",
                bold=True,
            ),
        ]
        members = list(report.team.select_related("person")) if report.pk else []
        if members:
            rows = [
                [str(i), f"{m.person.name}\nNIP. {m.person.nip or '-'}", m.position, m.role]
                for i, m in enumerate(members, 1)
            ]
            blocks.append(
                doc.Table(
                    columns=[
                        doc.Col("No", 1, "center"),
                        doc.Col("Nama / NIP", 6),
                        doc.Col("Jabatan Kedinasan", 5.5),
                        doc.Col("Jabatan dalam Tim", 3.5),
                    ],
                    rows=rows,
                    caption="Susunan Tim Penyusun LKjIP",
                )
            )
        else:
            blocks.append(doc.Para("Susunan tim penyusun tahun ini belum dicatat.", italic=True))
        blocks.append(
            doc.Signature(
                [
                    signer_lines(
                        [
                            f"Ditetapkan di {report.place or '(tempat)'}",
                            f"pada tanggal {format_date(report.decree_date) if report.decree_date else '(belum diisi)'}",
                            f"Kepala {unit.name}",
                        ],
                        head.person if head else None,
                    )
                ],
                gap_after=[3],
            )
        )
        return blocks

    def appendices(self) -> list[doc.Section]:
        data = self.data
        sections = [doc.Section([doc.Heading("LAMPIRAN", 1)] + self.team_decree())]
        if data.agreement is not None:
            pk_blocks = [doc.Heading(f"Lampiran 2. Perjanjian Kinerja Tahun {data.year}", 2)]
            pk_blocks += pk_doc.agreement_blocks(data.agreement)
            sections.append(doc.Section(pk_blocks))
            self.progress(80, "Laporan Capaian PK")
            quarters = sorted(
                {r.quarter for res in data.results for r in res.row.realizations.all()}
            )
            last = max(quarters) if quarters else 4
            blocks = [doc.Heading(f"Lampiran 3. Laporan Capaian Perjanjian Kinerja {data.year}", 2)]
            blocks += capaian_doc.title_blocks(data.agreement, last)
            blocks.append(capaian_doc.table(data.agreement, last, data.results))
            sections.append(doc.Section(blocks, landscape=True))
        return sections

    def build(self) -> doc.Document:
        data = self.data
        self.progress(5, "Sampul dan pengantar")
        main = self.cover() + self.front()
        self.progress(15, "BAB I dan II")
        main += self.bab1() + self.bab2()
        self.progress(30, "BAB III")
        main += self.bab3()
        main += self.bab4()
        sections = [doc.Section(main)] + self.appendices()
        return doc.Document(
            title=f"LKjIP {data.year} {data.unit.name}",
            sections=sections,
            footer=f"LKjIP {data.year} — {data.unit.name}",
            draft=self.draft,
        )


def build(data: LkjipData, progress=None, draft: bool = False) -> doc.Document:
    return Builder(data, progress, draft).build()
