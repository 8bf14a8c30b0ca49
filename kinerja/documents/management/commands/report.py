import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.bounds import year_argument
from kinerja.core.render.export import ExportError
from kinerja.documents import reports
from kinerja.planning.commandline import unit_or_error


class Command(BaseCommand):
    help = (
        "Buat dokumen resmi: LKjIP, Perjanjian Kinerja atau Laporan Capaian PK satu UPT dan tahun, "
        "sebagai Word (.docx) atau PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=reports.KINDS, help="lkjip, pk atau capaian")
        parser.add_argument("--unit", required=True, help="kode UPT, mis. lapas-atambua")
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="triwulan (capaian)")
        parser.add_argument("--format", choices=reports.FORMATS, help="docx atau pdf")
        parser.add_argument("-o", "--output", required=True, help="berkas keluaran")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="LKjIP sebagai draf bertanda DRAF (versi final memerlukan reviu tanpa galat)",
        )

    def handle(self, *args, kind, unit, year, quarter, format, output, draft, **options):
        path = Path(output)
        fmt = format or path.suffix.lower().lstrip(".")
        if fmt not in reports.FORMATS:
            raise CommandError("Pilih --format docx atau pdf (atau beri berkas .docx/.pdf).")
        facility = unit_or_error(unit)
        started = time.perf_counter()
        try:
            export = reports.generate(kind, facility, year, fmt, quarter=quarter, draft=draft)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        path.write_bytes(export.content)
        seconds = time.perf_counter() - started
        size = f"{len(export.content):,}".replace(",", ".")
        self.stdout.write(f"{path} ditulis ({size} bita, {seconds:.1f} detik).")
        if export.note:
            self.stderr.write(export.note)
