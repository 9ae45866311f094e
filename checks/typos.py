"""Typos (错别字): a dictionary of common misspellings, matched with Aho-Corasick.

``checks/data/typos.tsv`` holds wrong<TAB>right<TAB>note pairs whose wrong form is
wrong in every context; ``checks/data/typo_exceptions.tsv`` holds valid word
sequences that spell a wrong form across a word boundary (按装修 = 按 + 装修),
which silence a match they cover. One automaton holds both and is built once
per process; each page is scanned once, in time linear in its text.

One finding per occurrence (the annual report counts 错别字 by occurrence).
At overlapping matches the leftmost, then longest, wins, so 针贬时弊 is one
finding, not also 针贬.
"""
from __future__ import annotations

from functools import cache
from typing import Iterator

import ahocorasick

from portal_audit.records import finding

from .context import CheckContext, load_tsv, snippet

CHECK_NAMES = ("typo",)
TYPOS_FILE = "typos.tsv"
EXCEPTIONS_FILE = "typo_exceptions.tsv"


@cache
def dictionary() -> dict[str, str]:
    """wrong -> right."""
    pairs = {}
    for row in load_tsv(TYPOS_FILE):
        if len(row) >= 2 and row[0] and row[1] and row[0] != row[1]:
            pairs.setdefault(row[0], row[1])
    return pairs


@cache
def exceptions() -> frozenset[str]:
    return frozenset(row[0] for row in load_tsv(EXCEPTIONS_FILE) if row and row[0])


@cache
def automaton() -> ahocorasick.Automaton:
    a = ahocorasick.Automaton()
    for seq in exceptions():
        a.add_word(seq, (False, seq, None))
    for wrong, right in dictionary().items():
        a.add_word(wrong, (True, wrong, right))   # a wrong form wins over an identical exception
    a.make_automaton()
    return a


def find_typos(text: str, whitelist: frozenset = frozenset()) -> list[tuple[int, str, str]]:
    """(offset, wrong, right) for each reported occurrence in ``text``, in text order."""
    if not text:
        return []
    hits, allowed = [], []
    for end, (is_typo, word, right) in automaton().iter(text):
        start = end - len(word) + 1
        (hits if is_typo else allowed).append((start, end + 1, word, right))
    if not hits:
        return []
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out, last_end = [], -1
    for start, end, wrong, right in hits:
        if start < last_end:
            continue                                  # inside or across a longer/earlier match
        if wrong in whitelist or _covered(start, end, allowed) or _whitelisted(text, start, wrong, whitelist):
            continue
        out.append((start, wrong, right))
        last_end = end
    return out


def _covered(start: int, end: int, allowed: list) -> bool:
    return any(a_start <= start and end <= a_end for a_start, a_end, _, _ in allowed)


def _whitelisted(text: str, start: int, wrong: str, whitelist: frozenset) -> bool:
    """A site whitelist entry that contains the wrong form and covers it here."""
    for w in whitelist:
        k = w.find(wrong)
        while k >= 0:
            if start - k >= 0 and text.startswith(w, start - k):
                return True
            k = w.find(wrong, k + 1)
    return False


def check(page: dict, ctx: CheckContext) -> Iterator[dict]:
    title = page.get("title") or ""
    text = title + "\n" + (page.get("body_text") or "")
    seen: dict[str, int] = {}
    for offset, wrong, right in find_typos(text, ctx.whitelist):
        n = seen.get(wrong, 0)
        seen[wrong] = n + 1
        yield finding("typo", "deduct", page["url"], column=page.get("column"),
                      evidence=wrong, suggestion=right,
                      context=snippet(text, offset, offset + len(wrong)), offset=offset,
                      field="title" if offset < len(title) else "body",
                      layer="dictionary", occurrence=n)
