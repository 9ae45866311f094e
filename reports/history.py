"""What changed between two runs of a site: the findings that appeared and those fixed.

A finding counts as open in a run when the run saw it, or kept it open because
it could not look (its page was not fetched): so a page that failed to load
never turns its findings into "fixed". ``portal-audit diff`` prints this.
"""
from __future__ import annotations

from reports.issues import describe
from reports.summary import CHECK_LABELS


def default_runs(store, to_run: int | None = None) -> tuple[int | None, int]:
    """(previous run, run) of one site: by default the site's last two runs."""
    to_run = store.resolve_run(to_run)
    return store.previous_run_id(to_run), to_run


def build_diff(store, from_run: int | None, to_run: int) -> dict:
    """The findings that appeared in ``to_run`` and were fixed since ``from_run`` (None: nothing before)."""
    to = store.run(to_run)
    if from_run is None:
        fps = store.run_fingerprints(to_run)
        diff = {"from": None, "to": to_run, "appeared": store.findings_by_fingerprint(fps), "fixed": [],
                "still_open": 0}
    else:
        frm = store.run(from_run)
        if frm["site_name"] != to["site_name"]:
            raise ValueError(f"runs {from_run} and {to_run} audit different sites "
                             f"({frm['site_name']} / {to['site_name']})")
        diff = store.diff_runs(from_run, to_run)
    diff["site"] = to["site_name"]
    diff["to_as_of"] = to["as_of"]
    diff["from_as_of"] = store.run(from_run)["as_of"] if from_run is not None else None
    return diff


def _counts(findings: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in findings:
        out[f["check"]] = out.get(f["check"], 0) + 1
    return out


def render_diff_text(d: dict, limit: int = 200) -> str:
    """The diff in Chinese: totals by check, then each finding that appeared or was fixed."""
    out = []
    add = out.append
    if d["from"] is None:
        add(f"{d['site']}: 运行 {d['to']} ({d['to_as_of']}) 之前没有可比较的运行, 以下为本次发现的全部问题")
    else:
        add(f"{d['site']}: 运行 {d['from']} ({d['from_as_of']}) → 运行 {d['to']} ({d['to_as_of']})")
    add(f"新发现 {len(d['appeared'])} 个问题, 已修复 {len(d['fixed'])} 个, 仍未修复 {d['still_open']} 个")
    for title, items in (("新发现", d["appeared"]), ("已修复", d["fixed"])):
        if not items:
            continue
        add("")
        add(f"{title}: " + ", ".join(f"{CHECK_LABELS.get(c, c)} {n}" for c, n in sorted(_counts(items).items())))
        for f in items[:limit]:
            where = f["target"] if f["check"] == "broken_link" else ""
            add(f"  [{CHECK_LABELS.get(f['check'], f['check'])}] {describe(f)}  {f['url']}"
                + (f" → {where}" if where else ""))
        if len(items) > limit:
            add(f"  …… 另有 {len(items) - limit} 个")
    return "\n".join(out) + "\n"
