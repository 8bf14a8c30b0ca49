from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "kinerja.dashboards"
    label = "dashboards"
    verbose_name = "Dasbor"

    def ready(self) -> None:
        # Store a PK's figures again after a transaction changed them (the roll-up reads the
        # stored figures that are still current and computes the others).
        from kinerja.dashboards import comparison
        from kinerja.dashboards.hooks import connect
        from kinerja.documents import comparison as documents_comparison

        connect()
        # The LKjIP's comparison with the region and the nation (documents sit below).
        documents_comparison.register(comparison.figures)
