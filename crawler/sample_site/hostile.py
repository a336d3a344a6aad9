"""Sample site, hostile corner: pages that misbehave like real portals (/hostile/), for crawler robustness tests.

table layout · GBK body behind a UTF-8 header · createPageHTML pagination · 500 then recover · slow page ·
redirect loop · huge page · binary served as text/html. All text here is sample text written for zhaoshang.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

TABLE_TITLE = "示例县召开招商引资项目推进会（示例文本）"
TABLE_LINES = (
    "3月1日，示例县召开招商引资项目推进会，通报一季度项目进展情况。",
    "会议指出，今年以来全县新签约亿元以上项目12个，协议总投资86亿元，其中新能源汽车零部件项目5个。",
    "会议要求，各乡镇、园区要紧盯在谈项目，加快推动签约项目开工建设。",
)
WRONG_HEADER_TITLE = "示例市新能源电池材料项目签约落户（示例文本）"
WRONG_HEADER_LINES = (
    "近日，某新能源科技有限公司与示例市经开区签订投资协议，建设年产5万吨电池正极材料项目。",
    "项目总投资30亿元，分两期建设，一期计划于今年第三季度开工。",
)
FLAKY_TITLE = "示例区一季度招商引资工作综述（示例文本）"
SLOW_TITLE = "示例高新区集成电路产业链招商取得新进展（示例文本）"
HUGE_BYTES = 50 * 1024 * 1024  # a 50 MB page: far above the default 20 MiB DOWNLOAD_MAXSIZE
BROKEN_TITLE = "示例镇召开重点项目推进会（示例文本）"
BROKEN_LINES = (
    "会议通报了全镇在建项目进展情况，某食品有限公司年产2万吨预制菜项目已完成主体施工。",
    "会议要求各部门倒排工期，确保项目年内投产。",
)


@dataclass(frozen=True)
class HostileItem:
    path: str
    title: str
    date: str
    behaviour: str  # table | wrong_header | flaky | slow | loop | huge | binary | broken
    stored: bool  # whether a correct crawl stores it


ITEMS: tuple[HostileItem, ...] = (
    HostileItem("/hostile/t20230301_table.html", TABLE_TITLE, "2023-03-01", "table", True),
    HostileItem("/hostile/t20230302_wronghdr.html", WRONG_HEADER_TITLE, "2023-03-02", "wrong_header", True),
    HostileItem("/hostile/t20230303_flaky.html", FLAKY_TITLE, "2023-03-03", "flaky", True),
    HostileItem("/hostile/t20230304_slow.html", SLOW_TITLE, "2023-03-04", "slow", True),
    HostileItem("/hostile/t20230305_loop.html", "示例县重大项目集中开工活动举行（示例文本）", "2023-03-05", "loop", False),
    HostileItem("/hostile/t20230306_huge.html", "示例市招商引资项目清单全文公开（示例文本）", "2023-03-06", "huge", False),
    HostileItem("/hostile/t20230307_binary.html", "示例开发区项目现场照片集锦（示例文本）", "2023-03-07", "binary", False),
    HostileItem("/hostile/t20230308_broken.html", BROKEN_TITLE, "2023-03-08", "broken", True),
)
PAGE_SIZE = 4


def _list_page(n: int, total: int) -> str:
    rows = "".join(
        f'<tr><td width="80%"><font size="2">·<a href="{i.path}" target="_blank">{i.title}</a></font></td>'
        f"<td>[{i.date}]</td></tr>"
        for i in ITEMS[n * PAGE_SIZE:(n + 1) * PAGE_SIZE]
    )
    return (
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>工作动态</title></head>"
        "<body><table width=\"100%\"><tr><td><a href=\"/\">首页</a> | <a href=\"/xwdt/index.html\">新闻</a></td></tr></table>"
        "<table><tr><td valign=\"top\" width=\"200\"><a href=\"/zt/a.html\">专题</a></td><td>"
        f"<table class=\"list\">{rows}</table>"
        f"<script>createPageHTML({total}, {n}, \"index\", \"htm\");</script>"
        "</td></tr></table><table><tr><td>版权所有：示例县人民政府 技术支持：某某科技</td></tr></table></body></html>"
    )


def _table_detail(item: HostileItem, lines: tuple[str, ...]) -> str:
    body = "<br>\n".join(f"<font face=\"宋体\">　　{line}</font>" for line in lines)
    return (
        f"<html><head><title>{item.title}</title></head><body>"
        "<table width=\"100%\"><tr><td><a href=\"/\">首页</a> | <a href=\"/hostile/index.htm\">工作动态</a></td></tr></table>"
        "<table width=\"960\"><tr><td valign=\"top\" width=\"200\"><a href=\"/zt/a.html\">热点专题</a><br>"
        "<a href=\"/zt/b.html\">政务服务</a></td><td valign=\"top\">"
        f"<table width=\"100%\"><tr><td class=\"bt\" align=\"center\"><b>{item.title}</b></td></tr>"
        f"<tr><td align=\"center\">日期：{item.date[:4]}年{item.date[5:7]}月{item.date[8:]}日　来源：示例县融媒体中心</td></tr>"
        f"<tr><td class=\"zw\">{body}</td></tr></table>"
        "</td></tr></table><table><tr><td>版权所有：示例县人民政府 地址：示例县人民路1号</td></tr></table></body></html>"
    )


def _broken_detail(item: HostileItem) -> str:
    """Malformed markup as old CMSs emit it: unclosed and stray tags, an unterminated comment-like run,
    an injected script, and the document cut off before </body></html>."""
    body = "<p>　　" + "<p>　　".join(BROKEN_LINES)
    return (
        f"<html><head><title>{item.title}<title></head><body><div class=main><div class=nav><a href=/>首页</a></div>"
        f"</span></td><h1>{item.title}</h2><div class=info>发布时间：{item.date}</font></div>"
        f"<div class=content><script>document.write('<div>广告</div>')</script>{body}"
        "<table><tr><td>附件：<a href=/hostile/none.pdf>无</a><!-- 模板结束 -"
    )


class HostileBehaviour:
    """Serves /hostile/ paths; keeps per-path state (the flaky page fails once, then recovers)."""

    def __init__(self, slow_seconds: float = 1.0) -> None:
        self.slow_seconds = slow_seconds
        self._failed: set[str] = set()
        self._huge: bytes | None = None
        self._lock = threading.Lock()
        total = (len(ITEMS) + PAGE_SIZE - 1) // PAGE_SIZE
        self.static: dict[str, tuple[int, str, bytes]] = {}
        for n in range(total):
            name = "index.htm" if n == 0 else f"index_{n}.htm"
            self.static[f"/hostile/{name}"] = (200, "text/html; charset=gb2312", _list_page(n, total).encode("gbk"))
        by = {i.behaviour: i for i in ITEMS}
        self.static[by["table"].path] = (200, "text/html; charset=gbk", _table_detail(by["table"], TABLE_LINES).encode("gbk"))
        wrong = _table_detail(by["wrong_header"], WRONG_HEADER_LINES).replace(
            "<head>", '<head><meta charset="utf-8">').encode("gbk")
        self.static[by["wrong_header"].path] = (200, "text/html; charset=utf-8", wrong)
        for kind in ("flaky", "slow"):
            page = _table_detail(by[kind], TABLE_LINES[:1] + (f"{by[kind].title.removesuffix('（示例文本）')}，各项工作有序推进。",))
            self.static[by[kind].path] = (200, "text/html; charset=utf-8", page.encode("utf-8"))
        self.static[by["binary"].path] = (200, "text/html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
        self.static[by["broken"].path] = (200, "text/html; charset=utf-8", _broken_detail(by["broken"]).encode("utf-8"))
        self.loop_path = by["loop"].path
        self.huge_path = by["huge"].path
        self.flaky_path = by["flaky"].path
        self.slow_path = by["slow"].path

    def respond(self, path: str, query: str = "") -> tuple[int, dict[str, str], bytes] | None:
        """(status, headers, body) for a hostile path, or None when the path is not one of ours."""
        if path == self.loop_path:  # an endless chain of redirects, each to a new URL
            hop = int(query.removeprefix("r=")) if query.startswith("r=") and query[2:].isdigit() else 0
            return 302, {"Location": f"{self.loop_path}?r={hop + 1}"}, b""
        if path == self.huge_path:
            if self._huge is None:
                filler = ("<p>" + "项目清单" * 200 + "</p>\n").encode("utf-8")
                self._huge = b"<html><body>" + filler * (HUGE_BYTES // len(filler) + 1) + b"</body></html>"
            return 200, {"Content-Type": "text/html; charset=utf-8"}, self._huge
        if path == self.flaky_path:
            with self._lock:
                first = path not in self._failed
                self._failed.add(path)
            if first:
                return 500, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>500 Internal Server Error</body></html>"
        if path == self.slow_path:
            time.sleep(self.slow_seconds)
        if path in self.static:
            status, ctype, body = self.static[path]
            return status, {"Content-Type": ctype}, body
        return None
