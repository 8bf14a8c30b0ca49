"""Every user's own account (/akun/): name and e-mail, their roles, and the way to the password
change and their API tokens."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from kinerja.core.history_note import history_note
from kinerja.organizations.models import Membership


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]
        labels = {"first_name": "Nama depan", "last_name": "Nama belakang", "email": "Surel"}
        help_texts = {"email": "Untuk pemberitahuan dan tautan atur ulang kata sandi."}
        error_messages = {"email": {"invalid": "Alamat surel tidak sah."}}


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            history_note(form.instance, by=user, reason="Diubah pemiliknya")
            form.save()
            messages.success(request, "Profil disimpan.")
        else:
            messages.info(request, "Tidak ada yang berubah.")
        return redirect("account")
    memberships = Membership.objects.filter(user=user).select_related("unit").order_by("unit__path")
    return render(
        request,
        "administration/account.html",
        {"form": form, "memberships": memberships},
        status=422 if form.errors else 200,
    )


class PasswordFromLinkView(auth_views.PasswordResetConfirmView):
    """Setting the password from a mailed or printed link (a reset, or a new account's first
    login): the link has just proved who the user is, so they are logged in and sent home."""

    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Kata sandi tersimpan; Anda sudah masuk.")
        return response
