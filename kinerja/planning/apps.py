from django.apps import AppConfig


class PlanningConfig(AppConfig):
    verbose_name = "Perencanaan"
    name = "kinerja.planning"
    label = "planning"
