"""List-page patterns that content management systems emit only in scripts.

- TRS WCM pagers: ``createPageHTML(13, 0, "index", "html")``, the later pages
  exist only as ``index_1.html`` … ``index_12.html``, never as <a> links.
- Hanweb (大汉) lists: items live only inside
  ``<script type="text/xml"><datastore>…<record><![CDATA[…]]></record>``, and
  records past the first batch come from ``/module/web/jpage/dataproxy.jsp``.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urljoin

_TRS_CALL = re.compile(
    r"createPageHTML\(\s*([\w.]+)\s*,\s*([\w.]+)\s*,\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"]")
_VAR = r"var\s+{name}\s*=\s*['\"]?(\d+)"
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_JPAGE = re.compile(r"jpage\(\s*(\{.*?\})\s*\)", re.S)
_TOTAL_RECORD = re.compile(r"totalRecord\W{1,3}(\d+)", re.I)
_XML_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)


def _number(token: str, script: str) -> int | None:
    if token.isdigit():
        return int(token)
    m = re.search(_VAR.format(name=re.escape(token)), script)
    return int(m.group(1)) if m else None


def trs_pager(script: str, page_url: str) -> dict | None:
    """Read a TRS ``createPageHTML`` call; return the pager and every list-page URL.

    >>> trs_pager('createPageHTML(3, 0, "index", "html");', "http://x/gzdt/index.html")["urls"]
    ['http://x/gzdt/index.html', 'http://x/gzdt/index_1.html', 'http://x/gzdt/index_2.html']
    """
    m = _TRS_CALL.search(script)
    if not m:
        return None
    total, current = _number(m.group(1), script), _number(m.group(2), script)
    if total is None:
        return None
    name, ext = m.group(3), m.group(4)
    total = min(total, 100_000)  # an absurd count must not explode the crawl
    urls = [urljoin(page_url, f"{name}.{ext}")]
    urls += [urljoin(page_url, f"{name}_{i}.{ext}") for i in range(1, total)]
    return {"kind": "trs", "total_pages": total, "current": (current or 0) + 1, "urls": urls}


def hanweb_records(text: str) -> list[str]:
    """The HTML fragments held in Hanweb ``<record><![CDATA[…]]></record>`` blocks."""
    return _RECORD.findall(text)


def hanweb_pager(script: str, page_url: str) -> dict | None:
    """Read a Hanweb jpage setup; return the total and the dataproxy URLs for the later batches."""
    m = _JPAGE.search(script)
    conf = {}
    if m:
        try:
            conf = json.loads(m.group(1))
        except ValueError:
            conf = {}
    total = conf.get("totalRecord")
    if total is None:
        t = _TOTAL_RECORD.search(script)
        total = int(t.group(1)) if t else None
    if total is None:
        return None
    total = min(int(total), 1_000_000)
    per_page = int(conf.get("perPage", 20) or 20)
    batch = per_page * int(conf.get("groupSize", 3) or 3)
    proxy = urljoin(page_url, conf.get("proxyUrl", "/module/web/jpage/dataproxy.jsp"))
    extra = {k: conf[k] for k in ("columnid", "unitid", "webid") if k in conf}
    urls = []
    for start in range(batch + 1, total + 1, batch):
        query = {"startrecord": start, "endrecord": min(start + batch - 1, total), "perpage": per_page, **extra}
        urls.append(f"{proxy}?{urlencode(query)}")
    pages = -(-total // per_page) if per_page else 0
    return {"kind": "hanweb", "total_pages": pages, "total_items": total, "current": 1, "urls": urls}


def hanweb_total(xml_text: str) -> int | None:
    m = _XML_TOTAL.search(xml_text)
    return int(m.group(1)) if m else None
