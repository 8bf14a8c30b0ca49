from django.apps import AppConfig


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
