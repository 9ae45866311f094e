"""One page, one pass: turn a parsed HTML tree into a plain page record.

The tree is parsed once (Scrapy's parsel selector already holds it) and every
field the checks need is taken here, so no check parses HTML again. The
record's shape is documented in ``portal_audit.records``.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from w3lib.url import safe_url_string

from . import cms
from .dates import date_sources, find_date, pick_date

ATTACHMENT_EXTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".zip", ".rar", ".7z",
                   ".ppt", ".pptx", ".txt", ".csv", ".et", ".ofd", ".ceb")
PAGE_TAGS = {"a", "area", "iframe", "frame"}
# tag -> attributes holding a link target
LINK_ATTRS = {"a": ("href",), "area": ("href",), "img": ("src",), "script": ("src",),
              "link": ("href",), "iframe": ("src",), "frame": ("src",), "embed": ("src",),
              "source": ("src",), "object": ("data",)}
_OTHER_SCHEME = re.compile(r"(?!https?:)[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)")   # ftp:, news:, weixin: …
UNSUPPORTED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "about:")
CONTENT_XPATH = ("//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]"
                 " | //*[@id='zoom'] | //div[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]"
                 " | //*[@id='UCAP-CONTENT'] | //div[@class='content' or @id='content'] | //article")
BOILERPLATE_XPATH = ("//script | //style | //noscript | //template"
                     " | //*[self::nav or self::header or self::footer]"
                     " | //*[contains(@class,'footer') or contains(@id,'footer') or @class='foot' or @id='foot']"
                     " | //*[contains(@class,'nav') or contains(@id,'nav') or contains(@class,'header') or @id='header']"
                     " | //*[contains(@class,'breadcrumb') or contains(@class,'position') or contains(@class,'location')]")
FOOTER_XPATH = ("//footer | //*[contains(@class,'footer') or contains(@id,'footer') or @class='foot' or @id='foot']")
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
              "h6", "table", "ul", "ol", "dl", "section", "article", "blockquote", "pre", "hr",
              "form", "header", "footer", "nav", "title"}
METADATA_LABELS = ("索引号", "发布机构", "发文机关", "发文单位", "成文日期", "发布日期", "发布时间", "发表时间",
                   "文号", "发文字号", "主题分类", "有效性", "效力状态", "时效性", "生效日期", "废止日期", "失效日期",
                   "有效期至", "有效期", "公开方式", "公开范围", "体裁分类", "组配分类",
                   # letters of interaction columns (区长信箱, 留言板): their date, status and reply
                   "来信日期", "来信时间", "留言时间", "留言日期", "提问时间", "办理状态", "处理状态", "回复状态",
                   "状态", "回复单位", "答复单位", "回复日期", "回复时间", "答复日期", "答复时间", "办结日期",
                   "办结时间", "来信内容", "留言内容", "回复内容", "答复内容")
_LABELS_LONGEST_FIRST = sorted(METADATA_LABELS, key=len, reverse=True)
_LABEL_RE = re.compile(r"(?P<label>" + "|".join(_LABELS_LONGEST_FIRST) + r")\s*[：:]\s*")
# a label alone on its line (a <th> without a colon), its value on the next line
_BARE_LABEL_RE = re.compile(r"^(?P<label>" + "|".join(_LABELS_LONGEST_FIRST) + r")\s*$")
# a date value ends at its date (and time): "2020-12-01 09:30 来源：…" -> "2020-12-01 09:30"
_DATE_VALUE_RE = re.compile(r"^\[?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\]?"
                            r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_DATELINE_RE = re.compile(r"(?:发布|发表|更新)(?:时间|日期)\s*[：:]\s*([^\n]{6,30})")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None) | {0xa0: " ", 0x3000: " "}
_WS_RE = re.compile(r"[ \t\r\f\v]+")


def clean_text(text: str) -> str:
    """Drop zero-width characters, turn nbsp and ideographic space into spaces, fold runs."""
    text = text.translate(_INVISIBLE)
    text = _WS_RE.sub(" ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def block_text(el) -> str:
    """Text of an element, with a newline at block boundaries and inline tags joined.

    A word split across ``<span>`` elements stays whole; table cells and
    paragraphs stay apart, so label/value pairs can be read line by line.
    """
    parts = []

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript", "template"):
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(el)
    return clean_text("".join(parts))


def normalise_link(href: str, base: str) -> str | None:
    """Resolve a link target the way a browser would; None for a non-fetchable one.

    Backslashes become slashes, spaces and Chinese characters are percent-encoded,
    protocol-relative links take the page's scheme, the fragment is dropped.
    """
    href = href.strip().replace("\\", "/")
    if not href or href.startswith("#"):
        return None
    if href.lower().startswith(UNSUPPORTED_SCHEMES):
        return None
    try:
        url = urljoin(base, href)
        url = url.split("#", 1)[0]
        url = safe_url_string(url, encoding="utf-8")
        parts = urlsplit(url)
        parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def link_kind(tag: str, url: str, allowed_hosts) -> str:
    path = urlsplit(url).path.lower()
    if path.endswith(ATTACHMENT_EXTS):
        return "attachment"
    if tag in PAGE_TAGS and host_of(url) in allowed_hosts:
        return "page"
    if tag in PAGE_TAGS:
        return "external"
    return "resource"


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def collect_links(root, base: str, allowed_hosts) -> list[dict]:
    links = []
    for el in root.iter(*LINK_ATTRS):
        for attr in LINK_ATTRS[el.tag]:
            raw = el.get(attr)
            if raw is None:
                continue
            text = clean_text(el.text_content() if el.tag in ("a", "area") else (el.get("alt") or el.get("title") or ""))[:200]
            stripped = raw.strip()
            if not stripped or stripped.startswith("#") or stripped.lower().startswith(UNSUPPORTED_SCHEMES) \
                    or _OTHER_SCHEME.match(stripped):
                links.append({"url": stripped, "tag": el.tag, "text": text, "kind": "unsupported"})
                continue
            url = normalise_link(stripped, base)
            if url is None:
                links.append({"url": stripped, "tag": el.tag, "text": text, "kind": "bad_url"})
                continue
            links.append({"url": url, "tag": el.tag, "text": text, "kind": link_kind(el.tag, url, allowed_hosts)})
    return links


_CHROME_RE = re.compile(r"nav|menu|side|header|footer|foot|position|breadcrumb|location|friend|yqlj|pager|page-?bar|share|tool", re.I)
_INDEX_PAGE_RE = re.compile(r"(?:/|/(?:index|default)(?:_\d+)?\.\w+)$", re.I)


def _in_chrome(el) -> bool:
    """Inside navigation, header, footer, side menus or pagers: not a content list."""
    for anc in el.iterancestors():
        marker = (anc.get("class") or "") + " " + (anc.get("id") or "")
        if anc.tag in ("nav", "header", "footer") or (marker.strip() and _CHROME_RE.search(marker)):
            return True
    return False


def list_items(root, base: str) -> list[dict]:
    """List entries: an element (li, tr, dd) whose links all lead to one item page.

    Navigation, side menus, footers and pagers are not lists; links to other
    list pages (index.html, index_2.html) are not items.
    """
    items = []
    seen = set()
    for row in root.iter("li", "tr", "dd"):
        targets = {}
        for a in row.iter("a"):
            url = normalise_link(a.get("href") or "", base)
            if url:
                targets.setdefault(url, []).append(a)
        if len(targets) != 1:
            continue
        url, anchors = next(iter(targets.items()))
        if url in seen or _INDEX_PAGE_RE.search(urlsplit(url).path) or _in_chrome(row):
            continue
        text = clean_text(row.text_content())
        titles = [clean_text(a.get("title") or a.text_content()) for a in anchors]
        title = max(titles, key=len) if titles else ""
        if not title:
            continue
        d = find_date(text.replace(title, " "))
        seen.add(url)
        items.append({"url": url, "title": title, "date": d.isoformat() if d else None,
                      "date_raw": text[:80]})
    return items


def read_metadata(text: str) -> dict:
    """信息公开目录 fields and letter fields written as table cells, a <dl>, or label：value text.

    A label followed by a colon takes the rest of its line (up to the next
    label); a label alone on its line (a ``<th>`` with no colon) takes the next
    line. Date values stop at the date and time: ``2020-12-01 09:30 来源：…``
    gives ``2020-12-01 09:30``.
    """
    found = {}
    matches = list(_LABEL_RE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end].strip()
        value = value.split("\n", 1)[0].strip() if value else ""
        label = m.group("label")
        if label not in found or not found[label]:
            found[label] = _trim_value(label, value)[:120]
    lines = text.split("\n")
    for i, line in enumerate(lines[:-1]):
        m = _BARE_LABEL_RE.match(line.strip())
        if not m or found.get(m.group("label")):
            continue
        value = lines[i + 1].strip()
        if value and not _BARE_LABEL_RE.match(value) and not _LABEL_RE.match(value):
            found[m.group("label")] = _trim_value(m.group("label"), value)[:120]
    return found


def _trim_value(label: str, value: str) -> str:
    if label.endswith(("日期", "时间", "有效期至")):
        m = _DATE_VALUE_RE.match(value)
        if m:
            return m.group(0).strip()
    return value


def page_date(meta_tags, metadata, text, url):
    """The page's publish date and where it came from.

    Every source is read (``crawler.dates.date_sources``); the one a reader
    sees first wins: the 目录 metadata's 发布日期, the 发布时间 line, the
    PubDate tag, the URL, and last the 成文日期.
    """
    return pick_date(date_sources(meta_tags, metadata, text, url, dateline_re=_DATELINE_RE))


def extract_page(root, url: str, *, final_url: str | None = None, status: int = 200,
                 encoding: str = "utf-8", allowed_hosts=()) -> dict:
    """Build the page record from an lxml tree (parsed once, by the caller)."""
    final_url = final_url or url
    base = final_url
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = urljoin(final_url, base_el.get("href").strip())
    meta_tags = {}
    for m in root.iter("meta"):
        name = m.get("name")
        if name:
            meta_tags.setdefault(name.strip(), (m.get("content") or "").strip())
    title_el = root.find(".//title")
    title = clean_text(title_el.text_content()) if title_el is not None else ""
    h1 = root.find(".//h1")
    if meta_tags.get("ArticleTitle"):
        title = meta_tags["ArticleTitle"]
    elif h1 is not None and clean_text(h1.text_content()):
        title = clean_text(h1.text_content())

    links = collect_links(root, base, allowed_hosts)

    scripts = "\n".join(s.text or "" for s in root.iter("script"))
    pager = cms.trs_pager(scripts, base)
    items = list_items(root, base)
    records = cms.hanweb_records(scripts)
    if records:
        hanweb = cms.hanweb_pager(scripts, base)
        if hanweb:
            pager = hanweb
        items += fragment_items(records, base, allowed_hosts, links)
    if pager is None:
        pager = plain_pager(links, final_url)

    footer_text = "\n".join(block_text(f) for f in root.xpath(FOOTER_XPATH))
    content = root.xpath(CONTENT_XPATH)
    if content:
        main = content[0]
        body_text = block_text(main)
        meta_scope = block_text(main.getparent() if main.getparent() is not None else main)
    else:
        body_text = _text_without_boilerplate(root)
        meta_scope = body_text
    metadata = read_metadata(meta_scope)
    publish_date, date_source = page_date(meta_tags, metadata, meta_scope, final_url)
    return {
        "url": url, "final_url": final_url, "status": status, "encoding": encoding,
        "page_type": "other", "column": None, "list_page_no": None,
        "title": title, "publish_date": publish_date, "date_source": date_source,
        "body_text": body_text, "metadata": metadata, "meta_tags": meta_tags,
        "footer_text": footer_text, "links": links, "list_items": items, "pager": pager,
    }


def _text_without_boilerplate(root) -> str:
    body = root.find(".//body")
    if body is None:
        body = root
    # work on a copy: the caller's tree stays whole for other uses
    body = lxml.html.fromstring(lxml.html.tostring(body, encoding="unicode"))
    for el in body.xpath(BOILERPLATE_XPATH.replace("//", ".//")):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    return block_text(body)


def fragment_items(fragments, base, allowed_hosts, links_out) -> list[dict]:
    """List items and links from HTML fragments (Hanweb records)."""
    items = []
    for frag in fragments:
        try:
            el = lxml.html.fragment_fromstring(frag, create_parent="ul")
        except Exception:  # broken record markup: skip it, keep the rest
            continue
        links_out.extend(collect_links(el, base, allowed_hosts))
        items.extend(list_items(el, base))
    return items


_PAGED_RE = re.compile(r"(?:^|/)(index|default|list)(?:_(\d+))?\.(s?html?|jsp|php|aspx?)$")


def plain_pager(links, page_url) -> dict | None:
    """A plain pager (index_2.html …): links to sibling list pages of the same name."""
    m = _PAGED_RE.search(urlsplit(page_url).path)
    if not m:
        return None
    name = m.group(1)
    directory = page_url.rsplit("/", 1)[0] + "/"
    pages = set()
    for link in links:
        u = link["url"]
        if link["kind"] == "page" and u.startswith(directory):
            mm = _PAGED_RE.search(urlsplit(u).path)
            if mm and mm.group(1) == name and "/" not in u[len(directory):]:
                pages.add(u)
    if not pages:
        return None
    return {"kind": "plain", "total_pages": None, "current": int(m.group(2) or 1), "urls": sorted(pages)}


def dataproxy_items(xml_text: str, base: str, allowed_hosts) -> tuple[list[dict], list[dict]]:
    """Items and links from a Hanweb dataproxy.jsp answer."""
    links: list[dict] = []
    items = fragment_items(cms.hanweb_records(xml_text), base, allowed_hosts, links)
    return items, links
