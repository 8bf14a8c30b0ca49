from django.urls import path, re_path

from kinerja.evaluation import views

urlpatterns = [
    path("unit/<slug:slug>/lke/<int:year>/", views.lke_page, name="lke"),
    path("unit/<slug:slug>/lke/<int:year>/mandiri/", views.lke_self_save, name="lke_self_save"),
    path(
        "unit/<slug:slug>/lke/<int:year>/kriteria/<int:criterion_id>/data-dukung/",
        views.lke_file_upload,
        name="lke_file_upload",
    ),
    path("unit/<slug:slug>/lke/berkas/<int:file_id>/", views.lke_file, name="lke_file"),
    path(
        "unit/<slug:slug>/lke/tindak-lanjut/<int:follow_up_id>/berkas/",
        views.follow_up_file,
        name="lke_follow_up_file",
    ),
    path("unit/<slug:slug>/lke/<int:year>/ajukan/", views.lke_submit, name="lke_submit"),
    path("unit/<slug:slug>/lke/<int:year>/evaluator/", views.lke_final_save, name="lke_final_save"),
    path("unit/<slug:slug>/lke/<int:year>/selesai/", views.lke_finish, name="lke_finish"),
    path("unit/<slug:slug>/lke/<int:year>/kembalikan/", views.lke_return, name="lke_return"),
    path("unit/<slug:slug>/lke/<int:year>/rekomendasi/", views.lke_recommend, name="lke_recommend"),
    path(
        "unit/<slug:slug>/lke/<int:year>/rekomendasi/<int:recommendation_id>/tindak-lanjut/",
        views.lke_follow_up,
        name="lke_follow_up",
    ),
    re_path(
        r"^unit/(?P<slug>[-\w]+)/lke/(?P<year>\d{4})/unduh\.(?P<fmt>xlsx|docx|pdf)$",
        views.lke_download,
        name="lke_download",
    ),
]
