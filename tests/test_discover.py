"""`portal-audit discover`: a draft site config from a portal's navigation, fetched over real HTTP."""
from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from conftest import run_cli
from linkserver import serving
from crawler.discover import DEFAULT_UA, Fetcher, discover, render_toml
from portal_audit.config import load_config


def test_discover_drafts_every_column_of_the_simulated_portal(audited_portal, tmp_path):
    portal, truth = audited_portal.portal, audited_portal.truth
    out = tmp_path / "draft.toml"
    proc = run_cli("discover", portal.home_url, "-o", out, "--delay", "0")
    assert "栏目 22 个" in proc.stderr
    config = load_config(out)                                  # the lead's loader takes the draft as it is
    assert config.site["name"] == truth["site"]["name"]
    assert config.site["site_id_code"] == truth["site"]["site_id_code"]
    assert config.crawl["obey_robots"] is True
    got = {c["name"]: c for c in config.columns}
    assert set(got) == {c["name"] for c in truth["columns"]}
    right = []
    for c in truth["columns"]:
        assert got[c["name"]]["url"] == c["url"], c["name"]
        if (got[c["name"]]["category"], got[c["name"]]["official_documents"]) == (c["category"], c["official_documents"]):
            right.append(c["name"])
    print(f"categories right for {len(right)} of {len(truth['columns'])}")
    assert len(right) >= 20, sorted(set(got) - set(right))


class _Site(BaseHTTPRequestHandler):
    """A tiny portal: robots.txt keeps crawlers out of /private/; every request is recorded."""
    pages = {
        "/robots.txt": "User-agent: *\nDisallow: /private/\n",
        "/index.html": ('<html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body>'
                        '<div class="nav"><a href="/index.html">首页</a></div>'
                        '<div class="block"><h2><a href="/tzgg/index.html">通知公告</a></h2><ul>'
                        '<li><a href="/tzgg/content_1.html">关于停水的通知</a><span>2020-12-01</span></li></ul></div>'
                        '<div class="block"><h2><a href="/private/index.html">内部通知</a></h2></div>'
                        '<div class="footer">网站标识码：1234000001</div></body></html>'),
        "/tzgg/index.html": ('<html><head><meta charset="gbk"><title>通知公告</title></head><body><ul class="list">'
                             '<li><a href="content_1.html">关于停水的通知</a><span>2020-12-01</span></li>'
                             '</ul></body></html>'),
        "/private/index.html": '<html><body><ul><li><a href="x.html">内部</a></li></ul></body></html>',
    }
    seen: list = []

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("User-Agent")))
        body = self.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        charset = "gbk" if 'charset="gbk"' in body else "utf-8"
        data = body.encode(charset)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path.endswith(".txt") else "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def tiny_site():
    _Site.seen = []
    with serving(_Site) as origin:
        yield origin


def test_discover_is_polite_and_reads_gbk_columns(tiny_site):
    draft = discover(tiny_site + "/index.html", Fetcher(delay=0.05, timeout=5))
    assert [(c["name"], c["category"]) for c in draft.columns] == [("通知公告", "notice")]
    assert draft.site["site_id_code"] == "1234000001"
    paths = [p for p, _ in _Site.seen]
    assert paths[0] == "/robots.txt" and "/private/index.html" not in paths
    assert {ua for _, ua in _Site.seen} == {DEFAULT_UA}
    assert ("http://" + tiny_site.split("//")[1] + "/private/index.html", "robots.txt") in draft.log
    assert 'category = "notice"' in render_toml(draft)


def test_discover_reports_an_unreadable_home_page(tiny_site):
    proc = run_cli("discover", tiny_site + "/missing.html", check=False)
    assert proc.returncode == 2 and "HTTP 404" in proc.stderr
