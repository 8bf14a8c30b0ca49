from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "kinerja.review"
    label = "review"
    verbose_name = "Reviu"

    def ready(self):
        # measurement sits below the review and does not import it: the review listens.
        from kinerja.measurement.signals import quarter_submitted
        from kinerja.review.hooks import review_after_submission

        quarter_submitted.connect(review_after_submission, dispatch_uid="review_after_submission")
