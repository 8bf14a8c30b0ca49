"""`kinerja onboard FILE [--dry-run]`: units, people, users with roles and heads of record from the
onboarding workbook; `kinerja onboard --template -o FILE` writes the empty workbook."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kinerja.organizations.onboarding import (
    first_login_link,
    onboard,
    onboarding_template,
    welcome,
)


class Command(BaseCommand):
    help = (
        "Orientasi: unit, pegawai, pengguna dengan perannya dan kepala dari satu buku kerja. "
        "Diperiksa seluruhnya dulu (setiap masalah dengan lembar, baris dan kolomnya); tanpa "
        "masalah semuanya ditulis sekaligus. Berkas yang sama dua kali tidak mengubah apa pun."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="buku kerja .xlsx yang diisi")
        parser.add_argument(
            "--dry-run", action="store_true", help="periksa saja, tulis apa pun tidak"
        )
        parser.add_argument("--template", action="store_true", help="tulis templatnya ke -o")
        parser.add_argument("-o", "--output", help="berkas templat .xlsx (dengan --template)")
        parser.add_argument(
            "--no-mail", action="store_true", help="jangan kirim surel; cetak tautan masuk pertama"
        )

    def handle(self, *args, file, **options):
        if options["template"]:
            if not options["output"]:
                raise CommandError("--template perlu -o BERKAS.xlsx.")
            Path(options["output"]).write_bytes(onboarding_template())
            self.stdout.write(f"Templat ditulis: {options['output']}")
            return
        if not file:
            raise CommandError("Sebutkan buku kerja .xlsx (atau --template -o BERKAS).")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ada.")
        result = onboard(
            content=path.read_bytes(), filename=path.name, by=None, write=not options["dry_run"]
        )
        for problem in result.problems:
            self.stderr.write(str(problem))
        if result.problems:
            raise CommandError(f"{len(result.problems)} masalah; tidak ada yang ditulis.")
        for change in result.changes:
            self.stdout.write(f"{change.sheet}!baris {change.row}: {change.text}")
        verb = "akan dibuat atau diubah" if options["dry_run"] else "dibuat atau diubah"
        self.stdout.write(
            f"{len(result.changes)} {verb}; {result.unchanged} sudah sesuai, tidak diubah."
        )
        if not result.new_users:
            return
        sent, unsent = ([], result.new_users) if options["no_mail"] else welcome(result.new_users)
        for user in sent:
            self.stdout.write(f"Tautan masuk pertama dikirim ke {user.email} ({user.username}).")
        base = settings.KINERJA_BASE_URL.rstrip("/")
        for user in unsent:
            self.stdout.write(
                f"Tautan masuk pertama {user.username}: {base}{first_login_link(user)}"
            )
