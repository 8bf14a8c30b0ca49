"""Session limits: a session ends after a stretch without requests (idle) and, whatever the activity,
some hours after logging in (absolute). Django's own session age alone cannot do both."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import resolve_url

SEEN = "kinerja_seen_at"
STARTED = "kinerja_login_at"
# The last-seen time is written at most this often, so that not every request saves the session.
SEEN_RESOLUTION = 60


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            idle = settings.SESSION_IDLE_MINUTES * 60
            seen = request.session.get(SEEN)
            started = request.session.get(STARTED)
            if started is None:
                request.session[STARTED] = started = now
            if seen is not None and now - seen > idle:
                return self._expired(
                    request,
                    f"Sesi berakhir karena tidak ada aktivitas selama "
                    f"{settings.SESSION_IDLE_MINUTES} menit. Silakan masuk lagi.",
                )
            if now - started > settings.SESSION_COOKIE_AGE:
                return self._expired(request, "Sesi sudah terlalu lama. Silakan masuk lagi.")
            if seen is None or now - seen >= SEEN_RESOLUTION:
                request.session[SEEN] = now
        return self.get_response(request)

    def _expired(self, request, message: str):
        logout(request)
        messages.info(request, message)
        if request.headers.get("HX-Request"):
            # htmx would swap the login page into a fragment; let the browser go there instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        # Carry on as an anonymous visitor: login_required sends the user to log in with `next`.
        return self.get_response(request)


def client_ip_behind_proxy(request) -> str | None:
    """The client's address behind one reverse proxy: the last X-Forwarded-For entry (the one the
    proxy appended; earlier entries come from the client and can be forged)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
