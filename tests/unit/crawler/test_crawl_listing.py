"""List pages: article-link discovery without selectors, and every pagination style the sample site uses."""

from __future__ import annotations

from crawler.extract import article_links, looks_like_article_url, next_pages, parse_html
from crawler.sample_site.content import columns, pages_of
from crawler.sample_site.site import PRIVATE_PATH
from crawler.sample_site.testing import SAVED_BASE as BASE
from crawler.sample_site.testing import saved_response


def test_article_links_are_exactly_the_list_items(site):
    for column in columns():
        for n, items in enumerate(pages_of(column.items)):
            path = f"/{column.key}/index.html" if n == 0 else f"/{column.key}/index_{n}.html"
            response = saved_response(path)
            links = article_links(parse_html(response.text), response.url, ["portal.example.gov.cn"])
            expected = [f"{BASE}{i.path}" for i in items]
            if column.key == "xwdt" and n == 1:
                expected.append(f"{BASE}{PRIVATE_PATH}")  # listed, but robots.txt forbids it
            assert [u for u, _ in links] == expected
            assert [t for _, t in links][: len(items)] == [i.title for i in items]


def test_next_link_pagination(site):
    response = saved_response("/xwdt/index.html")
    pages = next_pages(parse_html(response.text), response.text, response.url)
    assert f"{BASE}/xwdt/index_1.html" in pages and f"{BASE}/xwdt/index_2.html" in pages


def test_script_pagination_create_page_html(site):
    response = saved_response("/zcwj/index.html")
    assert "createPageHTML" in response.text
    pages = next_pages(parse_html(response.text), response.text, response.url)
    assert pages == [f"{BASE}/zcwj/index_1.html"]


def test_create_page_html_generates_all_following_pages():
    html = '<html><body><script>createPageHTML(5, 1, "index", "shtml");</script></body></html>'
    pages = next_pages(parse_html(html), html, "http://a.gov.cn/col/index_1.shtml")
    assert pages == [f"http://a.gov.cn/col/index_{n}.shtml" for n in (2, 3, 4)]


def test_article_url_heuristics():
    assert looks_like_article_url("http://www.ah.gov.cn/zwyw/jryw/art_12345.html")
    assert looks_like_article_url("http://www.wuhu.gov.cn/xwzx/202311/t20231119_7012345.html")
    assert looks_like_article_url("http://x.gov.cn/content.jsp?id=8812")
    assert not looks_like_article_url("http://x.gov.cn/xwzx/index_2.html")
    assert not looks_like_article_url("http://x.gov.cn/files/20231119001.pdf")
    assert not looks_like_article_url("http://x.gov.cn/about.html")


def test_offsite_and_sidebar_links_are_ignored():
    html = """<html><body><div class="side"><a href="http://other.cn/t20230101_1.html">别的网站的长标题新闻报道</a></div>
    <ul><li><a href="/a/t20230102_1.html">合肥市新签约重大项目二十个</a></li>
    <li><a href="/a/t20230103_2.html">芜湖市招商引资工作会议召开</a></li><li><a href="/a/">更多</a></li></ul></body></html>"""
    links = article_links(parse_html(html), "http://www.hefei.gov.cn/a/index.html", ["www.hefei.gov.cn"])
    assert [u for u, _ in links] == ["http://www.hefei.gov.cn/a/t20230102_1.html", "http://www.hefei.gov.cn/a/t20230103_2.html"]
