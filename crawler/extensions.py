"""A progress line for long runs: pages crawled, targets checked, queue size, rate."""
from __future__ import annotations

import logging
import time

from scrapy import signals
from twisted.internet import task

logger = logging.getLogger("portal_audit.progress")


class Progress:
    def __init__(self, crawler, interval):
        self.crawler = crawler
        self.interval = interval
        self.task = None
        self.start = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("PORTAL_AUDIT_PROGRESS_INTERVAL", 10.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider):
        self.start = time.monotonic()
        if self.interval > 0:
            self.task = task.LoopingCall(self.report, spider)
            self.task.start(self.interval, now=False)

    def report(self, spider):
        stats = self.crawler.stats
        pages = stats.get_value("portal_audit/pages", 0)
        checked = stats.get_value("portal_audit/targets_checked", 0)
        queued = stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)
        elapsed = max(time.monotonic() - self.start, 1e-6)
        logger.info("进度: 已抓取页面 %d, 已检查链接 %d, 队列 %d, %.1f 请求/秒",
                    pages, checked, queued, stats.get_value("downloader/response_count", 0) / elapsed)

    def closed(self, spider, reason):
        if self.task and self.task.running:
            self.task.stop()
