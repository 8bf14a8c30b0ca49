"""A PK and its Rencana Aksi as data for other systems (the API): read through the same selectors
as the PK page (`agreement_tables`, `action_plan`), numbers as JSON decimal strings, money in
whole rupiah."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.core.formatting import json_number
from kinerja.organizations.models import Person
from kinerja.planning.models import PerjanjianKinerja, RAQuarter
from kinerja.planning.selectors import action_plan, agreement_tables


def _person(person: Person | None, title: str) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"nama": person.name, "nip": person.nip, "jabatan": title}


def pk_record(agreement: PerjanjianKinerja) -> dict[str, Any]:
    """The PK: its version and status, the two parties, the three tables (IKU, IKP, IKK) with
    goals, indicators and targets, and the budget table."""
    return {
        "unit": agreement.unit.slug,
        "tahun": agreement.year,
        "revisi": agreement.revision,
        "status": agreement.status,
        "alasan_revisi": agreement.revision_reason,
        "tempat": agreement.place,
        "tanggal": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "pihak_pertama": _person(agreement.first_party, agreement.first_party_title),
        "pihak_kedua": _person(agreement.second_party, agreement.second_party_title),
        "batas_capaian": json_number(agreement.achievement_cap, 2),
        "tingkat": [
            {
                "tingkat": table.level,
                "sasaran": [
                    {
                        "nomor": goal.number,
                        "sasaran": goal.name,
                        "indikator": [
                            {
                                "nomor": row.number,
                                "kode": row.indicator.code,
                                "nama": row.name,
                                "target": json_number(row.target, 2),
                                "satuan": row.target_unit,
                                "prioritas_nasional": row.national_priority,
                            }
                            for row in goal.indicators.all()
                        ],
                    }
                    for goal in table.goals
                ],
            }
            for table in agreement_tables(agreement)
        ],
        "anggaran": [
            {
                "jenis": item.kind,
                "kode": item.code,
                "uraian": item.name,
                "jumlah": json_number(item.amount),
            }
            for item in agreement.budget_items.all()
        ],
    }


def action_plan_record(agreement: PerjanjianKinerja) -> dict[str, Any]:
    """The Rencana Aksi: per IKK its funding activity, the four quarters (target increment,
    planned activity, expected evidence) and the activity's planned disbursement (RPD); the
    totals count each activity once."""
    rows, total_pagu, total_rpd = action_plan(agreement)
    return {
        "unit": agreement.unit.slug,
        "tahun": agreement.year,
        "revisi": agreement.revision,
        "status": agreement.status,
        "total_pagu": json_number(total_pagu),
        "total_rpd": json_number(total_rpd),
        "ikk": [
            {
                "kode": r.row.indicator.code,
                "nama": r.row.name,
                "target": json_number(r.row.target, 2),
                "satuan": r.row.target_unit,
                "rumus": r.row.indicator.formula,
                "kegiatan": r.row.activity.name if r.row.activity else None,
                "pagu_kegiatan": json_number(r.row.activity.pagu) if r.row.activity else None,
                "triwulan": [_quarter(q, r.quarters.get(q), r.rpd.get(q)) for q in (1, 2, 3, 4)],
            }
            for r in rows
        ],
    }


def _quarter(quarter: int, plan: RAQuarter | None, rpd: Decimal | None) -> dict[str, Any]:
    return {
        "triwulan": quarter,
        "target": json_number(plan.target_increment, 2) if plan else None,
        "rencana_kegiatan": plan.planned_activity if plan else "",
        "data_dukung": plan.evidence_expected if plan else "",
        "rpd": json_number(rpd),
    }
