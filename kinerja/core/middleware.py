"""Middleware of the whole site: missing stored files, bounded numbers in addresses, session limits
(a session ends after a stretch without requests and, whatever the activity, some hours after
logging in; Django's own session age alone cannot do both)."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse

from kinerja.core.bounds import MAX_ID, YEAR_MAX, YEAR_MIN


class MissingStoredFileMiddleware:
    """A stored file (evidence, a generated document, an imported workbook) whose row exists but
    whose file is gone, as after restoring a database without its uploaded files, answers with a
    page that says so (410) instead of an error page, on every view that opens such a file."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, FileNotFoundError) or not exception.filename:
            return None
        media = Path(settings.MEDIA_ROOT).resolve()
        missing = Path(exception.filename).resolve()
        if not missing.is_relative_to(media):
            return None  # a missing program or temporary file is a real error
        return TemplateResponse(
            request,
            "core/missing_file.html",
            {"name": missing.name},
            status=410,
        ).render()


# The REST API's addresses (kinerja.api): refusals here answer in its JSON error shape.
API_PREFIX = "/api/"


class BoundedPathNumbers:
    """An <int:...> part of an address beyond what its column holds (/tw/99999999999999999999/) is a
    page that does not exist: 404, not a 500 from the database refusing the number. Years must be
    plausible years.

    A NUL character in a field is refused (400) before any view sees it: PostgreSQL cannot store it
    in text, so it would otherwise end as a 500 wherever a view reads a field without a form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for name, value in view_kwargs.items():
            if not isinstance(value, int):
                continue
            if name == "year" and not YEAR_MIN <= value <= YEAR_MAX:
                raise Http404("Tahun tidak sah.")
            if not 0 <= value <= MAX_ID:
                raise Http404("Alamat tidak sah.")
        sent = [request.GET]
        if request.method == "POST":
            sent.append(request.POST)
        for data in sent:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    message = "Isian berisi karakter NUL yang tidak diizinkan."
                    if request.path_info.startswith(API_PREFIX):  # the API's one error shape
                        where = f"{'query' if data is request.GET else 'body'}.{key}"
                        problem = {"field": where, "message": message}
                        return JsonResponse(
                            {"status": 400, "code": "bad_request", "message": message}
                            | {"field": where, "errors": [problem]},
                            status=400,
                        )
                    return HttpResponseBadRequest(
                        message.encode(), content_type="text/plain; charset=utf-8"
                    )
        return None


SEEN = "kinerja_seen_at"
STARTED = "kinerja_login_at"
# The last-seen time is written at most this often, so that not every request saves the session.
SEEN_RESOLUTION = 60


def session_stamp_login(sender, request, user, **kwargs) -> None:
    """Stamp a new session when the user logs in (the login saves the session anyway), so that the
    requests that follow write nothing until the last-seen time is a minute old."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[SEEN] = now


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
