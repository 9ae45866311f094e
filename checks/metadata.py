"""信息公开目录 metadata on official-document pages (索引号, 发布机构, 成文日期, 文号, 主题分类).

Only article pages of a column configured with ``official_documents = true``.
Fields and their label synonyms (发文机关 for 发布机构, 发文字号 for 文号) are in
``checks/data/metadata.toml``. The page's extracted ``metadata`` is used; when
it is empty, "label：value" pairs are read from the body text instead. Also
reported: a 索引号 not in the 机构代码/年份-流水号 layout, and a 成文日期 later
than the publication date.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Iterator

from crawler.dates import find_date
from portal_audit.records import finding

from .context import CheckContext, load_toml

CHECK_NAMES = ("missing_metadata",)


@cache
def rules() -> dict:
    return load_toml("metadata.toml")


@cache
def _label_to_field() -> dict[str, str]:
    r = rules()
    out = {label: field for field, labels in r["fields"].items() for label in labels}
    for label in r["publish_date_labels"]:
        out[label] = "发布日期"
    for label in r["validity_labels"]:
        out[label] = r["validity_field"]
    return out


@cache
def _body_pair_pattern() -> re.Pattern:
    labels = sorted(_label_to_field(), key=len, reverse=True)
    return re.compile(f"({'|'.join(map(re.escape, labels))})\\s*[:：]\\s*(\\S+)")


@cache
def index_number_pattern() -> re.Pattern:
    return re.compile(rules()["index_number_regex"])


def _clean_label(label: str) -> str:
    return re.sub(r"[\s:：]+", "", label or "")


def catalogue_fields(page: dict) -> dict[str, str]:
    """Field -> value from the page's metadata, or from "label：value" in the body when it has none."""
    mapping = _label_to_field()
    out: dict[str, str] = {}
    metadata = page.get("metadata") or {}
    if metadata:
        pairs = ((_clean_label(k), v) for k, v in metadata.items())
    else:
        pairs = ((m.group(1), m.group(2)) for m in _body_pair_pattern().finditer(page.get("body_text") or ""))
    for label, value in pairs:
        field = mapping.get(label)
        value = (value or "").strip() if isinstance(value, str) else str(value or "")
        if field and value and not out.get(field):
            out[field] = value
    return out


def required_fields(page: dict, ctx: CheckContext) -> dict[str, list[str]]:
    """Field -> accepted labels for this page: the five 目录 fields, and 有效性 in columns that use it."""
    r = rules()
    fields = dict(r["fields"])
    column = page.get("column") or ""
    if ctx.column_config(column).get("validity_required") or re.search(r["validity_columns_regex"], column):
        fields[r["validity_field"]] = list(r["validity_labels"])
    return fields


def check(page: dict, ctx: CheckContext) -> Iterator[dict]:
    if not ctx.is_official_documents_page(page):
        return
    r = rules()
    values = catalogue_fields(page)
    url, column = page["url"], page.get("column")
    for field, labels in required_fields(page, ctx).items():
        if not values.get(field):
            yield finding("missing_metadata", "deduct", url, column=column, evidence=field,
                          suggestion=f"在信息公开目录元数据中补充{field}", reason="missing",
                          accepted_labels=list(labels))
    index_number = values.get("索引号")
    if index_number and not index_number_pattern().match(re.sub(r"\s+", "", index_number).upper()):
        yield finding("missing_metadata", "deduct", url, column=column, evidence="索引号",
                      suggestion="索引号应为“机构代码/年份-流水号”，如 430105001/2020-00123",
                      reason="malformed", value=index_number, pattern=r["index_number_regex"])
    written = find_date(values.get("成文日期", ""))
    published = find_date(values.get("发布日期", "")) or find_date(page.get("publish_date") or "")
    if written and published and written > published:
        yield finding("missing_metadata", "deduct", url, column=column, evidence="成文日期",
                      suggestion="核对成文日期与发布日期", reason="after_publish",
                      written=written.isoformat(), published=published.isoformat())
