from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Cadangkan basis data dan berkas unggahan (data dukung, dokumen, impor) ke satu arsip "
        ".tar.gz dengan manifest dan checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", required=True, help="berkas arsip, mis. cadangan.tar.gz"
        )

    def handle(self, *args, output, **options):
        path = Path(output)
        if path.is_dir():
            raise CommandError(f"{path} adalah folder; sebutkan nama berkas arsip.")
        if not path.parent.is_dir():
            raise CommandError(f"Folder {path.parent} tidak ada.")
        try:
            manifest = backup_create(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.counts.values())
        files = sum(1 for name in manifest.files if name.startswith("media/"))
        self.stdout.write(
            f"Cadangan ditulis ke {path}: {rows} baris dari {len(manifest.counts)} tabel "
            f"({manifest.vendor}), {files} berkas unggahan, {path.stat().st_size} bita."
        )
