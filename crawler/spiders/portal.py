"""The portal spider: columns, list pages (TRS, Hanweb, plain), articles, and every link target.

Run it through ``portal-audit run CONFIG`` or ``scrapy crawl portal -a config=site.toml``.
Pages on the site's allowed hosts are crawled in full; every other target
(external pages, attachments, images, scripts) is checked once per run, HEAD
first and GET where HEAD is refused. Redirects are followed here, hop by hop,
so chains are recorded and loops are caught.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.http import HtmlResponse, TextResponse

from crawler import extract, linkstatus
from portal_audit.config import SiteConfig, load_config

READABLE_ATTACHMENTS = (".pdf", ".docx", ".xlsx")   # text is read from these for the privacy check
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
        self.skip_patterns = [re.compile(p) for p in self.site.crawl.get("skip_patterns", [])]
        self.read_attachments = bool(self.site.crawl.get("read_attachments", True))
        self.probed_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_headers, signal=signals.headers_received)
        crawler.signals.connect(spider.on_bytes, signal=signals.bytes_received)
        return spider

    # -- reading no more than needed ------------------------------------
    @property
    def max_bytes(self) -> int:
        return int(self.site.crawl.get("max_response_bytes") or 10 * 1024 * 1024)

    def on_headers(self, headers, body_length, request, spider):
        """Stop after the headers when the body is not needed, or is too large to read."""
        if request.meta.get("headers_only"):
            raise StopDownload(fail=False)
        if body_length and body_length > self.max_bytes:
            request.meta["oversize"] = body_length
            raise StopDownload(fail=False)

    def on_bytes(self, data, request, spider):
        """An endless or huge body: stop at the limit and keep what came."""
        got = request.meta.get("bytes_received", 0) + len(data)
        request.meta["bytes_received"] = got
        if got > self.max_bytes:
            request.meta["oversize"] = got
            raise StopDownload(fail=False)

    @property
    def soft404_phrases(self):
        return self.settings.getlist("SOFT404_PHRASES") + list(self.site.crawl.get("soft404_phrases", []))

    # -- requests -------------------------------------------------------
    async def start(self):
        state = getattr(self, "state", None)   # set by Scrapy's SpiderState when the run has a JOBDIR
        if state is not None:
            # a resumed run carries on from what it had seen; its queue holds the rest
            self.seen = state.setdefault("seen", self.seen)
            self.emitted_pages = state.setdefault("emitted_pages", self.emitted_pages)
            self.probed_hosts = state.setdefault("probed_hosts", self.probed_hosts)
            if state.get("started"):
                self.logger.info("resuming: %d URLs already requested", len(self.seen))
                return
            state["started"] = True
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
        html_like = (HTML_PATH_RE.search(path) or not path) and not path.lower().endswith(extract.ATTACHMENT_EXTS)
        if method is None:
            # an HTML page is read (soft 404s hide in bodies); anything else needs its headers only
            method = "GET" if html_like else "HEAD"
        return scrapy.Request(url, method=method, callback=self.on_response, errback=self.on_error,
                              meta=self._meta("check", url, {"headers_only": not html_like}),
                              dont_filter=True, priority=-10)

    def _probe_request(self, url):
        """Once per host: ask for a page that cannot exist, to learn the host's own not-found page."""
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host in self.probed_hosts:
            return None
        self.probed_hosts.add(host)
        probe = f"{parts.scheme}://{parts.netloc}/portal-audit-probe-{secrets.token_hex(6)}.html"
        return scrapy.Request(probe, callback=self.on_probe, errback=self.on_probe_error, dont_filter=True,
                              priority=200, meta={"dont_redirect": True, "handle_httpstatus_all": True,
                                                  "dont_retry": True, "host": host})

    def on_probe(self, response):
        signature = visible_signature(response) if response.status == 200 else None
        yield {"_type": "probe", "host": response.meta["host"], "status": response.status, "signature": signature}

    def on_probe_error(self, failure):
        yield {"_type": "probe", "host": failure.request.meta["host"], "status": None, "signature": None}

    def follow_links(self, links, column=None, from_list=False):
        """Requests for the targets of one page's links, each target once per run."""
        for link in links:
            url, kind = link["url"], link["kind"]
            if kind == "unsupported" or url in self.seen:
                continue
            if kind == "bad_url":
                self.seen.add(url)
                yield self._status(linkstatus.LinkStatus(url, "broken", "bad_url", error="malformed URL"))
                continue
            if any(p.search(url) for p in self.skip_patterns):
                self.seen.add(url)
                yield self._status(linkstatus.skipped(url, "excluded by crawl.skip_patterns"))
                continue
            if self.settings.getbool("SOFT404_PROBE", True):
                probe = self._probe_request(url)
                if probe is not None:
                    yield probe
            if kind == "page":
                if self.max_pages and self.page_count >= self.max_pages:
                    continue
                meta = {}
                if url in self.column_urls:
                    meta = {"column": self.column_urls[url], "list_page_no": 1}
                yield self._page_request(url, meta=meta)
            elif kind == "attachment" and self.read_attachments and extract.host_of(url) in self.allowed \
                    and urlsplit(url).path.lower().endswith(READABLE_ATTACHMENTS):
                self.seen.add(url)
                yield scrapy.Request(url, callback=self.on_response, errback=self.on_error, dont_filter=True,
                                     meta=self._meta("attachment", url), priority=-5)
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
        elif purpose == "attachment":
            yield from self._attachment(response)
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

    def _status(self, status: linkstatus.LinkStatus) -> dict:
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
            new_meta = dict(meta, head_fallback=True, headers_only=True)
            for key in ("retry_times", "retry_after_times", "download_slot", "download_latency"):
                new_meta.pop(key, None)
            yield request.replace(method="GET", meta=new_meta, dont_filter=True)
            return
        readable = response.status == 200 and request.method == "GET" and not meta.get("headers_only") \
            and "oversize" not in meta
        soft = readable and self._is_soft_404(response)
        status = linkstatus.from_status(meta["origin"], response.status, final_url=response.url,
                                        chain=meta["chain"], method=request.method, soft_404=soft)
        if "oversize" in meta:
            status.error = f"larger than {self.max_bytes} bytes: not read in full"
        if readable and isinstance(response, TextResponse):
            status.signature = visible_signature(response)
        yield self._status(status)

    def _page(self, response):
        meta = response.meta
        origin = meta["origin"]
        if response.status != 200 or not isinstance(response, HtmlResponse):
            yield self._status(linkstatus.from_status(origin, response.status, final_url=response.url,
                                                      chain=meta["chain"], method="GET"))
            return
        if self._is_soft_404(response):
            yield self._status(linkstatus.from_status(origin, 200, final_url=response.url, chain=meta["chain"],
                                                      method="GET", soft_404=True))
            return
        status = linkstatus.from_status(origin, 200, final_url=response.url, chain=meta["chain"], method="GET")
        status.signature = visible_signature(response)
        if "oversize" in meta:
            status.error = f"larger than {self.max_bytes} bytes: read only the first part"
            self.crawler.stats.inc_value("portal_audit/oversize_pages")
        yield self._status(status)
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
        pager = record.get("pager") or {}
        if meta.get("list_page_no"):
            # script-only list pages and Hanweb data are link targets of this page too
            tag = "dataproxy" if pager.get("kind") == "hanweb" else "pager"
            listed = {l["url"] for l in record["links"]}
            record["links"] += [{"url": u, "tag": tag, "text": "", "kind": "page"}
                                for u in pager.get("urls", []) if u not in listed and u != response.url]
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
            for url in pager.get("urls", []):
                if pager.get("kind") == "hanweb":
                    if url not in self.seen:
                        self.seen.add(url)
                        yield scrapy.Request(url, callback=self.on_response, errback=self.on_error, dont_filter=True,
                                             meta=self._meta("dataproxy", url, {"column": list_column}), priority=20)
                elif url not in self.seen and extract.host_of(url) in self.allowed:
                    no = meta["list_page_no"] + 1
                    yield self._page_request(url, meta={"column": list_column, "list_page_no": no}, priority=20)
        yield from self.follow_links([l for l in record["links"] if l["tag"] not in ("pager", "dataproxy")])

    def _attachment(self, response):
        """An attachment on the site's own host: its status, and its text as a page record (for privacy checks)."""
        meta = response.meta
        status = linkstatus.from_status(meta["origin"], response.status, final_url=response.url,
                                        chain=meta["chain"], method="GET")
        if "oversize" in meta:
            status.error = f"larger than {self.max_bytes} bytes: not read"
        yield self._status(status)
        if response.status != 200 or "oversize" in meta or response.url in self.emitted_pages:
            return
        from crawler.attachments import attachment_text
        self.emitted_pages.add(response.url)
        filename = urlsplit(response.url).path.rsplit("/", 1)[-1]
        text = attachment_text(response.body, filename)
        self.crawler.stats.inc_value("portal_audit/attachments_read")
        yield {"_type": "page", "url": response.url, "final_url": response.url, "status": 200,
               "encoding": None, "page_type": "attachment", "column": None, "list_page_no": None,
               "title": filename, "publish_date": None, "date_source": None, "body_text": text,
               "metadata": {}, "meta_tags": {}, "footer_text": "", "links": [], "list_items": [], "pager": None}

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


_ASCII_RUN = re.compile(r"[A-Za-z0-9_./:%?=&#-]+")


def visible_signature(response) -> str | None:
    """A fingerprint of a page's visible text, blind to echoed paths, numbers and dates.

    Two answers of one host's not-found page share it even when each echoes
    the requested URL; ``crawler.linkstatus.learned_soft_404`` compares them.
    """
    if not isinstance(response, TextResponse):
        return None
    try:
        texts = response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall()
    except Exception:  # not parseable as HTML
        return None
    text = _ASCII_RUN.sub("", "".join(texts))
    text = re.sub(r"\s+", "", text)[:4000]
    if not text:
        return None
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
