"""An interrupted nightly run loses nothing: it is stored as interrupted, exits 3, and resumes to a complete crawl."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

from conftest import ROOT


def count(db, sql):
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_interrupt_then_resume_finds_every_page(small_site, tmp_path):
    from portal_audit.simportal import serve_portal
    with serve_portal(small_site) as portal:
        cfg = portal.write_config(tmp_path / "site.toml")
        # slow the crawl down so there is time to interrupt it half-way
        text = cfg.read_text(encoding="utf-8").replace("concurrency_per_host = 16", "concurrency_per_host = 2")
        cfg.write_text(text.replace("delay_seconds = 0.0", "delay_seconds = 0.02"), encoding="utf-8")
        db = tmp_path / "audit.db"
        cmd = [sys.executable, "-m", "portal_audit", "--log-level", "WARNING", "run", str(cfg), "--db", str(db),
               "--as-of", portal.ground_truth["as_of"], "--report", str(tmp_path / "r.txt")]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while count(db, "select count(*) from pages") < 50 and time.monotonic() < deadline:
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)          # what Ctrl-C or a scheduler's stop sends
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 3, err[-2000:]
        assert "--resume 1" in err
        half = count(db, "select count(*) from pages where page_type != 'attachment'")
        expected = set(portal.ground_truth["pages"])
        assert 0 < half < len(expected)
        assert count(db, "select count(*) from runs where status = 'interrupted'") == 1

        cfg.write_text(text, encoding="utf-8")    # the rest at full speed
        done = subprocess.run(cmd[:-4] + ["--resume", "1", "--report", str(tmp_path / "r.txt")],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    con = sqlite3.connect(db)
    pages = {r[0] for r in con.execute("select url from pages where page_type != 'attachment'")}
    status = con.execute("select status from runs where id = 1").fetchone()[0]
    con.close()
    assert status == "complete"
    assert pages == expected
    assert not (tmp_path / ".portal-audit-jobs" / "run-1").exists()   # the queue is gone once complete
