"""Evaluation of main-text extraction (crawl step): character-level P/R/F1, title and date accuracy per page family.

(a) the sample site's detail pages and the hostile corner's readable pages, whose true text is known from the
templates' data; (b) ../shared/corpus passages (news.jsonl, policies.jsonl) wrapped in memory into seven
structurally different portal templates with noise (nav, breadcrumb, sidebar, related links made of other
passages' titles, share buttons, comments, footer). Nothing generated here is written to disk.

Scores per page, macro-averaged per family: *bag* = overlap of the multisets of non-space characters (order-free),
*seq* = characters in common in order (difflib matching blocks, a close lower bound of the LCS).

    python -m evaluation.extraction_eval
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import DocumentError, InputError
from crawler.extract import decode_html, extract_page

SHARED = Path(__file__).resolve().parents[2] / "shared"
_WS = re.compile(r"\s+")
BASE = "http://www.example.gov.cn"


@dataclass
class Case:
    """One page with its known truth."""

    family: str
    url: str
    html: str
    title: str
    text: str
    date: dt.date | None


@dataclass
class Scores:
    pages: int = 0
    bag: list[tuple[float, float]] = field(default_factory=list)
    seq: list[tuple[float, float]] = field(default_factory=list)
    titles: int = 0
    dates: int = 0
    dated: int = 0
    failed: int = 0
    seconds: float = 0.0


def _norm(text: str) -> str:
    return _WS.sub("", text)


def bag_pr(truth: str, predicted: str) -> tuple[float, float]:
    """Precision and recall over the multisets of non-space characters."""
    t, p = Counter(_norm(truth)), Counter(_norm(predicted))
    common = sum((t & p).values())
    return (common / sum(p.values()) if p else 0.0, common / sum(t.values()) if t else 0.0)


def seq_pr(truth: str, predicted: str) -> tuple[float, float]:
    """Precision and recall over characters matched in order (difflib's matching blocks)."""
    t, p = _norm(truth), _norm(predicted)
    if not t or not p:
        return (0.0, 0.0)
    common = sum(b.size for b in difflib.SequenceMatcher(None, t, p, autojunk=False).get_matching_blocks())
    return common / len(p), common / len(t)


def f1(pr: tuple[float, float]) -> float:
    p, r = pr
    return 2 * p * r / (p + r) if p + r else 0.0


# -- (a) the sample site ------------------------------------------------------------------------------
def sample_site_cases() -> list[Case]:
    from crawler.sample_site.content import columns
    from crawler.sample_site.hostile import ITEMS, TABLE_LINES, WRONG_HEADER_LINES, HostileBehaviour
    from crawler.sample_site.site import build_site

    site, cases = build_site(), []
    for column in columns():
        for item in column.items:
            page = site[item.path]
            lines = list(item.paragraphs) + (["（本文为zhaoshang示例文本，非真实政府文件。）"] if item.sample_text else [])
            cases.append(Case(f"sample site {column.key} ({column.encoding})", BASE + item.path,
                              decode_html(page.body, page.content_type.split("charset=")[-1])[0], item.title,
                              "\n".join(lines), item.date))
    hostile, by = HostileBehaviour(), {i.behaviour: i for i in ITEMS}
    truths: dict[str, tuple[str, ...]] = {"table": TABLE_LINES, "wrong_header": WRONG_HEADER_LINES}
    for kind in ("flaky", "slow"):
        truths[kind] = TABLE_LINES[:1] + (f"{by[kind].title.removesuffix('（示例文本）')}，各项工作有序推进。",)
    for kind, truth in truths.items():
        _status, ctype, body = hostile.static[by[kind].path]
        cases.append(Case("hostile corner (tables, GBK)", BASE + by[kind].path,
                          decode_html(body, ctype.split("charset=")[-1])[0], by[kind].title, "\n".join(truth),
                          dt.date.fromisoformat(by[kind].date)))
    return cases


# -- (b) corpus passages in portal templates ----------------------------------------------------------
COMMENTS = ("支持！希望项目早日落地投产。", "家门口的好消息，点赞。", "什么时候开始招聘？", "期待带动更多就业。",
            "营商环境越来越好了。", "请问园区在哪个位置？")
NAV = ("首页", "政务公开", "新闻中心", "投资促进", "政策文件", "互动交流", "办事服务")


def _ps(lines: list[str], fmt: str = "<p>{}</p>") -> str:
    return "\n".join(fmt.format(html.escape(x)) for x in lines)


def _related(titles: list[str], cls: str = "related") -> str:
    items = "".join(f'<li><a href="/xw/t{n:04d}.html">{html.escape(t)}</a></li>' for n, t in enumerate(titles))
    return f'<div class="{cls}"><h3>相关阅读</h3><ul>{items}</ul></div>'


def _nav() -> str:
    return "<ul class='nav'>" + "".join(f"<li><a href='/{n}/'>{x}</a></li>" for n, x in enumerate(NAV)) + "</ul>"


def t_gov_div(title: str, lines: list[str], date: dt.date, source: str, rel: list[str], rng: random.Random) -> str:
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(title)}_示例市人民政府</title></head><body>"
            f"<div class='top-bar'>无障碍 | 长者模式 | 登录</div><div class='header'>{_nav()}</div>"
            f"<div class='breadcrumb'>当前位置：<a href='/'>首页</a> &gt; <a href='/xw/'>新闻中心</a></div>"
            f"<div class='main'><h1 class='title'>{html.escape(title)}</h1>"
            f"<div class='info'>发布时间：{date.isoformat()} 来源：{source} 浏览次数：{rng.randint(50, 900)}</div>"
            f"<div class='article-content'>{_ps(lines)}</div>"
            "<div class='share'>分享到：<a href='#'>微信</a> <a href='#'>微博</a> 【打印本页】【关闭窗口】</div>"
            f"{_related(rel)}</div><div class='sidebar'><h3>热点专题</h3><ul><li><a href='/zt/1'>优化营商环境</a></li>"
            "<li><a href='/zt/2'>双招双引</a></li></ul></div><div class='footer'>主办单位：示例市人民政府办公室 "
            "网站标识码：3400000001 皖ICP备00000000号</div></body></html>")


def t_table_legacy(title: str, lines: list[str], date: dt.date, source: str, rel: list[str], rng: random.Random) -> str:
    left = "<br>".join(f"<a href='/zt/{n}.html'>{html.escape(t[:14])}</a>" for n, t in enumerate(rel))
    body = "<br>\n".join(f"<font face='宋体'>　　{html.escape(x)}</font>" for x in lines)
    return (f"<html><head><title>{html.escape(title)}</title></head><body>"
            "<table width='100%'><tr><td><a href='/'>首页</a> | <a href='/xw/'>工作动态</a> | <a href='/zc/'>政策法规</a></td></tr></table>"
            f"<table width='960'><tr><td valign='top' width='200'>{left}</td><td valign='top'><table width='100%'>"
            f"<tr><td class='bt' align='center'><b>{html.escape(title)}</b></td></tr>"
            f"<tr><td align='center'>日期：{date:%Y年%m月%d日}　来源：{source}</td></tr>"
            f"<tr><td class='zw'>{body}</td></tr></table></td></tr></table>"
            "<table><tr><td>版权所有：示例县人民政府 地址：示例县人民路1号 技术支持：某某科技</td></tr></table></body></html>")


def t_news_portal(title: str, lines: list[str], date: dt.date, source: str, rel: list[str], rng: random.Random) -> str:
    comments = "".join(f"<li class='comment'><span class='user'>网友{rng.randint(100, 999)}</span>"
                       f"<p>{c}</p><span class='time'>{date.isoformat()} 1{rng.randint(0, 9)}:3{rng.randint(0, 9)}</span></li>"
                       for c in rng.sample(COMMENTS, 3))
    hot = "".join(f"<li><a href='/hot/{n}.html'>{html.escape(t)}</a></li>" for n, t in enumerate(rel[::-1]))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)} - 示例新闻网</title></head><body>"
            f"<div id='topnav'>{_nav()}</div><div class='wrap'><div class='left'>"
            f"<h2 class='art-title'>{html.escape(title)}</h2>"
            f"<div class='art-info'><span>{date.isoformat()} 10:{rng.randint(10, 59)}</span> <span>来源：{source}</span> "
            "<span>编辑：张三</span></div>"
            f"<div id='zoom'>{_ps(lines, '<p><span>{}</span></p>')}</div>"
            "<div class='bdsharebuttonbox'><a class='bds_weixin'>微信</a><a class='bds_tsina'>微博</a></div>"
            f"{_related(rel[:4], 'relate-news')}<div class='comment-box'><h3>网友评论</h3><ul>{comments}</ul></div>"
            f"</div><div class='right'><div class='hot'><h3>热门排行</h3><ol>{hot}</ol></div></div></div>"
            "<div id='footer'>示例新闻网版权所有 未经授权禁止转载</div></body></html>")


def t_policy_doc(title: str, lines: list[str], date: dt.date, source: str, rel: list[str], rng: random.Random) -> str:
    meta = (f"<table class='xxgk'><tr><td>索引号：</td><td>11340000MB{rng.randint(1000, 9999)}/2023-{rng.randint(10, 99)}</td>"
            f"<td>发布机构：</td><td>{source}</td></tr><tr><td>成文日期：</td><td>{date:%Y年%m月%d日}</td>"
            f"<td>主题分类：</td><td>招商引资</td></tr><tr><td>名称：</td><td colspan='3'>{html.escape(title)}</td></tr></table>")
    return (f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'><title>{html.escape(title)}</title>"
            f"</head><body><div class='head'>{_nav()}</div><div class='con'>{meta}"
            f"<div class='wzy_title'><h1>{html.escape(title)}</h1></div>"
            f"<div class='TRS_Editor'>{_ps(lines, chr(60) + 'p style=' + chr(34) + 'text-indent:2em' + chr(34) + '>{}</p>')}</div>"
            "<div class='fj'>附件：<a href='/files/a.pdf'>申报表.pdf</a></div>"
            "<div class='ewm'>扫一扫在手机打开当前页</div>"
            f"{_related(rel[:3], 'xgwj')}</div><div class='foot'>版权所有 示例省人民政府办公厅</div></body></html>")


def t_html5(title: str, lines: list[str], date: dt.date, source: str, rel: list[str], rng: random.Random) -> str:
    comments = "".join(f"<div class='comment-item'>{c}</div>" for c in rng.sample(COMMENTS, 2))
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><header><nav>{_nav()}</nav></header><main><article><header><h1>{html.escape(title)}</h1>"
            f"<p class='meta'><time datetime='{date.isoformat()}'>{date:%Y年%m月%d日}</time> · {source}</p></header>"
            f"<section class='body'>{_ps(lines)}</section>"
            f"<footer class='tags'>标签：招商引资 项目建设</footer></article>"
            f"<aside>{_related(rel[:5])}</aside><section class='comments'><h3>评论</h3>{comments}</section></main>"
            "<footer>© 示例融媒 | 联系我们 | 网站地图</footer></body></html>")


def t_summaries(title: str, lines: list[str], date: dt.date, source: str, rel: list[str], rng: random.Random,
                summaries: list[str] | None = None) -> str:
    """Hardest: a sidebar of 要闻摘要 — paragraphs of other passages' text — beside a body of bare <br> lines."""
    side = "".join(f"<div class='zy'><p>{html.escape(x[:90])}……<a href='/xw/{n}.html'>[详细]</a></p></div>"
                   for n, x in enumerate(summaries or []))
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>{_nav()}"
            f"<div class='l'><div class='biaoti'>{html.escape(title)}</div><div class='sj'>{date:%Y-%m-%d} {source}</div>"
            f"<div class='nr'>{'<br><br>'.join(html.escape(x) for x in lines)}</div><div class='bj'>责任编辑：李四</div></div>"
            f"<div class='r'><div class='yw'><h3>要闻摘要</h3>{side}</div></div>"
            "<div class='db'>Copyright 示例传媒 备案号 皖ICP备00000001号</div></body></html>")


def t_forum(title: str, lines: list[str], date: dt.date, source: str, rel: list[str], rng: random.Random,
            summaries: list[str] | None = None) -> str:
    """Held out (written after the extractor fixes, never tuned on): a reposted item in a forum-like page whose
    replies (class names without 'comment') quote long passages of other reports."""
    replies = "".join(f"<div class='floor'><div class='u'>{rng.randint(2, 40)}楼 用户{rng.randint(1000, 9999)}</div>"
                      f"<div class='c'>{html.escape(x[:160])}</div></div>" for x in (summaries or []))
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(title)} - 示例论坛 - 经济频道</title></head><body>"
            f"<div class='hd'>{_nav()}</div><div class='post'><div class='tt'><span>[转帖]</span>{html.escape(title)}</div>"
            f"<div class='u'>楼主 发表于 {date.isoformat()} 09:{rng.randint(10, 59)}</div>"
            f"<div class='c'>{_ps(lines, '{}<br/>')}</div></div><div class='replies'>{replies}</div>"
            "<div class='ft'>本站帖子仅代表作者观点</div></body></html>")


TEMPLATES: dict[str, Callable[..., str]] = {
    "gov portal (div)": t_gov_div, "legacy table": t_table_legacy, "news portal + comments": t_news_portal,
    "policy publication (信息公开)": t_policy_doc, "HTML5 article": t_html5,
    "bare <br> body + summary sidebar": t_summaries, "held out: forum repost + long replies": t_forum,
}


def _passages(shared: Path) -> list[tuple[str, str, list[str], dt.date]]:
    out = []
    for name in ("news.jsonl", "policies.jsonl"):
        path = shared / "corpus" / name
        if not path.exists():
            raise InputError(f"corpus file missing: {path}")
        for n, line in enumerate(path.read_text("utf-8").splitlines()):
            if not line.strip():
                continue
            rec = json.loads(line)
            lines = [x.strip() for x in rec["text"].split("\n") if x.strip()]
            # news passages have no title: their first sentence (≤ 26 characters) becomes the headline
            title = rec.get("title") or re.split(r"[。；;!！?？]", lines[0])[0][:26].rstrip("，,、：:")
            if len(lines) > 1 and _norm(lines[0]) == _norm(title):
                lines = lines[1:]  # a policy text repeating its title: the page shows it once, as the title
            date = (dt.date.fromisoformat(rec["publish_date"]) if rec.get("publish_date")
                    else dt.date(2023, 1, 1) + dt.timedelta(days=7 * n))
            out.append((rec["id"], title, lines, date))
    return out


def corpus_cases(shared: Path = SHARED, *, limit: int | None = None, seed: int = 3) -> list[Case]:
    """Every passage rendered in every template (``limit`` passages per template for quick runs)."""
    passages = _passages(shared)
    rng = random.Random(seed)
    cases = []
    for family, render in TEMPLATES.items():
        chosen = passages if limit is None else rng.sample(passages, min(limit, len(passages)))
        for pid, title, lines, date in chosen:
            rel = [t for _, t, _, _ in rng.sample(passages, 7) if t != title][:6]
            source = rng.choice(("示例市融媒体中心", "示例日报", "示例省商务厅", "示例市投资促进局"))
            extra = {"summaries": [" ".join(p[2]) for p in rng.sample(passages, 4) if p[0] != pid][:3]} \
                if render in (t_summaries, t_forum) else {}
            cases.append(Case(family, f"{BASE}/xw/{date:%Y%m}/t{date:%Y%m%d}_{pid}.html",
                              render(title, lines, date, source, rel, rng, **extra), title, "\n".join(lines), date))
    return cases


# -- scoring ------------------------------------------------------------------------------------------
def score(cases: list[Case]) -> dict[str, Scores]:
    out: dict[str, Scores] = {}
    for case in cases:
        s = out.setdefault(case.family, Scores())
        s.pages += 1
        start = time.perf_counter()
        try:
            page = extract_page(case.html, case.url)
        except DocumentError:
            s.failed += 1
            s.bag.append((0.0, 0.0))
            s.seq.append((0.0, 0.0))
            continue
        finally:
            s.seconds += time.perf_counter() - start
        s.bag.append(bag_pr(case.text, page.text))
        s.seq.append(seq_pr(case.text, page.text))
        s.titles += _norm(page.title) == _norm(case.title)
        if case.date is not None:
            s.dated += 1
            s.dates += page.publish_date == case.date
    return out


def _row(name: str, s: Scores) -> str:
    def mean(xs: list[tuple[float, float]], i: int) -> float:
        return sum(x[i] for x in xs) / len(xs) if xs else 0.0

    bag = (mean(s.bag, 0), mean(s.bag, 1))
    seq = (mean(s.seq, 0), mean(s.seq, 1))
    macro_f1 = sum(f1(x) for x in s.seq) / len(s.seq) if s.seq else 0.0
    dates = f"{s.dates / s.dated:.1%}" if s.dated else "–"
    return (f"| {name} | {s.pages} | {bag[0]:.3f} | {bag[1]:.3f} | {f1(bag):.3f} | {seq[0]:.3f} | {seq[1]:.3f} | "
            f"{macro_f1:.3f} | {s.titles / s.pages:.1%} | {dates} | {s.failed} | {1000 * s.seconds / s.pages:.1f} |")


def _total(groups: dict[str, Scores]) -> Scores:
    total = Scores()
    for s in groups.values():
        total.pages += s.pages
        total.bag += s.bag
        total.seq += s.seq
        total.titles += s.titles
        total.dates += s.dates
        total.dated += s.dated
        total.failed += s.failed
        total.seconds += s.seconds
    return total


def section(quick: bool = False) -> str:
    """Markdown section: per-family extraction quality of crawler.extract.extract_page."""
    sample = score(sample_site_cases())
    corpus = score(corpus_cases(limit=12 if quick else None))
    head = ("| page family | pages | bag P | bag R | bag F1 | seq P | seq R | seq F1 (macro) | title exact | date exact "
            "| unreadable | ms/page |\n|---|---|---|---|---|---|---|---|---|---|---|---|")
    lines = [
        "## Main-text extraction (crawler.extract)", "",
        "Character-level precision/recall of the extracted main text against the known text, per page family "
        "(macro average over pages). *bag*: multisets of non-space characters; *seq*: characters matched in order "
        "(difflib matching blocks ≈ LCS); seq F1 is the mean of per-page F1. Title: exact match after removing "
        "whitespace; date: exact publish date. Corpus pages (b) are generated in memory from ../shared/corpus "
        "(news passages have no title: their first sentence, cut at 26 characters, is the headline; a policy's own title line is shown only as the title; undated passages get a "
        "synthetic date), with nav, breadcrumb, sidebar, related links (other passages' titles), share buttons, "
        "comments and footers as noise.", "",
        "(a) sample site and hostile corner (truth from the templates' data)", "", head,
        *[_row(k, v) for k, v in sample.items()], _row("**all (a)**", _total(sample)), "",
        f"(b) corpus passages in seven portal templates ({'12 passages each, quick run' if quick else 'all 161 passages each'})",
        "", head, *[_row(k, v) for k, v in corpus.items()], _row("**all (b)**", _total(corpus)), "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(section())
