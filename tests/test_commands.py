import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from kinerja.organizations.models import Unit
from kinerja.planning.models import PerjanjianKinerja


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_loads_the_reference_facilities_and_is_idempotent():
    first = run("demo")
    counts = (Unit.objects.count(), PerjanjianKinerja.objects.count())
    second = run("demo")
    # The five reference units and two PKs, plus the synthetic regions ("Kanwil Contoh ...": two
    # Kanwil of six facilities, a PK for 2023 and 2024 each).
    assert (Unit.objects.count(), PerjanjianKinerja.objects.count()) == counts == (5 + 14, 2 + 24)
    contoh = Unit.objects.filter(slug__startswith="kanwil-contoh-")
    assert [u.name for u in contoh.order_by("slug")] == [
        "Kanwil Contoh Maluku",
        "Kanwil Contoh Maluku Utara",
    ]
    types = set(Unit.objects.filter(parent__in=contoh).values_list("facility_type", flat=True))
    assert types == {"lapas", "rutan", "lpka", "bapas"}
    assert "operator.atambua" in first and "kinerja-demo-2024" in second
    pk = PerjanjianKinerja.objects.get(unit__slug="lapas-atambua", year=2023)
    assert pk.status == "signed" and pk.first_party.nip == "197208101996031001"
    assert pk.indicators.filter(indicator__level="ikk").count() == 28
    assert str(pk.indicators.get(indicator__code="IKK-4.6").target.normalize()) == "6"
    assert (
        pk.unit.renstras.get().targets.filter(year=2023, indicator__code="IKK-2.3").get().value
        == 79
    )
    staff = pk.unit.staff_reports.get(year=2023)
    assert (staff.stated_total, staff.men, staff.women) == (55, 49, 9)
    assert sum(r.count for r in staff.ranks.all()) == 58
    assert {u.slug for u in Unit.objects.exclude(slug__contains="-contoh-")} == {
        "ditjenpas",
        "kanwil-ntt",
        "kanwil-sulteng",
        "lapas-atambua",
        "lapas-luwuk",
    }


@pytest.mark.django_db
def test_unit_add_and_list_as_json(world):
    out = run(
        "unit",
        "add",
        "--name",
        "Rutan Kelas IIB Poso",
        "--slug",
        "rutan-poso",
        "--parent",
        "kanwil-sulteng",
        "--type",
        "rutan",
        "--class",
        "IIB",
    )
    assert "rutan-poso" in out
    units = json.loads(run("unit", "list", "--json"))
    poso = next(u for u in units if u["slug"] == "rutan-poso")
    assert poso == {
        **poso,
        "type": "rutan",
        "class": "IIB",
        "parent": "kanwil-sulteng",
        "kind": "upt",
    }


@pytest.mark.django_db
def test_unit_add_explains_what_is_wrong(world):
    with pytest.raises(CommandError, match="'kanwil-papua' tidak ditemukan"):
        run(
            "unit",
            "add",
            "--name",
            "X",
            "--slug",
            "x",
            "--parent",
            "kanwil-papua",
            "--type",
            "lapas",
        )
    with pytest.raises(CommandError, match="Induk unit jenis ini harus Kantor Wilayah"):
        run("unit", "add", "--name", "X", "--slug", "x", "--parent", "ditjenpas", "--type", "lapas")
    with pytest.raises(CommandError, match="sudah dipakai"):
        run(
            "unit",
            "add",
            "--name",
            "X",
            "--slug",
            "lapas-luwuk",
            "--parent",
            "kanwil-sulteng",
            "--type",
            "lapas",
        )
    assert not Unit.objects.filter(slug="x").exists()


@pytest.mark.django_db
def test_indicator_list_as_json(catalogue):
    data = json.loads(run("indicator", "list", "--json"))
    ikk = [i for i in data if i["level"] == "ikk"]
    assert len(ikk) == 28
    hiv = next(i for i in data if i["code"] == "IKK-1.7")
    assert hiv["formula"] == "(A / B * 100 + C / D * 100) / 2" and set(hiv["variables"]) == {
        "A",
        "B",
        "C",
        "D",
    }


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit_:
        pytest.fail(f"Missing migrations:\n{out.getvalue()} ({exit_})")


def test_no_migration_runs_app_code():
    """A migration carries its own data: what it writes must not change with today's code or data
    files (a validator referenced by its path, as Django writes it, is not app code run)."""
    from pathlib import Path

    import kinerja

    offenders = [
        f"{path.parent.parent.name}/{path.name}"
        for path in sorted(Path(kinerja.__file__).parent.glob("*/migrations/0*.py"))
        if "from kinerja" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_seeded_budget_rules_are_the_rules_of_the_data_file():
    """Today the migration's own copy and budget/data/rules.json agree; a new rule set goes into
    both (a new migration for existing databases)."""
    from kinerja.budget.models import IkpaRule
    from kinerja.budget.rules import rules_sync

    def rows():
        return sorted(
            IkpaRule.objects.values_list(
                "kind", "component", "spending_type", "quarter", "valid_from", "value", "regulation"
            )
        )

    seeded = rows()
    assert len(seeded) == 28
    rules_sync(IkpaRule)
    assert rows() == seeded


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "KINERJA_SECRET_KEY": "k3" + "x9Qz" * 15,
        "KINERJA_ALLOWED_HOSTS": "kinerja.example.go.id",
        "KINERJA_HTTPS": "1",
        "KINERJA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
    }
    for name in ("KINERJA_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "KINERJA_DEBUG": "0",
        "KINERJA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
    }
    env.pop("KINERJA_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "KINERJA_SECRET_KEY wajib diisi" in result.stderr
