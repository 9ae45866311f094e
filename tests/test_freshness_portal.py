"""Freshness on the simulated portal, crawled over real HTTP by the real CLI and scored against its ground truth.

The as-of day is the portal's own (2020-12-31). Later days are measured by the
real ``portal-audit check`` over a copy of the stored crawl whose as-of date is
moved (the pages are the same; only the day the rules are measured on changes).
"""
from __future__ import annotations

import json
import sqlite3
from datetime import date
from statistics import mean

import pytest

from checks import freshness
from checks.rundata import default_rules, merged_rules
from conftest import db_rows, run_cli
from crawler.dates import date_from_url
from portal_audit.audit import load_run_data
from portal_audit.store import Store
from scoring import describe, score

LIMITS = default_rules()["column_stale_days"]
WARN_BEFORE = default_rules()["column_warn_days_before"]




def expected_state(col: dict, as_of: str) -> str:
    """The truth's state of a column on a day, with the warn window of rules.toml."""
    if not col["items"]:
        return "empty"
    limit = LIMITS.get(col["category"])
    if limit is None:
        return "ok"
    age = (date.fromisoformat(as_of) - date.fromisoformat(col["newest"])).days
    return "stale" if age > limit else "warn" if age > limit - WARN_BEFORE.get(col["category"], 0) else "ok"


def open_findings(findings, check, severities=("veto", "deduct")):
    return [f for f in findings if f["check"] == check and f["severity"] in severities and f["status"] == "open"]


# ---------------------------------------------------------------- on the portal's own day
@pytest.mark.parametrize("check", ["stale_column", "empty_column", "unanswered_message", "stale_page", "date_conflict"])
def test_freshness_findings_match_the_ground_truth_exactly(audited_portal, check):
    severities = ("warn",) if check == "date_conflict" else ("veto", "deduct")
    found = open_findings(audited_portal.findings, check, severities)
    s = score(check, found, audited_portal.truth["defects"])
    assert s["expected"] > 0 and s["precision"] == 1.0 and s["recall"] == 1.0, describe(s)


def test_early_warnings_only_for_columns_inside_their_warning_window(audited_portal):
    truth = {c["name"]: c for c in audited_portal.truth["columns"]}
    warned = {f["column"] for f in open_findings(audited_portal.findings, "stale_column", ("warn",))}
    assert warned == {n for n, c in truth.items() if expected_state(c, audited_portal.truth["as_of"]) == "warn"}


def test_home_page_state_and_newest_date(audited_portal):
    truth = audited_portal.truth
    assert truth["home_state"] == "ok"
    assert [f for f in audited_portal.findings if f["check"] == "stale_home"] == []
    [run] = db_rows(audited_portal.db, "select stats from runs")
    assert json.loads(run["stats"])["home_newest"] == truth["home_newest"]


def test_column_coverage_matches_every_configured_column(audited_portal):
    truth = audited_portal.truth
    got = {r["name"]: r for r in db_rows(audited_portal.db, "select * from columns")}
    assert set(got) == {c["name"] for c in truth["columns"]}          # and no unlisted column on this portal
    for c in truth["columns"]:
        r = got[c["name"]]
        assert (r["reachable"], r["items_listed"], r["items_crawled"]) == (1, c["items"], c["items"]), c["name"]
        assert (r["newest_date"], r["oldest_date"]) == (c["newest"], c["oldest"]), c["name"]
        assert r["state"] == expected_state(c, truth["as_of"]), c["name"]
        assert r["rule_days"] == LIMITS.get(c["category"])
        if r["rule_days"] is not None and r["newest_date"]:
            assert r["days_to_limit"] == r["rule_days"] - r["days_since_update"]
        assert r["items_30d"] <= r["items_90d"] <= r["items_365d"] <= r["items_listed"]


def test_list_pages_in_every_date_format_and_the_list_without_dates(audited_portal):
    truth = audited_portal.truth
    items = db_rows(audited_portal.db, "select column, url, list_date from column_items")
    pages = {r["url"]: r for r in db_rows(audited_portal.db, "select url, publish_date, date_source from pages")}
    formats = {c["name"]: c["date_format"] for c in truth["columns"] if c["items"]}
    assert {"iso", "bracket", "cn", "none"} <= set(formats.values())
    shifted = {d["url"] for d in truth["defects"] if d["check"] == "date_conflict" and d["kind"] == "list_vs_page"}
    for it in items:
        if formats[it["column"]] == "none":
            assert it["list_date"] is None
            # the only dates of these entries are on their article pages and in their URLs; both agree
            assert pages[it["url"]]["publish_date"] == date_from_url(it["url"]).isoformat()
        else:
            assert it["list_date"], it
            assert (it["list_date"] == pages[it["url"]]["publish_date"]) == (it["url"] not in shifted), it


def test_a_column_whose_items_are_dated_only_by_their_urls(audited_portal):
    """Stand-in: the 图片新闻 articles are dropped from the loaded run, as if they could not be fetched."""
    store = Store(audited_portal.db)
    data = load_run_data(store, store.latest_run_id())
    photo = next(c for c in audited_portal.truth["columns"] if c["date_format"] == "none")
    for url in photo["item_urls"]:
        data.pages.pop(url)
    row = next(r for r in freshness.column_coverage(data, merged_rules(None)) if r["name"] == photo["name"])
    assert (row["newest_date"], row["oldest_date"], row["items_crawled"]) == (photo["newest"], photo["oldest"], 0)


def test_average_reply_time_of_the_mailbox(audited_portal):
    letters = audited_portal.truth["letters"]
    waits = [(date.fromisoformat(x["reply_date"]) - date.fromisoformat(x["date"])).days for x in letters if x["reply_date"]]
    store = Store(audited_portal.db)
    stats = store.interaction_summary(store.latest_run_id())
    assert stats["letters"] == len(letters) and stats["answered"] == len(waits)
    assert stats["avg_reply_days"] == round(mean(waits), 1) and stats["max_reply_days"] == max(waits)
    assert stats["overdue"] == sum(1 for d in audited_portal.truth["defects"] if d["check"] == "unanswered_message")


# ---------------------------------------------------------------- on later days
def moved_copy(db, tmp_path, as_of):
    copy = tmp_path / f"audit-{as_of}.db"
    src, dst = sqlite3.connect(db), sqlite3.connect(copy)
    with dst:
        src.backup(dst)
    dst.execute("update runs set as_of = ?", [as_of])
    dst.commit()
    src.close()
    dst.close()
    run_cli("--log-level", "WARNING", "check", "--db", copy)
    export = run_cli("export", "--db", copy, "--format", "jsonl")
    return [json.loads(line) for line in export.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("as_of, home", [("2021-01-12", "warn"), ("2021-01-20", "veto")])
def test_every_rule_follows_a_later_as_of_day(audited_portal, tmp_path, as_of, home):
    truth = audited_portal.truth
    findings = moved_copy(audited_portal.db, tmp_path, as_of)
    [stale_home] = [f for f in findings if f["check"] == "stale_home" and f["status"] == "open"]
    assert stale_home["severity"] == home and stale_home["evidence"] == truth["home_newest"]
    by_state = {}
    for c in truth["columns"]:
        by_state.setdefault(expected_state(c, as_of), set()).add(c["name"])
    assert {f["column"] for f in open_findings(findings, "stale_column")} == by_state.get("stale", set())
    assert {f["column"] for f in open_findings(findings, "stale_column", ("warn",))} == by_state.get("warn", set())
    day = date.fromisoformat(as_of)
    overdue = {x["url"] for x in truth["letters"] if x["status"] != "已回复"
               and 91 < (day - date.fromisoformat(x["date"])).days <= 365}
    assert {f["url"] for f in open_findings(findings, "unanswered_message")} == overdue


# ---------------------------------------------------------------- a config that does not match the site
def test_columns_missing_from_the_config_and_from_the_site(audited_portal, tmp_path):
    """A second real crawl, with three columns left out of the config and one that the site lacks."""
    portal, truth = audited_portal.portal, audited_portal.truth
    left_out = {"营商环境": "other", "统计信息": "other", "图片新闻": "news"}   # plain GBK, Hanweb, TRS without dates
    head, *blocks = portal.config_text().split("[[columns]]")
    kept = [b for b in blocks if not any(f'name = "{n}"' in b for n in left_out)]
    assert len(kept) == len(blocks) - len(left_out)
    lacking = f'\nname = "政府信息公开年报"\nurl = "{portal.home_origin}/zwgk/xxgknb/index.html"\ncategory = "plan"\n'
    config = tmp_path / "site.toml"
    config.write_text(head + "".join("[[columns]]" + b for b in kept) + "[[columns]]" + lacking, encoding="utf-8")
    db = tmp_path / "audit.db"
    run_cli("--log-level", "WARNING", "run", config, "--db", db, "--as-of", truth["as_of"],
            "--report", tmp_path / "report.txt")
    got = {r["name"]: r for r in db_rows(db, "select * from columns")}
    unlisted = {n: r for n, r in got.items() if r["state"] == "unlisted"}
    assert {n: r["category"] for n, r in unlisted.items()} == left_out
    by_name = {c["name"]: c for c in truth["columns"]}
    for name, r in unlisted.items():
        assert r["url"] == by_name[name]["url"]
        assert (r["newest_date"], r["items_listed"]) == (by_name[name]["newest"], by_name[name]["items"])
    assert (got["政府信息公开年报"]["state"], got["政府信息公开年报"]["reachable"]) == ("unreachable", 0)
    export = run_cli("export", "--db", db, "--format", "jsonl")
    findings = [json.loads(line) for line in export.stdout.splitlines() if line.strip()]
    assert [f["column"] for f in findings if f["check"] == "unreachable_column"] == ["政府信息公开年报"]
    assert not [f for f in findings if f["column"] in left_out and f["check"] in ("stale_column", "empty_column")]
