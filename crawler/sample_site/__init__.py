"""Sample site: a small government-portal-like site built from the bundled seeds, for demos and crawl tests."""

from crawler.sample_site.site import SampleSiteServer, build_site, detail_paths, make_sample_site, serve_sample_site

__all__ = ["SampleSiteServer", "build_site", "detail_paths", "make_sample_site", "serve_sample_site"]
