"""Check families, one module each.

Page checks are ``check(page, ctx)`` over one page record; run checks are
``check_run(run, ctx)`` over a whole run (links, freshness). Both yield
findings and do no I/O, so they run the same over a fresh crawl and over
pages already stored.
"""
from __future__ import annotations

from importlib import import_module

PAGE_CHECK_MODULES = ("typos", "serious", "languagetool", "disclosure", "metadata", "metatags", "privacy",
                      "freshness", "interaction", "stale_page")
RUN_CHECK_MODULES = ("links", "freshness", "stale_page", "templates", "suspect", "availability")


def page_checks():
    return [import_module(f"checks.{name}").check for name in PAGE_CHECK_MODULES]


def run_checks():
    return [import_module(f"checks.{name}").check_run for name in RUN_CHECK_MODULES]
