"""The HTML report of the simulated portal, rendered by a real headless Chromium.

The report is the one `portal-audit run` wrote beside its text summary. We read
the verdict, the counts and findings back from the DOM Chromium produced after
running the page's own script, and check that the article whose title holds a
<script> shows it as text without running it. Chromium comes from Debian's
packages: scripts/install-test-deps.sh installs it.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest
from lxml import html as lh

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                  "--disable-dev-shm-usage"]


def chromium_dom(url: str, profile) -> lh.HtmlElement:
    """The DOM after load, as Chromium serialises it (scripts have run)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.fail("headless Chromium is missing: run scripts/install-test-deps.sh (Debian packages chromium, chromium-driver)")
    proc = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "<html" in proc.stdout, proc.stderr[-2000:]
    return lh.fromstring(proc.stdout)


@pytest.fixture(scope="session")
def report_file(audited_portal):
    path = audited_portal.report.with_suffix(".html")
    assert path.exists(), "portal-audit run did not write the HTML report beside the text summary"
    return path


@pytest.fixture(scope="session")
def rendered(report_file, tmp_path_factory):
    return chromium_dom(report_file.as_uri(), tmp_path_factory.mktemp("chromium"))


def open_findings(audited_portal, check=None):
    return [f for f in audited_portal.findings if f["status"] == "open" and (check is None or f["check"] == check)]


def text(el) -> str:
    return el.text_content().strip()


def test_verdict_and_annual_counts_read_back_from_the_page(rendered, audited_portal):
    verdict = rendered.get_element_by_id("verdict")
    assert verdict.get("data-verdict") == "fail" and "不合格" in text(verdict)   # serious errors are planted
    serious = rendered.xpath('//table[@id="verdicts"]//tr[@data-rule="严重表述错误"]')[0]
    assert serious.get("data-result") == "fail"
    typos = open_findings(audited_portal, "typo")
    broken = open_findings(audited_portal, "broken_link")
    assert text(rendered.get_element_by_id("annual-typos")) == str(len(typos))
    assert text(rendered.get_element_by_id("annual-broken-pages")) == str(len({f["url"] for f in broken}))
    assert text(rendered.get_element_by_id("annual-broken-targets")) == str(len({f["target"] for f in broken}))
    home = {f["target"] for f in broken if f["detail"]["on_home"]}
    row = rendered.xpath('//table[@id="deductions"]//tr[@data-item="首页错链接"]/td[2]')[0]
    assert text(row) == f"{len(home)} 个" and home
    assert text(rendered.get_element_by_id("total-count")) == str(len(audited_portal.findings))


def test_a_typo_and_a_broken_link_read_back_with_their_evidence(rendered, audited_portal):
    typos = sorted(open_findings(audited_portal, "typo"), key=lambda f: f["url"])
    typo = [f for f in typos if f["detail"].get("confidence") != "suspected"][0]
    row = rendered.get_element_by_id(f"f-{typo['fingerprint']}")
    assert text(row.xpath('.//td[@class="evidence"]/mark')[0]) == typo["evidence"]
    assert typo["evidence"] in typo["detail"]["context"]
    assert text(row.xpath('.//td[@class="suggestion"]')[0]) == typo["suggestion"]
    assert row.xpath('.//a[@class="page-title"]')[0].get("href") == typo["url"]
    assert text(row.xpath('.//td[@class="first-seen"]')[0]) == typo["first_seen"]
    assert text(row.xpath('.//td[@class="problem"]')[0]) == f"错别字：“{typo['evidence']}”应为“{typo['suggestion']}”"
    suspected = [f for f in typos if f["detail"].get("confidence") == "suspected"][:1]
    for f in suspected:                         # the statistical layer's findings read as 疑似 (suspected)
        problem = rendered.get_element_by_id(f"f-{f['fingerprint']}").xpath('.//td[@class="problem"]')[0]
        assert text(problem) == f"疑似错别字：“{f['evidence']}”应为“{f['suggestion']}”"

    link = sorted(open_findings(audited_portal, "broken_link"), key=lambda f: f["url"])[0]
    cell = text(rendered.get_element_by_id(f"f-{link['fingerprint']}").xpath('.//td[@class="evidence"]')[0])
    assert link["detail"]["reason_label"] in cell and link["target"] in cell
    assert (link["detail"]["anchor_text"] or "（无）") in cell


def test_script_in_a_crawled_title_shows_as_text_and_never_runs(rendered, report_file, audited_portal):
    trap = next(t for t in audited_portal.truth["traps"] if t["kind"] == "script_title")
    assert "<script>" in trap["title"]
    rows = rendered.xpath(f'//tr[@class="issue"][.//div[@class="url"]="{trap["url"]}"]')
    assert rows, "the article with the planted title has no finding in the report"
    titles = {text(r.xpath('.//*[@class="page-title"]')[0]) for r in rows}
    assert any(trap["evidence"] in t for t in titles), titles     # shown literally, as text
    # had it run, it would have renamed the document and marked <html data-xss="1">
    assert rendered.get("data-xss") is None
    assert "网站检查报告" in text(rendered.find(".//title"))
    scripts = rendered.xpath("//script")
    assert len(scripts) == 1 and "applyFilters" in scripts[0].text_content()
    source = report_file.read_text(encoding="utf-8")
    assert "&lt;script&gt;document.title=" in source and "<script>document.title=" not in source


def test_filters_from_the_address_run_in_the_browser(report_file, audited_portal, tmp_path):
    dom = chromium_dom(report_file.as_uri() + "#family=typos&status=open", tmp_path)
    typos = open_findings(audited_portal, "typo")
    assert text(dom.get_element_by_id("shown-count")) == str(len(typos))
    visible = dom.xpath('//tr[@class="issue"][not(@hidden)]')
    assert {r.get("data-check") for r in visible} == {"typo"} and len(visible) == len(typos)
    hidden_groups = dom.xpath('//div[@class="col-group"][@hidden]')
    assert hidden_groups, "columns without typos should be folded away"


def test_header_clicks_sort_the_coverage_table_in_the_browser(report_file, tmp_path):
    """The report's own script sorts on a header click; a copy of the report gets a few lines that
    click 距今天数 twice (ascending, then descending) and note the order after each click. The report
    lets only scripts carrying its nonce run (Content-Security-Policy), so the probe carries it too."""
    import re
    original = report_file.read_text(encoding="utf-8")
    nonce = re.search(r'<script nonce="([^"]+)"', original).group(1)
    clicker = """<script nonce="NONCE">
    (function () {
      var table = document.getElementById("coverage"), th = table.tHead.rows[0].cells[7], out = [];
      function order() { return Array.prototype.map.call(table.tBodies[0].rows,
                                 function (r) { return r.getAttribute("data-column"); }).join("|"); }
      th.click(); out.push(order()); th.click(); out.push(order());
      var note = document.createElement("pre"); note.id = "sort-probe"; note.textContent = out.join("\\n");
      document.body.appendChild(note);
    }());
    </script></body>"""
    page = original.replace("</body>", clicker.replace("NONCE", nonce))
    copy = tmp_path / "report-click.html"
    copy.write_text(page, encoding="utf-8")
    dom = chromium_dom(copy.as_uri(), tmp_path / "profile")
    asc, desc = text(dom.get_element_by_id("sort-probe")).split("\n")
    days = {r.get("data-column"): text(r.xpath("./td[8]")[0]) for r in dom.xpath('//table[@id="coverage"]/tbody/tr')}
    numbers = [int(days[c]) for c in asc.split("|") if days[c].isdigit()]
    assert len(numbers) >= 10 and numbers == sorted(numbers)
    assert desc.split("|") != asc.split("|") and [int(days[c]) for c in desc.split("|") if days[c].isdigit()] == \
        sorted(numbers, reverse=True)


def test_charts_and_coverage_are_drawn_from_the_database(rendered, audited_portal):
    typos = open_findings(audited_portal, "typo")
    bar = rendered.xpath('//*[@id="chart-by-check"]//*[@data-label="错别字"]')[0]
    assert bar.get("data-value") == str(len(typos))
    by_column = rendered.xpath('//*[@id="chart-by-column"]//*[@class="bar"]')
    assert sum(int(b.get("data-value")) for b in by_column) <= len(open_findings(audited_portal))
    points = rendered.xpath('//*[@id="chart-trend"]//*[@class="point"]')
    con = sqlite3.connect(audited_portal.db)
    (runs,) = con.execute("select count(*) from runs").fetchone()
    con.close()
    assert len(points) == runs and points[-1].get("data-value") == str(len(open_findings(audited_portal)))
    states = [r.get("data-state") for r in rendered.xpath('//table[@id="coverage"]/tbody/tr')]
    assert len(states) == len(audited_portal.truth["columns"])
    bad = [c for c in audited_portal.truth["columns"] if c["state"] != "ok"]
    assert set(states[:len(bad)]) <= {"unreachable", "empty", "stale"} and "ok" not in states[:len(bad)]
