"""The user's notifications (/notifikasi/): listed by GET, marked read only by POST."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kinerja.notifications.models import Notification
from kinerja.notifications.services import notifications_mark_read

PER_PAGE = 30


@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first, unread ones marked; reading writes nothing."""
    rows = Notification.objects.visible_to(cast(User, request.user)).select_related("unit")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("halaman"))
    unread = sum(1 for n in page.object_list if n.read_at is None)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notifications": page.object_list, "unread_here": unread},
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read and go where it points (404 for anyone else's)."""
    notification = (
        Notification.objects.visible_to(cast(User, request.user)).filter(pk=notification_id).first()
    )
    if notification is None:
        raise Http404("Pemberitahuan tidak ditemukan.")
    notifications_mark_read(user=cast(User, request.user), ids=[notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the user read."""
    notifications_mark_read(user=cast(User, request.user))
    return redirect("notifications")
