"""Automatic drafts of the LKjIP's narrative sections, written from the data in plain Indonesian.
The user edits them; what is saved replaces the draft (documents.services.section_save). Every
figure named here comes from the same results and budget figures as the tables."""

from __future__ import annotations

from decimal import Decimal

from kinerja import calc
from kinerja.core.formatting import format_number, format_percent, format_rupiah
from kinerja.documents.common import figure, target_text
from kinerja.documents.lkjip_data import HUNDRED, LkjipData

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


def isu_strategis(data: LkjipData) -> str:
    lines = []
    g = data.groups()
    if g["kurang"]:
        lines.append(f"- {len(g['kurang'])} IKK belum mencapai target (lihat Bab III.A).")
    blocked = data.overview.total.blocked
    if blocked:
        lines.append(
            f"- Terdapat pagu blokir sebesar {format_rupiah(blocked)} yang tidak dapat dicairkan."
        )
    if not lines:
        lines.append("- (Tuliskan isu strategis yang menghambat pencapaian kinerja.)")
    return "Permasalahan yang dihadapi antara lain:\n" + "\n".join(lines)


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


def saran(data: LkjipData) -> str:
    g = data.groups()
    lines = [f"- Menyusun langkah perbaikan untuk {r.row.name}." for r in g["kurang"]] or [
        "- Mempertahankan capaian kinerja dan penyerapan anggaran."
    ]
    if g["kosong"]:
        lines.append("- Melengkapi pencatatan realisasi dan data dukung setiap triwulan.")
    return "\n".join(lines)


def analisis(data: LkjipData, result) -> str:
    """Causes of success or failure of one IKK: the starting text names what the figures say."""
    name = result.row.name
    if not result.recorded:
        return f"Realisasi {name} Tahun {data.year} belum dicatat."
    if result.realisation.is_na:
        return (
            f"Tidak terdapat populasi untuk indikator ini pada Tahun {data.year} "
            f"({result.realisation.na_reason}); capaian tidak dapat diukur dan tidak dihitung "
            "sebagai tercapai."
        )
    achieved = result.achievement.capped if result.achievement else None
    if achieved is None:
        return f"Capaian {name} tidak dapat dihitung ({result.achievement.na_reason})."
    if calc.target_reached(result.achievement):
        verdict = (
            "melampaui" if calc.verdict(result.achievement) == calc.Verdict.EXCEEDED else "mencapai"
        )
        return (
            f"Indikator ini {verdict} target dengan capaian {_pct(achieved)}. "
            "(Uraikan faktor penyebab keberhasilan dan kegiatan yang menunjangnya.)"
        )
    return (
        f"Indikator ini belum mencapai target: capaian {_pct(achieved)}, kurang "
        f"{format_number(HUNDRED - achieved, 2)} poin dari 100%. "
        "(Uraikan penyebab kegagalan dan langkah perbaikan.)"
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
