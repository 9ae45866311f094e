"""The store's named views answer the common questions, and `portal-audit browse`
serves the database in a real Datasette on loopback with Chinese metadata."""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT, db_rows, run_cli




def test_views_answer_the_common_questions(audited_portal):
    db = audited_portal.db
    home = db_rows(db, "select * from home_broken_links")
    expected = {f["target"] for f in audited_portal.findings if f["check"] == "broken_link" and f["detail"]["on_home"]}
    assert {r["target"] for r in home} == expected and expected
    assert all(r["reason"] and r["home_page"] == audited_portal.portal.home_url for r in home)
    stale = {r["column_name"]: r["state"] for r in db_rows(db, "select * from stale_columns")}
    truth = {c["name"]: c["state"] for c in audited_portal.truth["columns"] if c["state"] != "ok"}
    assert {k: v for k, v in stale.items() if v in ("stale", "empty")} == truth
    by_column = db_rows(db, "select * from open_findings_by_column")
    assert sum(r["findings"] for r in by_column) == sum(f["status"] == "open" for f in audited_portal.findings)
    assert db_rows(db, "select count(*) n from fixed_since_last_run")[0]["n"] == 0      # one run: nothing fixed yet
    assert db_rows(db, "select count(*) n from new_since_last_run")[0]["n"] == len(audited_portal.findings)


def test_metadata_describes_every_table_and_the_columns_people_read(audited_portal, tmp_path):
    from portal_audit.store import Store
    meta_file = tmp_path / "metadata.json"
    out = run_cli("browse", "--db", audited_portal.db, "--write-metadata", meta_file).stdout
    assert str(meta_file) in out
    meta = json.loads(meta_file.read_text(encoding="utf-8"))["databases"]["audit"]["tables"]
    con = sqlite3.connect(audited_portal.db)
    names = [r[0] for r in con.execute("select name from sqlite_master where type in ('table', 'view')"
                                       " and name not like 'sqlite_%'")]
    for name in names:
        assert name in meta and meta[name]["title"] and meta[name]["description"], f"no Chinese title for {name}"
    # every view, and the tables a compliance officer reads, have every column described
    for name in [*Store.VIEWS, "findings", "columns", "runs", "run_findings"]:
        columns = [r[1] for r in con.execute(f"pragma table_info([{name}])")]
        missing = set(columns) - set(meta[name]["columns"])
        assert columns and not missing, f"{name}: columns without a description: {missing}"
    con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_browse_serves_the_store_on_loopback(audited_portal, tmp_path):
    from reports.datasette import datasette_available
    assert datasette_available(), "datasette is in the test extra: pip install -e '.[test]'"
    db = tmp_path / "audit.db"
    src, dst = sqlite3.connect(audited_portal.db), sqlite3.connect(db)
    src.backup(dst)
    src.close(), dst.close()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "portal_audit.cli", "browse", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/metadata.json", timeout=5) as r:
                    meta = json.load(r)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.3)
        assert meta["title"] == "政府网站巡检数据库"
        with urllib.request.urlopen(f"{base}/audit/home_broken_links.json?_shape=array", timeout=10) as r:
            rows = json.load(r)
        expected = {f["target"] for f in audited_portal.findings if f["check"] == "broken_link" and f["detail"]["on_home"]}
        assert {r["target"] for r in rows} == expected
        with urllib.request.urlopen(f"{base}/audit/stale_columns", timeout=10) as r:
            page = r.read().decode("utf-8")
        assert "未及时更新的栏目" in page
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_browse_without_datasette_says_how_to_install_it(audited_portal, monkeypatch, capsys):
    """Stand-in: datasette is installed here, so its absence is simulated by hiding the module."""
    import reports.datasette
    from portal_audit import cli
    monkeypatch.setattr(reports.datasette, "find_spec", lambda name: None)
    with pytest.raises(SystemExit) as exc:
        cli.main(["browse", "--db", str(audited_portal.db)])
    assert exc.value.code == 2
    assert "pip install datasette" in capsys.readouterr().err
