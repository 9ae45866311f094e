"""The simulated portal: served over real HTTP, and its ground truth matches what is served."""
from __future__ import annotations

import hashlib
import http.client
import math
import os
import re
import socket
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit
from xml.etree import ElementTree

import lxml.html
import pytest

from portal_audit.simportal import PRESETS, generate_portal, serve_portal
from portal_audit.simportal import text as T

# Override to soak other sizes/seeds: SIMPORTAL_SEED=7 SIMPORTAL_ARTICLES=1500 pytest tests/test_simportal.py
SEED = int(os.environ.get("SIMPORTAL_SEED", 2020))
ARTICLES = int(os.environ.get("SIMPORTAL_ARTICLES", PRESETS["small"]))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return generate_portal(tmp_path_factory.mktemp("sim") / "site", articles=ARTICLES, seed=SEED)


@pytest.fixture(scope="module")
def portal(site):
    with serve_portal(site, port=0) as p:
        yield p


@pytest.fixture(scope="module")
def gt(portal):
    return portal.ground_truth


def fetch(url, method="GET", body=None, headers=None):
    """One request, no redirect following: (status, headers dict, body bytes)."""
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    try:
        path = u.path + ("?" + u.query if u.query else "")
        conn.request(method, path or "/", body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        conn.close()


def follow(url, limit=10):
    """Follow redirects by hand: (final status, chain of URLs, body); status 'loop' on a revisit."""
    chain = [url]
    for _ in range(limit):
        status, h, body = fetch(url)
        if status in (301, 302, 303, 307, 308):
            url = urljoin(url, h["location"])
            if url in chain:
                chain.append(url)
                return "loop", chain, body
            chain.append(url)
            continue
        return status, chain, body
    return "too_many", chain, b""


def decode(headers, body):
    m = re.search(r"charset=([\w-]+)", headers.get("content-type", ""))
    return body.decode(m.group(1) if m else "utf-8")


def page_links(url, html_text):
    """Link targets as a browser resolves them (backslashes, spaces, Chinese); malformed ones raw."""
    doc = lxml.html.fromstring(html_text)
    out = []
    for el, attr, link, _pos in doc.iterlinks():
        if el.tag in ("a", "img", "script", "link") and attr in ("href", "src"):
            raw = link.strip()
            try:
                out.append(quote(urljoin(url, raw.replace("\\", "/")), safe=":/?&=#%[]@!$'()*+,;~"))
            except ValueError:
                out.append(raw)
    return out


@pytest.fixture(scope="module")
def served(portal, gt):
    """Every ground-truth page fetched once: url -> (status, headers, body)."""
    with ThreadPoolExecutor(8) as ex:
        return dict(zip(gt["pages"], ex.map(fetch, gt["pages"])))


def test_every_page_answers_200_and_gbk_decodes(gt, served):
    gbk_cols = [c for c in gt["columns"] if c["encoding"] == "gbk"]
    assert gbk_cols
    gbk_urls = {u for c in gbk_cols for u in c["item_urls"] + c["list_pages"]}
    assert len(gt["pages"]) == len(set(gt["pages"])) > ARTICLES
    for url, (status, h, body) in served.items():
        assert status == 200, url
        assert "charset=" in h["content-type"]
        text = decode(h, body)
        assert "__HOME__" not in text and "__EXT__" not in text and "__DEAD__" not in text
        if url in gbk_urls:
            assert h["content-type"] == "text/html; charset=GBK"
            assert '<meta charset="gbk">' in body.decode("gbk")
            with pytest.raises(UnicodeDecodeError):
                body.decode("utf-8")
    # HEAD: same status, no body
    status, h, body = fetch(gt["pages"][0], "HEAD")
    assert status == 200 and body == b"" and int(h["content-length"]) > 1000
    assert fetch(gt["site"]["home"].replace("index.html", "no/such/page.html"))[0] == 404


def test_broken_links_behave_as_recorded(portal, gt, served):
    broken = [d for d in gt["defects"] if d["check"] == "broken_link"]
    classes = {d["class"] for d in broken}
    assert classes == {"http_404", "http_410", "http_5xx", "refused", "redirect_loop", "redirect_to_404",
                       "soft_404", "missing_attachment", "dns", "timeout", "too_many_redirects", "bad_url"}
    assert any(d["on_home"] for d in broken)
    pairs = [(d["url"], d["target"]) for d in broken]
    assert len(pairs) == len(set(pairs))
    links_cache = {}
    for d in broken:
        src = d["url"]
        if src not in links_cache:
            st, h, body = served[src]
            links_cache[src] = set(page_links(src, decode(h, body)))
        assert d["target"] in links_cache[src], d
    for target, cls in sorted({(d["target"], d["class"]) for d in broken}):
        if cls == "refused":
            with pytest.raises(ConnectionRefusedError):
                fetch(target)
            continue
        if cls == "dns":
            assert urlsplit(target).hostname.endswith(".invalid")   # a reserved name: never resolves
            continue
        if cls == "bad_url":
            with pytest.raises(ValueError):
                urlsplit(target).port
            continue
        if cls == "timeout":
            u = urlsplit(target)
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=1)
            with pytest.raises(TimeoutError):
                conn.request("GET", u.path)
                conn.getresponse()
            conn.close()
            continue
        if cls == "too_many_redirects":
            assert follow(target, limit=10)[0] == "too_many"
            continue
        if cls == "soft_404" and target.startswith(portal.soft_origin):
            status, chain, body = follow(target)   # the host's own not-found page, answered with 200
            assert status == 200 and "温馨提示" in body.decode("utf-8") and len(chain) == 1
            assert "温馨提示" in fetch(portal.soft_origin + "/any-random-path.html")[2].decode("utf-8")
            continue
        status, chain, body = follow(target)
        if cls in ("http_404", "missing_attachment"):
            assert status == 404 and "页面不存在".encode() in body, target
        elif cls == "http_410":
            assert status == 410
        elif cls == "http_5xx":
            assert isinstance(status, int) and status >= 500
        elif cls == "redirect_loop":
            assert status == "loop" and len(chain) == 3
        elif cls == "redirect_to_404":
            assert status == 404 and len(chain) >= 3
        elif cls == "soft_404":
            text = body.decode("utf-8")
            assert status == 200 and "已被删除" in text
            assert "TRS_Editor" not in text and 'id="zoom"' not in text and "article-content" not in text


def test_no_undocumented_broken_link(portal, gt, served):
    """Every link on every page, except recorded defects and traps, ends in 200."""
    skip = {d["target"] for d in gt["defects"] if d["check"] == "broken_link"}
    rate = {t["target"] for t in gt["traps"] if t["kind"] == "rate_limited"}
    robots = {t["target"] for t in gt["traps"] if t["kind"] == "robots_skipped"}
    redirects = {t["target"] for t in gt["traps"] if t["kind"] == "redirect_ok"}
    blocked = {t["target"] for t in gt["traps"] if t["kind"] == "blocked"}
    assert all(fetch(t)[0] == 403 for t in blocked)
    targets = set()
    for url, (st, h, body) in served.items():
        for link in page_links(url, decode(h, body)):
            if link.split(":", 1)[0] in ("mailto", "tel", "javascript"):
                continue
            targets.add(link.split("#", 1)[0])
    recorded = {(d["url"], d["target"]) for d in gt["defects"] if d["check"] == "broken_link"}
    for url, (st, h, body) in served.items():  # every appearance of a broken target is a recorded defect
        for link in set(page_links(url, decode(h, body))) & skip:
            assert (url, link) in recorded, (url, link)
    targets -= skip | rate | blocked
    assert robots <= targets and redirects <= targets
    targets -= robots
    assert not any(t.startswith(portal.dead_origin) for t in targets)
    with ThreadPoolExecutor(8) as ex:
        results = dict(zip(sorted(targets), ex.map(follow, sorted(targets))))
    bad = {t: r[0] for t, r in results.items() if r[0] != 200}
    assert not bad
    assert all(len(results[t][1]) == 2 for t in redirects)
    rules = urlsplit(portal.home_url)
    assert fetch(f"http://{rules.netloc}/robots.txt")[2] == b"User-agent: *\nDisallow: /admin/\n"


def test_rate_limited_trap_answers_429_then_200(site, gt):
    with serve_portal(site) as p:  # fresh server: the 429 memory is per server
        traps = [t for t in p.ground_truth["traps"] if t["kind"] == "rate_limited"]
        assert traps and all(t["target"].startswith(p.ext_origin) for t in traps)
        target = traps[0]["target"]
        status, h, _ = fetch(target, "HEAD")
        assert status == 429 and h["retry-after"] == "1"
        assert fetch(target)[0] == 200
        assert fetch(target, "HEAD")[0] == 200


def test_hanweb_dataproxy(portal, gt, served):
    col = max((c for c in gt["columns"] if c["cms"] == "hanweb"), key=lambda c: c["items"])
    assert col["items"] > 60
    st, h, body = served[col["url"]]
    text = decode(h, body)
    assert '<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1' in text
    assert text.count("<record>") == 60
    assert f'jpage({{"totalRecord":{col["items"]},"perPage":20,' in text
    paths = [urlsplit(u).path for u in col["item_urls"]]
    assert re.findall(r'<record><!\[CDATA\[<li><a href="([^"]+)"', text) == paths[:60]
    q = (f"startrecord=61&endrecord=120&perpage=20&columnid={col['columnid']}&unitid={col['unitid']}")
    base = portal.home_origin + "/module/web/jpage/dataproxy.jsp"
    for status, h, body in (fetch(base + "?" + q),
                            fetch(base + "?startrecord=61&endrecord=120&perpage=20", "POST",
                                  body=f"col=1&webid=1&path=/&columnid={col['columnid']}&unitid={col['unitid']}",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})):
        assert status == 200 and "xml" in h["content-type"]
        root = ElementTree.fromstring(body)
        assert int(root.findtext("totalrecord")) == col["items"]
        recs = [r.text for r in root.iter("record")]
        got = [re.search(r'href="([^"]+)"', r).group(1) for r in recs]
        assert got == paths[60:120]


def test_trs_pager_only_in_script(gt, served):
    trs = [c for c in gt["columns"] if c["cms"] == "trs" and c["items"] > 20]
    assert trs
    for c in trs:
        pages = math.ceil(c["items"] / 20)
        st, h, body = served[c["url"]]
        text = decode(h, body)
        assert f'<script>createPageHTML({pages}, 0, "index", "html");</script>' in text
        assert "index_1.html" not in text
        assert c["list_pages"][1].endswith("/index_1.html") and len(c["list_pages"]) == pages
        assert re.search(r'<a href="\./\d{6}/t\d{8}_\d+\.html"', text)
    plain = [c for c in gt["columns"] if c["cms"] == "plain" and c["items"] > 20]
    assert plain and all('<a href="index_2.html">下一页</a>' in decode(*served[c["url"]][1:]) for c in plain)


def test_determinism(tmp_path, site):
    b = generate_portal(tmp_path / "b", articles=ARTICLES, seed=SEED)

    def digest(root):
        return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}
    assert digest(Path(site)) == digest(Path(b))
    c = generate_portal(tmp_path / "c", articles=ARTICLES, seed=SEED + 1)
    assert digest(Path(c)) != digest(Path(b))


def test_write_config(portal, tmp_path, gt):
    cfg = tomllib.loads(portal.write_config(tmp_path / "site.toml").read_text(encoding="utf-8"))
    assert cfg["site"]["home"] == portal.home_url
    assert cfg["site"]["site_id_code"] == gt["site"]["site_id_code"]
    assert cfg["site"]["allowed_hosts"] == [urlsplit(portal.home_origin).netloc]
    assert cfg["crawl"]["obey_robots"] is True
    assert len(cfg["columns"]) == 22
    assert {c["category"] for c in cfg["columns"]} == {"news", "notice", "policy", "personnel", "plan",
                                                        "interaction", "other"}
    assert sum(c["official_documents"] for c in cfg["columns"]) == 3


# ------------------------------------------------------------------ ground truth vs. content

def _near(w, p):
    if len(w) == len(p):
        diff = [i for i in range(len(p)) if w[i] != p[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and w[diff[0]] == p[diff[1]] and w[diff[1]] == p[diff[0]])
    if len(w) == len(p) - 1 and w[0] == p[0] and w[-1] == p[-1]:
        return any(p[:i] + p[i + 1:] == w for i in range(1, len(p) - 1))
    return False


def near_misses(text, phrase):
    """Substrings of text one edit (change, inner drop, adjacent swap) away from phrase."""
    L = len(phrase)
    h = max(2, L // 2 - 1)
    found = set()
    for anchor, at_start in ((phrase[:h], True), (phrase[-h:], False)):
        i = text.find(anchor)
        while i >= 0:
            for n in (L, L - 1):
                s = i if at_start else i + len(anchor) - n
                w = text[max(s, 0):s + n]
                if len(w) == n and w != phrase and _near(w, phrase):
                    found.add(w)
            i = text.find(anchor, i + 1)
    return found


def test_ground_truth_matches_content(gt, served):
    by_check = {}
    for d in gt["defects"]:
        by_check.setdefault(d["check"], []).append(d)
    texts = {u: decode(h, b) for u, (s, h, b) in served.items()}
    # typos: every occurrence of every wrong form is recorded, at most one per page
    heldout = [d for d in by_check["typo"] if d.get("list") == "heldout"]
    rec = {(d["url"], d["evidence"]) for d in heldout}
    assert len(rec) == len(heldout) >= 30
    wrongs = [w for w, _, _ in T.HELDOUT_TYPOS]   # planted from the held-out list only
    assert len(set(wrongs)) == len(wrongs) >= 120
    for w, r, _ in T.HELDOUT_TYPOS:
        assert r not in w and w not in r
        assert not any(w != o and w in o for o in wrongs)
    from portal_audit.simportal.generate import TEMPLATE_OMIT, TEMPLATE_TYPO, TEMPLATE_TYPO_LINE
    template_line = TEMPLATE_TYPO_LINE.format(w=TEMPLATE_TYPO[0])
    template = [d for d in by_check["typo"] if d.get("template")]
    assert len(template) == 1 and template[0]["pages_affected"] == sum(template_line in t for t in texts.values())
    for u, t in texts.items():
        t = t.replace(template_line, "")            # the template typo: one defect for all its pages
        for w in wrongs:
            n = t.count(w)
            assert n == (1 if (u, w) in rec else 0), (u, w, n)
    # serious errors: present, and no unrecorded near-miss of a fixed phrase anywhere
    for w, p in T.SERIOUS_VARIANTS:  # each planted variant is found as itself, and only itself
        assert near_misses(f"前文。{w}，后文。", p) == {w}, w
    rec = {(d["url"], d["evidence"]) for d in by_check["serious_error"]}
    assert len(rec) >= 5
    for u, t in texts.items():
        for p in T.SERIOUS_PHRASES:
            for w in near_misses(t, p):
                assert (u, w) in rec, (u, w, p)
    for u, w in rec:
        assert w in texts[u]
    # privacy: unmasked IDs / mobiles are exactly the recorded ones
    rec = {(d["url"], d["evidence"]) for d in by_check["privacy_leak"] if not d.get("attachment")}
    in_files = {(d["url"], d["evidence"]) for d in by_check["privacy_leak"] if d.get("attachment")}
    assert {d["kind"] for d in by_check["privacy_leak"]} == {"id_number", "mobile"}
    from crawler.attachments import attachment_text
    attached = {u: attachment_text(fetch(u)[2], u) for u in {u for u, _ in in_files}}   # served like any file
    assert {u.rsplit(".", 1)[1] for u in attached} == {"pdf", "docx", "xlsx"}
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    found = set()
    for u, t in list(texts.items()) + list(attached.items()):
        for m in re.findall(r"(?<![\dA-Za-z])(\d{17}[\dX])(?![\dA-Za-z])", t):
            assert "10X98765432"[sum(int(c) * k for c, k in zip(m, w)) % 11] == m[-1]
            found.add((u, m[:6] + "*" * 8 + m[-4:]))
        for m in re.findall(r"(?<![\d])(1[3-9]\d{9})(?!\d)", t):
            found.add((u, m[:3] + "****" + m[-4:]))
    assert found == rec | in_files
    assert any(t["kind"] == "masked_id" for t in gt["traps"])
    # meta tags and footer
    required_site = ["SiteName", "SiteDomain", "SiteIDCode"]
    missing = {d["url"]: d["evidence"] for d in by_check["missing_meta_tag"] if not d.get("template")}
    no_id = {d["url"] for d in by_check["missing_site_id"] if d["evidence"] == "网站标识码"}
    no_other_id = {(d["url"], d["evidence"]) for d in by_check["missing_site_id"] if d["evidence"] != "网站标识码"}
    assert {e for _, e in no_other_id} == {"ICP备案号", "公安机关备案号", "党政机关网站标识"}
    [tmpl] = [d for d in by_check["missing_meta_tag"] if d.get("template")]
    tmpl_col = next(c for c in gt["columns"] if c["name"] == tmpl["column"])
    assert tmpl["evidence"] == TEMPLATE_OMIT[1] and tmpl["pages_affected"] == len(tmpl_col["item_urls"]) >= 3
    col_pages = {u for c in gt["columns"] for u in c["list_pages"]}
    art_pages = {u for c in gt["columns"] for u in c["item_urls"]}
    for u, t in texts.items():
        doc = lxml.html.fromstring(t)
        metas = {m.get("name") for m in doc.iter("meta") if m.get("name")}
        req = required_site + (["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"] if u in col_pages else []) \
            + (["ArticleTitle", "PubDate", "ContentSource"] if u in art_pages else [])
        absent = [x for x in req if x not in metas]
        if u in tmpl_col["item_urls"]:
            absent.remove(tmpl["evidence"])
        assert absent == ([missing[u]] if u in missing else []), u
        footer = doc.find_class("footer")[0].text_content()
        assert ("网站标识码：4301050001" in footer) == (u not in no_id), u
        assert ("湘ICP备05006000号" in footer) == ((u, "ICP备案号") not in no_other_id), u
        assert ("湘公网安备" in footer) == ((u, "公安机关备案号") not in no_other_id), u
        assert bool(doc.xpath('//div[@class="footer"]//img[@alt="党政机关"][@src]')) == \
            ((u, "党政机关网站标识") not in no_other_id), u
    # official documents
    doc_urls = {u for c in gt["columns"] if c["official_documents"] for u in c["item_urls"]}
    no_label = {d["url"] for d in by_check["missing_disclosure_label"] if d.get("reason") != "misplaced"}
    [misplaced] = [d["url"] for d in by_check["missing_disclosure_label"] if d.get("reason") == "misplaced"]
    assert re.search(r"<p>[（(]此件[^<]*</p>\n<p style=\"text-align:right\">", texts[misplaced])
    no_field = {d["url"]: d["evidence"] for d in by_check["missing_metadata"] if not d.get("reason")}
    wrong = {d["reason"]: d for d in by_check["missing_metadata"] if d.get("reason")}
    assert re.search(r"索引号：</?\w*>?\s*<?\w*>?\d{9}-\d{4}-\d{5}", texts[wrong["malformed"]["url"]])
    assert wrong["after_publish"]["evidence"] == "成文日期"
    assert no_label and no_field and not (no_label & set(no_field))
    for u in doc_urls:
        t = texts[u]
        assert bool(re.search(r"[（(]此件(主动公开|依申请公开|公开发布)[）)]", t)) == (u not in no_label), u
        for f in ("索引号", "发布机构", "成文日期", "文号", "主题分类"):
            assert (f + "：" in t) == (no_field.get(u) != f), (u, f)
    # letters
    unanswered = {d["url"] for d in by_check["unanswered_message"]}
    assert len(unanswered) >= 3
    for u in unanswered:
        assert "<td>办理中</td>" in texts[u]
    # columns
    stale = {d["column"] for d in by_check["stale_column"]}
    empty = {d["column"] for d in by_check["empty_column"]}
    assert len(stale) == 3 and len(empty) == 2
    assert len(gt["columns"]) == 22 and len({c["section"] for c in gt["columns"]}) == 7
    for c in gt["columns"]:
        assert c["items"] == len(c["item_urls"])
        assert c["state"] == ("empty" if c["name"] in empty else "stale" if c["name"] in stale else "ok")
    assert gt["home_newest"] == "2020-12-30" and gt["home_state"] == "ok"
    assert "2020-12-30" in texts[gt["site"]["home"]]


def test_dead_origin_refuses(portal):
    u = urlsplit(portal.dead_origin)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((u.hostname, u.port), timeout=2).close()
