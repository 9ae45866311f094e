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
                                        "error": str, "method": str, "signature": str, "checked_at": str},
                                       pk=("run_id", "url"))
        if "host_probes" not in db.table_names():
            db["host_probes"].create({"run_id": int, "host": str, "status": int, "signature": str},
                                     pk=("run_id", "host"))
        if "availability" not in db.table_names():   # home-page probes (portal-audit probe), a row each
            db["availability"].create({"id": int, "site": str, "url": str, "checked_at": str, "ok": int, "status": int,
                                       "seconds": float, "error": str}, pk="id")
            db["availability"].create_index(["site", "checked_at"])
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
        self.ensure_views()

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
        self.db["pages"].insert_all(rows, replace=True, alter=True)
        self.db["links"].insert_all(links, ignore=True)

    def add_link_statuses(self, run_id: int, statuses: list[dict]):
        rows = []
        for st in statuses:
            row = dict(st)
            row["run_id"] = run_id
            row["redirect_chain"] = json.dumps(row.get("redirect_chain") or [], ensure_ascii=False)
            row.setdefault("checked_at", _now())
            rows.append(row)
        self.db["link_statuses"].insert_all(rows, replace=True, alter=True)

    def add_probes(self, run_id: int, probes: list[dict]):
        self.db["host_probes"].insert_all([dict(p, run_id=run_id) for p in probes], replace=True)

    def add_availability(self, site: str, url: str, ok: bool, status: int | None, seconds: float | None,
                         error: str | None = None, checked_at: str | None = None):
        """One probe of a site's home page (``checked_at`` UTC, ISO with milliseconds; now by default)."""
        checked_at = checked_at or datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        self.db["availability"].insert({"site": site, "url": url, "checked_at": checked_at, "ok": int(ok),
                                        "status": status, "seconds": seconds, "error": error})

    def availability(self, site: str, since: str, until: str) -> list[dict]:
        """Probes of ``site`` with since <= checked_at < until (ISO strings), oldest first."""
        return list(self.db.query("select * from availability where site = ? and checked_at >= ? and checked_at < ?"
                                  " order by checked_at", [site, since, until]))

    def probes(self, run_id: int) -> list[dict]:
        return list(self.db.query("select * from host_probes where run_id = ?", [run_id]))

    def update_link_statuses(self, run_id: int, rows: list[dict]):
        with self.db.conn:
            self.db.conn.executemany(
                "update link_statuses set outcome = ?, reason = ?, error = ? where run_id = ? and url = ?",
                [(r["outcome"], r["reason"], r["error"], run_id, r["url"]) for r in rows])

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

    def set_attachment_columns(self, run_id: int):
        """An attachment belongs to the column of the first page that links to it."""
        with self.db.conn:
            self.db.conn.execute(
                "update pages set column = (select p.column from links l join pages p"
                " on p.run_id = l.run_id and p.url = l.source_url"
                " where l.run_id = pages.run_id and l.target_url = pages.url and p.column is not null"
                " order by l.source_url limit 1)"
                " where run_id = ? and page_type = 'attachment'", [run_id])

    def review_links(self, run_id: int) -> list[dict]:
        """Targets a person should look at: blocked (401/403) or rate limited (429 that never cleared)."""
        return list(self.db.query(
            "select s.url as target, s.outcome, s.status_code, s.error, count(l.source_url) as pages,"
            " min(l.source_url) as example_page, min(l.anchor_text) as anchor_text"
            " from link_statuses s left join links l on l.run_id = s.run_id and l.target_url = s.url"
            " where s.run_id = ? and s.outcome in ('blocked', 'rate_limited')"
            " group by s.url order by pages desc, s.url", [run_id]))

    # -- reads ----------------------------------------------------------
    def pages(self, run_id: int, *, page_type: str | None = None):
        """Page records of a run, decoded, one at a time."""
        sql = "select * from pages where run_id = ?"
        params = [run_id]
        if page_type:
            sql += " and page_type = ?"
            params.append(page_type)
        # walk pages and links side by side, both in URL order, so a large run never holds all its links
        links = self.db.query("select source_url, target_url, tag, anchor_text, kind from links"
                              " where run_id = ? order by source_url", [run_id])
        pending = next(links, None)
        for row in self.db.query(sql + " order by url", params):
            rec = dict(row)
            for k in JSON_PAGE_FIELDS:
                rec[k] = json.loads(rec[k]) if rec[k] else None
            while pending is not None and pending["source_url"] < rec["url"]:
                pending = next(links, None)
            rec["links"] = []
            while pending is not None and pending["source_url"] == rec["url"]:
                rec["links"].append({"url": pending["target_url"], "tag": pending["tag"],
                                     "text": pending["anchor_text"], "kind": pending["kind"]})
                pending = next(links, None)
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
        not be fetched this run (``unfetched_urls`` and not among the run's
        pages, compared relative to the site's origin), or it is a broken link
        still on its page whose target this run did not check: then it stays
        open (we cannot tell). Checking a run again replaces that run's
        findings; history is measured against the state before the run.
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
            "select fingerprint, url, target, first_seen, first_run, status, fixed_run from findings"
            " where site = ?", [site])}

        def open_before(old):   # open when this run started, also when this run is checked again
            return bool(old) and ((old["status"] == "open" and old["first_run"] < run_id)
                                  or (old["status"] == "fixed" and old["fixed_run"] == run_id))
        rel = self._relative_to_site(site)
        fetched = {rel(u) for u in self.page_urls(run_id)}
        unfetched = {rel(u) for u in unfetched_urls} - fetched
        unchecked_links = {(rel(r[0]), rel(r[1])) for r in self.db.execute(
            "select l.source_url, l.target_url from links l left join link_statuses s"
            " on s.run_id = l.run_id and s.url = l.target_url where l.run_id = ? and s.url is null", [run_id])}
        rows = []
        new = still_open = fixed = 0
        for fp, f in seen_now.items():
            old = existing.get(fp)
            keep = open_before(old)
            still_open, new = still_open + keep, new + (not keep)
            rows.append({"fingerprint": fp, "site": site, "check": f["check"], "severity": f["severity"],
                         "url": f["url"], "column": f.get("column"), "target": f.get("target"),
                         "evidence": f.get("evidence"), "suggestion": f.get("suggestion"),
                         "detail": json.dumps(f.get("detail") or {}, ensure_ascii=False, default=str),
                         "first_seen": old["first_seen"] if keep else today,
                         "first_run": old["first_run"] if keep else run_id,
                         "last_seen": today, "last_run": run_id, "status": "open", "fixed_run": None})
        with self.db.conn:
            self.db.execute("delete from run_findings where run_id = ?", [run_id])
            table.insert_all(rows, replace=True)
            self.db["run_findings"].insert_all(({"run_id": run_id, "fingerprint": fp} for fp in seen_now), ignore=True)
            for fp, old in existing.items():
                if fp in seen_now:
                    continue
                if open_before(old):
                    if rel(old["url"]) in unfetched or (rel(old["url"]), rel(old["target"])) in unchecked_links:
                        self.db["run_findings"].insert({"run_id": run_id, "fingerprint": fp}, ignore=True)
                        table.update(fp, {"last_run": run_id, "status": "open", "fixed_run": None})
                        still_open += 1
                    else:
                        table.update(fp, {"status": "fixed", "fixed_run": run_id})
                        fixed += 1
                elif old["status"] == "open" and old["first_run"] == run_id:
                    # reported only by an earlier check of this same run: withdrawn, not fixed
                    if self.db.execute("select 1 from run_findings where fingerprint = ? limit 1", [fp]).fetchone():
                        table.update(fp, {"status": "fixed", "fixed_run": None})
                    else:
                        table.delete(fp)
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

    # -- history, diffs and report queries (reports/ reads these) ----------
    def _relative_to_site(self, site: str):
        """A function that strips any origin this site was audited at (ports change between runs)."""
        origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(r[0])) for r in self.db.execute(
            "select home from runs where site_name = ?", [site])}, key=len, reverse=True)

        def rel(u):
            for o in origins:
                if u and u.startswith(o) and u[len(o):len(o) + 1] in ("", "/"):
                    return u[len(o):] or "/"
            return u or ""
        return rel

    def site_runs(self, site: str) -> list[dict]:
        """The runs of one site, oldest first: id, as_of, status, started_at."""
        return list(self.db.query("select id, as_of, status, started_at, finished_at from runs"
                                  " where site_name = ? order by id", [site]))

    def previous_run_id(self, run_id: int) -> int | None:
        """The run of the same site just before ``run_id``, or None."""
        row = self.db.execute("select max(id) from runs where site_name = (select site_name from runs where id = ?)"
                              " and id < ?", [run_id, run_id]).fetchone()
        return row[0] if row else None

    def run_fingerprints(self, run_id: int) -> set[str]:
        """Fingerprints open as of a run: seen by it, or kept open because it could not look."""
        return {r[0] for r in self.db.execute("select fingerprint from run_findings where run_id = ?", [run_id])}

    def findings_by_fingerprint(self, fingerprints) -> list[dict]:
        """Findings rows (detail decoded) for the given fingerprints, in the contract's order."""
        fps = list(fingerprints)
        out = []
        for i in range(0, len(fps), 500):
            chunk = fps[i:i + 500]
            sql = f"select * from findings where fingerprint in ({','.join('?' * len(chunk))})"
            for row in self.db.query(sql, chunk):
                row = dict(row)
                row["detail"] = json.loads(row["detail"] or "{}")
                out.append(row)
        out.sort(key=lambda r: (r["check"], r["url"] or "", r["target"] or "", r["evidence"] or ""))
        return out

    def diff_runs(self, from_run: int, to_run: int) -> dict:
        """What appeared and what was fixed between two runs of one site.

        >>> store.diff_runs(3, 4)["fixed"][0]["check"]      # doctest: +SKIP
        'broken_link'
        """
        before, after = self.run_fingerprints(from_run), self.run_fingerprints(to_run)
        return {"from": from_run, "to": to_run,
                "appeared": self.findings_by_fingerprint(after - before),
                "fixed": self.findings_by_fingerprint(before - after),
                "still_open": len(before & after)}

    def open_counts(self, site: str, last: int = 10) -> list[dict]:
        """Open findings at each of the site's last runs, oldest first: run_id, as_of, open."""
        rows = self.db.query(
            "select r.id as run_id, r.as_of, r.status, (select count(*) from run_findings rf where rf.run_id = r.id) as open"
            " from runs r where r.site_name = ? order by r.id desc limit ?", [site, last])
        return list(reversed(list(rows)))

    def findings_in_year(self, site: str, year: int) -> dict:
        """Findings first seen in ``year`` and findings fixed by a run whose as-of date falls in it."""
        lo, hi = f"{year:04d}-01-01", f"{year:04d}-12-31"

        def decode(rows):
            out = []
            for row in rows:
                row = dict(row)
                row["detail"] = json.loads(row["detail"] or "{}")
                out.append(row)
            return out
        found = decode(self.db.query("select * from findings where site = ? and first_seen between ? and ?",
                                     [site, lo, hi]))
        fixed = decode(self.db.query(
            "select f.*, r.as_of as fixed_on from findings f join runs r on r.id = f.fixed_run"
            " where f.site = ? and f.status = 'fixed' and r.as_of between ? and ?", [site, lo, hi]))
        return {"year": year, "found": found, "fixed": fixed}

    def page_titles(self, urls) -> dict[str, str]:
        """The latest stored title of each page URL (from any run)."""
        urls = list(set(u for u in urls if u))
        out: dict[str, str] = {}
        for i in range(0, len(urls), 500):
            chunk = urls[i:i + 500]
            sql = (f"select url, title from pages where url in ({','.join('?' * len(chunk))})"
                   " and title is not null order by run_id")
            for url, title in self.db.execute(sql, chunk):
                out[url] = title
        return out

    # -- named views: the common questions, for Datasette and plain SQL ------
    VIEWS = {
        "latest_runs": """
            select site_name as site, max(id) as run_id from runs group by site_name""",
        "home_broken_links": """
            select f.site, f.url as home_page, f.target, json_extract(f.detail, '$.anchor_text') as anchor_text,
                   json_extract(f.detail, '$.reason_label') as reason, json_extract(f.detail, '$.status_code') as status_code,
                   f.first_seen, f.last_seen, f.fingerprint
            from findings f
            where f."check" = 'broken_link' and f.status = 'open' and json_extract(f.detail, '$.on_home')
            order by f.site, f.target""",
        "stale_columns": """
            select r.site_name as site, c.run_id, r.as_of, c.name as column_name, c.category, c.department,
                   c.state, c.newest_date, c.days_since_update, c.rule_days, c.days_to_limit, c.url
            from columns c join runs r on r.id = c.run_id
            join (select site_name, max(id) as run_id from runs group by site_name) l on l.run_id = c.run_id
            where c.state in ('stale', 'warn', 'empty', 'unreachable')
            order by r.site_name, case c.state when 'unreachable' then 0 when 'empty' then 1 when 'stale' then 2 else 3 end,
                     c.days_to_limit""",
        "open_findings_by_column": """
            select site, coalesce("column", '(无栏目)') as column_name, "check", count(*) as findings,
                   count(distinct url) as pages, min(first_seen) as oldest_first_seen
            from findings where status = 'open'
            group by site, "column", "check"
            order by site, findings desc""",
        "fixed_since_last_run": """
            select f.site, f."check", f.url, f."column" as column_name, f.target, f.evidence, f.first_seen,
                   r.as_of as fixed_on, f.fixed_run, f.fingerprint
            from findings f join runs r on r.id = f.fixed_run
            join (select site_name, max(id) as run_id from runs group by site_name) l
                 on l.site_name = f.site and l.run_id = f.fixed_run
            where f.status = 'fixed'
            order by f.site, f."check", f.url""",
        "new_since_last_run": """
            select f.site, f."check", f.severity, f.url, f."column" as column_name, f.target, f.evidence,
                   f.suggestion, f.first_seen, f.fingerprint
            from findings f
            join (select site_name, max(id) as run_id from runs group by site_name) l
                 on l.site_name = f.site and l.run_id = f.first_run
            where f.status = 'open'
            order by f.site, f."check", f.url""",
    }

    def ensure_views(self):
        """Create the named views (``Store.VIEWS``) that are not there yet."""
        have = set(self.db.view_names())
        for name, sql in self.VIEWS.items():
            if name not in have:
                self.db.execute(f"create view if not exists [{name}] as {sql.strip()}")

    # -- interaction letters (appended for issue 5) ------------------------
    def interaction_pages(self, run_id: int) -> list[dict]:
        """Page records (url, column, metadata) of the run's interaction columns (区长信箱 …)."""
        names = [c["name"] for c in self.run(run_id)["config"].get("columns", [])
                 if c.get("category") == "interaction"]
        if not names:
            return []
        marks = ", ".join("?" for _ in names)
        rows = self.db.query(f"select url, column, page_type, publish_date, metadata from pages"
                             f" where run_id = ? and column in ({marks}) and page_type = 'article' order by url",
                             [run_id, *names])
        return [dict(r, metadata=json.loads(r["metadata"] or "{}") or {}) for r in rows]

    def interaction_summary(self, run_id: int) -> dict:
        """Letters of the past year on the run's as-of date: answered, pending, overdue, average reply days.

        >>> Store("audit.db").interaction_summary(1)["avg_reply_days"]    # doctest: +SKIP
        8.4
        """
        from checks.interaction import read_letter, reply_stats
        from checks.rundata import merged_rules
        run = self.run(run_id)
        letters = [x for x in map(read_letter, self.interaction_pages(run_id)) if x]
        return reply_stats(letters, run["as_of"], merged_rules(run["config"].get("rules")))
