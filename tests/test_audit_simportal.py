"""End to end: the simulated portal crawled over real HTTP, checked, and scored against its ground truth."""
from __future__ import annotations

import re
import sqlite3

import pytest

from scoring import describe, score

CONTRACT = {"check", "severity", "url", "column", "target", "evidence", "suggestion", "detail",
            "fingerprint", "first_seen", "last_seen", "status"}
KNOWN_CHECKS = {"broken_link", "typo", "serious_error", "stale_home", "stale_column", "empty_column",
                "missing_disclosure_label", "missing_metadata", "missing_meta_tag", "missing_site_id",
                "privacy_leak", "unanswered_message", "slow_page"}


def db_rows(db, sql, *params):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def test_every_page_of_the_portal_is_found(audited_portal):
    crawled = {r["url"] for r in db_rows(audited_portal.db, "select url from pages")}
    expected = set(audited_portal.truth["pages"])
    missing = expected - crawled
    assert not missing, f"{len(missing)} of {len(expected)} pages not crawled, e.g. {sorted(missing)[:5]}"
    extra = crawled - expected
    assert not extra, f"crawled pages the portal does not have: {sorted(extra)[:5]}"


def test_every_column_item_is_listed_including_script_only_pages(audited_portal):
    items = {}
    for r in db_rows(audited_portal.db, "select column, url from column_items"):
        items.setdefault(r["column"], set()).add(r["url"])
    for col in audited_portal.truth["columns"]:
        got = items.get(col["name"], set())
        assert set(col["item_urls"]) <= got, f"{col['name']} ({col['cms']}): {len(set(col['item_urls']) - got)} items missing"


@pytest.mark.parametrize("check", ["broken_link", "typo", "serious_error", "stale_column", "empty_column",
                                   "missing_disclosure_label", "missing_metadata", "missing_meta_tag",
                                   "missing_site_id", "privacy_leak"])
def test_check_family_precision_and_recall(audited_portal, check):
    truth = audited_portal.truth["defects"]
    s = score(check, audited_portal.findings, truth)
    print(describe(s))
    assert s["expected"] > 0, f"the portal plants no {check} defect"
    assert s["precision"] >= 0.95 and s["recall"] >= 0.95, describe(s)


def test_home_page_state_matches_ground_truth(audited_portal):
    stale_home = [f for f in audited_portal.findings if f["check"] == "stale_home" and f["severity"] == "veto"]
    assert (audited_portal.truth["home_state"] == "stale") == bool(stale_home)


def test_healthy_traps_are_not_reported_broken(audited_portal):
    broken_targets = {f["target"] for f in audited_portal.findings if f["check"] == "broken_link"}
    traps = [t for t in audited_portal.truth["traps"] if t["kind"] in ("rate_limited", "redirect_ok", "robots_skipped")]
    assert traps, "the portal plants no healthy traps"
    wrongly = [t for t in traps if t.get("target") in broken_targets]
    assert not wrongly, wrongly


def test_rate_limited_target_is_checked_after_retry_after(audited_portal):
    statuses = {r["url"]: r for r in db_rows(audited_portal.db, "select * from link_statuses")}
    for trap in audited_portal.truth["traps"]:
        if trap["kind"] == "rate_limited":
            assert statuses[trap["target"]]["outcome"] == "ok", statuses[trap["target"]]
        if trap["kind"] == "robots_skipped":
            assert statuses[trap["target"]]["outcome"] == "skipped"


def test_export_follows_the_findings_contract(audited_portal):
    assert audited_portal.findings
    for f in audited_portal.findings:
        assert set(f) == CONTRACT
        assert f["check"] in KNOWN_CHECKS
        assert f["severity"] in ("veto", "deduct", "warn")
        assert f["status"] in ("open", "fixed")
        assert isinstance(f["detail"], dict)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", f["first_seen"]) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", f["last_seen"])
        assert f["url"].startswith("http")
        assert (f["target"] is not None) == (f["check"] == "broken_link")
        if f["check"] == "privacy_leak":
            assert "*" in f["evidence"]
    fingerprints = [f["fingerprint"] for f in audited_portal.findings]
    assert len(fingerprints) == len(set(fingerprints))


def test_summary_counts_in_the_annual_reports_terms(audited_portal):
    text = audited_portal.report.read_text(encoding="utf-8")
    broken = [f for f in audited_portal.findings if f["check"] == "broken_link"]
    pages, targets = len({f["url"] for f in broken}), len({f["target"] for f in broken})
    assert f"错链接 {pages} 篇, {targets} 个" in text
    typos = sum(1 for f in audited_portal.findings if f["check"] == "typo")
    assert f"错别字 {typos} 个" in text
    assert "总体结论: 不合格" in text      # serious errors are planted: a veto
    for col in audited_portal.truth["columns"]:
        assert col["name"] in text
