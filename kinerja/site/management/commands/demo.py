from django.core.management import call_command
from django.core.management.base import BaseCommand

from kinerja.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Siapkan basis data: migrasi dan data demo (idempoten), tanpa menjalankan server."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        summary = load_demo()
        self.stdout.write(
            f"Data demo siap: {summary['indicators']} indikator katalog ({summary['ikk']} IKK), "
            f"{summary['users']} pengguna demo."
        )
        self.stdout.write(f"Pengguna demo (kata sandi sama untuk semua: {DEMO_PASSWORD}):")
        for username, _full_name, role, slug in DEMO_USERS:
            self.stdout.write(f"  {username:<20} {role.label} — {slug}")
