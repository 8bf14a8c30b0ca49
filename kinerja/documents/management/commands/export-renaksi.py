from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.bounds import year_argument
from kinerja.core.render.export import ExportError
from kinerja.planning.commandline import agreement_or_error
from kinerja.planning.renaksi_export import renaksi_pdf, renaksi_xlsx

EXPORTERS = {".xlsx": renaksi_xlsx, ".pdf": renaksi_pdf}


class Command(BaseCommand):
    help = "Ekspor Rencana Aksi satu UPT dan tahun ke .xlsx (tata letak kantor) atau .pdf."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument("-o", "--output", required=True, help="nama berkas .xlsx atau .pdf")

    def handle(self, *args, unit, year, output, **options):
        path = Path(output)
        exporter = EXPORTERS.get(path.suffix.lower())
        if exporter is None:
            raise CommandError("Berkas keluaran harus berakhiran .xlsx atau .pdf.")
        agreement = agreement_or_error(unit, year)
        try:
            export = exporter(agreement=agreement)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        path.write_bytes(export.content)
        self.stdout.write(f"{path} ditulis ({len(export.content):,} bita).".replace(",", "."))
