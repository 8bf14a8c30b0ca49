"""The only writers of API tokens: make one (its key returned once, only its digest kept), revoke
one, and find the user a presented key stands for."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinerja.api.models import ApiToken

KEY_PREFIX = "kin_"
NAME_MAX = 100
# A token may live at most this long: a key left in some system's configuration should not open
# the data for ever. No expiry at all stays possible, by choice.
LONGEST_DAYS = 5 * 366


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(
    *, user: User, name: str, expires_on: dt.date | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`: the row and the key, which is not stored and cannot be shown again.
    Refused (ValidationError by field): no name, a name too long, an expiry not in the future or
    more than five years ahead."""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Nama token wajib diisi (mis. nama sistem yang memakainya)."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Nama token paling banyak {NAME_MAX} karakter."
    today = timezone.localdate()
    if expires_on is not None:
        if expires_on <= today:
            errors["expires_on"] = "Tanggal berlaku sampai harus sesudah hari ini."
        elif expires_on > today + dt.timedelta(days=LONGEST_DAYS):
            errors["expires_on"] = "Token berlaku paling lama lima tahun."
    if errors:
        raise ValidationError(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:12], digest=digest(key), expires_on=expires_on
    )
    return token, key


def token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token (kept, with its history); False when it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return True


def token_for(key: str) -> ApiToken | None:
    """The usable token of an active user this key is, with its user, else None (one query)."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
    if token is None or not token.is_usable(timezone.localdate()) or not token.user.is_active:
        return None
    return token
