from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The installation as a whole, above every app: the home page, the change log of a facility
    and year (it reads the history of every app), and the `demo` command."""

    name = "kinerja.site"
    label = "kinerja_site"  # "site" would clash with django.contrib.sites' idea of a site
    verbose_name = "Situs"

    def ready(self):
        # Apps below read the change log through core.changes without importing the top.
        from kinerja import changelog
        from kinerja.core.changes import change_log_register

        change_log_register(changelog.changes)
