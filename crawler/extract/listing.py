"""Extract: on list pages, find article links (no hand-written selectors) and the pagination."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html

from crawler.extract.html import ATTACHMENT_KINDS, clean_text, link_url

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ARTICLE_PATH = re.compile(
    r"(?:/t?\d{8}_\w+\.s?html?$)|(?:/(?:art|content|detail|info|news|doc)[_/-]?\w*\d+\w*\.s?html?$)|"
    r"(?:/\d{4}[-/]?\d{2}[-/]?\d{0,2}/\w+\.s?html?$)|(?:/\d{4,}\.s?html?$)|(?:/\w*\d{5,}\w*\.s?html?$)|"
    r"(?:[?&](?:id|articleId|docid|infoid)=\d+)",
    re.I,
)
_LIST_PATH = re.compile(r"/(?:index|list|default)(?:_\d+)?\.s?html?$", re.I)
_NEXT_TEXT = ("下一页", "下页", "后一页", "next", "Next", ">", "›", "»")
_CREATE_PAGE = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]")
_CONTAINERS = ("ul", "ol", "table", "tbody", "div", "section", "dl")


def looks_like_title(text: str) -> bool:
    """A link text that reads like an article title: at least 6 characters, mostly Chinese, not a nav word."""
    text = clean_text(text)
    return len(text) >= 6 and len(_CJK.findall(text)) >= 4 and not text.startswith(("更多", "查看"))


def looks_like_article_url(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    ext = parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
    if ext in ATTACHMENT_KINDS or _LIST_PATH.search(parts.path):
        return False
    return bool(_ARTICLE_PATH.search(path))


def _container(a: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    node = a.getparent()
    while node is not None and node.tag not in ("ul", "ol", "table", "tbody", "dl"):
        if node.tag in ("div", "section") and len([c for c in node if isinstance(c.tag, str)]) >= 2:
            break
        node = node.getparent()
    return node if node is not None else a


def article_links(tree: lxml.html.HtmlElement, base_url: str, allowed_domains: list[str] | None = None) -> list[tuple[str, str]]:
    """(url, title) of the article links in the page's main list area, in page order.

    Candidates are same-domain links whose text looks like a title and whose URL looks like an article; the list
    area is the container holding the most candidates (sidebars and footers lose)."""
    groups: dict[lxml.html.HtmlElement, list[tuple[str, str]]] = {}
    for a in tree.iter("a"):
        link = link_url(a, base_url)
        if link is None:
            continue
        url = link.split("#", 1)[0]
        if not _allowed(url, allowed_domains):
            continue
        text = clean_text(a.get("title") or a.text_content())
        if looks_like_title(text) and looks_like_article_url(url):
            groups.setdefault(_container(a), []).append((url, text))
    if not groups:
        return []
    best = max(groups.values(), key=len)
    first: dict[str, str] = {}
    for url, title in best:
        first.setdefault(url, title)
    return list(first.items())


def _allowed(url: str, allowed_domains: list[str] | None) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    if not allowed_domains:
        return True
    host = (parts.hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in (d.lower().split(":")[0] for d in allowed_domains))


def next_pages(tree: lxml.html.HtmlElement, html: str, base_url: str) -> list[str]:
    """List pages after this one: a 下一页 link, numbered index_N links, or createPageHTML(n, i, ...) scripts."""
    found: list[str] = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "#")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        text = clean_text(a.text_content())
        if text in _NEXT_TEXT or _LIST_PATH.search(urlsplit(url).path) and _same_dir(url, base_url):
            found.append(url)
    match = _CREATE_PAGE.search(html)
    if match:
        total, current, prefix, suffix = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
        for n in range(current + 1, min(total, current + 50)):
            found.append(urljoin(base_url, f"{prefix}_{n}.{suffix}"))
    return [u for u in dict.fromkeys(found) if u != base_url]


def _same_dir(url: str, base_url: str) -> bool:
    return urlsplit(url).path.rsplit("/", 1)[0] == urlsplit(base_url).path.rsplit("/", 1)[0] and \
        urlsplit(url).netloc == urlsplit(base_url).netloc


def page_number(url: str) -> int:
    """0 for index.html, N for index_N.html."""
    match = re.search(r"_(\d+)\.s?html?$", urlsplit(url).path)
    return int(match.group(1)) if match and _LIST_PATH.search(urlsplit(url).path) else 0
