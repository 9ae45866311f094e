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
    return summary


def cmd_run(args) -> int:
    try:
        configs = [load_config(p) for p in args.config]
    except ConfigError as exc:
        _fail(str(exc))
    from portal_audit.audit import run_audit
    code = 0
    for config in configs:
        run_id = run_audit(config, args.db, as_of=args.as_of, log_level=args.log_level)
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
    from portal_audit.store import Store
    store = _open_store(args.db)
    run_id = _resolve(store, args.run)
    counts = check_stored_run(store, run_id)
    print(f"运行 {run_id} 已重新检查: 新发现 {counts['new']}, 仍未修复 {counts['open']}, 已修复 {counts['fixed']}")
    return 0


def cmd_report(args) -> int:
    store = _open_store(args.db)
    run_id = _resolve(store, args.run)
    _write_summary(args.db, run_id, args.output)
    return 0


def cmd_export(args) -> int:
    from reports.export import export
    store = _open_store(args.db)
    run_id = _resolve(store, args.run)
    n = export(store, run_id, args.format, args.output)
    print(f"已导出 {n} 条问题 (运行 {run_id}, 格式 {args.format})", file=sys.stderr)
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

    s = sub.add_parser("report", help="print the inspection summary of a stored run")
    s.add_argument("--db", default="audit.db")
    s.add_argument("--run", default="latest")
    s.add_argument("--output", default=None)
    s.set_defaults(func=cmd_report)

    e = sub.add_parser("export", help="export findings: jsonl (the findings contract), csv or xlsx")
    e.add_argument("--db", default="audit.db")
    e.add_argument("--format", choices=["jsonl", "csv", "xlsx"], default="jsonl")
    e.add_argument("--run", default="latest")
    e.add_argument("--output", "-o", default=None)
    e.set_defaults(func=cmd_export)
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
