import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.bounds import year_argument
from kinerja.planning.commandline import unit_or_error
from kinerja.review import exporters
from kinerja.review.services import review_run


class Command(BaseCommand):
    help = (
        "Jalankan reviu satu UPT dan tahun: setiap temuan dengan aturan, tingkat, pesan dan "
        "letaknya. Keluar dengan kode 1 bila ada galat terbuka."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode UPT, mis. lapas-atambua")
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument("--json", action="store_true", help="keluaran JSON")
        parser.add_argument("-o", "--output", help="tulis juga berkas .pdf atau .xlsx")

    def handle(self, *args, unit, year, output, **options):
        facility = unit_or_error(unit)
        review = review_run(unit=facility, year=year, trigger="perintah kinerja reviu")
        if options["json"]:
            self.stdout.write(json.dumps(review.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"Reviu {facility.name} {year}: {review.summary()}.")
            for f in review.findings:
                state = " [diterima]" if f.accepted else ""
                self.stdout.write(f"{f.rule} {f.severity_label}{state}: {f.message} ({f.location})")
        if output:
            path = Path(output)
            fmt = path.suffix.lower().lstrip(".")
            if fmt not in exporters.EXPORTERS:
                raise CommandError("Berkas keluaran harus .pdf atau .xlsx.")
            path.write_bytes(exporters.EXPORTERS[fmt](review).content)
        if review.open_errors:
            raise SystemExit(1)
