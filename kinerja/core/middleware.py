"""Middleware of the whole site."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.response import TemplateResponse


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
