from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    verbose_name = "Organisasi"
    name = "kinerja.organizations"
    label = "organizations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kinerja.organizations.middleware import remember_zone

        user_logged_in.connect(remember_zone, dispatch_uid="kinerja_remember_zone")
