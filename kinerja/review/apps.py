from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "kinerja.review"
    label = "review"
    verbose_name = "Reviu"

    def ready(self):
        # measurement sits below the review and does not import it: the review listens.
        from kinerja.measurement.signals import quarter_submitted
        from kinerja.planning.services import sign_warnings_register
        from kinerja.review.hooks import open_errors_before_signing, review_after_submission

        quarter_submitted.connect(review_after_submission, dispatch_uid="review_after_submission")
        sign_warnings_register(open_errors_before_signing)
