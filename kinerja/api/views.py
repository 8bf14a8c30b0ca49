"""The user's own API tokens (/akun/token/): listed by GET; made and revoked only by POST. A new
key is shown once, on the answer to the POST that made it."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinerja.api.models import ApiToken
from kinerja.api.services import NAME_MAX, token_create, token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nama token",
        max_length=NAME_MAX,
        help_text='Untuk apa token ini, mis. "Sinkronisasi SDP".',
        error_messages={"required": "Nama token wajib diisi (mis. nama sistem yang memakainya)."},
    )
    expires_on = forms.DateField(
        label="Berlaku sampai",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Kosongkan bila tanpa batas (paling lama lima tahun bila diisi).",
        error_messages={"invalid": "Tanggal tidak dikenal; tulis sebagai tttt-bb-hh."},
    )


def _page(request: HttpRequest, form: TokenForm, key: str = "", status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=cast(User, request.user))
    today = timezone.localdate()
    rows = [{"token": t, "usable": t.is_usable(today)} for t in tokens]
    return render(
        request, "api/tokens.html", {"form": form, "rows": rows, "key": key}, status=status
    )


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = token_create(
                user=cast(User, request.user),
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f'Token "{token.name}" dibuat.')
            return _page(request, TokenForm(), key=key)
    return _page(request, form, status=400)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (404 for anyone else's)."""
    token = ApiToken.objects.filter(user=cast(User, request.user), pk=token_id).first()
    if token is None:
        raise Http404("Token tidak ditemukan.")
    if token_revoke(token=token):
        messages.success(request, f'Token "{token.name}" dicabut; kuncinya tidak berlaku lagi.')
    return redirect("api_tokens")
