"""Every link class over real HTTP on loopback: the crawler decides each outcome once, correctly."""
from __future__ import annotations

import json
import sqlite3
import time

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
    "/head405.doc": ("ok", None),
    "/slow429.html": ("ok", None),
    "/always429.html": ("rate_limited", None),
    "/forbidden.html": ("blocked", None),
    "/admin/secret.html": ("skipped", None),
    "/missing.doc": ("broken", "http_4xx"),
    "/tarpit.html": ("broken", "timeout"),
    "/hop0.html": ("broken", "too_many_redirects"),
    "/huge.html": ("ok", None),
    "/endless.html": ("ok", None),
    "/private/report.html": ("skipped", None),
    "/%E6%94%BF%E5%8A%A1%20%E5%85%AC%E5%BC%80/%E9%80%9A%E7%9F%A5.html": ("ok", None),
    "/sub/back.html": ("ok", None),
}
SOFT_CASES = {
    "/exists.html": ("ok", None),
    "/gone/article_1.html": ("broken", "soft_404"),
    "/gone/article_2.html": ("broken", "soft_404"),
}


def head405(handler, hits):
    if handler.command == "HEAD":
        return handler._send(405, b"")
    return handler._send(200, b"%PDF-1.4 tiny", [("Content-Type", "application/pdf")])


def slow429(handler, hits):
    if hits == 1:
        return handler._send(429, b"slow down", [("Retry-After", "1")])
    return handler._send(200, b"<html><title>ok</title><body>fine</body></html>")


def tarpit(handler, hits):
    time.sleep(2.5)   # longer than the configured 1 s timeout
    return handler._send(200, b"late")


def endless(handler, hits):
    """A page that never ends: chunks until the client hangs up (bounded to 60 s)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = ("<p>" + "无穷无尽的页面内容。" * 200 + "</p>").encode("utf-8")
    deadline = time.monotonic() + 60
    try:
        head = b"<html><head><title>endless</title></head><body>"
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(head), head))
        while time.monotonic() < deadline:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    except OSError:
        pass
    handler.close_connection = True


def soft_not_found(handler, hits):
    # this host answers every unknown path with 200 and a page that names no standard phrase
    body = ("<html><head><title>温馨提示</title></head><body><p>温馨提示：您要找的内容暂时无法显示，"
            f"请返回首页。请求地址：{handler.path}</p></body></html>").encode("utf-8")
    return handler._send(200, body)


@pytest.fixture(scope="module")
def link_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("links")
    with LinkServer() as srv, LinkServer(host="127.0.0.4") as soft:
        o = srv.origin
        links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in CASES if "%" not in p and p != "/sub/back.html")
        links += '<li><a href="/政务 公开/通知.html">中文路径</a></li>'
        links += '<li><a href="sub\\back.html">反斜杠</a></li>'
        links += f'<li><a href="//{o.split("//")[1]}/ok.html">协议相对</a></li>'
        links += '<li><a href="http://127.0.0.3:9/refused.html">refused</a></li>'
        links += '<li><a href="http://nonexistent-portal-audit.invalid/x.html">dns</a></li>'
        links += '<li><a href="mailto:kf@example.gov.cn">mail</a><a href="javascript:void(0)">js</a><a href="#top">top</a></li>'
        links += '<li><a href="http://[bad">bad</a></li>'
        links += "".join(f'<li><a href="{soft.origin}{p}">soft {p}</a></li>' for p in SOFT_CASES)
        soft.routes.update({"/exists.html": page("市政府", "正常的外部页面，内容丰富。"), "*": soft_not_found})
        srv.routes.update({
            "/tarpit.html": tarpit,
            "/huge.html": (200, "<html><body>" + "大" * 3_000_000 + "</body></html>", ()),
            "/endless.html": endless,
            "/private/report.html": page("内部", "x"),
            "/政务 公开/通知.html": page("通知", "中文路径的页面"),
            "/sub/back.html": page("反斜杠", "x"),
            **{f"/hop{i}.html": (302, "", [("Location", f"/hop{i + 1}.html")]) for i in range(15)},
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
            "/head405.doc": head405,
            "/slow429.html": slow429,
            "/always429.html": (429, "no", [("Retry-After", "1")]),
            "/forbidden.html": (403, "forbidden", ()),
        })
        cfg = tmp / "site.toml"
        cfg.write_text(f'[site]\nname = "链接测试"\nhome = "{o}/index.html"\n[crawl]\ntimeout_seconds = 1\n'
                       'retry_times = 1\nmax_response_bytes = 1000000\nskip_patterns = ["/private/"]\n',
                       encoding="utf-8")
        db = tmp / "audit.db"
        run_cli("--log-level", "WARNING", "run", cfg, "--db", db, "--as-of", "2020-12-31", "--report", tmp / "r.txt")
        con = sqlite3.connect(db)
        con.row_factory = sqlite3.Row
        statuses = {r["url"]: dict(r) for r in con.execute("select * from link_statuses")}
        targets_by_text = {r["anchor_text"]: r["target_url"] for r in con.execute("select * from links")}
        con.close()
        export = run_cli("export", "--db", db, "--format", "jsonl")
        findings = [json.loads(l) for l in export.stdout.splitlines()]
        yield {"origin": o, "soft": soft.origin, "statuses": statuses, "log": list(srv.log), "findings": findings,
               "targets_by_text": targets_by_text}


@pytest.mark.parametrize("path", sorted(CASES))
def test_each_link_class_is_decided_once_and_right(link_site, path):
    outcome, reason = CASES[path]
    st = link_site["statuses"][link_site["origin"] + path]
    assert (st["outcome"], st["reason"]) == (outcome, reason), st


@pytest.mark.parametrize("path", sorted(SOFT_CASES))
def test_a_hosts_own_not_found_page_is_learned_as_soft_404(link_site, path):
    outcome, reason = SOFT_CASES[path]
    st = link_site["statuses"][link_site["soft"] + path]
    assert (st["outcome"], st["reason"]) == (outcome, reason), st


def test_refused_dns_and_malformed_targets(link_site):
    assert link_site["statuses"]["http://127.0.0.3:9/refused.html"]["reason"] == "refused"
    assert link_site["statuses"]["http://nonexistent-portal-audit.invalid/x.html"]["reason"] == "dns"
    assert link_site["statuses"]["http://[bad"]["reason"] == "bad_url"


def test_protocol_relative_links_take_the_pages_scheme(link_site):
    o = link_site["origin"]
    targets = set(link_site["targets_by_text"].values())
    assert o + "/ok.html" in targets and o + "/sub/back.html" in targets
    assert not [t for t in targets if t.startswith("//") or "\\" in t]


def test_retries_back_off_exponentially(link_site):
    times = [t for t, _, p in link_site["log"] if p == "/error500.html"]
    assert len(times) == 2      # retry_times = 1
    assert times[1] - times[0] >= 0.45


def test_huge_and_endless_pages_are_cut_at_the_limit(link_site):
    o = link_site["origin"]
    for path in ("/huge.html", "/endless.html"):
        st = link_site["statuses"][o + path]
        assert st["outcome"] == "ok" and "larger than" in (st["error"] or ""), st


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
    methods = [m for _, m, p in link_site["log"] if p == "/head405.doc"]
    assert methods == ["HEAD", "GET"]


def test_disallowed_by_robots_is_never_fetched(link_site):
    assert not [p for _, _, p in link_site["log"] if p.startswith("/admin/")]


def test_findings_only_for_broken_targets(link_site):
    o = link_site["origin"]
    broken = {f["target"] for f in link_site["findings"] if f["check"] == "broken_link"}
    expected = {o + p for p, (outcome, _) in CASES.items() if outcome == "broken"}
    expected |= {"http://127.0.0.3:9/refused.html", "http://[bad", "http://nonexistent-portal-audit.invalid/x.html"}
    expected |= {link_site["soft"] + p for p, (outcome, _) in SOFT_CASES.items() if outcome == "broken"}
    assert broken == expected
    for f in link_site["findings"]:
        if f["check"] == "broken_link":
            assert f["detail"]["on_home"] is True and f["url"] == o + "/index.html"
