"""Lead filters: the patterns that tell a lead from statistics, meetings, plans, IPOs and public works, and the
tests on candidates (a park that hosts the event, a short name that only opens a project name)."""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.entities.org import UNNAMED_INVESTOR, Org
from nlp.entities.project import Project
from nlp.resources import industry_keywords
from nlp.trie import trie_pattern

# Aggregate statistics: counts of projects/firms, cumulative totals, shares and growth rates.
AGGREGATE = re.compile(
    r"(?:项目|企业|基金|子基金)\s*(?:共|合计|累计|达|有|为|则有|共有)?\s*\d+\s*[个项家只批]"
    r"|\d+\s*[个项家只批](?:[^，,。；;:：]{0,14})?(?:项目|企业|基金)"
    r"|累计|合计|共计|总计|同比|比上年|占比|完成率|百分点|平均|[一二三]产项目"
)
MEETING = re.compile(r"出席|见证|主持|讲话|致辞|参加|参会|陪同|会见|调研")
# an organisation that hosts an event (由X主办、Y承办的对接会): not an investor
HOST_ROLE = re.compile(r"(?:共同|联合)?(?:主办|承办|协办|指导|冠名|赞助)")
FRAMEWORK = re.compile(r"战略合作协议|框架协议|合作备忘录|战略合作")
COREF = re.compile(r"该公司|该企业|该集团|该基金|其投资|公司将|企业将")
SHARED = re.compile(r"这\d*个|这批|这些|以上|共|合计|累计|总计|上述|均|代表|分别")
POLICY = re.compile(r"最高|奖励|补助|补贴|给予|可获得|可享受|申报|政策|办法|措施|条件的|符合")
# A fund a government plans or a policy promises is not a lead (谋划设立…基金, 《…措施》).
FUND_PROMISE = re.compile(r"谋划|逐步|计划[^，,。；;]{0,8}设立|争取设立|支持设立|《|审议|印发|出台")
# a policy release (印发《…若干措施》, 解读《…办法》): the funds it mentions are promises unless set up or signed
POLICY_DOC = re.compile(r"《[^》]{2,40}(?:措施|意见|办法|政策|方案|规定|细则|通知)》")
FUND_DONE = re.compile(r"成立|揭牌|签约|签署|签订|启航|完成(?:首期)?募集|完成工商注册|注册成立")
FORWARD = re.compile(r"(?:投资|投建|建设|打造|布局|落地)(?:[^，,。；;、的]{0,14}?(?:建设|投建))?的")  # "中化集团投资的己内酰胺项目": the org owns what follows
OF_NEXT = re.compile(r"\s*(?:的|境内的|辖区的)\s*")  # a place right before 的 and the next project is that project's
PIECE_END = re.compile(r"[，,；;。:：]")
# where an event takes place (主会场设在X园区, 仪式在X产业园举行): the park right after is a venue, not a project
VENUE = re.compile(r"(?:会场|设在|举行地点|仪式在|活动在|会议在)(?:位于)?$")
# A clause about a project that is only planned (拟在近期挂牌, 谋划, 争取落地) keeps 其他 rather than the report's stage.
# (A planned later milestone of a started project, 计划于8月竣工, does not count: the project keeps its stage.)
PLANNED = re.compile(r"拟(?!总?投资|总投入|用地|占地|建设|新建|年产)|谋划|计划(?:设立|引进|签约|落地)|争取|尽快落地|早日落地"
                     r"|前期论证|前期工作|规划设计|列入[^，,。；;]{0,12}计划")
# A start of construction still ahead: the project keeps the stage it has reached (签约 in a signing report), else 其他.
PLANNED_START = re.compile(r"(?:将于|将在|预计|计划|力争|有望)[^，,。；;]{0,10}(?:开工|动工|开建|奠基|破土)")
SHARE_ONLY = re.compile(r"(?:占比|百分点)+")  # a fund's share (占比20%) is no aggregate statistic
# right after a fund's name: it is set up or launched (…母基金成立大会, …基金宣告成立, …基金正式启航)
FUND_LAUNCH = re.compile(r"(?:宣告|宣布|正式|已|今日|日前)?(?:成立|设立|启航|揭牌|组建|签约|落地|运作)")
# A facility noun without a name of its own ("使其生产基地项目"): named after the investor it refers to.
BARE_FACILITY = re.compile(r"(?:生产|研发|制造|产业|总部)?(?:基地|工厂|厂区|园区|总部)(?:项目)?")
IN_PARK_AFTER = re.compile(r"(?:投资|建设|设立|布局|新建|扩建|兴建)")  # "在苏州工业园区投资…建设的X项目": the park is where
PARK = re.compile(r"(?:产业园|工业园|科技园|园区|开发区|新区)$")
WHERE_BEFORE = re.compile(r"(?:位于|坐落于|地处|地址在)$")
# "X产业园的Y有限公司Z项目": the park is where a named company's project stands
COMPANY_AFTER = re.compile(r"的[\u4e00-\u9fff()（）]{2,30}?(?:有限公司|有限责任公司|集团)")
HOSTS_AFTER = re.compile(r"(?:今年以来|近年来|近期|日前|已|先后|累计)?(?:新)?(?:引进|吸引|集聚|招引)|举行|举办|召开")
# A named project that a work plan pushes forward or schedules (加快推进A、B等项目建设, 续建的A项目计划…): stage 其他
WORKPLAN_PUSH = re.compile(r"加快推进|重点推进|全力推进|将推动|续建|新建的")  # a plan pushes it: its stage is 其他
WORKPLAN = re.compile(WORKPLAN_PUSH.pattern + r"|(?:将于|计划|预计)[^，,。；;]{0,8}(?:开工|建成|竣工|投产)")
ATTRIBUTIVE = re.compile(r"\s*(?:的|建设的|投建的)\s*")
LEGAL_SUFFIX = re.compile(r"(?:公司|集团|学院|大学|研究院|研究所|基金|银行|株式会社)$")
PROJECT_AFTER = re.compile(r"[^，,。；;、（(）)\s]{0,30}?(?:项目|产业园|基地|工厂|中心|园区)")
# training, talent and school-enterprise cooperation: not investment events
TRAINING = re.compile(r"培训|校企合作|订单班|技能人才|现场教学|教学观摩|授课|招聘会")
IPO = re.compile(r"挂牌上市|成功上市|筹备上市|上市辅导|拟上市|在[^，,。；;]{0,6}(?:创业板|科创板|主板|北交所|港交所)|募集资金|公开发行|首发上市|IPO")
PUBLIC_WORKS = re.compile(r"政府投资(?:项目|建设)|财政(?:资金|出资)|由[^，,。；;]{0,8}财政[^，,。；;]{0,8}出资|政府出资建设"
                           r"|(?:高速公路|铁路|轨道交通|地铁|专用线|快速路|大桥|隧道|堤防|河道)(?:[^，,。；;]{0,6}工程|项目)"
                           r"|(?:防洪|排涝|道路|管网|基础设施|交通枢纽)[^，,。；;]{0,6}(?:工程|项目)"
                           r"|由[^，,。；;]{0,4}(?:城投|城建|交投)")
INDEFINITE = re.compile(rf"(?<!第)(?:一个|一项|一家|某)[^，,。；;]{{0,16}}$|{UNNAMED_INVESTOR.pattern}")
TAIWAN = "71"  # region codes of 台湾省
# words that name a kind of project rather than one project (新能源汽车产业项目, 交通水利基础设施项目)
CATEGORY_WORDS = re.compile(r"产业链|上下游|先进|制造业|产业|基础设施|配套|重点|重大|优质|领域|相关|零部件")
CATEGORY_NAME = re.compile(r"(?:超|过)?\d+(?:\.\d+)?亿元(?:以上|级)?|(?:[\u4e00-\u9fff]{2,3}?)?(?:产业链|上下游|先进制造业|制造业|交通|"
                           r"水利|基础设施|配套|产业|电子信息|数字经济|现代服务业|服务业|民生|社会事业|领域)+")
PROJECT_WORD = re.compile(r"项目$")
JOIN_WORDS = re.compile(r"和|及|与|、|以及")
INVEST_ROLES = ("investment", "first_phase", "fund", "other")
SETS_UP_FUND = re.compile(r"设立|成立|发起|组建|签约|签署|签订|启动|启航|揭牌|落地|合作协议|出资")
# a fund named only by what it is (产业发展基金): no name of its own, so its sponsor is the lead's investor
FUND_WORDS = r"产业|发展|投资|股权|创业|创新|科创|引导|乡村振兴|振兴|专项|母|子|并购|天使"
# A sentence about the project just named (该项目由X投资, 这个由X投资的项目): its investor and amount belong there.
ANAPHOR = re.compile(r"^(?:[^，,。]{0,12})?(?:该项目|此项目|本项目|这一项目|这个项目|该基地|该基金|这个[^，,。]{0,30}项目)")


def name_opener(org: Org, projects: list[Project], body: str) -> bool:
    """A short company name that only opens project names (京东方新型显示模组项目) is no investor (the guide),
    unless the text also uses it on its own (郑州比亚迪为龙头 … 比亚迪项目)."""
    if LEGAL_SUFFIX.search(org.name) or not any(p.start <= org.start and org.end <= p.end for p in projects):
        return False
    alone = sum(1 for m in re.finditer(re.escape(org.name), body) if not PROJECT_AFTER.match(body, m.end()))
    return alone == 0




def host_park(text: str, project: Project) -> bool:
    """A park that hosts the event, not a project: "位于X产业园的…", "X产业园今年以来引进…企业"."""
    if not PARK.search(project.name):
        return False
    return bool(WHERE_BEFORE.search(text, 0, project.start) and text.startswith("的", project.end)
                or COMPANY_AFTER.match(text, project.end) or text.startswith("与", project.end)  # a signing party
                or HOSTS_AFTER.match(text, project.end) or VENUE.search(text, 0, project.start)
                or text.endswith("在", 0, project.start) and IN_PARK_AFTER.match(text, project.end))


def clause_investor(orgs: list[Org], text: str) -> tuple[Org | None, Project | None]:
    """The lead's investor in a clause without a project. A fund set up or signed in the clause is the lead
    (its manager or sponsor is not); a fund with only a generic name (产业发展基金) stays the sponsor's project."""
    funds = [o for o in orgs if o.name.endswith("基金") and o.start >= 0]
    others = [o for o in orgs if not o.name.endswith("基金")]
    if funds and others and SETS_UP_FUND.search(text):
        fund = funds[0]
        if generic_fund(fund.name):
            return others[0], Project(fund.name, fund.start, fund.end)
        return fund, None
    return (orgs[0] if orgs else None), None


def launched_fund(project: Project | None, org: Org | None, text: str) -> bool:
    """A fund that is set up or launched (成立, 启航) is a lead even without a stated size."""
    return (project is None and org is not None and org.name.endswith("基金") and org.start >= 0
            and bool(FUND_LAUNCH.match(text, org.end)))


@lru_cache(maxsize=1)
def _generic_fund_pattern() -> re.Pattern[str]:
    words = {w for ws in industry_keywords().values() for w in ws if not w.isascii()}
    return re.compile(rf"(?:{trie_pattern(words)}|产业链|{FUND_WORDS})+基金")


def generic_fund(name: str) -> bool:
    """A fund named only by what it invests in (储能产业子基金, 商用车产业链基金, 产业发展基金): no name of its own."""
    return bool(_generic_fund_pattern().fullmatch(name))
