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
from checks.availability import window
from checks.freshness import column_coverage, home_newest
from checks.rundata import RunData, merged_rules
from portal_audit.config import SiteConfig
from portal_audit.store import Store

log = logging.getLogger("portal_audit")


def make_context(config: dict, as_of: str):
    from checks.context import CheckContext
    whitelist, pairs, rules = _site_typo_rules(config.get("typos") or {})
    return CheckContext(site=config["site"], columns={c["name"]: c for c in config["columns"]},
                        rules=merged_rules(config.get("rules")), as_of=as_of,
                        whitelist=whitelist, extra_typos=pairs, extra_context_rules=rules,
                        languagetool=dict(config.get("languagetool") or {}))


def _site_typo_rules(typos_conf: dict):
    """The site's typo whitelist and house rules, read from the files its [typos] table names."""
    from pathlib import Path

    from checks.typos import parse_site_rules, parse_whitelist
    whitelist, pairs, rules = frozenset(), (), ()
    value = typos_conf.get("whitelist")
    if isinstance(value, list):
        whitelist = frozenset(value)
    elif value:
        try:
            whitelist = parse_whitelist(Path(value).read_text(encoding="utf-8"))
        except OSError as exc:
            log.warning("typos.whitelist: cannot read %s (%s); no whitelist this run", value, exc)
    if typos_conf.get("extra_rules"):
        path = typos_conf["extra_rules"]
        try:
            pairs, rules, problems = parse_site_rules(Path(path).read_text(encoding="utf-8"), Path(path).name)
            for problem in problems:
                log.warning("typos.extra_rules: %s (line skipped)", problem)
        except OSError as exc:
            log.warning("typos.extra_rules: cannot read %s (%s); no house rules this run", path, exc)
    return whitelist, pairs, rules


def assign_columns(store: Store, run_id: int) -> None:
    """A page belongs to the column whose list pages show it (first listing wins)."""
    assignments = {}
    for item in store.column_items(run_id):
        assignments.setdefault(item["url"], item["column"])
    store.set_page_columns(run_id, assignments)
    store.set_attachment_columns(run_id)


def apply_learned_soft_404(store: Store, run_id: int) -> int:
    """Mark targets that are their host's own not-found page (see crawler.linkstatus)."""
    from crawler.linkstatus import learned_soft_404
    changed = learned_soft_404(store.link_statuses(run_id), store.probes(run_id))
    store.update_link_statuses(run_id, changed)
    return len(changed)


class Rows:
    """Rows read again from the store each time they are iterated: a large run's links never sit in memory."""

    def __init__(self, query):
        self.query = query

    def __iter__(self):
        return iter(self.query())


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

    def page_texts():   # read lazily, page by page: the text of a big site need not sit in memory
        for row in store.db.query("select url, column, title, body_text from pages where run_id = ? and status = 200"
                                  " and page_type = 'article' order by url", [run_id]):
            yield row["url"], row["column"], (row["title"] or "") + "\n" + (row["body_text"] or "")
    return RunData(as_of=run["as_of"], home_url=home, pages=pages, links=Rows(lambda: store.links(run_id)),
                   link_statuses=store.link_statuses(run_id), column_items=store.column_items(run_id),
                   columns=config["columns"], page_texts=page_texts,
                   availability=store.availability(run["site_name"],
                                                   *window(run["as_of"], merged_rules(config.get("rules")))))


def check_stored_run(store: Store, run_id: int) -> dict:
    """Run every check over a stored run; record findings and column coverage. Returns history counts.

    Only a site's latest run can be checked again: findings keep their history (new, open, fixed)
    as of the latest run, and checking an older one would rewrite it. ValueError says so."""
    run = store.run(run_id)
    latest = store.latest_run_id(run["site_name"])
    if latest is not None and latest > run_id:
        raise ValueError(f"run {run_id} is not the latest run of {run['site_name']} (run {latest} is); "
                         f"only the latest run can be checked again, since history is kept as of it")
    config = run["config"]
    assign_columns(store, run_id)
    apply_learned_soft_404(store, run_id)
    ctx = make_context(config, run["as_of"])
    from checks.templates import Survey
    ctx.templates = Survey(ctx)   # template text and template-wide absences: reported once (checks.templates)
    found = []
    page_checks = checks.page_checks()
    for page in store.pages(run_id):
        if page["status"] != 200:
            continue
        page_found = [f for check in page_checks for f in check(page, ctx)]
        ctx.templates.add(page, page_found)
        found.extend(page_found)
    data = load_run_data(store, run_id)
    for check_run in checks.run_checks():
        found.extend(check_run(data, ctx))
    found = ctx.templates.drop_covered(found)
    store.save_columns(run_id, column_coverage(data, ctx.rules))
    fetched = set(data.pages)
    open_urls = {r["url"] for r in store.db.query(
        "select url from findings where site = ? and status = 'open'", [run["site_name"]])}
    counts = store.record_findings(run_id, found, unfetched_urls=open_urls - fetched)
    store.update_run_stats(run_id, history=counts, home_newest=home_newest(data),
                           interaction=store.interaction_summary(run_id))
    log.info("findings: %d new, %d still open, %d fixed", counts["new"], counts["open"], counts["fixed"])
    return counts


def job_dir_for(db_path: str, run_id: int) -> str:
    """Where an interrupted run keeps its crawl queue, so it can be resumed."""
    from pathlib import Path
    return str(Path(db_path).resolve().parent / ".portal-audit-jobs" / f"run-{run_id}")


def run_audit(config: SiteConfig, db_path: str, *, as_of: str | None = None, log_level: str = "INFO",
              crawl_extra: dict | None = None, resume: int | None = None) -> int:
    """Crawl the site, check it and store the findings; return the run id.

    Every run keeps its crawl queue on disk while it runs; ``resume=RUN_ID``
    carries an interrupted run on from where it stopped.
    """
    import shutil

    from crawler.runner import crawl
    store = Store(db_path)
    if resume is not None:
        run = store.run(store.resolve_run(resume))
        if run["status"] == "complete":
            raise ValueError(f"run {resume} is complete; there is nothing to resume")
        run_id, as_of = resume, run["as_of"]
        store.db["runs"].update(run_id, {"status": "running"})
    else:
        as_of = as_of or date.today().isoformat()
        run_id = store.start_run(config.to_dict(), as_of)
    job_dir = job_dir_for(db_path, run_id)
    stats = crawl(config, db_path, run_id, log_level=log_level, extra={**(crawl_extra or {}), "JOBDIR": job_dir})
    reason = stats.get("finish_reason")
    status = "complete" if reason == "finished" else "interrupted"
    store = Store(db_path)   # the crawl's writer is closed; this process writes again
    check_stored_run(store, run_id)
    keep = {k: v for k, v in stats.items() if k.startswith(("portal_audit/", "downloader/response_count",
                                                             "retry", "finish_", "elapsed", "robotstxt"))}
    stats = {**store.run(run_id)["stats"], **keep}
    store.finish_run(run_id, status, stats)
    if status == "complete":
        shutil.rmtree(job_dir, ignore_errors=True)
    else:
        log.warning("run %d was interrupted; carry it on with: portal-audit run CONFIG --db %s --resume %d",
                    run_id, db_path, run_id)
    return run_id
