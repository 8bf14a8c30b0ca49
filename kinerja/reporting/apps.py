from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "kinerja.reporting"
    label = "reporting"
    verbose_name = "Data laporan"
