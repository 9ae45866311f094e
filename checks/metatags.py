"""Page meta tags and footer identifiers (政府网站发展指引, 国办发〔2017〕47号).

Every page needs SiteName, SiteDomain and SiteIDCode; column pages also the
Column* tags and articles the Article tags (lists in ``checks/data/metatags.toml``).
A tag with empty content counts as missing. The footer must show 网站标识码
followed by the site's code (``site.site_id_code``), or by any 10-digit code
when the config sets none, and the ICP备案号, 公安机关备案号 and 党政机关网站标识
(found in the footer text or as a link or badge image on the page).

One finding per page here; ``checks.templates`` turns a tag or identifier
missing on every page of a column or page type into one template finding.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Iterator

from portal_audit.records import finding

from .context import CheckContext, load_toml

CHECK_NAMES = ("missing_meta_tag", "missing_site_id")


@cache
def rules() -> dict:
    return load_toml("metatags.toml")


def required_tags(page_type: str) -> list[str]:
    req = rules()["required"]
    return list(req["all"]) + list(req.get(page_type, []))


@cache
def _site_id_pattern(code: str | None) -> re.Pattern:
    r = rules()
    value = re.escape(code) if code else r["site_id_code_regex"]
    return re.compile(f"{re.escape(r['site_id_label'])}\\s*[:：]?\\s*({value})(?!\\d)")


def checked_page_types() -> list[str]:
    return list(rules()["page_types"])


def _checked(page: dict) -> bool:
    return page.get("status", 200) == 200 and page.get("page_type") in rules()["page_types"]


@cache
def _footer_id_patterns() -> tuple:
    out = []
    for spec in rules().get("footer_ids", []):
        out.append((spec, re.compile(spec["footer_regex"]), re.compile(spec["link_url_regex"]),
                    re.compile(spec["link_text_regex"])))
    return tuple(out)


def missing_footer_ids(page: dict) -> list[dict]:
    """The footer identifier specs (ICP备案号 …) a page does not show."""
    footer = page.get("footer_text") or ""
    links = page.get("links") or []
    missing = []
    for spec, in_footer, link_url, link_text in _footer_id_patterns():
        if in_footer.search(footer):
            continue
        if any(link_url.search(link.get("url") or "") or link_text.search(link.get("text") or "")
               for link in links):
            continue
        missing.append(spec)
    return missing


def check(page: dict, ctx: CheckContext) -> Iterator[dict]:
    if not _checked(page):
        return
    url, column = page["url"], page.get("column")
    present = {str(k).strip().lower(): v for k, v in (page.get("meta_tags") or {}).items()}
    for tag in required_tags(page["page_type"]):
        content = present.get(tag.lower())
        if content is None or not str(content).strip():
            yield finding("missing_meta_tag", "deduct", url, column=column, evidence=tag,
                          suggestion=f'<meta name="{tag}" content="…">', page_type=page["page_type"],
                          reason="missing" if content is None else "empty")
    code = str((ctx.site or {}).get("site_id_code") or "").strip() or None
    footer = page.get("footer_text") or ""
    if not _site_id_pattern(code).search(footer):
        label = rules()["site_id_label"]
        yield finding("missing_site_id", "deduct", url, column=column, evidence=label,
                      suggestion=f"{label}：{code}" if code else f"{label}：（10位网站标识码）",
                      expected=code, reason="wrong_code" if label in footer else "missing")
    for spec in missing_footer_ids(page):
        yield finding("missing_site_id", spec["severity"], url, column=column, evidence=spec["evidence"],
                      suggestion=spec["suggestion"], reason="missing")
