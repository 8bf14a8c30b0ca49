from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "kinerja.evaluation"
    label = "evaluation"
    verbose_name = "Evaluasi AKIP (LKE)"
