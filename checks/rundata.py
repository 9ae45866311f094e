"""What the run-level checks read: a run's pages, links and list entries, already loaded.

Run-level checks (links, freshness) are pure functions of a ``RunData`` and
the check context; the audit step fills it from the store.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Iterable
from functools import cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass
class RunData:
    as_of: str                                   # YYYY-MM-DD: the day the rules are measured on
    home_url: str
    pages: dict = field(default_factory=dict)    # url -> {"page_type", "column", "title", "publish_date", "list_items", "pager", "status"}
    links: Iterable = field(default_factory=list)   # rows {"source_url", "target_url", "tag", "anchor_text", "kind"}; iterable more than once
    link_statuses: dict = field(default_factory=dict)   # url -> link_statuses row
    column_items: list = field(default_factory=list)    # {"column", "url", "title", "list_date", "date_raw", "list_url"}
    columns: list = field(default_factory=list)  # the config's [[columns]]
    page_texts: object = None                    # () -> iterator of (url, column, title + "\n" + body) of fetched pages
    availability: list = field(default_factory=list)   # home-page probes of the week before as_of (store.availability)


@cache
def default_rules() -> dict:
    """The national default thresholds (checks/data/rules.toml)."""
    text = resources.files("checks").joinpath("data/rules.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def merged_rules(overrides: dict | None) -> dict:
    """Default rules with a site's [rules] overrides laid over them, table by table."""
    rules = {k: (dict(v) if isinstance(v, dict) else v) for k, v in default_rules().items()}
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(rules.get(key), dict):
            rules[key].update(value)
        else:
            rules[key] = value
    return rules
