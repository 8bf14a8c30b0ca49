"""`kinerja import-results FILE --unit SLUG --year YEAR --quarter N [--dry-run]` and, to get the
file, `kinerja import-results --template -o FILE --unit … --year … --quarter …`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.bounds import year_argument
from kinerja.measurement.bulk_upload import results_template, results_upload
from kinerja.organizations.models import Unit


class Command(BaseCommand):
    help = (
        "Unggah realisasi satu triwulan dari templat Excel (satu baris per UPT × IKK): diperiksa "
        "seluruhnya dulu, setiap masalah dengan sel-nya; tanpa masalah semua baris ditulis sekaligus."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="berkas .xlsx yang diisi")
        parser.add_argument(
            "--unit", required=True, help="UPT, atau Kanwil/Ditjen untuk UPT di bawahnya"
        )
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument("--quarter", required=True, type=int, choices=[1, 2, 3, 4])
        parser.add_argument(
            "--dry-run", action="store_true", help="periksa saja, tulis apa pun tidak"
        )
        parser.add_argument("--template", action="store_true", help="tulis templatnya ke -o")
        parser.add_argument("-o", "--output", help="berkas templat .xlsx (dengan --template)")

    def handle(self, *args, file, unit, year, quarter, **options):
        found = Unit.objects.filter(slug=unit).first()
        if found is None:
            raise CommandError(f"Unit '{unit}' tidak ditemukan.")
        facilities = Unit.objects.facilities().filter(path__startswith=found.path)
        if options["template"]:
            if not options["output"]:
                raise CommandError("--template perlu -o BERKAS.xlsx.")
            Path(options["output"]).write_bytes(results_template(facilities, year, quarter))
            self.stdout.write(f"Templat ditulis: {options['output']}")
            return
        if not file:
            raise CommandError("Sebutkan berkas .xlsx yang diunggah (atau --template -o BERKAS).")
        path = Path(file)
        upload = results_upload(
            facilities=facilities,
            year=year,
            quarter=quarter,
            content=path.read_bytes(),
            filename=path.name,
            by=None,
            write=not options["dry_run"],
        )
        for problem in upload.problems:
            self.stderr.write(str(problem))
        if upload.problems:
            raise CommandError(f"{len(upload.problems)} masalah; tidak ada yang ditulis.")
        verb = "akan ditulis" if options["dry_run"] else "ditulis"
        self.stdout.write(
            f"{len(upload.rows)} baris {verb}, {upload.skipped} baris kosong dilewati."
        )
