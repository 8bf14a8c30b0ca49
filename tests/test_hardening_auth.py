"""Login throttling, password change and reset, session limits and the Content-Security-Policy
(issue 13, point 8)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client

from kinerja.core.middleware import SEEN, STARTED
from kinerja.organizations.services import user_upsert

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-uji-123"
TEMPLATES = Path(settings.BASE_DIR) / "kinerja" / "templates"


def attempt(client: Client, username: str, password: str, ip: str = "10.1.1.1"):
    return client.post(
        "/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip, follow=False
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- throttling ------------------------------------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(world):
    client = Client()
    for _ in range(30):
        attempt(client, "operator_luwuk", "salah-terus")
    response = attempt(client, "operator_luwuk", PASSWORD)
    assert response.status_code == 429 and not logged_in(client)
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in page and "30 menit" in page


def test_five_failures_lock_that_username_from_that_address_for_the_cool_off(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "operator_luwuk", "salah").status_code == 200
    # the fifth failure locks
    assert attempt(client, "operator_luwuk", "salah").status_code == 429
    assert attempt(client, "operator_luwuk", PASSWORD).status_code == 429

    # another user from the same address, and the same user from another address, still log in
    other = Client()
    assert attempt(other, "head_luwuk", PASSWORD).status_code == 302 and logged_in(other)
    elsewhere = Client()
    assert attempt(elsewhere, "operator_luwuk", PASSWORD, ip="10.9.9.9").status_code == 302

    # after the cool-off the right password works again
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    client = Client()
    assert attempt(client, "operator_luwuk", PASSWORD).status_code == 302 and logged_in(client)


def test_a_successful_login_clears_the_failures(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "operator_luwuk", "salah")
    assert attempt(client, "operator_luwuk", PASSWORD).status_code == 302
    client = Client()
    assert attempt(client, "operator_luwuk", "salah").status_code == 200  # one failure, not five


def test_the_admin_unlocks_with_axes_reset(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "operator_luwuk", "salah")
    assert attempt(client, "operator_luwuk", PASSWORD).status_code == 429
    call_command("axes_reset")
    assert attempt(client, "operator_luwuk", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(world):
    admin = user_upsert(username="super", password=PASSWORD, is_superuser=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": admin.username, "password": "salah"})
    response = client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 429 and not logged_in(client)


def test_the_login_page_links_to_the_password_reset():
    page = Client().get("/masuk/").content.decode()
    assert "Lupa kata sandi?" in page and 'href="/kata-sandi/lupa/"' in page


# --- password change and reset ----------------------------------------------------------------


def test_a_user_changes_the_password_from_the_menu(world, login):
    client = login(world.users["operator_luwuk"])
    home = client.get("/unit/lapas-luwuk/").content.decode()
    assert 'href="/akun/"' in home  # the account page, which leads to the password change
    assert 'href="/kata-sandi/ubah/"' in client.get("/akun/").content.decode()
    wrong = client.post(
        "/kata-sandi/ubah/",
        {
            "old_password": "bukan-ini",
            "new_password1": "Lapas-Luwuk-2025!",
            "new_password2": "Lapas-Luwuk-2025!",
        },
    )
    assert wrong.status_code == 200 and "lama" in wrong.content.decode().lower()
    response = client.post(
        "/kata-sandi/ubah/",
        {
            "old_password": PASSWORD,
            "new_password1": "Lapas-Luwuk-2025!",
            "new_password2": "Lapas-Luwuk-2025!",
        },
        follow=True,
    )
    assert "Kata sandi diubah" in response.content.decode()
    assert logged_in(client)  # this session stays
    world.users["operator_luwuk"].refresh_from_db()
    assert world.users["operator_luwuk"].check_password("Lapas-Luwuk-2025!")


def test_a_weak_new_password_is_refused(world, login):
    client = login(world.users["operator_luwuk"])
    response = client.post(
        "/kata-sandi/ubah/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert world.users["operator_luwuk"].check_password(PASSWORD)


def test_a_forgotten_password_is_reset_through_the_link_in_the_mail(world):
    user = world.users["head_luwuk"]
    user.email = "kepala.luwuk@example.go.id"
    user.save()
    client = Client()
    response = client.post("/kata-sandi/lupa/", {"email": user.email}, follow=True)
    assert "Periksa surel Anda" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "kata sandi" in message.subject
    link = re.search(r"http://testserver(/kata-sandi/atur/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "Kata sandi baru" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kepala-Luwuk-2025!", "new_password2": "Kepala-Luwuk-2025!"},
        follow=True,
    )
    assert "Kata sandi tersimpan" in done.content.decode()
    assert done.redirect_chain[-1][0] == "/" and logged_in(client)  # the link proved who it is
    client.logout()
    assert attempt(Client(), "head_luwuk", "Kepala-Luwuk-2025!").status_code == 302
    # the link is used up
    again = client.get(link, follow=True).content.decode()
    assert "tidak berlaku lagi" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(world):
    response = Client().post("/kata-sandi/lupa/", {"email": "siapa@example.go.id"}, follow=True)
    assert "Periksa surel Anda" in response.content.decode()
    assert mail.outbox == []


# --- session limits ---------------------------------------------------------------------------


def _age_session(client: Client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"seen": SEEN, "started": STARTED}[key]] = now - ago
    session.save()


def test_a_session_ends_after_the_idle_time(world):
    client = Client()
    attempt(client, "operator_luwuk", PASSWORD)
    assert client.get("/unit/lapas-luwuk/").status_code == 200
    _age_session(client, seen=settings.SESSION_IDLE_MINUTES * 60 - 30)
    assert client.get("/unit/lapas-luwuk/").status_code == 200  # still within the idle time
    _age_session(client, seen=settings.SESSION_IDLE_MINUTES * 60 + 5)
    response = client.get("/unit/lapas-luwuk/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/masuk/?next=/unit/lapas-luwuk/")
    assert "tidak ada aktivitas selama 60 menit" in response.content.decode()
    assert not logged_in(client)


def test_a_busy_session_still_ends_at_the_absolute_age(world):
    client = Client()
    attempt(client, "operator_luwuk", PASSWORD)
    _age_session(client, seen=10, started=settings.SESSION_COOKIE_AGE + 5)
    response = client.get("/unit/lapas-luwuk/")
    assert response.status_code == 302 and not logged_in(client)


def test_an_htmx_request_after_the_idle_time_sends_the_browser_to_the_login(world):
    client = Client()
    attempt(client, "operator_luwuk", PASSWORD)
    _age_session(client, seen=settings.SESSION_IDLE_MINUTES * 60 + 5)
    response = client.get("/unit/lapas-luwuk/dokumen/daftar/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/masuk/"


def test_sessions_no_longer_last_fourteen_days():
    assert settings.SESSION_COOKIE_AGE <= 24 * 3600
    assert settings.SESSION_IDLE_MINUTES == 60


# --- Content-Security-Policy ------------------------------------------------------------------


def test_every_page_carries_the_content_security_policy(world, login):
    from tests.test_hardening_get import app_get_urls

    world.draft_pk()
    values = {
        "slug": ["lapas-luwuk", "kanwil-sulteng", "ditjenpas"],
        "year": [2024],
        "quarter": [1],
        "month": [1],
        "row_id": [1],
        "record_id": [1],
        "evidence_id": [1],
        "job_id": [1],
        "acceptance_id": [1],
        "notification_id": [1],
        "token_id": [1],
        "import_id": [1],
        "membership_id": [1],
        "criterion_id": [1],
        "file_id": [1],
        "follow_up_id": [1],
        "recommendation_id": [1],
        "publication_id": [1],
        "start": [2025],
        "fmt": ["xlsx"],
        "code": ["IKK-2.3"],
        "uidb64": ["MQ"],
        "token": ["x"],
    }
    urls = app_get_urls(values)
    for client in (Client(), login(world.users["admin_national"])):
        for _name, url in urls:
            response = client.get(url)
            policy = response.get("Content-Security-Policy", "")
            if response.get("Content-Disposition", "").startswith("attachment"):
                # A user's file or a download: sandboxed and allowed nothing at all.
                assert "sandbox" in policy and "default-src 'none'" in policy, url
                continue
            assert "script-src 'self'" in policy, (url, response.status_code)
            assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_no_template_needs_inline_script_or_style():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"hx-on",
        ):
            found += [f"{path.name}: {m}" for m in re.findall(pattern, text)]
    assert found == []


# --- configuration from the environment -------------------------------------------------------


def test_mail_sessions_and_throttling_are_read_from_the_environment(tmp_path):
    env = {
        **os.environ,
        "KINERJA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
        "KINERJA_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "KINERJA_EMAIL_HOST": "smtp.example.go.id",
        "KINERJA_EMAIL_PORT": "587",
        "KINERJA_EMAIL_USE_TLS": "1",
        "KINERJA_DEFAULT_FROM_EMAIL": "kinerja@example.go.id",
        "KINERJA_SESSION_IDLE_MINUTES": "15",
        "KINERJA_LOGIN_FAILURE_LIMIT": "3",
        "KINERJA_LOGIN_COOLOFF_MINUTES": "10",
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
        "s.DEFAULT_FROM_EMAIL, s.SESSION_IDLE_MINUTES, s.AXES_FAILURE_LIMIT, "
        "int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.go.id",
        "587",
        "True",
        "kinerja@example.go.id",
        "15",
        "3",
        "600",
    ]
    env["KINERJA_EMAIL_PORT"] = "dua lima"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "KINERJA_EMAIL_PORT harus bilangan bulat" in result.stderr


def test_development_prints_mail_on_the_console(tmp_path):
    env = {
        **os.environ,
        "KINERJA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
    }
    for name in ("KINERJA_SECRET_KEY", "KINERJA_DEBUG", "KINERJA_EMAIL_BACKEND", "DATABASE_URL"):
        env.pop(name, None)
    code = "import django; django.setup(); from django.conf import settings as s; print(s.EMAIL_BACKEND)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "django.core.mail.backends.console.EmailBackend"


def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended():
    from django.test import RequestFactory

    from kinerja.core.middleware import client_ip_behind_proxy

    forged = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", REMOTE_ADDR="10.0.0.2"
    )
    assert client_ip_behind_proxy(forged) == "203.0.113.7"
    direct = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    assert client_ip_behind_proxy(direct) == "10.0.0.2"


def test_the_test_clients_login_works_with_a_request_as_axes_needs(world):
    from django.http import HttpRequest

    client = Client()
    assert client.login(request=HttpRequest(), username="operator_luwuk", password=PASSWORD)
    assert client.get("/unit/lapas-luwuk/").status_code == 200
