"""The REST API (/api/v1/): personal tokens, the same figures as `kinerja results --json`, the
same access rule as the pages (another unit's data is 404, exactly as a unit that does not exist),
one error shape, and the token page."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from kinerja.api.models import ApiToken
from kinerja.api.services import digest, token_create
from kinerja.dashboards.rollup import rollup
from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja

pytestmark = pytest.mark.django_db


def user(username):
    return get_user_model().objects.get(username=username)


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def key_for(username, **kwargs):
    return token_create(user=user(username), name="Uji", **kwargs)[1]


def get(key, path, **params):
    return Client().get(f"/api/v1{path}", params, **bearer(key))


def test_the_command_prints_a_key_that_is_stored_only_as_its_digest(demo):
    out = io.StringIO()
    call_command("token", "create", "--user", "operator.atambua", "--name", "SDP", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("kin_") and len(key) > 40
    token = ApiToken.objects.get(user__username="operator.atambua")
    assert token.name == "SDP" and token.digest == digest(key) and token.prefix == key[:12]
    # the key itself is nowhere in the database, its history included
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM api_historicalapitoken")
        rows += cursor.fetchall()
    assert key not in repr(rows)
    assert get(key, "/units/").status_code == 200


def test_a_token_sees_the_units_its_user_may_see_and_nothing_else(demo):
    def slugs(username):
        body = get(key_for(username), "/units/").json()
        assert body["count"] == len(body["items"])
        return {u["slug"] for u in body["items"]}

    operator = slugs("operator.atambua")
    assert operator == set(
        Unit.objects.restrict(user("operator.atambua"), "view").values_list("slug", flat=True)
    )
    assert "lapas-atambua" in operator and "lapas-luwuk" not in operator
    assert "lapas-luwuk" in slugs("evaluator.sulteng") and "lapas-atambua" not in slugs(
        "evaluator.sulteng"
    )
    national = slugs("pimpinan")
    assert {"ditjenpas", "lapas-atambua", "lapas-luwuk", "kanwil-ntt"} <= national
    item = next(
        u for u in get(key_for("pimpinan"), "/units/").json()["items"] if u["slug"] == "lapas-luwuk"
    )
    assert item["kind"] == "upt" and item["parent"] == "kanwil-sulteng"


def test_the_results_are_those_of_the_command_for_every_demo_facility_and_year(demo):
    key = key_for("pimpinan")
    pairs = {
        (pk.unit.slug, pk.year)
        for pk in PerjanjianKinerja.objects.filter(
            unit__slug__in=["lapas-atambua", "lapas-luwuk"]
        ).select_related("unit")
    }
    assert len(pairs) >= 2
    recorded = 0
    for slug, year in sorted(pairs):
        out = io.StringIO()
        call_command("results", "--unit", slug, "--year", str(year), "--json", stdout=out)
        response = get(key, f"/units/{slug}/results/{year}")
        assert response.status_code == 200, (slug, year, response.content)
        body = response.json()
        assert body["results"] == json.loads(out.getvalue()), (slug, year)
        assert body["unit"] == slug and body["year"] == year and body["through"] is None
        recorded += sum(r["recorded"] for r in body["results"])
        # a realisation that is not recorded is null, never zero
        for r in body["results"]:
            if not r["recorded"]:
                assert r["realisation"] is None and r["achievement"] is None
    assert recorded > 10  # Atambua 2023 is filled


def test_s_d_a_quarter_gives_the_figure_the_dashboards_give_for_it(demo):
    """`?quarter=N` through an independent path: the roll-up's own cell of the facility."""
    key = key_for("pimpinan")
    atambua = demo
    region = atambua.parent
    seen_change = False
    for quarter in (1, 2, 3, 4):
        body = get(key, "/units/lapas-atambua/results/2023", quarter=quarter).json()
        assert body["through"] == quarter
        result = rollup(region, 2023, quarter=quarter)
        for row in body["results"]:
            item = result.indicator(row["code"])
            if item is None:
                continue
            cell = result.cell(atambua.id, item.indicator.id)
            expected = cell.realisation if cell is not None else None
            if expected is None or expected.is_na:
                assert row["realisation"] is None, (quarter, row["code"])
            else:
                assert row["realisation"] == f"{expected.value:.2f}", (quarter, row["code"])
                assert row["quarter"] is not None and row["quarter"] <= quarter
        whole = get(key, "/units/lapas-atambua/results/2023").json()["results"]
        seen_change |= body["results"] != whole
    assert seen_change  # an early quarter is not the year's figure


@pytest.mark.parametrize(
    "path",
    [
        "/units/lapas-luwuk/results/2024",
        "/units/tidak-ada/results/2024",
        "/units/kanwil-sulteng/results/2024",
    ],
)
def test_another_units_data_is_404_exactly_as_a_unit_that_does_not_exist(demo, path):
    response = get(key_for("operator.atambua"), path)
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "message": "UPT tidak ditemukan.",
        "field": None,
        "errors": [],
    }


def test_refused_keys_and_no_key_get_401_in_the_same_shape(demo):
    operator = user("operator.atambua")
    revoked_token, revoked = token_create(user=operator, name="Lama")
    call_command("token", "revoke", "--id", str(revoked_token.pk), stdout=io.StringIO())
    expired_token, expired = token_create(
        user=operator, name="Habis", expires_on=timezone.localdate() + dt.timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expired_token.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    inactive = key_for("kepala.atambua")
    get_user_model().objects.filter(username="kepala.atambua").update(is_active=False)
    for key in (revoked, expired, inactive, "kin_salah", "bukan-token", ""):
        response = get(key, "/units/lapas-atambua/results/2023")
        assert response.status_code == 401, key
        body = response.json()
        assert body["code"] == "unauthorized" and "token" in body["message"]
    assert Client().get("/api/v1/units/").status_code == 401


def test_the_browser_session_opens_the_api_for_the_pages_own_use(demo, client):
    client.force_login(user("operator.atambua"))
    assert client.get("/api/v1/units/lapas-atambua/results/2023").status_code == 200
    assert client.get("/api/v1/units/lapas-luwuk/results/2024").status_code == 404


@pytest.mark.parametrize(
    "path, status, field",
    [
        ("/units/lapas-atambua/results/2023?quarter=5", 422, "query.quarter"),
        ("/units/lapas-atambua/results/2023?quarter=dua", 422, "query.quarter"),
        ("/units/lapas-atambua/results/tahun", 422, "path.year"),
        (f"/units/lapas-atambua/results/{10**30}", 404, None),
        ("/units/lapas-atambua/results/1900", 404, None),
        ("/units/lapas-atambua/results/2031", 404, None),
        ("/units/?page=0", 422, "query.page"),
    ],
)
def test_bad_input_is_a_located_error_never_a_500(demo, path, status, field):
    response = Client().get(f"/api/v1{path}", **bearer(key_for("operator.atambua")))
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status and body["field"] == field and body["message"]


def test_the_catalogue_lists_every_indicator_with_its_variables(demo):
    body = get(key_for("operator.atambua"), "/indicators/").json()
    codes = {i["code"]: i for i in body["items"]}
    assert body["count"] == len(codes) > 10
    ikk = codes["IKK-2.3"]
    assert ikk["formula"] and {v["symbol"] for v in ikk["variables"]} >= {"A", "B"}
    assert all(v["description"] for v in ikk["variables"])


def test_the_schema_and_its_documentation_are_served_without_a_cdn(demo):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/units/", "/api/v1/indicators/", "/api/v1/units/{slug}/results/{year}"} <= set(
        paths
    )
    fields = schema.json()["components"]["schemas"]["ResultOut"]["properties"]
    assert "belum diisi" in fields["recorded"]["description"]
    docs = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


# --- The token page -------------------------------------------------------------------------------


def test_the_token_page_shows_a_new_key_once_and_revokes_only_the_users_own(demo, client):
    client.force_login(user("operator.atambua"))
    page = client.post("/akun/token/", {"name": "Sinkronisasi SDP", "expires_on": ""})
    assert page.status_code == 200
    key = page.context["key"]
    assert key in page.content.decode() and "tidak akan ditampilkan lagi" in page.content.decode()
    listing = client.get("/akun/token/").content.decode()
    assert "Sinkronisasi SDP" in listing and key not in listing and key[:12] in listing
    assert get(key, "/units/").status_code == 200
    token = ApiToken.objects.get(user__username="operator.atambua")
    # someone else cannot revoke it
    other = Client()
    other.force_login(user("operator.luwuk"))
    assert other.post(f"/akun/token/{token.pk}/cabut/").status_code == 404
    assert get(key, "/units/").status_code == 200
    # its owner can; the history keeps both states
    assert client.post(f"/akun/token/{token.pk}/cabut/").status_code == 302
    assert get(key, "/units/").status_code == 401
    assert token.history.count() == 2
    assert "dicabut" in client.get("/akun/token/").content.decode()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": ""}, "name", "wajib diisi"),
        ({"name": "x" * 101}, "name", "100"),
        ({"name": "Uji", "expires_on": "kemarin"}, "expires_on", "tttt-bb-hh"),
        ({"name": "Uji", "expires_on": "2020-01-01"}, "expires_on", "sesudah hari ini"),
        ({"name": "Uji", "expires_on": "9999-12-31"}, "expires_on", "lima tahun"),
    ],
)
def test_a_token_form_with_a_problem_says_where_and_makes_nothing(
    demo, client, data, field, message
):
    client.force_login(user("operator.atambua"))
    page = client.post("/akun/token/", data)
    assert page.status_code == 400
    assert any(message in e for e in page.context["form"].errors[field])
    assert not ApiToken.objects.exists()


def test_each_token_has_its_own_rate_limit_answered_429_with_the_wait(demo, settings):
    from django.core.cache import cache

    cache.clear()
    settings.KINERJA_API_RATE = "3/m"
    first, second = key_for("operator.atambua"), key_for("operator.atambua")
    for _ in range(3):
        assert get(first, "/units/").status_code == 200
    refused = get(first, "/units/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_requests"
    assert (
        1 <= int(refused["Retry-After"]) <= 61
        and refused["Retry-After"] in refused.json()["message"]
    )
    assert get(second, "/units/").status_code == 200  # another token is counted apart
    cache.clear()


def test_a_rate_that_is_not_one_is_refused_at_start(tmp_path):
    env = {
        **os.environ,
        "KINERJA_API_RATE": "banyak",
        "KINERJA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "KINERJA_API_RATE 'banyak' tidak dikenal" in result.stderr


# --- Writing results and moving a quarter -----------------------------------------------------


def put(key, path, body):
    return Client().put(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", **bearer(key)
    )


def post(key, path, body):
    return Client().post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", **bearer(key)
    )


def tw4_values(code):
    from kinerja.measurement.models import VariableValue

    return {
        v.symbol: v.value
        for v in VariableValue.objects.filter(
            realization__pk_indicator__agreement__unit__slug="lapas-atambua",
            realization__pk_indicator__agreement__year=2023,
            realization__pk_indicator__indicator__code=code,
            realization__quarter=4,
        )
    }


def test_a_put_saves_through_the_entry_service_with_its_history_and_shows_in_the_results(demo):
    from kinerja.measurement.models import Realization

    key = key_for("operator.atambua")
    before = tw4_values("IKK-2.3")
    assert before  # the demo has TW IV of IKK-2.3
    response = put(
        key,
        "/units/lapas-atambua/results/2023/4/IKK-2.3",
        {"values": {"A": 7, "B": "12"}, "narrative": "Dari SDP."},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["values"] == {"A": "7", "B": "12"} and body["narrative"] == "Dari SDP."
    assert tw4_values("IKK-2.3") == {"A": 7, "B": 12}
    # the figure is the one the results give, computed by the same path
    results = get(key, "/units/lapas-atambua/results/2023").json()["results"]
    assert body["result"] == next(r for r in results if r["code"] == "IKK-2.3")
    assert body["result"]["realisation"] == "58.33"
    realization = Realization.objects.get(
        pk_indicator__agreement__unit__slug="lapas-atambua",
        pk_indicator__agreement__year=2023,
        pk_indicator__indicator__code="IKK-2.3",
        quarter=4,
    )
    latest = realization.history.latest()
    assert latest.updated_by.username == "operator.atambua" and latest.narrative == "Dari SDP."


@pytest.mark.parametrize(
    "values, field, words",
    [
        ({"A": 13, "B": 12}, "body.values.A", "tidak boleh lebih besar"),
        ({"A": -1, "B": 12}, "body.values.A", "negatif"),
        ({"A": "tujuh", "B": 12}, "body.values.A", "bukan angka"),
        ({"A": "1.500,5", "B": 12}, "body.values.A", "bukan angka"),
        ({"A": 1, "Z": 12}, "body.values.Z", "tidak ada pada indikator"),
        ({"A": "1" * 30, "B": 12}, "body.values.A", "bukan angka"),
    ],
)
def test_a_put_with_a_wrong_value_says_which_and_changes_nothing(demo, values, field, words):
    before = tw4_values("IKK-2.3")
    response = put(
        key_for("operator.atambua"),
        "/units/lapas-atambua/results/2023/4/IKK-2.3",
        {"values": values},
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == field and words in body["errors"][0]["message"], body
    assert tw4_values("IKK-2.3") == before


@pytest.mark.parametrize(
    "username, path",
    [
        ("pimpinan", "/units/lapas-atambua/results/2023/4/IKK-2.3"),  # reads all, writes none
        ("evaluator.ntt", "/units/lapas-atambua/results/2023/4/IKK-2.3"),
        ("operator.luwuk", "/units/lapas-atambua/results/2023/4/IKK-2.3"),
        ("operator.atambua", "/units/lapas-atambua/results/2023/4/IKK-9.9"),
        ("operator.atambua", "/units/lapas-atambua/results/2023/5/IKK-2.3"),
        ("operator.atambua", "/units/lapas-luwuk/results/2024/1/IKK-2.3"),
    ],
)
def test_who_may_not_write_there_gets_404_and_nothing_changes(demo, username, path):
    before = tw4_values("IKK-2.3")
    response = put(key_for(username), path, {"values": {"A": 1, "B": 2}})
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert tw4_values("IKK-2.3") == before


def test_the_quarter_moves_by_role_and_a_locked_one_refuses_a_put_with_its_message(demo):
    from kinerja.measurement.models import QuarterReport

    operator, head = key_for("operator.atambua"), key_for("kepala.atambua")
    evaluator = key_for("evaluator.ntt")
    path = "/units/lapas-atambua/quarters/2023/4/transitions"
    # the operator cannot approve their own submission: 403, the quarter as it was
    assert post(operator, path, {"action": "approve"}).status_code == 409  # not submitted yet
    incomplete = post(operator, path, {"action": "submit"})
    assert incomplete.status_code == 409 and "belum lengkap" in incomplete.json()["message"]
    # the operator fills what is missing, as another system would
    catalogue = {i["code"]: i for i in get(operator, "/indicators/").json()["items"]}
    missing = incomplete.json()["message"].split("untuk: ")[1].rstrip(".").split(", ")
    for code in missing:
        values = {v["symbol"]: 5 for v in catalogue[code]["variables"]}
        filled = put(operator, f"/units/lapas-atambua/results/2023/4/{code}", {"values": values})
        assert filled.status_code == 200, filled.content
    submitted = post(operator, path, {"action": "submit"})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    refused = post(operator, path, {"action": "approve"})
    assert refused.status_code == 403 and "tidak berwenang" in refused.json()["message"]
    # a return needs its reason, located
    no_reason = post(head, path, {"action": "return"})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "body.reason"
    assert post(head, path, {"action": "approve"}).json()["status"] == "approved"
    assert post(evaluator, path, {"action": "verify"}).json()["status"] == "verified"
    assert post(evaluator, path, {"action": "lock"}).json()["status"] == "locked"
    assert QuarterReport.objects.get(agreement__unit__slug="lapas-atambua", quarter=4).status == (
        "locked"
    )
    before = tw4_values("IKK-2.3")
    response = put(
        operator, "/units/lapas-atambua/results/2023/4/IKK-2.3", {"values": {"A": 1, "B": 2}}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "refused"
    assert response.json()["message"] == (
        "Realisasi TW IV berstatus Dikunci dan tidak dapat diubah."
    )  # the entry page's own message
    assert tw4_values("IKK-2.3") == before
    unknown = post(operator, path, {"action": "hapus"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "body.action"
    # another facility's quarter: 404
    assert (
        post(
            operator, "/units/lapas-luwuk/quarters/2024/1/transitions", {"action": "submit"}
        ).status_code
        == 404
    )


def test_a_session_write_needs_the_csrf_token_a_token_write_does_not(demo):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("operator.atambua"))
    before = tw4_values("IKK-2.3")
    response = browser.put(
        "/api/v1/units/lapas-atambua/results/2023/4/IKK-2.3",
        json.dumps({"values": {"A": 1, "B": 2}}),
        content_type="application/json",
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "csrf" and "X-CSRFToken" in response.json()["message"]
    assert tw4_values("IKK-2.3") == before
    browser.get("/akun/token/")  # a page sets the CSRF cookie, as the pages' scripts read it
    response = browser.put(
        "/api/v1/units/lapas-atambua/results/2023/4/IKK-2.3",
        json.dumps({"values": {"A": 1, "B": 2}}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )
    assert response.status_code == 200, response.content
    assert tw4_values("IKK-2.3") == {"A": 1, "B": 2}


def test_a_lock_met_in_a_race_is_a_409_with_the_locks_message(demo, monkeypatch):
    """A colleague locked the quarter between the checks and the write: the model's own lock
    exception (or the trigger's) reaches the API as 409, never a 500."""
    from kinerja.core.locks import LockRefused
    from kinerja.measurement import services

    def racing(**kwargs):
        raise LockRefused("Realisasi TW IV 2023 sudah dikunci oleh Kanwil.")

    monkeypatch.setattr(services, "realization_save", racing)
    response = put(
        key_for("operator.atambua"),
        "/units/lapas-atambua/results/2023/4/IKK-2.3",
        {"values": {"A": 1, "B": 2}},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "locked"
    assert response.json()["message"] == "Realisasi TW IV 2023 sudah dikunci oleh Kanwil."


def upload(key, path, content, name="bukti.pdf", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Client().post(
        f"/api/v1{path}",
        {"file": SimpleUploadedFile(name, content), **fields},
        **bearer(key),
    )


def test_evidence_is_checked_by_its_content_and_attached_to_the_ikk(demo, settings):
    from kinerja.measurement.models import Evidence
    from tests.conftest import blank_pdf

    key = key_for("operator.atambua")
    path = "/units/lapas-atambua/results/2023/4/IKK-2.3/evidence"
    created = upload(key, path, blank_pdf())
    assert created.status_code == 201, created.content
    evidence = Evidence.objects.get(pk=created.json()["id"])
    assert evidence.realization.pk_indicator.indicator.code == "IKK-2.3"
    assert evidence.uploaded_by.username == "operator.atambua"
    assert created.json()["content_type"] == "application/pdf"
    count = Evidence.objects.count()
    # a text file named .pdf is refused by its content, located at the file
    fake = upload(key, path, b"bukan pdf sama sekali", name="palsu.pdf")
    assert fake.status_code == 422 and fake.json()["field"] == "body.file"
    assert "bukan PDF, JPG atau PNG menurut isinya" in fake.json()["message"]
    # over the size limit: 413, said by the same words as the page
    settings.KINERJA_EVIDENCE_MAX_BYTES = 1000
    large = upload(key, path, b"%PDF-1.4 " + b"x" * 5000, name="besar.pdf")
    assert large.status_code == 413 and "batasnya 1 KB untuk data dukung" in large.json()["message"]
    # a month for a facility that records by quarter: located at the month
    settings.KINERJA_EVIDENCE_MAX_BYTES = 10_000_000
    monthly = upload(key, path, blank_pdf(), month="11")
    assert monthly.status_code == 422 and monthly.json()["field"] == "body.month"
    # someone else's facility: 404; no file: 422
    assert upload(key_for("operator.luwuk"), path, blank_pdf()).status_code == 404
    missing = Client().post(f"/api/v1{path}", {}, **bearer(key))
    assert missing.status_code == 422 and missing.json()["field"] == "body.file"
    assert Evidence.objects.count() == count


def test_a_put_with_a_month_for_a_quarterly_facility_is_located_at_the_month(demo):
    before = tw4_values("IKK-2.3")
    response = put(
        key_for("operator.atambua"),
        "/units/lapas-atambua/results/2023/4/IKK-2.3",
        {"values": {"A": 1, "B": 2}, "month": 11},
    )
    assert response.status_code == 422 and response.json()["field"] == "body.month"
    assert "per triwulan, bukan bulanan" in response.json()["message"]
    assert tw4_values("IKK-2.3") == before


# --- Budget, review and roll-up: the commands' own data ----------------------------------------


def command_json(*args):
    out = io.StringIO()
    try:
        call_command(*args, "--json", stdout=out)
    except SystemExit:  # `kinerja reviu` exits 1 while errors are open, after printing
        pass
    return json.loads(out.getvalue())


@pytest.mark.parametrize("slug, year", [("lapas-atambua", 2023), ("lapas-luwuk", 2024)])
def test_the_budget_is_that_of_the_command(demo, slug, year):
    body = get(key_for("pimpinan"), f"/units/{slug}/budget/{year}")
    assert body.status_code == 200
    expected = command_json("budget", "--unit", slug, "--year", str(year))
    assert body.json() == expected and expected["total"]["pagu"]
    # another facility's budget: 404, as one that does not exist
    outsider = "operator.luwuk" if slug == "lapas-atambua" else "operator.atambua"
    assert get(key_for(outsider), f"/units/{slug}/budget/{year}").status_code == 404
    missing = get(key_for("pimpinan"), f"/units/{slug}/budget/2030")
    assert missing.status_code == 404 and "Belum ada data anggaran" in missing.json()["message"]


def test_the_review_is_that_of_the_page_and_reading_it_stores_nothing(demo):
    from kinerja.review.models import ReviewRun

    runs = ReviewRun.objects.count()
    body = get(key_for("kepala.atambua"), "/units/lapas-atambua/review/2023").json()
    assert ReviewRun.objects.count() == runs  # a GET keeps no counts
    expected = command_json("reviu", "--unit", "lapas-atambua", "--year", "2023")
    assert body["temuan"] == expected["temuan"] and body["ringkasan"] == expected["ringkasan"]
    assert body["temuan"] and all(f["aturan"] and f["kunci"] for f in body["temuan"])
    assert any(f["perbaiki"] for f in body["temuan"])
    assert get(key_for("operator.luwuk"), "/units/lapas-atambua/review/2023").status_code == 404


@pytest.mark.parametrize(
    "slug, username", [("kanwil-ntt", "evaluator.ntt"), ("ditjenpas", "pimpinan")]
)
def test_the_roll_up_is_that_of_the_command_for_those_who_may_see_it(demo, slug, username):
    for quarter in (None, 2):
        params = {"quarter": quarter} if quarter else {}
        body = get(key_for(username), f"/units/{slug}/rollup/2023", **params)
        assert body.status_code == 200
        extra = ["--quarter", str(quarter)] if quarter else []
        assert body.json() == command_json("rollup", "--unit", slug, "--year", "2023", *extra)
    for outsider in ("evaluator.sulteng", "operator.atambua", "kepala.atambua"):
        response = get(key_for(outsider), f"/units/{slug}/rollup/2023")
        assert response.status_code == 404, outsider
    # a facility has results, not a roll-up
    assert get(key_for("pimpinan"), "/units/lapas-atambua/rollup/2023").status_code == 404


def test_the_pk_and_its_rencana_aksi_are_those_of_the_page(demo):
    from kinerja.planning.selectors import action_plan, agreement_tables

    key = key_for("operator.atambua")
    body = get(key, "/units/lapas-atambua/pk/2023").json()
    agreement = PerjanjianKinerja.objects.latest_for(demo, 2023)
    assert body["status"] == "signed" and body["revisi"] == agreement.revision
    assert body["pihak_pertama"]["nama"] == agreement.first_party.name
    tables = agreement_tables(agreement)
    assert [t["tingkat"] for t in body["tingkat"]] == [t.level for t in tables]
    ikk = {
        i["kode"]: i
        for t in body["tingkat"]
        if t["tingkat"] == "ikk"
        for g in t["sasaran"]
        for i in g["indikator"]
    }
    rows = {r.indicator.code: r for g in tables[-1].goals for r in g.indicators.all()}
    assert set(ikk) == set(rows)
    assert all(ikk[c]["target"] == f"{rows[c].target:.2f}" for c in rows if rows[c].target)
    assert sum(int(b["jumlah"]) for b in body["anggaran"]) > 0
    plan = get(key, "/units/lapas-atambua/rencana-aksi/2023").json()
    _, pagu, rpd = action_plan(agreement)
    assert plan["total_pagu"] == str(int(pagu)) and plan["total_rpd"] == str(int(rpd))
    assert [i["kode"] for i in plan["ikk"]] == [
        r.row.indicator.code for r in action_plan(agreement)[0]
    ]
    assert all(len(i["triwulan"]) == 4 for i in plan["ikk"])
    # another facility's plan: 404; a year without PK: 404 with the reason
    assert get(key_for("operator.luwuk"), "/units/lapas-atambua/pk/2023").status_code == 404
    none = get(key, "/units/lapas-atambua/rencana-aksi/2026")
    assert none.status_code == 404 and "Belum ada Perjanjian Kinerja" in none.json()["message"]


# --- Documents as jobs -------------------------------------------------------------------------


def test_a_document_is_a_job_followed_to_its_file(
    demo, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    key = key_for("operator.atambua")
    with django_capture_on_commit_callbacks(execute=True):
        created = post(
            key, "/units/lapas-atambua/documents", {"kind": "pk", "year": 2023, "format": "pdf"}
        )
    assert created.status_code == 202, created.content
    job = get(key, f"/jobs/{created.json()['id']}").json()
    assert job["status"] == "done" and job["progress"] == 100, job
    assert job["file"] == f"/api/v1/jobs/{job['id']}/file"
    file = get(key, f"/jobs/{job['id']}/file")
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert b"".join(file.streaming_content).startswith(b"%PDF")
    # someone of another facility learns nothing of it
    other = key_for("operator.luwuk")
    assert get(other, f"/jobs/{job['id']}").status_code == 404
    assert get(other, f"/jobs/{job['id']}/file").status_code == 404


def test_a_document_request_is_checked_and_a_read_only_user_starts_none(demo):
    from kinerja.documents.models import DocumentJob

    jobs = DocumentJob.objects.count()
    key = key_for("operator.atambua")
    no_quarter = post(
        key, "/units/lapas-atambua/documents", {"kind": "capaian", "year": 2023, "format": "docx"}
    )
    assert no_quarter.status_code == 422 and "Pilih triwulan" in no_quarter.json()["message"]
    wrong = post(
        key, "/units/lapas-atambua/documents", {"kind": "lkjip", "year": 2023, "format": "odt"}
    )
    assert wrong.status_code == 422 and wrong.json()["field"] == "body.format"
    reader = post(
        key_for("pimpinan"),
        "/units/lapas-atambua/documents",
        {"kind": "pk", "year": 2023, "format": "pdf"},
    )
    assert reader.status_code == 404
    assert DocumentJob.objects.count() == jobs
    # a job not finished has no file yet
    queued = post(
        key, "/units/lapas-atambua/documents", {"kind": "pk", "year": 2023, "format": "docx"}
    )
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    pending = get(key, f"/jobs/{queued.json()['id']}/file")
    assert pending.status_code == 409 and "belum tersedia" in pending.json()["message"]
    assert get(key, "/jobs/99999999999").status_code == 404


def test_me_says_whose_token_it_is(demo):
    body = get(key_for("operator.atambua"), "/me").json()
    assert body["username"] == "operator.atambua"
    assert get("kin_salah", "/me").status_code == 401


FACILITY_ENDPOINTS = [
    ("get", "/units/lapas-atambua/results/2023", None),
    ("get", "/units/lapas-atambua/pk/2023", None),
    ("get", "/units/lapas-atambua/rencana-aksi/2023", None),
    ("get", "/units/lapas-atambua/budget/2023", None),
    ("get", "/units/lapas-atambua/review/2023", None),
    ("get", "/units/lapas-atambua/export?what=results&years=2023", None),
    ("get", "/units/lapas-atambua/uploads/results/2023/4/template", None),
    ("get", "/units/lapas-atambua/uploads/spending/2023/template", None),
    ("put", "/units/lapas-atambua/results/2023/4/IKK-2.3", {"values": {"A": 1, "B": 2}}),
    ("post", "/units/lapas-atambua/quarters/2023/4/transitions", {"action": "submit"}),
    ("post", "/units/lapas-atambua/documents", {"kind": "pk", "year": 2023, "format": "pdf"}),
]


@pytest.mark.parametrize("method, path, body", FACILITY_ENDPOINTS)
def test_another_facilitys_token_gets_404_from_every_endpoint_of_this_one(demo, method, path, body):
    from kinerja.documents.models import DocumentJob
    from kinerja.measurement.models import QuarterReport

    key = key_for("operator.luwuk")
    before = (
        sorted(tw4_values("IKK-2.3").items()),
        DocumentJob.objects.count(),
        list(QuarterReport.objects.values_list("status", flat=True)),
    )
    if method == "get":
        response = get(key, path)
    elif method == "put":
        response = put(key, path, body)
    else:
        response = post(key, path, body)
    assert response.status_code == 404, (path, response.content[:200])
    assert response.json()["code"] == "not_found"
    after = (
        sorted(tw4_values("IKK-2.3").items()),
        DocumentJob.objects.count(),
        list(QuarterReport.objects.values_list("status", flat=True)),
    )
    assert after == before
