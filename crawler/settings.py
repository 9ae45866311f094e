"""Scrapy settings for portal-audit: polite defaults for government servers.

The CLI overrides these from the site config's [crawl] table
(see ``crawler.runner.crawl_settings``).
"""
BOT_NAME = "portal-audit"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "portal-audit/0.1 (+mailto:webmaster@example.gov.cn)"
ROBOTSTXT_OBEY = True

# Politeness: a few requests at a time per host, never a flood.
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0.0
DOWNLOAD_DELAY_JITTER = 0.5      # ±50% around DOWNLOAD_DELAY, like a person clicking
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Retries with backoff for connection errors and 5xx; 429 is ours (RetryAfterMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
# The spider follows redirects itself, hop by hop, to record chains and catch loops.
REDIRECT_MAX_TIMES = 10
HTTPERROR_ALLOW_ALL = True

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.backoff.BackoffRetryMiddleware": 550,
    "crawler.middlewares.RetryAfterMiddleware": 540,
}
RETRY_BACKOFF_BASE = 0.5
RETRY_BACKOFF_MAX = 30.0
# a target that fails after its retries is a finding, not a crawler error
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
ITEM_PIPELINES = {
    "crawler.pipelines.StorePipeline": 300,
}
EXTENSIONS = {
    "crawler.extensions.Progress": 500,
}

# How many times a 429 is retried after waiting Retry-After, and the longest wait honoured.
RETRY_AFTER_MAX_TIMES = 3
RETRY_AFTER_MAX_SECONDS = 120
RETRY_AFTER_DEFAULT_SECONDS = 5

# Phrases that mark a "page not found" answered with status 200 (soft 404).
SOFT404_PHRASES = ["页面不存在", "页面已被删除", "已被删除", "您访问的页面不存在", "找不到页面",
                   "页面未找到", "404 Not Found", "Page Not Found", "信息不存在", "该页面已失效"]

LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
