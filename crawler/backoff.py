"""Retries with exponential backoff, for timeouts, connection errors and 5xx.

Scrapy's RetryMiddleware retries at once; a government server that is
struggling gets hit again immediately. This subclass waits
``RETRY_BACKOFF_BASE * 2 ** (attempt - 1)`` seconds (capped at
``RETRY_BACKOFF_MAX``) before handing the retry back. The wait does not hold
a download slot, so other hosts go on.

Settings: RETRY_BACKOFF_BASE (0.5), RETRY_BACKOFF_MAX (30); the usual
RETRY_ENABLED, RETRY_TIMES and RETRY_HTTP_CODES. Stats: ``retry/backoff_seconds``.
"""
from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based).

    >>> [backoff_delay(n, 0.5, 30) for n in (1, 2, 3, 10)]
    [0.5, 1.0, 2.0, 30]
    """
    return min(cap, base * 2 ** (attempt - 1))


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def _wait(self, result):
        if isinstance(result, Request):
            delay = backoff_delay(result.meta.get("retry_times", 1), self.base, self.cap)
            if delay > 0:
                self.crawler.stats.inc_value("retry/backoff_seconds", delay)
                await asyncio.sleep(delay)
        return result

    async def process_response(self, request, response, spider=None):
        return await self._wait(super().process_response(request, response))

    async def process_exception(self, request, exception, spider=None):
        return await self._wait(super().process_exception(request, exception))
