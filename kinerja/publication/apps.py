from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "kinerja.publication"
    label = "publication"
    verbose_name = "Publikasi"
