"""Honour 429 Too Many Requests and its Retry-After header.

Scrapy retries 429 blindly. This middleware instead reads Retry-After
(seconds or an HTTP date), slows the whole host down to that pace, and
retries the request, up to ``RETRY_AFTER_MAX_TIMES`` times. After that the
429 answer goes to the spider, which records the target as ``rate_limited``
(never as broken).

Once the host answers normally again, each good answer halves the extra
delay, back down to the configured pace.

Settings: RETRY_AFTER_MAX_TIMES (3), RETRY_AFTER_MAX_SECONDS (120),
RETRY_AFTER_DEFAULT_SECONDS (5). Set RETRY_AFTER_MAX_TIMES = 0 to switch it off.
Stats: ``retry_after/count``, ``retry_after/gave_up``.
"""
from __future__ import annotations

import email.utils
import time

from scrapy.exceptions import NotConfigured


def parse_retry_after(value: str | bytes | None, *, default: float, now: float | None = None) -> float:
    """Seconds to wait, from a Retry-After value (delta-seconds or HTTP-date).

    >>> parse_retry_after(b"3", default=5)
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", default=5, now=1445412470.0)
    10.0
    """
    if value is None:
        return default
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when is None:
        return default
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RetryAfterMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        self.max_times = settings.getint("RETRY_AFTER_MAX_TIMES", 3)
        if self.max_times <= 0:
            raise NotConfigured
        self.max_seconds = settings.getfloat("RETRY_AFTER_MAX_SECONDS", 120)
        self.default_seconds = settings.getfloat("RETRY_AFTER_DEFAULT_SECONDS", 5)
        self.crawler = crawler
        self.stats = crawler.stats
        self.base_delay = settings.getfloat("DOWNLOAD_DELAY", 0.0)
        self.slowed: set[str] = set()   # slot keys this middleware slowed down

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if response.status != 429 and not (response.status == 503 and b"Retry-After" in response.headers):
            if self.slowed and response.status < 400:
                self._recover(request)
            return response
        times = request.meta.get("retry_after_times", 0)
        if times >= self.max_times:
            self.stats.inc_value("retry_after/gave_up")
            return response
        wait = parse_retry_after(response.headers.get(b"Retry-After"), default=self.default_seconds)
        wait = min(wait, self.max_seconds)
        self._slow_down(request, wait)
        self.stats.inc_value("retry_after/count")
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = times + 1
        retry.meta["retry_after_wait"] = wait
        return retry

    def _slow_down(self, request, wait):
        """Space this host's requests by ``wait`` seconds from now on."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, wait)
            slot.jitter = 0
            self.slowed.add(key)

    def _recover(self, request):
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key) if key in self.slowed else None
        if slot is None:
            return
        slot.delay = max(self.base_delay, slot.delay / 2)
        if slot.delay <= self.base_delay + 0.01:
            slot.delay = self.base_delay
            self.slowed.discard(key)
