from django.urls import path

from kinerja.dashboards import views

urlpatterns = [
    path("wilayah/<slug:slug>/", views.region_page, name="region"),
    path("wilayah/<slug:slug>/reviu/", views.region_review_run, name="region_review_run"),
]
