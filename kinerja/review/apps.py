from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "kinerja.review"
    label = "review"
    verbose_name = "Reviu"
