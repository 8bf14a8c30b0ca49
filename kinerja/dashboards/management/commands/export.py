"""`kinerja export --unit SLUG --year 2023|2021-2025 --what results|budget|reviu --format xlsx|csv
[--separator ";"] -o FILE`: the bulk export of a unit and every facility below it."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.dashboards import bulk
from kinerja.dashboards.rollup import facilities_below
from kinerja.organizations.models import Unit


def years_argument(text: str) -> list[int]:
    try:
        return bulk.parse_years(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Ekspor massal capaian, anggaran atau temuan reviu satu unit dan semua UPT di bawahnya, "
        "untuk satu tahun atau rentang tahun, sebagai XLSX atau CSV (UTF-8, pemisah , atau ;)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit: UPT, Kanwil atau Ditjen")
        parser.add_argument(
            "--year", required=True, type=years_argument, help="2023 atau 2021-2025"
        )
        parser.add_argument("--what", required=True, choices=bulk.KINDS)
        parser.add_argument("--format", choices=bulk.FORMATS, help="bawaan: dari akhiran berkas")
        parser.add_argument(
            "--separator",
            default=",",
            choices=bulk.SEPARATORS,
            help='pemisah CSV; ";" untuk Excel berbahasa Indonesia (angka dengan koma desimal)',
        )
        parser.add_argument("-o", "--output", required=True, help="berkas keluaran .xlsx atau .csv")

    def handle(self, *args, unit, year, what, output, separator, **options):
        found = Unit.objects.filter(slug=unit).first()
        if found is None:
            raise CommandError(f"Unit '{unit}' tidak ditemukan.")
        path = Path(output)
        fmt = options["format"] or path.suffix.lower().lstrip(".")
        if fmt not in bulk.FORMATS:
            raise CommandError("Format harus xlsx atau csv (--format, atau akhiran berkas).")
        facilities = (
            facilities_below(found) if found.kind != "upt" else Unit.objects.filter(pk=found.pk)
        )
        table = bulk.TABLES[what](found, facilities, year)
        content = bulk.to_xlsx(table) if fmt == "xlsx" else bulk.to_csv(table, separator)
        path.write_bytes(content)
        self.stdout.write(f"{path}: {len(table.rows)} baris ({table.title}).")
