"""`kinerja import-spending FILE --unit SLUG --year YEAR [--dry-run]` and, to get the file,
`kinerja import-spending --template -o FILE --unit … --year …`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.budget.bulk_upload import spending_template, spending_upload
from kinerja.core.bounds import year_argument
from kinerja.organizations.models import Unit


class Command(BaseCommand):
    help = (
        "Unggah realisasi anggaran bulanan dari templat Excel (satu baris per baris DIPA, satu kolom "
        "per bulan): diperiksa seluruhnya dulu, setiap masalah dengan sel-nya; tanpa masalah bulan "
        "yang berubah ditulis sekaligus."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="berkas .xlsx yang diisi")
        parser.add_argument(
            "--unit", required=True, help="UPT, atau Kanwil/Ditjen untuk UPT di bawahnya"
        )
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument(
            "--dry-run", action="store_true", help="periksa saja, tulis apa pun tidak"
        )
        parser.add_argument("--template", action="store_true", help="tulis templatnya ke -o")
        parser.add_argument("-o", "--output", help="berkas templat .xlsx (dengan --template)")

    def handle(self, *args, file, unit, year, **options):
        found = Unit.objects.filter(slug=unit).first()
        if found is None:
            raise CommandError(f"Unit '{unit}' tidak ditemukan.")
        facilities = Unit.objects.facilities().filter(path__startswith=found.path)
        if options["template"]:
            if not options["output"]:
                raise CommandError("--template perlu -o BERKAS.xlsx.")
            Path(options["output"]).write_bytes(spending_template(facilities, year))
            self.stdout.write(f"Templat ditulis: {options['output']}")
            return
        if not file:
            raise CommandError("Sebutkan berkas .xlsx yang diunggah (atau --template -o BERKAS).")
        path = Path(file)
        upload = spending_upload(
            facilities=facilities,
            year=year,
            content=path.read_bytes(),
            filename=path.name,
            write=not options["dry_run"],
        )
        for problem in upload.problems:
            self.stderr.write(str(problem))
        if upload.problems:
            raise CommandError(f"{len(upload.problems)} masalah; tidak ada yang ditulis.")
        verb = "akan ditulis" if options["dry_run"] else "ditulis"
        self.stdout.write(f"{len(upload.changes)} bulan berubah {verb} dari {upload.lines} baris.")
