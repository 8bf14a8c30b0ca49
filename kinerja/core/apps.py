from django.apps import AppConfig

# A record that names its own author: used for the history row when no web request supplies one
# (a command, a background job, a test), so that the history says who rather than "sistem".
AUTHOR_FIELDS = ("updated_by_id", "by_id", "uploaded_by_id")


def _author_from_record(sender, instance, history_instance, **kwargs):
    # A deletion is not the record's author's doing: without a request it stays "sistem".
    if history_instance.history_user_id is not None or history_instance.history_type == "-":
        return
    for field in AUTHOR_FIELDS:
        user_id = getattr(instance, field, None)
        if user_id is not None:
            history_instance.history_user_id = user_id
            return


class CoreConfig(AppConfig):
    verbose_name = "Inti"
    name = "kinerja.core"
    label = "core"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        pre_create_historical_record.connect(
            _author_from_record, dispatch_uid="kinerja_history_author"
        )
