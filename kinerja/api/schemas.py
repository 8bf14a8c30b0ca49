"""What the API answers, with each field's meaning in Indonesian in the OpenAPI schema."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from kinerja.core.bounds import YEAR_MAX, YEAR_MIN

# A body is taken as sent: 0 is not false, "4" is not 4 (pydantic would coerce them).
STRICT = ConfigDict(strict=True)


class FieldProblem(Schema):
    field: str = Field(description="letak masalah: path.<nama>, query.<nama> atau body.<nama>")
    message: str = Field(description="pesan dalam bahasa Indonesia")


class Error(Schema):
    status: int = Field(description="kode status HTTP")
    code: str = Field(description="kode galat untuk mesin: not_found, unauthorized, invalid, …")
    message: str = Field(description="pesan dalam bahasa Indonesia")
    field: str | None = Field(None, description="letak masalah pertama, bila ada")
    errors: list[FieldProblem] = Field(default_factory=list, description="setiap masalah masukan")


class MeOut(Schema):
    username: str = Field(description="nama pengguna pemilik token (atau sesi)")
    name: str = Field(description="nama lengkap")


class UnitOut(Schema):
    slug: str = Field(description="kode unit (dipakai di alamat)")
    name: str = Field(description="nama unit")
    kind: str = Field(description="jenis unit: directorate (Ditjen), kanwil, upt")
    parent: str | None = Field(description="kode unit di atasnya")
    facility_type: str = Field(
        description="tipe UPT: lapas, rutan, lpka, bapas (kosong di atas UPT)"
    )
    facility_class: str = Field(description="kelas UPT (kosong di atas UPT)")
    city: str = Field(description="kota")

    @staticmethod
    def resolve_parent(unit: Any) -> str | None:
        return unit.parent.slug if unit.parent_id else None


class VariableOut(Schema):
    symbol: str = Field(description="simbol dalam rumus (A, B, …)")
    description: str = Field(description="arti variabel")


class IndicatorOut(Schema):
    code: str = Field(description="kode indikator (IKK-2.3, …)")
    name: str = Field(description="nama indikator")
    level: str = Field(description="tingkat: iku, ikp, ikk")
    unit: str = Field(description="satuan target dan realisasi")
    direction: str = Field(description="arah: higher (semakin tinggi semakin baik) atau lower")
    lower_rule: str = Field(description="aturan capaian bila semakin rendah semakin baik")
    formula: str = Field(description="rumus realisasi atas variabel")
    aggregation: str = Field(description="agregasi di atas UPT: sum (ΣA/ΣB), mean, none")
    active: bool = Field(description="masih dipakai dalam katalog")
    variables: list[VariableOut] = Field(description="variabel rumus dengan artinya")


class ResultOut(Schema):
    code: str = Field(description="kode IKK")
    name: str = Field(description="nama IKK")
    target: str | None = Field(description="target tahunan (desimal sebagai teks)")
    target_unit: str = Field(description="satuan target")
    quarter: int | None = Field(
        description="triwulan asal realisasi (data lengkap terakhir); null: belum diisi"
    )
    realisation: str | None = Field(description="realisasi; null bila belum diisi atau N/A")
    achievement: str | None = Field(description="capaian (%) sebelum dibatasi; null bila tidak ada")
    achievement_capped: str | None = Field(description="capaian (%) setelah batas atas PK")
    na: bool = Field(description="N/A: populasi nol, tidak dihitung tercapai")
    na_reason: str = Field(description="alasan N/A")
    recorded: bool = Field(description="sudah diisi (false: belum diisi, bukan nol)")
    status: str | None = Field(description="status laporan triwulan asal realisasi")
    computation: str = Field(description="langkah perhitungan sebagai teks")


class ResultsOut(Schema):
    unit: str = Field(description="kode UPT")
    year: int = Field(description="tahun PK")
    through: int | None = Field(description="s.d. triwulan (null: seluruh data tahun ini)")
    pk_revision: int = Field(description="revisi PK yang berlaku (0: PK awal)")
    pk_status: str = Field(description="status PK: signed (ditandatangani) atau draft")
    results: list[ResultOut]


class ResultIn(Schema):
    model_config = STRICT
    values: dict[str, str | int | None] = Field(
        description=(
            'nilai variabel kumulatif s.d. akhir triwulan (atau bulan), mis. {"A": "73", '
            '"B": "80"}; angka dengan titik desimal, bukan pemisah ribuan; null mengosongkan'
        )
    )
    narrative: str = Field("", max_length=20000, description="narasi/penjelasan capaian")
    month: int | None = Field(
        None, ge=1, le=12, description="bulan 1-12, hanya untuk UPT yang mengisi bulanan"
    )


class SavedOut(Schema):
    code: str = Field(description="kode IKK")
    quarter: int = Field(description="triwulan")
    month: int | None = Field(description="bulan (UPT yang mengisi bulanan)")
    values: dict[str, str] = Field(description="nilai variabel yang tersimpan")
    narrative: str = Field(description="narasi yang tersimpan")
    result: ResultOut = Field(description="capaian IKK ini sekarang (seluruh data tahun ini)")


class TransitionIn(Schema):
    model_config = STRICT
    action: Literal["submit", "approve", "return", "verify", "lock", "reopen"] = Field(
        description=(
            "submit (ajukan, operator), approve (setujui, kepala UPT), return (kembalikan, dengan "
            "alasan), verify (verifikasi, Kanwil), lock (kunci, Kanwil), reopen (buka kembali, "
            "Kanwil, dengan alasan)"
        )
    )
    reason: str = Field("", max_length=2000, description="alasan (wajib untuk return dan reopen)")


class QuarterOut(Schema):
    unit: str = Field(description="kode UPT")
    year: int = Field(description="tahun")
    quarter: int = Field(description="triwulan")
    status: str = Field(description="status laporan triwulan sesudah tindakan")
    status_label: str = Field(description="status dalam bahasa Indonesia")
    notices: list[str] = Field(description="pesan sesudah tindakan (mis. hasil reviu)")


class EvidenceOut(Schema):
    id: int = Field(description="nomor data dukung")
    code: str = Field(description="kode IKK")
    quarter: int = Field(description="triwulan")
    month: int | None = Field(description="bulan (UPT yang mengisi bulanan)")
    name: str = Field(description="nama berkas asli")
    content_type: str = Field(description="jenis berkas menurut isinya (PDF, JPG, PNG)")
    size: int = Field(description="ukuran dalam byte")


class DocumentIn(Schema):
    model_config = STRICT
    kind: Literal["lkjip", "pk", "capaian"] = Field(
        description="lkjip (laporan tahunan), pk (Perjanjian Kinerja), capaian (Laporan Capaian PK)"
    )
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, description="tahun")
    quarter: int | None = Field(None, ge=1, le=4, description="triwulan, wajib untuk capaian")
    format: Literal["docx", "pdf"] = Field(description="docx (Word, dapat diubah) atau pdf")
    draft: bool = Field(False, description="LKjIP bertanda DRAF")


class JobOut(Schema):
    id: int = Field(description="nomor pekerjaan")
    unit: str = Field(description="kode UPT")
    kind: str = Field(description="jenis dokumen")
    year: int = Field(description="tahun")
    quarter: int | None = Field(description="triwulan (Laporan Capaian PK)")
    format: str = Field(description="docx atau pdf")
    status: str = Field(description="queued (menunggu), running, done (selesai), failed (gagal)")
    status_label: str = Field(description="status dalam bahasa Indonesia")
    progress: int = Field(description="kemajuan 0-100 (%)")
    step: str = Field(description="langkah yang sedang dikerjakan")
    error: str = Field(description="pesan bila gagal")
    draft: bool = Field(description="bertanda DRAF (LKjIP dengan galat reviu terbuka)")
    note: str = Field(description="catatan (mis. mengapa DRAF)")
    file: str | None = Field(description="alamat berkas bila selesai (GET /api/v1/jobs/{id}/file)")


class UploadOut(Schema):
    written: int = Field(
        description="baris yang ditulis (0 pada pemeriksaan saja atau bila ada masalah)"
    )
    checked: int = Field(description="baris terisi yang lolos pemeriksaan")
    skipped: int = Field(description="baris kosong yang dilewati")


class SpendingUploadOut(Schema):
    written: int = Field(description="bulan yang ditulis (0 pada pemeriksaan saja)")
    changed: int = Field(description="bulan yang berbeda dari yang tercatat")
    rows: int = Field(description="baris DIPA yang dibaca")
