"""The portal spider: columns, list pages (TRS, Hanweb, plain), articles, and every link target.

Run it through ``portal-audit run CONFIG`` or ``scrapy crawl portal -a config=site.toml``.
Pages on the site's allowed hosts are crawled in full; every other target
(external pages, attachments, images, scripts) is checked once per run, HEAD
first and GET where HEAD is refused. Redirects are followed here, hop by hop,
so chains are recorded and loops are caught.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import HtmlResponse, TextResponse

from crawler import extract, linkstatus
from portal_audit.config import SiteConfig, load_config

HTML_PATH_RE = re.compile(r"(/|\.s?html?|\.jsp|\.php|\.aspx?|\.do|/[^./]*)$", re.I)
HEAD_REFUSED = (405, 501)


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, config=None, run_id=None, max_pages=0, **kwargs):
        super().__init__(**kwargs)
        if config is None:
            raise ValueError("give the site config: scrapy crawl portal -a config=site.toml")
        self.site: SiteConfig = config if isinstance(config, SiteConfig) else load_config(config)
        self.run_id = int(run_id) if run_id is not None else None
        self.allowed = set(self.site.allowed_hosts)
        self.home = extract.normalise_link(self.site.home, self.site.home)
        self.column_urls = {}
        for col in self.site.columns:
            self.column_urls[extract.normalise_link(col["url"], col["url"])] = col["name"]
        self.seen: set[str] = set()          # every URL requested once per run
        self.emitted_pages: set[str] = set()
        self.max_pages = int(max_pages or self.site.crawl.get("max_pages") or 0)
        self.page_count = 0

    @property
    def soft404_phrases(self):
        return self.settings.getlist("SOFT404_PHRASES")

    # -- requests -------------------------------------------------------
    async def start(self):
        yield self._page_request(self.home, meta={"page_type": "home"}, priority=100)
        for url, name in self.column_urls.items():
            yield self._page_request(url, meta={"column": name, "list_page_no": 1}, priority=50)

    def _meta(self, purpose, url, meta=None):
        m = {"purpose": purpose, "origin": url, "chain": [], "dont_redirect": True,
             "handle_httpstatus_all": True}
        if meta:
            m.update(meta)
        return m

    def _page_request(self, url, meta=None, priority=0):
        self.seen.add(url)
        return scrapy.Request(url, callback=self.on_response, errback=self.on_error,
                              meta=self._meta("page", url, meta), dont_filter=True, priority=priority)

    def _check_request(self, url, method=None):
        self.seen.add(url)
        path = urlsplit(url).path
        if method is None:
            method = "GET" if (HTML_PATH_RE.search(path) or not path) and not path.lower().endswith(extract.ATTACHMENT_EXTS) else "HEAD"
        return scrapy.Request(url, method=method, callback=self.on_response, errback=self.on_error,
                              meta=self._meta("check", url, {"download_maxsize": 2 * 1024 * 1024}),
                              dont_filter=True, priority=-10)

    def follow_links(self, links, column=None, from_list=False):
        """Requests for the targets of one page's links, each target once per run."""
        for link in links:
            url, kind = link["url"], link["kind"]
            if kind == "unsupported" or url in self.seen:
                continue
            if kind == "bad_url":
                self.seen.add(url)
                yield {"_type": "link_status", **linkstatus.LinkStatus(url, "broken", "bad_url", error="malformed URL").to_dict()}
                continue
            if kind == "page":
                if self.max_pages and self.page_count >= self.max_pages:
                    continue
                meta = {}
                if url in self.column_urls:
                    meta = {"column": self.column_urls[url], "list_page_no": 1}
                yield self._page_request(url, meta=meta)
            else:
                yield self._check_request(url)

    # -- responses ------------------------------------------------------
    def on_response(self, response):
        meta = response.meta
        if 300 <= response.status < 400 and response.headers.get(b"Location"):
            yield from self._redirect(response)
            return
        purpose = meta["purpose"]
        if purpose == "check":
            yield from self._checked(response)
        elif purpose == "dataproxy":
            yield from self._dataproxy(response)
        else:
            yield from self._page(response)

    def _redirect(self, response):
        meta = response.meta
        location = response.headers[b"Location"].decode("latin-1")
        target = extract.normalise_link(location, response.url) or response.url
        chain = meta["chain"] + [[response.status, response.url]]
        visited = {u for _, u in chain}
        origin = meta["origin"]
        if target in visited:
            yield self._status(linkstatus.LinkStatus(origin, "broken", "redirect_loop", status_code=response.status,
                                                     final_url=target, redirect_chain=chain, method=response.request.method))
            return
        if len(chain) >= self.settings.getint("REDIRECT_MAX_TIMES", 10):
            yield self._status(linkstatus.LinkStatus(origin, "broken", "too_many_redirects", status_code=response.status,
                                                     final_url=target, redirect_chain=chain, method=response.request.method))
            return
        purpose = meta["purpose"]
        if purpose == "page" and extract.host_of(target) not in self.allowed:
            purpose = "check"   # a page redirected off-site: check it, never crawl it
        method = response.request.method if response.status in (307, 308) or response.request.method == "HEAD" else "GET"
        new_meta = dict(meta, chain=chain, purpose=purpose)
        for key in ("retry_times", "retry_after_times", "download_slot", "download_latency", "depth"):
            new_meta.pop(key, None)
        yield response.request.replace(url=target, method=method, meta=new_meta, dont_filter=True, body=b"")

    def _status(self, status: linkstatus.LinkStatus):
        self.crawler.stats.inc_value("portal_audit/targets_checked")
        self.crawler.stats.inc_value(f"portal_audit/outcome/{status.outcome}" + (f"/{status.reason}" if status.reason else ""))
        return {"_type": "link_status", **status.to_dict()}

    def _is_soft_404(self, response) -> bool:
        if not isinstance(response, TextResponse):
            return False
        title = " ".join(response.xpath("//title//text()").getall())
        if any(p in title for p in self.soft404_phrases):
            return True
        text = " ".join(t.strip() for t in response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall())
        return len(text) < 1000 and any(p in text for p in self.soft404_phrases)

    def _checked(self, response):
        meta, request = response.meta, response.request
        if request.method == "HEAD" and (response.status in HEAD_REFUSED or response.status >= 400) \
                and response.status not in (429,) and not meta.get("head_fallback"):
            new_meta = dict(meta, head_fallback=True)
            for key in ("retry_times", "retry_after_times", "download_slot", "download_latency"):
                new_meta.pop(key, None)
            yield request.replace(method="GET", meta=new_meta, dont_filter=True)
            return
        soft = response.status == 200 and request.method == "GET" and self._is_soft_404(response)
        yield self._status(linkstatus.from_status(meta["origin"], response.status, final_url=response.url,
                                                  chain=meta["chain"], method=request.method, soft_404=soft))

    def _page(self, response):
        meta = response.meta
        origin = meta["origin"]
        if response.status != 200 or not isinstance(response, HtmlResponse):
            soft = False
            yield self._status(linkstatus.from_status(origin, response.status, final_url=response.url,
                                                      chain=meta["chain"], method="GET"))
            return
        if self._is_soft_404(response):
            yield self._status(linkstatus.from_status(origin, 200, final_url=response.url, chain=meta["chain"],
                                                      method="GET", soft_404=True))
            return
        yield self._status(linkstatus.from_status(origin, 200, final_url=response.url, chain=meta["chain"], method="GET"))
        if response.url in self.emitted_pages:
            return
        self.emitted_pages.add(response.url)
        if response.url != origin:
            self.seen.add(response.url)
        try:
            record = extract.extract_page(response.selector.root, response.url, final_url=response.url,
                                          status=response.status, encoding=response.encoding,
                                          allowed_hosts=self.allowed)
        except Exception as exc:  # one unreadable page must not stop the crawl
            self.logger.warning("could not read %s: %s: %s", response.url, type(exc).__name__, exc)
            self.crawler.stats.inc_value("portal_audit/extract_errors")
            return
        record["url"] = response.url
        column = meta.get("column")
        if response.url == self.home or meta.get("page_type") == "home":
            record["page_type"] = "home"
        elif meta.get("list_page_no"):
            record["page_type"] = "column"
            record["list_page_no"] = meta["list_page_no"]
            record["column"] = column
        elif "ArticleTitle" in record["meta_tags"]:
            record["page_type"] = "article"
        self.page_count += 1
        self.crawler.stats.inc_value("portal_audit/pages")
        yield {"_type": "page", **record}

        list_column = column if meta.get("list_page_no") else None
        if list_column:
            yield from self._list_items(record["list_items"], list_column, response.url)
            pager = record.get("pager") or {}
            for url in pager.get("urls", []):
                if pager.get("kind") == "hanweb":
                    if url not in self.seen:
                        self.seen.add(url)
                        yield scrapy.Request(url, callback=self.on_response, errback=self.on_error, dont_filter=True,
                                             meta=self._meta("dataproxy", url, {"column": list_column}), priority=20)
                elif url not in self.seen and extract.host_of(url) in self.allowed:
                    no = meta["list_page_no"] + 1
                    yield self._page_request(url, meta={"column": list_column, "list_page_no": no}, priority=20)
        yield from self.follow_links(record["links"])

    def _list_items(self, items, column, list_url):
        for item in items:
            if extract.host_of(item["url"]) not in self.allowed and not item["url"].startswith(("http://", "https://")):
                continue
            yield {"_type": "column_item", "column": column, "url": item["url"], "title": item["title"],
                   "list_date": item["date"], "date_raw": item["date_raw"], "list_url": list_url}

    def _dataproxy(self, response):
        meta = response.meta
        yield self._status(linkstatus.from_status(meta["origin"], response.status, final_url=response.url,
                                                  chain=meta["chain"], method="GET"))
        if response.status != 200:
            return
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        items, links = extract.dataproxy_items(text, response.url, self.allowed)
        yield from self._list_items(items, meta["column"], response.url)
        yield from self.follow_links(links)

    def on_error(self, failure):
        request = failure.request
        meta = request.meta
        origin = meta.get("origin", request.url)
        status = linkstatus.from_exception(origin, failure.value, chain=meta.get("chain", []), method=request.method)
        if status.outcome == "skipped":
            self.crawler.stats.inc_value("portal_audit/robots_skipped")
        yield self._status(status)
