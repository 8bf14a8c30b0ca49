import json

from django.core.management.base import BaseCommand, CommandError

from kinerja.budget.exchange import budget_record
from kinerja.budget.models import SpendingType
from kinerja.budget.selectors import budget_overview
from kinerja.core.bounds import year_argument
from kinerja.core.formatting import format_percent, format_rupiah
from kinerja.planning.commandline import unit_or_error


class Command(BaseCommand):
    help = (
        "Anggaran satu UPT dan tahun: pagu, blokir, rencana, realisasi dan penyerapan per jenis "
        "belanja, per KRO/RO dan total, serta nilai kinerja anggaran (SMART, IKPA, perkiraan IKPA)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, unit, year, **options):
        facility = unit_or_error(unit)
        overview = budget_overview(facility, year)
        data = budget_record(facility, year, overview)
        if data is None:
            raise CommandError(f"Belum ada data anggaran {facility} tahun {year}.")
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Anggaran {facility} {year}")
        for t, f in overview.by_type.items():
            self.stdout.write(
                f"  {SpendingType(t).label:16} pagu {format_rupiah(f.pagu):>20}  realisasi "
                f"{format_rupiah(f.realised):>20}  {format_percent(f.absorption)}"
            )
        t = overview.total
        self.stdout.write(
            f"  {'Jumlah':16} pagu {format_rupiah(t.pagu):>20}  realisasi "
            f"{format_rupiah(t.realised):>20}  {format_percent(t.absorption)}"
        )
        if overview.performance is not None:
            self.stdout.write(f"  Capaian Kinerja Anggaran {format_percent(overview.performance)}")
