from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from kinerja.administration import account as account_views
from kinerja.administration import urls as administration_urls
from kinerja.api import urls as api_urls
from kinerja.budget import views as budget_views
from kinerja.core import views as core_views
from kinerja.dashboards import urls as dashboard_urls
from kinerja.documents import views as document_views
from kinerja.evaluation import urls as evaluation_urls
from kinerja.imports import views as import_views
from kinerja.measurement import entry_views
from kinerja.measurement import views as measurement_views
from kinerja.notifications import urls as notification_urls
from kinerja.planning import renstra_views
from kinerja.planning import views as planning_views
from kinerja.publication import urls as publication_urls
from kinerja.review import views as review_views
from kinerja.site import changelog_views
from kinerja.site import views as site_views

admin.site.site_header = "Administrasi Kinerja"
admin.site.site_title = "Kinerja"
admin.site.index_title = "Katalog, unit dan data induk"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/ubah/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "kata-sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("kata-sandi/lupa/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "kata-sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        account_views.PasswordFromLinkView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "kata-sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("unit/<slug:slug>/", planning_views.unit_detail, name="unit_detail"),
    path("unit/<slug:slug>/pk/baru/", planning_views.pk_create, name="pk_create"),
    path("unit/<slug:slug>/renstra/", renstra_views.renstra_list, name="renstra_list"),
    path("unit/<slug:slug>/renstra/<int:start>/", renstra_views.renstra_page, name="renstra"),
    path(
        "unit/<slug:slug>/renstra/<int:start>/templat.xlsx",
        renstra_views.renstra_template_download,
        name="renstra_template",
    ),
    path(
        "unit/<slug:slug>/renstra/<int:start>/unggah/",
        renstra_views.renstra_upload,
        name="renstra_upload",
    ),
    path("unit/<slug:slug>/pk/<int:year>/ubah/", planning_views.pk_edit, name="pk_edit"),
    path("unit/<slug:slug>/pk/<int:year>/tandatangani/", planning_views.pk_sign, name="pk_sign"),
    path("unit/<slug:slug>/pk/<int:year>/revisi/", planning_views.pk_revise, name="pk_revise"),
    path(
        "unit/<slug:slug>/pk/<int:year>/lanjut/",
        planning_views.pk_start_next,
        name="pk_start_next",
    ),
    path(
        "unit/<slug:slug>/pk/<int:year>/rencana-aksi/<int:row_id>/",
        planning_views.ra_edit,
        name="ra_edit",
    ),
    path(
        "unit/<slug:slug>/rencana-aksi/impor/",
        import_views.renaksi_upload_view,
        name="renaksi_upload",
    ),
    path(
        "unit/<slug:slug>/rencana-aksi/impor/<int:record_id>/",
        import_views.renaksi_preview,
        name="renaksi_preview",
    ),
    re_path(
        r"^unit/(?P<slug>[-\w]+)/rencana-aksi/(?P<year>\d{4})/unduh\.(?P<fmt>xlsx|pdf)$",
        import_views.renaksi_download,
        name="renaksi_download",
    ),
    path("unit/<slug:slug>/riwayat/", changelog_views.changelog_page, name="changelog"),
    path("unit/<slug:slug>/capaian/", measurement_views.results_page, name="results"),
    path("unit/<slug:slug>/anggaran/", budget_views.budget_page, name="budget"),
    path(
        "unit/<slug:slug>/anggaran/<int:year>/templat.xlsx",
        budget_views.spending_template_download,
        name="spending_template",
    ),
    path(
        "unit/<slug:slug>/anggaran/<int:year>/unggah/",
        budget_views.spending_upload_view,
        name="spending_upload",
    ),
    path(
        "unit/<slug:slug>/anggaran/<int:year>/bulan/<int:month>/",
        budget_views.spending_entry,
        name="budget_entry",
    ),
    path(
        "unit/<slug:slug>/anggaran/<int:year>/revisi-pagu/",
        budget_views.pagu_revision,
        name="pagu_revision",
    ),
    path(
        "unit/<slug:slug>/anggaran/<int:year>/nilai/",
        budget_views.scores_edit,
        name="budget_scores",
    ),
    path(
        "unit/<slug:slug>/realisasi/<int:year>/tw/<int:quarter>/",
        entry_views.entry_page,
        name="entry",
    ),
    path(
        "unit/<slug:slug>/realisasi/<int:year>/tw/<int:quarter>/simpan/",
        entry_views.entry_save_all,
        name="entry_save_all",
    ),
    path(
        "unit/<slug:slug>/realisasi/<int:year>/tw/<int:quarter>/indikator/<int:row_id>/",
        entry_views.entry_row_save,
        name="entry_row",
    ),
    path(
        "unit/<slug:slug>/realisasi/<int:year>/tw/<int:quarter>/indikator/<int:row_id>/data-dukung/",
        entry_views.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "unit/<slug:slug>/data-dukung/<int:evidence_id>/",
        entry_views.evidence_download,
        name="evidence",
    ),
    path(
        "unit/<slug:slug>/realisasi/<int:year>/tw/<int:quarter>/indikator/<int:row_id>/catatan/",
        entry_views.monitoring_note,
        name="monitoring_note",
    ),
    path(
        "unit/<slug:slug>/realisasi/<int:year>/tw/<int:quarter>/templat.xlsx",
        entry_views.results_template_download,
        name="results_template",
    ),
    path(
        "unit/<slug:slug>/realisasi/<int:year>/tw/<int:quarter>/unggah/",
        entry_views.results_upload_view,
        name="results_upload",
    ),
    path(
        "unit/<slug:slug>/realisasi/<int:year>/tw/<int:quarter>/status/",
        entry_views.quarter_action,
        name="quarter_action",
    ),
    path(
        "unit/<slug:slug>/pk/<int:year>/indikator/<int:row_id>/riwayat/",
        measurement_views.indicator_history_page,
        name="indicator_history",
    ),
    path("unit/<slug:slug>/dokumen/", document_views.documents_page, name="documents"),
    path("unit/<slug:slug>/dokumen/buat/", document_views.job_create, name="document_create"),
    path("unit/<slug:slug>/dokumen/daftar/", document_views.jobs_fragment, name="document_jobs"),
    path(
        "unit/<slug:slug>/dokumen/<int:job_id>/unduh/",
        document_views.job_download,
        name="document_download",
    ),
    path(
        "unit/<slug:slug>/dokumen/<int:year>/narasi/",
        document_views.narratives_page,
        name="narratives",
    ),
    path(
        "unit/<slug:slug>/dokumen/<int:year>/data/",
        document_views.report_facts,
        name="report_facts",
    ),
    path("unit/<slug:slug>/reviu/", review_views.review_page, name="review"),
    path(
        "unit/<slug:slug>/reviu/<int:year>/jalankan/",
        review_views.review_store,
        name="review_store",
    ),
    path(
        "unit/<slug:slug>/reviu/<int:year>/terima/",
        review_views.finding_accept,
        name="finding_accept",
    ),
    path(
        "unit/<slug:slug>/reviu/<int:year>/terima/<int:acceptance_id>/tarik/",
        review_views.finding_withdraw,
        name="finding_withdraw",
    ),
    re_path(
        r"^unit/(?P<slug>[-\w]+)/reviu/(?P<year>\d{4})/unduh\.(?P<fmt>xlsx|pdf)$",
        review_views.review_download,
        name="review_download",
    ),
    # The dashboards' own addresses, listed flat (not include()) so that every address of the
    # app is a pattern of this list, as the GET-walk test reads them.
    *dashboard_urls.urlpatterns,
    *evaluation_urls.urlpatterns,
    *publication_urls.urlpatterns,
    *notification_urls.urlpatterns,
    *api_urls.urlpatterns,
    *administration_urls.urlpatterns,
    path("admin/", admin.site.urls),
]
