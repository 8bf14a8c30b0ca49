from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "kinerja.dashboards"
    label = "dashboards"
    verbose_name = "Dasbor"

    def ready(self):
        # measurement sits below the dashboards and does not import them: the dashboards listen.
        from kinerja.dashboards.hooks import results_peers
        from kinerja.measurement.signals import results_shown

        results_shown.connect(results_peers, dispatch_uid="dashboards_results_peers")
