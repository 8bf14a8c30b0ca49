"""BAB III Akuntabilitas Kinerja: A. the results of every IKK (summary table, chart, and per IKK
the computation, last year, the Renstra, the quarters, causes, funding), B. the budget,
C. Capaian Kinerja Anggaran, D. other results (e-Monev, TARJA, National Priority)."""

from __future__ import annotations

from decimal import Decimal

from kinerja.core.formatting import BULAN, TRIWULAN, format_number, format_percent, format_rupiah
from kinerja.core.render import charts, doc
from kinerja.documents.common import figure
from kinerja.documents.common import target_text as target_of
from kinerja.documents.comparison import AreaFigure
from kinerja.documents.lkjip.data import REALISATION, Ikk, Money, YearCell
from kinerja.documents.lkjip.layout import NO_DATA, PRINTED_NOTE, Layout


def build(layout: Layout) -> list[doc.Block]:
    layout.start_chapter("3")
    report = layout.report
    blocks: list[doc.Block] = [
        doc.Heading("BAB III AKUNTABILITAS KINERJA", 1),
        doc.Heading("A. Capaian Kinerja Organisasi", 2),
        doc.Para(
            "Capaian setiap indikator dihitung dengan rumus Capaian = Realisasi / Target × 100% "
            "(indikator semakin tinggi semakin baik); realisasi dihitung dari data dukung dengan "
            "rumus indikator masing-masing. Bila penyebut bernilai nol (tidak ada populasi), "
            "realisasi ditulis N/A dan tidak dihitung sebagai tercapai. "
            + ROUNDING_RULE.get(report.rounding, "")
        ),
        summary_table(layout),
    ]
    blocks += achievement_chart(layout)
    layout.progress(35, "Uraian per IKK")
    last_goal = None
    for i, ikk in enumerate(report.ikks):
        if ikk.goal.key != last_goal:
            last_goal = ikk.goal.key
            blocks.append(
                doc.Para(f"Sasaran Kegiatan {ikk.goal.number}. {ikk.goal.name}", bold=True)
            )
        blocks += indicator_part(layout, ikk)
        layout.progress_within(35, 30, i + 1, len(report.ikks), "Uraian per IKK")
    layout.progress(66, "Realisasi anggaran")
    blocks += budget_part(layout)
    blocks += performance_part(layout)
    blocks += other_part(layout)
    blocks.append(doc.PageBreak())
    return blocks


# --- A. results -----------------------------------------------------------------------------------

ROUNDING_RULE = {
    "down": (
        "Realisasi dipotong pada dua angka desimal sebelum capaian dihitung (misalnya 73 / 78 × "
        "100 = 93,5897… ditulis 93,58), sebagaimana laporan kementerian; capaian dibulatkan ke "
        "dua desimal."
    ),
    "half-up": (
        "Realisasi dibulatkan ke dua angka desimal sebelum capaian dihitung (misalnya 73 / 78 × "
        "100 = 93,5897… ditulis 93,59); capaian dibulatkan ke dua desimal."
    ),
}


def cell(fig: YearCell | None, ikk: Ikk) -> tuple[str, str, str]:
    """(target, realisation, achievement) of one year as text; printed figures marked '*'."""
    if fig is None or fig.source == "":
        return ("-", NO_DATA, NO_DATA)
    unit_label = ikk.target_unit
    if fig.source == "cetak":
        target = fig.target.target
        if fig.printed_text and fig.achievement is None:
            return (figure(target, unit_label), fig.printed_text + "*", fig.printed_text + "*")
        return (
            figure(target, unit_label) + ("*" if target is not None else ""),
            figure(fig.realisation, unit_label) + ("*" if fig.realisation is not None else ""),
            (f"{format_percent(fig.achievement)}*" if fig.achievement is not None else "-"),
        )
    target = target_of(fig.target)
    if fig.realisation_na:
        return (target, "N/A", "N/A")
    real = figure(fig.realisation, fig.target.target_unit)
    if fig.achievement_na:
        return (target, real, "N/A")
    text = format_percent(fig.achievement)
    if fig.cap_applied:
        text += f" (tanpa batas {format_percent(fig.achievement_raw)})"
    return (target, real, text)


def step_label(step) -> str:
    """The label a computation step is printed with."""
    return "Realisasi" if step.kind == REALISATION else "Capaian"


def summary_table(layout: Layout) -> doc.Table:
    report = layout.report
    y0, y1, y2 = report.years
    rows, last_goal, printed = [], None, False
    for ikk in report.ikks:
        _target, real, ach = cell(ikk.years.get(y0), ikk)
        prev = cell(ikk.years.get(y1), ikk)[2]
        prev2 = cell(ikk.years.get(y2), ikk)[2]
        printed = printed or "*" in prev + prev2
        first = ikk.goal.key != last_goal
        last_goal = ikk.goal.key
        rows.append(
            [
                f"{ikk.goal.number}." if first else "",
                ikk.goal.name if first else "",
                f"{ikk.number}. {ikk.name}",
                target_of(ikk),
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
        caption=layout.caption(f"Capaian Kinerja {report.identity.name} Tahun {y2}-{y0}"),
        font_size=8,
        note=(
            "N/A: tidak ada populasi (penyebut nol), tidak dihitung sebagai tercapai. "
            f"“{NO_DATA}”: tidak ada angka yang tercatat maupun dilaporkan untuk tahun itu."
            + (" " + PRINTED_NOTE if printed else "")
        ),
    )


def achievement_chart(layout: Layout) -> list[doc.Block]:
    """Every IKK of the PK: a bar for a number, its reason where there is none."""
    ikks = layout.report.ikks
    if not any(ikk.recorded for ikk in ikks):
        return []

    def value(ikk: Ikk):
        if not ikk.recorded or ikk.achievement is None or ikk.achievement.is_na:
            return None
        return ikk.achievement.capped

    png = charts.achievement_bars(
        [ikk.code for ikk in ikks],
        [value(ikk) for ikk in ikks],
        texts=["belum diisi" if not ikk.recorded else "N/A" for ikk in ikks],
    )
    return [
        doc.Image(
            png,
            15,
            layout.figure_caption(f"Capaian IKK Tahun {layout.report.year} (garis putus: 100%)"),
        )
    ]


def indicator_part(layout: Layout, ikk: Ikk) -> list[doc.Block]:
    year = layout.report.year
    blocks: list[doc.Block] = [doc.Heading(f"{ikk.code} {ikk.name}", 3)]
    # 1. target and realisation, step by step
    blocks.append(doc.Para(f"1. Target dan realisasi Tahun {year}", bold=True))
    if not ikk.recorded:
        blocks.append(doc.Para(f"Realisasi Tahun {year} belum dicatat.", italic=True))
    else:
        rows = [
            [v.symbol, v.description, format_number(v.value, 2, trim=True)] for v in ikk.variables
        ]
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("Variabel", 1.8, "center"),
                    doc.Col("Keterangan", 11),
                    doc.Col("Jumlah", 3, "right"),
                ],
                rows=rows,
                caption=layout.caption(f"Data {ikk.code} s.d. {TRIWULAN[ikk.quarter]} {year}"),
            )
        )
        blocks.append(doc.Para(f"Rumus: {ikk.formula.replace('*', '×')}", align="left"))
        if ikk.realisation.is_na:
            blocks.append(
                doc.Para(
                    f"Realisasi: N/A — {ikk.realisation.na_reason}. Tidak ada populasi yang "
                    "diukur pada tahun ini, sehingga realisasi dan capaian tidak dapat "
                    "dihitung dan tidak ditulis sebagai tercapai.",
                    bold=True,
                )
            )
        else:
            shown = any(step.kind == REALISATION for step in ikk.steps)
            if not shown and ikk.target is not None:
                blocks.append(
                    doc.Para(
                        f"Realisasi: {figure(ikk.realisation.value, ikk.target_unit)}",
                        align="left",
                    )
                )
            for step in ikk.steps:
                blocks.append(doc.Para(f"{step_label(step)} = {step.text}", align="left"))
        target, real, ach = cell(ikk.years[year], ikk)
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("Indikator", 9),
                    doc.Col("Target", 2.3, "center"),
                    doc.Col("Realisasi", 2.3, "center"),
                    doc.Col("Capaian", 2.4, "center"),
                ],
                rows=[[ikk.name, target, real, ach]],
                caption=layout.caption(f"Target dan Realisasi {ikk.code} Tahun {year}"),
            )
        )
    blocks += _last_year(layout, ikk)
    blocks += _renstra(layout, ikk)
    blocks += _areas(layout, ikk)
    blocks += _quarters(layout, ikk)
    # 6. causes, 7. programmes
    blocks.append(doc.Para("6. Penyebab keberhasilan/kegagalan", bold=True))
    blocks += layout.narrative(f"analisis:{ikk.code}")
    blocks.append(doc.Para("7. Program/kegiatan yang menunjang", bold=True))
    blocks += _funding(layout, ikk)
    return blocks


def _last_year(layout: Layout, ikk: Ikk) -> list[doc.Block]:
    year, last = layout.report.year, layout.report.year - 1
    blocks: list[doc.Block] = [doc.Para("2. Perbandingan dengan tahun sebelumnya", bold=True)]
    rows = []
    for y in (last, year):
        t, re, ac = cell(ikk.years.get(y), ikk)
        rows.append([str(y), t, re, ac])
    prev = ikk.years.get(last)
    blocks.append(
        doc.Table(
            columns=[
                doc.Col("Tahun", 2, "center"),
                doc.Col("Target", 4, "center"),
                doc.Col("Realisasi", 4, "center"),
                doc.Col("Capaian", 4, "center"),
            ],
            rows=rows,
            caption=layout.caption(f"Perbandingan {ikk.code} Tahun {last} dan {year}"),
            note=PRINTED_NOTE if prev is not None and prev.source == "cetak" else "",
        )
    )
    if ikk.change is not None:
        now, before, change = ikk.years[year].comparable, prev.comparable, ikk.change.delta
        word = ikk.change.trend.value
        blocks.append(
            doc.Para(
                f"Capaian {word} dari {format_percent(before)} ({last}) menjadi "
                f"{format_percent(now)} ({year})"
                + (f", selisih {format_number(ikk.change_points, 2)} poin." if change else ".")
            )
        )
    elif prev is None or prev.source == "":
        blocks.append(doc.Para(f"Tahun {last}: tidak ada data.", italic=True))
    return blocks


def _renstra(layout: Layout, ikk: Ikk) -> list[doc.Block]:
    year = layout.report.year
    blocks: list[doc.Block] = [
        doc.Para("3. Perbandingan dengan target jangka menengah (Renstra)", bold=True)
    ]
    if not ikk.renstra:
        blocks.append(
            doc.Para("Indikator ini tidak memiliki target Renstra yang tercatat.", italic=True)
        )
        return blocks
    years = sorted(ikk.renstra)
    blocks.append(
        doc.Table(
            columns=[doc.Col(str(y), 16 / len(years), "center") for y in years],
            rows=[[figure(ikk.renstra[y], ikk.target_unit) for y in years]],
            caption=layout.caption(f"Target Jangka Menengah {ikk.code}"),
        )
    )
    if ikk.renstra_achievement is not None:
        blocks.append(
            doc.Para(
                f"Target Renstra {year}: {figure(ikk.renstra_year_target, ikk.target_unit)}; "
                f"realisasi {figure(ikk.realisation.value, ikk.target_unit)} = "
                f"{format_percent(ikk.renstra_achievement.raw)} dari target jangka menengah."
            )
        )
    return blocks


def _area_cells(area: AreaFigure | None, unit_label: str) -> list[str]:
    if area is None:
        return ["-", NO_DATA, NO_DATA, "-"]
    target = figure(area.target, unit_label) if area.target is not None else "beragam"
    if area.realisation is None:
        real, ach = NO_DATA, NO_DATA
    elif area.realisation.is_na:
        real, ach = "N/A", "N/A"
    else:
        real = figure(area.realisation.value, unit_label)
        ach = (
            format_percent(area.achievement.capped)
            if area.achievement is not None and not area.achievement.is_na
            else "N/A"
        )
    return [target, real, ach, f"{area.reporting} dari {area.facilities}"]


def _areas(layout: Layout, ikk: Ikk) -> list[doc.Block]:
    """4. The facility beside its region and the nation (ΣA / ΣB of the facilities' counts)."""
    year = layout.report.year
    blocks: list[doc.Block] = [
        doc.Para("4. Perbandingan dengan capaian wilayah dan nasional", bold=True)
    ]
    region, nation = layout.report.areas.get(ikk.code, (None, None))
    if region is None and nation is None:
        blocks.append(
            doc.Para(
                f"Angka wilayah dan nasional {ikk.code} Tahun {year} tidak tersedia.", italic=True
            )
        )
        return blocks
    own_target, own_real, own_ach = cell(ikk.years.get(year), ikk)
    rows = [[layout.report.identity.name, own_target, own_real, own_ach, "-"]]
    for area in (region, nation):
        if area is not None:
            rows.append([area.area, *_area_cells(area, ikk.target_unit)])
    blocks.append(
        doc.Table(
            columns=[
                doc.Col("Unit", 6),
                doc.Col("Target", 2.2, "center"),
                doc.Col("Realisasi", 2.4, "center"),
                doc.Col("Capaian", 2.4, "center"),
                doc.Col("UPT melapor", 3, "center"),
            ],
            rows=rows,
            caption=layout.caption(f"Capaian {ikk.code} Dibandingkan Wilayah dan Nasional {year}"),
            note=(
                "Realisasi wilayah dan nasional dihitung dari jumlah data seluruh UPT yang "
                "melapor (ΣA / ΣB), bukan rata-rata persentase. “beragam”: target UPT berbeda-beda."
            ),
        )
    )
    return blocks


def _quarters(layout: Layout, ikk: Ikk) -> list[doc.Block]:
    blocks: list[doc.Block] = [doc.Para("5. Perkembangan per triwulan", bold=True)]
    rows = []
    for f in ikk.quarters:
        rows.append(
            [
                TRIWULAN[f.quarter],
                format_number(f.target_increment, 2, trim=True)
                if f.target_increment is not None
                else "-",
                format_number(f.cumulative, 2, trim=True) if f.cumulative is not None else "-",
                format_number(f.increment, 2, trim=True) if f.increment is not None else "-",
                format_percent(f.achievement)
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
            caption=layout.caption(f"Perkembangan {ikk.code} per Triwulan {layout.report.year}"),
        )
    )
    known = [f for f in ikk.quarters if f.cumulative is not None]
    if len(known) >= 2:
        png = charts.lines(
            [TRIWULAN[q] for q in (1, 2, 3, 4)],
            {
                "Realisasi kumulatif": [
                    next((f.cumulative for f in known if f.quarter == q), None)
                    for q in (1, 2, 3, 4)
                ],
            },
            ylabel=ikk.target_unit,
        )
        blocks.append(
            doc.Image(png, 12, layout.figure_caption(f"Realisasi {ikk.code} per Triwulan"))
        )
    return blocks


def _funding(layout: Layout, ikk: Ikk) -> list[doc.Block]:
    f = ikk.funding
    if f is None:
        return [doc.Para("Belum ada baris DIPA yang ditautkan ke indikator ini.", italic=True)]
    return [
        doc.Table(
            columns=[doc.Col("Kode", 3.5), doc.Col("Kegiatan/Rincian Output", 12.5)],
            rows=[[code, name] for code, name in f.lines],
            caption=layout.caption(f"Anggaran yang Mendanai {ikk.code}"),
        ),
        doc.Para(
            f"Pagu {format_rupiah(f.pagu)}, realisasi {format_rupiah(f.realised)} "
            f"({format_percent(f.absorption) if f.absorption is not None else 'N/A'})."
        ),
    ]


# --- B. budget ------------------------------------------------------------------------------------

MONEY_COLUMNS = [
    doc.Col("Uraian", 6.4),
    doc.Col("Pagu (Rp)", 2.7, "right"),
    doc.Col("Realisasi (Rp)", 2.7, "right"),
    doc.Col("Sisa (Rp)", 2.5, "right"),
    doc.Col("%", 1.7, "right"),
]


def _money_row(label: str, f: Money, bold: bool = False) -> list:
    return [
        doc.Cell(label, bold=bold),
        doc.Cell(format_number(f.pagu, 0), bold=bold),
        doc.Cell(format_number(f.realised, 0), bold=bold),
        doc.Cell(format_number(f.remaining, 0), bold=bold),
        doc.Cell(
            format_percent(f.absorption) if f.absorption is not None else "N/A",
            bold=bold,
        ),
    ]


def budget_part(layout: Layout) -> list[doc.Block]:
    report = layout.report
    b = report.budget
    blocks: list[doc.Block] = [doc.Heading("B. Realisasi Anggaran", 2)]
    if not b.has_lines:
        blocks.append(doc.Para("Baris DIPA tahun ini belum dicatat.", italic=True))
        return blocks
    activity_rows = [
        _money_row(f"{line.code} {line.name}", line.money, line.major) for line in b.activities
    ]
    activity_rows.append(_money_row("Jumlah", b.total, True))
    blocks.append(
        doc.Table(
            columns=MONEY_COLUMNS,
            rows=activity_rows,
            caption=layout.caption(f"Pagu dan Realisasi Anggaran per Kegiatan Tahun {report.year}"),
        )
    )
    type_rows = [_money_row(f"{t.type} {t.label}", t.money) for t in b.by_type]
    type_rows.append(_money_row("Jumlah", b.total, True))
    blocks.append(
        doc.Table(
            columns=MONEY_COLUMNS,
            rows=type_rows,
            caption=layout.caption(
                f"Pagu dan Realisasi Anggaran per Jenis Belanja Tahun {report.year}"
            ),
        )
    )
    if b.type_differences:
        blocks.append(
            doc.Para(
                "Catatan: angka per jenis belanja yang dilaporkan berbeda dengan jumlah baris DIPA: "
                + "; ".join(
                    f"{d.type} {d.label} ({d.what}): dilaporkan {format_rupiah(d.reported)}, "
                    f"baris DIPA {format_rupiah(d.computed)}"
                    for d in b.type_differences
                )
                + ".",
                italic=True,
            )
        )
    kro_rows = []
    for line in b.outputs:
        label = f"{line.code} {line.name}"
        if line.volume is not None:
            label += f" ({format_number(line.volume, 0)} {line.volume_unit})"
        kro_rows.append(_money_row(label, line.money, line.major))
    kro_rows.append(_money_row("Jumlah", b.total, True))
    blocks.append(
        doc.Table(
            columns=MONEY_COLUMNS,
            rows=kro_rows,
            caption=layout.caption(f"Pagu dan Realisasi Anggaran per KRO/RO Tahun {report.year}"),
            font_size=8,
        )
    )
    blocks += _three_years(layout)
    blocks += _months(layout)
    blocks += layout.narrative("catatan_anggaran")
    return blocks


def _months(layout: Layout) -> list[doc.Block]:
    """The cumulative plan and spending per month, each drawn only when it was recorded month by
    month: a year's spending entered at once in December is not a monthly path."""
    report = layout.report
    months = report.budget.months
    series: dict[str, list[Decimal | None]] = {}
    if sum(1 for m in months if m.planned) >= 1:
        series["Rencana (RPD) kumulatif"] = [m.cum_planned for m in months]
    if sum(1 for m in months if m.realised) >= 2:
        series["Realisasi kumulatif"] = [m.cum_realised for m in months]
    blocks: list[doc.Block] = []
    if not series:
        return [
            doc.Para(
                f"Rencana penarikan dana (RPD) dan realisasi anggaran Tahun {report.year} tidak "
                "tercatat per bulan, sehingga grafik bulanan tidak disajikan.",
                italic=True,
            )
        ]
    if len(series) == 1:
        missing = "realisasi" if "Realisasi kumulatif" not in series else "rencana (RPD)"
        blocks.append(
            doc.Para(f"Grafik berikut tanpa {missing}, yang tidak tercatat per bulan.", italic=True)
        )
    png = charts.lines(
        [BULAN[m.month - 1][:3] for m in months], series, ylabel="Rupiah", rupiah=True
    )
    blocks.append(
        doc.Image(
            png,
            15,
            layout.figure_caption(f"Rencana dan Realisasi Kumulatif per Bulan {report.year}"),
        )
    )
    return blocks


def _three_years(layout: Layout) -> list[doc.Block]:
    """Realisation by spending type over three years: chart and table."""
    b = layout.report.budget
    if not b.years:
        return []
    types = [t for t, _ in b.spending_types]
    labels = [str(y.year) for y in b.years]
    series = {label: [y.realised_by_type[t] for y in b.years] for t, label in b.spending_types}
    png = charts.grouped_bars(labels, series)
    rows = [
        [str(y.year)]
        + [format_number(y.realised_by_type[t], 0) for t in types]
        + [format_number(y.realised, 0)]
        for y in b.years
    ]
    return [
        doc.Image(
            png,
            15,
            layout.figure_caption(
                f"Realisasi Anggaran per Jenis Belanja {labels[0]}-{labels[-1]} (juta rupiah)"
            ),
        ),
        doc.Table(
            columns=[
                doc.Col("Tahun", 1.5, "center"),
                doc.Col("51 Pegawai", 2.8, "right"),
                doc.Col("52 Barang", 2.8, "right"),
                doc.Col("53 Modal", 2.6, "right"),
                doc.Col("Jumlah", 3.5, "right"),
            ],
            rows=rows,
            caption=layout.caption("Realisasi per Jenis Belanja Tiga Tahun (Rp)"),
            note=("Tahun tanpa data: " + ", ".join(map(str, b.missing_years)))
            if b.missing_years
            else "",
        ),
    ]


# --- C. budget performance ------------------------------------------------------------------------


def performance_part(layout: Layout) -> list[doc.Block]:
    report = layout.report
    p = report.performance
    blocks: list[doc.Block] = [doc.Heading("C. Capaian Kinerja Anggaran", 2)]
    if not p.scored:
        blocks.append(
            doc.Para(f"Nilai SMART DJA dan IKPA Tahun {report.year} belum dicatat.", italic=True)
        )
    else:
        smart_w, ikpa_w = p.smart_weight, p.ikpa_weight
        blocks.append(
            doc.Para(
                f"Capaian Kinerja Anggaran = {format_number(smart_w, 0)}% × nilai SMART DJA + "
                f"{format_number(ikpa_w, 0)}% × nilai IKPA = {format_number(smart_w, 0)}% × "
                f"{format_number(p.smart, 2)} + {format_number(ikpa_w, 0)}% × "
                f"{format_number(p.ikpa, 2)} = "
                + (f"{format_number(p.performance, 2)}" if p.performance is not None else "N/A")
                + "."
            )
            if smart_w is not None
            and ikpa_w is not None
            and p.smart is not None
            and p.ikpa is not None
            else doc.Para("Nilai SMART atau IKPA belum lengkap.", italic=True)
        )
        for label, components in p.components:
            blocks.append(
                doc.Table(
                    columns=[doc.Col("Komponen", 10), doc.Col("Nilai", 4, "right")],
                    rows=[[k, format_number(v, 2)] for k, v in components],
                    caption=layout.caption(f"Komponen Nilai {label} {report.year}"),
                )
            )
    if p.estimate is not None:
        blocks.append(
            doc.Para(
                f"Perkiraan IKPA dari realisasi anggaran dan RPD (penyerapan dan deviasi RPD, mencakup "
                f"{format_number(p.estimate_weight_covered, 0)}% bobot IKPA): "
                f"{format_number(p.estimate, 2)}.",
                italic=True,
            )
        )
    years = p.years
    rows = [
        [
            str(s.year),
            format_number(s.smart, 2) if s.smart is not None else NO_DATA,
            format_number(s.ikpa, 2) if s.ikpa is not None else NO_DATA,
        ]
        for s in years
    ]
    blocks.append(
        doc.Table(
            columns=[
                doc.Col("Tahun", 3, "center"),
                doc.Col("SMART DJA", 5, "center"),
                doc.Col("IKPA", 5, "center"),
            ],
            rows=rows,
            caption=layout.caption(f"Nilai SMART DJA dan IKPA {years[0].year}-{years[-1].year}"),
        )
    )
    if len([s for s in years if s.recorded]) >= 2:
        png = charts.lines(
            [str(s.year) for s in years],
            {"SMART DJA": [s.smart for s in years], "IKPA": [s.ikpa for s in years]},
            ylabel="Nilai",
        )
        blocks.append(doc.Image(png, 14, layout.figure_caption("Tren Nilai SMART DJA dan IKPA")))
    return blocks


# --- D. other results -----------------------------------------------------------------------------


def _quarter_text(ikk: Ikk, quarter: int) -> str:
    f = next((f for f in ikk.quarters if f.quarter == quarter), None)
    if f is None or (f.cumulative is None and not f.na_reason):
        return "-"
    if f.cumulative is None:
        return "N/A"
    return figure(f.cumulative, ikk.target_unit)


def monitoring_part(layout: Layout) -> list[doc.Block]:
    """1. The PK monitored through the year (what the ministry's e-Performance asks for): each
    IKK's target and its realisation at the end of every quarter, and the IKK without a target,
    without population or without data."""
    report = layout.report
    every = "bulan" if report.by_month else "triwulan"
    blocks: list[doc.Block] = [
        doc.Para("1. Pemantauan Perjanjian Kinerja (e-Performance)", bold=True),
        doc.Para(
            f"Realisasi setiap indikator Perjanjian Kinerja Tahun {report.year} dicatat setiap "
            f"{every} beserta data dukungnya. Tabel berikut menyajikan target dan realisasi "
            "kumulatif pada akhir setiap triwulan."
        ),
    ]
    rows = []
    no_target, na, empty = [], [], []
    for ikk in report.ikks:
        if ikk.target is None:
            remark = "tanpa target"
            no_target.append(ikk)
        elif not ikk.recorded:
            remark = "belum diisi"
            empty.append(ikk)
        elif ikk.realisation is not None and ikk.realisation.is_na:
            remark = "N/A (tidak ada populasi)"
            na.append(ikk)
        else:
            remark = ""
        rows.append(
            [ikk.code, ikk.name, target_of(ikk)]
            + [_quarter_text(ikk, q) for q in (1, 2, 3, 4)]
            + [remark]
        )
    blocks.append(
        doc.Table(
            columns=[
                doc.Col("Kode", 1.6),
                doc.Col("Indikator Kinerja", 5.6),
                doc.Col("Target", 1.6, "center"),
                *[doc.Col(TRIWULAN[q], 1.4, "center") for q in (1, 2, 3, 4)],
                doc.Col("Keterangan", 2.6),
            ],
            rows=rows,
            caption=layout.caption(f"Pemantauan Perjanjian Kinerja per Triwulan {report.year}"),
            font_size=8,
        )
    )
    for group, text in (
        (no_target, "tidak memiliki target pada Perjanjian Kinerja"),
        (na, "tidak memiliki populasi (N/A) sehingga capaiannya tidak dihitung"),
        (empty, "belum memiliki realisasi yang diisi"),
    ):
        if group:
            blocks.append(doc.Para(f"{len(group)} indikator {text}:", align="left"))
            blocks.append(doc.Bullets([f"{i.code} {i.name}" for i in group], numbered=True))
    if not (no_target or na or empty):
        blocks.append(
            doc.Para("Seluruh indikator memiliki target dan realisasi yang dapat diukur.")
        )
    return blocks


def other_part(layout: Layout) -> list[doc.Block]:
    report = layout.report
    blocks: list[doc.Block] = [doc.Heading("D. Capaian Kinerja Lainnya", 2)]
    blocks += monitoring_part(layout)
    blocks.append(doc.Para("2. e-Monev Bappenas", bold=True))
    if report.emonev:
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
                        format_percent(e.absorption),
                        format_percent(e.physical),
                    ]
                    for e in report.emonev
                ],
                caption=layout.caption(f"Capaian e-Monev Bappenas {report.year}"),
            )
        )
        blocks += layout.narrative("catatan_emonev")
    else:
        blocks.append(doc.Para("Data e-Monev tahun ini belum dicatat.", italic=True))
    blocks.append(doc.Para("3. Target Kinerja (TARJA)", bold=True))
    if report.tarja:
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
                    for t in report.tarja
                ],
                caption=layout.caption(f"Target Kinerja (TARJA) {report.year}"),
            )
        )
    else:
        blocks.append(doc.Para("Data TARJA tahun ini belum dicatat.", italic=True))
    blocks.append(doc.Para("4. Kegiatan Prioritas Nasional", bold=True))
    priority = [ikk for ikk in report.ikks if ikk.national_priority]
    if priority:
        blocks.append(
            doc.Table(
                columns=[
                    doc.Col("Kode", 1.8),
                    doc.Col("Indikator", 9),
                    doc.Col("Target", 2, "center"),
                    doc.Col("Realisasi", 1.8, "center"),
                    doc.Col("Capaian", 1.8, "center"),
                ],
                rows=[[ikk.code, ikk.name, *cell(ikk.years[report.year], ikk)] for ikk in priority],
                caption=layout.caption(f"IKK Prioritas Nasional {report.year}"),
            )
        )
    else:
        blocks.append(doc.Para("Tidak ada IKK yang ditandai Prioritas Nasional.", italic=True))
    return blocks
