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


def _last_login_without_history(sender, user, **kwargs):
    # Logging in is not a change of the account: no history row for the last-login time.
    from django.contrib.auth.models import update_last_login

    user.skip_history_when_saving = True
    try:
        update_last_login(sender, user, **kwargs)
    finally:
        del user.skip_history_when_saving


class CoreConfig(AppConfig):
    verbose_name = "Inti"
    name = "kinerja.core"
    label = "core"

    def ready(self) -> None:
        # Every decimal in the admin is read like every other number: no exponent notation.
        # The admin registered its models before this app is ready (django.contrib.admin comes
        # first), so the registered admins are updated as well as the defaults inlines start from.
        from django.contrib import admin
        from django.contrib.admin import options
        from django.db import models

        from kinerja.core.forms import PlainDecimalField

        override = {"form_class": PlainDecimalField}
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS.setdefault(models.DecimalField, {}).update(override)
        for model_admin in admin.site._registry.values():
            model_admin.formfield_overrides.setdefault(models.DecimalField, {}).update(override)

        from simple_history.signals import pre_create_historical_record

        pre_create_historical_record.connect(
            _author_from_record, dispatch_uid="kinerja_history_author"
        )
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from kinerja.core.middleware import session_stamp_login

        user_logged_in.connect(session_stamp_login, dispatch_uid="kinerja_session_stamp_login")
        if user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login"):
            user_logged_in.connect(
                _last_login_without_history, dispatch_uid="kinerja_update_last_login"
            )
