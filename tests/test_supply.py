"""The supply chain: the two locks compiled from pyproject.toml, and the audit wrapper's verdicts
(.ci/audit.py) on pip-audit's outputs: a known vulnerability fails, an unreachable advisory service
only warns, anything else that breaks the audit fails."""

from __future__ import annotations

import importlib.util
import json
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)


def _load_audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


audit = _load_audit()


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return {m[1].lower(): m[2] for m in PIN.finditer(text)}


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[=<>~! ]", r, maxsplit=1)[0].lower() for r in requirements}


def _project() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


# The locks


def test_the_runtime_lock_holds_every_runtime_dependency_and_no_dev_tool() -> None:
    project = _project()
    runtime = _pins("requirements.lock")
    assert _requirement_names(project["dependencies"]) <= runtime.keys()
    dev_tools = _requirement_names(project["optional-dependencies"]["dev"])
    assert not dev_tools & runtime.keys()
    assert "django-auditlog" not in runtime


def test_the_dev_lock_pins_the_runtime_packages_as_production_does() -> None:
    runtime = _pins("requirements.lock")
    dev = _pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
    assert _requirement_names(_project()["optional-dependencies"]["dev"]) <= dev.keys()


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_pin_of_a_lock_carries_a_hash(lock: str) -> None:
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text(encoding="utf-8"))
    pinned = [entry for entry in entries if PIN.match(entry)]
    assert pinned
    assert [e.split()[0] for e in pinned if "--hash=sha256:" not in e] == []


# The audit's verdicts


def _report(*dependencies: dict[str, Any]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


DJANGO_VULN = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [
        {
            "id": "PYSEC-2025-1",
            "fix_versions": ["5.2.2"],
            "aliases": ["CVE-2025-0001"],
            "description": "…",
        }
    ],
}
CLEAN = {"name": "rules", "version": "3.5", "vulns": []}
SKIPPED = {
    "name": "amqp",
    "skip_reason": "Dependency not found on PyPI and could not be audited: amqp (5.4.2)",
}


def test_a_known_vulnerability_fails_naming_the_package_the_advisory_and_the_fix() -> None:
    verdict = audit.decide(1, _report(DJANGO_VULN, CLEAN), "")
    assert verdict.exit_code == 1
    assert "django 5.2.1: PYSEC-2025-1 (CVE-2025-0001), fixed in 5.2.2" in verdict.message


def test_a_vulnerability_fails_even_when_other_packages_went_unaudited() -> None:
    assert audit.decide(1, _report(SKIPPED, DJANGO_VULN), "").exit_code == 1


def test_a_clean_audit_passes_and_says_how_many_packages_it_read() -> None:
    verdict = audit.decide(0, _report(CLEAN, {**CLEAN, "name": "nh3"}), "")
    assert verdict == audit.Verdict(0, "OK: no known vulnerability in the 2 packages of the lock.")


def test_every_package_skipped_is_an_unreachable_service_a_warning_not_a_pass() -> None:
    # What PyPI's per-release JSON answering 404 looks like: pip-audit itself exits 0.
    verdict = audit.decide(0, _report(SKIPPED, {**SKIPPED, "name": "celery"}), "")
    assert verdict.exit_code == 0
    assert verdict.message.startswith("WARNING: the advisory service answered for none of the 2")
    assert "NOT audited" in verdict.message


def test_some_packages_skipped_warns_and_names_them() -> None:
    verdict = audit.decide(0, _report(CLEAN, SKIPPED), "")
    assert verdict.exit_code == 0
    assert verdict.message.startswith("WARNING:") and "amqp" in verdict.message


@pytest.mark.parametrize(
    "stderr",
    [
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): "
        "Max retries exceeded (Caused by NameResolutionError(...))",
        "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='pypi.org'): Read timed out.",
        "pip_audit._service.interface.ServiceError: 503 Server Error: Service Unavailable",
    ],
)
def test_an_unreachable_service_only_warns(stderr: str) -> None:
    verdict = audit.decide(1, "", "Traceback (most recent call last):\n  ...\n" + stderr)
    assert verdict.exit_code == 0
    assert verdict.message.startswith("WARNING: the advisory service could not be reached")


@pytest.mark.parametrize(
    ("returncode", "stdout", "stderr"),
    [
        (1, "", "pip-audit: error: requirements.lock: No such file or directory"),
        (1, "not json", "ValueError: bad requirement line 3"),
        (1, _report(CLEAN), "pip-audit: error: dependency collection failed (--strict)"),
    ],
)
def test_any_other_failure_of_the_audit_fails(returncode: int, stdout: str, stderr: str) -> None:
    verdict = audit.decide(returncode, stdout, stderr)
    assert verdict.exit_code == 2
    assert verdict.message.startswith("ERROR: pip-audit failed")


def _fake_pip_audit(tmp_path: Path, stdout: str, returncode: int) -> Path:
    script = tmp_path / "pip-audit"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsys.stdout.write({stdout!r})\nsys.exit({returncode})\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.mark.parametrize(
    ("stdout", "returncode", "expected"),
    [(_report(DJANGO_VULN), 1, 1), (_report(SKIPPED), 0, 0), (_report(CLEAN), 0, 0)],
)
def test_the_wrapper_exits_with_its_verdict(
    tmp_path: Path, stdout: str, returncode: int, expected: int
) -> None:
    fake = _fake_pip_audit(tmp_path, stdout, returncode)
    done = subprocess.run(
        [sys.executable, ROOT / ".ci" / "audit.py", "--pip-audit", str(fake), "requirements.lock"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == expected, done.stdout + done.stderr
    assert done.stdout.startswith("pip-audit of requirements.lock (pypi): ")


def test_a_missing_pip_audit_fails(tmp_path: Path) -> None:
    verdict = audit.run(str(tmp_path / "absent"), "requirements.lock", "pypi")
    assert verdict.exit_code == 2
