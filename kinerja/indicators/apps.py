from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    verbose_name = "Katalog Indikator"
    name = "kinerja.indicators"
    label = "indicators"
