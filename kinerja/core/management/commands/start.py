from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Siapkan basis data dan data demo, lalu jalankan aplikasi di http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        call_command("demo", stdout=self.stdout)
        self.stdout.write(f"Kinerja berjalan di http://{addrport}/ (hentikan dengan Ctrl+C)")
        call_command("runserver", addrport, use_reloader=False)
