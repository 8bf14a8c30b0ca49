"""The mypy baseline only goes down: scripts/mypy_check.py fails on a file with more errors than its
count or a new file with errors, and the strictly typed modules are never in the baseline."""

from __future__ import annotations

import importlib.util
import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def mypy_check(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("mypy_check", ROOT / "scripts" / "mypy_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "BASELINE", tmp_path / "mypy-baseline.json")
    module.BASELINE.write_text(json.dumps({"kinerja/a.py": 3, "kinerja/b.py": 1}))

    def run(errors: dict[str, int], *args: str) -> int:
        lines = "\n".join(
            f"{path}:{n}: error: wrong  [misc]"
            for path, count in errors.items()
            for n in range(count)
        )
        monkeypatch.setattr(module, "run_mypy", lambda: (Counter(errors), lines))
        return module.main(list(args))

    run.baseline = module.BASELINE
    return run


def test_the_check_passes_at_or_below_the_baseline_and_says_when_to_lower_it(mypy_check, capsys):
    assert mypy_check({"kinerja/a.py": 3, "kinerja/b.py": 1}) == 0
    assert mypy_check({"kinerja/a.py": 2}) == 0
    out = capsys.readouterr().out
    assert "kinerja/a.py: 2 (baseline 3)" in out and "--update" in out


def test_the_check_fails_on_a_file_above_its_count_or_a_new_file_with_errors(mypy_check, capsys):
    assert mypy_check({"kinerja/a.py": 4, "kinerja/b.py": 1}) == 1
    assert "kinerja/a.py: 4 mypy errors, baseline 3" in capsys.readouterr().out
    assert mypy_check({"kinerja/a.py": 3, "kinerja/b.py": 1, "kinerja/new.py": 1}) == 1
    assert "kinerja/new.py: 1 mypy errors, baseline 0" in capsys.readouterr().out


def test_update_rewrites_the_baseline_from_the_current_counts(mypy_check):
    assert mypy_check({"kinerja/a.py": 2}, "--update") == 0
    assert json.loads(mypy_check.baseline.read_text()) == {"kinerja/a.py": 2}


def test_strict_modules_have_no_allowance_in_the_baseline():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    strict = next(
        o["module"]
        for o in config["tool"]["mypy"]["overrides"]
        if o.get("disallow_untyped_defs") and o.get("disallow_any_generics")
    )
    baseline = json.loads((ROOT / "mypy-baseline.json").read_text())
    assert "kinerja.planning.services" in strict
    allowed = {m for m in strict if m.replace(".", "/") + ".py" in baseline}
    assert allowed == set()
