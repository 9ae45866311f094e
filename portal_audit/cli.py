"""portal-audit: the command line. It only wires crawler, store, checks and reports together.

Exit codes: 0 done; 1 the audit ran but the site fails a veto rule (with
--fail-on-veto); 2 bad input (config, arguments, database); 3 the crawl was
interrupted (the run is stored as interrupted and can be checked again).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

from portal_audit.config import ConfigError, load_config

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 3


def _fail(message: str, code: int = EXIT_BAD_INPUT):
    print(f"portal-audit: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def _valid_date(text: str) -> str:
    from datetime import date
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _write_summary(db: str, run_id: int, report_path: str | None) -> dict:
    from portal_audit.store import Store
    from reports.summary import build_summary, render_text
    store = Store(db)
    summary = build_summary(store, run_id)
    text = render_text(summary)
    sys.stdout.write(text)
    if report_path:
        Path(report_path).write_text(text, encoding="utf-8")
        print(f"摘要已写入 {report_path}; 数据库 {db} (运行 {run_id})")
        html_path = _html_beside(report_path)
        try:
            from reports.html import write_html
            write_html(store, run_id, html_path)
            print(f"HTML 报告已写入 {html_path}")
        except Exception as exc:  # the text summary is written; a report bug must not fail the nightly run
            logging.getLogger("portal_audit").exception("HTML report failed: %s", exc)
    return summary


def _html_beside(report_path) -> Path:
    """audit-report.txt -> audit-report.html"""
    p = Path(report_path)
    html = p.with_suffix(".html")
    return html if html != p else p.with_name(p.name + ".html")


def cmd_run(args) -> int:
    try:
        configs = [load_config(p) for p in args.config]
    except ConfigError as exc:
        _fail(str(exc))
    from portal_audit.audit import run_audit
    if args.resume is not None and len(configs) != 1:
        _fail("--resume takes exactly one config: the one the interrupted run used")
    code = 0
    for config in configs:
        try:
            run_id = run_audit(config, args.db, as_of=args.as_of, log_level=args.log_level, resume=args.resume)
        except (ValueError, KeyError) as exc:
            _fail(f"--resume {args.resume}: {exc}" if args.resume is not None else str(exc))
        summary = _write_summary(args.db, run_id, args.report)
        if summary["run_status"] != "complete":
            code = max(code, EXIT_INTERRUPTED)
        elif args.fail_on_veto and summary["verdict"] == "fail":
            code = max(code, 1)
    return code


def cmd_demo(args) -> int:
    from portal_audit.audit import run_audit
    from portal_audit.simportal import PRESETS, generate_portal, serve_portal
    try:
        articles = PRESETS[args.size] if args.size in PRESETS else int(args.size)
    except ValueError:
        _fail(f"--size: expected one of {', '.join(PRESETS)} or a number of articles, got {args.size!r}")
    with tempfile.TemporaryDirectory(prefix="portal-audit-demo-") as tmp:
        workdir = Path(args.site_dir) if args.site_dir else Path(tmp)
        print(f"生成模拟门户网站 ({articles} 篇文章) 于 {workdir} ...", flush=True)
        site_dir = generate_portal(workdir, articles=articles, seed=args.seed)
        with serve_portal(site_dir) as portal:
            config_path = portal.write_config(Path(site_dir) / "site.toml")
            print(f"模拟网站已在 {portal.home_url} 启动, 开始检查 ...", flush=True)
            config = load_config(config_path)
            as_of = args.as_of or portal.ground_truth["as_of"]
            run_id = run_audit(config, args.db, as_of=as_of, log_level=args.log_level)
    _write_summary(args.db, run_id, args.report)
    return 0


def cmd_check(args) -> int:
    from portal_audit.audit import check_stored_run
    store = _open_store(args.db)
    run_id = _resolve(store, args.run)
    try:
        counts = check_stored_run(store, run_id)
    except ValueError as exc:
        _fail(f"check --run {run_id}: {exc}")
    print(f"运行 {run_id} 已重新检查: 新发现 {counts['new']}, 仍未修复 {counts['open']}, 已修复 {counts['fixed']}")
    return 0


def cmd_probe(args) -> int:
    """Visit each site's home page; record whether it loaded in time (for the reachability rule)."""
    import time

    from checks.rundata import merged_rules
    from crawler.probe import probe_home
    from portal_audit.store import Store
    try:
        configs = [load_config(p) for p in args.config]
    except ConfigError as exc:
        _fail(str(exc))
    if args.times < 1 or args.every < 0:
        _fail("--times must be at least 1 and --every at least 0")
    store = Store(args.db)
    failed_last = False
    for n in range(args.times):
        if n:
            time.sleep(args.every)
        failed_last = False
        for config in configs:
            timeout = args.timeout or float(merged_rules(config.rules)["availability"]["timeout_seconds"])
            r = probe_home(config.home, timeout, config.crawl.get("user_agent") or "portal-audit")
            store.add_availability(config.name, config.home, r["ok"], r["status"], r["seconds"], r["error"])
            if r["ok"]:
                print(f"首页可访问: {config.name} {config.home} HTTP {r['status']}, {r['seconds']:.2f} 秒", flush=True)
            else:
                failed_last = True
                print(f"首页无法访问: {config.name} {config.home}: {r['error']}", flush=True)
    return 1 if failed_last else 0


def cmd_report(args) -> int:
    store = _open_store(args.db)
    run_id = _resolve(store, args.run)
    if args.format == "html":
        from reports.html import write_html
        path = write_html(store, run_id, args.output or "audit-report.html", year=args.year)
        print(f"HTML 报告已写入 {path} (运行 {run_id})", file=sys.stderr)
        return 0
    if args.format == "xlsx":
        from reports.workbook import write_workbook
        out = args.output or "问题清单.xlsx"
        n = write_workbook(store, run_id, out)
        print(f"问题清单已写入 {out}: {n} 条问题 (运行 {run_id})", file=sys.stderr)
        return 0
    from reports.summary import build_summary, build_year, render_text, render_year_text
    if args.year:
        text = render_year_text(build_year(store, store.run(run_id)["site_name"], args.year))
    else:
        text = render_text(build_summary(store, run_id))
    sys.stdout.write(text)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"摘要已写入 {args.output} (运行 {run_id})", file=sys.stderr)
    return 0


def cmd_diff(args) -> int:
    from reports.history import build_diff, render_diff_text
    store = _open_store(args.db)
    to_run = _resolve(store, args.to_run)
    from_run = _resolve(store, args.from_run) if args.from_run else store.previous_run_id(to_run)
    try:
        diff = build_diff(store, from_run, to_run)
    except ValueError as exc:
        _fail(str(exc))
    sys.stdout.write(render_diff_text(diff, limit=args.limit))
    return 0


def cmd_browse(args) -> int:
    from reports.datasette import browse, datasette_available, write_metadata
    _open_store(args.db)
    if args.write_metadata:
        print(f"Datasette 元数据已写入 {write_metadata(args.db, args.write_metadata)}"
              f" (datasette {args.db} --metadata {args.write_metadata})")
        return 0
    if not datasette_available():
        _fail("datasette is not installed; install it with `pip install datasette` "
              "(or `pip install 'portal-audit[browse]'`) and run `portal-audit browse` again")
    return browse(args.db, port=args.port, open_browser=args.open)


def cmd_export(args) -> int:
    from reports.export import export
    store = _open_store(args.db)
    run_id = _resolve(store, args.run)
    n = export(store, run_id, args.format, args.output)
    print(f"已导出 {n} 条问题 (运行 {run_id}, 格式 {args.format})", file=sys.stderr)
    return 0


def cmd_discover(args) -> int:
    from urllib.parse import urlsplit

    from crawler.discover import DEFAULT_UA, Fetcher, discover, render_toml
    if urlsplit(args.url).scheme not in ("http", "https"):
        _fail(f"expected an http(s) URL, got {args.url!r}")
    ua = args.user_agent or DEFAULT_UA
    fetcher = Fetcher(user_agent=ua, timeout=args.timeout, delay=args.delay, obey_robots=not args.ignore_robots)
    try:
        draft = discover(args.url, fetcher, max_pages=args.max_pages)
    except OSError as exc:
        _fail(str(exc))
    text = render_toml(draft, user_agent=ua, delay=args.delay)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"读取页面 {draft.fetched} 个, 发现导航页 {len(draft.sections)} 个, 栏目 {len(draft.columns)} 个"
          + (f"; 草稿已写入 {args.output}, 请核对栏目类别" if args.output else ""), file=sys.stderr)
    return 0


def _open_store(db):
    from portal_audit.store import Store
    if not os.path.exists(db):
        _fail(f"{db}: no such database; run `portal-audit run CONFIG --db {db}` first")
    return Store(db)


def _resolve(store, run):
    try:
        return store.resolve_run(run)
    except ValueError as exc:
        _fail(str(exc))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="portal-audit", description="政府网站巡检: 错链接、错别字、栏目更新、公开属性 …")
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="crawl, check, store and summarise one or more sites")
    r.add_argument("config", nargs="+", help="site config TOML file(s)")
    r.add_argument("--db", default="audit.db")
    r.add_argument("--as-of", type=_valid_date, default=None, help="measure the rules on this day (YYYY-MM-DD; default today)")
    r.add_argument("--report", default="audit-report.txt", help="also write the summary here")
    r.add_argument("--fail-on-veto", action="store_true", help="exit 1 when a veto rule fails")
    r.add_argument("--resume", type=int, default=None, metavar="RUN_ID",
                   help="carry on an interrupted run (its queue is kept beside the database)")
    r.set_defaults(func=cmd_run)

    d = sub.add_parser("demo", help="the whole job on the bundled simulated portal")
    d.add_argument("--db", default="audit.db")
    d.add_argument("--size", default="demo", help="small | demo | large, or a number of articles")
    d.add_argument("--seed", type=int, default=2020)
    d.add_argument("--site-dir", default=None, help="where to generate the portal (default: a temporary folder)")
    d.add_argument("--as-of", type=_valid_date, default=None)
    d.add_argument("--report", default="audit-report.txt")
    d.set_defaults(func=cmd_demo)

    c = sub.add_parser("check", help="run the checks again over a stored run (no crawling)")
    c.add_argument("--db", default="audit.db")
    c.add_argument("--run", default="latest")
    c.set_defaults(func=cmd_check)

    pr = sub.add_parser("probe", help="visit the home page once (from cron, 15+ times a day): the reachability rule",
                        description="Records in the database whether each site's home page loaded in time. "
                                    "The inspection rule (站点无法访问) counts a week of such probes, at least 15 a day; "
                                    "e.g. cron: */30 * * * * portal-audit probe site.toml --db audit.db. "
                                    "Exit status 1 when the last probe of a site failed.")
    pr.add_argument("config", nargs="+", help="site config TOML file(s)")
    pr.add_argument("--db", default="audit.db")
    pr.add_argument("--timeout", type=float, default=None, help="seconds (default: rules.availability, 15)")
    pr.add_argument("--times", type=int, default=1, help="probe this many times in one go")
    pr.add_argument("--every", type=float, default=60.0, help="seconds between probes with --times")
    pr.set_defaults(func=cmd_probe)

    s = sub.add_parser("report", help="the inspection summary of a stored run: text, HTML or Excel")
    s.add_argument("--db", default="audit.db")
    s.add_argument("--run", default="latest")
    s.add_argument("--format", choices=["text", "html", "xlsx"], default="text",
                   help="text (printed), html (audit-report.html) or xlsx (问题清单.xlsx)")
    s.add_argument("--year", type=int, default=None,
                   help="count what was found and fixed within this year (for the yearly report)")
    s.add_argument("--output", "-o", default=None, help="write here (text: also printed)")
    s.set_defaults(func=cmd_report)

    df = sub.add_parser("diff", help="what appeared and what was fixed between two runs of a site")
    df.add_argument("--db", default="audit.db")
    df.add_argument("--from", dest="from_run", default=None, help="the earlier run (default: the run before --to)")
    df.add_argument("--to", dest="to_run", default="latest", help="the later run (default: the latest)")
    df.add_argument("--limit", type=int, default=200, help="list at most this many findings of each kind")
    df.set_defaults(func=cmd_diff)

    b = sub.add_parser("browse", help="open the database in Datasette on 127.0.0.1 (pip install datasette)")
    b.add_argument("--db", default="audit.db")
    b.add_argument("--port", type=int, default=8001)
    b.add_argument("--open", action="store_true", help="open a web browser too")
    b.add_argument("--write-metadata", default=None, metavar="FILE",
                   help="only write the Datasette metadata (Chinese titles) to FILE, for your own datasette command")
    b.set_defaults(func=cmd_browse)

    e = sub.add_parser("export", help="export findings: jsonl (the findings contract), csv or xlsx")
    e.add_argument("--db", default="audit.db")
    e.add_argument("--format", choices=["jsonl", "csv", "xlsx"], default="jsonl")
    e.add_argument("--run", default="latest")
    e.add_argument("--output", "-o", default=None)
    e.set_defaults(func=cmd_export)

    dc = sub.add_parser("discover", help="draft a site config from a home page's navigation and column pages")
    dc.add_argument("url", help="the portal's home page")
    dc.add_argument("--output", "-o", default=None, help="write the draft here (default: print it)")
    dc.add_argument("--max-pages", type=int, default=150, help="fetch at most this many pages")
    dc.add_argument("--delay", type=float, default=0.5, help="seconds between requests")
    dc.add_argument("--timeout", type=float, default=20)
    dc.add_argument("--user-agent", default=None, help="the User-Agent sent (default: portal-audit's)")
    dc.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt (only for your own site)")
    dc.set_defaults(func=cmd_discover)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=getattr(logging, args.log_level), format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("portal-audit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
