"""Site reachability (站点无法访问): probes over real loopback HTTP, the week's verdict, the report."""
from __future__ import annotations

import shutil
import socket
import time
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler

from checks import availability
from checks.context import CheckContext
from checks.rundata import RunData, merged_rules
from conftest import db_rows, run_cli
from linkserver import serving


class Home(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(2)
        status = 500 if self.path == "/500" else 200
        body = "<html><body>开福区人民政府</body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def site_config(tmp_path, home, name="测试区人民政府"):
    path = tmp_path / f"site-{abs(hash(home))}.toml"
    path.write_text(f'[site]\nname = "{name}"\nhome = "{home}"\n', encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_probe_records_each_visit_with_a_reason_and_exit_status(tmp_path):
    db = tmp_path / "audit.db"
    with serving(Home) as origin:
        up = run_cli("probe", site_config(tmp_path, origin + "/"), "--db", db, check=False)
        slow = run_cli("probe", site_config(tmp_path, origin + "/slow"), "--db", db, "--timeout", "0.5", check=False)
        error = run_cli("probe", site_config(tmp_path, origin + "/500"), "--db", db, check=False)
    down = run_cli("probe", site_config(tmp_path, f"http://127.0.0.1:{free_port()}/"), "--db", db, check=False)
    assert up.returncode == 0 and "首页可访问" in up.stdout
    assert [p.returncode for p in (slow, error, down)] == [1, 1, 1]
    rows = db_rows(db, "select * from availability order by checked_at")
    assert [r["ok"] for r in rows] == [1, 0, 0, 0]
    assert rows[0]["status"] == 200 and rows[0]["seconds"] < 5
    assert "0.5 秒" in rows[1]["error"]
    assert rows[2]["status"] == 500 and "HTTP 500" in rows[2]["error"]
    assert "连接被拒绝" in rows[3]["error"] and "首页无法访问" in down.stdout
    assert len({r["site"] for r in rows}) == 1


def test_probe_repeats_and_refuses_a_bad_config(tmp_path):
    db = tmp_path / "audit.db"
    with serving(Home) as origin:
        done = run_cli("probe", site_config(tmp_path, origin + "/"), "--db", db, "--times", "3", "--every", "0")
    assert done.stdout.count("首页可访问") == 3
    assert db_rows(db, "select count(*) n from availability")[0]["n"] == 3
    bad = tmp_path / "bad.toml"
    bad.write_text('[site]\nname = "x"\nhome = "not a url"\n', encoding="utf-8")
    proc = run_cli("probe", bad, "--db", db, check=False)
    assert proc.returncode == 2 and "site.home" in proc.stderr


def probes(n: int, failures: int, as_of: str = "2020-12-31") -> list[dict]:
    """n probes spread over the week before as_of, ``failures`` of them failed (a stand-in for a week of cron)."""
    start = datetime.fromisoformat(as_of).replace(tzinfo=timezone.utc) - timedelta(days=6)
    step = timedelta(days=7) / n
    return [{"checked_at": (start + i * step).isoformat(timespec="milliseconds"), "ok": int(i >= failures),
             "status": None if i < failures else 200, "error": "连接被拒绝（服务器未在运行或端口关闭）" if i < failures else None}
            for i in range(n)]


def verdict(samples):
    run = RunData(as_of="2020-12-31", home_url="http://www.kaifu.gov.cn/", availability=samples)
    return list(availability.check_run(run, CheckContext(rules=merged_rules(None))))


def test_a_week_of_probes_fails_the_site_at_five_percent():
    assert verdict(probes(105, 0)) == []
    [veto] = verdict(probes(105, 6))                      # 5.7% of a full week's 15 a day
    assert veto["check"] == "site_unreachable" and veto["severity"] == "veto"
    assert veto["detail"]["failures"] == 6 and veto["detail"]["enough_probes"] is True
    assert veto["detail"]["errors"] == {"连接被拒绝（服务器未在运行或端口关闭）": 6}
    [below] = verdict(probes(105, 5))                     # 4.8%: a warning, not a veto
    assert below["severity"] == "warn"
    [short] = verdict(probes(20, 10))                     # half failed, but far fewer probes than the rule asks
    assert short["severity"] == "warn" and short["detail"]["enough_probes"] is False
    assert short["detail"]["probes_required"] == 105


def test_the_window_is_the_week_ending_with_the_run_date():
    assert availability.window("2020-12-31", merged_rules(None)) == ("2020-12-25", "2021-01-01")
    assert availability.window("2020-12-31", merged_rules({"availability": {"window_days": 1}})) == \
        ("2020-12-31", "2021-01-01")


def test_stored_probes_reach_the_findings_and_the_verdict(audited_portal, tmp_path):
    """The audited portal's database, copied, gets a week of probes (stand-ins for cron's), then is checked again."""
    db = tmp_path / "audit.db"
    shutil.copy(audited_portal.db, db)
    site = db_rows(db, "select site_name from runs")[0]["site_name"]
    as_of = audited_portal.truth["as_of"]
    from portal_audit.store import Store
    store = Store(str(db))
    for p in probes(120, 12, as_of) + probes(30, 30, (date.fromisoformat(as_of) - timedelta(days=10)).isoformat()):
        store.add_availability(site, "http://x/", bool(p["ok"]), p["status"], 0.1, p["error"], checked_at=p["checked_at"])
    run_cli("check", "--db", db)
    found = [f for f in db_rows(db, "select * from findings where status = 'open'") if f["check"] == "site_unreachable"]
    assert len(found) == 1 and found[0]["severity"] == "veto"       # the older failures fall outside the week
    report = run_cli("report", "--db", db).stdout
    line = [x for x in report.splitlines() if "站点可访问" in x][0]
    assert "不合格" in line and "探测120次, 失败12次(10.0%)" in line
