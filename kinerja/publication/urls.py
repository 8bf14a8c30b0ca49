from django.urls import path, re_path

from kinerja.publication import views

urlpatterns = [
    path("publik/", views.public_home, name="public_home"),
    path("publik/wilayah/<slug:slug>/", views.public_region, name="public_region"),
    path("publik/upt/<slug:slug>/", views.public_facility, name="public_facility"),
    path("publik/dokumen/<int:publication_id>/", views.public_document, name="public_document"),
    re_path(
        r"^publik/data/upt/(?P<slug>[-\w]+)\.(?P<fmt>csv|json)$",
        views.public_facility_data,
        name="public_facility_data",
    ),
    re_path(
        r"^publik/data/nasional\.(?P<fmt>csv|json)$",
        views.public_national_data,
        name="public_national_data",
    ),
    path("publik/sitemap.xml", views.sitemap, name="public_sitemap"),
    path("unit/<slug:slug>/publikasi/", views.publish_page, name="publish_page"),
    path("unit/<slug:slug>/publikasi/<int:job_id>/terbitkan/", views.publish, name="publish"),
]
