"""Shared fixtures: the simulated portal, generated, served over real HTTP on
loopback, and audited once per test session by the real CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent


def db_rows(db, sql, *params):
    """Rows of a query on an audit database, as dicts (read with plain sqlite3, as a person would)."""
    import sqlite3
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def run_cli(*args, timeout=600, check=True):
    """Run ``portal-audit`` as a user would, in a child process."""
    return subprocess.run([sys.executable, "-m", "portal_audit.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, check=check, cwd=ROOT)


@pytest.fixture(scope="session")
def small_site(tmp_path_factory):
    from portal_audit.simportal import PRESETS, generate_portal
    return generate_portal(tmp_path_factory.mktemp("portal"), articles=PRESETS["small"], seed=2020)


@pytest.fixture(scope="session")
def audited_portal(small_site, tmp_path_factory):
    from portal_audit.simportal import serve_portal
    tmp = tmp_path_factory.mktemp("audit")
    with serve_portal(small_site) as portal:
        config = portal.write_config(tmp / "site.toml")
        db = tmp / "audit.db"
        proc = run_cli("--log-level", "WARNING", "run", config, "--db", db,
                       "--as-of", portal.ground_truth["as_of"], "--report", tmp / "report.txt")
        export = run_cli("export", "--db", db, "--format", "jsonl")
        findings = [json.loads(line) for line in export.stdout.splitlines() if line.strip()]
        yield SimpleNamespace(portal=portal, truth=portal.ground_truth, db=db, config=config,
                              findings=findings, stdout=proc.stdout, report=(tmp / "report.txt"))
