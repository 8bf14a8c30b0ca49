from django.apps import AppConfig


class CoreConfig(AppConfig):
    verbose_name = "Inti"
    name = "kinerja.core"
    label = "core"
