"""The AKIP evaluation (LKE): the framework as data, the score and grade, the facility's
self-assessment with the pre-fill from Kinerja's records, the evaluator's answers, recommendations
and follow-up, the locks, the outputs and who may see what."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from openpyxl import load_workbook

from kinerja import calc
from kinerja.core.locks import LockRefused
from kinerja.evaluation import framework as framework_file
from kinerja.evaluation import selectors, services
from kinerja.evaluation.models import (
    Answer,
    Component,
    Criterion,
    Evaluation,
    EvaluationStatus,
    Framework,
    Recommendation,
)
from kinerja.evaluation.prefill import NOT_AUTOMATIC, propose
from kinerja.organizations.models import Role
from kinerja.organizations.services import membership_grant, user_upsert
from tests.conftest import blank_pdf, libreoffice_text

pytestmark = pytest.mark.django_db

# Answers chosen by hand per sub-component (in criterion order) and the score worked out by hand:
#   1.1 (6 points, 7 criteria)  A A A A B C E = 5,25 of 7 → 6 × 5,25 / 7  = 4,5
#   1.2 (9, 10)                 all B          = 0,75     → 9 × 0,75      = 6,75
#   1.3 (15, 8)                 A A A A C C C C = 6 of 8  → 15 × 6 / 8    = 11,25   → 22,5
#   2.1 (6, 3)                  A A E          = 2 of 3   → 6 × 2 / 3     = 4
#   2.2 (9, 7)                  all A                     → 9
#   2.3 (15, 10)                all D          = 0,25     → 3,75                    → 16,75
#   3.1 (3, 6)                  all A                     → 3
#   3.2 (4,5, 9)                all A                     → 4,5
#   3.3 (7,5, 7)                all C                     → 3,75                    → 11,25
#   4.1 (5, 3)                  all A                     → 5
#   4.2 (7,5, 5)                A A A E E      = 3 of 5   → 4,5
#   4.3 (12,5, 5)               all B                     → 9,375                   → 18,875
# Total 22,5 + 16,75 + 11,25 + 18,875 = 69,375 → printed 69,38 (half up): grade B (above 60,
# not above 70).
HAND = {
    "1.1": "AAAABCE",
    "1.2": "B" * 10,
    "1.3": "AAAACCCC",
    "2.1": "AAE",
    "2.2": "A" * 7,
    "2.3": "D" * 10,
    "3.1": "A" * 6,
    "3.2": "A" * 9,
    "3.3": "C" * 7,
    "4.1": "AAA",
    "4.2": "AAAEE",
    "4.3": "BBBBB",
}
HAND_SCORE = Decimal("69.38")


def _framework() -> Framework:
    return Framework.objects.get(code="permenpanrb-88-2021")


def _criteria() -> dict[str, Criterion]:
    return {
        f"{k.sub.component.number}.{k.sub.number}.{k.number}": k
        for k in Criterion.objects.filter(sub__component__framework=_framework()).select_related(
            "sub__component"
        )
    }


def _hand_answers() -> dict[int, str]:
    criteria = _criteria()
    out = {}
    for sub, codes in HAND.items():
        for number, code in enumerate(codes, 1):
            out[criteria[f"{sub}.{number}"].id] = code
    assert len(out) == len(criteria) == 80
    return out


def _self_fill(world, unit=None, answers=None) -> Evaluation:
    unit = unit or world.luwuk
    evaluation = services.evaluation_start(unit=unit, year=2024, by=world.users["operator_luwuk"])
    services.self_answers_save(
        evaluation=evaluation,
        answers={
            cid: services.SelfInput(code, "Dijawab.")
            for cid, code in (answers or _hand_answers()).items()
        },
        by=world.users["operator_luwuk"],
    )
    return evaluation


def _submitted(world) -> Evaluation:
    evaluation = _self_fill(world)
    return services.self_submit(evaluation=evaluation, by=world.users["head_luwuk"])


def _finished(world) -> Evaluation:
    evaluation = _submitted(world)
    services.final_answers_save(
        evaluation=evaluation,
        answers={cid: services.FinalInput(code, "") for cid, code in _hand_answers().items()},
        by=world.users["evaluator_sulteng"],
    )
    return services.evaluation_finish(
        evaluation=evaluation,
        summary="Cukup.",
        by=world.users["evaluator_sulteng"],
        confirm_inconsistent=True,
    )


# --- The framework -----------------------------------------------------------------------------


def test_the_weights_add_up_to_100_at_every_level(catalogue):
    framework = _framework()
    components = selectors.framework_components(framework)
    assert calc.lke_weight_problems(components) == []
    assert sum(c.weight for c in components) == 100
    assert [c.weight for c in components] == [30, 30, 15, 25]
    for c in components:
        assert sum(s.weight for s in c.subs) == c.weight
        # existence, quality and use are 20, 30 and 50 per cent of each component
        assert [s.weight / c.weight for s in c.subs] == [
            Decimal("0.2"),
            Decimal("0.3"),
            Decimal("0.5"),
        ]
        assert [s.aspect for s in c.subs] == ["keberadaan", "kualitas", "pemanfaatan"]
        for s in c.subs:
            # the criteria share their sub-component's weight exactly
            shares = [k.weight / sum(x.weight for x in s.criteria) for k in s.criteria]
            assert abs(sum(shares) - 1) < Decimal("1e-20")
    assert sum(len(s.criteria) for c in components for s in c.subs) == 80
    assert "88 Tahun 2021" in framework.regulation


def test_the_migrations_copy_of_the_framework_is_the_data_file(catalogue):
    """Migration 0003 carries its own copy (a migration never runs app code); today both agree,
    and the framework it seeded is the data file's."""
    import importlib

    seeded = importlib.import_module("kinerja.evaluation.migrations.0003_seed_framework")
    assert seeded.DATA == framework_file.read()
    before = selectors.framework_components(_framework())
    services.framework_sync(data=framework_file.read())
    assert selectors.framework_components(_framework()) == before


def test_the_grade_bands_are_data_and_follow_the_regulation(catalogue):
    grades = selectors.grades_of(_framework())
    band = {
        score: calc.lke_grade(Decimal(score), grades).code
        for score in ("90.01", "90", "80.5", "70.01", "70", "60.01", "50.01", "30.01", "30", "0")
    }
    assert band == {
        "90.01": "AA",
        "90": "A",
        "80.5": "A",
        "70.01": "BB",
        "70": "B",
        "60.01": "B",
        "50.01": "CC",
        "30.01": "C",
        "30": "D",
        "0": "D",
    }


def test_a_weight_that_does_not_add_up_is_named():
    sub = calc.LkeSub(
        "1.1", "keberadaan", Decimal(6), (calc.LkeCriterion("1.1.1", Decimal(1), None),)
    )
    problems = calc.lke_weight_problems([calc.LkeComponent("1", "P", Decimal(30), (sub,))])
    assert problems == [
        "Bobot komponen berjumlah 30, bukan 100.",
        "Komponen 1: bobot subkomponen berjumlah 6, bukan 30.",
    ]


def test_a_framework_in_use_refuses_changes_and_a_new_version_is_loaded_beside_it(world, tmp_path):
    evaluation = _submitted(world)
    component = Component.objects.get(framework=evaluation.framework, number=1)
    component.weight = Decimal(35)
    with pytest.raises(LockRefused, match="sudah dipakai"):
        component.save()
    data = framework_file.read()
    with pytest.raises(ValidationError, match="sudah dipakai"):
        services.framework_sync(data=data)
    # A new regulation: a new code, from 2025; the 2024 evaluation keeps its own.
    data.update(code="lke-baru-2025", name="LKE versi baru", year_from=2025)
    data["components"][0]["weight"] = "35"
    path = tmp_path / "baru.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Exception, match="bukan 100"):
        call_command("lke", framework=str(path))
    assert not Framework.objects.filter(code="lke-baru-2025").exists()  # nothing half-written
    data["components"][0]["weight"] = "30"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("lke", framework=str(path), stdout=out)
    assert "LKE versi baru" in out.getvalue()
    assert selectors.framework_for(2025).code == "lke-baru-2025"
    assert selectors.framework_for(2024).code == "permenpanrb-88-2021"
    assert Evaluation.objects.get(pk=evaluation.pk).framework.code == "permenpanrb-88-2021"


# --- The score ---------------------------------------------------------------------------------


def test_a_hand_worked_evaluation_gives_the_same_score_and_grade(world):
    evaluation = _finished(world)
    assert evaluation.status == EvaluationStatus.FINAL
    assert evaluation.score == HAND_SCORE
    assert evaluation.grade == "B"
    sheet = selectors.sheet(world.luwuk, 2024, prefill=False)
    assert sheet.final_score.total == Decimal("69.375")
    assert sheet.final_score.components == {
        "1": Decimal("22.5"),
        "2": Decimal("16.75"),
        "3": Decimal("11.25"),
        "4": Decimal("18.875"),
    }
    assert sheet.self_score.shown == HAND_SCORE  # the facility answered the same
    out = io.StringIO()
    call_command("lke", unit="lapas-luwuk", year=2024, stdout=out)
    assert "Nilai akhir: 69,38, predikat B." in out.getvalue()
    out = io.StringIO()
    call_command("lke", unit="lapas-luwuk", year=2024, json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert (data["nilai_akhir"], data["predikat_akhir"]) == ("69.38", "B")
    assert [c["nilai_evaluator"] for c in data["komponen"]] == ["22.50", "16.75", "11.25", "18.88"]
    first = data["komponen"][0]["subkomponen"][0]["kriteria"][0]
    assert first["nomor"] == "1.1.1" and first["jawaban_mandiri"] == "A"


def test_answers_against_the_lke_logic_are_flagged_and_must_be_confirmed(world):
    evaluation = _submitted(world)
    services.final_answers_save(
        evaluation=evaluation,
        answers={cid: services.FinalInput(code, "") for cid, code in _hand_answers().items()},
        by=world.users["evaluator_sulteng"],
    )
    with pytest.raises(ValidationError) as refused:
        services.evaluation_finish(
            evaluation=evaluation, summary="", by=world.users["evaluator_sulteng"]
        )
    text = " ".join(refused.value.messages)
    # 1.3.1 (budget follows the plan: A) rests on 1.1.6 (a budget plan exists: E)
    assert "Kriteria 1.3.1 dijawab lebih tinggi (1,00) dari kriteria 1.1.6" in text
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.SUBMITTED
    # A use score above its existence score, as a share of its weight
    sub = lambda key, aspect, w, v: calc.LkeSub(  # noqa: E731
        key, aspect, Decimal(w), (calc.LkeCriterion(key + ".1", Decimal(1), Decimal(v)),)
    )
    parts = [
        calc.LkeComponent(
            "1",
            "P",
            Decimal(30),
            (
                sub("1.1", "keberadaan", 6, "0.5"),
                sub("1.2", "kualitas", 9, "0.5"),
                sub("1.3", "pemanfaatan", 15, "1"),
            ),
        )
    ]
    flags = calc.lke_inconsistencies(parts, calc.lke_score(parts))
    assert flags == [
        (
            "1.3",
            "Subkomponen 1.3 (pemanfaatan) bernilai 100,00% dari bobotnya, lebih tinggi dari keberadaan 1.1 (50,00%).",
        )
    ]


# --- Self-assessment, submission, evaluation, follow-up ----------------------------------------


def test_the_head_submits_only_a_complete_self_assessment_and_then_it_is_locked(world):
    answers = _hand_answers()
    missing = dict(list(answers.items())[:-2])
    evaluation = _self_fill(world, answers=missing)
    with pytest.raises(PermissionDenied):
        services.self_submit(evaluation=evaluation, by=world.users["operator_luwuk"])
    with pytest.raises(ValidationError, match="2 kriteria belum dijawab: 4.3.4, 4.3.5"):
        services.self_submit(evaluation=evaluation, by=world.users["head_luwuk"])
    evaluation = _self_fill(world)
    services.self_submit(evaluation=evaluation, by=world.users["head_luwuk"])
    first = next(iter(answers))
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.self_answers_save(
            evaluation=evaluation,
            answers={first: services.SelfInput("E", "")},
            by=world.users["operator_luwuk"],
        )
    answer = Answer.objects.get(evaluation=evaluation, criterion_id=first)
    answer.self_value = "E"
    with pytest.raises(LockRefused):
        answer.save()
    # and in the database, whatever the path
    with pytest.raises(IntegrityError, match="kunci"), transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(self_value="E")
    with pytest.raises(IntegrityError, match="kunci"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM evaluation_answer WHERE id = %s", [answer.pk])
    assert Answer.objects.get(pk=answer.pk).self_value == "A"


def test_a_finished_evaluation_is_locked_on_every_path(world):
    evaluation = _finished(world)
    answer = evaluation.answers.first()
    with pytest.raises(IntegrityError, match="kunci"), transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(final_value="A", final_note="diubah")
    with pytest.raises(IntegrityError, match="kunci"), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(score=Decimal("99"), grade="AA")
    with pytest.raises(LockRefused):
        evaluation.summary = "diubah"
        evaluation.save()
    with pytest.raises(ValidationError):
        services.recommendation_add(
            evaluation=evaluation,
            text="Terlambat.",
            deadline=world.luwuk.local_today() + dt.timedelta(days=30),
            by=world.users["evaluator_sulteng"],
        )
    with pytest.raises(IntegrityError, match="kunci"), transaction.atomic():
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    evaluation=evaluation,
                    text="lewat bulk_create",
                    deadline=dt.date(2030, 1, 1),
                    by=world.users["evaluator_sulteng"],
                )
            ]
        )
    evaluation.refresh_from_db()
    assert (evaluation.score, evaluation.grade) == (HAND_SCORE, "B")


def test_every_answer_and_recommendation_keeps_its_history(world):
    evaluation = _self_fill(world)
    first = next(iter(_hand_answers()))
    services.self_answers_save(
        evaluation=evaluation,
        answers={first: services.SelfInput("C", "Pedoman belum lengkap.")},
        by=world.users["operator_luwuk"],
    )
    history = Answer.history.filter(evaluation_id=evaluation.pk, criterion_id=first).order_by(
        "history_date"
    )
    assert [(h.self_value, h.history_user) for h in history] == [
        ("A", world.users["operator_luwuk"]),
        ("C", world.users["operator_luwuk"]),
    ]
    services.self_submit(evaluation=evaluation, by=world.users["head_luwuk"])
    rec = services.recommendation_add(
        evaluation=evaluation,
        text="Susun pedoman teknis.",
        deadline=world.luwuk.local_today() + dt.timedelta(days=90),
        by=world.users["evaluator_sulteng"],
    )
    assert rec.history.count() == 1
    assert Evaluation.history.filter(id=evaluation.pk).count() >= 2  # created, submitted


def test_bad_input_is_refused_with_the_criterion_named_and_nothing_written(world):
    evaluation = services.evaluation_start(
        unit=world.luwuk, year=2024, by=world.users["operator_luwuk"]
    )
    criteria = _criteria()
    good, bad = criteria["1.1.1"].id, criteria["2.1.3"].id
    with pytest.raises(ValidationError) as refused:
        services.self_answers_save(
            evaluation=evaluation,
            answers={
                good: services.SelfInput("A", "Baik."),
                bad: services.SelfInput("Z", "x" * 6000),
            },
            by=world.users["operator_luwuk"],
        )
    assert refused.value.messages == [
        "Kriteria 2.1.3: jawaban 'Z' tidak ada pada skalanya (A/B/C/D/E)."
    ]
    with pytest.raises(ValidationError, match="Kriteria 2.1.3: Penjelasan terlalu panjang"):
        services.self_answers_save(
            evaluation=evaluation,
            answers={bad: services.SelfInput("B", "x" * 6000)},
            by=world.users["operator_luwuk"],
        )
    assert not Answer.objects.filter(evaluation=evaluation).exists()
    with pytest.raises(ValidationError, match="bukan PDF, JPG atau PNG"):
        services.answer_file_add(
            evaluation=evaluation,
            criterion=criteria["1.1.1"],
            data=b"MZ\x90\x00 an executable",
            filename="pedoman.pdf",
            by=world.users["operator_luwuk"],
        )
    record = services.answer_file_add(
        evaluation=evaluation,
        criterion=criteria["1.1.1"],
        data=blank_pdf(),
        filename="pedoman.pdf",
        by=world.users["operator_luwuk"],
    )
    assert record.answer.criterion_id == good and record.content_type == "application/pdf"


def test_recommendations_need_a_future_deadline_and_the_facility_follows_them_up(world, login):
    evaluation = _submitted(world)
    evaluator = world.users["evaluator_sulteng"]
    today = world.luwuk.local_today()
    with pytest.raises(ValidationError, match="sudah lewat"):
        services.recommendation_add(
            evaluation=evaluation, text="x", deadline=today - dt.timedelta(days=1), by=evaluator
        )
    with pytest.raises(PermissionDenied):
        services.recommendation_add(
            evaluation=evaluation,
            text="x",
            deadline=today + dt.timedelta(days=5),
            by=world.users["operator_luwuk"],
        )
    rec = services.recommendation_add(
        evaluation=evaluation,
        text="Lengkapi data dukung setiap triwulan.",
        deadline=today + dt.timedelta(days=5),
        by=evaluator,
    )
    with pytest.raises(ValidationError, match="setelah evaluasi selesai"):
        services.follow_up_add(
            recommendation=rec, text="Sudah.", done=True, by=world.users["operator_luwuk"]
        )
    services.final_answers_save(
        evaluation=evaluation,
        answers={cid: services.FinalInput(code, "") for cid, code in _hand_answers().items()},
        by=evaluator,
    )
    services.evaluation_finish(
        evaluation=evaluation, summary="", by=evaluator, confirm_inconsistent=True
    )
    # Due in 5 days: on the facility's to-do list, and a reminder to its operator and head.
    page = login(world.users["operator_luwuk"]).get("/")
    assert "Tindak lanjuti rekomendasi evaluasi AKIP 2024" in page.content.decode()
    from kinerja.notifications.services import remind

    sent = remind(today=today + dt.timedelta(days=3))
    texts = {(n.user.username, n.kind) for n in sent.notifications}
    assert ("operator_luwuk", "follow_up") in texts and ("head_luwuk", "follow_up") in texts
    # Overdue: once more, to the evaluator as well, and on the region's dashboard.
    sent = remind(today=today + dt.timedelta(days=6))
    assert {n.user.username for n in sent.notifications} >= {"operator_luwuk", "evaluator_sulteng"}
    assert "lewat batas" in sent.notifications[0].text
    assert remind(today=today + dt.timedelta(days=7)).notifications == []  # never twice
    follow = services.follow_up_add(
        recommendation=rec,
        text="Data dukung TW I-IV dilengkapi.",
        done=True,
        by=world.users["operator_luwuk"],
        data=blank_pdf(),
        filename="bukti.pdf",
    )
    assert follow.original_name == "bukti.pdf"
    page = login(world.users["operator_luwuk"]).get("/")
    assert "Tindak lanjuti rekomendasi" not in page.content.decode()


def test_next_years_pre_fill_counts_last_years_recommendations_followed_up(world):
    evaluation = _submitted(world)
    evaluator = world.users["evaluator_sulteng"]
    today = world.luwuk.local_today()
    recs = [
        services.recommendation_add(
            evaluation=evaluation, text=t, deadline=today + dt.timedelta(days=30), by=evaluator
        )
        for t in ("Satu.", "Dua.")
    ]
    services.final_answers_save(
        evaluation=evaluation,
        answers={cid: services.FinalInput(code, "") for cid, code in _hand_answers().items()},
        by=evaluator,
    )
    services.evaluation_finish(
        evaluation=evaluation, summary="", by=evaluator, confirm_inconsistent=True
    )
    services.follow_up_add(
        recommendation=recs[0], text="Selesai.", done=True, by=world.users["head_luwuk"]
    )
    proposal = propose(world.luwuk, 2025, {"recommendations_followed"})["recommendations_followed"]
    assert proposal.code == "C"
    assert proposal.reasons == [
        "1 dari 2 rekomendasi evaluasi 2024 selesai ditindaklanjuti.",
        "1 rekomendasi belum selesai.",
    ]
    assert proposal.links[0].url == "/unit/lapas-luwuk/lke/2024/"


# --- The pre-fill ------------------------------------------------------------------------------


def test_a_facility_without_a_renstra_gets_no_on_the_renstra_criterion_with_the_reason(world):
    proposal = propose(world.luwuk, 2024, {"renstra", "pk_exists"})
    assert proposal["renstra"].code == "E"
    assert proposal["renstra"].reasons == ["Tidak ada Renstra yang mencakup tahun 2024 di Kinerja."]
    assert proposal["pk_exists"].code == "E"
    assert proposal["pk_exists"].reasons == ["Belum ada Perjanjian Kinerja 2024."]


def test_the_pre_fill_follows_the_data_and_never_overwrites_a_persons_answer(world):
    agreement = world.draft_pk(2024)
    criteria = _criteria()
    pk_exists = criteria["1.1.4"]
    evaluation = services.evaluation_start(
        unit=world.luwuk, year=2024, by=world.users["operator_luwuk"]
    )
    proposals = propose(world.luwuk, 2024, {"pk_exists"})
    assert proposals["pk_exists"].code == "C"  # a draft PK
    services.self_answers_save(
        evaluation=evaluation,
        answers={pk_exists.id: services.SelfInput("", "", take_proposal=True)},
        proposals=proposals,
        by=world.users["operator_luwuk"],
    )
    answer = Answer.objects.get(evaluation=evaluation, criterion=pk_exists)
    assert answer.self_value == "C"
    assert answer.self_note == "Perjanjian Kinerja 2024 masih draf (belum ditandatangani)."
    assert answer.self_links == [
        {"label": "Perjanjian Kinerja 2024", "url": "/unit/lapas-luwuk/?tahun=2024"}
    ]
    from kinerja.planning import services as planning

    planning.pk_sign(agreement=agreement, by=world.users["head_luwuk"])
    sheet = selectors.sheet(world.luwuk, 2024)
    row = next(r for r in sheet.rows if r.criterion.id == pk_exists.id)
    assert row.proposal.code == "A"  # the data changed …
    assert row.self_value == "C"  # … the answer did not
    assert row.proposal_differs and row.proposal_changed


# --- Pages and access --------------------------------------------------------------------------


def test_who_sees_which_evaluation(world, login):
    _finished(world)
    auditor = user_upsert(username="auditor_apip", password="rahasia-uji-123")
    membership_grant(user=auditor, unit=world.sulteng, role=Role.AUDITOR)
    urls = [
        "/unit/lapas-luwuk/lke/2024/",
        "/unit/lapas-luwuk/lke/2024/unduh.xlsx",
        "/unit/lapas-luwuk/lke/2024/unduh.pdf",
        "/unit/lapas-luwuk/lke/2024/unduh.docx",
    ]
    for user in ("operator_luwuk", "head_luwuk", "evaluator_sulteng", "viewer_national"):
        for url in urls:
            assert login(world.users[user]).get(url).status_code == 200, (user, url)
    for url in urls:
        assert login(auditor).get(url).status_code == 200
        # a facility sees only its own; an evaluator only the units they evaluate
        assert login(world.users["operator_atambua"]).get(url).status_code == 404
        assert login(world.outsider).get(url).status_code == 404
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/masuk/" in anonymous["Location"]
    assert (
        login(world.users["operator_atambua"]).get("/unit/lapas-atambua/lke/2024/").status_code
        == 200
    )
    # writes by someone without the role change nothing
    client = login(world.users["operator_atambua"])
    response = client.post("/unit/lapas-luwuk/lke/2024/mandiri/", {"v-1": "A"})
    assert response.status_code == 404
    client = login(world.users["viewer_national"])
    response = client.post("/unit/lapas-luwuk/lke/2025/mandiri/", {"v-1": "A"})
    assert response.status_code == 404  # no evaluation 2025, and a viewer may not start one
    assert not Evaluation.objects.filter(year=2025).exists()


def test_an_apip_auditor_evaluates_the_units_it_audits_and_nothing_else(world):
    auditor = user_upsert(username="auditor_apip", password="rahasia-uji-123")
    membership_grant(user=auditor, unit=world.luwuk, role=Role.AUDITOR)
    evaluation = _submitted(world)
    changed = services.final_answers_save(
        evaluation=evaluation,
        answers={cid: services.FinalInput("B", "") for cid in _hand_answers()},
        by=auditor,
    )
    assert changed == 80
    with pytest.raises(PermissionDenied):
        services.self_answers_save(
            evaluation=evaluation, answers={}, by=auditor
        )  # an auditor never answers for the facility
    atambua = services.evaluation_start(
        unit=world.atambua, year=2024, by=world.users["operator_atambua"]
    )
    with pytest.raises(PermissionDenied):
        services.final_answers_save(evaluation=atambua, answers={}, by=auditor)


def test_the_page_walks_the_head_and_the_evaluator_through_the_evaluation(world, login):
    criteria = _criteria()
    client = login(world.users["operator_luwuk"])
    page = client.get("/unit/lapas-luwuk/lke/2024/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "tidak dapat diisi otomatis" in html
    assert "Belum dimulai" in html
    response = client.post(
        "/unit/lapas-luwuk/lke/2024/mandiri/",
        {f"v-{cid}": code for cid, code in _hand_answers().items()},
        follow=True,
    )
    assert "80 jawaban disimpan." in response.content.decode()
    response = client.post("/unit/lapas-luwuk/lke/2024/ajukan/", follow=True)
    assert "Hanya kepala UPT yang mengajukan" in response.content.decode()
    client = login(world.users["head_luwuk"])
    response = client.post("/unit/lapas-luwuk/lke/2024/ajukan/", follow=True)
    assert "diajukan kepada evaluator" in response.content.decode()
    client = login(world.users["evaluator_sulteng"])
    home = client.get("/").content.decode()
    assert "Evaluasi AKIP 2024" in home and "menunggu penilaian Anda" in home
    client.post(
        "/unit/lapas-luwuk/lke/2024/evaluator/",
        {f"f-{cid}": code for cid, code in _hand_answers().items()}
        | {f"fn-{criteria['1.3.1'].id}": "Anggaran belum dikaitkan dengan IKK."},
    )
    response = client.post(
        "/unit/lapas-luwuk/lke/2024/selesai/", {"simpulan": "Cukup."}, follow=True
    )
    assert "tidak konsisten" in response.content.decode()
    response = client.post(
        "/unit/lapas-luwuk/lke/2024/selesai/",
        {"simpulan": "Cukup.", "konfirmasi": "1"},
        follow=True,
    )
    html = response.content.decode()
    assert "Evaluasi 2024 selesai: nilai 69,38, predikat B." in html
    assert re.search(r'id="nilai-akhir">69,38 · B<', html)
    # the outputs carry the same figures
    book = load_workbook(io.BytesIO(client.get("/unit/lapas-luwuk/lke/2024/unduh.xlsx").content))
    sheet = book["LKE"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["1"][1] == "Perencanaan Kinerja" and rows["1"][6] == "22,50"
    assert rows["1.3.1"][5] == "A" and rows["1.3.1"][9] == "Anggaran belum dikaitkan dengan IKK."
    assert any(
        r[1] == "NILAI AKUNTABILITAS KINERJA" and r[6] == "69,38"
        for r in sheet.iter_rows(values_only=True)
    )
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"


def test_a_self_assessment_sent_back_shows_no_evaluator_answers_in_its_downloads(world, login):
    evaluation = _submitted(world)
    criteria = _criteria()
    services.final_answers_save(
        evaluation=evaluation,
        answers={criteria["1.1.1"].id: services.FinalInput("E", "Pedoman tidak ditemukan.")},
        by=world.users["evaluator_sulteng"],
    )
    services.evaluation_return(
        evaluation=evaluation, reason="Lengkapi data dukung.", by=world.users["evaluator_sulteng"]
    )
    client = login(world.users["operator_luwuk"])
    book = load_workbook(io.BytesIO(client.get("/unit/lapas-luwuk/lke/2024/unduh.xlsx").content))
    rows = {r[0]: r for r in book["LKE"].iter_rows(values_only=True) if r[0]}
    assert rows["1.1.1"][3] == "A" and rows["1.1.1"][5] in (None, "")
    assert "Pedoman tidak ditemukan." not in str(list(book["LKE"].iter_rows(values_only=True)))
    page = client.get("/unit/lapas-luwuk/lke/2024/").content.decode()
    assert "Pedoman tidak ditemukan." not in page
    # a component number no digit parser would take is ignored, never a 500
    client = login(world.users["evaluator_sulteng"])
    services.self_submit(evaluation=evaluation, by=world.users["head_luwuk"])
    response = client.post(
        "/unit/lapas-luwuk/lke/2024/rekomendasi/",
        {"rekomendasi": "Uji.", "batas": "2099-01-01", "komponen": "²"},
    )
    assert response.status_code == 302


def test_the_lhe_opens_in_libreoffice_with_the_score_and_the_recommendations(world, tmp_path):
    evaluation = _submitted(world)
    services.recommendation_add(
        evaluation=evaluation,
        text="Kaitkan anggaran dengan IKK.",
        deadline=world.luwuk.local_today() + dt.timedelta(days=60),
        by=world.users["evaluator_sulteng"],
    )
    services.final_answers_save(
        evaluation=evaluation,
        answers={cid: services.FinalInput(code, "") for cid, code in _hand_answers().items()},
        by=world.users["evaluator_sulteng"],
    )
    services.evaluation_finish(
        evaluation=evaluation,
        summary="Perlu perbaikan.",
        by=world.users["evaluator_sulteng"],
        confirm_inconsistent=True,
    )
    from kinerja.evaluation import exporters

    sheet = selectors.sheet(world.luwuk, 2024, prefill=False)
    docx = tmp_path / "lhe.docx"
    docx.write_bytes(exporters.export(sheet, "docx").content)
    text = " ".join(libreoffice_text(docx, tmp_path).split())
    assert "LAPORAN HASIL EVALUASI" in text
    assert "69,38 dengan predikat B (Baik)" in text
    assert "Kaitkan anggaran dengan IKK." in text
    pdf = exporters.export(sheet, "pdf")
    assert pdf.content.startswith(b"%PDF") and not pdf.draft


def test_the_region_and_the_nation_see_the_distribution_of_grades(world, login):
    _finished(world)
    page = login(world.users["evaluator_sulteng"]).get(
        "/wilayah/kanwil-sulteng/evaluasi-akip/?tahun=2024"
    )
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="sebaran-predikat"') : html.index('id="evaluasi-upt"')]
    cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
    ]
    # Kanwil Sulteng: 1 facility, grades AA A BB B CC C D, unfinished, mean
    assert cells == ["Kanwil Sulawesi Tengah", "1", "0", "0", "0", "1", "0", "0", "0", "0", "69,38"]
    national = login(world.users["viewer_national"]).get(
        "/wilayah/ditjenpas/evaluasi-akip/?tahun=2024"
    )
    html = national.content.decode()
    assert "Kanwil Nusa Tenggara Timur" in html and "Jumlah" in html
    assert (
        login(world.users["operator_luwuk"])
        .get("/wilayah/kanwil-sulteng/evaluasi-akip/")
        .status_code
        == 404
    )


# --- The demo ----------------------------------------------------------------------------------


def test_atambua_2023_pre_fill_proposes_answers_with_working_links(demo):
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="operator.atambua"))
    sheet = selectors.sheet(demo, 2023)
    automatic = [r for r in sheet.rows if r.proposal and r.proposal.automatic]
    manual = [r for r in sheet.rows if not (r.proposal and r.proposal.automatic)]
    assert len(automatic) >= 25 and len(manual) >= 40
    by_key = {r.key: r.proposal for r in automatic}
    assert by_key["1.1.3"].code == "A" and by_key["1.1.3"].reasons == [
        "Renstra 2020-2024 mencakup tahun 2023."
    ]
    assert by_key["1.2.1"].reasons[0] == "PK 2023 ditandatangani 16 Januari 2023."
    assert "kepala definitif" in by_key["1.2.1"].reasons[1]
    assert by_key["1.2.2"].code == "A"
    links = {link.url for r in automatic for link in r.proposal.links}
    assert len(links) >= 8
    for url in sorted(links):
        assert client.get(url).status_code == 200, url
    html = client.get("/unit/lapas-atambua/lke/2023/").content.decode()
    assert html.count(NOT_AUTOMATIC) >= len(manual)
