"""The Makefile's two commands: `make run` serves the site without the test tools, `make test` brings them."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def planned(target: str, tmp_path) -> str:
    """What `make TARGET` would run on a clean clone (no venv yet), without running it."""
    result = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture(autouse=True)
def _make_is_there():
    assert shutil.which("make"), "the README's two commands need make"


def test_make_run_installs_the_registry_but_not_the_test_extras(tmp_path):
    plan = planned("run", tmp_path)
    assert "pip install --quiet --disable-pip-version-check -e ." in plan
    assert ".[test]" not in plan
    assert "runserver" in plan


def test_make_test_installs_the_test_extras_in_the_same_venv_before_pytest(tmp_path):
    plan = planned("test", tmp_path)
    venv = tmp_path / "venv"
    assert f"{venv}/bin/pip install --quiet --disable-pip-version-check -e '.[test]'" in plan
    assert plan.index(".[test]") < plan.index(f"{venv}/bin/pytest")
    assert plan.count(" -m venv ") == 1
