"""The SQLite store: the one module that owns the schema and every query.

Tables (names chosen so a compliance officer can browse them in Datasette):

- ``runs``: one row per audit run (site, as-of date, status, stats)
- ``pages``: every HTML page fetched in a run, as a plain record
- ``links``: every link on every page (source page, target, tag, anchor text)
- ``link_statuses``: the outcome of each distinct target checked in a run
- ``column_items``: the items each column's list pages show, with their list dates
- ``columns``: each configured column's coverage and state in a run
- ``findings``: one row per problem, keyed by a stable fingerprint, with history
  (first seen, last seen, open or fixed)
- ``run_findings``: which runs saw which finding

There is one writer: the crawl pipeline during a crawl, then the check and
history steps, one after the other, in one process.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

SCHEMA_VERSION = 1
JSON_PAGE_FIELDS = ("metadata", "meta_tags", "list_items", "pager")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """Open (and create) an audit database.

    >>> store = Store("audit.db")            # doctest: +SKIP
    >>> run_id = store.start_run(config, as_of="2020-12-31")   # doctest: +SKIP
    """

    def __init__(self, path):
        self.path = str(path)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=60)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._ensure_schema()

    # -- schema ---------------------------------------------------------
    def _ensure_schema(self):
        db = self.db
        if "runs" not in db.table_names():
            db["runs"].create({"id": int, "site_name": str, "home": str, "config_path": str,
                               "config": str, "as_of": str, "started_at": str, "finished_at": str,
                               "status": str, "stats": str}, pk="id")
        if "pages" not in db.table_names():
            db["pages"].create({"run_id": int, "url": str, "final_url": str, "status": int,
                                "encoding": str, "page_type": str, "column": str,
                                "list_page_no": int, "title": str, "publish_date": str,
                                "date_source": str, "body_text": str, "metadata": str,
                                "meta_tags": str, "footer_text": str, "list_items": str,
                                "pager": str, "fetched_at": str}, pk=("run_id", "url"))
            db["pages"].create_index(["run_id", "column"])
        if "links" not in db.table_names():
            db["links"].create({"run_id": int, "source_url": str, "target_url": str, "tag": str,
                                "anchor_text": str, "kind": str},
                               pk=("run_id", "source_url", "target_url"))
            db["links"].create_index(["run_id", "target_url"])
        if "link_statuses" not in db.table_names():
            db["link_statuses"].create({"run_id": int, "url": str, "outcome": str, "reason": str,
                                        "status_code": int, "final_url": str, "redirect_chain": str,
                                        "error": str, "method": str, "checked_at": str},
                                       pk=("run_id", "url"))
        if "column_items" not in db.table_names():
            db["column_items"].create({"run_id": int, "column": str, "url": str, "title": str,
                                       "list_date": str, "date_raw": str, "list_url": str},
                                      pk=("run_id", "column", "url"))
        if "columns" not in db.table_names():
            db["columns"].create({"run_id": int, "name": str, "url": str, "category": str,
                                  "official_documents": int, "department": str, "reachable": int,
                                  "items_listed": int, "items_crawled": int, "newest_date": str,
                                  "oldest_date": str, "items_30d": int, "items_90d": int,
                                  "items_365d": int, "rule_days": int, "days_since_update": int,
                                  "days_to_limit": int, "state": str},
                                 pk=("run_id", "name"))
        if "findings" not in db.table_names():
            db["findings"].create({"fingerprint": str, "site": str, "check": str, "severity": str,
                                   "url": str, "column": str, "target": str, "evidence": str,
                                   "suggestion": str, "detail": str, "first_seen": str,
                                   "last_seen": str, "first_run": int, "last_run": int,
                                   "status": str, "fixed_run": int},
                                  pk="fingerprint")
            db["findings"].create_index(["site", "status"])
        if "run_findings" not in db.table_names():
            db["run_findings"].create({"run_id": int, "fingerprint": str}, pk=("run_id", "fingerprint"))

    # -- runs -----------------------------------------------------------
    def start_run(self, config: dict, as_of: str) -> int:
        row = {"site_name": config["site"]["name"], "home": config["site"]["home"],
               "config_path": config.get("path"), "config": json.dumps(config, ensure_ascii=False),
               "as_of": as_of, "started_at": _now(), "status": "running", "stats": "{}"}
        return self.db["runs"].insert(row).last_pk

    def finish_run(self, run_id: int, status: str, stats: dict | None = None):
        self.db["runs"].update(run_id, {"finished_at": _now(), "status": status,
                                        "stats": json.dumps(stats or {}, ensure_ascii=False, default=str)})

    def update_run_stats(self, run_id: int, **values):
        stats = self.run(run_id)["stats"]
        stats.update(values)
        self.db["runs"].update(run_id, {"stats": json.dumps(stats, ensure_ascii=False, default=str)})

    def run(self, run_id: int) -> dict:
        row = self.db["runs"].get(run_id)
        row = dict(row)
        row["config"] = json.loads(row["config"] or "{}")
        row["stats"] = json.loads(row["stats"] or "{}")
        return row

    def latest_run_id(self, site: str | None = None, complete_only: bool = False) -> int | None:
        where, params = [], []
        if site:
            where.append("site_name = ?")
            params.append(site)
        if complete_only:
            where.append("status = 'complete'")
        sql = "select max(id) from runs" + (" where " + " and ".join(where) if where else "")
        return self.db.execute(sql, params).fetchone()[0]

    def resolve_run(self, run: str | int | None) -> int:
        """'latest', None or an id -> a run id; ValueError when there is none."""
        if run in (None, "latest"):
            run_id = self.latest_run_id()
        else:
            run_id = int(run)
            if not self.db.execute("select 1 from runs where id = ?", [run_id]).fetchone():
                run_id = None
        if run_id is None:
            raise ValueError(f"{self.path}: no run {run or 'yet'}; run `portal-audit run` first")
        return run_id

    # -- crawl output (the pipeline calls these, in batches) ---------------
    def add_pages(self, run_id: int, records: list[dict]):
        rows, links = [], []
        for rec in records:
            row = {k: v for k, v in rec.items() if k != "links"}
            for k in JSON_PAGE_FIELDS:
                row[k] = json.dumps(row.get(k), ensure_ascii=False)
            row["run_id"] = run_id
            row.setdefault("fetched_at", _now())
            rows.append(row)
            for link in rec.get("links", ()):
                links.append({"run_id": run_id, "source_url": rec["url"], "target_url": link["url"],
                              "tag": link["tag"], "anchor_text": link["text"], "kind": link["kind"]})
        self.db["pages"].insert_all(rows, replace=True)
        self.db["links"].insert_all(links, ignore=True)

    def add_link_statuses(self, run_id: int, statuses: list[dict]):
        rows = []
        for st in statuses:
            row = dict(st)
            row["run_id"] = run_id
            row["redirect_chain"] = json.dumps(row.get("redirect_chain") or [], ensure_ascii=False)
            row.setdefault("checked_at", _now())
            rows.append(row)
        self.db["link_statuses"].insert_all(rows, replace=True)

    def add_column_items(self, run_id: int, items: list[dict]):
        rows = [dict(item, run_id=run_id) for item in items]
        self.db["column_items"].insert_all(rows, ignore=True)

    def set_page_columns(self, run_id: int, assignments: dict):
        """Set pages.column and page_type for pages listed by a column (after the crawl)."""
        with self.db.conn:
            self.db.conn.executemany(
                "update pages set column = ?, page_type = case when page_type in ('home','column') then page_type else 'article' end"
                " where run_id = ? and url = ?",
                [(col, run_id, url) for url, col in assignments.items()])

    # -- reads ----------------------------------------------------------
    def pages(self, run_id: int, *, page_type: str | None = None):
        """Page records of a run, decoded, one at a time."""
        sql = "select * from pages where run_id = ?"
        params = [run_id]
        if page_type:
            sql += " and page_type = ?"
            params.append(page_type)
        links_by_source: dict[str, list] = {}
        for row in self.db.query("select source_url, target_url, tag, anchor_text, kind from links where run_id = ?", [run_id]):
            links_by_source.setdefault(row["source_url"], []).append(
                {"url": row["target_url"], "tag": row["tag"], "text": row["anchor_text"], "kind": row["kind"]})
        for row in self.db.query(sql + " order by url", params):
            rec = dict(row)
            for k in JSON_PAGE_FIELDS:
                rec[k] = json.loads(rec[k]) if rec[k] else None
            rec["links"] = links_by_source.get(rec["url"], [])
            yield rec

    def page_urls(self, run_id: int) -> list[str]:
        return [r[0] for r in self.db.execute("select url from pages where run_id = ?", [run_id])]

    def link_statuses(self, run_id: int) -> dict[str, dict]:
        out = {}
        for row in self.db.query("select * from link_statuses where run_id = ?", [run_id]):
            row = dict(row)
            row["redirect_chain"] = json.loads(row["redirect_chain"] or "[]")
            out[row["url"]] = row
        return out

    def links(self, run_id: int):
        return self.db.query("select * from links where run_id = ?", [run_id])

    def column_items(self, run_id: int):
        return list(self.db.query("select * from column_items where run_id = ? order by column, list_date desc", [run_id]))

    def save_columns(self, run_id: int, rows: list[dict]):
        self.db["columns"].insert_all([dict(r, run_id=run_id) for r in rows], replace=True)

    def columns(self, run_id: int) -> list[dict]:
        return list(self.db.query("select * from columns where run_id = ? order by rowid", [run_id]))

    # -- findings and history -------------------------------------------
    @staticmethod
    def fingerprint(site: str, home: str, f: dict) -> str:
        """Stable across runs: the same problem at the same place gets the same id.

        URLs on the site's own host are taken relative to it, so moving the
        audit to another port or scheme does not renew every finding.
        """
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(home))

        def rel(u):
            return u[len(origin):] if u and u.startswith(origin) else (u or "")
        parts = [site, f["check"], rel(f["url"]), rel(f.get("target")), f.get("evidence") or "",
                 str(f.get("detail", {}).get("occurrence", 0))]
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]

    def record_findings(self, run_id: int, findings: list[dict], *, unfetched_urls=frozenset()) -> dict:
        """Store this run's findings and update history; return counts new/open/fixed.

        A finding seen before and missing now is fixed, unless its page could
        not be fetched this run: then it stays open (we cannot tell).
        """
        run = self.run(run_id)
        site, home, today = run["site_name"], run["home"], run["as_of"]
        table = self.db["findings"]
        seen_now = {}
        for f in findings:
            fp = self.fingerprint(site, home, f)
            if fp in seen_now:   # the same problem reported twice by one run: keep one
                continue
            seen_now[fp] = f
        existing = {r["fingerprint"]: r for r in self.db.query(
            "select fingerprint, first_seen, first_run, status from findings where site = ?", [site])}
        rows = []
        new = still_open = 0
        for fp, f in seen_now.items():
            old = existing.get(fp)
            if old and old["status"] == "open":
                still_open += 1
            else:
                new += 1
            rows.append({"fingerprint": fp, "site": site, "check": f["check"], "severity": f["severity"],
                         "url": f["url"], "column": f.get("column"), "target": f.get("target"),
                         "evidence": f.get("evidence"), "suggestion": f.get("suggestion"),
                         "detail": json.dumps(f.get("detail") or {}, ensure_ascii=False, default=str),
                         "first_seen": old["first_seen"] if old and old["status"] == "open" else today,
                         "first_run": old["first_run"] if old and old["status"] == "open" else run_id,
                         "last_seen": today, "last_run": run_id, "status": "open", "fixed_run": None})
        with self.db.conn:
            table.insert_all(rows, replace=True)
            self.db["run_findings"].insert_all(({"run_id": run_id, "fingerprint": fp} for fp in seen_now), ignore=True)
            fixed = 0
            for fp, old in existing.items():
                if fp in seen_now or old["status"] != "open":
                    continue
                url = table.get(fp)["url"]
                if url in unfetched_urls:
                    self.db["run_findings"].insert({"run_id": run_id, "fingerprint": fp}, ignore=True)
                    table.update(fp, {"last_run": run_id})
                    continue
                table.update(fp, {"status": "fixed", "fixed_run": run_id})
                fixed += 1
        return {"new": new, "open": still_open, "fixed": fixed}

    def findings(self, run_id: int, *, include_fixed: bool = True) -> list[dict]:
        """Findings as the contract has them: those seen in the run, plus those it fixed."""
        sql = ("select f.* from findings f join run_findings r on r.fingerprint = f.fingerprint"
               " where r.run_id = ?")
        params = [run_id]
        if include_fixed:
            sql += " union select * from findings where fixed_run = ?"
            params.append(run_id)
        out = []
        for row in self.db.query(sql, params):
            row = dict(row)
            row["detail"] = json.loads(row["detail"] or "{}")
            if row["fixed_run"] == run_id:
                row["status"] = "fixed"
            elif row["status"] == "fixed":
                row["status"] = "open"   # open as of that run, fixed later
            out.append(row)
        out.sort(key=lambda r: (r["check"], r["url"] or "", r["target"] or "", r["evidence"] or ""))
        return out
