"""What a user sees when a write hits a lock that the page did not foresee: a message, never a 500.

The models refuse writes to closed quarters, superseded results, the workflow log, a signed PK and
closed budget months with their own exceptions; the database triggers refuse the same with an
IntegrityError whose message starts with "[kunci]". A view normally checks first and shows its own
message; this middleware catches whatever still reaches it (admin, a form that did not check, a
race with a colleague who submitted the quarter a moment earlier)."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages
from django.db import DatabaseError, connections, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponse
from django.shortcuts import render

MARK = "[kunci]"


class LockRefused(Exception):
    """A write refused by a lock; its message, in Indonesian, says why. The apps' own lock
    exceptions (QuarterLocked, RecordProtected, MonthClosed, PKFrozenError) derive from it, so this
    bottom module knows them without importing the apps above it."""


def lock_message(exc: BaseException) -> str | None:
    """The Indonesian message of a lock, or None when the exception is something else."""
    if isinstance(exc, LockRefused):
        return str(exc)
    if isinstance(exc, ProtectedError | RestrictedError):
        return (
            "Data ini tidak dapat dihapus karena masih dipakai oleh data lain yang harus tetap "
            "tersimpan (misalnya realisasi atau riwayat alur kerja)."
        )
    if isinstance(exc, DatabaseError):
        text = str(exc)
        if MARK in text:
            # PostgreSQL adds "CONTEXT: ..." lines after the message.
            return text[text.index(MARK) + len(MARK) :].split("\n")[0].strip()
    return None


class LockMessageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        message = lock_message(exception)
        if message is None:
            return None
        if request.headers.get("HX-Request"):
            # htmx does not swap an error response: reload the page, which shows the message.
            messages.error(request, message)
            return HttpResponse(status=200, headers={"HX-Refresh": "true"})
        return render(request, "core/locked.html", {"message": message}, status=409)


@contextmanager
def lock_bypass(using: str = "default"):
    """Let the lock triggers stand aside inside this block (one transaction): only for restoring a
    whole database from a dump (`loaddata` writes results before their quarter reports, or after
    them) and for emptying the tables at the end of a transactional test. Never in a request.

    SQLite: a row in the table `kinerja_lock_bypass`; PostgreSQL: `SET LOCAL kinerja.lock_bypass`.
    Both end with the transaction, also when it is rolled back."""
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO kinerja_lock_bypass VALUES (1)")
            elif connection.vendor == "postgresql":
                cursor.execute("SET LOCAL kinerja.lock_bypass = 'on'")
        yield
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM kinerja_lock_bypass")
            elif connection.vendor == "postgresql":
                cursor.execute("SET LOCAL kinerja.lock_bypass = 'off'")
