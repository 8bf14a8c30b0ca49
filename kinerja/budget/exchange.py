"""A facility's budget year as data for other systems: what `kinerja budget --json` prints and the
API returns, one function so both say the same (figures from `budget_overview` and
`ikk_funding`, numbers as JSON decimal strings)."""

from __future__ import annotations

from typing import Any

from kinerja.budget.models import SpendingType
from kinerja.budget.selectors import Overview, budget_overview, ikk_funding
from kinerja.core.formatting import json_number
from kinerja.measurement.selectors import year_results
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja


def budget_record(
    facility: Unit, year: int, overview: Overview | None = None
) -> dict[str, Any] | None:
    """The year's budget of the facility (None when it has none: no DIPA line, no reported
    figure, no score). A caller that has the overview already passes it."""
    if overview is None:
        overview = budget_overview(facility, year)
    if not overview.has_lines and not overview.reported_by_type and overview.score is None:
        return None
    agreement = PerjanjianKinerja.objects.latest_for(facility, year)
    funding = ikk_funding(overview, year_results(agreement)) if agreement else []
    data = {
        "unit": facility.slug,
        "year": year,
        "total": overview.total.as_json(),
        "per_jenis_belanja": {
            t: {"nama": SpendingType(t).label, **f.as_json()} for t, f in overview.by_type.items()
        },
        "baris": [
            {
                "kode": node.line.full_code,
                "tingkat": node.line.level,
                "uraian": node.line.name,
                "volume": json_number(node.line.volume),
                "satuan": node.line.volume_unit,
                "jenis_belanja": node.line.spending_type or None,
                **node.figures.as_json(),
            }
            for node in overview.rows
        ],
        "dilaporkan_per_jenis_belanja": {
            t: {
                "pagu": json_number(y.pagu),
                "realisasi": json_number(y.realised),
                "sumber": y.source,
            }
            for t, y in overview.reported_by_type.items()
        },
        "selisih_laporan": [
            {
                "jenis_belanja": d["type"],
                "angka": d["what"],
                "dilaporkan": json_number(d["reported"]),
                "dari_baris_dipa": json_number(d["computed"]),
                "selisih": json_number(d["difference"]),
            }
            for d in overview.type_differences
        ],
        "kinerja_anggaran": {
            "smart": json_number(overview.score.smart) if overview.score else None,
            "ikpa": json_number(overview.score.ikpa) if overview.score else None,
            "komponen_smart": overview.score.smart_components if overview.score else {},
            "komponen_ikpa": overview.score.ikpa_components if overview.score else {},
            "bobot": {k: json_number(v) for k, v in overview.weights.items()},
            "capaian_kinerja_anggaran": json_number(overview.performance, 2),
            "perkiraan_ikpa": _estimate(overview.estimate),
            "peraturan": overview.regulations,
        },
        "ikk": [
            {
                "kode": f.code,
                "prioritas_nasional": f.national_priority,
                "baris_dipa": [line.full_code or line.name for line in f.lines],
                **f.figures.as_json(),
                "capaian": json_number(f.achieved, 2),
                "efisiensi_poin": json_number(f.efficiency, 2),
            }
            for f in funding
        ],
    }
    return data


def _estimate(estimate: Any) -> dict[str, Any] | None:
    if estimate is None:
        return None
    return {
        "nilai": json_number(estimate.score, 2),
        "penyerapan": json_number(estimate.absorption, 2),
        "deviasi": json_number(estimate.deviation, 2),
        "bobot_tercakup_persen": json_number(estimate.weight_covered, 2),
        "keterangan": estimate.reason,
    }
