from django.urls import path

from kinerja.dashboards import exports, views

urlpatterns = [
    path("unit/<slug:slug>/capaian/sejawat/", views.peers_page, name="results_peers"),
    path("wilayah/<slug:slug>/", views.region_page, name="region"),
    path("wilayah/<slug:slug>/kelengkapan/", views.region_completeness, name="region_completeness"),
    path("wilayah/<slug:slug>/temuan/", views.region_findings, name="region_findings"),
    path("wilayah/<slug:slug>/anggaran/", views.region_budget, name="region_budget"),
    path("wilayah/<slug:slug>/evaluasi-akip/", views.region_evaluations, name="region_evaluations"),
    path("wilayah/<slug:slug>/publikasi/", views.region_publications, name="region_publications"),
    path("wilayah/<slug:slug>/reviu/", views.region_review_run, name="region_review_run"),
    path("wilayah/<slug:slug>/ikk/<str:code>/", views.indicator_page, name="region_indicator"),
    path("wilayah/<slug:slug>/unduh/peta.xlsx", views.heatmap_download, name="region_heatmap_xlsx"),
    path("wilayah/<slug:slug>/unduh/data/", views.region_export, name="region_export"),
    path("wilayah/<slug:slug>/unduh/ikk.xlsx", views.indicators_download, name="region_ikk_xlsx"),
    path(
        "wilayah/<slug:slug>/unduh/agregat.json", views.rollup_download, name="region_rollup_json"
    ),
    path("wilayah/<slug:slug>/nama-sejawat/", views.peer_names_switch, name="peer_names_switch"),
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
