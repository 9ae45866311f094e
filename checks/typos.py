"""Typos (错别字): a dictionary of common misspellings, matched with Aho-Corasick, and context rules.

``checks/data/typos.tsv`` holds wrong<TAB>right<TAB>note pairs whose wrong form is
wrong in every context; ``checks/data/typo_exceptions.tsv`` holds valid word
sequences that spell a wrong form across a word boundary (按装修 = 按 + 装修),
which silence a match they cover. One automaton holds both and is built once
per process; each page is scanned once, in time linear in its text.

``checks/data/typo_context_rules.tsv`` handles look-alike pairs that are both
words (法制/法治, 权利/权力, 必需/必须, 度过/渡过, 截止/截至): a rule's regex says
the context in which one of them is wrong, and runs only on text holding it.

A site adds its own pairs and rules (``[typos] extra_rules``, layer "site") and
silences false alarms (``[typos] whitelist``) through the check context.

One finding per occurrence (the annual report counts 错别字 by occurrence).
At overlapping matches the leftmost, then longest, wins, so 针贬时弊 is one
finding, not also 针贬. ``detail.layer`` says which layer found it.
"""
from __future__ import annotations

from functools import cache, lru_cache
from typing import Iterator

import re

import ahocorasick

from portal_audit.records import finding

from .context import CheckContext, load_tsv, snippet

CHECK_NAMES = ("typo",)
TYPOS_FILE = "typos.tsv"
EXCEPTIONS_FILE = "typo_exceptions.tsv"
CONTEXT_RULES_FILE = "typo_context_rules.tsv"


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
    return build_automaton(tuple(dictionary().items()), exceptions())


@lru_cache(maxsize=8)
def build_automaton(pairs: tuple, allowed: frozenset = frozenset()) -> ahocorasick.Automaton:
    """One automaton over wrong forms (and the valid sequences that silence them)."""
    a = ahocorasick.Automaton()
    for seq in allowed:
        a.add_word(seq, (False, seq, None))
    for wrong, right in pairs:
        a.add_word(wrong, (True, wrong, right))   # a wrong form wins over an identical exception
    if len(a):
        a.make_automaton()
    return a


@cache
def context_rules() -> tuple:
    return parse_context_rules(load_tsv(CONTEXT_RULES_FILE))


def parse_context_rules(rows) -> tuple:
    """(wrong, right template, compiled regex, source) from wrong<TAB>right<TAB>regex[<TAB>source] rows."""
    rules = []
    for row in rows:
        wrong, right, pattern = row[:3]
        regex = re.compile(pattern)
        if "w" not in regex.groupindex:
            raise ValueError(f"context rule {pattern!r} has no (?P<w>...) group")
        rules.append((wrong, right, regex, row[3] if len(row) > 3 else ""))
    return tuple(rules)


def find_typos(text: str, whitelist: frozenset = frozenset(),
               automaton_: ahocorasick.Automaton | None = None) -> list[tuple[int, str, str]]:
    """(offset, wrong, right) for each reported occurrence in ``text``, in text order."""
    a = automaton_ if automaton_ is not None else automaton()
    if not text or not len(a):
        return []
    hits, allowed = [], []
    for end, (is_typo, word, right) in a.iter(text):
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


def find_context_typos(text: str, rules: tuple, whitelist: frozenset = frozenset()):
    """(offset, wrong, right, source) where a context rule says a real word is the wrong one here."""
    out = []
    for wrong, right, regex, source in rules:
        if wrong not in text:
            continue
        for m in regex.finditer(text):
            start, word = m.start("w"), m.group("w")
            if word in whitelist or _whitelisted(text, start, word, whitelist):
                continue
            out.append((start, word, m.expand(right), source))
    return sorted(out)


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
    whitelist = ctx.whitelist
    found = [(o, w, r, "dictionary", None) for o, w, r in find_typos(text, whitelist)]
    found += [(o, w, r, "context", src) for o, w, r, src in find_context_typos(text, context_rules(), whitelist)]
    if ctx.extra_typos:
        found += [(o, w, r, "site", None)
                  for o, w, r in find_typos(text, whitelist, build_automaton(ctx.extra_typos))]
    if ctx.extra_context_rules:
        found += [(o, w, r, "site", src)
                  for o, w, r, src in find_context_typos(text, ctx.extra_context_rules, whitelist)]
    found.sort(key=lambda f: (f[0], -len(f[1])))
    seen: dict[str, int] = {}
    last_end = -1
    for offset, wrong, right, layer, rule in found:
        if offset < last_end:
            continue                                  # one finding per place, the first layer wins
        last_end = offset + len(wrong)
        n = seen.get(wrong, 0)
        seen[wrong] = n + 1
        extra = {"rule": rule} if rule else {}
        yield finding("typo", "deduct", page["url"], column=page.get("column"),
                      evidence=wrong, suggestion=right,
                      context=snippet(text, offset, offset + len(wrong)), offset=offset,
                      field="title" if offset < len(title) else "body",
                      layer=layer, occurrence=n, **extra)


def parse_whitelist(text: str) -> frozenset:
    """Words of a site's whitelist file: one a line, ``#`` comments allowed."""
    return frozenset(w for w in (line.split("#", 1)[0].strip() for line in text.splitlines()) if w)


def parse_site_rules(text: str, source: str = "extra_rules") -> tuple[tuple, tuple, list[str]]:
    """A site's house rules: ``wrong<TAB>right[<TAB>note]`` pairs and ``wrong<TAB>right<TAB>regex<TAB>note``
    context rules (a third field holding ``(?P<w>``). Returns (pairs, context rules, problems)."""
    pairs, rules, problems = [], [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = [f.strip() for f in line.split("\t")]
        if len(row) < 2 or not row[0] or not row[1]:
            problems.append(f"{source}:{n}: expected wrong<TAB>right, got {line!r}")
        elif len(row) >= 3 and "(?P<w>" in row[2]:
            try:
                rules.extend(parse_context_rules([row[:3] + [row[3] if len(row) > 3 else f"{source}:{n}"]]))
            except (re.error, ValueError) as exc:
                problems.append(f"{source}:{n}: bad regular expression: {exc}")
        elif row[0] != row[1]:
            pairs.append((row[0], row[1]))
    return tuple(pairs), tuple(rules), problems
