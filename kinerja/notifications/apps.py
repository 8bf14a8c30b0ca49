from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kinerja.notifications"
    label = "notifications"
    verbose_name = "Pemberitahuan"

    def ready(self) -> None:
        # measurement sits below and does not import this app: it announces every quarter
        # transition after commit, and this app tells the people who must act next.
        from kinerja.measurement.signals import quarter_transitioned
        from kinerja.notifications.hooks import notify_after_transition

        quarter_transitioned.connect(
            notify_after_transition, dispatch_uid="notify_after_transition"
        )
