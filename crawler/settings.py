"""Crawl settings: the Scrapy settings module; shared values (store URL, limits) come from core.config.get_settings()."""

from __future__ import annotations

from core.config import get_settings

_shared = get_settings()

BOT_NAME = "zhaoshang"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
USER_AGENT = "zhaoshang-crawler/0.1 (+investment-promotion research; respects robots.txt)"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.2
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = _shared.crawl_download_max_bytes
DOWNLOAD_WARNSIZE = min(_shared.crawl_download_max_bytes, 5 * 1024 * 1024)
CLOSESPIDER_PAGECOUNT = _shared.crawl_max_pages
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}

# zhaoshang's own values, read by the pipeline and spider
ZHAOSHANG_DB_URL = _shared.db_url
ZHAOSHANG_PROGRESS = False
ZHAOSHANG_STORY_THRESHOLD = 0.8

if _shared.redis_url:  # distributed crawl: shared scheduler and dupefilter in Redis
    SCHEDULER = "scrapy_redis.scheduler.Scheduler"
    DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
    SCHEDULER_PERSIST = True
    REDIS_URL = _shared.redis_url
