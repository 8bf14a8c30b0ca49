"""`kinerja remind [--date YYYY-MM-DD] [--dry-run] [--enqueue]`: send the reminders due today.
Meant to run daily (cron or a systemd timer, see docs/configuration.md); idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.notifications.models import Kind
from kinerja.notifications.services import remind


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"Tanggal '{raw}' tidak sah: tulis YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Kirim pengingat masa pengisian (7, 3 dan 1 hari sebelum ditutup) ke UPT yang belum "
        "mengajukan, dan daftar UPT yang belum mengajukan/terlambat ke Kanwil. Idempoten: "
        "pengingat yang sama tidak pernah dikirim dua kali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=_date,
            help="tanggal hari ini (YYYY-MM-DD); bawaan: tanggal setempat tiap unit",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="hanya tampilkan; tidak mencatat atau mengirim"
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="masukkan ke antrean tugas (dijalankan oleh `kinerja db_worker`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        date: dt.date | None = options["date"]
        if options["enqueue"]:
            if options["dry_run"]:
                raise CommandError("--enqueue dan --dry-run tidak dapat digabung.")
            from kinerja.notifications.tasks import send_reminders

            result = send_reminders.enqueue(date.isoformat() if date else None)
            self.stdout.write(f"Pengingat dimasukkan ke antrean (tugas {result.id}).")
            return
        sent = remind(today=date, dry_run=options["dry_run"])
        counts = sent.counts
        verb = "akan dikirim" if options["dry_run"] else "dikirim"
        for kind in (Kind.DEADLINE, Kind.NOT_SUBMITTED, Kind.LATE):
            self.stdout.write(f"{kind.label}: {counts.get(kind, 0)} {verb}")
        self.stdout.write(f"email: {sent.emails} {verb}")
        if options["verbosity"] > 1:
            for n in sent.notifications:
                self.stdout.write(f"  {n.user.get_username()}: {n.text}")
