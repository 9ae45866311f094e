"""Run history: the simulated portal audited twice over real HTTP, with defects fixed,
added and a page made unreachable in between; new, open and fixed must match
exactly what changed. Also the history rules on a bare store (port changes,
re-checks) without crawling."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from conftest import run_cli

AS_OF = "2020-12-31"
NEW_TYPO_SENTENCE = "区政府认真布署年度重点工作。"      # 布署 -> 部署 (checks/data/typos.tsv)
NEW_BROKEN_PATH = "/zwgk/new/missing_1.html"


def export(db, run):
    proc = run_cli("export", "--db", db, "--format", "jsonl", "--run", run)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def rel(url):
    if not url or not url.startswith("http://127.0.0.1"):
        return url
    p = urlsplit(url)
    return p.path


def key(f):
    return (f["check"], rel(f["url"]), rel(f["target"]), f["evidence"])


def portal_file(site: Path, url: str) -> Path:
    return site / "portal" / urlsplit(url).path.lstrip("/")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    from portal_audit.simportal import generate_portal, serve_portal
    tmp = tmp_path_factory.mktemp("history")
    site = generate_portal(tmp / "site", articles=120, seed=7)
    # the 429 traps only slow both crawls down (Retry-After); history does not need them
    routes = json.loads((site / "routes.json").read_text(encoding="utf-8"))
    for host in ("home", "ext"):
        routes[host] = {p: r for p, r in routes[host].items() if r.get("status") != 429}
    (site / "routes.json").write_text(json.dumps(routes), encoding="utf-8")
    db = tmp / "audit.db"
    with serve_portal(site) as portal:
        config = portal.write_config(tmp / "site.toml")
        run_cli("--log-level", "WARNING", "run", config, "--db", db, "--as-of", AS_OF, "--report", tmp / "r1.txt")
        first = export(db, 1)
        truth = portal.ground_truth
        utf8_articles = [u for c in truth["columns"] if c["encoding"] == "utf-8" and c["name"] != "图片新闻"
                         for u in c["item_urls"]]

        # fix: every occurrence of one wrong word on two pages
        typos = sorted((f for f in first if f["check"] == "typo" and f["url"] in utf8_articles
                        and f["detail"].get("confidence") != "suspected"),
                       key=lambda f: f["url"])
        fixed_typos = []
        for f in typos:
            if len(fixed_typos) == 2:
                break
            if all(f["url"] != g["url"] for g in fixed_typos):
                fixed_typos.append(f)
        for f in fixed_typos:
            path = portal_file(site, f["url"])
            path.write_text(path.read_text(encoding="utf-8").replace(f["evidence"], f["suggestion"]), encoding="utf-8")
        # fix: upload one missing attachment (every page linking it is fixed)
        attachment = sorted(f["target"] for f in first if f["check"] == "broken_link" and "/attach/" in f["target"])[0]
        path = portal_file(site, attachment)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4\n%%EOF\n")
        # add: a typo and a broken link on a TRS article that has neither
        busy = {f["url"] for f in fixed_typos} | {f["url"] for f in first if f["target"] == attachment}
        trs = [u for c in truth["columns"] if c["cms"] == "trs" and c["encoding"] == "utf-8" and c["name"] != "图片新闻"
               for u in c["item_urls"]]
        page_b = next(u for u in sorted(trs) if u not in busy
                      and not any(f["url"] == u and f["evidence"] == "布署" for f in first))
        path = portal_file(site, page_b)
        html = path.read_text(encoding="utf-8")
        assert '<div class="TRS_Editor">' in html
        html = html.replace('<div class="TRS_Editor">', '<div class="TRS_Editor">\n'
                            f'<p>{NEW_TYPO_SENTENCE}</p><p><a href="{NEW_BROKEN_PATH}">新增的失效链接</a></p>', 1)
        path.write_text(html, encoding="utf-8")
        # unreachable: a page with findings answers 500 this time; its findings must stay open
        page_c = next(f["url"] for f in sorted(first, key=lambda f: f["url"])
                      if f["check"] in ("typo", "broken_link") and f["url"] in utf8_articles
                      and f["url"] not in busy | {page_b} and not f["url"].endswith("index.html"))
        routes["home"][urlsplit(page_c).path] = {"status": 500}
        (site / "routes.json").write_text(json.dumps(routes), encoding="utf-8")
        # test-only: the loopback server caches files and routes; make it serve the edited site
        portal.state.cache.clear()
        portal.state.routes = routes

        proc = run_cli("--log-level", "WARNING", "run", config, "--db", db, "--as-of", AS_OF, "--report", tmp / "r2.txt")
        second = export(db, 2)
        diff = run_cli("diff", "--db", db).stdout
        year = run_cli("report", "--db", db, "--year", "2020").stdout
        recheck = run_cli("check", "--db", db).stdout
        second_again = export(db, 2)
        yield SimpleNamespace(db=db, first=first, second=second, second_again=second_again, diff=diff, year=year,
                              recheck=recheck, run_stdout=proc.stdout, fixed_typos=fixed_typos,
                              attachment=attachment, page_b=page_b, page_c=page_c, home=portal.home_origin,
                              report_html=tmp / "r2.html")


def expected(r):
    fixed = {key(f) for f in r.first
             if any(f["check"] == "typo" and f["url"] == t["url"] and f["evidence"] == t["evidence"] for t in r.fixed_typos)
             or (f["check"] == "broken_link" and f["target"] == r.attachment)}
    con = sqlite3.connect(r.db)
    sources_of_c = {row[0] for row in con.execute(
        "select source_url from links where run_id = 2 and target_url = ?", [r.page_c])}
    con.close()
    assert sources_of_c, "nothing links to the page made unreachable"
    new = {("typo", rel(r.page_b), None, "布署"),
           ("broken_link", rel(r.page_b), NEW_BROKEN_PATH, "新增的失效链接")}
    new |= {("broken_link", rel(s), rel(r.page_c), None) for s in sources_of_c}
    return fixed, new


def test_fixed_new_and_open_match_what_changed(two_runs):
    r = two_runs
    fixed, new = expected(r)
    got_fixed = {key(f) for f in r.second if f["status"] == "fixed"}
    first_keys = {key(f) for f in r.first}
    got_new = {key(f) for f in r.second if f["status"] == "open" and f["fingerprint"] not in
               {g["fingerprint"] for g in r.first}}
    # a new broken link's evidence is its anchor text: compare those on (check, page, target)
    assert got_fixed == fixed
    assert {k[:3] for k in got_new} == {k[:3] for k in new}
    assert ("typo", rel(r.page_b), None, "布署") in got_new
    still_open = {key(f) for f in r.second if f["status"] == "open"} & first_keys
    assert still_open == first_keys - fixed
    assert len(fixed) >= 3 and len(new) >= 3


def test_findings_of_an_unreachable_page_stay_open_with_their_history(two_runs):
    r = two_runs
    on_c = [f for f in r.first if f["url"] == r.page_c]
    assert on_c
    by_fp = {f["fingerprint"]: f for f in r.second}
    for f in on_c:
        assert by_fp[f["fingerprint"]]["status"] == "open", f
    con = sqlite3.connect(r.db)
    first_runs = {row[0] for row in con.execute(
        "select first_run from findings where fingerprint in (%s)" % ",".join("?" * len(on_c)),
        [f["fingerprint"] for f in on_c])}
    (pages_c,) = con.execute("select count(*) from pages where run_id = 2 and url = ?", [r.page_c]).fetchone()
    con.close()
    assert pages_c == 0, "the page was meant to be unreachable in run 2"
    assert first_runs == {1}


def test_run_summary_diff_and_recheck_report_the_same_counts(two_runs):
    r = two_runs
    fixed, new = expected(r)
    open_ = len({f["fingerprint"] for f in r.first}) - len(fixed)
    con = sqlite3.connect(r.db)
    (stats,) = con.execute("select stats from runs where id = 2").fetchone()
    con.close()
    assert json.loads(stats)["history"] == {"new": len(new), "open": open_, "fixed": len(fixed)}
    assert f"与上次相比: 新发现 {len(new)}, 仍未修复 {open_}, 已修复 {len(fixed)}" in r.run_stdout
    assert f"新发现 {len(new)} 个问题, 已修复 {len(fixed)} 个, 仍未修复 {open_} 个" in r.diff
    assert "运行 1 (2020-12-31) → 运行 2 (2020-12-31)" in r.diff
    for t in r.fixed_typos:
        assert f"错别字：“{t['evidence']}”应为“{t['suggestion']}”" in r.diff
    # checking run 2 again over stored pages changes nothing
    assert f"新发现 {len(new)}, 仍未修复 {open_}, 已修复 {len(fixed)}" in r.recheck
    assert sorted((f["fingerprint"], f["status"]) for f in r.second_again) == \
        sorted((f["fingerprint"], f["status"]) for f in r.second)


def test_year_counts_what_was_found_and_fixed(two_runs):
    r = two_runs
    fixed_typos = sum(1 for f in r.second if f["status"] == "fixed" and f["check"] == "typo")
    fixed_links = [f for f in r.second if f["status"] == "fixed" and f["check"] == "broken_link"]
    found_typos = len({f["fingerprint"] for f in r.first + r.second if f["check"] == "typo"})
    assert fixed_typos == sum(1 for f in r.first for t in r.fixed_typos if f["check"] == "typo"
                              and f["url"] == t["url"] and f["evidence"] == t["evidence"])
    assert f"已修改错别字 {fixed_typos} 个, 错链接 {len({f['url'] for f in fixed_links})} 篇, 1 个" in r.year
    assert f"发现错别字 {found_typos} 个" in r.year
    assert f"及时修改错别字{fixed_typos}个、错链接约{len({f['url'] for f in fixed_links})}篇" in r.year


def test_html_report_of_the_second_run_shows_the_history(two_runs):
    from lxml import html as lh
    doc = lh.fromstring(two_runs.report_html.read_bytes())
    fixed, new = expected(two_runs)
    assert doc.get_element_by_id("history-fixed").text_content() == str(len(fixed))
    assert doc.get_element_by_id("history-new").text_content() == str(len(new))
    fixed_rows = doc.xpath('//tr[@class="issue"][@data-status="fixed"]')
    assert len(fixed_rows) == len(fixed)


# -- the history rules on a bare store (real SQLite, no crawl) -------------------------

def _config(port):
    home = f"http://127.0.0.1:{port}/index.html"
    return {"site": {"name": "测试区政府", "home": home}, "columns": []}


def _page(port, path, title="页面"):
    return {"url": f"http://127.0.0.1:{port}{path}", "final_url": f"http://127.0.0.1:{port}{path}", "status": 200,
            "page_type": "article", "title": title, "links": []}


def _typo(port, path, wrong="布署", right="部署"):
    return {"check": "typo", "severity": "deduct", "url": f"http://127.0.0.1:{port}{path}", "column": None,
            "target": None, "evidence": wrong, "suggestion": right, "detail": {"occurrence": 0}}


def test_port_change_keeps_fingerprints_and_fixes_only_what_is_gone(tmp_path):
    from portal_audit.store import Store
    store = Store(tmp_path / "a.db")
    r1 = store.start_run(_config(8001), "2020-12-01")
    store.add_pages(r1, [_page(8001, "/a.html"), _page(8001, "/b.html"), _page(8001, "/c.html")])
    assert store.record_findings(r1, [_typo(8001, "/a.html"), _typo(8001, "/b.html"), _typo(8001, "/c.html")]) == \
        {"new": 3, "open": 0, "fixed": 0}
    # the site moved to another port; /c.html could not be fetched, /b.html was corrected
    r2 = store.start_run(_config(9002), "2020-12-02")
    store.add_pages(r2, [_page(9002, "/a.html"), _page(9002, "/b.html")])
    counts = store.record_findings(r2, [_typo(9002, "/a.html")],
                                   unfetched_urls={"http://127.0.0.1:8001/c.html", "http://127.0.0.1:8001/b.html"})
    assert counts == {"new": 0, "open": 2, "fixed": 1}
    status = {rel(f["url"]): f["status"] for f in store.findings(r2)}
    assert status == {"/a.html": "open", "/b.html": "fixed", "/c.html": "open"}
    assert store.diff_runs(r1, r2)["fixed"][0]["url"].endswith("/b.html")


def test_checking_a_run_again_keeps_its_counts_and_withdraws_what_it_no_longer_finds(tmp_path):
    from portal_audit.store import Store
    store = Store(tmp_path / "a.db")
    r1 = store.start_run(_config(8001), "2020-12-01")
    store.add_pages(r1, [_page(8001, "/a.html"), _page(8001, "/b.html")])
    store.record_findings(r1, [_typo(8001, "/a.html"), _typo(8001, "/b.html")])
    r2 = store.start_run(_config(8001), "2020-12-02")
    store.add_pages(r2, [_page(8001, "/a.html"), _page(8001, "/b.html")])
    found = [_typo(8001, "/a.html"), _typo(8001, "/b.html", "莫明其妙", "莫名其妙")]
    assert store.record_findings(r2, found) == {"new": 1, "open": 1, "fixed": 1}
    assert store.record_findings(r2, found) == {"new": 1, "open": 1, "fixed": 1}     # the same checks again
    # a new dictionary no longer reports 莫明其妙: withdrawn from run 2, not "fixed"
    assert store.record_findings(r2, found[:1]) == {"new": 0, "open": 1, "fixed": 1}
    assert {(rel(f["url"]), f["evidence"], f["status"]) for f in store.findings(r2)} == \
        {("/a.html", "布署", "open"), ("/b.html", "布署", "fixed")}
    assert store.findings(r1)[0]["first_seen"] == "2020-12-01"


def test_checking_an_older_run_again_is_refused_and_changes_nothing(two_runs):
    def state():
        con = sqlite3.connect(two_runs.db)
        try:
            return sorted(con.execute("select fingerprint, status, first_run, last_run, fixed_run from findings"))
        finally:
            con.close()
    before = state()
    proc = run_cli("check", "--db", two_runs.db, "--run", "1", check=False)
    assert proc.returncode == 2, proc.stderr
    assert "only the latest run can be checked again" in proc.stderr and "run 2" in proc.stderr
    assert state() == before
