from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "kinerja.imports"
    label = "imports"
    verbose_name = "Impor"
