"""Numbers in addresses within what the database holds."""

from __future__ import annotations

from django.http import Http404

from kinerja.core.bounds import MAX_ID, YEAR_MAX, YEAR_MIN


class BoundedPathNumbers:
    """An <int:...> part of an address beyond what its column holds (/tw/99999999999999999999/) is a
    page that does not exist: 404, not a 500 from the database refusing the number. Years must be
    plausible years."""

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
        return None
