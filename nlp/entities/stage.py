"""Stage: the project stage of an event sentence (stage: 在谈 | 签约 | 开工 | 投产 | 其他)."""

from __future__ import annotations

import re

_STAGE_WORDS: tuple[tuple[str, str], ...] = (
    ("投产", r"投产|竣工|达产|投用|投入使用|建成投运|并网发电|试生产|试运营|试营业|正式运营|通线"),
    ("开工", r"开工|奠基|动工|开建|破土|进场施工|启动建设|开始建设|转入建设|进入投资建设|加快建设|正在建设|已开建|加紧建设"
             r"|主体建设|主体工程建设|主体完工|主体封顶|厂房主体|封顶|设备安装|设备调试|联动试车|装修|正在吊装|钢结构吊装"
             r"|主体施工|正在施工|施工建设"),
    ("签约", r"签约|签署|签订|签下|草签|达成协议|达成合作|落户|揽下|入账|确立合作|签定|引进|引来"),
    ("在谈", r"洽谈|在谈|对接|磋商|谈判|商谈|考察|接洽|意向"),
)
_STAGE = re.compile("|".join(f"(?P<s{i}>{p})" for i, (_, p) in enumerate(_STAGE_WORDS)))
# A stage word about the future or a condition ("建成投产后", "预计...投产") does not give the event's stage.
_FUTURE_BEFORE = re.compile(
    r"(?:将|预计|计划|拟|有望|力争|争取|确保|建成|全部|全面|待|等到|以便|后期)[^，,。；;]{0,36}$"
)
_DONE_UNLESS_AFTER = ("建成", "全部", "全面")  # future only as "建成投产后", "全面达产后"
_FUTURE_AFTER = re.compile(r"^(?:后|以后|之后|时|达效|达标|后年|前)")
# A plan's later milestones: "计划9月底开工,12月底首台机组并网发电" — the second piece is future too.
_FUTURE_CHAIN = re.compile(
    r"(?:将于|预计|计划|拟|力争|争取)[^。；;!?！？]{0,40}[,，、]\s*"
    r"(?:\d{1,2}月|\d{4}年|[今明后]年|年底|年内|届时|到)[^，,。；;]{0,16}$"
)
# "集中签约、开工" names two stages for a batch without saying which applies to a project (→ 其他).
_JOINT = re.compile(
    r"签约[、和与及暨/]?(?:并)?(?:开工|投产)|开工[、和与及暨/]?(?:签约|投产)|投产[、和与及暨/]?(?:签约|开工)"
)
STAGE_ORDER = ("在谈", "签约", "开工", "投产")
# 落户 as an attribute says where a project is, not what happened to it ("落户南湖区的禾芯…项目")
_ATTRIBUTE = re.compile(r"落户[^，,。；;、]{1,10}?的")


def stage_mentions(text: str) -> list[tuple[str, int]]:
    """(stage, position) of every stage word that is not future/conditional."""
    out: list[tuple[str, int]] = []
    joint = [(m.start(), m.end()) for m in _JOINT.finditer(text)]
    for m in _STAGE.finditer(text):
        if any(lo <= m.start() < hi for lo, hi in joint) or _ATTRIBUTE.match(text, m.start()):
            continue
        stage = _STAGE_WORDS[int(m.lastgroup[1:])][0] if m.lastgroup else "其他"
        if _FUTURE_AFTER.match(text, m.end()) or _FUTURE_AFTER.match(text[m.end() : m.end() + 3]):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        future = _FUTURE_BEFORE.search(before)
        if future and "已" not in before[-4:] and not (
                future.group(0)[:2] in _DONE_UNLESS_AFTER and not _FUTURE_AFTER.match(text, m.end())):
            continue  # (建成投产 / 全面达产 with nothing after it is done: "在固安县建成投产,新增产值…")
        if _FUTURE_CHAIN.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        out.append((stage, m.start()))
    return out


def has_joint_stage(text: str) -> bool:
    """Whether ``text`` reports a batch event of two stages at once (集中签约、开工; 开工投产活动)."""
    return bool(_JOINT.search(text))


def detect_stage(text: str) -> str:
    """The stage stated in ``text``: the first non-future stage word, else 其他."""
    found = stage_mentions(text)
    return max(found, key=lambda f: (STAGE_ORDER.index(f[0]), -f[1]))[0] if found else "其他"
