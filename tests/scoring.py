"""Score findings against the simulated portal's ground truth.

Each check family has a key that says when a finding and a planted defect
are the same problem; precision and recall are computed over those keys.
"""
from __future__ import annotations

KEYS = {
    "broken_link": lambda d: (d["url"], d["target"]),
    "typo": lambda d: (d["url"], d["evidence"]),
    "serious_error": lambda d: (d["url"], d["evidence"]),
    "stale_column": lambda d: (d["column"],),
    "empty_column": lambda d: (d["column"],),
    "stale_home": lambda d: (d["url"],),
    "missing_disclosure_label": lambda d: (d["url"],),
    "missing_metadata": lambda d: (d["url"], d["evidence"]),
    "missing_meta_tag": lambda d: (d["url"], d["evidence"]),
    "missing_site_id": lambda d: (d["url"], d["evidence"]),
    "privacy_leak": lambda d: (d["url"], d["evidence"]),
    "unanswered_message": lambda d: (d["url"],),
    "stale_page": lambda d: (d["url"],),
    "date_conflict": lambda d: (d["url"],),
}


def score(check: str, findings: list[dict], truth: list[dict]) -> dict:
    """Precision and recall of one check family; the sets of misses and false alarms."""
    key = KEYS[check]
    found = {key(f) for f in findings if f["check"] == check}
    expected = {key(d) for d in truth if d["check"] == check}
    hits = found & expected
    return {
        "check": check,
        "found": len(found), "expected": len(expected), "hits": len(hits),
        "precision": len(hits) / len(found) if found else (1.0 if not expected else 0.0),
        "recall": len(hits) / len(expected) if expected else 1.0,
        "missed": sorted(expected - found), "false": sorted(found - expected),
    }


def describe(s: dict) -> str:
    return (f"{s['check']}: precision {s['precision']:.3f} recall {s['recall']:.3f} "
            f"(found {s['found']}, expected {s['expected']}); missed {s['missed'][:5]}; false {s['false'][:5]}")
