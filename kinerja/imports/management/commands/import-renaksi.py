import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.core.bounds import year_argument
from kinerja.core.formatting import format_rupiah
from kinerja.core.uploads import refusal
from kinerja.imports.services import ImportRejected, plan_summary, renaksi_check, renaksi_import
from kinerja.planning.commandline import unit_or_error


class Command(BaseCommand):
    help = (
        "Impor Rencana Aksi dari berkas kantor (.xlsx, .csv, .tsv, .txt) untuk satu UPT dan tahun."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="kode (slug) UPT")
        parser.add_argument("--year", required=True, type=year_argument)
        parser.add_argument(
            "--dry-run", action="store_true", help="periksa saja, tidak menulis apa pun"
        )
        parser.add_argument("--json", action="store_true", help="ringkasan dalam JSON")

    def handle(self, *args, file, unit, year, dry_run, json: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {file}")
        target = unit_or_error(unit)
        limit = settings.KINERJA_IMPORT_MAX_BYTES
        if path.stat().st_size > limit:  # the same limit as the upload page, before reading
            raise CommandError(
                refusal(path.name, path.stat().st_size, limit, "berkas Rencana Aksi")
                + " (KINERJA_IMPORT_MAX_BYTES)"
            )
        data = path.read_bytes()
        checked = renaksi_check(data=data, filename=path.name, year=year, unit=target)
        summary = plan_summary(checked)
        summary.update({"unit": unit, "year": year, "dry_run": dry_run, "written": False})
        if checked.ok and not dry_run:
            try:
                record = renaksi_import(unit=target, year=year, data=data, filename=path.name)
            except (ValidationError, ImportRejected) as exc:
                summary["errors"].append(
                    {"message": " ".join(getattr(exc, "messages", [str(exc)])), "location": ""}
                )
            else:
                summary["written"] = True
                summary["import_id"] = record.id
        self._print(summary, as_json=json)
        if summary["errors"]:
            raise CommandError(
                f"Impor dibatalkan: {len(summary['errors'])} kesalahan; basis data tidak diubah."
            )

    def _print(self, summary: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        totals = summary.get("totals") or {}
        if totals:
            self.stdout.write(
                f"{summary['file']}: {totals['goals']} sasaran, {totals['indicators']} indikator, "
                f"{totals['activities']} kegiatan, pagu {format_rupiah(totals['pagu'])}, "
                f"RPD {format_rupiah(totals['rpd'])}"
            )
            for item in summary["indicators"]:
                self.stdout.write(
                    f"  baris {item['row']:>4}  {item['code'] or '?':<8} target {item['target']} {item['target_unit']}"
                )
        for kind in ("errors", "warnings"):
            for problem in summary[kind]:
                label = "KESALAHAN" if kind == "errors" else "peringatan"
                self.stdout.write(f"{label}: {problem['location']}: {problem['message']}")
        if summary["written"]:
            self.stdout.write("Rencana Aksi tersimpan sebagai draf Perjanjian Kinerja.")
        elif summary["dry_run"] and not summary["errors"]:
            self.stdout.write("Uji coba (--dry-run): tidak ada yang ditulis.")
