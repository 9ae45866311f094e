"""Serious errors (严重错误, 单项否决): a miswritten fixed political phrase, or a
leader's title + name written one character wrong (国务院总理李克疆).

Phrases come from ``checks/data/political_phrases.tsv``; title + name pairs
from ``checks/data/leaders.tsv``. A near-miss is one edit away from a phrase:
one character changed, dropped or inserted, or two adjacent characters swapped
(optimal-string-alignment Damerau distance exactly 1).

Finding them in linear time: every phrase is split into a prefix and a suffix
of at least 2 characters, with one character between them when the phrase is
5 or more long, so that any single edit (a swap included) leaves one of the two
intact. One Aho-Corasick automaton finds the anchors and the exact phrases in
one pass; each anchor proposes windows of length len-1 .. len+1 that are then
tested against the full phrase.

Not flagged:
* the exact phrase, and any window of which all but at most one character
  lies inside an exact valid phrase found at that place (a phrase of the
  table, or a leader pair): 中国特色社会主义 inside 习近平新时代中国特色社会主义思想,
  中华人民共和国的, 中国共产党十九届五中全会;
* a changed first or last character that makes a common word with its
  neighbour (jieba's dictionary): normal text running on, as in 中国共产主义,
  四个意见, 两个维度; in phrases of 5 characters or fewer, any changed or
  inserted character that does so (四个方面 is not a miswritten 四个全面);
  and a dropped first or last character of a short phrase;
* an edit that only touches punctuation, spaces or digits (不忘初心，牢记使命).
A correct title + name is never flagged, whatever the page's date; the
validity periods only pick the likelier leader when a near-miss fits two.
Where near-misses of several phrases overlap, the longest phrase is reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Iterator

import ahocorasick

from portal_audit.records import finding

from .context import CheckContext, load_toml, load_tsv, snippet

CHECK_NAMES = ("serious_error",)
EDIT_RANK = {"substitute": 0, "transpose": 0, "insert": 1, "delete": 2}


@dataclass(frozen=True)
class Phrase:
    text: str
    kind: str                  # "phrase" | "leader"
    note: str = ""
    name: str | None = None
    title: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None

    def valid_on(self, day: str | None) -> bool:
        if self.kind != "leader" or not day:
            return False
        return (not self.valid_from or self.valid_from <= day) and (not self.valid_to or day < self.valid_to)


@cache
def phrases() -> tuple[Phrase, ...]:
    out: dict[str, Phrase] = {}
    for row in load_tsv("political_phrases.tsv"):
        if row and row[0]:
            out.setdefault(row[0], Phrase(row[0], "phrase", row[1] if len(row) > 1 else ""))
    for row in load_tsv("leaders.tsv"):
        name, title = row[0], row[1]
        vf = row[2] if len(row) > 2 and row[2] else None
        vt = row[3] if len(row) > 3 and row[3] else None
        text = title + name
        if text not in out:                 # one person may hold a title twice; keep the first period
            out[text] = Phrase(text, "leader", name=name, title=title, valid_from=vf, valid_to=vt)
    return tuple(out.values())


def settings(ctx: CheckContext | None = None) -> dict:
    """The near-miss settings of ``serious.toml``, overridden by the site's [rules.serious.near_miss]."""
    s = dict(load_toml("serious.toml")["near_miss"])
    if ctx is not None and isinstance(ctx.rules, dict):
        s.update((ctx.rules.get("serious") or {}).get("near_miss") or {})
    return s


def anchors(text: str) -> tuple[str, str]:
    """Prefix and suffix (each >= 2 chars, one char apart when len >= 5): one edit spares one of them."""
    n = len(text)
    a = max(2, (n - 1) // 2)
    b = a + 1 if n - (a + 1) >= 2 else a
    return text[:a], text[b:]


@cache
def _automaton(min_len: int) -> ahocorasick.Automaton:
    table: dict[str, dict] = {}
    for i, p in enumerate(phrases()):
        table.setdefault(p.text, {"exact": [], "prefix": [], "suffix": []})["exact"].append(i)
        if len(p.text) >= min_len:
            pre, suf = anchors(p.text)
            table.setdefault(pre, {"exact": [], "prefix": [], "suffix": []})["prefix"].append(i)
            table.setdefault(suf, {"exact": [], "prefix": [], "suffix": []})["suffix"].append(i)
    a = ahocorasick.Automaton()
    for key, v in table.items():
        a.add_word(key, (key, tuple(v["exact"]), tuple(v["prefix"]), tuple(v["suffix"])))
    a.make_automaton()
    return a


def single_edit(window: str, phrase: str):
    """If the Damerau (OSA) distance is exactly 1, return (kind, position in phrase, changed chars); else None."""
    lw, lp = len(window), len(phrase)
    if lw == lp:
        diffs = [i for i in range(lp) if window[i] != phrase[i]]
        if len(diffs) == 1:
            i = diffs[0]
            return "substitute", i, window[i] + phrase[i]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            i = diffs[0]
            if window[i] == phrase[i + 1] and window[i + 1] == phrase[i]:
                return "transpose", i, phrase[i:i + 2]
        return None
    if lw == lp + 1:                     # one char inserted into the phrase
        i = 0
        while i < lp and window[i] == phrase[i]:
            i += 1
        return ("insert", i, window[i]) if window[i + 1:] == phrase[i:] else None
    if lw == lp - 1:                     # one char of the phrase dropped
        i = 0
        while i < lw and window[i] == phrase[i]:
            i += 1
        return ("delete", i, phrase[i]) if window[i:] == phrase[i + 1:] else None
    return None


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF or 0xF900 <= o <= 0xFAFF


@cache
def common_words(min_freq: int) -> frozenset[str]:
    """Two-character words of jieba's dictionary with at least ``min_freq``; empty without jieba."""
    try:
        from importlib.resources import files
        source = files("jieba").joinpath("dict.txt")
        with source.open(encoding="utf-8") as f:
            return frozenset(w for w, freq, *_ in (line.split(" ") for line in f)
                             if len(w) == 2 and int(freq) >= min_freq)
    except (ModuleNotFoundError, FileNotFoundError, ValueError):
        return frozenset()


def _runs_on(text: str, ws: int, we: int, phrase: str, kind: str, pos: int, cfg: dict) -> bool:
    """Whether an edit is just normal text running on, not a miswritten phrase (see the module docstring)."""
    n = len(phrase)
    if kind == "delete" and pos in (0, n - 1):
        return n < int(cfg.get("edge_delete_min_len", 6))
    short = n <= int(cfg.get("short_phrase_max_len", 5))
    if kind not in ("substitute", "insert") or kind == "insert" and not short:
        return False
    if not short and pos not in (0, n - 1):
        return False
    i = ws + pos                          # the changed (or inserted) character in the text
    words = common_words(int(cfg.get("word_min_freq", 3)))
    return text[max(0, i - 1):i + 1] in words or text[i:i + 2] in words


def find_serious(text: str, publish_date: str | None = None, cfg: dict | None = None) -> list[dict]:
    """Near-misses in ``text``: dicts with start, end, window, phrase (Phrase), edit."""
    cfg = cfg or settings()
    min_len = int(cfg.get("min_phrase_len", 4))
    table = phrases()
    exact: list[tuple[int, int]] = []
    windows: set[tuple[int, int, int]] = set()
    n = len(text)
    for end, (key, ex, pre, suf) in _automaton(min_len).iter(text):
        start = end - len(key) + 1
        for _ in ex:
            exact.append((start, end + 1))
        for i in pre:
            L = len(table[i].text)
            for w in (L - 1, L, L + 1):
                if start + w <= n:
                    windows.add((start, start + w, i))
        for i in suf:
            L = len(table[i].text)
            for w in (L - 1, L, L + 1):
                if end + 1 - w >= 0:
                    windows.add((end + 1 - w, end + 1, i))
    if not windows:
        return []
    candidates = []
    for ws, we, i in windows:
        p = table[i]
        window = text[ws:we]
        edit = single_edit(window, p.text)
        if edit is None:
            continue
        kind, pos, chars = edit
        if not all(_is_cjk(c) for c in chars):
            continue
        if any(min(we, e) - max(ws, s) >= (we - ws) - 1 for s, e in exact):
            continue
        if _runs_on(text, ws, we, p.text, kind, pos, cfg):
            continue
        candidates.append({"start": ws, "end": we, "window": window, "phrase": p, "edit": kind,
                           "valid_now": p.valid_on(publish_date)})
    # one finding per place: the longest phrase, then the likeliest edit, then a leader in office that day
    candidates.sort(key=lambda c: (-len(c["phrase"].text), EDIT_RANK[c["edit"]], not c["valid_now"], c["start"]))
    kept: list[dict] = []
    for c in candidates:
        if all(c["end"] <= k["start"] or c["start"] >= k["end"] for k in kept):
            kept.append(c)
    kept.sort(key=lambda c: c["start"])
    return kept


def check(page: dict, ctx: CheckContext) -> Iterator[dict]:
    title = page.get("title") or ""
    text = title + "\n" + (page.get("body_text") or "")
    seen: dict[str, int] = {}
    for c in find_serious(text, page.get("publish_date"), settings(ctx)):
        p: Phrase = c["phrase"]
        n = seen.get(c["window"], 0)
        seen[c["window"]] = n + 1
        extra = {}
        if p.kind == "leader":
            extra = {"leader": p.name, "title": p.title, "valid_from": p.valid_from, "valid_to": p.valid_to}
        yield finding("serious_error", "veto", page["url"], column=page.get("column"),
                      evidence=c["window"], suggestion=p.text,
                      context=snippet(text, c["start"], c["end"]), offset=c["start"], phrase=p.text,
                      occurrence=n, kind=p.kind, edit=c["edit"], **extra)
