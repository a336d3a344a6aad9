"""Org: investor organisations (companies, groups, funds, universities, institutes) by dictionary + suffix rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from nlp.entities.project import GLUED
from nlp.regions import default_regions, short_name
from nlp.resources import read_list
from nlp.segment_words import Cut, name_word_spans
from nlp.trie import trie_pattern

_CJK = "\u4e00-\u9fff"
# Characters an organisation name may contain (parentheses only in balanced short pairs, see _RUN).
_NAME = rf"[{_CJK}A-Za-z0-9·&\-]"
_RUN = re.compile(rf"(?:{_NAME}|[(（](?:[{_CJK}]{{2,6}}|[A-Za-z][A-Za-z .&\-]{{0,24}})[)）])+")  # 日本电产（Nidec）大连有限公司
# Words that end a name on their left: prepositions, verbs and conjunctions that introduce an investor.
_BOUNDARY_WORDS = (
    "与",
    "同",
    "和",
    "及",
    "以及",
    "由",
    "为",
    "是",
    "的",
    "在",
    "向",
    "对",
    "将",
    "把",
    "被",
    "让",
    "使",
    "其中",
    "包括",
    "比如",
    "例如",
    "如",
    "等",
    "了",
    "于",
    "已",
    "并",
    "还",
    "还有",
    "另有",
    "也",
    "即",
    "均",
    "分别",
    "成功",
    "引进",
    "引来",
    "引入",
    "招引",
    "签约方",
    "洽谈对象",
    "投资方",
    "建设方",
    "签约双方",
    "双方",
    "旗下",
    "全资",
    "子公司",
    "控股子公司",
    "联合",
    "携手",
    "牵头",
    "通过",
    "依托",
    "推动",
    "推进",
    "吸引",
    "带动",
    "邀请",
    "正式",
    "率先",
    "落户",
    "签署",
    "围绕",
    "来自",
    "赴",
    "签订",
    "签约",
    "开工",
    "投产",
    "获得",
    "发起",
    "设立",
    "成立",
    "组建",
    "就",
    "推荐",
    "引荐",
    "会见",
    "拜访",
    "走访",
    "走进",
    "来到",
    "察看",
    "观摩",
    "考察",
    "联系",
    "对接",
    "洽谈",
    "建议",
    "支持",
    "助力",
    "打造",
    "介绍",
    "举行",
    "举办",
    "记者从",
    "从",
    "表示",
    "认为",
    "指出",
    "参加",
    "出席",
    "见证",
    "获",
    "获批",
    "入选",
    "入驻",
    "进驻",
    "投资建设",
    "投资兴建",
    "争取",
    "梳理",
    "实行",
    "运用",
    "利用",
    "用好",
    "发挥",
    "据",
    "改造",
    "扩建",
    "项目方",
    "此次",
    "本次",
    "该",
    "使",
    "帮助",
    "暨",
    "此外",
    "另外",
    "同时",
    "目前",
    "今年",
    "去年",
    "近日",
    "日前",
    "会上",
    "仪式上",
    "现场",
    "据悉",
    "据介绍",
)
_STRONG = {
    "株式会社",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "控股集团",
    "产业资本集团",
    "集团",
    "公司",
    "银行",
    "产业投资基金",
    "投资基金",
    "股权投资基金",
    "产业基金",
    "母基金",
    "子基金",
    "基金",
    "大学",
    "学院",
    "研究院",
    "研究所",
    "研究中心",
    "实验室",
    "商会",
    "协会",
    "联盟",
}
_GENERIC = re.compile(
    r"^(?:该|这|此|本|其|商|跨国|市场化|政府性|股权|商会|协会|协|海外|国内|国外|境外|一家|某|两家|多家|各|有关|相关|知名|龙头|上市|国有|民营|外资|内资|全资|中外|投资|建设|"
    r"管理|运营|产业|政府|引导|国家|省级|市级|区级|县级|项目|平台|子|母|基金|企业|\d+家?)*"
    r"(?:公司|集团|基金|银行|大学|学院|企业|联盟|协会|商会|研究院|实验室|母基金|子基金|产业基金|投资基金|引导基金)$"
)
# What kind of firm it is, written before its name: 台资企业, 世界500强企业, 上市公司, 龙头企业.
_DESCRIPTOR = re.compile(r"^(?:另一家厂商|另一家企业|另一家|另外一家|(?:台资|港资|外资|外商投资|内资|民营|国有|央企|知名|龙头|骨干|领军|世界500强|中国500强|500强|上市|跨国)"
                         r"(?:企业|公司)?)+")
_COUNTRY = re.compile(r"^(?:英国|美国|德国|日本|韩国|法国|瑞士|荷兰|瑞典|丹麦|意大利|新加坡|以色列|香港|台湾|澳门|国内|海外|外国|"
                      r"境外|本地|当地|一家|某)+")
_DESCRIPTOR_MID = re.compile(r"(?:台资|港资|外资|外商投资|民营|国有|知名|龙头|上市|跨国)(?:企业|公司)|另一家厂商|另一家企业|车企|药企|"
                             r"营运商|运营商")
# a short name that invests by itself (台商 approvals: 宏远光电将投资…, 厂商鸿准精密则规划投入…)
_ACTOR = re.compile(rf"(?:(?<=^)|(?<=[，,。；;：:])|(?<=厂)(?!商)|(?<=厂商)|(?<=企业))(?P<name>[{_CJK}]{{3,6}}?)"
                    r"(?=(?:则|也|还|亦)?(?:将|拟|计划|规划|预计)(?:投资|投入|斥资|增资)(?:约|近|超|逾)?(?:新台币|美元|人民币)?\d)")
_NOT_ACTOR = re.compile(r"^(?:该|本|我|这|其|此|各|另|全|今|明|去|共)|(?:市|县|区|省|州|镇|乡|村|政府|公司|集团|企业|项目|"
                        r"双方|方面|园区|开发区|今年|明年|年内|近期|预计|计划|目前|同时|此外|其中)$")
# boundary characters that also occur inside company names, right after their place (均胜, 天和, 德和, 同创)
_NAME_CHARS = frozenset("和均同")
_ADMIN_END = frozenset("省市县区州盟旗镇乡村")
# an investor the text does not name (国内某大型电子零组件集团): not an organisation mention
# (also an unnamed subject before a project: leadfilters.INDEFINITE)
UNNAMED_INVESTOR = re.compile(r"另一家|(?:国内|国外|海外|省外|市外)某|某(?:大型|知名|龙头|头部|上市|国内|外资|台资|港资|央企|国企|民营)")
_KIND_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:企业|车企|药企|房企|公司|厂商|经开区|高新区|开发区|园区|新区)")
_FULL_AFTER = re.compile(r"(?:[A-Za-z][A-Za-z .&-]{1,30}|[\u4e00-\u9fff（）()]{2,30})(?:集团|股份有限公司|有限责任公司|有限公司)")
_INDUSTRY_WORD = re.compile(r"^(?:新能源|新材料|电子|汽车|科技|信息|智能|数字|生物|医药|装备|制造|高端|绿色|先进|化工|能源|"
                            r"光伏|储能|医疗|健康|食品|材料|半导体|集成电路|软件|信息技术|新型|现代|精细|电子信息)+$")
_NOT_ORG_AFTER = set("港园镇城楼厦路街")
# a university and the first subject of a college's name (电子科技大学信息|与通信工程学院, 交通大学机械|与动力工程学院)
_SUBJECT_TAIL = re.compile(rf"大学[{_CJK}]{{2,8}}$")
_COLLEGE = re.compile(rf"[{_CJK}]{{1,10}}(?:学院|系|研究院|研究所)")
# what a firm makes, written before its short name in Taiwan approvals: 电路板大厂健鼎科技, 半导体封测厂精材科技
_MAKER_BEFORE = re.compile(rf"^[{_CJK}]{{2,10}}?(?:大厂|厂商|厂|业者|龙头)(?=[{_CJK}A-Za-z]{{4}})")
_DATE_AFTER = re.compile(r"\d{1,2}月\d{1,2}日|\d{4}年|[今昨前]日|近日|日前")
_GOV = re.compile(r"(?:政府|管委会|委员会|办公室|局|厅|部|署|中心|党委|人大|政协)$")


def _bare_stem(name: str) -> bool:
    """Whether a company name is only a field and a legal suffix (食品有限公司, 科技公司): no name of its own."""
    stem = re.sub(r"(?:股份有限公司|有限责任公司|有限公司|股份公司|集团公司|公司|集团)$", "", name)
    return len(stem) <= 1 or bool(_INDUSTRY_WORD.match(stem))


@dataclass(frozen=True)
class Org:
    """An organisation mention with its span; ``known`` when it came from the dictionary."""

    name: str
    start: int
    end: int
    known: bool = False


class OrgFinder:
    """Finds organisations; built once (dictionary and suffix regexes compiled)."""

    def __init__(
        self, extra_names: list[str] | None = None, cut: Cut | None = None, is_place: Callable[[str], bool] | None = None
    ) -> None:
        self._cut = cut  # a word segmenter: a boundary character inside a name word (数据, 美的) does not split
        self._is_place = is_place or (lambda name: False)  # 马鞍山将投资…: a place, not an actor
        provinces = [short_name(r.name) or r.name for r in default_regions().by_code.values() if r.level == "province"]
        self._host_place = re.compile(rf"[{_CJK}]{{1,12}}?(?:[区县市旗]|园内|区内)(?=(?:{trie_pattern(provinces)}))")
        suffixes = read_list("org_suffixes.txt")
        self._strong = [s for s in suffixes if s in _STRONG]
        self._weak = [s for s in suffixes if s not in _STRONG]
        self._suffix = re.compile(trie_pattern(suffixes))
        self._strong_set = set(self._strong)
        self._known = re.compile(trie_pattern([*read_list("orgs.txt"), *(extra_names or [])]))
        self._boundary = re.compile(trie_pattern(_BOUNDARY_WORDS))
        self._pieces = lru_cache(maxsize=4096)(self._relative_pieces)  # runs recur clause by clause after the body

    def _split(self, run: str, offset: int) -> list[tuple[str, int]]:
        """Cut a name run at boundary words; returns (piece, absolute start)."""
        return [(piece, offset + at) for piece, at in self._pieces(run)]

    def _relative_pieces(self, run: str) -> tuple[tuple[str, int], ...]:
        pieces: list[tuple[str, int]] = []
        last = 0
        found = list(self._boundary.finditer(run))
        glued = name_word_spans(run, self._cut, unknown=False) if any(len(m.group(0)) == 1 for m in found) else []
        for m in found:
            if len(m.group(0)) == 1 and run[max(0, m.start() - 1) : m.end()] in GLUED:
                continue
            if len(m.group(0)) == 1 and any(a >= last and (a < m.start() < b or a < m.end() < b) for a, b in glued):
                continue  # a word of the name holds it (美的); not one that starts in the boundary before (签约方为)
            if (len(m.group(0)) == 1 and m.group(0) in _NAME_CHARS
                    and self._place_head(run[last : m.start()], conjunction=m.group(0) != "均")
                    and not any(self._is_place(run[m.end() : m.end() + k]) for k in (2, 3))):
                continue  # 宁波均胜电子, 包头天和永磁: a place and at most one character before it open a name
            if m.start() > last:
                pieces.append((run[last : m.start()], last))
            last = m.end()
        if last < len(run):
            pieces.append((run[last:], last))
        return tuple(pieces)

    def _place_head(self, piece: str, *, conjunction: bool) -> bool:
        """A place's short form and one more character (包头天, 澳门德): a company name's opening, not a party before
        和/同. After a bare short form (宁波) only 均 counts: 宁波和X公司 is two parties."""
        if not 2 <= len(piece) <= 4 or piece[-1] in _ADMIN_END:
            return False
        return (len(piece) >= 3 and self._is_place(piece[:-1]) and piece[-2] not in _ADMIN_END) or (
            not conjunction and self._is_place(piece))

    def find(self, text: str) -> list[Org]:
        """Organisations in ``text``, left to right, non-overlapping."""
        found: list[Org] = []
        for m in self._known.finditer(text):
            found.append(Org(m.group(0), m.start(), m.end(), known=True))
        for m in _ACTOR.finditer(text):  # 宏远光电将投资52亿元: a name without a suffix, by what it does
            name = m.group("name")
            if not _NOT_ACTOR.search(name) and not self._is_place(name):
                found.append(Org(name, m.start("name"), m.end("name")))
        for run in _RUN.finditer(text):
            if not self._suffix.search(run.group(0)):
                continue  # no organisation suffix, no organisation (and no need to segment the run)
            pieces = self._split(run.group(0), run.start())
            for i, (piece, start) in enumerate(pieces):
                org = self._from_piece(piece, start, text)
                if (i and text[start - 1 : start] in "和与及" and _bare_stem(piece) and self._suffix.search(piece)
                        and self._lone_word(text, pieces[i - 1][1], start - 1)):
                    # 新希望六和食品有限公司: 和 inside a name leaves a bare 食品有限公司; the name starts before it
                    prev_start = pieces[i - 1][1]
                    joined = self._from_piece(text[prev_start : start + len(piece)], prev_start, text)
                    org = joined if joined is not None and not _bare_stem(joined.name) else org
                if i and _SUBJECT_TAIL.search(pieces[i - 1][0]) and text[start - 1 : start] in "与和及" and _COLLEGE.fullmatch(piece):
                    # 电子科技大学信息与通信工程学院: 与 joins two subjects inside a college's name
                    prev_start = pieces[i - 1][1]
                    org = self._from_piece(text[prev_start : start + len(piece)], prev_start, text) or org
                if org is not None:
                    found.append(org)
        found.sort(key=lambda o: (o.start, -(o.end - o.start)))
        out: list[Org] = []
        for org in found:
            if out and org.start < out[-1].end:
                prev = out[-1]
                if (org.end - org.start) > (prev.end - prev.start) and org.start <= prev.start:
                    out[-1] = org
                elif org.end > prev.end and not prev.known and org.start >= prev.start:
                    out[-1] = Org(text[prev.start : org.end], prev.start, org.end)
                continue
            out.append(org)
        return out

    def _lone_word(self, text: str, left: int, at: int) -> bool:
        """Whether text[at] stands as a word of its own (和 in 六|和|食品, not 与 in 参与)."""
        if self._cut is None:
            return False
        pos = left
        for word in self._cut(text[left : at + 3]):
            if pos == at:
                return len(word) == 1
            pos += len(word)
        return False

    def _from_piece(self, piece: str, start: int, text: str) -> Org | None:
        strong_end = weak_end = -1
        for m in self._suffix.finditer(piece):
            if piece[m.end() : m.end() + 1] in _NOT_ORG_AFTER:
                continue  # 烟台基金港, 大学城: a place named after the suffix word
            if m.group(0) in self._strong_set:
                strong_end = m.end()
            elif m.start() >= 2:
                weak_end = m.end()
        end = strong_end
        if end < 0 and weak_end > 0:
            after = text[start + weak_end : start + weak_end + 2]
            if (
                after[:1]
                and re.match(rf"[{_CJK}A-Za-z0-9]", after[:1])
                and not after.startswith(("等", "与", "和", "的", "将", "计划", "则", "拟", "投资", "已", "宣布", "亦", "也",
                                          "还", "落户", "洽谈", "签约", "签署", "签订", "合资", "共建", "达成"))
                and not _DATE_AFTER.match(text, start + weak_end)  # 华锂股份2月9日晚间发布公告
            ):
                return None
            end = weak_end
        if end < 0:
            return None
        if end == weak_end and strong_end < 0:
            stem = piece[:end]
            inner = self._suffix.search(stem, 0, end - 2)
            if inner is not None and inner.start() == 0 or _INDUSTRY_WORD.match(stem):
                return None
        name = piece[:end].strip("-·")
        name = re.sub(r"^(?:\d+(?:\.\d+)?[个家批项]?)+", "", name)
        name = _DESCRIPTOR.sub("", name) if len(_DESCRIPTOR.sub("", name)) >= 4 else name  # 台资企业鸿准…公司
        lead_in = _KIND_BEFORE.match(name)  # 瑞士医疗器械公司Medivance集团, 岳阳经开区湖南鑫瑞…公司: a full name follows
        if lead_in is not None and _FULL_AFTER.fullmatch(name, lead_in.end()):
            name = name[lead_in.end() :]
        host = self._host_place.match(name)  # 湾沚区安徽翼航无人机科技有限公司: the district hosts, the name starts after
        if host is not None and len(name) - host.end() >= 6:
            name = name[host.end() :]
        maker = _MAKER_BEFORE.match(name)
        if maker is not None and not any(self._is_place(name[:k]) for k in (2, 3)) and not _bare_stem(name[maker.end() :]):
            name = name[maker.end() :]
        mid = _DESCRIPTOR_MID.search(name)
        if mid is not None and len(name) - mid.end() >= 4:  # 核准台资企业鸿准…公司: what precedes is not the name
            name = name[mid.end() :]
        lead = len(piece[:end]) - len(name)
        if len(name) < 3 or len(name) > 40 or _GENERIC.match(name) or _GOV.search(name) or UNNAMED_INVESTOR.search(name):
            return None
        if _bare_stem(_COUNTRY.sub("", name)):  # 英国生物科技公司, 一家食品有限公司: what kind of firm, not which
            return None
        if not re.search(rf"[{_CJK}]", name):
            return None
        return Org(name, start + lead, start + lead + len(name))
