from django.urls import path

from kinerja.dashboards import exports, views

urlpatterns = [
    path("wilayah/<slug:slug>/", views.region_page, name="region"),
    path("wilayah/<slug:slug>/reviu/", views.region_review_run, name="region_review_run"),
    # ?tahun=YYYY
    path(
        "wilayah/<slug:slug>/unduh/kelengkapan.xlsx",
        exports.region_completeness_xlsx,
        name="region_completeness_xlsx",
    ),
    path(
        "wilayah/<slug:slug>/unduh/anggaran.xlsx",
        exports.region_budget_xlsx,
        name="region_budget_xlsx",
    ),
    path(
        "wilayah/<slug:slug>/unduh/temuan-reviu.xlsx",
        exports.region_findings_xlsx,
        name="region_findings_xlsx",
    ),
]
