"""Side effects run when the write they follow has committed (issue 14, point 7): the review after
a quarter submission, and the enqueueing of a document job. A failing review never undoes the
submission; a rolled-back job is never handed to a worker."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from kinerja.documents import services as documents
from kinerja.documents.models import DocumentJob
from kinerja.measurement.models import QuarterReport, RealizationStatus
from kinerja.measurement.services import quarter_transition
from kinerja.review import hooks
from kinerja.review.models import ReviewRun
from tests.test_review import clean_year  # noqa: F401 (fixture: a signed PK, TW I complete)


def test_the_review_runs_after_the_submission_commits_not_inside_it(
    clean_year,  # noqa: F811
    world,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        quarter_transition(
            agreement=clean_year, quarter=1, action="submit", by=world.users["operator_luwuk"]
        )
        assert not ReviewRun.objects.exists()  # nothing ran inside the submission's transaction
    assert len(callbacks) == 1
    callbacks[0]()
    assert ReviewRun.objects.get(unit=world.luwuk, year=2024).trigger == "pengajuan TW I 2024"


@pytest.mark.django_db(transaction=True)  # real commits: the callback runs as in production
def test_a_review_that_fails_leaves_the_submission_standing_and_says_so(
    clean_year,  # noqa: F811
    world,
    login,
    monkeypatch,
):
    def broken(**kwargs):
        raise RuntimeError("reviu rusak")

    monkeypatch.setattr(hooks, "review_run", broken)
    client = login(world.users["operator_luwuk"])
    response = client.post(
        "/unit/lapas-luwuk/realisasi/2024/tw/1/status/", {"action": "submit"}, follow=True
    )
    assert response.status_code == 200
    report = QuarterReport.objects.get(agreement=clean_year, quarter=1)
    assert report.status == RealizationStatus.SUBMITTED
    assert report.transitions.filter(to_status=RealizationStatus.SUBMITTED).count() == 1
    text = response.content.decode()
    assert "Laporan TW I 2024: Diajukan." in text
    assert "Laporan TW I 2024 sudah diajukan, tetapi reviu 2024 tidak dapat dijalankan" in text
    assert not ReviewRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_any_failing_receiver_is_named_to_the_user_and_the_submission_stands(
    clean_year,  # noqa: F811
    world,
    login,
):
    from kinerja.measurement.signals import quarter_submitted

    def failing(sender, **kwargs):
        raise RuntimeError("penerima rusak")

    quarter_submitted.connect(failing, dispatch_uid="test-failing")
    try:
        client = login(world.users["operator_luwuk"])
        text = client.post(
            "/unit/lapas-luwuk/realisasi/2024/tw/1/status/", {"action": "submit"}, follow=True
        ).content.decode()
    finally:
        quarter_submitted.disconnect(dispatch_uid="test-failing")
    assert QuarterReport.objects.get(agreement=clean_year, quarter=1).status == "submitted"
    assert "pemeriksaan sesudahnya gagal dijalankan" in text
    # the review itself, another receiver, still ran
    assert ReviewRun.objects.filter(unit=world.luwuk, year=2024).exists()


def test_a_document_job_is_enqueued_when_its_row_commits(world, django_capture_on_commit_callbacks):
    world.draft_pk(2024)
    with django_capture_on_commit_callbacks() as callbacks:
        job = documents.job_start(unit=world.luwuk, kind="pk", year=2024, fmt="docx")
        assert not DBTaskResult.objects.exists() and not job.task_id
    assert len(callbacks) == 1
    callbacks[0]()
    task = DBTaskResult.objects.get()
    job.refresh_from_db()
    assert job.task_id == str(task.id)


def test_a_document_job_rolled_back_is_never_enqueued(world, django_capture_on_commit_callbacks):
    world.draft_pk(2024)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            documents.job_start(unit=world.luwuk, kind="pk", year=2024, fmt="docx")
            raise RuntimeError("the caller's transaction fails after recording the job")
    assert callbacks == []
    assert not DocumentJob.objects.exists() and not DBTaskResult.objects.exists()
