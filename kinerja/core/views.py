from __future__ import annotations

from django.shortcuts import render


def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): the page in Indonesian,
    naming how long the lock lasts, with HTTP 429."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit
    from django.conf import settings

    cool_off = get_cool_off(request)
    return render(
        request,
        "registration/lockout.html",
        {
            "username": get_client_username(request, credentials) or "",
            "failure_limit": get_failure_limit(request, credentials),
            "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
