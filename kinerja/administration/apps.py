from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "kinerja.administration"
    verbose_name = "Administrasi"
