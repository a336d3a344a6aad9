"""Extract: a detail page's title, main text (density-based, no per-site selectors), date, issuer, 文号, attachment links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from core.errors import DocumentError
from crawler.extract.dates import find_publish_date

_DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "nav", "header", "footer", "aside", "select", "button",
              "object", "embed", "svg", "canvas", "template")
_NEGATIVE = re.compile(r"nav|menu|footer|foot|sidebar|side|header|top-bar|topbar|breadcrumb|crumb|share|copyright|"
                       r"banner|comment|related|relate|hot|friend|link|ad-|ads|toolbar|search|page|pager|print", re.I)
_POSITIVE = re.compile(r"article|content|detail|main|text|body|zoom|con|zw|TRS_Editor|pages_content", re.I)
_BLOCKS = {"p", "div", "td", "li", "section", "article", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "center", "table", "tr", "tbody", "ul", "ol", "dl"}
_PARAGRAPH_TAGS = {"p", "div", "td", "li", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "center"}
ATTACHMENT_KINDS = {"pdf": "pdf", "doc": "doc", "docx": "docx", "wps": "wps", "xls": "xls", "xlsx": "xlsx", "et": "xls",
                    "ofd": "other", "zip": "other", "rar": "other"}
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,14}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号")
_ISSUER_LABEL = re.compile(r"(发布机构|发文机关|发文单位|制发机关|发布单位|来源|信息来源|文章来源|來源)\s*[:：]\s*"
                           r"([\u4e00-\u9fffA-Za-z0-9（）()·]{2,40})")
# site-name separators in <title>: "_", "|", "｜", "--", or a dash with spaces around it; a dash inside a title
# ("1-3月份", "(2022—2030年)", "经济日报-中国经济网") is not one
_TITLE_SPLIT = re.compile(r"\s*(?:_+|[|｜]+|--+)\s*|\s+[-—–]+\s+")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
# A <title> never closed (a second <title> or </head> comes first): the parser would read the whole page as
# the title (RCDATA) and leave the body empty; close it where the markup resumes.
_UNCLOSED_TITLE = re.compile(r"(<title[^>]*>[^<]*)(?:<title[^>]*>|(?=</head|<body|<meta|<link|<script|<style))", re.I)


@dataclass
class PageContent:
    """What one detail page says, before it becomes a Document."""

    url: str
    title: str
    text: str
    publish_date: dt.date | None = None
    issuer: str | None = None
    doc_number: str | None = None
    attachment_links: list[tuple[str, str, str]] = field(default_factory=list)  # (url, label, kind)


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse hostile HTML into a tree; empty or unparsable input raises DocumentError."""
    if not html or not html.strip():
        raise DocumentError("empty HTML page")
    html = _UNCLOSED_TITLE.sub(r"\1</title>", html.replace("\x00", ""), count=1)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"cannot parse HTML: {exc}") from exc
    return tree


def clean_text(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _own_text(el: lxml.html.HtmlElement) -> tuple[int, int]:
    """(text length, link text length) of an element's whole subtree."""
    total = len(clean_text(el.text_content()))
    links = sum(len(clean_text(a.text_content())) for a in el.iter("a"))
    return total, links


def _class_id(el: lxml.html.HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _strip_noise(tree: lxml.html.HtmlElement) -> None:
    for comment in list(tree.iter(etree.Comment)):
        parent = comment.getparent()
        if parent is not None:
            comment.drop_tree()
    for tag in _DROP_TAGS:
        for el in list(tree.iter(tag)):
            if el.getparent() is not None:
                el.drop_tree()


def _is_paragraph(el: lxml.html.HtmlElement) -> bool:
    if el.tag == "p":
        return True
    if el.tag not in _PARAGRAPH_TAGS:
        return False
    return not any(child.tag in _BLOCKS for child in el)


def _negative(el: lxml.html.HtmlElement) -> bool:
    node: lxml.html.HtmlElement | None = el
    while node is not None and node.tag != "body":
        if _NEGATIVE.search(_class_id(node)) and not _POSITIVE.search(_class_id(node)):
            return True
        node = node.getparent()
    return False


def main_content_node(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element holding the article: paragraphs vote for their parent (full) and grandparent (half)."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str) or not _is_paragraph(el):
            continue
        total, links = _own_text(el)
        if total < 10 or links > total * 0.5:
            continue
        weight = total - links + 10 * clean_text(el.text_content()).count("，") + 10 * el.text_content().count(",")
        parent = el.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + weight
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0.0) + weight / 2
    best, best_score = None, 0.0
    for node, score in scores.items():
        total, links = _own_text(node)
        score *= 1 - (links / total if total else 0)
        if _negative(node):
            score *= 0.2
        if _POSITIVE.search(_class_id(node)):
            score *= 1.25
        if score > best_score:
            best, best_score = node, score
    if best is None:
        body = tree.find("body")
        return body if body is not None else tree
    return _tighten(best)


def _tighten(node: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """Descend while one child holds nearly all the text (table layouts: tr → td)."""
    while True:
        total, links = _own_text(node)
        own = total - links
        children = [c for c in node if isinstance(c.tag, str)]
        dominant = None
        for child in children:
            c_total, c_links = _own_text(child)
            if own and c_total - c_links >= 0.9 * own:
                dominant = child
                break
        if dominant is None or not any(True for _ in dominant.iter()):
            return node
        node = dominant


def node_text(node: lxml.html.HtmlElement) -> str:
    """Paragraph text of a node, one paragraph per line."""
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines: list[str] = []
    paragraphs = [el for el in node.iter() if isinstance(el.tag, str) and _is_paragraph(el) and el is not node]
    if paragraphs:
        for el in paragraphs:
            for line in el.text_content().split("\n"):
                line = clean_text(line)
                if line and not (lines and lines[-1] == line):
                    lines.append(line)
    else:
        lines = [clean_text(line) for line in node.text_content().split("\n") if clean_text(line)]
    return "\n".join(lines)


def _heading_candidates(tree: lxml.html.HtmlElement) -> list[str]:
    candidates = [clean_text(el.text_content()) for el in tree.xpath("//h1|//h2|//*[contains(@class,'title')]")]
    return [c for c in candidates if 4 <= len(c) <= 120]


def _title(tree: lxml.html.HtmlElement, raw_headings: list[str] | None = None) -> str:
    """The page's title: a heading repeated in <title> (also one inside an <article><header>, which noise
    stripping removes), else og:title, else the first remaining heading, else the longest part of <title>."""
    page_title = clean_text(tree.findtext(".//title") or "")
    og = tree.xpath("//meta[@property='og:title' or @name='ArticleTitle']/@content")
    candidates = _heading_candidates(tree)
    for cand in [*candidates, *(raw_headings or [])]:
        if page_title and cand in page_title:
            return cand
    for cand in candidates:  # a heading left unclosed swallows the text after it: keep the part <title> repeats
        if len(page_title) >= 4 and cand.startswith(page_title):
            return page_title
    if og and clean_text(og[0]):
        return clean_text(og[0])
    h1 = [c for c in candidates if c]
    if h1:
        return h1[0]
    parts = [p for p in _TITLE_SPLIT.split(page_title) if p]
    return max(parts, key=len) if parts else ""


def link_url(a: lxml.html.HtmlElement, base_url: str) -> str | None:
    """The absolute URL an ``<a>`` points to, or None for empty, ``javascript:``, ``mailto:`` and in-page links."""
    href = (a.get("href") or "").strip()
    if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
        return None
    return urljoin(base_url, href)


def attachment_links(tree: lxml.html.HtmlElement, base_url: str) -> list[tuple[str, str, str]]:
    """(absolute url, link text, kind) for each linked file with a document extension."""
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for a in tree.iter("a"):
        url = link_url(a, base_url)
        if url is None or urlsplit(url).scheme not in ("http", "https"):
            continue
        ext = urlsplit(url).path.rsplit(".", 1)[-1].lower() if "." in urlsplit(url).path.rsplit("/", 1)[-1] else ""
        if ext in ATTACHMENT_KINDS and url not in seen:
            seen.add(url)
            found.append((url, clean_text(a.text_content()), ATTACHMENT_KINDS[ext]))
    return found


def find_doc_number(*texts: str) -> str | None:
    for text in texts:
        match = _DOC_NUMBER.search(text or "")
        if match:
            return re.sub(r"\s+", "", match.group(0))
    return None


def find_issuer(meta_text: str) -> str | None:
    found = {m.group(1): m.group(2) for m in reversed(list(_ISSUER_LABEL.finditer(meta_text or "")))}
    for label in ("发布机构", "发文机关", "发文单位", "制发机关", "发布单位", "来源", "信息来源", "文章来源", "來源"):
        if label in found:
            return found[label]
    return None


_META_LINE = re.compile(r"(发布时间|发布日期|日期|来源|來源|浏览次数|作者|编辑|字号)\s*[:：]")
# a bare dateline at the top ("2023-01-08 示例日报", "2023年1月8日 10:20") and editor lines at the bottom
_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
                        r"(?:\s+\S{1,20}){0,2}\s*$")
_TRAILER_LINE = re.compile(r"^[（(【\[]?\s*(责任编辑|编辑|责编|校对|审核|审校|终审|初审|编审)\s*[:：]")


def _drop_leading_meta(text: str, title: str) -> str:
    """Remove a repeated title and short metadata lines (日期：… 来源：…, a bare dateline) from the top of the text
    and editor lines (责任编辑：…) from its end."""
    lines = text.split("\n")
    while len(lines) > 1 and (lines[0] == title or (len(lines[0]) < 100 and (
            _META_LINE.search(lines[0]) or _DATE_LINE.match(lines[0])))):
        lines.pop(0)
    while len(lines) > 1 and len(lines[-1]) < 60 and _TRAILER_LINE.match(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def extract_page(html: str, url: str) -> PageContent:
    """Everything a detail page says; raises DocumentError when no title or no text can be found."""
    tree = parse_html(html)
    attachments = attachment_links(tree, url)
    raw_headings = _heading_candidates(tree)
    _strip_noise(tree)
    title = _title(tree, raw_headings)
    node = main_content_node(tree)
    text = node_text(node)
    body = tree.find("body")
    page_text = clean_text(" ".join((body if body is not None else tree).itertext()))
    first = text.split("\n", 1)[0][:20]
    head = page_text.split(first, 1)[0] if first and first in page_text else page_text[:1500]
    meta_text = head[-800:]
    if not text:
        raise DocumentError(f"no main text found on {url}")
    if not title:
        title = text.split("\n", 1)[0][:60]
    text = _drop_leading_meta(text, title)
    if not text:
        raise DocumentError(f"no main text found on {url}")
    doc_number = find_doc_number(meta_text, text[:400])
    return PageContent(
        url=url,
        title=title,
        text=text,
        publish_date=find_publish_date(meta_text, url) or find_publish_date(page_text[:3000], url),
        issuer=find_issuer(meta_text) or find_issuer(text[-300:]),
        doc_number=doc_number,
        attachment_links=attachments,
    )
