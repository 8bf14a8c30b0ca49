import json
from decimal import Decimal

from django.core.management.base import BaseCommand

from kinerja.core.bounds import year_argument
from kinerja.core.formatting import format_number, round_half_up
from kinerja.measurement.selectors import year_results
from kinerja.planning.commandline import agreement_or_error


def _number(value):
    return None if value is None else str(round_half_up(value, 2))


class Command(BaseCommand):
    help = "Capaian kinerja satu UPT dan tahun: target, realisasi, capaian (mentah dan dibatasi), N/A dan perhitungannya."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, unit, year, **options):
        as_json = options["json"]
        agreement = agreement_or_error(unit, year, in_force=True)
        rows = []
        for r in year_results(agreement):
            na = bool(r.realisation and r.realisation.is_na)
            rows.append(
                {
                    "code": r.row.indicator.code,
                    "name": r.row.indicator.name,
                    "target": _number(r.row.target),
                    "target_unit": r.row.target_unit,
                    "quarter": r.quarter,
                    "realisation": _number(r.realisation.value) if r.recorded and not na else None,
                    "achievement": _number(r.achievement.raw) if r.achievement else None,
                    "achievement_capped": _number(r.achievement.capped) if r.achievement else None,
                    "na": na,
                    "na_reason": r.realisation.na_reason if na else "",
                    "recorded": r.recorded,
                    "status": r.status or None,
                    "computation": r.computation,
                }
            )
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            if not row["recorded"]:
                shown = "belum diisi"
            elif row["na"]:
                shown = f"N/A ({row['na_reason']})"
            else:
                shown = f"{format_number(Decimal(row['achievement']))}%"
            self.stdout.write(f"{row['code']:<8} {shown:<40} {row['computation']}")
