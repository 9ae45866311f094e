"""The audit job: crawl → store → checks → findings with history.

A Python user calls the same functions the CLI does::

    from portal_audit.audit import run_audit
    run_id = run_audit(load_config("site.toml"), "audit.db", as_of="2020-12-31")
"""
from __future__ import annotations

import json
import logging
from datetime import date

import checks
from checks.freshness import column_coverage, home_newest
from checks.rundata import RunData, merged_rules
from portal_audit.config import SiteConfig
from portal_audit.store import Store

log = logging.getLogger("portal_audit")


def make_context(config: dict, as_of: str):
    from checks.context import CheckContext
    return CheckContext(site=config["site"], columns={c["name"]: c for c in config["columns"]},
                        rules=merged_rules(config.get("rules")), as_of=as_of)


def assign_columns(store: Store, run_id: int) -> None:
    """A page belongs to the column whose list pages show it (first listing wins)."""
    assignments = {}
    for item in store.column_items(run_id):
        assignments.setdefault(item["url"], item["column"])
    store.set_page_columns(run_id, assignments)


def apply_learned_soft_404(store: Store, run_id: int) -> int:
    """Mark targets that are their host's own not-found page (see crawler.linkstatus)."""
    from crawler.linkstatus import learned_soft_404
    changed = learned_soft_404(store.link_statuses(run_id), store.probes(run_id))
    store.update_link_statuses(run_id, changed)
    return len(changed)


def load_run_data(store: Store, run_id: int) -> RunData:
    run = store.run(run_id)
    config = run["config"]
    pages = {}
    for row in store.db.query("select url, final_url, status, page_type, column, title, publish_date, list_items, pager"
                              " from pages where run_id = ?", [run_id]):
        row = dict(row)
        row["list_items"] = json.loads(row["list_items"] or "null") or []
        row["pager"] = json.loads(row["pager"] or "null")
        pages[row["url"]] = row
    home = config["site"]["home"]
    return RunData(as_of=run["as_of"], home_url=home, pages=pages, links=list(store.links(run_id)),
                   link_statuses=store.link_statuses(run_id), column_items=store.column_items(run_id),
                   columns=config["columns"])


def check_stored_run(store: Store, run_id: int) -> dict:
    """Run every check over a stored run; record findings and column coverage. Returns history counts."""
    run = store.run(run_id)
    config = run["config"]
    assign_columns(store, run_id)
    apply_learned_soft_404(store, run_id)
    ctx = make_context(config, run["as_of"])
    found = []
    page_checks = checks.page_checks()
    for page in store.pages(run_id):
        if page["status"] != 200:
            continue
        for check in page_checks:
            found.extend(check(page, ctx))
    data = load_run_data(store, run_id)
    for check_run in checks.run_checks():
        found.extend(check_run(data, ctx))
    store.save_columns(run_id, column_coverage(data, ctx.rules))
    fetched = set(data.pages)
    open_urls = {r["url"] for r in store.db.query(
        "select url from findings where site = ? and status = 'open'", [run["site_name"]])}
    counts = store.record_findings(run_id, found, unfetched_urls=open_urls - fetched)
    store.update_run_stats(run_id, history=counts, home_newest=home_newest(data))
    log.info("findings: %d new, %d still open, %d fixed", counts["new"], counts["open"], counts["fixed"])
    return counts


def run_audit(config: SiteConfig, db_path: str, *, as_of: str | None = None, log_level: str = "INFO",
              crawl_extra: dict | None = None) -> int:
    """Crawl the site, check it and store the findings; return the run id."""
    from crawler.runner import crawl
    as_of = as_of or date.today().isoformat()
    store = Store(db_path)
    run_id = store.start_run(config.to_dict(), as_of)
    stats = crawl(config, db_path, run_id, log_level=log_level, extra=crawl_extra)
    reason = stats.get("finish_reason")
    status = "complete" if reason == "finished" else "interrupted"
    store = Store(db_path)   # the crawl's writer is closed; this process writes again
    counts = check_stored_run(store, run_id)
    keep = {k: v for k, v in stats.items() if k.startswith(("portal_audit/", "downloader/response_count",
                                                             "retry", "finish_", "elapsed", "robotstxt"))}
    stats = {**store.run(run_id)["stats"], **keep}
    store.finish_run(run_id, status, stats)
    return run_id
