"""Generate the simulated county portal (static files + routes + ground truth).

Layout of ``out_dir``::

    portal/        files of the portal host (__HOME__)
    external/      files of the "external" government sites (__EXT__)
    routes.json    special responses (status / redirect / retry_after), GBK
                   prefixes and the Hanweb dataproxy records
    ground_truth.json

Absolute URLs are written with the ASCII tokens ``__HOME__``, ``__EXT__`` and
``__DEAD__``; the server substitutes real origins at serve time.

HTML shapes (what a crawler/extractor meets):

* trs: list ``/{sec}/{col}/index.html``, ``index_1.html`` … (20 a page), pages 2+ only via
  ``<script>createPageHTML(N, i, "index", "html");</script>``; items
  ``<li><a href="./202012/t20201201_100123.html" …>T</a><span>DATE</span></li>``; article content in
  ``<div class="TRS_Editor">``, date line ``<div class="info">发布时间：2020-12-01 09:30　来源：…</div>``.
* hanweb: list ``/col/col{cid}/index.html`` with the first 60 records in
  ``<script type="text/xml"><datastore>…<record><![CDATA[<li>…</li>]]></record>…`` then ``jpage({...})``;
  the rest from ``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=&columnid=&unitid=``
  (GET or POST); articles ``/art/Y/M/D/art_{cid}_{id}.html``, content in ``<div id="zoom">``, date line
  ``<div class="art-info"><span>发布时间：2020-12-01</span> <span>来源：…</span>…``.
* plain: list ``index.html``, ``index_2.html`` … with ``<div class="pager">…<a href="index_2.html">下一页</a>``;
  articles ``content_{id}.html``, content in ``<div class="article-content">``, date line
  ``<p class="date-line">发布时间：2020年12月01日　来源：…</p>``.
* 信息公开目录 block before the <h1> (trs: ``<table class="xxgk-table">`` th/td pairs, ISO dates; hanweb:
  ``<dl class="xxgk-info"><dt>索引号：</dt><dd>…</dd>…``; plain: ``<div class="doc-meta"><p>索引号：…　　发布机构：…</p>…``
  with 2020年1月7日 dates). The disclosure label is the last ``<p>`` of the content, after the signature and
  date paragraphs.
"""
from __future__ import annotations

import html
import json
import posixpath
import random
import shutil
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

from . import text as T

AS_OF = date(2020, 12, 31)
SITE_NAME = "长沙市开福区人民政府"
SITE_ID = "4301050001"
SITE_DOMAIN = "www.kaifu.gov.cn"
ICP = "湘ICP备05006000号"
GA = "湘公网安备 43010502000123号"
PER_PAGE = 20
HANWEB_FIRST = 60
HOME, EXT, DEAD, SOFT = "__HOME__", "__EXT__", "__DEAD__", "__SOFT__"
LIMITS = {"news": 14, "notice": 183, "policy": 183, "personnel": 365, "plan": 365}
CATEGORY_CN = {"news": "动态要闻", "notice": "通知公告", "policy": "政策文件", "personnel": "人事信息",
               "plan": "规划计划", "interaction": "互动交流", "other": "其他"}
SOFT404_TEXT = "对不起，您访问的页面不存在或已被删除！"
PRESETS = {"small": 300, "demo": 1500, "large": 24000}

SECTIONS = [  # key, name, index path
    ("home", "首页", "/index.html"),
    ("qzf", "区政府", "/qzf/index.html"),
    ("zwgk", "政府信息公开", "/zwgk/index.html"),
    ("zwfw", "政务服务", "/zwfw/index.html"),
    ("sjkf", "数据开福", "/sjkf/index.html"),
    ("jdhy", "解读回应", "/jdhy/index.html"),
    ("hdjl", "互动交流", "/hdjl/index.html"),
    ("xfkf", "幸福开福", "/xfkf/index.html"),
]
SEC = {k: (n, p) for k, n, p in SECTIONS}
GBK_SECTIONS = {"zwfw"}

# key, name, section, category, official, cms, date_format, weight, department, kind, plan, meta_style, hanweb columnid
COLUMN_SPECS = [
    ("gzdt", "工作动态", "qzf", "news", False, "trs", "iso", 32, "区政府办", "news", "ok", None, None),
    ("bmdt", "部门动态", "qzf", "news", False, "trs", "bracket", 20, "区政府办", "news", "ok", None, None),
    ("jddt", "街道动态", "qzf", "news", False, "plain", "cn", 14, "区政府办", "news", "stale", None, None),
    ("tpxw", "图片新闻", "qzf", "news", False, "trs", "none", 10, "区融媒体中心", "photo", "ok", None, None),
    ("tzgg", "通知公告", "zwgk", "notice", False, "hanweb", "iso", 70, "区政府办", "notice", "ok", None, 1234),
    ("gsgg", "公示公告", "zwgk", "notice", False, "hanweb", "cn", 12, "区政府办", "publicity", "ok", None, 1241),
    ("qzfwj", "区政府文件", "zwgk", "policy", True, "trs", "iso", 8, "区政府办", "doc", "ok", "table", None),
    ("qzfbwj", "区政府办文件", "zwgk", "policy", True, "hanweb", "bracket", 8, "区政府办", "doc", "ok", "dl", 1256),
    ("gfxwj", "规范性文件", "zwgk", "policy", True, "plain", "iso", 6, "区司法局", "doc", "stale", "text", None),
    ("rsrm", "人事任免", "zwgk", "personnel", False, "trs", "cn", 6, "区人社局", "personnel", "ok", None, None),
    ("ghjh", "规划计划", "zwgk", "plan", False, "plain", "iso", 4, "区发改局", "plan", "stale", None, None),
    ("czyjs", "财政预决算", "zwgk", "plan", False, "trs", "bracket", 6, "区财政局", "budget", "ok", None, None),
    ("xxgkzn", "政府信息公开指南", "zwgk", "other", False, "plain", "iso", 2, "区政府办", "guide", "ok", None, None),
    ("zkly", "招考录用", "zwfw", "personnel", False, "trs", "iso", 10, "区人社局", "recruit", "ok", None, None),
    ("yshj", "营商环境", "zwfw", "other", False, "plain", "cn", 12, "区行政审批服务局", "business", "ok", None, None),
    ("tjxx", "统计信息", "sjkf", "other", False, "hanweb", "iso", 8, "区统计局", "stats", "ok", None, 1263),
    ("sjfb", "数据发布", "sjkf", "other", False, "plain", "iso", 0, "区统计局", "stats", "empty", None, None),
    ("zcjd", "政策解读", "jdhy", "policy", False, "hanweb", "iso", 8, "区政府办", "interp", "ok", None, 1270),
    ("hygq", "回应关切", "jdhy", "other", False, "trs", "iso", 0, "区政府办", "news", "empty", None, None),
    ("qzxx", "区长信箱", "hdjl", "interaction", False, "plain", "iso", 26, "区信访局", "letter", "ok", None, None),
    ("yqfk", "疫情防控", "xfkf", "news", False, "trs", "iso", 14, "区卫健局", "epidemic", "ok", None, None),
    ("zdxm", "重大项目", "xfkf", "other", False, "hanweb", "cn", 8, "区发改局", "project", "ok", None, 1285),
]
KIND_TOPICS = {
    "news": ["resume", "business", "rural", "safety", "city", "ecology", "livelihood", "edu", "industry",
             "flood", "security", "epidemic"],
    "photo": ["city", "ecology", "industry", "livelihood"],
    "notice": ["safety", "city", "epidemic", "openness", "livelihood", "flood"],
    "publicity": ["livelihood", "openness"],
    "doc": ["business", "safety", "city", "ecology", "livelihood", "industry", "openness"],
    "personnel": ["openness"],
    "plan": ["industry", "city", "ecology", "openness", "livelihood"],
    "budget": ["openness", "livelihood"],
    "guide": ["openness"],
    "recruit": ["livelihood", "openness"],
    "business": ["business", "resume"],
    "stats": ["industry", "resume"],
    "interp": ["business", "livelihood", "openness", "city"],
    "project": ["industry", "city"],
    "epidemic": ["epidemic", "resume"],
    "letter": ["city"],
}
STATS_SENTENCES = [
    "全区完成地区生产总值{inv}亿元，同比增长{spct}%。",
    "规模以上工业增加值同比增长{spct}%，增速较上月提高0.{month}个百分点。",
    "完成固定资产投资{inv}亿元，其中产业投资增长{spct}%。",
    "社会消费品零售总额{inv}亿元，降幅持续收窄。",
    "一般公共预算收入{num}万元，完成年度预算的{pct}%。",
    "城乡居民人均可支配收入分别增长{spct}%和{spct}%。",
    "注：本数据为初步统计数，最终以统计年鉴公布数据为准。",
]
DOC_OPENERS = ["各街道办事处，区直各单位：", "各街道办事处，区人民政府各工作部门、各直属机构："]
INTERP_HEADS = ["一、出台背景", "二、主要内容", "三、政策亮点", "四、适用范围"]
DOC_HEADS = ["一、总体要求", "二、主要任务", "三、保障措施"]
LINK_TEXTS = ["相关政策原文", "点击查看详情", "办事指南下载", "原文链接", "历史公告", "相关阅读", "政策文件查询"]
EXT_PAGES = [("/gov/index.html", "中国政府网"), ("/hunan/index.html", "湖南省人民政府"),
             ("/changsha/index.html", "长沙市人民政府")] + \
    [(f"/gov/zhengce/content_{i}.html", f"国务院政策文件库（{i}）") for i in range(1, 7)] + \
    [(f"/hunan/szf/content_{i}.html", f"湖南省政府文件（{i}）") for i in range(1, 6)] + \
    [(f"/changsha/xxgk/content_{i}.html", f"长沙市政府信息公开（{i}）") for i in range(1, 6)]
ATTACH_TYPES = ["pdf", "doc", "xls", "docx"]
# template plants (checks.templates): a typo in a footer line only the Hanweb family's pages carry, and a
# meta tag missing from every article of one column. Each is one defect with "template": true.
HANWEB_PREFIXES = ("/col/", "/art/")
TEMPLATE_TYPO = ("按装", "安装")
TEMPLATE_TYPO_LINE = "为获得最佳浏览效果，建议{w}IE9及以上版本或其他主流浏览器"
TEMPLATE_OMIT = ("tpxw", "ContentSource")
# personal-data lists attached as files the crawler reads (pdf, docx, xlsx)
PEOPLE_ATTACH_TYPES = ["xlsx", "docx", "pdf"]
MEETING_KINDS = {"news", "photo", "epidemic", "business", "project", "notice", "interp", "plan"}
GENERIC_DOC = [s for s in T.GENERIC if "{leader}" not in s and "会议" not in s]


class Col:
    def __init__(self, spec):
        (self.key, self.name, self.sec, self.category, self.official, self.cms, self.datefmt, self.weight,
         self.dept, self.kind, self.plan, self.meta_style, self.cid) = spec
        self.enc = "gbk" if self.sec in GBK_SECTIONS else "utf-8"
        self.unitid = None if self.cid is None else 5678 + (self.cid % 17)
        self.dir = f"/col/col{self.cid}/" if self.cms == "hanweb" else f"/{self.sec}/{self.key}/"
        self.url = self.dir + "index.html"
        self.items: list[Item] = []
        self.list_pages: list[str] = []
        self.desc = f"发布{T.DEPT_FULL.get(self.dept, '长沙市开福区' + self.dept[1:])}{self.name}信息"
        self.keywords = f"开福区,{self.name},{SEC[self.sec][0]}"


class Item:
    __slots__ = ("id", "col", "date", "time", "title", "path", "source", "typos", "serious", "traps_sent",
                 "links", "attachments", "doc", "people", "letter", "pager")

    def __init__(self, iid, col, d):
        self.id = iid
        self.col = col
        self.date = d
        self.time = ""
        self.title = ""
        self.path = ""
        self.source = col.dept
        self.typos = []        # (wrong, right, sentence)
        self.serious = []      # (wrong, right, sentence)
        self.traps_sent = []   # correct sentences planted as traps
        self.links = []        # (href, text, inline:bool)
        self.attachments = []  # (path, name)
        self.doc = None
        self.people = None
        self.letter = None
        self.pager = None


def _png(w, h, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _id_check(s17: str) -> str:
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * k for c, k in zip(s17, w)) % 11]


def _esc(s):
    return html.escape(s, quote=False)


def _attr(s):
    return html.escape(s, quote=True)


def _fmt_date(d: date, fmt: str) -> str:
    if fmt == "iso":
        return d.isoformat()
    if fmt == "bracket":
        return f"[{d.isoformat()}]"
    if fmt == "cn":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    return ""


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _rel(frm: str, to: str) -> str:
    r = posixpath.relpath(to, posixpath.dirname(frm))
    return r


class Generator:
    def __init__(self, out_dir: Path, articles: int, seed: int):
        self.out = Path(out_dir)
        self.n = int(articles)
        self.seed = seed
        self.rng = random.Random(seed)
        self.cols = [Col(s) for s in COLUMN_SPECS]
        self.colmap = {c.key: c for c in self.cols}
        self.defects: list[dict] = []
        self.traps: list[dict] = []
        self.routes = {"home": {}, "ext": {}}
        self.flags: dict[str, dict] = {}   # path -> {"omit": tag, "no_site_id": True}
        self.home_links: list[tuple] = []  # (href, text, block)
        self.pages: list[str] = []
        self._dirs: set[str] = set()
        self.next_id = 100001
        self.missing_attach: set[str] = set()
        self.list_shift: dict[int, int] = {}     # item id -> days its column list date is off (date_conflict)
        self.pubdate_shift: dict[int, int] = {}  # item id -> days its PubDate tag is off (date_conflict)
        self.template_omit: tuple | None = None    # (column key, meta tag) missing on all its articles
        self.attachment_docs: dict[str, bytes] = {}  # attachment path -> its (real) document bytes

    # ------------------------------------------------------------ helpers
    def write(self, rel_path: str, data, root="portal", enc="utf-8"):
        p = self.out / root / rel_path.lstrip("/")
        d = str(p.parent)
        if d not in self._dirs:
            p.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(d)
        if isinstance(data, str):
            data = data.encode(enc)
        p.write_bytes(data)

    def defect(self, **kw):
        self.defects.append(kw)

    def trap(self, **kw):
        self.traps.append(kw)

    # ------------------------------------------------------------ build
    def run(self):
        self.allocate()
        for c in self.cols:
            self.make_items(c)
        self.plan_defects()
        self.plan_freshness()
        self.plan_content_checks()
        self.plant_script_title()
        self.render_all()
        self.record_template_plants()
        self.write_resources()
        self.write_external()
        self.write_meta_files()
        return self.out

    def allocate(self):
        live = [c for c in self.cols if c.plan != "empty"]
        tw = sum(c.weight for c in live)
        raw = [self.n * c.weight / tw for c in live]
        base = [max(2, int(x)) for x in raw]
        rem = self.n - sum(base)
        order = sorted(range(len(live)), key=lambda i: (-(raw[i] - int(raw[i])), i))
        i = 0
        while rem > 0:
            base[order[i % len(order)]] += 1
            rem -= 1
            i += 1
        while rem < 0:  # tiny article counts
            j = max(range(len(live)), key=lambda k: base[k])
            base[j] -= 1
            rem += 1
        self.alloc = {c.key: b for c, b in zip(live, base)}

    def newest_for(self, c: Col) -> date:
        r = self.rng
        if c.key == "gzdt":
            return date(2020, 12, 30)
        if c.plan == "stale":
            lim = LIMITS[c.category]
            return AS_OF - timedelta(days=lim + r.randint(15, 60))
        if c.category == "news":
            return AS_OF - timedelta(days=r.randint(1, 5))
        if c.category in ("notice", "policy"):
            return AS_OF - timedelta(days=r.randint(1, 40))
        if c.category in ("personnel", "plan"):
            return AS_OF - timedelta(days=r.randint(3, 90))
        return AS_OF - timedelta(days=r.randint(1, 30))

    def make_items(self, c: Col):
        n = self.alloc.get(c.key, 0)
        if n == 0:
            return
        r = self.rng
        newest = self.newest_for(c)
        oldest = date(2020, 1, 2) if newest.year == 2020 else date(newest.year, 1, 5)
        span = (newest - oldest).days
        dates = [newest] + [oldest + timedelta(days=r.randint(0, span)) for _ in range(n - 1)]
        dates.sort()
        items = []
        for d in dates:
            it = Item(self.next_id, c, d)
            self.next_id += 1
            it.time = f"{r.randint(8, 18):02d}:{r.choice(['00', '05', '10', '15', '20', '30', '40', '45', '50'])}"
            it.path = self.item_path(c, it)
            self.make_title(it)
            items.append(it)
        items.reverse()  # newest first
        c.items = items

    def item_path(self, c, it):
        d = it.date
        if c.cms == "trs":
            return f"{c.dir}{d.year}{d.month:02d}/t{d.year}{d.month:02d}{d.day:02d}_{it.id}.html"
        if c.cms == "hanweb":
            return f"/art/{d.year}/{d.month}/{d.day}/art_{c.cid}_{it.id}.html"
        return f"{c.dir}content_{it.id}.html"

    def make_title(self, it):
        r = self.rng
        c = it.col
        topic = T.TOPIC_NAMES[r.choice(KIND_TOPICS[c.kind])]
        f = T.Filler(r, _cn(it.date), topic)
        k = c.kind
        if k in ("news",):
            t = r.choice(T.NEWS_TITLES)
        elif k == "photo":
            t = r.choice(T.PHOTO_TITLES)
        elif k == "notice":
            t = r.choice(T.NOTICE_TITLES)
        elif k == "publicity":
            t = r.choice(T.PUBLICITY_TITLES)
            it.people = True
        elif k == "recruit":
            t = r.choice(T.RECRUIT_TITLES)
            it.people = "公示" in t
        elif k == "doc":
            subj = r.choice(T.DOC_SUBJECTS)
            org = "长沙市开福区人民政府办公室" if c.key == "qzfbwj" else "长沙市开福区人民政府"
            t = f"{org}关于印发《{subj}》的通知"
            self.make_doc(it, subj, org)
        elif k == "personnel":
            t = f"长沙市开福区人民政府关于{T.person_name(r)}等同志职务任免的通知"
        elif k == "plan":
            t = r.choice(T.PLAN_TITLES)
        elif k == "budget":
            t = r.choice(T.BUDGET_TITLES)
            it.source = "区财政局"
        elif k == "guide":
            t = r.choice(T.GUIDE_TITLES)
        elif k == "business":
            t = r.choice(T.BUSINESS_TITLES).replace("{n}", str(r.randint(10, 40)))
        elif k == "stats":
            t = r.choice(T.STATS_TITLES).replace("{m}", str(max(2, it.date.month - 1)))
        elif k == "interp":
            t = r.choice(T.INTERP_TITLES).replace("{doc}", r.choice(T.DOC_SUBJECTS))
        elif k == "project":
            t = r.choice(T.PROJECT_TITLES)
        elif k == "epidemic":
            t = r.choice(T.EPIDEMIC_TITLES)
        elif k == "letter":
            t = r.choice(T.LETTER_TITLES)
            it.letter = {"status": "已回复", "from": r.choice(T.SURNAMES) + "**",
                         "reply_date": min(it.date + timedelta(days=r.randint(2, 15)), AS_OF - timedelta(days=1)),
                         "reply_dept": r.choice(T.DEPTS)}
            it.source = "区长信箱"
        else:
            t = "开福区{topic}工作动态"
        it.title = T.fill(t, f)
        if k in ("news", "photo", "epidemic", "business", "project") and r.random() < 0.5:
            it.source = r.choice(T.DEPTS)

    def make_doc(self, it, subj, org):
        r = self.rng
        c = it.col
        code = "002" if c.key == "qzfbwj" else "001"
        self._docseq = getattr(self, "_docseq", 0) + 1
        prefix = "开政办发" if c.key == "qzfbwj" else "开政发"
        written = it.date - timedelta(days=r.randint(1, 10))
        label = r.choices(["（此件主动公开）", "(此件主动公开)", "（此件公开发布）", "（此件依申请公开）"],
                          [7, 1, 1, 1])[0]
        it.doc = {"fields": [("索引号", f"430105{code}/{it.date.year}-{self._docseq:05d}"),
                             ("发布机构", org),
                             ("成文日期", written),
                             ("文号", f"{prefix}〔{written.year}〕{r.randint(1, 60)}号"),
                             ("主题分类", r.choice(T.DOC_THEMES)),
                             ("发布日期", it.date)],
                  "subject": subj, "org": org, "written": written, "label": label, "missing": None}
        if c.key == "gfxwj":
            it.doc["fields"].append(("有效性", "有效"))

    # ------------------------------------------------------------ defects
    def all_items(self):
        for c in self.cols:
            yield from c.items

    def plan_defects(self):
        r = self.rng
        n = self.n
        arts = [it for it in self.all_items() if it.col.kind != "letter"]
        self.plan_broken_links(arts)
        self.plan_typos(arts)
        self.plan_context_typos(arts)
        self.plan_serious(arts)
        self.plan_former_titles(arts)
        # official documents
        docs = [it for it in self.all_items() if it.doc]
        k = min(max(3, len(docs) // 8), len(docs) // 2)
        picks = r.sample(docs, 2 * k) if docs else []
        for it in picks[:k]:
            it.doc["label"] = None
        for it in picks[k:]:
            it.doc["missing"] = r.choice(["索引号", "发布机构", "成文日期", "文号", "主题分类"])
        # privacy
        ppl = [it for it in self.all_items() if it.people]
        nid = nmob = max(3, n // 100)
        for it in ppl:
            it.people = self.make_people(it)
        slots = []
        for kind, cnt in (("id_number", nid), ("mobile", nmob)):
            slots += [kind] * cnt
        if ppl:
            order = ppl[:]
            r.shuffle(order)
            for i, kind in enumerate(slots):
                it = order[i % len(order)]
                rows = [row for row in it.people if not row["leak"]]
                if not rows:
                    continue
                row = r.choice(rows)
                row["leak"] = kind
        # letters
        letters = self.colmap["qzxx"].items
        old = [it for it in letters if date(2020, 1, 10) <= it.date <= date(2020, 9, 15)]
        recent = [it for it in letters if it.date >= date(2020, 10, 20)]
        for it in r.sample(old, min(len(old), max(3, len(letters) // 10))):
            it.letter["status"] = "办理中"
        for it in r.sample(recent, min(len(recent), 2)):
            it.letter["status"] = "办理中"
        # meta tags / site id
        list_idx = [c for c in self.cols if c.items]
        nmeta = max(5, n // 60)
        n_list = max(2, nmeta // 3)
        site_tags = ["SiteName", "SiteDomain", "SiteIDCode"]
        for c in r.sample(list_idx, min(n_list, len(list_idx))):
            self.flags.setdefault(c.url, {})["omit"] = r.choice(
                site_tags + ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"])
        for it in r.sample(arts, nmeta - min(n_list, len(list_idx))):
            self.flags.setdefault(it.path, {})["omit"] = r.choice(
                site_tags + ["ArticleTitle", "PubDate", "ContentSource"])
        for it in r.sample(arts, max(3, n // 100)):
            self.flags.setdefault(it.path, {})["no_site_id"] = True
        # attachments (real ones)
        for it in arts:
            if it.doc or r.random() < 0.08:
                for j in range(1, (2 if r.random() < 0.3 else 1) + 1):
                    ext = r.choice(ATTACH_TYPES)
                    it.attachments.append((f"/attach/{it.date.year}/{it.date.month:02d}/fj_{it.id}_{j}.{ext}",
                                           f"附件{j}：{it.doc['subject'] if it.doc else it.title}.{ext}"))
        # good links: external pages and other articles
        for it in arts:
            if r.random() < 0.12:
                p, t = r.choice(EXT_PAGES)
                it.links.append((EXT + p, t, r.random() < 0.3))
            if r.random() < 0.08:
                other = r.choice(arts)
                if other is not it:
                    it.links.append((HOME + other.path, other.title, False))

    def make_people(self, it):
        r = self.rng
        rows = []
        for _ in range(r.randint(4, 9)):
            area = r.choice(["430105", "430102", "430103", "430104", "430111", "430121", "430181"])
            bd = date(1962, 1, 1) + timedelta(days=r.randint(0, 38 * 365))
            s17 = f"{area}{bd.year}{bd.month:02d}{bd.day:02d}{r.randint(0, 999):03d}"
            idn = s17 + _id_check(s17)
            mob = r.choice(["130", "131", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
                            "177", "180", "181", "186", "187", "188", "189", "199"]) + f"{r.randint(0, 99999999):08d}"
            rows.append({"name": T.person_name(r), "sex": r.choice("男女"), "id": idn, "mobile": mob,
                         "leak": None, "post": r.choice(["综合管理岗", "社区服务岗", "财务岗", "文字综合岗", "窗口服务岗"])})
        return rows

    def pick_source(self, arts, target, used):
        r = self.rng
        for _ in range(50):
            it = r.choice(arts)
            if (it.path, target) not in used:
                used.add((it.path, target))
                return it
        return None

    def plan_broken_links(self, arts):
        r = self.rng
        nb = max(4, self.n // 80)
        used: set = set()
        home_classes = {"http_404": 2, "refused": 1, "http_5xx": 1, "redirect_to_404": 1, "soft_404": 1}
        ext404 = 0
        for cls in ["http_404", "http_410", "http_5xx", "refused", "redirect_loop", "redirect_to_404",
                    "soft_404", "missing_attachment"]:
            ntargets = max(2, (nb + 1) // 2)
            targets = []
            for k in range(1, ntargets + 1):
                if cls == "http_404":
                    if k % 2:
                        t = f"{HOME}/xxgk/old/art_{k}.html"
                    else:
                        t = f"{EXT}/hunan/szf/missing_{k}.html"
                        ext404 += 1
                elif cls == "http_410":
                    t = f"{HOME}/zwgk/archive/doc_{k}.html"
                    self.routes["home"][t[len(HOME):]] = {"status": 410}
                elif cls == "http_5xx":
                    if k % 2:
                        t = f"{HOME}/interface/list_{k}.html"
                        self.routes["home"][t[len(HOME):]] = {"status": 500}
                    else:
                        t = f"{EXT}/changsha/api/svc_{k}.html"
                        self.routes["ext"][t[len(EXT):]] = {"status": 503}
                elif cls == "refused":
                    t = f"{DEAD}/zwfw/item_{k}.html"
                elif cls == "redirect_loop":
                    a, b = f"/redirect/loop_{k}_a.html", f"/redirect/loop_{k}_b.html"
                    self.routes["home"][a] = {"status": 302, "location": HOME + b}
                    self.routes["home"][b] = {"status": 302, "location": HOME + a}
                    t = HOME + a
                elif cls == "redirect_to_404":
                    a, b, c = f"/old/news_{k}.html", f"/old/archive/news_{k}.html", f"/zwgk/removed/news_{k}.html"
                    self.routes["home"][a] = {"status": 301, "location": HOME + b}
                    self.routes["home"][b] = {"status": 301, "location": HOME + c}
                    t = HOME + a
                elif cls == "soft_404":
                    t = f"{HOME}/qzf/gzdt/201912/t20191203_{800000 + k}.html"
                    self.routes["home"][t[len(HOME):]] = {"status": 200, "soft404": True}
                else:  # missing_attachment: the path is chosen per source below
                    t = None
                targets.append(t)
            for i in range(nb):
                t = targets[i % ntargets]
                on_home = i < home_classes.get(cls, 0)
                if cls == "missing_attachment":
                    it = r.choice(arts)
                    ext = r.choice(ATTACH_TYPES)
                    path = f"/attach/{it.date.year}/{it.date.month:02d}/fj_{it.id}_9{i}.{ext}"
                    it.attachments.append((path, f"附件：{it.title[:16]}（补充材料）.{ext}"))
                    self.missing_attach.add(path)
                    self.defect(check="broken_link", url=HOME + it.path, target=HOME + path, **{"class": cls},
                                on_home=False, column=it.col.name)
                    continue
                if on_home:
                    used.add(("/index.html", t))
                    self.home_links.append((t, r.choice(["政务服务网上办事大厅", "政府信息公开年报", "网上信访",
                                                         "便民服务查询", "政策文件库"]), "bsfw"))
                    self.defect(check="broken_link", url=HOME + "/index.html", target=t, **{"class": cls},
                                on_home=True, column=None)
                    continue
                it = self.pick_source(arts, t, used)
                if it is None:
                    continue
                it.links.append((t, r.choice(LINK_TEXTS), r.random() < 0.5))
                self.defect(check="broken_link", url=HOME + it.path, target=t, **{"class": cls},
                            on_home=False, column=it.col.name)
        self.plan_more_link_classes(arts, used)
        # healthy traps: rate limited external pages, redirects to live pages
        for k in range(1, 4):
            p = f"/gov/rate/limited_{k}.html"
            self.routes["ext"][p] = {"status": 429, "retry_after": 1, "once": True}
            srcs = ["/index.html"] if k == 1 else []
            srcs += [self.pick_source(arts, EXT + p, used).path for _ in range(2 if k > 1 else 1)]
            for s in srcs:
                if s == "/index.html":
                    self.home_links.append((EXT + p, "国务院客户端", "yqlj"))
                else:
                    self.item_by_path(s).links.append((EXT + p, "国务院政策解读", False))
                self.trap(kind="rate_limited", url=HOME + s, target=EXT + p)
        live = [a for a in arts]
        for k in range(1, 4):
            dest = r.choice(live)
            p = f"/old/ok_{k}.html"
            self.routes["home"][p] = {"status": 301, "location": HOME + dest.path}
            if k == 1:
                self.home_links.append((HOME + p, "网上办事指南", "bsfw"))
                src = "/index.html"
            else:
                src = self.pick_source(arts, HOME + p, used).path
                self.item_by_path(src).links.append((HOME + p, dest.title, False))
            self.trap(kind="redirect_ok", url=HOME + src, target=HOME + p, final=HOME + dest.path)
        for k in range(1, 3):
            p = f"/changsha/old/{k}.html"
            self.routes["ext"][p] = {"status": 301, "location": EXT + "/changsha/index.html"}
            src = self.pick_source(arts, EXT + p, used)
            src.links.append((EXT + p, "长沙市人民政府网站", False))
            self.trap(kind="redirect_ok", url=HOME + src.path, target=EXT + p, final=EXT + "/changsha/index.html")
        self.home_links.append((HOME + "/admin/login.html", "后台管理", "top"))
        self.trap(kind="robots_skipped", url=HOME + "/index.html", target=HOME + "/admin/login.html")
        for t in ("mailto:kfqzfb@kaifu.gov.cn", "tel:0731-84592100", "javascript:void(0)", "#top"):
            self.trap(kind="not_fetched", url=HOME + "/index.html", target=t)

    def plant_script_title(self):
        """One article whose title holds a <script> (stored escaped, as a CMS would): reports must show it as text."""
        it = next((it for it in self.all_items() if it.typos and it.col.kind == "news"), None)
        if it is None:
            return
        script = "<script>document.title='XSS';document.documentElement.setAttribute('data-xss','1')</script>"
        it.title = script + it.title
        self.trap(kind="script_title", url=HOME + it.path, evidence=script, title=it.title, column=it.col.name)

    def plan_more_link_classes(self, arts, used):
        """Link classes beyond the first eight: dns, timeout, too many redirects, a host's own
        not-found page answered with 200 (learned soft 404), malformed URLs; and traps that
        must stay healthy: 403 bot blocking, Chinese and space paths, backslashes."""
        r = self.rng
        nb = max(3, self.n // 200)
        self.extra_pages = []
        for cls in ("dns", "timeout", "too_many_redirects", "soft_404_learned", "bad_url"):
            targets = []
            for k in range(1, 3):
                if cls == "dns":
                    t = f"http://zwfw-{k}.portal-audit-sim.invalid/index.html"
                elif cls == "timeout":
                    t = f"{EXT}/slow/api_{k}.html"
                    self.routes["ext"][t[len(EXT):]] = {"status": 200, "sleep": 10}
                elif cls == "too_many_redirects":
                    hops = [f"/redirect/hop_{k}_{i}.html" for i in range(13)]
                    for a, b in zip(hops, hops[1:]):
                        self.routes["home"][a] = {"status": 302, "location": HOME + b}
                    t = HOME + hops[0]
                elif cls == "soft_404_learned":
                    t = f"{SOFT}/news/deleted_{k}.html"
                else:
                    t = f"http://[fe80::{k}" if k == 1 else "http://www.kaifu.gov.cn:80a/zwgk/index.html"
                targets.append(t)
            for i in range(nb):
                t = targets[i % len(targets)]
                it = self.pick_source(arts, t, used)
                if it is None:
                    continue
                it.links.append((t, r.choice(LINK_TEXTS), False))
                self.defect(check="broken_link", url=HOME + it.path, target=t,
                            **{"class": "soft_404" if cls == "soft_404_learned" else cls},
                            on_home=False, column=it.col.name)
        for k in range(1, 3):
            p = f"/gov/protected_{k}.html"
            self.routes["ext"][p] = {"status": 403}
            it = self.pick_source(arts, EXT + p, used)
            it.links.append((EXT + p, "政务服务平台", False))
            self.trap(kind="blocked", url=HOME + it.path, target=EXT + p)
        self.write("/news/index.html", "<html><head><meta charset=\"utf-8\"><title>市直部门网站</title></head>"
                   "<body><h1>市直部门网站</h1><p>新闻动态</p></body></html>", root="soft")
        self.write("/_notfound.html", "<html><head><meta charset=\"utf-8\"><title>温馨提示</title></head>"
                   "<body><p>温馨提示：您要找的内容暂时无法显示，请返回首页继续浏览。</p></body></html>", root="soft")
        it = self.pick_source(arts, SOFT + "/news/index.html", used)
        it.links.append((SOFT + "/news/index.html", "市直部门网站", False))
        self.trap(kind="soft_host_ok", url=HOME + it.path, target=SOFT + "/news/index.html")
        from urllib.parse import quote
        for k, raw in enumerate(["/政务公开/办事 指南.html", "/政务公开/服务指南（2020年版）.html"], 1):
            self.extra_pages.append(raw)   # written with the other pages in render_all
            it = self.pick_source(arts, HOME + raw, used)
            it.links.append((HOME + raw, "办事指南", False))
            self.trap(kind="normalised_ok", url=HOME + it.path, target=HOME + quote(raw, safe="/"))
        it = self.pick_source(arts, "bs", used)
        it.links.append(("\\zwgk\\index.html", "政府信息公开", False))
        self.trap(kind="normalised_ok", url=HOME + it.path, target=HOME + "/zwgk/index.html")

    def item_by_path(self, path):
        if not hasattr(self, "_bypath"):
            self._bypath = {it.path: it for it in self.all_items()}
        return self._bypath[path]

    def plan_typos(self, arts):
        r = self.rng
        nt = max(36, self.n // 8)
        pairs = list(T.HELDOUT_TYPOS)   # written apart from the shipped dictionary
        order = []
        while len(order) < nt:
            r.shuffle(pairs)
            order += pairs
        for wrong, right, sent in order[:nt]:
            for _ in range(200):
                it = r.choice(arts)
                if all(w != wrong for w, _, _ in it.typos) and len(it.typos) < 3:
                    break
            else:
                continue
            it.typos.append((wrong, right, sent.replace("{w}", wrong)))
            self.defect(check="typo", url=HOME + it.path, evidence=wrong, suggestion=right, column=it.col.name,
                        list="heldout")
            # trap: the right word on another page
            other = r.choice(arts)
            other.traps_sent.append(sent.replace("{w}", right))
            self.trap(kind="correct_word", url=HOME + other.path, evidence=right)
        for sent in T.HELDOUT_TRAPS:   # a wrong-looking sequence across a word boundary
            it = r.choice(arts)
            it.traps_sent.append(sent)
            self.trap(kind="correct_sentence", url=HOME + it.path, evidence=sent)

    def plan_context_typos(self, arts):
        """Look-alike real words used wrongly (法制政府), for the context rules; and their right uses."""
        r = self.rng
        pairs = list(T.CONTEXT_TYPOS)
        r.shuffle(pairs)
        for wrong, right, sent in pairs[:max(6, min(len(pairs), self.n // 100))]:
            it = r.choice(arts)
            if any(w == wrong for w, _, _ in it.typos):
                continue
            it.typos.append((wrong, right, sent.replace("{w}", wrong)))
            self.defect(check="typo", url=HOME + it.path, evidence=wrong, suggestion=right, column=it.col.name,
                        list="context", layer="context")
        for sent in T.CONTEXT_TRAPS:
            it = r.choice(arts)
            it.traps_sent.append(sent)
            self.trap(kind="correct_sentence", url=HOME + it.path, evidence=sent)

    def plan_former_titles(self, arts):
        """The oldest articles name leaders with the titles they held then: correct, never a serious error."""
        for sent, it in zip(T.FORMER_TITLES, sorted(arts, key=lambda a: (a.date, a.id))):
            it.traps_sent.append(sent)
            self.trap(kind="former_title", url=HOME + it.path, evidence=sent, date=it.date.isoformat())

    def plan_serious(self, arts):
        r = self.rng
        ns = max(6, self.n // 50)
        variants = list(T.SERIOUS_VARIANTS)
        r.shuffle(variants)
        tmpl = {p: (t, md) for t, p, md in T.POLITICAL}
        used = set()
        i = 0
        tries = 0
        while i < ns and tries < ns * 50:
            tries += 1
            wrong, right = variants[i % len(variants)]
            t, md = tmpl[right]
            it = r.choice(arts)
            if it.path in used or it.date.strftime("%m-%d") < md or it.date.year != 2020:
                continue
            used.add(it.path)
            it.serious.append((wrong, right, t.replace("{p}", wrong)))
            it.traps_sent.append(t.replace("{p}", right))
            self.defect(check="serious_error", url=HOME + it.path, evidence=wrong, suggestion=right,
                        column=it.col.name)
            self.trap(kind="correct_phrase", url=HOME + it.path, evidence=right)
            i += 1

    # ------------------------------------------------------------ freshness plants
    def plan_freshness(self):
        """stale_page and date_conflict defects and their traps, drawn from a separate RNG so that
        everything planted before stays exactly as it was."""
        r = random.Random(self.seed * 7919 + 5)
        # a yearly page (年度报告) whose newest version is over a year old; a superseded old guide (trap)
        c = self.colmap["xxgkzn"]
        if c.items:
            base = c.items[0].title.split("（")[0]
            rep = self._extra_item(c, date(AS_OF.year - 1, 3, 29), f"开福区{AS_OF.year - 2}年政府信息公开工作年度报告")
            self.defect(check="stale_page", url=HOME + rep.path, column=c.name, kind="yearly")
            old = self._extra_item(c, date(AS_OF.year - 2, 6, 1), f"{base}（{AS_OF.year - 2}年版）")
            self.trap(kind="superseded_yearly_page", url=HOME + old.path)
            c.items.sort(key=lambda it: it.date, reverse=True)
        # 规范性文件 still marked 有效 after 有效期至 (defects); valid ones and expired ones marked 失效 (traps)
        c = self.colmap["gfxwj"]
        docs = [it for it in c.items if it.doc]
        r.shuffle(docs)
        for i, it in enumerate(docs[:4]):
            until = min(it.date + timedelta(days=r.randint(60, 120)), AS_OF - timedelta(days=r.randint(3, 20)))
            if i == 2:
                it.doc["fields"].append(("有效期至", date(AS_OF.year + 2, 12, 31)))
                self.trap(kind="valid_document", url=HOME + it.path)
            elif until <= it.date:
                continue
            elif i < 2:
                it.doc["fields"].append(("有效期至", until))
                self.defect(check="stale_page", url=HOME + it.path, column=c.name, kind="expired")
            else:
                it.doc["fields"] = [(k, "失效" if k == "有效性" else v) for k, v in it.doc["fields"]]
                it.doc["fields"].append(("有效期至", until))
                self.trap(kind="expired_marked_invalid", url=HOME + it.path)
        # list dates that disagree with their articles, and a PubDate tag that disagrees with its page
        cands = [it for c in self.cols if c.plan == "ok" and c.kind != "letter" and c.datefmt != "none"
                 for it in c.items[1:-1]]
        for it in r.sample(cands, min(2, len(cands))):
            self.list_shift[it.id] = -r.randint(3, 9)
            self.defect(check="date_conflict", url=HOME + it.path, column=it.col.name, kind="list_vs_page")
        photos = [it for it in self.colmap["tpxw"].items[1:] if self.flags.get(it.path, {}).get("omit") != "PubDate"]
        if photos:
            it = r.choice(photos)
            self.pubdate_shift[it.id] = -r.randint(3, 9)
            self.defect(check="date_conflict", url=HOME + it.path, column=it.col.name, kind="pubdate_vs_page")

    def _extra_item(self, c, d, title):
        it = Item(self.next_id, c, d)
        self.next_id += 1
        it.time = "09:00"
        it.path = self.item_path(c, it)
        it.title = title
        c.items.append(it)
        return it

    # ------------------------------------------------------------ content-check plants
    def plan_content_checks(self):
        """Template findings, catalogue-metadata errors, a misplaced label, footer identifiers and personal data
        in attachments; drawn from their own RNG so that everything planted before stays exactly as it was."""
        r = random.Random(self.seed * 7919 + 11)
        self.template_omit = TEMPLATE_OMIT
        docs = [it for it in self.all_items() if it.doc and it.doc["missing"] is None and it.doc["label"]]
        if len(docs) >= 3:
            bad_index, late, misplaced = r.sample(docs, 3)
            bad_index.doc["fields"] = [(k, v.replace("/", "-", 1) if k == "索引号" else v)
                                       for k, v in bad_index.doc["fields"]]
            self.defect(check="missing_metadata", url=HOME + bad_index.path, evidence="索引号",
                        column=bad_index.col.name, reason="malformed")
            late.doc["fields"] = [(k, late.date + timedelta(days=r.randint(2, 6)) if k == "成文日期" else v)
                                  for k, v in late.doc["fields"]]
            self.defect(check="missing_metadata", url=HOME + late.path, evidence="成文日期",
                        column=late.col.name, reason="after_publish")
            misplaced.doc["label_before_date"] = True
            self.defect(check="missing_disclosure_label", url=HOME + misplaced.path, column=misplaced.col.name,
                        reason="misplaced")
        # footer identifiers missing on single pages
        arts = [it for it in self.all_items() if it.col.kind != "letter"]
        for flag, evidence in (("no_icp", "ICP备案号"), ("no_ga", "公安机关备案号"), ("no_badge", "党政机关网站标识")):
            for it in r.sample(arts, 2 if flag == "no_icp" else 1):
                self.flags.setdefault(it.path, {})[flag] = True
                self.defect(check="missing_site_id", url=HOME + it.path, evidence=evidence, column=it.col.name)
        # name lists attached as xlsx, docx and pdf: one unmasked ID number and one mobile in each, the rest masked
        people = [it for it in self.all_items() if it.people]
        for i, it in enumerate(r.sample(people, min(len(people), len(PEOPLE_ATTACH_TYPES)))):
            ext = PEOPLE_ATTACH_TYPES[i]
            path = f"/attach/{it.date.year}/{it.date.month:02d}/mdl_{it.id}.{ext}"
            it.attachments.append((path, f"附件：拟公示人员名单.{ext}"))
            self.attachment_docs[path] = self.people_document(r, it, path, ext)

    def people_document(self, r, it, path, ext):
        rows = [["序号", "姓名", "性别", "身份证号码", "联系电话"]]
        leak_id, leak_mobile = r.sample(range(5), 2)
        for n in range(5):
            bd = date(1965, 1, 1) + timedelta(days=r.randint(0, 35 * 365))
            s17 = f"{r.choice(['430105', '430102', '430111'])}{bd:%Y%m%d}{r.randint(0, 999):03d}"
            idn = s17 + _id_check(s17)
            mob = r.choice(["135", "139", "152", "186", "199"]) + f"{r.randint(0, 99999999):08d}"
            masked_id, masked_mob = idn[:6] + "*" * 8 + idn[-4:], mob[:3] + "****" + mob[-4:]
            if n == leak_id:
                self.defect(check="privacy_leak", url=HOME + path, evidence=masked_id, kind="id_number",
                            column=it.col.name, attachment=True)
            else:
                self.trap(kind="masked_id_in_attachment", url=HOME + path, evidence=masked_id)
            if n == leak_mobile:
                self.defect(check="privacy_leak", url=HOME + path, evidence=masked_mob, kind="mobile",
                            column=it.col.name, attachment=True)
            rows.append([str(n + 1), T.person_name(r), r.choice("男女"), idn if n == leak_id else masked_id,
                         mob if n == leak_mobile else masked_mob])
        title = f"{it.title}（名单）"
        from . import documents
        if ext == "xlsx":
            return documents.xlsx_bytes([[title]] + rows)
        if ext == "docx":
            return documents.docx_bytes([title, "公示期间如有异议，请向区人社局反映。"], table=rows)
        return documents.pdf_bytes([title] + ["  ".join(row) for row in rows])

    def in_template_omit(self, path, tag):
        """A page of the column whose article template lacks the tag (counted in the one template defect)."""
        c = self.colmap[TEMPLATE_OMIT[0]]
        return self.template_omit is not None and tag == TEMPLATE_OMIT[1] and path in {it.path for it in c.items}

    def record_template_plants(self):
        c = self.colmap[TEMPLATE_OMIT[0]]
        if c.items:
            self.defect(check="missing_meta_tag", url=HOME + c.url, evidence=TEMPLATE_OMIT[1], column=c.name,
                        template=True, pages_affected=len(c.items))
        hanweb_pages = sum(1 for p in self.pages if p.startswith(HANWEB_PREFIXES))
        if hanweb_pages:
            self.defect(check="typo", url=HOME + "/index.html", evidence=TEMPLATE_TYPO[0], suggestion=TEMPLATE_TYPO[1],
                        column=None, template=True, field="footer", pages_affected=hanweb_pages)

    # ------------------------------------------------------------ page parts
    def href(self, frm, to, style):
        """to: a root path. style: rel | root | abs."""
        if style == "rel":
            return _rel(frm, to)
        if style == "abs":
            return HOME + to
        return to

    def metas(self, path, column=None, article=None):
        tags = [("SiteName", SITE_NAME), ("SiteDomain", SITE_DOMAIN), ("SiteIDCode", SITE_ID)]
        if column is not None:
            name, desc, kw, typ = column
            tags += [("ColumnName", name), ("ColumnDescription", desc), ("ColumnKeywords", kw), ("ColumnType", typ)]
        if article is not None:
            tags += [("ArticleTitle", article.title), ("PubDate", f"{(article.date + timedelta(days=self.pubdate_shift.get(article.id, 0))).isoformat()} {article.time}"),
                     ("ContentSource", article.source), ("Keywords", article.col.name + ",开福区"),
                     ("Description", article.title)]
        omit = self.flags.get(path, {}).get("omit")
        if article is not None and self.template_omit and article.col.key == self.template_omit[0]:
            tags = [(k, v) for k, v in tags if k != self.template_omit[1]]
        return "".join(f'<meta name="{k}" content="{_attr(v)}">\n' for k, v in tags if k != omit)

    def head(self, path, enc, title, metas, style):
        css = self.href(path, "/css/style.css", style)
        return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="{enc}">\n'
                f'<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f'<title>{_esc(title)}</title>\n{metas}<link rel="stylesheet" type="text/css" href="{css}">\n'
                f'</head>\n<body>\n<div id="top"></div>\n')

    def header(self, path, style, active=None):
        h = self.href(path, "/index.html", style)
        logo = self.href(path, "/images/logo.png", "rel" if style == "rel" else "root")
        nav = []
        for k, name, p in SECTIONS:
            cls = ' class="on"' if k == active else ""
            nav.append(f'<li{cls}><a href="{self.href(path, p, style)}">{name}</a></li>')
        return (f'<div class="topbar"><span>欢迎访问长沙市开福区人民政府门户网站</span>'
                f'<a href="javascript:void(0)" onclick="SetHome(this)">设为首页</a>'
                f'<a href="javascript:void(0)" onclick="AddFavorite()">加入收藏</a>'
                f'<a href="mailto:kfqzfb@kaifu.gov.cn">联系我们</a></div>\n'
                f'<div class="header"><a href="{h}"><img src="{logo}" alt="{SITE_NAME}"></a></div>\n'
                f'<div class="nav"><ul>{"".join(nav)}</ul></div>\n')

    def footer(self, path, style):
        img = lambda n: self.href(path, f"/images/{n}", "rel" if style == "rel" else "root")  # noqa: E731
        about = self.href(path, "/about/index.html", style)
        smap = self.href(path, "/wzdt/index.html", style)
        fl = self.flags.get(path, {})
        sid = "" if fl.get("no_site_id") else f"网站标识码：{SITE_ID}　"
        icp = "" if fl.get("no_icp") else f'<a href="{EXT}/beian/index.html" target="_blank">{ICP}</a>　'
        ga = "" if fl.get("no_ga") else \
            f'<a href="{EXT}/gaba/index.html" target="_blank"><img src="{img("ga.png")}" alt="公安备案">{GA}</a>'
        badge = "" if fl.get("no_badge") else \
            f'<p><a href="{EXT}/dzjg/index.html" target="_blank"><img src="{img("dzjg.png")}" alt="党政机关"></a></p>\n'
        # the Hanweb family's pages share one more footer line, with a typo in it (one template finding)
        hanweb = (f"<p>{TEMPLATE_TYPO_LINE.format(w=TEMPLATE_TYPO[0])}</p>\n"
                  if path.startswith(HANWEB_PREFIXES) else "")
        js = self.href(path, "/js/common.js", "rel" if style == "rel" else "root")
        return (f'<div class="footer">\n<p><a href="{about}">关于本网</a> | <a href="{smap}">网站地图</a> | '
                f'<a href="mailto:kfqzfb@kaifu.gov.cn">联系我们</a> | <a href="#top">返回顶部</a></p>\n'
                f'<p>主办单位：长沙市开福区人民政府办公室　承办单位：长沙市开福区政务服务和大数据中心</p>\n'
                f'<p>{sid}{icp}{ga}</p>\n{badge}{hanweb}'
                f'</div>\n<script src="{js}"></script>\n</body>\n</html>\n')

    def col_meta(self, c):
        return (c.name, c.desc, c.keywords, CATEGORY_CN[c.category])

    # ------------------------------------------------------------ bodies
    def body_paragraphs(self, it):
        """Plain-text paragraphs of an article's main content (no HTML)."""
        r = random.Random(self.seed * 1000003 + it.id)
        c = it.col
        topics = KIND_TOPICS[c.kind]
        topic = r.choice(topics)
        f = T.Filler(r, _cn(it.date), T.TOPIC_NAMES[topic])
        generic = T.GENERIC if c.kind in MEETING_KINDS else GENERIC_DOC
        pool = list(dict.fromkeys(T.S[topic] + T.S[r.choice(topics)] + generic))
        if c.kind == "stats":
            pool = list(STATS_SENTENCES) + list(T.S["industry"])
        md = it.date.strftime("%m-%d")
        pols = [t.replace("{p}", p) for t, p, d in T.POLITICAL if md >= d and it.date.year == 2020]
        r.shuffle(pool)
        target = r.randint(300, 700) if it.people or c.kind in ("personnel", "stats", "guide") else r.randint(300, 1500)
        paras = []
        length = 0
        if c.kind == "doc":
            paras.append(r.choice(DOC_OPENERS))
            paras.append(f"现将《{it.doc['subject']}》印发给你们，请结合实际，认真贯彻执行。")
        if pols and r.random() < 0.45:
            paras.append(r.choice(pols))
        heads = DOC_HEADS if c.kind == "doc" else INTERP_HEADS if c.kind == "interp" else None
        hi = 0
        while length < target and pool:
            if heads and hi < len(heads) and (len(paras) % 2 == 0):
                paras.append(heads[hi])
                hi += 1
            k = r.randint(2, 4)
            sents = [T.fill(pool.pop(), f) for _ in range(min(k, len(pool)))]
            p = "".join(sents)
            paras.append(p)
            length += len(p)
        if c.kind == "personnel":
            lines = []
            for _ in range(r.randint(2, 4)):
                d = r.choice(T.DEPTS)
                lines.append(f"任命{T.person_name(r)}为{T.DEPT_FULL.get(d)}{r.choice(T.POSITIONS)}；")
            lines.append(f"免去{T.person_name(r)}的{T.DEPT_FULL.get(r.choice(T.DEPTS))}{r.choice(T.POSITIONS)}职务。")
            paras = ["经区人民政府研究决定："] + lines + ["以上同志任职时间自发文之日起计算。"] + paras[:2]
        # planted sentences: each goes into a random body paragraph position
        extra = [s for _, _, s in it.typos] + [s for _, _, s in it.serious] + it.traps_sent
        start = 2 if c.kind == "doc" else 0
        for s in extra:
            pos = r.randint(start, len(paras))
            if heads and pos < len(paras) and paras[pos] in heads:
                pos += 1
            paras.insert(pos, s)
        return paras

    def people_table(self, it):
        rows = ['<table class="gs-table" border="1" cellspacing="0"><tr><th>序号</th><th>姓名</th><th>性别</th>'
                '<th>身份证号码</th><th>联系电话</th><th>岗位</th></tr>']
        for i, p in enumerate(it.people, 1):
            idn, mob = p["id"], p["mobile"]
            id_s = idn if p["leak"] == "id_number" else idn[:4] + "*" * 10 + idn[-4:]
            mob_s = mob if p["leak"] == "mobile" else mob[:3] + "****" + mob[-4:]
            rows.append(f"<tr><td>{i}</td><td>{p['name']}</td><td>{p['sex']}</td><td>{id_s}</td>"
                        f"<td>{mob_s}</td><td>{p['post']}</td></tr>")
        rows.append("</table>")
        return "\n".join(rows)

    def record_people(self, it):
        for p in it.people:
            idn, mob = p["id"], p["mobile"]
            if p["leak"] == "id_number":
                self.defect(check="privacy_leak", url=HOME + it.path, evidence=idn[:6] + "*" * 8 + idn[-4:],
                            kind="id_number", column=it.col.name)
            else:
                self.trap(kind="masked_id", url=HOME + it.path, evidence=idn[:4] + "*" * 10 + idn[-4:])
            if p["leak"] == "mobile":
                self.defect(check="privacy_leak", url=HOME + it.path, evidence=mob[:3] + "****" + mob[-4:],
                            kind="mobile", column=it.col.name)
            else:
                self.trap(kind="masked_mobile", url=HOME + it.path, evidence=mob[:3] + "****" + mob[-4:])

    def doc_block(self, it):
        d = it.doc
        style = it.col.meta_style
        fields = [(k, v) for k, v in d["fields"] if k != d["missing"]]

        def val(v, cn=False):
            if isinstance(v, date):
                return _cn(v) if cn else v.isoformat()
            return v
        if style == "table":
            cells = [f"<th>{k}：</th><td>{_esc(val(v))}</td>" for k, v in fields]
            rows = ["<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2)]
            return '<table class="xxgk-table">\n' + "\n".join(rows) + "\n</table>\n"
        if style == "dl":
            return '<dl class="xxgk-info">' + "".join(
                f"<dt>{k}：</dt><dd>{_esc(val(v))}</dd>" for k, v in fields) + "</dl>\n"
        parts = [f"{k}：{_esc(val(v, True))}" for k, v in fields]
        lines = ["　　".join(parts[i:i + 2]) for i in range(0, len(parts), 2)]
        return '<div class="doc-meta">' + "".join(f"<p>{ln}</p>" for ln in lines) + "</div>\n"

    def content_html(self, it, frm, style):
        """Inner HTML of the main content container."""
        out = []
        indent = ' style="text-indent:2em"' if it.col.cms == "trs" else ""
        paras = self.body_paragraphs(it)
        heads = set(DOC_HEADS) | set(INTERP_HEADS)
        if it.col.kind == "photo":
            out.append(f'<p style="text-align:center"><img src="{self.href(frm, f"/images/photo/p{it.id % 8 + 1}.png", style if style != "abs" else "root")}" alt="{_attr(it.title)}"></p>')
        for p in paras:
            if p in heads:
                out.append(f"<p><strong>{p}</strong></p>")
            else:
                out.append(f"<p{indent}>{_esc(p)}</p>")
        if it.people:
            intro = "经个人报名、资格审查、考核等程序，现将拟录用（拟发放）人员名单公示如下："
            out.insert(1 if len(out) > 1 else len(out), f"<p{indent}>{intro}</p>\n" + self.people_table(it))
            d2 = it.date + timedelta(days=7)
            out.append(f"<p{indent}>公示期为{_cn(it.date)}至{_cn(d2)}。公示期间，如有异议，请以书面形式向"
                       f"{it.col.dept}反映。联系电话：0731-845{it.id % 100000:05d}。</p>")
        inline = [(h, t) for h, t, inl in it.links if inl]
        for h, t in inline:
            out.insert(len(out) // 2 + 1, f'<p{indent}>详情请见：<a href="{self.link_href(frm, h, style)}" target="_blank">{_esc(t)}</a></p>')
        if it.doc:
            out.append(f'<p style="text-align:right">{it.doc["org"]}</p>')
            out.append(f'<p style="text-align:right">{_cn(it.doc["written"])}</p>')
            if it.doc["label"] and it.doc.get("label_before_date"):
                out.insert(len(out) - 2, f"<p>{it.doc['label']}</p>")
            elif it.doc["label"]:
                out.append(f"<p>{it.doc['label']}</p>")
        if it.attachments:
            att = "".join(f'<li><a href="{self.href(frm, p, style if style != "abs" else "root")}">{_esc(n)}</a></li>'
                          for p, n in it.attachments)
            out.append(f'<div class="attachments"><p>附件：</p><ul>{att}</ul></div>')
        return "\n".join(out)

    def link_href(self, frm, h, style):
        """Turn a token URL into an href in the page's link style (portal links may become relative)."""
        if h.startswith(HOME) and style in ("rel", "root"):
            p = h[len(HOME):]
            return _rel(frm, p) if style == "rel" else p
        return h

    def related_html(self, it, frm, style):
        rel = [(h, t) for h, t, inl in it.links if not inl]
        if not rel:
            return ""
        lis = "".join(f'<li><a href="{self.link_href(frm, h, style)}" target="_blank">{_esc(t)}</a></li>'
                      for h, t in rel)
        return f'<div class="related"><h3>相关链接</h3><ul>{lis}</ul></div>\n'

    def prevnext(self, it, frm, style):
        c = it.col
        i = self._pos[it.id]
        parts = []
        if i > 0:
            o = c.items[i - 1]
            parts.append(f'<p>上一篇：<a href="{self.href(frm, o.path, style)}">{_esc(o.title)}</a></p>')
        if i + 1 < len(c.items):
            o = c.items[i + 1]
            parts.append(f'<p>下一篇：<a href="{self.href(frm, o.path, style)}">{_esc(o.title)}</a></p>')
        return '<div class="prevnext">' + "".join(parts) + "</div>\n"

    # ------------------------------------------------------------ pages
    def article_page(self, it):
        c = it.col
        p = it.path
        style = {"trs": "rel", "hanweb": "root", "plain": "root"}[c.cms]
        sec_name, sec_path = SEC[c.sec]
        title = f"{it.title}_{c.name}_{SITE_NAME}"
        h = [self.head(p, c.enc, title, self.metas(p, self.col_meta(c), it), style),
             self.header(p, "abs" if c.cms == "hanweb" else style, c.sec)]
        crumb = (f'<a href="{self.href(p, "/index.html", style)}">首页</a> &gt; '
                 f'<a href="{self.href(p, sec_path, style)}">{sec_name}</a> &gt; '
                 f'<a href="{self.href(p, c.url, style)}">{c.name}</a>')
        if c.kind == "letter":
            return self.letter_page(it, h, crumb)
        content = self.content_html(it, p, style)
        meta_block = self.doc_block(it) if it.doc else ""
        if c.cms == "trs":
            h.append(f'<div class="container">\n<div class="position">当前位置：{crumb}</div>\n<div class="article">\n'
                     f'{meta_block}<h1 class="title">{_esc(it.title)}</h1>\n'
                     f'<div class="info">发布时间：{it.date.isoformat()} {it.time}　来源：{_esc(it.source)}　'
                     f'<a href="javascript:window.print()">【打印】</a> <a href="javascript:window.close()">【关闭】</a></div>\n'
                     f'<div class="TRS_Editor">\n{content}\n</div>\n'
                     f'{self.related_html(it, p, style)}{self.prevnext(it, p, style)}</div>\n</div>\n')
        elif c.cms == "hanweb":
            h.append(f'<div class="main-box">\n<div class="crumb">您当前的位置：{crumb}</div>\n'
                     f'{meta_block}<h1 class="art-title">{_esc(it.title)}</h1>\n'
                     f'<div class="art-info"><span>发布时间：{it.date.isoformat()}</span> <span>来源：{_esc(it.source)}</span> '
                     f'<span>字号：[<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> '
                     f'<a href="javascript:doZoom(12)">小</a>]</span></div>\n'
                     f'<div id="zoom">\n{content}\n</div>\n{self.related_html(it, p, "abs")}</div>\n')
        else:
            h.append(f'<div class="wrap">\n<p class="breadcrumb">{crumb}</p>\n<h1>{_esc(it.title)}</h1>\n'
                     f'<p class="date-line">发布时间：{_cn_pad(it.date)}　来源：{_esc(it.source)}</p>\n{meta_block}'
                     f'<div class="article-content">\n{content}\n</div>\n'
                     f'{self.related_html(it, p, style)}{self.prevnext(it, p, style)}</div>\n')
        h.append(self.footer(p, style))
        return "".join(h)

    def letter_page(self, it, h, crumb):
        r = random.Random(self.seed * 1000003 + it.id)
        L = it.letter
        f = T.Filler(r, _cn(it.date), "城市管理")
        body = "".join(T.fill(s, f) for s in r.sample(T.LETTER_BODY, 2))
        rows = [("来信标题", _esc(it.title)), ("来信人", L["from"]), ("来信日期", it.date.isoformat()),
                ("来信内容", _esc(body)), ("状态", L["status"])]
        if L["status"] == "已回复":
            f["dept"] = L["reply_dept"]
            reply = "".join(T.fill(s, f) for s in T.REPLY_BODY[:2]) + T.fill(r.choice(T.REPLY_BODY[2:]), f)
            rows += [("回复单位", T.DEPT_FULL[L["reply_dept"]]), ("回复日期", L["reply_date"].isoformat()),
                     ("回复内容", _esc(reply))]
        trs = "\n".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        p = it.path
        h.append(f'<div class="wrap">\n<p class="breadcrumb">{crumb}</p>\n<h1>{_esc(it.title)}</h1>\n'
                 f'<p class="date-line">发布时间：{_cn_pad(it.date)}　来源：区长信箱</p>\n'
                 f'<div class="article-content">\n<table class="letter">\n{trs}\n</table>\n</div>\n'
                 f'{self.prevnext(it, p, "root")}</div>\n')
        h.append(self.footer(p, "root"))
        return "".join(h)

    def list_item_html(self, c, it, frm):
        ds = _fmt_date(it.date + timedelta(days=self.list_shift.get(it.id, 0)), c.datefmt)
        if c.cms == "trs":
            href = "./" + _rel(frm, it.path)
            if c.kind == "photo":
                img = _rel(frm, f"/images/photo/p{it.id % 8 + 1}.png")
                return (f'<li><a href="{href}" target="_blank"><img src="{img}" alt="{_attr(it.title)}"></a>'
                        f'<p><a href="{href}" target="_blank" title="{_attr(it.title)}">{_esc(it.title)}</a></p></li>')
            span = f"<span>{ds}</span>" if ds else ""
            return f'<li><a href="{href}" target="_blank" title="{_attr(it.title)}">{_esc(it.title)}</a>{span}</li>'
        if c.cms == "hanweb":
            return f'<li><a href="{it.path}" title="{_attr(it.title)}" target="_blank">{_esc(it.title)}</a><span>{ds}</span></li>'
        if c.kind == "letter":
            return (f'<tr><td><a href="{_rel(frm, it.path)}" target="_blank">{_esc(it.title)}</a></td>'
                    f'<td>{it.date.isoformat()}</td><td>{it.letter["status"]}</td></tr>')
        return f'<li><span class="date">{ds}</span><a href="{_rel(frm, it.path)}" target="_blank">{_esc(it.title)}</a></li>'

    def list_pages(self, c):
        """Yield (path, html) for every list page of a column."""
        items = c.items
        style = {"trs": "rel", "hanweb": "root", "plain": "root"}[c.cms]
        sec_name, sec_path = SEC[c.sec]
        if c.cms == "hanweb":
            pages = [items]
        else:
            pages = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
        total = len(pages)
        for n, chunk in enumerate(pages):
            if c.cms == "trs":
                path = c.dir + ("index.html" if n == 0 else f"index_{n}.html")
            else:
                path = c.dir + ("index.html" if n == 0 else f"index_{n + 1}.html")
            title = f"{c.name}_{SITE_NAME}"
            h = [self.head(path, c.enc, title, self.metas(path, self.col_meta(c)), style),
                 self.header(path, "abs" if c.cms == "hanweb" else style, c.sec)]
            crumb = (f'<a href="{self.href(path, "/index.html", style)}">首页</a> &gt; '
                     f'<a href="{self.href(path, sec_path, style)}">{sec_name}</a> &gt; {c.name}')
            side = "".join(f'<li><a href="{self.href(path, o.url, style)}">{o.name}</a></li>'
                           for o in self.cols if o.sec == c.sec)
            h.append(f'<div class="container">\n<div class="position">当前位置：{crumb}</div>\n'
                     f'<div class="side"><h3>{sec_name}</h3><ul>{side}</ul></div>\n<div class="list-box">\n'
                     f'<h2 class="column-title">{c.name}</h2>\n')
            if c.cms == "trs":
                h.append('<ul class="news-list">\n' + "\n".join(self.list_item_html(c, it, path) for it in chunk)
                         + "\n</ul>\n")
                h.append(f'<script type="text/javascript" src="{_rel(path, "/js/trs_page.js")}"></script>\n')
                h.append(f'<div class="page"><script>createPageHTML({total}, {n}, "index", "html");</script></div>\n')
            elif c.cms == "hanweb":
                recs = [self.list_item_html(c, it, path) for it in items]
                self._dataproxy[str(c.cid)] = {"unitid": str(c.unitid), "records": recs}
                shown = "".join(f"<record><![CDATA[{x}]]></record>\n" for x in recs[:HANWEB_FIRST])
                h.append(f'<script type="text/javascript" src="/module/jslib/jpage/jpage.js"></script>\n'
                         f'<div id="{c.cid}">\n<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={c.cid}&unitid={c.unitid}"></a>]]></nextgroup><recordset>\n'
                         f'{shown}</recordset></datastore></script>\n'
                         f'<script type="text/javascript">jpage({{"totalRecord":{len(items)},"perPage":{PER_PAGE},"groupSize":3,'
                         f'"proxyUrl":"/module/web/jpage/dataproxy.jsp","columnid":"{c.cid}","unitid":"{c.unitid}"}});</script>\n</div>\n')
            else:
                if c.kind == "letter":
                    h.append('<table class="letter-list">\n<tr><th>标题</th><th>来信日期</th><th>状态</th></tr>\n'
                             + "\n".join(self.list_item_html(c, it, path) for it in chunk) + "\n</table>\n")
                else:
                    h.append('<ul class="list">\n' + "\n".join(self.list_item_html(c, it, path) for it in chunk)
                             + "\n</ul>\n")
                if not chunk:
                    h.append('<p class="empty">暂无信息</p>\n')
                if total > 1:
                    name = lambda k: "index.html" if k == 0 else f"index_{k + 1}.html"  # noqa: E731
                    prev = f'<a href="{name(n - 1)}">上一页</a>' if n > 0 else "<span>上一页</span>"
                    nxt = f'<a href="{name(n + 1)}">下一页</a>' if n + 1 < total else "<span>下一页</span>"
                    h.append(f'<div class="pager"><span>共{len(items)}条 第{n + 1}/{total}页</span> '
                             f'<a href="{name(0)}">首页</a> {prev} {nxt} <a href="{name(total - 1)}">尾页</a></div>\n')
            h.append("</div>\n</div>\n")
            h.append(self.footer(path, style))
            yield path, "".join(h)

    def section_page(self, key):
        name, path = SEC[key]
        enc = "gbk" if key in GBK_SECTIONS else "utf-8"
        style = "rel"
        h = [self.head(path, enc, f"{name}_{SITE_NAME}",
                       self.metas(path, (name, f"{SITE_NAME}{name}栏目", f"开福区,{name}", "栏目导航")), style),
             self.header(path, style, key)]
        h.append(f'<div class="container">\n<div class="position">当前位置：<a href="../index.html">首页</a> &gt; {name}</div>\n')
        for c in self.cols:
            if c.sec != key:
                continue
            lis = "".join(f'<li><a href="{_rel(path, it.path)}" target="_blank">{_esc(it.title)}</a>'
                          f'<span>{it.date.isoformat()}</span></li>' for it in c.items[:6])
            h.append(f'<div class="block"><h2><a href="{_rel(path, c.url)}">{c.name}</a>'
                     f'<a class="more" href="{_rel(path, c.url)}">更多&gt;&gt;</a></h2><ul>{lis}</ul></div>\n')
        h.append("</div>\n")
        h.append(self.footer(path, style))
        return path, "".join(h), enc

    def home_page(self):
        path = "/index.html"
        gz, tz, bm, wj, jd, tp = (self.colmap[k] for k in ("gzdt", "tzgg", "bmdt", "qzfwj", "zcjd", "tpxw"))

        def block(bid, title, more, items, hstyle):
            lis = "".join(f'<li><a href="{self.link_href(path, HOME + it.path, hstyle)}" target="_blank" '
                          f'title="{_attr(it.title)}">{_esc(it.title)}</a><span class="date">{it.date.isoformat()}</span></li>'
                          for it in items)
            return (f'<div class="block" id="{bid}"><h2><a href="{self.link_href(path, HOME + more, hstyle)}">{title}</a></h2>'
                    f'<ul>{lis}</ul><a class="more" href="{self.link_href(path, HOME + more, hstyle)}">更多&gt;&gt;</a></div>\n')
        h = [self.head(path, "utf-8", SITE_NAME, self.metas(path), "rel")]
        top = "".join(f'<a href="{self.link_href(path, u, "root")}">{_esc(t)}</a> ' for u, t, b in self.home_links if b == "top")
        h.append(f'<div class="topbar"><span>欢迎访问长沙市开福区人民政府门户网站</span>'
                 f'<a href="javascript:void(0)" onclick="SetHome(this)">设为首页</a> '
                 f'<a href="mailto:kfqzfb@kaifu.gov.cn">联系我们</a> <a href="tel:0731-84592100">值班电话：0731-84592100</a> {top}</div>\n')
        h.append(f'<div class="header"><a href="index.html"><img src="images/logo.png" alt="{SITE_NAME}"></a></div>\n')
        nav = "".join(f'<li><a href="{p.lstrip("/") if i % 2 else HOME + p}">{n}</a></li>'
                      for i, (k, n, p) in enumerate(SECTIONS))
        h.append(f'<div class="nav"><ul>{nav}</ul></div>\n<div class="main">\n')
        h.append(block("gzdt", "工作动态", gz.url, gz.items[:8], "rel"))
        pics = "".join(f'<li><a href="{_rel(path, it.path)}"><img src="images/photo/p{it.id % 8 + 1}.png" alt="{_attr(it.title)}"></a>'
                       f'<p>{_esc(it.title)}</p></li>' for it in tp.items[:3])
        h.append(f'<div class="block" id="tpxw"><h2><a href="{_rel(path, tp.url)}">图片新闻</a></h2><ul class="pics">{pics}</ul></div>\n')
        h.append(block("tzgg", "通知公告", tz.url, tz.items[:7], "root"))
        h.append(block("bmdt", "部门动态", bm.url, bm.items[:6], "abs"))
        h.append(block("zcwj", "区政府文件", wj.url, wj.items[:5], "rel"))
        h.append(block("zcjd", "政策解读", jd.url, jd.items[:3], "root"))
        zt = "".join(f'<li><a href="{_rel(path, self.colmap[k].url)}">{self.colmap[k].name}</a></li>'
                     for k in ("yqfk", "yshj", "zdxm", "qzxx", "xxgkzn", "zkly"))
        h.append(f'<div class="block" id="ztzl"><h2>专题专栏</h2><ul>{zt}</ul></div>\n')
        bs = "".join(f'<li><a href="{self.link_href(path, u, "root")}" target="_blank">{_esc(t)}</a></li>'
                     for u, t, b in self.home_links if b == "bsfw")
        h.append(f'<div class="block" id="bsfw"><h2>办事服务</h2><ul>{bs}<li><a href="javascript:void(0)">在线咨询</a></li></ul></div>\n')
        yq = "".join(f'<li><a href="{EXT}{p}" target="_blank">{t}</a></li>' for p, t in EXT_PAGES[:3])
        yq += "".join(f'<li><a href="{u}" target="_blank">{_esc(t)}</a></li>' for u, t, b in self.home_links if b == "yqlj")
        h.append(f'<div class="block" id="yqlj"><h2>友情链接</h2><ul>{yq}</ul></div>\n</div>\n')
        h.append(self.footer(path, "rel"))
        return "".join(h)

    def simple_page(self, path, title, inner):
        h = [self.head(path, "utf-8", f"{title}_{SITE_NAME}", self.metas(path), "root"),
             self.header(path, "root"), f'<div class="wrap">\n<h1>{title}</h1>\n{inner}\n</div>\n', self.footer(path, "root")]
        return "".join(h)

    # ------------------------------------------------------------ writing
    def render_all(self):
        self._dataproxy = {}
        self._pos = {}
        for c in self.cols:
            for i, it in enumerate(c.items):
                self._pos[it.id] = i
        pages = ["/index.html"]
        self.write("/index.html", self.home_page())
        for key, name, p in SECTIONS[1:]:
            path, doc, enc = self.section_page(key)
            self.write(path, doc, enc=enc)
            pages.append(path)
        smap = "".join(f'<h2><a href="{p}">{n}</a></h2><ul>' + "".join(
            f'<li><a href="{c.url}">{c.name}</a></li>' for c in self.cols if c.sec == k) + "</ul>"
            for k, n, p in SECTIONS)
        self.write("/wzdt/index.html", self.simple_page("/wzdt/index.html", "网站地图", smap))
        about = ('<p>长沙市开福区人民政府门户网站是开福区人民政府在互联网上发布政务信息、提供在线服务、与公众互动交流的平台。</p>'
                 '<p>联系电话：<a href="tel:0731-84592100">0731-84592100</a>　电子邮箱：'
                 '<a href="mailto:kfqzfb@kaifu.gov.cn">kfqzfb@kaifu.gov.cn</a></p><p>通信地址：长沙市开福区</p>')
        self.write("/about/index.html", self.simple_page("/about/index.html", "关于本网", about))
        pages += ["/wzdt/index.html", "/about/index.html"]
        from urllib.parse import quote
        for raw in getattr(self, "extra_pages", []):
            # paths with Chinese characters and spaces: the crawler sees them percent-encoded
            self.write(raw, self.simple_page(raw, "办事指南", "<p>办事指南：请携带有效证件前往政务服务中心办理。</p>"))
            pages.append(quote(raw, safe="/"))
        for c in self.cols:
            for path, doc in self.list_pages(c):
                self.write(path, doc, enc=c.enc)
                pages.append(path)
                c.list_pages.append(path)
            for it in c.items:
                self.write(it.path, self.article_page(it), enc=c.enc)
                pages.append(it.path)
                if it.people:
                    self.record_people(it)
                if it.doc and it.doc["label"] is None:
                    self.defect(check="missing_disclosure_label", url=HOME + it.path, column=c.name)
                if it.doc and it.doc["missing"]:
                    self.defect(check="missing_metadata", url=HOME + it.path, evidence=it.doc["missing"], column=c.name)
                if it.letter and it.letter["status"] == "办理中":
                    if it.date <= date(2020, 9, 30):
                        self.defect(check="unanswered_message", url=HOME + it.path, column=c.name)
                    else:
                        self.trap(kind="recent_pending_message", url=HOME + it.path)
                for a, _n in it.attachments:
                    if a not in self.missing_attach:
                        self.write(a, self.attachment_docs.get(a) or _attachment_bytes(a, it.id))
        for path in pages:
            fl = self.flags.get(path, {})
            col = self._col_of(path)
            if "omit" in fl and not self.in_template_omit(path, fl["omit"]):
                self.defect(check="missing_meta_tag", url=HOME + path, evidence=fl["omit"], column=col)
            if fl.get("no_site_id"):
                self.defect(check="missing_site_id", url=HOME + path, evidence="网站标识码", column=col)
        self.pages = pages
        # the robots-disallowed page exists, so a crawler ignoring robots.txt would still not see it broken
        self.write("/admin/login.html", '<!DOCTYPE html><html><head><meta charset="utf-8"><title>后台登录</title></head>'
                   '<body><form method="post" action="login.do"><input name="u"><input name="p" type="password">'
                   '<button>登录</button></form></body></html>\n')
        self.write("/404.html", self.not_found_html())
        self.write("/_special/soft404.html",
                   '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>长沙市开福区人民政府</title></head>\n'
                   f'<body><div class="msg"><p>{SOFT404_TEXT}</p><p><a href="/index.html">返回首页</a></p></div></body></html>\n')
        self.write("/robots.txt", "User-agent: *\nDisallow: /admin/\n")

    def _col_of(self, path):
        if not hasattr(self, "_colpaths"):
            self._colpaths = {}
            for c in self.cols:
                for it in c.items:
                    self._colpaths[it.path] = c.name
                for p in c.list_pages:
                    self._colpaths[p] = c.name
        return self._colpaths.get(path)

    def not_found_html(self):
        return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>404 页面不存在</title></head>\n'
                '<body><div class="err404"><h1>404</h1><p>抱歉，您访问的页面不存在！</p>'
                '<p><a href="/index.html">返回首页</a></p></div></body></html>\n')

    def write_resources(self):
        self.write("/css/style.css", "body{font:14px/1.8 \"Microsoft YaHei\",sans-serif;margin:0}"
                   ".nav ul,.list,.news-list{list-style:none}.footer{text-align:center;color:#666}\n")
        self.write("/js/common.js", "function SetHome(o){}function AddFavorite(){}function doZoom(s){"
                   "var z=document.getElementById('zoom');if(z){z.style.fontSize=s+'px';}}\n")
        self.write("/js/trs_page.js",
                   "function createPageHTML(n,c,name,ext){if(n<=1){return;}var h='';"
                   "for(var i=0;i<n;i++){var f=(i==0)?name+'.'+ext:name+'_'+i+'.'+ext;"
                   "h+=(i==c)?'<span>'+(i+1)+'</span> ':'<a href=\"'+f+'\">'+(i+1)+'</a> ';}document.write(h);}\n")
        self.write("/module/jslib/jpage/jpage.js", "function jpage(cfg){/* loads records from cfg.proxyUrl */}\n")
        self.write("/images/logo.png", _png(40, 8, (180, 20, 20)))
        self.write("/images/dzjg.png", _png(12, 12, (220, 0, 0)))
        self.write("/images/ga.png", _png(8, 8, (30, 60, 160)))
        for i in range(1, 9):
            self.write(f"/images/photo/p{i}.png", _png(16, 10, (40 * i % 255, 120, 200 - 20 * i)))

    def write_external(self):
        def page(title, inner):
            return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>\n'
                    f'<body><h1>{title}</h1>\n{inner}\n</body></html>\n')
        for p, t in EXT_PAGES:
            self.write(p, page(t, f'<p>{t}（模拟外部网站页面）</p><p><a href="/gov/index.html">中国政府网</a></p>'), root="external")
        for k in range(1, 4):
            self.write(f"/gov/rate/limited_{k}.html", page("国务院客户端", "<p>政策解读</p>"), root="external")
        self.write("/beian/index.html", page("ICP/IP地址/域名信息备案管理系统", "<p>湘ICP备05006000号</p>"), root="external")
        self.write("/gaba/index.html", page("全国互联网安全管理服务平台", "<p>湘公网安备 43010502000123号</p>"), root="external")
        self.write("/dzjg/index.html", page("党政机关网站标识", "<p>长沙市开福区人民政府</p>"), root="external")
        self.write("/robots.txt", "User-agent: *\nDisallow:\n", root="external")
        self.write("/404.html", page("404 Not Found", "<p>页面不存在</p>"), root="external")

    def write_meta_files(self):
        self.routes["gbk_prefixes"] = [f"/{k}/" for k in sorted(GBK_SECTIONS)]
        self.routes["dataproxy"] = self._dataproxy
        self.routes["soft404_file"] = "/_special/soft404.html"
        self.routes["not_found_file"] = "/404.html"
        cols = []
        for c in self.cols:
            newest = c.items[0].date if c.items else None
            oldest = c.items[-1].date if c.items else None
            if not c.items:
                state = "empty"
            elif c.category in LIMITS and (AS_OF - newest).days > LIMITS[c.category]:
                state = "stale"
            else:
                state = "ok"
            assert state == c.plan, (c.name, state, c.plan)
            cols.append({"name": c.name, "url": HOME + c.url, "section": SEC[c.sec][0], "category": c.category,
                         "official_documents": c.official, "department": c.dept, "cms": c.cms, "encoding": c.enc,
                         "date_format": c.datefmt, "items": len(c.items),
                         "item_urls": [HOME + it.path for it in c.items],
                         "list_pages": [HOME + p for p in c.list_pages],
                         "newest": newest.isoformat() if newest else None,
                         "oldest": oldest.isoformat() if oldest else None, "state": state,
                         "columnid": c.cid, "unitid": c.unitid})
            if state == "stale":
                self.defect(check="stale_column", column=c.name, url=HOME + c.url, newest=newest.isoformat(),
                            category=c.category)
            elif state == "empty":
                self.defect(check="empty_column", column=c.name, url=HOME + c.url)
        home_items = (self.colmap["gzdt"].items[:8] + self.colmap["tzgg"].items[:7] + self.colmap["bmdt"].items[:6]
                      + self.colmap["qzfwj"].items[:5] + self.colmap["zcjd"].items[:3])
        home_newest = max(it.date for it in home_items)
        gt = {"seed": self.seed, "articles": self.n, "as_of": AS_OF.isoformat(),
              "site": {"name": SITE_NAME, "site_id_code": SITE_ID, "home": HOME + "/index.html",
                       "domain": SITE_DOMAIN},
              "home_state": "ok" if (AS_OF - home_newest).days <= 14 else "stale",
              "home_newest": home_newest.isoformat(),
              "sections": [{"name": n, "url": HOME + p} for k, n, p in SECTIONS],
              "pages": [HOME + p for p in self.pages],
              "columns": cols,
              "defects": self.defects,
              "traps": self.traps}
        gt["letters"] = [{"url": HOME + it.path, "column": it.col.name, "date": it.date.isoformat(),
                          "status": it.letter["status"],
                          "reply_date": it.letter["reply_date"].isoformat() if it.letter["status"] == "已回复" else None}
                         for c in self.cols for it in c.items if it.letter]
        (self.out / "ground_truth.json").write_text(json.dumps(gt, ensure_ascii=False, indent=1), encoding="utf-8")
        (self.out / "routes.json").write_text(json.dumps(self.routes, ensure_ascii=False, indent=1, sort_keys=True),
                                              encoding="utf-8")


def _cn_pad(d: date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _attachment_bytes(path: str, seed: int) -> bytes:
    ext = path.rsplit(".", 1)[1]
    if ext == "pdf":
        return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
                b"trailer<</Root 1 0 R>>\n%%EOF\n")
    if ext == "docx":
        return b"PK\x03\x04" + b"\x00" * 26 + f"simulated attachment {seed}".encode()
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24 + f"simulated attachment {seed}".encode()


def generate_portal(out_dir, articles: int = 300, seed: int = 2020) -> Path:
    """Write the simulated portal into ``out_dir`` and return ``out_dir`` as a Path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("portal", "external", "soft"):  # never mix files from an earlier generation
        if (out / sub).is_dir():
            shutil.rmtree(out / sub)
    return Generator(out, articles, seed).run()
