"""Draft a site config from a portal's navigation: ``portal-audit discover URL``.

It reads the home page, follows the links that lead to index pages (top
navigation, blocks with a heading and "更多", 专题专栏, the site map), and
sorts what it finds into navigation pages (sections: they link to two or more
other index pages in their content) and column pages (they show a list, a
pager, or an empty-list notice such as 暂无信息). Each column's category is
guessed from its name with the rules in ``checks/data/column_categories.toml``.
The result is a draft TOML config in the format of ``portal_audit.config``
for a person to check and edit.

Fetching is plain and polite: one request at a time, a User-Agent that names
the tool, robots.txt obeyed, a delay between requests, and a page budget.

    >>> draft = discover("http://www.kaifu.gov.cn/", Fetcher(delay=0.5))   # doctest: +SKIP
    >>> print(render_toml(draft))                                           # doctest: +SKIP
"""
from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html

from checks.freshness import CATEGORY_LABELS, guess_category
from portal_audit.config import CRAWL_DEFAULTS

from . import cms, extract

DEFAULT_UA = CRAWL_DEFAULTS["user_agent"]
_INDEX_LIKE = re.compile(r"(?:/|/(?:index|default|list|main)\.(?:s?html?|jsp|php|aspx?))$", re.I)
_PAGED = re.compile(r"_\d+\.\w+$")
_GENERIC = re.compile(r"^(?:更多|more|首页|网站首页|返回首页|返回|上一页|下一页|尾页|末页|当前位置|[>»\s.。…]*)[>»\s.。…]*$", re.I)
_EMPTY_NOTICE = re.compile(r"暂无(?:信息|数据|内容|记录|相关信息)|没有(?:相关)?(?:信息|记录|数据)|无相关信息")
_SITEMAP = re.compile(r"网站地图|站点地图|sitemap", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_SITE_ID = re.compile(r"网站标识码\s*[：:]?\s*([0-9A-Za-z]{10})")


# ---------------------------------------------------------------- fetching
class Fetcher:
    """One polite HTTP client: User-Agent, robots.txt, delay, timeout, size limit.

    ``get(url)`` returns ``(final_url, html_text)`` or None (refused by
    robots.txt, an HTTP error, not HTML, or unreachable); ``log`` keeps one
    line per request so a run can explain itself.
    """

    def __init__(self, user_agent: str = DEFAULT_UA, timeout: float = 20, delay: float = 0.5,
                 obey_robots: bool = True, max_bytes: int = 5 * 1024 * 1024):
        self.user_agent, self.timeout, self.delay = user_agent, timeout, delay
        self.obey_robots, self.max_bytes = obey_robots, max_bytes
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last = 0.0
        self.log: list[tuple[str, str]] = []

    def _open(self, url: str):
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        req = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "text/html,*/*;q=0.5"})
        return urllib.request.urlopen(req, timeout=self.timeout)

    def allowed(self, url: str) -> bool:
        if not self.obey_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            try:
                with self._open(origin + "/robots.txt") as resp:
                    parser.parse(resp.read(512 * 1024).decode("utf-8", "replace").splitlines())
            except urllib.error.HTTPError as exc:
                parser.disallow_all = exc.code in (401, 403)
                parser.allow_all = not parser.disallow_all
            except (urllib.error.URLError, OSError, ValueError):
                parser.allow_all = True   # no robots.txt to be read: the usual crawler reading
            self._robots[origin] = parser
        return self._robots[origin].can_fetch(self.user_agent, url)

    def get(self, url: str) -> tuple[str, str] | None:
        if not self.allowed(url):
            self.log.append((url, "robots.txt"))
            return None
        try:
            with self._open(url) as resp:
                ctype = resp.headers.get("Content-Type", "")
                if ctype and "html" not in ctype.lower():
                    self.log.append((url, f"not html: {ctype}"))
                    return None
                body = resp.read(self.max_bytes)
                final = resp.geturl()
        except urllib.error.HTTPError as exc:
            self.log.append((url, f"HTTP {exc.code}"))
            return None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            self.log.append((url, f"{type(exc).__name__}: {exc}"))
            return None
        self.log.append((url, "ok"))
        return final, decode_html(body, ctype)


def decode_html(body: bytes, content_type: str = "") -> str:
    """Bytes to text: the header's charset, else the page's <meta charset>, else UTF-8, else GB18030."""
    m = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    charset = m.group(1) if m else None
    if not charset:
        mm = _CHARSET.search(body[:4096])
        charset = mm.group(1).decode("ascii") if mm else None
    for enc in (charset, "utf-8", "gb18030"):
        if not enc:
            continue
        if enc.lower() in ("gbk", "gb2312"):
            enc = "gb18030"   # a superset: GBK pages often carry GB18030 characters
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


# ---------------------------------------------------------------- reading pages
@dataclass
class PageView:
    """What discover needs from one page."""
    url: str
    title: str = ""
    meta: dict = field(default_factory=dict)
    links: list = field(default_factory=list)       # (url, anchor text, in_chrome)
    index_links: list = field(default_factory=list)  # same-host index pages linked outside nav/side/footer
    item_urls: list = field(default_factory=list)   # list entries (articles) it shows
    pager: bool = False
    aggregates: bool = False   # its items are all some linked column's: a one-column section
    empty_notice: bool = False
    text: str = ""

    @property
    def is_section(self) -> bool:
        return len(set(self.index_links)) >= 2 or self.aggregates

    @property
    def items(self) -> int:
        return len(self.item_urls)

    @property
    def is_column(self) -> bool:
        return not self.is_section and (self.items > 0 or self.pager or self.empty_notice)


def is_index_url(url: str, host: str) -> bool:
    parts = urlsplit(url)
    return (parts.netloc.lower() == host and not parts.query and bool(_INDEX_LIKE.search(parts.path or "/"))
            and not _PAGED.search(parts.path))


def read_page(url: str, html: str, host: str) -> PageView:
    try:
        root = lxml.html.fromstring(html)
    except ValueError:   # a text with an XML encoding declaration
        root = lxml.html.fromstring(html.encode("utf-8"))
    base = url
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = urljoin(url, base_el.get("href").strip())
    view = PageView(url=url)
    title = root.find(".//title")
    view.title = extract.clean_text(title.text_content()) if title is not None else ""
    for m in root.iter("meta"):
        if m.get("name"):
            view.meta.setdefault(m.get("name").strip(), (m.get("content") or "").strip())
    for a in root.iter("a", "area"):
        target = extract.normalise_link(a.get("href") or "", base)
        if not target:
            continue
        text = extract.clean_text(a.text_content() or "") or extract.clean_text(
            " ".join(img.get("alt") or "" for img in a.iter("img")))
        chrome = extract._in_chrome(a)
        view.links.append((target, text, chrome))
        if not chrome and target not in (url, base) and is_index_url(target, host):
            view.index_links.append(target)
    scripts = "\n".join(s.text or "" for s in root.iter("script"))
    records = cms.hanweb_records(scripts)
    view.item_urls = [i["url"] for i in extract.list_items(root, base)]
    view.item_urls += [i["url"] for i in extract.fragment_items(records, base, {host}, [])]
    view.pager = bool(cms.trs_pager(scripts, base) or cms.hanweb_pager(scripts, base))
    body = root.find(".//body")
    view.text = extract.block_text(body) if body is not None else ""   # without scripts and styles
    view.empty_notice = bool(_EMPTY_NOTICE.search(view.text))
    return view


# ---------------------------------------------------------------- discovering
@dataclass
class Draft:
    site: dict
    columns: list            # {"name", "url", "category", "official_documents", "section", "rule", "items"}
    sections: list           # {"name", "url"}
    fetched: int = 0
    log: list = field(default_factory=list)


def _best_name(anchors: Counter, view: PageView | None) -> str:
    column_name = (view.meta.get("ColumnName") or "").strip() if view else ""
    if column_name and len(column_name) <= 20:
        return column_name
    for text, _n in anchors.most_common():
        if text and len(text) <= 20 and not _GENERIC.match(text):
            return text
    if view and view.title:
        return re.split(r"\s*[_|\-—–]\s*", view.title)[0]
    return ""


def discover(home_url: str, fetcher: Fetcher | None = None, *, max_pages: int = 150) -> Draft:
    """Read the home page's navigation and the pages it leads to; return the draft config's content."""
    fetcher = fetcher or Fetcher()
    got = fetcher.get(home_url)
    if got is None:
        reason = fetcher.log[-1][1] if fetcher.log else "no answer"
        raise OSError(f"{home_url}: cannot read the home page ({reason})")
    home_final, html = got
    host = urlsplit(home_final).netloc.lower()
    home = read_page(home_final, html, host)
    views: dict[str, PageView] = {home_final: home}
    anchors: dict[str, Counter] = {}
    order: list[str] = []     # index pages in the order they were first linked
    queue: list[str] = []

    def note_links(view: PageView, enqueue_all: bool):
        for target, text, chrome in view.links:
            if not is_index_url(target, host) or target in (home_final, home_url):
                continue
            anchors.setdefault(target, Counter())[text] += 1
            wanted = enqueue_all or not chrome or (view.is_column and chrome)
            if target not in order and wanted:
                order.append(target)
                queue.append(target)

    note_links(home, enqueue_all=True)
    fetched = 1
    while queue and fetched < max_pages:
        url = queue.pop(0)
        if url in views:
            continue
        got = fetcher.get(url)
        fetched += 1
        if got is None:
            continue
        final, html = got
        if urlsplit(final).netloc.lower() != host:
            continue
        view = read_page(final, html, host)
        views[url] = view
        if view.is_section or view.is_column:
            note_links(view, enqueue_all=False)   # a column's side menu leads to its siblings

    for view in views.values():
        linked = [views[u] for u in set(view.index_links) if u in views and u != view.url and views[u].is_column]
        if view.is_column and linked and view.item_urls and \
                set(view.item_urls) <= set().union(*(set(c.item_urls) for c in linked)):
            view.aggregates = True
    sections = [u for u in order if u in views and views[u].is_section]
    sitemaps = {u for u in sections if _SITEMAP.search(" ".join(anchors.get(u, Counter())) + views[u].title)}
    sections = [u for u in sections if u not in sitemaps] + [u for u in sections if u in sitemaps]
    columns = []
    seen_names: Counter = Counter()
    for url in order:
        view = views.get(url)
        if view is None or not view.is_column:
            continue
        name = _best_name(anchors.get(url, Counter()), view)
        seen_names[name] += 1
        parent = next((s for s in sections if url in views[s].index_links), None)
        guess = guess_category(name)
        columns.append({"name": name if seen_names[name] == 1 else f"{name}{seen_names[name]}", "url": url,
                        "category": guess["category"], "official_documents": guess["official_documents"],
                        "rule": guess["rule"], "items": view.items, "_parent": parent,
                        "section": _best_name(anchors.get(parent, Counter()), views[parent]) if parent else None})
    rank = {u: i for i, u in enumerate(sections)}
    columns.sort(key=lambda c: (rank.get(c.pop("_parent"), len(rank)), order.index(c["url"])))
    site = {"name": home.meta.get("SiteName") or re.split(r"\s*[_|\-—–]\s*", home.title)[0] or host,
            "home": home_final, "site_id_code": home.meta.get("SiteIDCode") or _site_id(home.text),
            "allowed_hosts": [host]}
    return Draft(site=site, columns=columns, fetched=fetched, log=list(fetcher.log),
                 sections=[{"name": _best_name(anchors.get(u, Counter()), views[u]), "url": u} for u in sections])


def _site_id(text: str) -> str | None:
    m = _SITE_ID.search(text or "")
    return m.group(1) if m else None


# ---------------------------------------------------------------- writing
def _q(value) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(value), ensure_ascii=False)


def render_toml(draft: Draft, *, user_agent: str = DEFAULT_UA, delay: float = 0.5) -> str:
    """The draft as a site config file (``portal_audit.config`` loads it), with comments for the editor."""
    site = draft.site
    out = [f"# Draft site config written by `portal-audit discover` on {date.today().isoformat()}",
           f"# from {site['home']} ({len(draft.columns)} columns in {len(draft.sections)} navigation pages).",
           "# 请逐个核对栏目名称、地址和类别 (类别由栏目名称推测), 补充 department (责任部门), 删除不需检查的栏目。",
           "# category: news 动态要闻 | notice 通知公告 | policy 政策文件 | personnel 人事 | plan 规划计划 |",
           "#           interaction 互动 | other", "",
           "[site]", f"name = {_q(site['name'])}", f"home = {_q(site['home'])}"]
    if site.get("site_id_code"):
        out.append(f"site_id_code = {_q(site['site_id_code'])}           # 网站标识码")
    else:
        out.append('# site_id_code = ""                 # 网站标识码: not found on the home page')
    out += ["allowed_hosts = [" + ", ".join(_q(h) for h in site["allowed_hosts"]) + "]", "",
            "[crawl]", "obey_robots = true", f"delay_seconds = {float(delay)}", f"user_agent = {_q(user_agent)}", ""]
    section = object()
    for col in draft.columns:
        if col["section"] != section:
            section = col["section"]
            out.append(f"# ---- {section or '首页'}")
        why = f"guessed from the name ({col['rule']})" if col["rule"] else "no rule matched the name"
        out += ["[[columns]]", f"name = {_q(col['name'])}", f"url = {_q(col['url'])}",
                f"category = {_q(col['category'])}              # {CATEGORY_LABELS[col['category']]}: {why}",
                f"official_documents = {'true' if col['official_documents'] else 'false'}",
                '# department = ""                  # 责任部门', ""]
    return "\n".join(out)
