"""End to end: the simulated portal crawled over real HTTP, checked, and scored against its ground truth."""
from __future__ import annotations

import re

import pytest

from conftest import db_rows
from scoring import describe, score

CONTRACT = {"check", "severity", "url", "column", "target", "evidence", "suggestion", "detail",
            "fingerprint", "first_seen", "last_seen", "status"}
CONTRACT_CHECKS = {"broken_link", "typo", "serious_error", "stale_home", "stale_column", "empty_column",
                   "missing_disclosure_label", "missing_metadata", "missing_meta_tag", "missing_site_id",
                   "privacy_leak", "unanswered_message", "slow_page"}


def known_checks():
    """The contract's names plus the names each registered check module declares."""
    from importlib import import_module

    import checks
    names = set(CONTRACT_CHECKS)
    for mod in checks.PAGE_CHECK_MODULES + checks.RUN_CHECK_MODULES:
        names |= set(getattr(import_module(f"checks.{mod}"), "CHECK_NAMES", ()))
    return names




def test_every_page_of_the_portal_is_found(audited_portal):
    crawled = {r["url"] for r in db_rows(audited_portal.db, "select url from pages where page_type != 'attachment'")}
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


# typo: scored layer by layer against the held-out plantings in tests/test_typos_portal.py
@pytest.mark.parametrize("check", ["broken_link", "serious_error", "stale_column", "empty_column",
                                   "missing_disclosure_label", "missing_metadata", "missing_meta_tag",
                                   "missing_site_id", "privacy_leak", "unanswered_message"])
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
    traps = [t for t in audited_portal.truth["traps"]
             if t["kind"] in ("rate_limited", "redirect_ok", "robots_skipped", "blocked", "normalised_ok", "soft_host_ok")]
    assert traps, "the portal plants no healthy traps"
    wrongly = [t for t in traps if t.get("target") in broken_targets]
    assert not wrongly, wrongly


def test_broken_links_meet_the_99_percent_bar_for_every_class(audited_portal):
    truth = audited_portal.truth["defects"]
    s = score("broken_link", audited_portal.findings, truth)
    print(describe(s))
    assert s["precision"] >= 0.99 and s["recall"] >= 0.99, describe(s)
    found = {(f["url"], f["target"]) for f in audited_portal.findings if f["check"] == "broken_link"}
    classes = {}
    for d in truth:
        if d["check"] == "broken_link":
            hit = (d["url"], d["target"]) in found
            classes.setdefault(d["class"], [0, 0])[hit] += 1
    print({c: f"{n[1]}/{n[0] + n[1]}" for c, n in sorted(classes.items())})
    assert len(classes) >= 12 and all(n[0] == 0 for n in classes.values()), classes


def test_blocked_targets_are_for_review_not_broken(audited_portal):
    statuses = {r["url"]: r for r in db_rows(audited_portal.db, "select * from link_statuses")}
    blocked = [t for t in audited_portal.truth["traps"] if t["kind"] == "blocked"]
    assert blocked and all(statuses[t["target"]]["outcome"] == "blocked" for t in blocked)


def test_rate_limited_target_is_checked_after_retry_after(audited_portal):
    statuses = {r["url"]: r for r in db_rows(audited_portal.db, "select * from link_statuses")}
    for trap in audited_portal.truth["traps"]:
        if trap["kind"] == "rate_limited":
            assert statuses[trap["target"]]["outcome"] == "ok", statuses[trap["target"]]
        if trap["kind"] == "robots_skipped":
            assert statuses[trap["target"]]["outcome"] == "skipped"


def test_export_follows_the_findings_contract(audited_portal):
    assert audited_portal.findings
    known = known_checks()
    for f in audited_portal.findings:
        assert set(f) == CONTRACT
        assert f["check"] in known, f["check"]
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


def test_blocked_targets_are_listed_for_review_in_the_summary(audited_portal):
    text = audited_portal.report.read_text(encoding="utf-8")
    assert "待人工复核链接" in text
    for trap in audited_portal.truth["traps"]:
        if trap["kind"] == "blocked":
            assert trap["target"] in text
