"""Template findings: a problem a CMS template repeats on many pages, reported once.

Two kinds, with the rules in ``checks/data/templates.toml``:

* template text: footer lines, and body lines repeated across most pages of
  the columns they appear in. The typo, serious-error and privacy checks run
  over each such line once; each finding carries ``detail.template = true``,
  ``detail.pages_affected`` and ``detail.sample_urls``, and the same finding
  on each page is dropped.
* template-wide absences: a meta tag or footer identifier missing on every
  page of a group (the whole site; one page type; one column; one column's
  pages of one type, in that order), reported once for the widest such group.

``url`` of a template finding: the page itself when only one page is
affected; the column's configured URL when every affected page is in one
column; otherwise the site's home URL. ``column`` is that column or None.

The audit feeds every page and its page findings to one ``Survey``
(``ctx.templates``), runs ``check_run`` with the other run checks, then
``Survey.drop_covered`` removes the page findings the template findings stand for.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Iterator

from .context import CheckContext, load_toml
from .textblocks import line_at, line_key, lines_with_offsets, page_text

CHECK_NAMES = ()          # template findings keep the names of the checks they stand for
ABSENCE_CHECKS = ("missing_meta_tag", "missing_site_id")
LEVELS = ("site", "page_type", "column", "column_page_type")


@cache
def rules() -> dict:
    return load_toml("templates.toml")


@dataclass
class TemplateLine:
    """A line seen on several pages (or in a footer)."""
    field: str                      # "body" or "footer"
    text: str
    count: int = 0                  # pages it appears on
    columns: Counter = field(default_factory=Counter)
    sample_urls: list = field(default_factory=list)
    newest_date: str | None = None  # the newest publish date among its pages

    def seen(self, url: str, column: str | None, publish_date: str | None, samples: int) -> None:
        self.count += 1
        self.columns[column] += 1
        if len(self.sample_urls) < samples:
            self.sample_urls.append(url)
        if publish_date and (self.newest_date is None or publish_date > self.newest_date):
            self.newest_date = publish_date


class Survey:
    """What one pass over a run's pages learns about its templates."""

    def __init__(self, ctx: CheckContext):
        from .metatags import checked_page_types, required_tags
        self.ctx = ctx
        self.rules = rules()
        self._page_types = frozenset(checked_page_types())
        self._required = required_tags
        self.column_pages: Counter = Counter()          # column -> pages (for the share of a body line)
        self.cells: Counter = Counter()                 # (page_type, column) -> checked pages
        self.absent: Counter = Counter()                # (check, evidence, page_type, column) -> pages lacking it
        self.absent_samples: dict = {}                  # (check, evidence, page_type, column) -> a few urls
        self.absent_finding: dict = {}                  # (check, evidence) -> one page finding (suggestion, severity)
        self._pages: list[tuple] = []                   # (url, column, publish_date) of each page surveyed
        self._first: dict[bytes, int] = {}              # body line key -> index of its only page so far
        self.body: dict[bytes, TemplateLine] = {}       # body lines seen on two pages or more
        self.footer: dict[bytes, TemplateLine] = {}
        self._finding_line: dict[int, bytes] = {}       # id(page finding) -> key of the line it is in
        self._finding_cell: dict[int, tuple] = {}       # id(page finding) -> (page_type, column)
        self._text_findings = frozenset(self.rules["text_findings"])

    def add(self, page: dict, findings: list[dict]) -> None:
        """Count one page's lines and note where its findings are."""
        if page.get("status", 200) != 200 or page.get("page_type") == "attachment":
            return
        url, column, date = page["url"], page.get("column"), page.get("publish_date")
        self._pages.append((url, column, date))
        samples = int(self.rules["sample_urls"])
        self.column_pages[column] += 1
        min_chars = int(self.rules["min_line_chars"])
        for key, line in self._lines(page.get("body_text") or "", min_chars):
            entry = self.body.get(key)
            if entry is None:
                first = self._first.pop(key, None)
                if first is None:
                    self._first[key] = len(self._pages) - 1
                    continue
                entry = self.body[key] = TemplateLine("body", line.strip())
                f_url, f_column, f_date = self._pages[first]
                entry.seen(f_url, f_column, f_date, samples)
            entry.seen(url, column, date, samples)
        for key, line in self._lines(page.get("footer_text") or "", 1):
            entry = self.footer.get(key)
            if entry is None:
                entry = self.footer[key] = TemplateLine("footer", line.strip())
            entry.seen(url, column, date, samples)
        self._note_findings(page, findings)

    @staticmethod
    def _lines(text: str, min_chars: int):
        keys = set()
        for _pos, line in lines_with_offsets(text):
            if len("".join(line.split())) < min_chars:
                continue
            key = line_key(line)
            if key not in keys:          # a line twice on one page counts once
                keys.add(key)
                yield key, line

    def _note_findings(self, page: dict, findings: list[dict]) -> None:
        page_type, column = page.get("page_type"), page.get("column")
        if page_type in self._page_types:
            cell = (page_type, column)
            self.cells[cell] += 1
        text = None
        title_end = len(page.get("title") or "")
        for f in findings:
            check = f["check"]
            if check in ABSENCE_CHECKS and page_type in self._page_types and not f["detail"].get("template"):
                k = (check, f["evidence"], page_type, column)
                self.absent[k] += 1
                self.absent_samples.setdefault(k, [])
                if len(self.absent_samples[k]) < int(self.rules["sample_urls"]):
                    self.absent_samples[k].append(page["url"])
                self.absent_finding.setdefault((check, f["evidence"]), f)
                self._finding_cell[id(f)] = (page_type, column)
            elif check in self._text_findings and isinstance(f["detail"].get("offset"), int):
                offset = f["detail"]["offset"]
                if offset <= title_end:
                    continue                 # in the title: never template text
                text = text if text is not None else page_text(page)
                self._finding_line[id(f)] = line_key(line_at(text, offset)[1])

    # -- decisions, once every page is in ----------------------------------
    def shared_body(self) -> dict[bytes, TemplateLine]:
        """Body lines that are template text: on enough pages, and on most pages of their columns."""
        if not hasattr(self, "_shared"):
            r = self.rules
            self._shared = {}
            for key, e in self.body.items():
                pool = sum(self.column_pages[c] for c in e.columns)
                if e.count >= int(r["min_pages"]) and e.count >= float(r["min_share"]) * pool:
                    self._shared[key] = e
        return self._shared

    def _applies(self, check: str, evidence: str, page_type: str) -> bool:
        if check == "missing_meta_tag":
            return evidence.lower() in {t.lower() for t in self._required(page_type)}
        return True

    @staticmethod
    def _group(level: str, cell: tuple) -> tuple:
        page_type, column = cell
        return {"site": (), "page_type": (page_type,), "column": (column,),
                "column_page_type": (column, page_type)}[level]

    def absences(self) -> list[dict]:
        """Groups of pages that all lack one tag or identifier: {check, evidence, level, cells, pages}."""
        if hasattr(self, "_absences"):
            return self._absences
        min_pages = int(self.rules["absence_min_pages"])
        self._absences, self._covered = [], set()
        for check, evidence in sorted(self.absent_finding):
            cells = sorted((c for c in self.cells if self._applies(check, evidence, c[0])),
                           key=lambda c: (c[0], c[1] or ""))
            covered: set = set()
            for level in LEVELS:
                groups: dict = {}
                for cell in cells:
                    if cell not in covered:
                        groups.setdefault(self._group(level, cell), []).append(cell)
                for group_cells in groups.values():
                    total = sum(self.cells[c] for c in group_cells)
                    lacking = sum(self.absent[(check, evidence) + c] for c in group_cells)
                    if total >= min_pages and lacking == total:
                        covered.update(group_cells)
                        self._absences.append({"check": check, "evidence": evidence, "level": level,
                                               "cells": group_cells, "pages": total})
            self._covered |= {(check, evidence) + c for c in covered}
        return self._absences

    def covers(self, f: dict) -> bool:
        """A page finding a template finding stands for."""
        if f["detail"].get("template"):
            return False
        key = self._finding_line.get(id(f))
        if key is not None:
            return key in self.shared_body()
        cell = self._finding_cell.get(id(f))
        if cell is not None:
            self.absences()
            return (f["check"], f["evidence"]) + cell in self._covered
        return False

    def drop_covered(self, findings: list[dict]) -> list[dict]:
        """The findings without the page findings that template findings stand for."""
        return [f for f in findings if not self.covers(f)]

    # -- where a template finding points -----------------------------------
    def _home(self) -> str:
        return (self.ctx.site or {}).get("home") or ""

    def _column_url(self, column: str | None) -> str:
        return self.ctx.column_config(column).get("url") or self._home()

    def _place(self, count: int, columns: Counter, samples: list) -> tuple[str, str | None]:
        if count == 1 and samples:
            return samples[0], next(iter(columns))
        named = [c for c in columns if c is not None]
        if len(columns) == 1 and named:
            return self._column_url(named[0]), named[0]
        return self._home(), None

    # -- the template findings ----------------------------------------------
    def text_findings(self) -> Iterator[dict]:
        """Typo, serious-error and privacy findings in footer lines and shared body lines, once each."""
        plain = dataclasses.replace(self.ctx)       # the page checks see one line, not the survey
        modules = [import_module(f"checks.{name}") for name in self.rules["text_checks"]]
        lines = list(self.footer.values()) + list(self.shared_body().values())
        for line in lines:
            url, column = self._place(line.count, line.columns, line.sample_urls)
            pseudo = {"url": url, "final_url": url, "status": 200, "page_type": "other", "column": column,
                      "title": "", "publish_date": line.newest_date if line.field == "body" else self.ctx.as_of,
                      "body_text": line.text, "metadata": {}, "meta_tags": {}, "footer_text": "", "links": []}
            for module in modules:
                for f in module.check(pseudo, plain):
                    detail = f["detail"]
                    if isinstance(detail.get("offset"), int):
                        detail["offset"] -= 1             # in the line, not after the empty title
                    detail.update(template=True, field=line.field, pages_affected=line.count,
                                  sample_urls=list(line.sample_urls), columns=sorted(c for c in line.columns if c))
                    yield f

    def absence_findings(self) -> Iterator[dict]:
        from portal_audit.records import finding
        samples = int(self.rules["sample_urls"])
        for a in self.absences():
            check, evidence, level = a["check"], a["evidence"], a["level"]
            page_types = sorted({c[0] for c in a["cells"]})
            columns = sorted({c[1] for c in a["cells"]}, key=lambda c: c or "")
            if level in ("column", "column_page_type") and columns[0] is not None:
                url, column = self._column_url(columns[0]), columns[0]
            else:
                url, column = self._home(), None
            example = self.absent_finding[(check, evidence)]
            urls = [u for c in a["cells"] for u in self.absent_samples[(check, evidence) + c]][:samples]
            detail = {k: v for k, v in example["detail"].items() if k not in ("page_type",)}
            detail.update(template=True, scope=level, pages_affected=a["pages"], page_types=page_types,
                          sample_urls=urls)
            yield finding(check, example["severity"], url, column=column, evidence=evidence,
                          suggestion=example["suggestion"], **detail)


def number_occurrences(findings: list[dict]) -> list[dict]:
    """Template findings at one url with one evidence get occurrences template:0, template:1 …"""
    seen: Counter = Counter()
    for f in findings:
        k = (f["check"], f["url"], f["evidence"])
        f["detail"]["occurrence"] = f"template:{seen[k]}"
        seen[k] += 1
    return findings


def check_run(run, ctx: CheckContext) -> Iterator[dict]:
    """Template findings of a run; nothing when the audit did not survey its pages (``ctx.templates``)."""
    survey = getattr(ctx, "templates", None)
    if survey is None:
        return
    yield from number_occurrences(list(survey.text_findings()) + list(survey.absence_findings()))
