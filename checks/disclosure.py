"""Disclosure attribute labels (公开属性) on official documents.

Only article pages of a column configured with ``official_documents = true``
are checked. The body must carry one of the labels in
``checks/data/disclosure.toml`` (（此件主动公开） and the like, in full- or
half-width brackets or none); a 不予公开 label must also state a reason nearby,
and the label belongs after the date line (GB/T 9704 附注): a label with a
date line after it and none before it is misplaced (``reason = "misplaced"``).
Every finding names the label found (``detail.label``, None when there is none).
"""
from __future__ import annotations

import re
from functools import cache
from typing import Iterator

from portal_audit.records import finding

from .context import CheckContext, load_toml

CHECK_NAMES = ("missing_disclosure_label",)


@cache
def rules() -> dict:
    return load_toml("disclosure.toml")


@cache
def label_pattern() -> re.Pattern:
    """Any accepted label, tolerating spaces between its characters."""
    alternatives = ("\\s*".join(map(re.escape, label)) for label in rules()["labels"])
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def _normal(label: str) -> str:
    return re.sub(r"\s+", "", label)


def find_labels(body: str) -> list[tuple[int, str]]:
    """(offset, label) of every disclosure label in the text."""
    return [(m.start(), _normal(m.group())) for m in label_pattern().finditer(body or "")]


@cache
def date_line_pattern() -> re.Pattern:
    return re.compile(rules()["date_line_regex"], re.M)


def misplaced(body: str, offset: int) -> bool:
    """A date line comes after the label at ``offset`` and none before it."""
    lines = [m.start() for m in date_line_pattern().finditer(body)]
    return bool(lines) and all(start > offset for start in lines)


def check(page: dict, ctx: CheckContext) -> Iterator[dict]:
    if not ctx.is_official_documents_page(page):
        return
    r = rules()
    body = page.get("body_text") or ""
    found = find_labels(body)
    if not found:
        yield finding("missing_disclosure_label", "deduct", page["url"], column=page.get("column"),
                      evidence="公开属性", suggestion=r["suggestion"], accepted=list(r["labels"]),
                      label=None, reason="missing")
        return
    withheld = set(r["withheld_labels"])
    if all(label in withheld for _, label in found):
        width = int(r["reason_window"])
        for offset, label in found:
            nearby = body[max(0, offset - width):offset + len(label) + width]
            if not any(word in nearby for word in r["reason_words"]):
                yield finding("missing_disclosure_label", "deduct", page["url"], column=page.get("column"),
                              evidence="不予公开理由", suggestion=r["withheld_suggestion"], label=label,
                              reason_words=list(r["reason_words"]), reason="no_reason")
                return
    offset, label = found[-1]
    if misplaced(body, offset):
        yield finding("missing_disclosure_label", r["misplaced_severity"], page["url"], column=page.get("column"),
                      evidence="公开属性位置", suggestion=r["misplaced_suggestion"], label=label, reason="misplaced")
