"""The README's promise: `portal-audit demo` serves the bundled portal, audits it, writes the database and the summary."""
import sqlite3

from conftest import run_cli


def test_demo_writes_database_and_summary(tmp_path):
    db, report = tmp_path / "audit.db", tmp_path / "report.txt"
    proc = run_cli("--log-level", "WARNING", "demo", "--size", "small", "--db", db, "--report", report)
    assert "网站检查摘要" in proc.stdout and "错链接" in proc.stdout
    assert report.read_text(encoding="utf-8") in proc.stdout
    con = sqlite3.connect(db)
    (pages,) = con.execute("select count(*) from pages").fetchone()
    (status,) = con.execute("select status from runs").fetchone()
    con.close()
    assert pages > 300 and status == "complete"


def test_demo_rejects_a_bad_size(tmp_path):
    proc = run_cli("demo", "--size", "huge", "--db", tmp_path / "a.db", check=False)
    assert proc.returncode == 2 and "--size" in proc.stderr
