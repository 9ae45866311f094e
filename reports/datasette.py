"""Browsing the audit database in Datasette: Chinese titles and descriptions for
every table, column and named view, and the command that serves it on loopback.

Datasette is optional (``pip install 'portal-audit[browse]'``). The views
themselves belong to the store (``Store.VIEWS``); this module only describes
them.

>>> metadata_for("audit.db")["databases"]["audit"]["tables"]["findings"]["title"]
'问题（含历史）'
"""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

TABLES = {
    "runs": ("检查运行", "每次检查一行：网站、检查基准日、开始与结束时间、状态和统计。", {
        "id": "运行编号", "site_name": "网站名称", "home": "首页地址", "config_path": "配置文件",
        "config": "本次使用的网站配置（JSON）", "as_of": "检查基准日（规则按此日计算）",
        "started_at": "开始时间（UTC）", "finished_at": "结束时间（UTC）",
        "status": "状态：complete 完成，interrupted 中断，running 进行中", "stats": "抓取统计（JSON）"}),
    "pages": ("抓取的页面", "每次检查抓取到的每个网页，已提取标题、日期、正文和元数据。", {
        "run_id": "运行编号", "url": "页面地址", "final_url": "跳转后的地址", "status": "HTTP 状态码",
        "encoding": "编码", "page_type": "页面类型：home 首页，column 栏目页，article 文章页，other 其他",
        "column": "所属栏目", "list_page_no": "栏目列表页页码", "title": "标题", "publish_date": "发布日期",
        "date_source": "发布日期的来源", "body_text": "正文文字", "metadata": "信息公开目录元数据（JSON）",
        "meta_tags": "网页元数据标签（JSON）", "footer_text": "页面底部文字", "list_items": "列表中的条目（JSON）",
        "pager": "翻页信息（JSON）", "fetched_at": "抓取时间"}),
    "links": ("页面上的链接", "每个页面上的每个链接：来源页面、目标地址、标签和链接文字。", {
        "run_id": "运行编号", "source_url": "所在页面", "target_url": "目标地址", "tag": "HTML 标签",
        "anchor_text": "链接文字", "kind": "类型：page 页面，resource 资源，attachment 附件，external 外部，unsupported 不检查"}),
    "link_statuses": ("链接检查结果", "每个检查过的目标地址的结果，在一处判定，报告与检查只读结果。", {
        "run_id": "运行编号", "url": "目标地址",
        "outcome": "结果：ok 正常，broken 错链接，blocked 被拦截，rate_limited 访问受限，skipped 跳过，unsupported 不检查",
        "reason": "错链接原因", "status_code": "HTTP 状态码", "final_url": "跳转后的地址",
        "redirect_chain": "跳转链（JSON）", "error": "错误信息", "method": "请求方法", "checked_at": "检查时间",
        "signature": "页面可见文字指纹（识别软404）"}),
    "host_probes": ("主机探测", "对每个主机的不存在地址的探测，用于识别软404页面。", {
        "run_id": "运行编号", "host": "主机", "status": "HTTP 状态码", "signature": "页面可见文字指纹"}),
    "availability": ("首页可访问探测", "portal-audit probe 对首页的每次访问：是否在时限内打开（站点无法访问规则，一周内失败达5%即单项否决）。", {
        "id": "编号", "site": "网站名称", "url": "首页地址", "checked_at": "探测时间（UTC）", "ok": "是否正常打开",
        "status": "HTTP 状态码", "seconds": "耗时（秒）", "error": "错误信息"}),
    "column_items": ("栏目条目", "各栏目列表页上显示的条目及其列表日期。", {
        "run_id": "运行编号", "column": "栏目", "url": "条目地址", "title": "条目标题", "list_date": "列表日期",
        "date_raw": "日期原文", "list_url": "所在列表页"}),
    "columns": ("栏目更新情况", "每次检查中每个配置栏目的可访问性、条目数、最新日期、更新时限和状态。", {
        "run_id": "运行编号", "name": "栏目名称", "url": "栏目地址", "category": "栏目类别",
        "official_documents": "是否为公文栏目（需公开属性与目录元数据）", "department": "责任部门",
        "reachable": "能否访问", "items_listed": "列表条目数", "items_crawled": "已抓取条目数",
        "newest_date": "最新信息日期", "oldest_date": "最早信息日期", "items_30d": "近30天条目数",
        "items_90d": "近90天条目数", "items_365d": "近一年条目数", "rule_days": "更新时限（天）",
        "days_since_update": "距上次更新天数", "days_to_limit": "距时限剩余天数（负数为已超期）",
        "state": "状态：ok 正常，warn 预警，stale 未及时更新，empty 空白栏目，unreachable 无法访问"}),
    "findings": ("问题（含历史）", "每个问题一行，以稳定指纹标识，记录首次与最近发现日期和是否已修复。", {
        "fingerprint": "指纹（同一问题各次检查相同）", "site": "网站名称",
        "check": "检查项：broken_link 错链接，typo 错别字，serious_error 严重表述错误，stale_column 栏目未更新 …",
        "severity": "级别：veto 单项否决，deduct 扣分，warn 预警", "url": "问题所在页面", "column": "栏目",
        "target": "错链接的目标地址", "evidence": "问题内容（错字、缺少的字段、已脱敏的个人信息）",
        "suggestion": "修改建议", "detail": "详情（JSON：状态码、上下文、日期、阈值）", "first_seen": "首次发现日期",
        "last_seen": "最近发现日期", "first_run": "首次发现的运行", "last_run": "最近涉及的运行",
        "status": "状态：open 未修复，fixed 已修复", "fixed_run": "修复时的运行"}),
    "run_findings": ("每次运行的问题", "每次运行时处于未修复状态的问题（本次发现，或页面未能抓取而保持原状）。", {
        "run_id": "运行编号", "fingerprint": "问题指纹"}),
}
VIEWS = {
    "latest_runs": ("各网站最近一次运行", "每个网站最近一次检查的运行编号。", {
        "site": "网站名称", "run_id": "运行编号"}),
    "home_broken_links": ("首页错链接", "首页上未修复的错链接：目标、链接文字和原因。", {
        "site": "网站名称", "home_page": "首页地址", "target": "错链接目标", "anchor_text": "链接文字",
        "reason": "原因", "status_code": "HTTP 状态码", "first_seen": "首次发现", "last_seen": "最近发现",
        "fingerprint": "问题指纹"}),
    "stale_columns": ("未及时更新的栏目", "最近一次检查中无法访问、空白、超期未更新或即将超期的栏目，最差的在前。", {
        "site": "网站名称", "run_id": "运行编号", "as_of": "检查基准日", "column_name": "栏目", "category": "栏目类别",
        "department": "责任部门", "state": "状态", "newest_date": "最新信息日期", "days_since_update": "距上次更新天数",
        "rule_days": "更新时限（天）", "days_to_limit": "剩余天数（负数为已超期）", "url": "栏目地址"}),
    "open_findings_by_column": ("各栏目未修复问题", "按网站、栏目和检查项统计的未修复问题数。", {
        "site": "网站名称", "column_name": "栏目", "check": "检查项", "findings": "问题数", "pages": "涉及页面数",
        "oldest_first_seen": "最早发现日期"}),
    "fixed_since_last_run": ("最近一次检查修复的问题", "上一次检查还在、最近一次检查已消失的问题。", {
        "site": "网站名称", "check": "检查项", "url": "页面", "column_name": "栏目", "target": "错链接目标",
        "evidence": "问题内容", "first_seen": "首次发现", "fixed_on": "修复日期（检查基准日）",
        "fixed_run": "修复时的运行", "fingerprint": "问题指纹"}),
    "new_since_last_run": ("最近一次检查新发现的问题", "最近一次检查首次发现、仍未修复的问题。", {
        "site": "网站名称", "check": "检查项", "severity": "级别", "url": "页面", "column_name": "栏目",
        "target": "错链接目标", "evidence": "问题内容", "suggestion": "修改建议", "first_seen": "首次发现",
        "fingerprint": "问题指纹"}),
}


def database_name(db_path) -> str:
    """Datasette names a database after its file's stem."""
    return Path(db_path).stem


def metadata_for(db_path) -> dict:
    """Datasette metadata (titles and descriptions in Chinese) for one audit database."""
    tables = {}
    for name, (title, description, columns) in {**TABLES, **VIEWS}.items():
        tables[name] = {"title": title, "description": description, "columns": dict(columns)}
    tables["pages"]["label_column"] = "title"
    tables["findings"]["sort_desc"] = "last_seen"
    tables["runs"]["sort_desc"] = "id"
    return {
        "title": "政府网站巡检数据库",
        "description": "portal-audit 的检查结果：抓取的页面与链接、栏目更新情况、问题及其历史。"
                       "视图给常见问题起了名字：首页错链接、未及时更新的栏目、各栏目未修复问题、最近一次检查修复的问题。",
        "databases": {database_name(db_path): {"title": "巡检结果", "tables": tables}},
    }


def write_metadata(db_path, path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(metadata_for(db_path), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def datasette_available() -> bool:
    return find_spec("datasette") is not None


def browse_command(db_path, metadata_path, *, port: int = 8001, open_browser: bool = False) -> list[str]:
    """The datasette command line: loopback only, our metadata."""
    cmd = [sys.executable, "-m", "datasette", "serve", str(db_path), "--host", "127.0.0.1", "--port", str(port),
           "--metadata", str(metadata_path), "--setting", "default_page_size", "50"]
    if open_browser:
        cmd.append("--open")
    return cmd


def browse(db_path, *, port: int = 8001, open_browser: bool = False) -> int:
    """Serve the database in Datasette on 127.0.0.1 until interrupted; returns its exit code."""
    from portal_audit.store import Store
    Store(db_path).ensure_views()          # an older database gets the views too
    tmp = tempfile.mkdtemp(prefix="portal-audit-datasette-")
    try:
        meta = write_metadata(db_path, Path(tmp) / "metadata.json")
        print(f"在 http://127.0.0.1:{port}/{database_name(db_path)} 浏览数据库 (Ctrl-C 结束)", flush=True)
        proc = subprocess.Popen(browse_command(db_path, meta, port=port, open_browser=open_browser))

        def stop(signum, frame):   # a scheduler's or a test's SIGTERM stops Datasette too, not only us
            raise KeyboardInterrupt
        previous = signal.signal(signal.SIGTERM, stop)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait(timeout=10)
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
