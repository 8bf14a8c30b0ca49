"""Automatic drafts of the LKjIP's narrative sections, written from the data in plain Indonesian.
The user edits them; what is saved replaces the draft (documents.services.section_save). Every
figure named here comes from the same results and budget figures as the tables."""

from __future__ import annotations

from decimal import Decimal

from kinerja import calc
from kinerja.core.formatting import (
    BULAN,
    TRIWULAN,
    format_date,
    format_number,
    format_percent,
    format_rupiah,
)
from kinerja.documents.common import authority_chain, figure, target_text
from kinerja.documents.lkjip_data import HUNDRED, LkjipData
from kinerja.measurement.selectors import period_label

SECTIONS = [
    ("kata_pengantar", "Kata Pengantar"),
    ("ikhtisar", "Ikhtisar Eksekutif"),
    ("latar_belakang", "BAB I.A Latar Belakang"),
    ("tugas_fungsi", "BAB I.B Tugas dan Fungsi"),
    ("maksud_tujuan", "BAB I.C Maksud dan Tujuan"),
    ("aspek_strategis", "BAB I.D Aspek Strategis"),
    ("isu_strategis", "BAB I.E Isu Strategis"),
    ("kesimpulan", "BAB IV.A Kesimpulan"),
    ("saran", "BAB IV.B Saran"),
    ("catatan_anggaran", "BAB III.B Catatan: anggaran PK dan pagu DIPA"),
    ("catatan_emonev", "BAB III.D Catatan: e-Monev dan realisasi DIPA"),
    ("surat_pengantar", "Surat pengantar: isi surat"),
    ("surat_tembusan", "Surat pengantar: tembusan"),
    ("sk_menimbang", "SK Tim Penyusun: Menimbang"),
    ("sk_mengingat", "SK Tim Penyusun: Mengingat"),
    ("sk_memutuskan", "SK Tim Penyusun: Memutuskan"),
]


def _name(data: LkjipData) -> str:
    return data.unit.name


def _pct(value: Decimal | None) -> str:
    return format_percent(value)


def _list(results) -> str:
    return "\n".join(f"- {r.row.name} ({r.row.indicator.code})" for r in results)


def kata_pengantar(data: LkjipData) -> str:
    return (
        f"Laporan Kinerja Instansi Pemerintah (LKjIP) {_name(data)} Tahun {data.year} merupakan "
        "wujud pertanggungjawaban atas pelaksanaan tugas dan fungsi serta penggunaan anggaran "
        f"selama Tahun Anggaran {data.year}, sebagaimana diamanatkan Peraturan Presiden Nomor 29 "
        "Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi Pemerintah.\n\n"
        f"Laporan ini memuat capaian {len(data.results)} Indikator Kinerja Kegiatan (IKK) yang "
        f"diperjanjikan dalam Perjanjian Kinerja Tahun {data.year}, dihitung dari data dukung "
        "yang tercatat, beserta realisasi dan kinerja anggaran. Semoga laporan ini bermanfaat "
        "sebagai bahan evaluasi dan perbaikan kinerja pada tahun berikutnya."
    )


def _budget_sentence(data: LkjipData) -> str:
    total = data.overview.total
    if not data.overview.has_lines:
        return "Data realisasi anggaran tahun ini belum dicatat."
    text = (
        f"Pagu anggaran sebesar {format_rupiah(total.pagu)} terealisasi "
        f"{format_rupiah(total.realised)} ({_pct(total.absorption)})."
    )
    last = next((r for r in data.years_by_type if r["year"] == data.year - 1), None)
    if last is not None:
        pagu = sum((p or Decimal(0) for p, _ in last["types"].values()), Decimal(0))
        previous = calc.absorption(last["realised"], pagu)
        change = calc.year_change(total.absorption, previous)
        if change is not None:
            direction = "sama dengan" if change.trend == calc.Trend.SAME else change.trend.value
            text += (
                f" Dibandingkan tahun {data.year - 1} ({_pct(previous)}), penyerapan {direction}"
                + (
                    f" {format_number(abs(change.delta), 2)} poin."
                    if change.delta
                    else " tahun lalu."
                )
            )
    return text


def ikhtisar(data: LkjipData) -> str:
    g = data.groups()
    parts = [
        f"Pada Tahun {data.year}, {_name(data)} memperjanjikan {len(data.results)} Indikator "
        "Kinerja Kegiatan (IKK). Hasil pengukuran dari data yang tercatat:"
    ]
    counts = [
        f"- {len(g['lebih'])} IKK melampaui target",
        f"- {len(g['tepat'])} IKK tepat mencapai target",
        f"- {len(g['kurang'])} IKK belum mencapai target",
        f"- {len(g['na'])} IKK tidak dapat diukur karena tidak ada populasi (N/A, tidak dihitung "
        "sebagai tercapai)",
    ]
    if g["kosong"]:
        counts.append(f"- {len(g['kosong'])} IKK belum memiliki data realisasi")
    parts.append("\n".join(counts))
    if g["kurang"]:
        lines = [
            f"- {r.row.name}: target {target_text(r.row)}, realisasi "
            f"{figure(r.realisation.value, r.row.target_unit)}, capaian "
            f"{_pct(r.achievement.capped)}"
            for r in g["kurang"]
        ]
        parts.append("IKK yang belum mencapai target:\n" + "\n".join(lines))
    if g["na"]:
        parts.append("IKK tanpa populasi pada tahun ini:\n" + _list(g["na"]))
    parts.append(_budget_sentence(data))
    if data.overview.performance is not None:
        smart, ikpa = calc.performance_shares(data.overview.weights)
        parts.append(
            f"Capaian Kinerja Anggaran ({format_number(smart, 2, trim=True)}% nilai SMART DJA + "
            f"{format_number(ikpa, 2, trim=True)}% nilai IKPA) sebesar "
            f"{_pct(data.overview.performance)}."
        )
    return "\n\n".join(parts)


def latar_belakang(data: LkjipData) -> str:
    unit = data.unit
    region = unit.parent.name if unit.parent else ""
    return (
        f"{unit.name} adalah Unit Pelaksana Teknis Pemasyarakatan di bawah {region}. Sebagai "
        "instansi pemerintah, unit ini wajib mempertanggungjawabkan pelaksanaan tugas, fungsi dan "
        "anggarannya melalui Laporan Kinerja Instansi Pemerintah (LKjIP) setiap tahun, sebagai "
        "bagian dari Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP)."
    )


def tugas_fungsi(data: LkjipData) -> str:
    return (
        f"{data.unit.name} mempunyai tugas melaksanakan pemasyarakatan narapidana/anak, dengan "
        "fungsi pembinaan, bimbingan kerja, perawatan, pemeliharaan keamanan dan tata tertib, "
        "serta urusan tata usaha dan rumah tangga."
    )


def maksud_tujuan(data: LkjipData) -> str:
    return (
        f"LKjIP Tahun {data.year} disusun untuk melaporkan capaian target kinerja yang "
        "diperjanjikan, memberikan gambaran keberhasilan dan kegagalan secara jelas dan dapat "
        "dipertanggungjawabkan, dan menjadi bahan evaluasi perencanaan tahun berikutnya."
    )


def aspek_strategis(data: LkjipData) -> str:
    goals = []
    seen = set()
    for r in data.results:
        if r.row.goal_id not in seen:
            seen.add(r.row.goal_id)
            goals.append(f"{r.row.goal.number}. {r.row.goal.name}")
    return (
        f"{data.unit.name} melaksanakan sasaran kegiatan dalam Perjanjian Kinerja Tahun "
        f"{data.year}:\n" + "\n".join(goals)
    )


def _codes(results) -> str:
    return _and([r.row.indicator.code for r in results])


def _quarter_report_lines(data: LkjipData) -> tuple[list[str], list[str]]:
    """(issues, suggestions) from the quarter reports: returned, late, overdue, not submitted."""
    states = getattr(data, "quarter_states", None) or []
    issues: list[str] = []
    late, overdue, unsent = [], [], []
    for s in states:
        tw = TRIWULAN[s.quarter]
        if s.returns:
            reasons = [_quote(r) for r in s.returns if r]
            times = f" {len(s.returns)} kali" if len(s.returns) > 1 else ""
            issues.append(
                f"- Laporan {tw} {data.year} dikembalikan{times}"
                + (f" dengan alasan {_and(reasons)}." if reasons else ".")
            )
        if s.timing == calc.Timeliness.LATE:
            issues.append(
                f"- Laporan {tw} diajukan terlambat {s.days_late} hari dari batas pengisian."
            )
            late.append(s.quarter)
        elif s.timing == calc.Timeliness.OVERDUE:
            issues.append(
                f"- Laporan {tw} belum diajukan, lewat {s.days_late} hari dari batas pengisian."
            )
            overdue.append(s.quarter)
        elif not s.submitted and s.timing != calc.Timeliness.OPEN and s.ended:
            unsent.append(s.quarter)
    if unsent:
        issues.append(f"- Laporan {_tw(unsent)} Tahun {data.year} belum diajukan ke Kanwil.")
    suggestions = []
    if unsent or overdue:
        suggestions.append(
            f"- Mengajukan laporan {_tw(sorted(unsent + overdue))} Tahun {data.year} yang belum "
            "diajukan, lengkap dengan data dukung."
        )
    if late:
        suggestions.append(
            f"- Mengajukan laporan triwulan sebelum batas pengisian; pada {data.year} laporan "
            f"{_tw(late)} terlambat."
        )
    returned = [s.quarter for s in states if s.returns]
    if returned:
        suggestions.append(
            "- Memeriksa kelengkapan dan kebenaran data sebelum pengajuan, agar laporan tidak "
            f"dikembalikan seperti {_tw(returned)} {data.year}."
        )
    return issues, suggestions


def _errors_by_rule(data: LkjipData) -> list[tuple[str, str, list]]:
    """Open review errors grouped by rule: (rule id, title, findings), in the review's order."""
    groups: dict[str, tuple[str, str, list]] = {}
    for f in _open_findings(data):
        if f.severity == "error":
            groups.setdefault(f.rule, (f.rule, f.title, []))[2].append(f)
    return list(groups.values())


def _evidence_codes(data: LkjipData) -> list[str]:
    missing = getattr(data, "without_evidence", None) or {}
    return [r.row.indicator.code for r in data.results if missing.get(r.row.indicator.code)]


def isu_strategis(data: LkjipData) -> str:
    """The problems the data show: IKK below target (with their achievement and weakest quarter),
    IKK without population or without results, blocked budget, quarter reports returned, late or
    not submitted, missing evidence and the review's open errors."""
    lines = []
    g = data.groups()
    for r in g["kurang"]:
        line = (
            f"- {r.row.name} ({r.row.indicator.code}) belum mencapai target: capaian "
            f"{_achievement_text(r.achievement)}"
        )
        weakest = _weakest(r)
        if weakest is not None and weakest.achievement < HUNDRED:
            line += (
                f", paling tertinggal pada {TRIWULAN[weakest.quarter]} (capaian triwulan "
                f"{_pct(weakest.achievement)})"
            )
        lines.append(line + ".")
    if g["na"]:
        lines.append(
            f"- {len(g['na'])} IKK tidak memiliki populasi pada Tahun {data.year} sehingga tidak "
            f"dapat diukur (N/A): {_codes(g['na'])}."
        )
    if g["kosong"]:
        lines.append(
            f"- {len(g['kosong'])} IKK belum memiliki realisasi yang dicatat: {_codes(g['kosong'])}."
        )
    blocked = data.overview.total.blocked
    if blocked:
        lines.append(
            f"- Terdapat pagu blokir sebesar {format_rupiah(blocked)} yang tidak dapat dicairkan."
        )
    lines += _quarter_report_lines(data)[0]
    evidence = _evidence_codes(data)
    recorded = [r for r in data.results if r.recorded]
    if evidence and len(evidence) == len(recorded):
        lines.append(
            f"- Realisasi seluruh {len(evidence)} IKK yang dicatat belum dilengkapi data dukung."
        )
    elif evidence:
        lines.append(
            f"- Realisasi {len(evidence)} IKK belum dilengkapi data dukung: {_and(evidence)}."
        )
    errors = _errors_by_rule(data)
    if errors:
        total = sum(len(fs) for _, _, fs in errors)
        lines.append(
            f"- Reviu mencatat {total} galat yang belum diperbaiki: "
            + "; ".join(f"{_quote(title)} ({len(fs)})" for _, title, fs in errors)
            + "."
        )
    if not lines:
        lines.append(
            f"- Data Tahun {data.year} tidak menunjukkan IKK di bawah target, pagu blokir, laporan "
            "triwulan yang terlambat atau dikembalikan, maupun galat reviu yang terbuka."
        )
    return "Permasalahan yang dihadapi antara lain:\n" + "\n".join(_unique(lines))


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))


def _missed_suggestion(data: LkjipData, r) -> str:
    name, code = r.row.name, r.row.indicator.code
    figs = _figures(r)
    behind = sorted(
        (f for f in figs if f.achievement is not None and f.achievement < HUNDRED),
        key=lambda f: f.quarter,
    )
    if behind:
        return (
            f"- Meningkatkan realisasi {name} ({code}) pada {_tw([f.quarter for f in behind])}, "
            f"yang pada {data.year} hanya mencapai capaian triwulan "
            f"{_and([_pct(f.achievement) for f in behind])} (capaian tahunan "
            f"{_achievement_text(r.achievement)})."
        )
    text = (
        f"- Meningkatkan realisasi {name} ({code}), yang pada {data.year} hanya mencapai "
        f"{_versus(r)}capaian {_achievement_text(r.achievement)}"
    )
    unfilled = [f.quarter for f in figs if not f.filled and f.na_reason == calc.NOT_FILLED]
    if unfilled:
        text += (
            f"; realisasi {_tw(unfilled)} perlu diisi agar ketertinggalan terlihat sejak awal tahun"
        )
    return text + "."


def _absorption_suggestions(data: LkjipData) -> list[str]:
    """The funding lines absorbed least, below the whole budget's absorption (at most three),
    each named once whatever the number of IKK it funds."""
    total = data.overview.total.absorption if data.overview.has_lines else None
    if total is None:
        return []
    groups: dict = {}
    for code, f in (getattr(data, "funding", None) or {}).items():
        if f.lines and f.figures.absorption is not None:
            key = frozenset(line.id for line in f.lines)
            groups.setdefault(key, (f, []))[1].append(code)
    low = sorted(
        (v for v in groups.values() if v[0].figures.absorption < total),
        key=lambda v: v[0].figures.absorption,
    )[:3]
    return [
        f"- Meningkatkan penyerapan anggaran {_lines_text(f.lines)} (mendanai {_and(codes)}), "
        f"yang pada {data.year} terserap {_pct(f.figures.absorption)} dari pagu "
        f"{format_rupiah(f.figures.pagu)}."
        for f, codes in low
    ]


def saran(data: LkjipData) -> str:
    """One recommendation per problem the data show: per IKK below target what lagged, IKK without
    results, the review's open errors, blocked budget, the least absorbed funding, quarter reports
    and evidence. No two bullets alike."""
    g = data.groups()
    lines = [_missed_suggestion(data, r) for r in g["kurang"]]
    if g["kosong"]:
        lines.append(
            f"- Mengisi realisasi {_codes(g['kosong'])} setiap triwulan beserta data dukungnya."
        )
    for _rule_id, title, findings in _errors_by_rule(data):
        lines.append(
            f"- Memperbaiki temuan reviu {_quote(title)} ({len(findings)} temuan) sebelum LKjIP "
            "diterbitkan."
        )
    blocked = data.overview.total.blocked
    if blocked:
        lines.append(
            f"- Menindaklanjuti pagu blokir sebesar {format_rupiah(blocked)} (pembukaan blokir atau "
            "revisi anggaran)."
        )
    lines += _absorption_suggestions(data)
    lines += _quarter_report_lines(data)[1]
    evidence = _evidence_codes(data)
    if evidence and len(evidence) == len([r for r in data.results if r.recorded]):
        lines.append("- Melengkapi data dukung setiap realisasi triwulan yang dicatat.")
    elif evidence:
        lines.append(f"- Melengkapi data dukung realisasi {_and(evidence)}.")
    if not lines:
        lines.append("- Mempertahankan capaian kinerja dan penyerapan anggaran.")
    return "\n".join(_unique(lines))


def kesimpulan(data: LkjipData) -> str:
    g = data.groups()
    measured = len(g["lebih"]) + len(g["tepat"]) + len(g["kurang"])
    reached = len(g["lebih"]) + len(g["tepat"])
    text = (
        f"Dari {len(data.results)} IKK Tahun {data.year}, {measured} dapat diukur dan {reached} di "
        f"antaranya mencapai atau melampaui target; {len(g['kurang'])} belum mencapai target dan "
        f"{len(g['na'])} tidak memiliki populasi (N/A)."
    )
    if g["kosong"]:
        text += f" {len(g['kosong'])} IKK belum memiliki data realisasi."
    return text + "\n\n" + _budget_sentence(data)


def _open_findings(data: LkjipData, code: str | None = None) -> list:
    """The review's findings not accepted with an explanation; of one IKK when `code` is given (its
    key or location starts with the code)."""
    out = []
    for f in getattr(data, "findings", None) or []:
        if f.accepted:
            continue
        if (
            code is not None
            and f.key.split(":", 1)[0] != code
            and not (f.location.startswith(f"{code} ") or f.location == code)
        ):
            continue
        out.append(f)
    return out


def _and(items: list[str]) -> str:
    """'TW I', 'TW I dan TW II', 'TW I, TW II dan TW III'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " dan " + items[-1]


def _tw(quarters) -> str:
    return _and([TRIWULAN[q] for q in quarters])


def _quote(text: str, limit: int = 300) -> str:
    """The facility's or the region's own words, quoted (shortened at a word, never altered)."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + " …"
    return f"“{text}”"


def _sentence(text: str) -> str:
    """End a sentence with a full stop unless the quote it ends with already has one."""
    return text if text.endswith((".”", "!”", "?”")) else text + "."


def _num(value: Decimal | None) -> str:
    """A quarter figure as the quarter table prints it."""
    return format_number(value, 2, trim=True) if value is not None else "-"


def _achievement_text(achievement) -> str:
    """The achievement as the results tables print it (with the uncapped figure when capped)."""
    text = _pct(achievement.capped)
    if getattr(achievement, "cap_applied", False):
        text += f" (tanpa batas {_pct(achievement.raw)})"
    return text


def _figures(result) -> list:
    try:
        return list(result.quarter_figures)
    except AttributeError:  # a result without its rows (a hand-written case)
        return []


def _quarter_path(result) -> str:
    """TW I-IV as the quarter table gives them: target increment, realised increment and quarterly
    achievement, or the cumulative figure and why the increment is missing; unfilled quarters."""
    figs = _figures(result)
    if not figs:
        return ""
    parts = []
    for f in figs:
        label = TRIWULAN[f.quarter]
        if not f.filled:
            continue
        if f.achievement is not None:
            parts.append(
                f"{label} target {_num(f.target_increment)}, kenaikan {_num(f.increment)} "
                f"(capaian triwulan {_pct(f.achievement)})"
            )
        elif f.increment is not None:
            parts.append(
                f"{label} target {_num(f.target_increment)}, kenaikan {_num(f.increment)} "
                f"({f.na_reason})"
            )
        else:
            parts.append(f"{label} realisasi kumulatif {_num(f.cumulative)} ({f.na_reason})")
    unfilled = [f.quarter for f in figs if not f.filled and f.na_reason == calc.NOT_FILLED]
    na = [f for f in figs if not f.filled and f.na_reason != calc.NOT_FILLED]
    filled = [f for f in figs if f.filled]
    if filled and unfilled and all(f.increment is None for f in filled):
        text = (
            f"Perkembangan per triwulan: hanya {_tw([f.quarter for f in filled])} yang diisi "
            f"(realisasi kumulatif {_and([_num(f.cumulative) for f in filled])}); "
            f"{_tw(unfilled)} belum diisi, sehingga kenaikan dan capaian per triwulan tidak dapat "
            "dihitung."
        )
        if na:
            text += " " + "; ".join(f"{TRIWULAN[f.quarter]}: N/A ({f.na_reason})" for f in na) + "."
        return text
    text = ""
    if parts:
        text = "Perkembangan per triwulan: " + "; ".join(parts) + "."
    if na:
        text += " " + "; ".join(f"{TRIWULAN[f.quarter]}: N/A ({f.na_reason})" for f in na) + "."
    if unfilled:
        text += f" {_tw(unfilled)} belum diisi."
    return text.strip()


def _weakest(result):
    """The quarter with the lowest quarterly achievement (None when no quarter has one)."""
    rated = [f for f in _figures(result) if f.achievement is not None]
    return min(rated, key=lambda f: f.achievement) if rated else None


def _lag_text(result) -> str:
    """For an IKK below target: which quarter fell behind and by how much, and any catch-up."""
    figs = _figures(result)
    weakest = _weakest(result)
    if weakest is not None and weakest.achievement < HUNDRED:
        text = (
            f"Triwulan yang paling tertinggal adalah {TRIWULAN[weakest.quarter]}: kenaikan "
            f"{_num(weakest.increment)} dari target triwulan {_num(weakest.target_increment)} "
            f"(capaian triwulan {_pct(weakest.achievement)})."
        )
        behind = [
            f.quarter
            for f in figs
            if f.achievement is not None and f.achievement < HUNDRED and f is not weakest
        ]
        if behind:
            text += f" Di bawah target triwulan juga: {_tw(behind)}."
        later = [
            f
            for f in figs
            if f.quarter > weakest.quarter
            and f.achievement is not None
            and f.achievement >= HUNDRED
        ]
        if later:
            text += (
                f" Ketertinggalan dikejar pada {_tw([f.quarter for f in later])} "
                f"(capaian triwulan {_and([_pct(f.achievement) for f in later])}), "
                "tetapi tidak cukup untuk mencapai target tahunan."
            )
        return text
    return ""  # no quarterly achievement: the quarter path says which quarters are not filled


def _last_year_text(data: LkjipData, result) -> str:
    """Last year's target, realisation and achievement (counted or as printed) and the change, in
    the figures of the comparison table."""
    code, last = result.row.indicator.code, data.year - 1
    fig = (getattr(data, "history", None) or {}).get(code, {}).get(last)
    if fig is None or fig.source == "":
        return f"Tahun {last} tidak memiliki angka yang tercatat maupun dilaporkan."
    unit = result.row.target_unit
    if fig.source == "cetak":
        p = fig.printed
        shown = []
        if p.target is not None:
            shown.append(f"target {figure(p.target, unit)}")
        if p.printed_text and p.achievement is None:
            shown.append(p.printed_text)
        else:
            if p.realisation is not None:
                shown.append(f"realisasi {figure(p.realisation, unit)}")
            if p.achievement is not None:
                shown.append(f"capaian {_pct(p.achievement)}")
        text = f"Tahun {last} (angka tercetak): " + (", ".join(shown) or "tanpa angka") + "."
    else:
        r = fig.result
        if r.realisation.is_na:
            text = f"Tahun {last}: target {target_text(r.row)}, realisasi N/A ({r.realisation.na_reason})."
        elif r.achievement is None or r.achievement.is_na:
            text = (
                f"Tahun {last}: target {target_text(r.row)}, realisasi "
                f"{figure(r.realisation.value, r.row.target_unit)}, capaian N/A."
            )
        else:
            text = (
                f"Tahun {last}: target {target_text(r.row)}, realisasi "
                f"{figure(r.realisation.value, r.row.target_unit)}, capaian "
                f"{_achievement_text(r.achievement)}."
            )
    a = result.achievement
    now = None if a is None or a.is_na else a.capped
    change = calc.year_change(now, fig.achievement)
    if change is not None:
        if change.delta:
            text += (
                f" Capaian {change.trend.value} dari {_pct(fig.achievement)} menjadi {_pct(now)}, "
                f"selisih {format_number(abs(change.delta), 2)} poin."
            )
        else:
            text += f" Capaian sama dengan tahun {last}."
    return text


def _lines_text(lines) -> str:
    return _and([line.full_code or line.name for line in lines])


def _money_text(data: LkjipData, result, *, absorption: bool = True) -> str:
    """The DIPA lines that fund the IKK with their pagu, realisation and absorption (the figures of
    the report's funding paragraph); the other IKK the same lines fund."""
    funding = getattr(data, "funding", None) or {}
    code = result.row.indicator.code
    f = funding.get(code)
    if f is None or not f.lines:
        return "Belum ada baris DIPA yang ditautkan ke indikator ini."
    money = f.figures
    text = (
        f"Anggaran yang mendanainya ({_lines_text(f.lines)}): pagu {format_rupiah(money.pagu)}, "
        f"realisasi {format_rupiah(money.realised)}"
    )
    if absorption:
        text += (
            f" (penyerapan {_pct(money.absorption)})"
            if money.absorption is not None
            else " (penyerapan tidak dapat dihitung)"
        )
    text += "."
    ids = {line.id for line in f.lines}
    shared = [
        other
        for other, g in funding.items()
        if other != code and g.lines and {line.id for line in g.lines} == ids
    ]
    if shared:
        text += (
            f" Anggaran yang sama juga mendanai {_and(shared)}, sehingga tidak dijumlahkan per "
            "indikator."
        )
    return text


def _realizations(result) -> list:
    try:
        return sorted(result.row.realizations.all(), key=lambda r: (r.quarter, r.month or 0))
    except AttributeError:
        return []


def _narratives_text(result, exceeded: bool = False) -> str:
    """The facility's own words entered with each quarter's results, quoted."""
    quoted = [
        f"{period_label(r.quarter, r.month)} {_quote(r.narrative)}"
        for r in _realizations(result)
        if (r.narrative or "").strip()
    ]
    if not quoted:
        return "Uraian kegiatan per triwulan belum diisi."
    lead = (
        "Menurut catatan triwulan, kegiatan yang dilaksanakan: "
        if exceeded
        else ("Menurut catatan triwulan: ")
    )
    return _sentence(lead + "; ".join(quoted))


def _notes_text(data: LkjipData, code: str) -> str:
    notes = (getattr(data, "notes", None) or {}).get(code, [])
    if not notes:
        return ""
    return _sentence(
        "Catatan monitoring Kanwil: "
        + "; ".join(f"{TRIWULAN[n.quarter]} {_quote(n.text)}" for n in notes)
    )


def _findings_text(data: LkjipData, code: str) -> str:
    """The open review errors about the IKK: they keep the report a draft, so a final report never
    prints this sentence (warnings, which a final report may keep, are not named)."""
    titles: list[str] = []
    for f in _open_findings(data, code):
        if f.severity != "error":
            continue
        label = f"{f.severity_label.lower()} {_quote(f.title)}"
        if label not in titles:
            titles.append(label)
    if not titles:
        return ""
    return "Temuan reviu yang masih terbuka untuk indikator ini: " + "; ".join(titles) + "."


def _evidence_text(data: LkjipData, code: str) -> str:
    quarters = (getattr(data, "without_evidence", None) or {}).get(code, [])
    if not quarters:
        return ""
    return f"Realisasi {_tw(sorted(quarters))} belum dilengkapi data dukung."


def _versus(result) -> str:
    """'realisasi 4 Unit dari target 6 Unit, ' (empty for a hand-written result without its row)."""
    row = result.row
    unit = getattr(row, "target_unit", None)
    if unit is None:
        return ""
    return f"realisasi {figure(result.realisation.value, unit)} dari target {target_text(row)}, "


def analisis(data: LkjipData, result) -> str:
    """Causes of success or failure of one IKK, written from what the system holds: the verdict,
    the quarterly path (which quarter lagged or caught up), last year and the change, the money
    behind it, the quarter narratives, the region's notes and the review's open findings. Every
    figure is formatted as the report's tables format it; nothing is said that the data do not
    hold."""
    row = result.row
    name, code = row.name, row.indicator.code
    if not result.recorded:
        unfilled = [f.quarter for f in _figures(result) if not f.filled]
        text = f"Realisasi {name} Tahun {data.year} belum dicatat"
        text += (
            f": {_tw(unfilled)} belum diisi, sehingga capaian belum dapat dihitung (tidak dianggap "
            "nol)."
            if unfilled
            else "; capaian belum dapat dihitung (tidak dianggap nol)."
        )
        parts = [text, _money_text(data, result, absorption=False)]
        parts += [_notes_text(data, code), _findings_text(data, code)]
        return "\n\n".join(p for p in parts if p)
    exceeded = False
    if result.realisation.is_na:
        parts = [
            f"Tidak terdapat populasi untuk indikator ini pada Tahun {data.year} "
            f"({result.realisation.na_reason}); realisasi ditulis N/A, capaian tidak dapat diukur "
            "dan tidak dihitung sebagai tercapai.",
            _quarter_path(result),
        ]
    else:
        achieved = result.achievement.capped if result.achievement else None
        if achieved is None:
            return f"Capaian {name} tidak dapat dihitung ({result.achievement.na_reason})."
        achievement = _achievement_text(result.achievement)
        if calc.target_reached(result.achievement):
            exceeded = calc.verdict(result.achievement) == calc.Verdict.EXCEEDED
            head = (
                f"Indikator ini {'melampaui' if exceeded else 'mencapai'} target: "
                f"{_versus(result)}capaian {achievement}"
            )
            if exceeded:
                head += f", {format_number(achieved - HUNDRED, 2)} poin di atas target"
            parts = [head + ".", _quarter_path(result)]
        else:
            parts = [
                f"Indikator ini belum mencapai target: {_versus(result)}capaian {achievement}, "
                f"kurang {format_number(HUNDRED - achieved, 2)} poin dari capaian penuh.",
                _lag_text(result),
                _quarter_path(result),
            ]
    parts += [_last_year_text(data, result), _money_text(data, result)]
    parts.append(_narratives_text(result, exceeded))
    parts += [_notes_text(data, code), _findings_text(data, code), _evidence_text(data, code)]
    return "\n\n".join(p for p in parts if p)


def _region(data: LkjipData) -> str:
    """The regional office's name in the report's year ('' for a unit without one)."""
    chain = authority_chain(data.unit, data.year)
    parent = data.unit.parent
    return chain[-2] if parent is not None and parent.kind == "kanwil" and len(chain) >= 2 else ""


def pk_budget(data: LkjipData) -> Decimal | None:
    """The PK's budget: the programmes' total (their activities repeat them), else every line."""
    if data.agreement is None:
        return None
    items = list(data.agreement.budget_items.all())
    programmes = [i.amount for i in items if i.kind == "program"]
    amounts = programmes or [i.amount for i in items]
    return sum(amounts, Decimal(0)) if amounts else None


def catatan_anggaran(data: LkjipData) -> str:
    """Why the PK's budget (BAB II) and the DIPA (BAB III.B) differ: the two figures, stated."""
    pk = pk_budget(data)
    if pk is None or not data.overview.has_lines:
        return ""
    pagu = data.overview.total.pagu
    if pk == pagu:
        return (
            f"Anggaran pada Perjanjian Kinerja sama dengan pagu DIPA Tahun {data.year}, "
            f"yaitu {format_rupiah(pagu)}."
        )
    signed = data.agreement.signed_on if data.agreement is not None else None
    when = f" yang ditandatangani {format_date(signed)}" if signed else ""
    return (
        f"Anggaran program pada Perjanjian Kinerja{when} (Bab II) berjumlah {format_rupiah(pk)}, "
        f"sedangkan pagu DIPA {_name(data)} Tahun {data.year} yang direalisasikan (tabel di atas) "
        f"berjumlah {format_rupiah(pagu)}; selisihnya {format_rupiah(abs(pk - pagu))}. "
        "Capaian kinerja anggaran dalam laporan ini dihitung dari pagu DIPA."
    )


def catatan_emonev(data: LkjipData) -> str:
    """The last e-Monev month beside the DIPA's realisation: the two figures, stated."""
    emonev = list(data.overview.emonev)
    total = data.overview.total
    if not emonev or not data.overview.has_lines or total.absorption is None:
        return ""
    last = emonev[-1]
    gap = abs(total.absorption - last.absorption)
    month = BULAN[last.month - 1]
    if gap < Decimal("0.01"):
        return (
            f"Serapan anggaran pada e-Monev Bappenas bulan {month} ({_pct(last.absorption)}) sama "
            f"dengan realisasi DIPA ({_pct(total.absorption)})."
        )
    return (
        f"Serapan anggaran yang tercatat pada e-Monev Bappenas bulan {month} adalah "
        f"{_pct(last.absorption)}, sedangkan realisasi DIPA Tahun {data.year} adalah "
        f"{_pct(total.absorption)} ({format_rupiah(total.realised)} dari "
        f"{format_rupiah(total.pagu)}); selisihnya {format_number(gap, 2)} poin. Angka e-Monev "
        "dikutip sebagaimana tercatat pada aplikasi e-Monev Bappenas; realisasi anggaran dalam "
        "laporan ini dihitung dari DIPA."
    )


def surat_pengantar(data: LkjipData) -> str:
    return (
        f"Bersama ini dengan hormat kami sampaikan Laporan Kinerja Instansi Pemerintah (LKjIP) "
        f"{_name(data)} Tahun {data.year} sebagai pertanggungjawaban atas pelaksanaan tugas dan "
        f"fungsi serta penggunaan anggaran Tahun Anggaran {data.year}.\n\n"
        "Demikian kami sampaikan, atas perhatian Bapak/Ibu kami ucapkan terima kasih."
    )


def surat_tembusan(data: LkjipData) -> str:
    chain = authority_chain(data.unit, data.year, ministry=True)
    lines = []
    directorate = next((n for n in chain if n.startswith("Direktorat Jenderal ")), "")
    if directorate:
        lines.append("- Direktur Jenderal " + directorate.removeprefix("Direktorat Jenderal "))
    if chain and chain[0].startswith("Kementerian "):
        lines.append(f"- Inspektur Jenderal {chain[0]}")
    return "\n".join(lines)


def sk_menimbang(data: LkjipData) -> str:
    name = _name(data)
    return (
        f"- bahwa dalam rangka menyusun Laporan Kinerja Instansi Pemerintah {name} Tahun "
        f"{data.year} sesuai Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas "
        "Kinerja Instansi Pemerintah, perlu dibentuk Tim Penyusun LKjIP;\n"
        f"- bahwa nama-nama yang tercantum dalam lampiran keputusan ini dipandang cakap dan mampu "
        "melaksanakan tugas sebagai Tim Penyusun LKjIP;\n"
        "- bahwa berdasarkan pertimbangan sebagaimana dimaksud di atas, perlu menetapkan Keputusan "
        f"Kepala {name} tentang Pembentukan Tim Penyusun LKjIP Tahun {data.year};"
    )


def sk_mengingat(data: LkjipData) -> str:
    law = (
        "Undang-Undang Nomor 22 Tahun 2022 tentang Pemasyarakatan"
        if data.year >= 2023
        else "Undang-Undang Nomor 12 Tahun 1995 tentang Pemasyarakatan"
    )
    return (
        f"- {law};\n"
        "- Peraturan Pemerintah Nomor 8 Tahun 2006 tentang Pelaporan Keuangan dan Kinerja Instansi "
        "Pemerintah;\n"
        "- Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi "
        "Pemerintah;\n"
        "- Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 Tahun "
        "2014 tentang Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja dan Tata Cara Reviu "
        "atas Laporan Kinerja Instansi Pemerintah;"
    )


def sk_memutuskan(data: LkjipData) -> str:
    name = _name(data)
    region = _region(data)
    report_to = f"Kepala {region}" if region else "atasan langsung"
    return (
        f"KESATU: Membentuk Tim Penyusun LKjIP {name} Tahun {data.year} dengan susunan "
        "sebagaimana tercantum dalam lampiran keputusan ini.\n"
        "KEDUA: Tim bertugas menyusun LKjIP sesuai dengan Perjanjian Kinerja Tahun "
        f"{data.year} dan melaporkan hasilnya kepada Kepala {name} untuk disampaikan kepada "
        f"{report_to}.\n"
        "KETIGA: Keputusan ini mulai berlaku sejak tanggal ditetapkan, dengan ketentuan apabila "
        "di kemudian hari terdapat kekeliruan akan diadakan perbaikan sebagaimana mestinya."
    )


DRAFTS = {
    "kata_pengantar": kata_pengantar,
    "ikhtisar": ikhtisar,
    "latar_belakang": latar_belakang,
    "tugas_fungsi": tugas_fungsi,
    "maksud_tujuan": maksud_tujuan,
    "aspek_strategis": aspek_strategis,
    "isu_strategis": isu_strategis,
    "kesimpulan": kesimpulan,
    "saran": saran,
    "catatan_anggaran": catatan_anggaran,
    "catatan_emonev": catatan_emonev,
    "surat_pengantar": surat_pengantar,
    "surat_tembusan": surat_tembusan,
    "sk_menimbang": sk_menimbang,
    "sk_mengingat": sk_mengingat,
    "sk_memutuskan": sk_memutuskan,
}


def draft(data: LkjipData, key: str) -> str:
    if key.startswith("analisis:"):
        code = key.split(":", 1)[1]
        result = next((r for r in data.results if r.row.indicator.code == code), None)
        return analisis(data, result) if result else ""
    return DRAFTS[key](data)


def text(data: LkjipData, key: str) -> tuple[str, bool]:
    """The section's text and whether it is still the automatic draft."""
    if key in data.sections:
        return data.sections[key], False
    return draft(data, key), True


def section_keys(data: LkjipData) -> list[tuple[str, str]]:
    keys = list(SECTIONS)
    keys += [
        (f"analisis:{r.row.indicator.code}", f"Analisis {r.row.indicator.code}")
        for r in data.results
    ]
    return keys
