"""Typos (错别字): a dictionary of common misspellings, matched with Aho-Corasick, and context rules.

``checks/data/typos.tsv`` holds wrong<TAB>right<TAB>note pairs whose wrong form is
wrong in every context; ``checks/data/typo_exceptions.tsv`` holds valid word
sequences that spell a wrong form across a word boundary (按装修 = 按 + 装修),
which silence a match they cover. One automaton holds both and is built once
per process; each page is scanned once, in time linear in its text.

``checks/data/typo_context_rules.tsv`` handles look-alike pairs that are both
words (法制/法治, 权利/权力, 必需/必须, 度过/渡过, 截止/截至): a rule's regex says
the context in which one of them is wrong, and runs only on text holding it.

The near-miss layer (``detail.layer = "near_miss"``, settings in
``checks/data/near_miss.toml``) catches slips no list spells out: a span one character off a
set phrase of jieba's dictionary (成语, 四字格), where the changed character has the same
pinyin or a look-alike shape (checks/lexicon.py) and the span is no word, or one far rarer than
the phrase. Any one substitution leaves one half of the phrase intact, so an automaton over
the phrases' halves finds the candidates in one pass.

A site adds its own pairs and rules (``[typos] extra_rules``, layer "site") and
silences false alarms (``[typos] whitelist``) through the check context.

One finding per occurrence (the annual report counts 错别字 by occurrence).
At overlapping matches the leftmost, then longest, wins, so 针贬时弊 is one
finding, not also 针贬. ``detail.layer`` says which layer found it.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import cache, lru_cache
from typing import Iterator

import ahocorasick

from portal_audit.records import finding

from .context import CheckContext, load_toml, load_tsv, snippet
from .lexicon import CJK, confusable, lexicon, tagged_words

CHECK_NAMES = ("typo",)
TYPOS_FILE = "typos.tsv"
EXCEPTIONS_FILE = "typo_exceptions.tsv"
CONTEXT_RULES_FILE = "typo_context_rules.tsv"
NEAR_MISS_FILE = "near_miss.toml"


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


def near_miss_settings(ctx: CheckContext | None = None) -> dict:
    conf = dict(load_toml(NEAR_MISS_FILE))
    conf.update(((ctx.rules or {}).get("near_miss") or {}) if ctx is not None else {})
    return conf


@lru_cache(maxsize=4)
def phrase_index(lengths: tuple, min_freq: int) -> tuple[dict, ahocorasick.Automaton]:
    """Set phrases (frequency by phrase) and an automaton over their halves.

    Any one substitution leaves one half intact and leaves at least one of the first two
    characters of the other half intact too; so each half (the anchor) is valued with, per
    offset in the phrase, the phrases indexed by those two characters of their other half."""
    lex = lexicon()
    phrases = {w: lex[w] for w, _ in tagged_words()
               if len(w) in lengths and lex.get(w, 0) >= min_freq and all(CJK.match(c) for c in w)}
    anchors = defaultdict(lambda: defaultdict(lambda: (defaultdict(list), defaultdict(list))))
    for w in phrases:
        half = len(w) // 2
        for off, other in ((0, half), (half, 0)):
            by_first, by_second = anchors[w[off:off + (half if off == 0 else len(w) - half)]][(off, other)]
            by_first[w[other]].append(w)
            by_second[w[other + 1]].append(w)
    a = ahocorasick.Automaton()
    for key, groups in anchors.items():
        a.add_word(key, (len(key), tuple((off, other, _frozen(f), _frozen(s)) for (off, other), (f, s) in groups.items())))
    if len(a):
        a.make_automaton()
    return phrases, a


@cache
def starts_word() -> dict[str, int]:
    """character -> the frequency of the commonest word of two or more characters it begins."""
    out: dict[str, int] = {}
    for w, f in lexicon().items():
        if f and len(w) > 1 and f > out.get(w[0], 0):
            out[w[0]] = f
    return out


def _frozen(index: dict) -> dict:
    return {k: tuple(v) for k, v in index.items()}


def find_near_misses(text: str, conf: dict, whitelist: frozenset = frozenset()) -> list[tuple[int, str, str]]:
    """(offset, written, phrase) where a span is one same-pinyin or look-alike character off a set phrase."""
    phrases, a = phrase_index(tuple(conf["lengths"]), conf["min_phrase_freq"])
    if not text or not len(a):
        return []
    lex, ratio, skip = lexicon(), conf["min_ratio"], exceptions()
    n_text = len(text)
    best: dict[int, tuple[str, str]] = {}
    for end, (n, groups) in a.iter(text):
        for off, other, by_first, by_second in groups:
            start = end - n + 1 - off
            if start < 0 or start + other + 1 >= n_text:
                continue
            for phrase in by_first.get(text[start + other], ()) + by_second.get(text[start + other + 1], ()):
                span = text[start:start + len(phrase)]
                if len(span) != len(phrase) or span in phrases:
                    continue
                diff = [k for k in range(len(span)) if span[k] != phrase[k]]
                if len(diff) != 1 or not CJK.match(span[diff[0]]) or not confusable(span[diff[0]], phrase[diff[0]]):
                    continue
                if phrases[phrase] < ratio * max(lex.get(span, 0), 1) or _whitelisted(text, start, span, skip):
                    continue                          # far rarer than the phrase; not a valid sequence here
                if _joins_outside(text, start, len(span), lex, conf["edge_word_freq"]):
                    continue
                if _splits_validly(span, diff[0], lex, starts_word(), conf["edge_word_freq"]):
                    continue
                if start not in best or phrases[phrase] > phrases[best[start][1]]:
                    best[start] = (span, phrase)
    out, last_end = [], -1
    for start in sorted(best):
        span, phrase = best[start]
        if start < last_end or span in whitelist or _whitelisted(text, start, span, whitelist):
            continue
        out.append((start, span, phrase))
        last_end = start + len(span)
    return out


def _joins_outside(text: str, start: int, n: int, lex: dict, min_freq: int) -> bool:
    """The span's first or last character makes a common word with its neighbour outside the span:
    the span crosses a word boundary and reads validly (中小学|教育 is no slip of 中小学校,
    说也是|一样 no slip of 说一是一)."""
    end = start + n
    return ((start > 0 and lex.get(text[start - 1:start + 1], 0) >= min_freq)
            or (end < len(text) and lex.get(text[end - 1:end + 1], 0) >= min_freq))


def _splits_validly(span: str, k: int, lex: dict, starts: dict, min_freq: int) -> bool:
    """A slip in the span's last character where the rest is a word and that character begins a common
    word: the span reads as a word and the start of the next (中小学|教…, as in a title cut short)."""
    return k == len(span) - 1 and lex.get(span[:-1], 0) > 0 and starts.get(span[-1], 0) >= min_freq


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
    found += [(o, w, r, "near_miss", None) for o, w, r in find_near_misses(text, near_miss_settings(ctx), whitelist)]
    if ctx.extra_typos:
        found += [(o, w, r, "site", None)
                  for o, w, r in find_typos(text, whitelist, build_automaton(ctx.extra_typos))]
    if ctx.extra_context_rules:
        found += [(o, w, r, "site", src)
                  for o, w, r, src in find_context_typos(text, ctx.extra_context_rules, whitelist)]
    if found:                                         # a miswritten political phrase is the serious check's
        from . import serious                         # (veto), not a typo as well
        veto = [(c["start"], c["end"]) for c in serious.find_serious(text, page.get("publish_date"), serious.settings(ctx))]
        found = [f for f in found if not any(f[0] < e and s < f[0] + len(f[1]) for s, e in veto)]
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
