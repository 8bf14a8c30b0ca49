"""Issue 15, point 3: who must act. Every quarter transition tells the people who act next (in the
application and by e-mail), never anyone else; the to-do list on the home page; the notification
page (GET reads, POST marks read); the query count does not grow with the facilities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.measurement.models import EntryWindow, QuarterReport, RealizationStatus
from kinerja.measurement.services import entry_window_set, quarter_transition, realization_save
from kinerja.notifications import services as notification_services
from kinerja.notifications.models import Kind, Notification
from kinerja.notifications.selectors import todo
from kinerja.organizations.models import Role, UnitKind
from kinerja.organizations.services import membership_grant, unit_create
from kinerja.planning import services as planning
from kinerja.planning.models import PerjanjianKinerja, PKStatus
from tests.test_workflow import complete  # noqa: F401 (fixture: signed Luwuk PK, TW I filled)

S = RealizationStatus


@pytest.fixture
def emails(world):
    """Every Luwuk/Sulteng persona has an address except the operator (in-app only)."""
    for name in ("head_luwuk", "evaluator_sulteng", "operator_atambua", "admin_national"):
        user = world.users[name]
        user.email = f"{name}@example.go.id"
        user.save()
    return world


@pytest.fixture
def move(django_capture_on_commit_callbacks):
    """A transition whose after-commit work runs as in production."""

    def _move(agreement, action, user, reason="", quarter=1):
        with django_capture_on_commit_callbacks(execute=True):
            return quarter_transition(
                agreement=agreement, quarter=quarter, action=action, by=user, reason=reason
            )

    return _move


def told(world, kind):
    """Usernames notified of this kind, sorted."""
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def mailed():
    return sorted(address for m in mail.outbox for address in m.to)


# --- Every transition notifies who acts next, and only them ---------------------------------


def test_every_transition_notifies_the_right_users_and_only_them(
    complete,  # noqa: F811
    emails,
    move,
):
    world = emails
    op, head, ev = (world.users[n] for n in ("operator_luwuk", "head_luwuk", "evaluator_sulteng"))

    move(complete, "submit", op)
    assert told(world, Kind.QUARTER_SUBMITTED) == ["evaluator_sulteng", "head_luwuk"]
    assert mailed() == ["evaluator_sulteng@example.go.id", "head_luwuk@example.go.id"]
    assert mail.outbox[0].subject == (
        "[Kinerja] Realisasi diajukan TW I 2024 — Lapas Kelas IIB Luwuk"
    )
    assert "http://localhost:8000/unit/lapas-luwuk/realisasi/2024/tw/1/" in mail.outbox[0].body

    mail.outbox.clear()
    move(complete, "return", head, reason="Data dukung IKK-1.1 belum diunggah")
    # The head acted: the operator (in-app only, no address) and not the head itself.
    assert told(world, Kind.QUARTER_RETURNED) == ["operator_luwuk"]
    returned = Notification.objects.get(kind=Kind.QUARTER_RETURNED)
    assert "Alasan: Data dukung IKK-1.1 belum diunggah" in returned.text
    assert returned.link == "/unit/lapas-luwuk/realisasi/2024/tw/1/"
    assert mail.outbox == []

    move(complete, "submit", op)
    mail.outbox.clear()
    move(complete, "approve", head)
    assert told(world, Kind.QUARTER_APPROVED) == ["evaluator_sulteng", "operator_luwuk"]
    assert mailed() == ["evaluator_sulteng@example.go.id"]

    mail.outbox.clear()
    move(complete, "verify", ev)
    assert told(world, Kind.QUARTER_VERIFIED) == ["head_luwuk", "operator_luwuk"]
    move(complete, "lock", ev)
    assert told(world, Kind.QUARTER_LOCKED) == ["head_luwuk", "operator_luwuk"]
    move(complete, "reopen", ev, reason="Salah ketik pada IKK-2.3")
    assert told(world, Kind.QUARTER_REOPENED) == ["head_luwuk", "operator_luwuk"]
    assert mailed() == ["head_luwuk@example.go.id"] * 3
    # Nobody of another facility or region, no national user, ever.
    assert not Notification.objects.filter(
        user__username__in=["operator_atambua", "viewer_national", "admin_national", "outsider"]
    ).exists()


def test_the_same_transition_is_never_recorded_twice(complete, emails, move):  # noqa: F811
    move(complete, "submit", emails.users["operator_luwuk"])
    report = QuarterReport.objects.get(agreement=complete, quarter=1)
    transition = report.transitions.get()
    again = notification_services.transition_notify(
        report=report,
        transition_id=transition.pk,
        from_status=transition.from_status,
        to_status=transition.to_status,
        by=transition.by,
    )
    assert again == []
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_failing_email_leaves_the_transition_and_the_in_app_notification(
    complete,  # noqa: F811
    emails,
    move,
    monkeypatch,
    caplog,
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP tidak dapat dihubungi")

    monkeypatch.setattr(notification_services, "send_mail", broken)
    report = move(complete, "submit", emails.users["operator_luwuk"])
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    assert told(emails, Kind.QUARTER_SUBMITTED) == ["evaluator_sulteng", "head_luwuk"]
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert "e-mail of notification" in caplog.text


def test_a_failing_receiver_never_undoes_the_transition(
    complete,  # noqa: F811
    emails,
    move,
    monkeypatch,
    caplog,
):
    def broken(**kwargs):
        raise RuntimeError("pemberitahuan rusak")

    monkeypatch.setattr("kinerja.notifications.hooks.transition_notify", broken)
    move(complete, "submit", emails.users["operator_luwuk"])
    assert QuarterReport.objects.get(agreement=complete, quarter=1).status == S.SUBMITTED
    assert not Notification.objects.exists()
    assert "pemberitahuan rusak" in caplog.text


@pytest.mark.django_db(transaction=True)  # real commits: the notification after the POST
def test_submitting_through_the_page_notifies_the_head(world, login):
    agreement = world.draft_pk()
    planning.pk_sign(agreement=agreement, by=None)
    agreement.refresh_from_db()
    for row in agreement.indicators.filter(indicator__level="ikk").select_related(
        "indicator", "agreement"
    ):
        values = {v.symbol: Decimal(1) for v in row.indicator.variables.all()}
        realization_save(pk_indicator=row, quarter=1, values=values)
    client = login(world.users["operator_luwuk"])
    response = client.post(
        reverse("quarter_action", args=["lapas-luwuk", 2024, 1]), {"action": "submit"}, follow=True
    )
    assert response.status_code == 200
    assert QuarterReport.objects.get(agreement=agreement, quarter=1).status == S.SUBMITTED
    assert told(world, Kind.QUARTER_SUBMITTED) == ["evaluator_sulteng", "head_luwuk"]
    head_home = login(world.users["head_luwuk"]).get(reverse("home")).content.decode()
    assert 'aria-label="1 belum dibaca"' in head_home


# --- The notification page -----------------------------------------------------------------


def test_the_notification_page_lists_only_the_users_own_and_get_never_marks_read(
    complete,  # noqa: F811
    emails,
    move,
    login,
):
    move(complete, "submit", emails.users["operator_luwuk"])
    client = login(emails.users["head_luwuk"])
    page = client.get(reverse("notifications"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Realisasi TW I 2024 Lapas Kelas IIB Luwuk diajukan oleh operator_luwuk" in text
    assert "belum dibaca" in text
    assert Notification.objects.filter(read_at__isnull=True).count() == 2  # GET wrote nothing
    # Nobody else sees it: not on the page, not by opening it.
    own = Notification.objects.get(user=emails.users["head_luwuk"])
    other = login(emails.users["operator_atambua"])
    assert "Luwuk" not in other.get(reverse("notifications")).content.decode()
    assert other.post(reverse("notification_open", args=[own.pk])).status_code == 404
    own.refresh_from_db()
    assert own.read_at is None


def test_opening_a_notification_marks_it_read_by_post_and_goes_to_its_link(
    complete,  # noqa: F811
    emails,
    move,
    login,
):
    move(complete, "submit", emails.users["operator_luwuk"])
    client = login(emails.users["head_luwuk"])
    own = Notification.objects.get(user=emails.users["head_luwuk"])
    assert client.get(reverse("notification_open", args=[own.pk])).status_code == 405
    response = client.post(reverse("notification_open", args=[own.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/unit/lapas-luwuk/realisasi/2024/tw/1/"
    assert client.get(response["Location"]).status_code == 200
    own.refresh_from_db()
    assert own.read_at is not None
    # The history keeps who read it, when.
    last = own.history.order_by("-history_id").first()
    assert last.read_at == own.read_at and last.history_user == emails.users["head_luwuk"]
    header = client.get(reverse("home")).content.decode()
    assert "belum dibaca" not in header


def test_mark_all_read(complete, emails, move, login):  # noqa: F811
    move(complete, "submit", emails.users["operator_luwuk"])
    move(complete, "return", emails.users["head_luwuk"], reason="Perbaiki")
    move(complete, "submit", emails.users["operator_luwuk"])
    head = emails.users["head_luwuk"]
    assert Notification.objects.filter(user=head, read_at__isnull=True).count() == 2
    client = login(head)
    assert client.post(reverse("notifications_read")).status_code == 302
    assert not Notification.objects.filter(user=head, read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() > 0  # others' untouched


def test_a_role_taken_away_takes_its_units_notifications_with_it(
    complete,  # noqa: F811
    emails,
    move,
    login,
):
    move(complete, "submit", emails.users["operator_luwuk"])
    head = emails.users["head_luwuk"]
    head.memberships.all().delete()
    page = login(head).get(reverse("notifications")).content.decode()
    assert "Luwuk" not in page and "Belum ada notifikasi." in page


# --- The to-do list ------------------------------------------------------------------------


def window(region, year=2024, quarter=1, *, opens=-10, closes=3, today=None):
    today = today or timezone.localdate()
    return EntryWindow.objects.create(
        region=region,
        year=year,
        quarter=quarter,
        opens=today + dt.timedelta(days=opens),
        closes=today + dt.timedelta(days=closes),
    )


def kinds(items):
    return [(i.kind, i.unit.slug, i.year, i.quarter) for i in items]


def test_the_operator_sees_what_to_fill_with_the_deadline_and_a_link_that_opens(
    complete,  # noqa: F811
    world,
    login,
):
    w = window(world.sulteng, closes=3)
    client = login(world.users["operator_luwuk"])
    page = client.get(reverse("home")).content.decode()
    assert "Isi dan ajukan realisasi TW I 2024 Lapas Kelas IIB Luwuk" in page
    assert f"Ditutup {w.closes.day:02d}" in page and "3 hari lagi" in page
    assert client.get("/unit/lapas-luwuk/realisasi/2024/tw/1/").status_code == 200
    # The head sees the same (the head may submit too); the evaluator sees the region's deadline.
    assert kinds(todo(world.users["head_luwuk"])) == [("fill", "lapas-luwuk", 2024, 1)]
    evaluator = todo(world.users["evaluator_sulteng"])
    assert kinds(evaluator) == [("deadline", "kanwil-sulteng", 2024, 1)]
    assert evaluator[0].note == "1 dari 1 UPT belum mengajukan:"
    # Atambua's operator: another region, nothing.
    assert todo(world.users["operator_atambua"]) == []


def test_each_step_puts_the_quarter_on_the_list_of_who_acts_next(
    complete,  # noqa: F811
    world,
    move,
    login,
):
    op, head, ev = (world.users[n] for n in ("operator_luwuk", "head_luwuk", "evaluator_sulteng"))
    move(complete, "submit", op)
    assert kinds(todo(op)) == []
    assert kinds(todo(head)) == [("approve", "lapas-luwuk", 2024, 1)]
    move(complete, "approve", head)
    assert kinds(todo(head)) == []
    items = todo(ev)
    assert kinds(items) == [("verify", "kanwil-sulteng", 2024, 1)]
    assert [(u.slug, link) for u, link in items[0].facilities] == [
        ("lapas-luwuk", "/unit/lapas-luwuk/realisasi/2024/tw/1/")
    ]
    client = login(ev)
    assert client.get(items[0].link).status_code == 200
    assert client.get(items[0].facilities[0][1]).status_code == 200
    move(complete, "return", ev, reason="Angka IKK-2.3 tidak sesuai data dukung")
    assert todo(ev) == []
    for user in (op, head):
        (item,) = todo(user)
        assert item.kind == "returned" and item.reason == "Angka IKK-2.3 tidak sesuai data dukung"
    page = login(op).get(reverse("home")).content.decode()
    assert "Alasan: Angka IKK-2.3 tidak sesuai data dukung" in page


def test_an_outsiders_home_page_lists_nothing_of_the_facility(
    complete,  # noqa: F811
    world,
    move,
    login,
):
    window(world.sulteng)
    move(complete, "submit", world.users["operator_luwuk"])
    for user in (world.users["operator_atambua"], world.outsider):
        page = login(user).get(reverse("home")).content.decode()
        assert "Luwuk" not in page and "Sulawesi" not in page, user
        assert "Tidak ada yang menunggu Anda" in page, user


def test_a_facility_without_a_signed_pk_is_sent_to_its_pk(world, login):
    world.draft_pk()
    window(world.sulteng)
    (item,) = todo(world.users["operator_luwuk"])
    assert item.kind == "fill" and item.link == "/unit/lapas-luwuk/?tahun=2024"
    assert "belum ditandatangani" in item.note
    assert login(world.users["operator_luwuk"]).get(item.link).status_code == 200


# --- On the demo data ----------------------------------------------------------------------


def test_the_to_do_lists_on_the_demo_show_the_right_items_with_links_that_open(
    demo, client, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    ntt, sulteng = demo.parent, demo.parent.parent.children.get(slug="kanwil-sulteng")
    window(ntt, 2023, 4, opens=-20, closes=5)
    window(sulteng, 2024, 1, opens=-20, closes=2)
    atambua_pk = PerjanjianKinerja.objects.get(unit=demo, year=2023, status=PKStatus.SIGNED)
    # Atambua's TW III 2023 was submitted earlier (recorded directly: the demo holds no workflow).
    QuarterReport.objects.create(agreement=atambua_pk, quarter=3, status=S.SUBMITTED)

    def items(name):
        return kinds(todo(users[name]))

    assert items("operator.atambua") == [("fill", "lapas-atambua", 2023, 4)]
    assert items("kepala.atambua") == [
        ("fill", "lapas-atambua", 2023, 4),
        ("approve", "lapas-atambua", 2023, 3),
    ]
    assert items("evaluator.ntt") == [("deadline", "kanwil-ntt", 2023, 4)]
    # Luwuk's PK 2024 is a draft: the list sends its users to the PK.
    assert items("operator.luwuk") == [("fill", "lapas-luwuk", 2024, 1)]
    assert items("evaluator.sulteng") == [("deadline", "kanwil-sulteng", 2024, 1)]
    assert items("pimpinan") == [] and items("admin") == []

    with django_capture_on_commit_callbacks(execute=True):
        quarter_transition(
            agreement=atambua_pk, quarter=3, action="approve", by=users["kepala.atambua"]
        )
    assert items("evaluator.ntt") == [
        ("verify", "kanwil-ntt", 2023, 3),
        ("deadline", "kanwil-ntt", 2023, 4),
    ]
    for name in (
        "operator.atambua",
        "kepala.atambua",
        "evaluator.ntt",
        "operator.luwuk",
        "evaluator.sulteng",
    ):
        client.force_login(users[name])
        page = client.get(reverse("home"))
        assert page.status_code == 200
        text = page.content.decode()
        for item in todo(users[name]):
            assert f'href="{item.link}"' in text.replace("&amp;", "&")
            assert client.get(item.link).status_code == 200, (name, item.link)
            for _unit, link in item.facilities:
                assert client.get(link).status_code == 200, (name, link)


# --- Query count ---------------------------------------------------------------------------


def _grow(world, region, count, start):
    """`count` facilities of the region, each with a signed PK 2024 whose TW I is approved and
    TW II draft (recorded directly: the workflow's own tests cover how they got there)."""
    for i in range(start, start + count):
        unit = unit_create(
            name=f"Rutan Uji {i:03d}",
            slug=f"rutan-uji-{i:03d}",
            kind=UnitKind.UPT,
            parent=region,
            facility_type="rutan",
            facility_class="IIB",
        )
        pk = PerjanjianKinerja.objects.create(unit=unit, year=2024, status=PKStatus.SIGNED)
        QuarterReport.objects.create(agreement=pk, quarter=1, status=S.APPROVED)
        QuarterReport.objects.create(agreement=pk, quarter=2, status=S.RETURNED, return_reason="x")


def test_the_to_do_list_and_home_page_do_not_grow_with_the_facilities(world, login):
    ev = world.users["evaluator_sulteng"]
    window(world.sulteng, 2024, 2)
    _grow(world, world.sulteng, 10, 0)
    client = login(ev)
    client.get(reverse("home"))

    def measured():
        with CaptureQueriesContext(connection) as home:
            page = client.get(reverse("home"))
        with CaptureQueriesContext(connection) as selector:
            items = todo(ev)
        assert page.status_code == 200
        return len(home.captured_queries), len(selector.captured_queries), items

    home_small, todo_small, items = measured()
    assert len(items[0].facilities) == 10
    _grow(world, world.sulteng, 30, 10)  # an evaluator of 41 facilities
    home_large, todo_large, items = measured()
    assert kinds(items) == [
        ("verify", "kanwil-sulteng", 2024, 1),
        ("deadline", "kanwil-sulteng", 2024, 2),
    ]
    assert len(items[0].facilities) == 40
    assert items[0].note == "40 UPT disetujui Kepala UPT dan menunggu verifikasi Anda:"
    assert items[1].note == "41 dari 41 UPT belum mengajukan:"
    assert (home_large, todo_large) == (home_small, todo_small)
    assert todo_large <= 5 and home_large <= 12, (todo_large, home_large)


def test_the_entry_window_service_still_works_with_notifications_installed(world):
    # The region's window form is the source of deadlines on the list.
    w = entry_window_set(
        region=world.sulteng,
        year=2024,
        quarter=1,
        opens=dt.date(2024, 4, 1),
        closes=dt.date(2024, 4, 15),
        by=world.users["evaluator_sulteng"],
    )
    assert w.closes == dt.date(2024, 4, 15)
    item = todo(world.users["evaluator_sulteng"], today=dt.date(2024, 4, 12))
    assert [(i.kind, i.days_left_text) for i in item] == [("deadline", "3 hari lagi")]


def test_a_head_of_two_facilities_sees_both(world, complete, move):  # noqa: F811
    other = unit_create(
        name="Rutan Kelas IIB Poso",
        slug="rutan-poso",
        kind=UnitKind.UPT,
        parent=world.sulteng,
        facility_type="rutan",
        facility_class="IIB",
    )
    head = world.users["head_luwuk"]
    membership_grant(user=head, unit=other, role=Role.HEAD)
    pk = PerjanjianKinerja.objects.create(unit=other, year=2024, status=PKStatus.SIGNED)
    QuarterReport.objects.create(agreement=pk, quarter=1, status=S.SUBMITTED)
    move(complete, "submit", world.users["operator_luwuk"])
    assert kinds(todo(head)) == [
        ("approve", "lapas-luwuk", 2024, 1),
        ("approve", "rutan-poso", 2024, 1),
    ]
