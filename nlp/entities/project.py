"""Project: named investment projects (…项目, …产业园, …基地) with generic mentions (重大项目, 该项目) filtered out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.segment_words import Cut, name_word_spans
from nlp.trie import trie_pattern

_CJK = "\u4e00-\u9fff"
# a name run; a stray space next to a latin letter or digit stays inside it (年产 15GW 单晶光伏电池项目, Mini LED)
_RUN = re.compile(
    rf"(?:[{_CJK}A-Za-z0-9·&+.\-]|(?<!—)—(?!—)|[(（][{_CJK}A-Za-z]{{1,8}}[)）]|[“”\"]"
    rf"|(?<=[A-Za-z0-9]) (?=[{_CJK}A-Za-z0-9])|(?<=[{_CJK}]) (?=[A-Za-z0-9]))+"
)
_SUFFIXES = (
    "项目",
    "产业园",
    "工业园",
    "科技园",
    "产业基地",
    "生产基地",
    "研发基地",
    "制造基地",
    "基地",
    "产业谷",
    "电厂",
    "电站",
    "小镇",
    "综合体",
    "产业城",
    "物流园",
    "工业园区",
    "产业园区",
    "科技园区",
    "园区",
    "全国总部",
    "区域总部",
    "地区总部",
    "总部基地",
    "研发中心",
    "数据中心",
    "创新中心",
    "物流中心",
    "运营中心",
    "生产中心",
    "智能工厂",
    "超级工厂",
    "电池工厂",
    "生产线",
    "枢纽",
    # Taiwan approvals name what is built (Mini LED背光模组新厂, 航太零组件产线)
    "新厂",
    "产线",
    # a phase named without 项目 (越亚半导体封装基板三期, 中联重科工程机械产业园（一期）)
    "一期",
    "二期",
    "三期",
    "四期",
    "五期",
    "六期",
    "（一期）",
    "（二期）",
    "(一期)",
    "(二期)",
)
_SUFFIX = re.compile(trie_pattern(_SUFFIXES))
_PHASES = frozenset(f"{n}期" for n in "一二三四五六")
_NAME_END = re.compile(f"(?:{trie_pattern((*_SUFFIXES, '中心', '工厂', '厂', '公司', '集团', '园', '城'))})$")
_BOUNDARY = re.compile(
    trie_pattern(
        (
            "与",
            "同",
            "和",
            "及",
            "以及",
            "由",
            "为",
            "是",
            "的",
            "在谈",
            "在",
            "向",
            "对",
            "将",
            "把",
            "其中",
            "包括",
            "比如",
            "例如",
            "如",
            "了",
            "于",
            "已",
            "并",
            "还",
            "也",
            "即",
            "均",
            "分别",
            "引进",
            "新引进",
            "签约",
            "开工",
            "投产",
            "落户",
            "推动",
            "推进",
            "启动",
            "实施",
            "就",
            "等",
            "作为",
            "属于",
            "以",
            "通过",
            "布局",
            "围绕",
            "聚焦",
            "其一",
            "其二",
            "其三",
            "其四",
            "其五",
            "其六",
            "其七",
            "其八",
            "另",
            "个",
            "批",
            "剩下一个",
            "暨",
            "依据",
            "举办",
            "举行",
            "属于",
            "属",
            "帮助",
            "完善",
            "引导",
            "获取",
            "开展",
            "使其",
            "引入",
            "主要有",
            "还有",
            "另有",
            "共有",
            "满足",
            "而",
            "进驻",
            "设立",
            "改造",
            "扩建",
            "扩充",
            "新增",
            "增设",
            "设置",
            "兴建",
            "据悉",
            "走进",
            "来到",
            "深入",
            "察看",
            "观摩",
            "据介绍",
            "据了解",
            "建成",
            "打造",
            "成为",
            "拟建",
            "建设",
            "新增建设",
            "一个",
            "另一个",
            "目前",
            "今年",
            "去年",
            "此次",
            "本次",
            "这批",
            "该",
            "这",
            "此",
            "年度",
            "计划",
            "拟",
            "正式",
            "顺利",
            "成功",
            "集中",
            "重点",
            "全力",
            "加快",
            "积极",
            "持续",
            "亿元以上",
            "一批",
            "首批",
            "新建",
            "建设了",
            "投资",
            "总投资",
            # a park named before a project locates it (绥安开发区共享…基地项目): not part of the name
            "洽谈",
            "正与",
            "共建",
            "合建",
            "投建",
            "签下",
            "签署",
            "签订",
            "携手",
            "兴建",
            "筹建",
            "改建",
            "开发区",
            "经开区",
            "高新区",
            "保税区",
            "综保区",
            "自贸区",
        )
    )
)
_GENERIC = re.compile(
    r"^(?:重大|重点|招商引资|招商|产业|工业|制造业|服务业|签约|开工|在谈|投产|集中|其他|其余|协议|合作|单体|新建|续建|"
    r"新|大|好|优质|龙头|骨干|旗舰型?|总部级|关联|优势|战略性?|新兴|省|市|县|区|级|类|固投|外资|内资|民生|"
    r"基础设施|社会事业|科研转化|转化|平台|过?亿元以上|过?百亿元?|亿元|\d+(?:\.\d+)?|世界|中国|500强|强|投资|引资|"
    r"央企|上市|企业|高新技术|高端制造业|制造|生产|建设|一产|二产|三产|产业化|示范|试点|配套|相关|有关|各类|各|"
    r"[一二三四五六七八九十两]+|[个批期项]|的|等|储备|谋划|落地|签约落地|招大引强|技改|增资扩产|实体|单个|单体|计划|"
    r"文化|农业|能源|高质量|优质可靠|当年|今年|年度|新开工|前期|续建|竣工|全市|全省|全区|全县|我市|我省|我区)*"
    r"(?:项目|产业园|工业园|科技园|产业基地|生产基地|研发基地|制造基地|基地|产业谷|电厂|电站|小镇|综合体|产业城|"
    r"物流园|工业园区|产业园区|科技园区|园区|全国总部|区域总部|地区总部|总部基地|研发中心|数据中心|创新中心|物流中心|"
    r"运营中心|生产中心|智能工厂|超级工厂|电池工厂|生产线|枢纽|新厂|产线)$"
)
# Words a real project name does not contain: they mark a description of a group of projects or an event.
_NOT_NAME = re.compile(
    r"重大|重点|招商引资|集中|这批|这些|该|此次|本次|其中|累计|我市|我省|我区|我县|全市|全省|全区|全县|"
    r"[0-9一二三四五六七八九十两几多]+(?:[个批场次座家]|项(?!目))|签约|开工|投产|投用|达产|竣工|在谈|单体|同期|上年|宣布|"
    r"调度|机制|评估|评价|反馈|专班|招商|双招双引|有效|坚持|跟着|规划|审批|划分|促进|承载|争取|督促|制定|梳理|健全|"
    r"考核|方案|政策|措施|要素|每旬|每月|每季|飞地|建设内容|主要内容|内容包括|上述|前述|力争|协调|解决|\d+(?:\.\d+)?(?:亿|万)元|主要|政府|或|记者|本报|讯(?!飞)|拿到|线索|人才|每个|综合性|"
    r"揽下|各有|签下|签署|签订|协议|以上|规模最大|引进|落地|优质|储备|谋划|类项目|月|年(?!产|处理|加工|生产)|的|"
    r"国家级|世界级|^配套|配套(?:企业|设施|服务|政策|资金|项目$)|若干|暨|发布|^服务(?!机器人)|^项目|首个|第[一二三四五六七八九十\d]+个|举办|举行|了|依据"
)


_LEADING_JOIN = re.compile(r"^(?:及|以(?!色列)|子项目|(?:台资|港资|外资|民营|龙头)企业)(?=[\u4e00-\u9fffA-Za-z0-9“]{4})")
# Boundary words that may also sit inside a project name (钟山县中源首府建设项目).
_INNER_OK = {"建设", "新增建设", "和", "及", "与", "暨", "个", "同", "有", "如"}
_CONJUNCTIONS = {"和", "及", "以及"}
# Two-character words whose second character is a one-character boundary word (协同, 面向, 位于): no cut there.
GLUED = frozenset(
    "协同 共同 合同 相同 不同 认同 赞同 总和 温和 涉及 普及 方向 走向 导向 面向 双向 流向 定向 取向 "
    "行为 自由 理由 合并 兼并 吞并 早已 业已".split()
)
# "建成…基地" describes a goal; "电子信息项目34个" is a category count.
# words that may follow a project name directly (…生产基地进行了洽谈, …产业园框架协议, …中心日前投产)
_FOLLOW = re.compile(r"进行|日前|近日|近期|本月|今年|当天|正式|框架|投资协议|合作协议|协议|深入|主体|全面|顺利|首期|同步")
_GOAL = re.compile(r"建成|打造|成为|目标是|拟建")
# "将新建…,以及X中心": parts a project will build, not projects of their own (same sentence, a few pieces back)
_PART_OF = re.compile(r"(?:将新建|将建设|配套建设|建设内容|主要建设|将引入|引入)[^。；;]*$")
_COUNTED = re.compile(r"\s*\d+\s*[个项家]")
# A conjunction and a short descriptive part ending in a project word (与光电产业园), at most 5 characters.
_JOINED = re.compile(rf"^(?:与|和|及)[{_CJK}]{{1,3}}(?:产业园|工业园|科技园|基地|园区|中心)$")


@dataclass(frozen=True)
class Project:
    """A named project mention and its span."""

    name: str
    start: int
    end: int


_WORKS_NAME = re.compile(r"(?:[一二三四五六七八九十]期|首期)?(?:改扩建|扩建|改造|技改|扩能|扩产|提升改造|升级改造)(?:项目|工程)")


def _cut_left(piece: str, cut: Cut | None = None) -> tuple[str, int]:
    """Cut at the rightmost boundary word that still leaves a good name (建设 in 首府建设项目 is kept).

    With a segmenter, a one-character boundary word inside a longer word is no boundary (美的库卡…, 同威致远…)."""
    found = list(_BOUNDARY.finditer(piece))
    glued = name_word_spans(piece, cut) if any(len(m.group(0)) == 1 for m in found) else []
    found = [m for m in found if len(m.group(0)) > 1 or not any(a <= m.start() < b for a, b in glued)]
    works = _WORKS_NAME.search(piece)  # …生产线扩建项目: the works that end the name are no boundary
    if works and works.end() == len(piece) and works.start() > 0:
        found = [m for m in found if not works.start() <= m.start() < works.end()]
    for i in range(len(found) - 1, -1, -1):
        m = found[i]
        if len(m.group(0)) == 1 and piece[max(0, m.start() - 1) : m.end()] in GLUED:
            continue
        if _BOUNDARY.match(piece, m.end()) or any(f.group(0) not in _INNER_OK for f in found[i + 1 :]):
            continue
        if m.group(0) in _CONJUNCTIONS and m.start() > 0 and not _NAME_END.search(piece, 0, m.start()):
            continue  # 达瑞新材料及智能设备总部项目: 及 joins words of one name
        if _good(piece[m.end() :].strip('“”"-—·.'), cut):
            return piece[m.end() :], m.end()
    if all(m.group(0) in _INNER_OK and m.start() > 0 for m in found):
        return piece, 0
    return "", len(piece)


def find_projects(text: str, cut: Cut | None = None) -> list[Project]:
    """Named projects in ``text``, left to right (one per name run ending in a project word); ``cut`` (a word
    segmenter) keeps one-character boundary words that sit inside a word in the name."""
    out: list[Project] = []
    for run in _RUN.finditer(text):
        chunk = run.group(0)
        matches = [
            m
            for m in _SUFFIX.finditer(chunk)
            if chunk[m.end() : m.end() + 1] not in (")", "）")
            and not _WORKS_NAME.match(chunk, m.end())  # 生产线扩建项目: the works are part of the name
            and (
                m.group(0) == "项目"
                or m.end() == len(chunk)
                or _BOUNDARY.match(chunk, m.end())
                or _SUFFIX.match(chunk, m.end())
                or _FOLLOW.match(chunk, m.end())
            )
        ]
        # a phase right after 项目 is a phase of that project (…项目一期竣工), not part of its name; one in brackets
        # is (…项目（一期）, as written)
        matches = [m for i, m in enumerate(matches)
                   if not (m.group(0).strip("（）()") in _PHASES and m.group(0)[0] not in "（("
                           and i and matches[i - 1].end() == m.start()
                           and matches[i - 1].group(0) == "项目")]
        # 产业园项目, 总部基地项目: a project word right after another one extends the name
        ends = [m.end() for i, m in enumerate(matches) if i + 1 == len(matches) or matches[i + 1].start() != m.end()]
        if not ends:
            continue
        # several project words in one run: each end after a boundary starts a new candidate
        start_in_run = 0
        for end in ends:
            piece = chunk[start_in_run:end]
            name, cut_at = _cut_left(piece, cut)
            name = name.strip('“”"-—·.')
            name = _LEADING_JOIN.sub("", name)  # "…项目及国轩储能研发中心", "以弘芯…产业园为": the join is no part of it
            offset = run.start() + start_in_run + cut_at + (len(piece) - cut_at - len(name.lstrip('“”"-—·.')) if name else 0)
            if (
                _good(name, cut)
                and not _GOAL.search(chunk[max(0, end - len(name) - 16) : end - len(name)])
                and not _PART_OF.search(text, max(0, run.start() + end - len(name) - 28), run.start() + end - len(name))
                and not _COUNTED.match(chunk, end)
            ):
                begin = text.find(name, run.start() + start_in_run)
                out.append(
                    Project(name, begin if begin >= 0 else offset, (begin if begin >= 0 else offset) + len(name))
                )
                start_in_run = end
            elif out and _JOINED.match(piece) and out[-1].end == run.start() + start_in_run:
                # "A全国总部与光电产业园": a short second part with no name of its own belongs to A's name
                out[-1] = Project(out[-1].name + piece, out[-1].start, out[-1].end + len(piece))
                start_in_run = end
    # keep the longest of overlapping candidates
    out.sort(key=lambda p: (p.start, -(p.end - p.start)))
    merged: list[Project] = []
    for proj in out:
        if merged and proj.start < merged[-1].end:
            if proj.end > merged[-1].end and proj.start == merged[-1].start:
                merged[-1] = proj
            continue
        merged.append(proj)
    return merged


def _good(name: str, cut: Cut | None = None) -> bool:
    if len(name) < 6 or len(name) > 50:
        return False
    hits = list(_NOT_NAME.finditer(name))
    if hits and cut is not None:  # 机制 is no word in 整机|制造 (it straddles two words), 的 none in the name 美的
        edges, at = {0}, 0
        for word in cut(name):
            at += len(word)
            edges.add(at)
        names = name_word_spans(name, cut)
        hits = [m for m in hits
                if not (any(m.start() < e < m.end() for e in edges) and not (m.start() in edges and m.end() in edges))
                and not (m.end() - m.start() == 1 and any(a <= m.start() and m.end() <= b for a, b in names))]
    if hits:
        return False
    if _GENERIC.match(name):
        return False
    return bool(re.search(rf"[{_CJK}A-Za-z]{{2}}", name[:-2]))
