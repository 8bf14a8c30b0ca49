from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    verbose_name = "Organisasi"
    name = "kinerja.organizations"
    label = "organizations"
