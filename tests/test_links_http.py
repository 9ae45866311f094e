"""Every link class over real HTTP on loopback: the crawler decides each outcome once, correctly."""
from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import run_cli
from linkserver import LinkServer, page

CASES = {
    # path: (expected outcome, expected reason)
    "/ok.html": ("ok", None),
    "/gone404.html": ("broken", "http_4xx"),
    "/gone410.html": ("broken", "http_4xx"),
    "/error500.html": ("broken", "http_5xx"),
    "/loop-a.html": ("broken", "redirect_loop"),
    "/chain.html": ("broken", "http_4xx"),
    "/soft404.html": ("broken", "soft_404"),
    "/moved.html": ("ok", None),
    "/head405.pdf": ("ok", None),
    "/slow429.html": ("ok", None),
    "/always429.html": ("rate_limited", None),
    "/forbidden.html": ("blocked", None),
    "/admin/secret.html": ("skipped", None),
    "/missing.doc": ("broken", "http_4xx"),
}


def head405(handler, hits):
    if handler.command == "HEAD":
        return handler._send(405, b"")
    return handler._send(200, b"%PDF-1.4 tiny", [("Content-Type", "application/pdf")])


def slow429(handler, hits):
    if hits == 1:
        return handler._send(429, b"slow down", [("Retry-After", "1")])
    return handler._send(200, b"<html><title>ok</title><body>fine</body></html>")


@pytest.fixture(scope="module")
def link_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("links")
    with LinkServer() as srv:
        o = srv.origin
        links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in CASES)
        links += '<li><a href="http://127.0.0.3:9/refused.html">refused</a></li>'
        links += '<li><a href="mailto:kf@example.gov.cn">mail</a><a href="javascript:void(0)">js</a><a href="#top">top</a></li>'
        links += '<li><a href="http://[bad">bad</a></li>'
        srv.routes.update({
            "/robots.txt": (200, "User-agent: *\nDisallow: /admin/\n", [("Content-Type", "text/plain")]),
            "/index.html": page("首页", f"<ul>{links}</ul>"),
            "/ok.html": page("正常页面", "内容"),
            "/gone410.html": (410, "gone", ()),
            "/error500.html": (500, "error", ()),
            "/loop-a.html": (302, "", [("Location", "/loop-b.html")]),
            "/loop-b.html": (302, "", [("Location", f"{o}/loop-a.html")]),
            "/chain.html": (301, "", [("Location", "/chain2.html")]),
            "/chain2.html": (301, "", [("Location", "/nowhere.html")]),
            "/soft404.html": page("提示信息", "对不起，您访问的页面不存在或已被删除！"),
            "/moved.html": (301, "", [("Location", "/ok.html")]),
            "/head405.pdf": head405,
            "/slow429.html": slow429,
            "/always429.html": (429, "no", [("Retry-After", "1")]),
            "/forbidden.html": (403, "forbidden", ()),
        })
        cfg = tmp / "site.toml"
        cfg.write_text(f'[site]\nname = "链接测试"\nhome = "{o}/index.html"\n[crawl]\ntimeout_seconds = 5\nretry_times = 1\n',
                       encoding="utf-8")
        db = tmp / "audit.db"
        run_cli("--log-level", "WARNING", "run", cfg, "--db", db, "--as-of", "2020-12-31", "--report", tmp / "r.txt")
        con = sqlite3.connect(db)
        con.row_factory = sqlite3.Row
        statuses = {r["url"]: dict(r) for r in con.execute("select * from link_statuses")}
        con.close()
        export = run_cli("export", "--db", db, "--format", "jsonl")
        findings = [json.loads(l) for l in export.stdout.splitlines()]
        yield {"origin": o, "statuses": statuses, "log": list(srv.log), "findings": findings}


@pytest.mark.parametrize("path", sorted(CASES))
def test_each_link_class_is_decided_once_and_right(link_site, path):
    outcome, reason = CASES[path]
    st = link_site["statuses"][link_site["origin"] + path]
    assert (st["outcome"], st["reason"]) == (outcome, reason), st


def test_refused_and_malformed_targets(link_site):
    assert link_site["statuses"]["http://127.0.0.3:9/refused.html"]["reason"] == "refused"
    assert link_site["statuses"]["http://[bad"]["reason"] == "bad_url"


def test_redirect_chains_are_recorded_hop_by_hop(link_site):
    o = link_site["origin"]
    chain = json.loads(link_site["statuses"][o + "/chain.html"]["redirect_chain"])
    assert chain == [[301, o + "/chain.html"], [301, o + "/chain2.html"]]
    loop = json.loads(link_site["statuses"][o + "/loop-a.html"]["redirect_chain"])
    assert [u for _, u in loop] == [o + "/loop-a.html", o + "/loop-b.html"]


def test_retry_after_is_honoured_before_retrying(link_site):
    times = [t for t, method, p in link_site["log"] if p == "/slow429.html"]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.9, "retried before Retry-After elapsed"


def test_head_refused_falls_back_to_get(link_site):
    methods = [m for _, m, p in link_site["log"] if p == "/head405.pdf"]
    assert methods == ["HEAD", "GET"]


def test_disallowed_by_robots_is_never_fetched(link_site):
    assert not [p for _, _, p in link_site["log"] if p.startswith("/admin/")]


def test_findings_only_for_broken_targets(link_site):
    o = link_site["origin"]
    broken = {f["target"] for f in link_site["findings"] if f["check"] == "broken_link"}
    expected = {o + p for p, (outcome, _) in CASES.items() if outcome == "broken"}
    expected |= {"http://127.0.0.3:9/refused.html", "http://[bad"}
    assert broken == expected
    for f in link_site["findings"]:
        if f["check"] == "broken_link":
            assert f["detail"]["on_home"] is True and f["url"] == o + "/index.html"
