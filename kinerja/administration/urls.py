from django.urls import path

from kinerja.administration import account, views

urlpatterns = [
    path("akun/", account.account_page, name="account"),
    path("administrasi/", views.index, name="admin_index"),
    path("administrasi/orientasi/", views.onboarding, name="admin_onboarding"),
    path("administrasi/unit-baru/", views.facility_new, name="admin_facility_new"),
    path("administrasi/nama-organisasi/", views.organisation_names, name="admin_names"),
    path("administrasi/unit/<slug:slug>/", views.unit_page, name="admin_unit"),
    path(
        "administrasi/unit/<slug:slug>/peran/<int:membership_id>/cabut/",
        views.role_revoke,
        name="admin_role_revoke",
    ),
    path(
        "administrasi/orientasi/templat.xlsx",
        views.onboarding_template_download,
        name="admin_onboarding_template",
    ),
    path(
        "administrasi/orientasi/<int:import_id>/terapkan/",
        views.onboarding_apply,
        name="admin_onboarding_apply",
    ),
    path(
        "administrasi/orientasi/<int:import_id>/",
        views.onboarding_result,
        name="admin_onboarding_result",
    ),
]
