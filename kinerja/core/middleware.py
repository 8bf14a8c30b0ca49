"""Middleware of the whole site."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
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
                    return HttpResponseBadRequest(
                        b"Isian berisi karakter NUL yang tidak diizinkan.",
                        content_type="text/plain; charset=utf-8",
                    )
        return None
