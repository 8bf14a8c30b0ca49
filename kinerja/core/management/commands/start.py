import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Siapkan basis data dan data demo, lalu jalankan aplikasi di http://127.0.0.1:8000 "
        "bersama pekerja latar belakang (pembuatan dokumen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        call_command("demo", stdout=self.stdout)
        # Document jobs are queued in the database; one worker process beside the web server runs
        # them, so the embedded set-up needs no other service.
        worker = subprocess.Popen(
            [sys.executable, "-m", "kinerja.cli", "db_worker", "--interval", "1"]
        )
        self.stdout.write(f"Kinerja berjalan di http://{addrport}/ (hentikan dengan Ctrl+C)")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
