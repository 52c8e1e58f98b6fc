"""Known vulnerabilities in a lock file, by pip-audit, for CI and `make audit`.

pip-audit answers "no known vulnerability" both when the advisory service found none and when it
could not ask it: PyPI's per-release JSON answering 404 (as behind a mirror that serves only the
project pages) makes every package "skipped", with exit status 0, and an unreachable OSV is a
Python traceback with exit status 1, like a real finding. This wrapper tells the cases apart:

- exit 1: at least one package of the lock has a known vulnerability (each is listed, with the
  versions that fix it);
- exit 0 with a WARNING: the advisory service could not be reached, or answered for only some
  packages (those not audited are named);
- exit 0: every package was audited and none has a known vulnerability;
- exit 2: the audit failed for another reason (an unreadable lock, a broken pip-audit), which CI
  must not take for a pass.

Usage: python .ci/audit.py [--pip-audit PATH] [--service pypi|osv] LOCK
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

VULNERABLE = 1
FAILED = 2
TIMEOUT_SECONDS = 600

# What requests and urllib3 print when the service is out of reach: DNS, refused or reset
# connections, time-outs, TLS failures, and server errors of the service itself.
UNREACHABLE_SIGNS = (
    "ConnectionError",
    "NameResolutionError",
    "Name or service not known",
    "Temporary failure in name resolution",
    "Max retries exceeded",
    "Connection refused",
    "Connection reset",
    "ConnectTimeout",
    "ReadTimeout",
    "timed out",
    "SSLError",
    "ServiceError",
    "503 Server Error",
    "502 Server Error",
    "504 Server Error",
)


@dataclass(frozen=True)
class Verdict:
    exit_code: int
    message: str


def _tail(text: str, lines: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _unreachable(stderr: str) -> bool:
    return any(sign in stderr for sign in UNREACHABLE_SIGNS)


def _vulnerability_line(dependency: dict[str, Any]) -> str:
    parts = []
    for vuln in dependency["vulns"]:
        aliases = ", ".join(vuln.get("aliases") or [])
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
        named = f"{vuln.get('id', '?')} ({aliases})" if aliases else str(vuln.get("id", "?"))
        parts.append(f"{named}, fixed in {fixes}")
    return f"  {dependency.get('name')} {dependency.get('version')}: " + "; ".join(parts)


def decide(returncode: int, stdout: str, stderr: str) -> Verdict:
    """The verdict on one pip-audit run (JSON format) from its exit status and output."""
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict) or not isinstance(report.get("dependencies"), list):
        if _unreachable(stderr):
            return Verdict(
                0,
                "WARNING: the advisory service could not be reached; the lock was NOT audited.\n"
                + _tail(stderr, 1),
            )
        return Verdict(
            FAILED, f"ERROR: pip-audit failed (exit status {returncode}):\n{_tail(stderr)}"
        )

    dependencies: list[dict[str, Any]] = report["dependencies"]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = len(dependencies) - len(skipped)
    if vulnerable:
        return Verdict(
            VULNERABLE,
            f"FAILED: {len(vulnerable)} package(s) with a known vulnerability:\n"
            + "\n".join(_vulnerability_line(d) for d in vulnerable),
        )
    if returncode != 0:
        return Verdict(
            FAILED, f"ERROR: pip-audit failed (exit status {returncode}):\n{_tail(stderr)}"
        )
    if skipped and not audited:
        return Verdict(
            0,
            f"WARNING: the advisory service answered for none of the {len(skipped)} packages; "
            "the lock was NOT audited.\n  " + str(skipped[0]["skip_reason"]),
        )
    if skipped:
        names = ", ".join(str(d.get("name")) for d in skipped)
        return Verdict(
            0,
            f"WARNING: no known vulnerability in {audited} packages, but {len(skipped)} could not "
            f"be audited: {names}",
        )
    return Verdict(0, f"OK: no known vulnerability in the {audited} packages of the lock.")


def run(pip_audit: str, lock: str, service: str) -> Verdict:
    command = [
        pip_audit,
        "--requirement",
        lock,
        "--disable-pip",  # the lock is complete and hashed: nothing to resolve or install
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--vulnerability-service",
        service,
    ]
    try:
        done = subprocess.run(  # noqa: S603 (a fixed command; the lock path is ours)
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError:
        return Verdict(FAILED, f"ERROR: pip-audit not found at {pip_audit}")
    except subprocess.TimeoutExpired:
        return Verdict(
            0,
            f"WARNING: the advisory service did not answer within {TIMEOUT_SECONDS} s; "
            "the lock was NOT audited.",
        )
    return decide(done.returncode, done.stdout, done.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip-audit", default="pip-audit", help="the pip-audit executable")
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"])
    parser.add_argument("lock", help="a fully pinned, hashed requirements file")
    args = parser.parse_args(argv)
    verdict = run(args.pip_audit, args.lock, args.service)
    print(f"pip-audit of {args.lock} ({args.service}): {verdict.message}")
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
