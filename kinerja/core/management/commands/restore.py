from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Pulihkan basis data dan berkas unggahan dari arsip `kinerja backup`. Menolak arsip yang "
        "rusak, dan basis data yang sudah berisi data kecuali dengan --force. Hentikan server "
        "aplikasi dan pekerja latar belakang selama pemulihan."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="arsip cadangan (.tar.gz)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="timpa basis data dan berkas unggahan yang sudah ada (semua isinya diganti)",
        )

    def handle(self, *args, archive, force, **options):
        try:
            result = backup_restore(Path(archive), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"Dipulihkan dari {archive} (dibuat {manifest['created']}, "
            f"{manifest['database_vendor']}): {sum(result.counts.values())} baris, "
            f"{result.files} berkas unggahan."
        )
        for note in result.notes:
            self.stdout.write(note)
