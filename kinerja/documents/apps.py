from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "kinerja.documents"
    label = "documents"
    verbose_name = "Dokumen"
