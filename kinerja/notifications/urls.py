from django.urls import path

from kinerja.notifications import views

urlpatterns = [
    path("notifikasi/", views.notifications_page, name="notifications"),
    path("notifikasi/baca/", views.notifications_read, name="notifications_read"),
    path(
        "notifikasi/<int:notification_id>/buka/",
        views.notification_open,
        name="notification_open",
    ),
]
