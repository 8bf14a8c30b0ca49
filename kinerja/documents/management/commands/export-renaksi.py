from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.documents.exporters import ExportError
from kinerja.documents.renaksi import renaksi_pdf, renaksi_xlsx
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja

EXPORTERS = {".xlsx": renaksi_xlsx, ".pdf": renaksi_pdf}


class Command(BaseCommand):
    help = "Ekspor Rencana Aksi satu UPT dan tahun ke .xlsx (tata letak kantor) atau .pdf."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("-o", "--output", required=True, help="nama berkas .xlsx atau .pdf")

    def handle(self, *args, unit, year, output, **options):
        path = Path(output)
        exporter = EXPORTERS.get(path.suffix.lower())
        if exporter is None:
            raise CommandError("Berkas keluaran harus berakhiran .xlsx atau .pdf.")
        target = Unit.objects.filter(slug=unit).first()
        if target is None:
            raise CommandError(f"Unit '{unit}' tidak ditemukan (lihat `kinerja unit list`).")
        agreement = PerjanjianKinerja.objects.latest_for(target, year)
        if agreement is None:
            raise CommandError(f"Belum ada Perjanjian Kinerja {target} tahun {year}.")
        try:
            export = exporter(agreement=agreement)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        path.write_bytes(export.content)
        self.stdout.write(f"{path} ditulis ({len(export.content):,} bita).".replace(",", "."))
