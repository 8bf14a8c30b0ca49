import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def gunicorn_command(addrport: str, *, workers: int, threads: int) -> list[str]:
    """The WSGI server `kinerja start` runs: gunicorn with a few processes of a few threads, so that
    several people saving at once are served side by side (the development server queues ten
    connections and serves them one by one)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "kinerja.wsgi",
        "--bind",
        addrport,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "--access-logfile",
        "-",
    ]


class Command(BaseCommand):
    help = (
        "Siapkan basis data dan data demo, lalu jalankan aplikasi di http://127.0.0.1:8000 "
        "(gunicorn) bersama pekerja latar belakang (pembuatan dokumen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2, help="proses gunicorn (bawaan 2)")
        parser.add_argument(
            "--threads", type=int, default=4, help="utas per proses gunicorn (bawaan 4)"
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="server pengembangan Django (memuat ulang kode) alih-alih gunicorn",
        )

    def handle(self, *args, addrport, workers, threads, dev, **options):
        if ":" not in addrport:
            addrport = f"127.0.0.1:{addrport}"
        if workers < 1 or threads < 1:
            raise CommandError("--workers dan --threads minimal 1.")
        call_command("demo", stdout=self.stdout)
        if not settings.DEBUG:
            # Without debug, WhiteNoise serves only collected (hashed) files.
            call_command("collectstatic", interactive=False, verbosity=0)
        # Document jobs are queued in the database; one worker process beside the web server runs
        # them, so the embedded set-up needs no other service.
        worker = subprocess.Popen(
            [sys.executable, "-m", "kinerja.cli", "db_worker", "--interval", "1"]
        )
        self.stdout.write(f"Kinerja berjalan di http://{addrport}/ (hentikan dengan Ctrl+C)")
        # Stopped by a service manager (SIGTERM): leave through `finally`, taking the children along.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        server = None
        try:
            if dev:
                call_command("runserver", addrport, use_reloader=False)
                return
            server = subprocess.Popen(
                gunicorn_command(addrport, workers=workers, threads=threads),
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "kinerja.settings"},
            )
            code = server.wait()
            if code:
                raise CommandError(f"gunicorn berhenti dengan kode {code}.")
        except KeyboardInterrupt:  # Ctrl+C reaches gunicorn too; it finishes its requests
            pass
        finally:
            for process in (server, worker):
                if process is not None and process.poll() is None:
                    process.terminate()
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
