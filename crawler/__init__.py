"""Crawler: Scrapy crawl of government and news portals into the store (step 1 of the flow)."""
