"""Run the portal spider in this process with settings taken from the site config."""
from __future__ import annotations

import logging

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.spiders.portal import PortalSpider
from portal_audit.config import SiteConfig


def crawl_settings(config: SiteConfig, db_path: str, run_id: int, *, log_level="INFO", extra=None) -> Settings:
    """Scrapy settings for one audit run: defaults, then the config's [crawl] table."""
    s = Settings()
    s.setmodule(default_settings, priority="project")
    crawl = config.crawl
    s.update({
        "USER_AGENT": crawl["user_agent"],
        "ROBOTSTXT_OBEY": crawl["obey_robots"],
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(crawl["concurrency_per_host"]),
        "CONCURRENT_REQUESTS": max(16, int(crawl["concurrency_per_host"]) * 2),
        "DOWNLOAD_DELAY": float(crawl["delay_seconds"]),
        "DOWNLOAD_TIMEOUT": float(crawl["timeout_seconds"]),
        "DOWNLOAD_MAXSIZE": int(crawl["max_response_bytes"]),
        "RETRY_TIMES": int(crawl["retry_times"]),
        "PORTAL_AUDIT_DB": str(db_path),
        "PORTAL_AUDIT_RUN_ID": run_id,
        "LOG_LEVEL": log_level,
    }, priority="cmdline")
    if extra:
        s.update(extra, priority="cmdline")
    return s


def crawl(config: SiteConfig, db_path: str, run_id: int, *, log_level="INFO", extra=None) -> dict:
    """Crawl the site into the store; return the crawl's stats. Blocks until done.

    Twisted's reactor cannot restart, so call this once per process.
    """
    settings = crawl_settings(config, db_path, run_id, log_level=log_level, extra=extra)
    process = CrawlerProcess(settings, install_root_handler=False)
    # at INFO, the person watching sees our progress lines, not Scrapy's chatter (its stats go to the runs table)
    logging.getLogger("scrapy").setLevel("WARNING" if log_level == "INFO" else log_level)
    if log_level != "DEBUG":
        # an unreachable host's robots.txt is not an error of ours: its links are recorded as they fail
        logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, config=config, run_id=run_id)
    process.start()
    stats = dict(crawler.stats.get_stats())
    logging.getLogger("portal_audit").debug("crawl stats: %s", stats)
    return stats
