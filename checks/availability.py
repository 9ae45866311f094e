"""Site reachability (站点无法访问): the home page's probes over the week before the run's date.

``portal-audit probe`` visits the home page (cron, at least 15 times a day) and the store keeps
each result; this check reads the probes of the ``window_days`` before ``as_of`` (RunData.
availability). With at least ``window_days * probes_per_day`` probes, a failure ratio at or
above ``veto_ratio`` is the veto the inspection rule names (``site_unreachable``, severity
veto); fewer probes with failures give a warning that says the sampling is short of the rule.
Thresholds: checks/data/rules.toml [availability].
"""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Iterator

from portal_audit.records import finding

from .context import CheckContext

CHECK_NAMES = ("site_unreachable",)


def window(as_of: str, rules: dict) -> tuple[str, str]:
    """(since, until) ISO bounds of the ``window_days`` calendar days (UTC) that end with ``as_of``."""
    days = int((rules.get("availability") or {}).get("window_days", 7))
    end = date.fromisoformat(as_of) + timedelta(days=1)
    return (end - timedelta(days=days)).isoformat(), end.isoformat()


def check_run(run, ctx: CheckContext) -> Iterator[dict]:
    probes = getattr(run, "availability", None) or []
    if not probes:
        return
    conf = (ctx.rules or {}).get("availability") or {}
    window, per_day = int(conf.get("window_days", 7)), int(conf.get("probes_per_day", 15))
    ratio_limit = float(conf.get("veto_ratio", 0.05))
    failed = [p for p in probes if not p["ok"]]
    if not failed:
        return
    ratio = len(failed) / len(probes)
    enough = len(probes) >= window * per_day
    severity = "veto" if enough and ratio >= ratio_limit else "warn"
    errors = Counter(p.get("error") or f"HTTP {p.get('status')}" for p in failed)
    # evidence stays empty so that the finding keeps one identity from night to night (history)
    yield finding("site_unreachable", severity, run.home_url,
                  probes=len(probes), failures=len(failed), ratio=round(ratio, 4), veto_ratio=ratio_limit,
                  window_days=window, probes_required=window * per_day, enough_probes=enough,
                  first=probes[0]["checked_at"], last=probes[-1]["checked_at"],
                  last_failure=failed[-1]["checked_at"], errors=dict(errors.most_common()))
