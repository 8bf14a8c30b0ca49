from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The installation as a whole, above every app: the home page, the change log of a facility
    and year (it reads the history of every app), and the `demo` command."""

    name = "kinerja.site"
    label = "kinerja_site"  # "site" would clash with django.contrib.sites' idea of a site
    verbose_name = "Situs"
