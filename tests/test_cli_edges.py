"""The edges a new user meets (issue 13, items 10, 11, 18): python -m, typed package, --glob
patterns, and check and eval saying plainly what they found."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pharmafacts.cli import main
from pharmafacts.load import matcher

from .conftest import FIXTURES, ROOT
from .test_cli_errors import GOOD_A, GOOD_B, documents, good, run  # noqa: F401


def test_python_dash_m_runs_the_command_line():
    done = subprocess.run([sys.executable, "-m", "pharmafacts", "--version"], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and done.stdout == "pharmafacts, version 0.1.0\n"


def test_the_package_ships_py_typed():
    import tomllib

    assert (ROOT / "src" / "pharmafacts" / "py.typed").exists()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["pharmafacts"]
    assert "py.typed" in package_data


def test_shell_completion_is_documented_and_works():
    readme = (ROOT / "README.md").read_text()
    assert "_PHARMAFACTS_COMPLETE=bash_source pharmafacts" in readme
    result = CliRunner().invoke(main, [], prog_name="pharmafacts", env={"_PHARMAFACTS_COMPLETE": "bash_source"})
    assert "_pharmafacts_completion" in result.output


# --- --glob ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern, rel, matches", [
    ("*.txt", "a/b/plant.txt", True),
    ("*.TXT", "plant.txt", True),  # case is ignored
    ("*.txt", "PLANT.TXT", True),
    ("2024/*.txt", "2024/plant.txt", True),  # with /: the path below the directory
    ("2024/*.txt", "2024/may/plant.txt", True),  # * matches / too
    ("2024/*.txt", "2023/plant.txt", False),
    ("plant*", "sub/plant-1.txt", True),
    ("*.md", "plant.txt", False),
])
def test_how_patterns_match(pattern, rel, matches):
    assert matcher(pattern)(rel) == matches


def test_an_empty_pattern_is_a_usage_error(good):
    result = run(str(good[0].parent), "--glob", "")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value for '--glob': the pattern is empty" in result.stderr


def test_a_pattern_matching_nothing_says_so_and_fails(good):
    result = run(str(good[0].parent), "--glob", "*.pdf", "--format", "json")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"pharmafacts: error: no files matched *.pdf under {good[0].parent}",
                                          "pharmafacts: 0 document(s) processed, 1 failed"]


def test_a_pattern_with_a_slash_or_another_case_matches(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "PLANT.TXT").write_text(GOOD_A)
    (tmp_path / "other.txt").write_text(GOOD_B)
    for pattern in ("2024/*.txt", "*.TXT", "*.txt"):
        result = run(str(tmp_path), "--glob", pattern, "--format", "json")
        assert result.exit_code == 0, (pattern, result.stderr)
    assert [d["source"] for d in documents(run(str(tmp_path), "--glob", "2024/*.txt", "--format", "json"))] == [
        str(tmp_path / "2024" / "PLANT.TXT")]


# --- check and eval say it plainly ------------------------------------------------------------


def test_check_with_only_a_failure_says_so_plainly(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text(GOOD_A)
    assert CliRunner().invoke(main, ["check", str(tmp_path), "--update"]).exit_code == 0
    text.unlink()
    text.symlink_to(tmp_path / "nowhere.txt")  # listed, but cannot be read
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "pharmafacts: 0 document(s) checked, 1 failed"


def test_eval_warns_when_two_gold_files_name_one_text(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    first = sorted((FIXTURES / "gold").glob("*.json"))[0]
    shutil.copy(first, gold / "a.json")
    shutil.copy(first, gold / "b.json")
    result = CliRunner().invoke(main, ["eval", str(gold), str(FIXTURES)])
    doc = __import__("json").loads(first.read_text())["doc"]
    assert f"pharmafacts: warning: {doc} is named by 2 gold files: it is counted 2 times" in result.stderr.splitlines()
