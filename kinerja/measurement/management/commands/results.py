import json
from decimal import Decimal

from django.core.management.base import BaseCommand

from kinerja.core.bounds import year_argument
from kinerja.core.formatting import format_percent
from kinerja.measurement.exchange import result_records
from kinerja.planning.commandline import agreement_or_error


class Command(BaseCommand):
    help = "Capaian kinerja satu UPT dan tahun: target, realisasi, capaian (mentah dan dibatasi), N/A dan perhitungannya."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, unit, year, **options):
        as_json = options["json"]
        agreement = agreement_or_error(unit, year, in_force=True)
        rows = result_records(agreement)
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            if not row["recorded"]:
                shown = "belum diisi"
            elif row["na"]:
                shown = f"N/A ({row['na_reason']})"
            else:
                shown = format_percent(Decimal(row["achievement"]))
            self.stdout.write(f"{row['code']:<8} {shown:<40} {row['computation']}")
