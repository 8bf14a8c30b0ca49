"""The header's "Administrasi" link, for those who administer a unit (settings TEMPLATES)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kinerja.organizations.models import Unit


def administers(request: HttpRequest) -> dict[str, Any]:
    # A callable: one query, only where the header is rendered for a logged-in user.
    def answer() -> bool:
        return Unit.objects.restrict(request.user, "administer").exists()

    return {"administers": answer}
