"""Suspected typos (疑似错别字): a statistical layer for misspellings that no list knows.

The page text is segmented with jieba without its HMM, so a character that makes
no word with its neighbours stands alone. Around such an orphan character the
layer tries its same-pinyin characters (pypinyin, offline): when one of them turns
the span into a word far more common than the span as written (克伏 → 克服), or a
4-character span into a well-known idiom (按步就班 → 按部就班), the span is suspected.
Frequencies are ratios against jieba's dictionary, never bare membership, since
jieba lists some misspellings as words (签定, 松驰).

It runs over the whole run (``check_run``), because it learns from the site itself:
a span written on several pages is the site's own vocabulary (a place, a company)
and is never suspected; person and place names (jieba.posseg nr/ns/nt/nz) are
skipped. Spans already reported by the dictionary or context rules are left to them.
Findings are ``typo``, severity ``warn``, ``detail.confidence = "suspected"`` (疑似),
``detail.layer = "statistical"``; never veto. Settings: checks/data/suspect.toml,
overridable per site in ``[rules.suspect]``.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from typing import Iterable, Iterator

from portal_audit.records import finding

from . import serious, typos
from .context import CheckContext, data_text, load_toml, snippet
from .lexicon import CJK, lexicon, pinyins, tagged_words

CHECK_NAMES = ("typo",)
SETTINGS_FILE = "suspect.toml"
WORDS_FILE = "suspect_words.txt"
NAME_FLAGS = ("nr", "ns", "nt", "nz")
ORPHAN_MAX_FREQ = 40000   # a single character this common as a word on its own is normal alone


def settings(ctx: CheckContext) -> dict:
    conf = {k: dict(v) for k, v in load_toml(SETTINGS_FILE).items()}
    for table, values in ((ctx.rules or {}).get("suspect") or {}).items():
        if isinstance(values, dict) and table in conf:
            conf[table].update(values)
    return conf


@cache
def homophones() -> dict[str, tuple[str, ...]]:
    """toneless pinyin -> the characters of jieba's words that read so, commonest first."""
    weight = Counter()
    for word, freq in lexicon().items():
        if freq:
            for ch in word:
                if CJK.match(ch):
                    weight[ch] += freq
    by_sound = defaultdict(list)
    for ch, w in weight.most_common():
        if w >= 50:
            for p in pinyins(ch):
                by_sound[p].append(ch)
    return {p: tuple(chars) for p, chars in by_sound.items()}


def same_sound(char: str) -> set[str]:
    out = set()
    for p in pinyins(char):
        out.update(homophones().get(p, ()))
    out.discard(char)
    return out


@cache
def idiom_index(min_freq: int) -> tuple[dict, dict, dict]:
    """Well-known 4-character idioms (jieba tags i, l) by their first and last two characters."""
    freq, head, tail = {}, defaultdict(list), defaultdict(list)
    for word, flag in tagged_words():
        if len(word) == 4 and flag in ("i", "l") and lexicon().get(word, 0) >= min_freq:
            freq[word] = lexicon()[word]
            head[word[:2]].append(word)
            tail[word[2:]].append(word)
    return freq, dict(head), dict(tail)


@cache
def true_idioms() -> frozenset:
    """Idioms proper (jieba tag i), not the set expressions (tag l: 这就是说, 这样的话) that ordinary
    sentences spell with any character changed."""
    return frozenset(w for w, flag in tagged_words() if flag == "i")


@cache
def current_words():
    """An automaton over checks/data/suspect_words.txt: today's words jieba does not know."""
    import ahocorasick
    a = ahocorasick.Automaton()
    for line in data_text(WORDS_FILE).splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            a.add_word(word, word)
    a.make_automaton()
    return a


def spans_left_alone(text: str, ctx: CheckContext) -> list[tuple[int, int]]:
    """Spans another layer reports (dictionary, context rules, near misses, serious errors) or a current word covers."""
    spans = [(o, o + len(w)) for o, w, _ in typos.find_typos(text, ctx.whitelist)]
    spans += [(o, o + len(w)) for o, w, _, _ in typos.find_context_typos(text, typos.context_rules())]
    spans += [(o, o + len(w)) for o, w, _ in typos.find_near_misses(text, typos.near_miss_settings(ctx), ctx.whitelist)]
    spans += [(c["start"], c["end"]) for c in serious.find_serious(text, None, serious.settings(ctx))]
    spans += [(end - len(w) + 1, end + 1) for end, w in current_words().iter(text)]
    return spans


def tokens_with_offsets(text: str) -> list[tuple[int, str]]:
    import jieba
    lexicon()
    out, pos = [], 0
    for tok in jieba.cut(text, HMM=False):
        out.append((pos, tok))
        pos += len(tok)
    return out


def page_candidates(text: str, conf: dict, toks: list | None = None) -> list[tuple[int, str, str, str, int, int]]:
    """(offset, written, suggested, kind, written freq, suggested freq) for one text, before site filters."""
    lex = lexicon()
    word, idiom = conf["word"], conf["idiom"]
    function_chars = set(conf["names"]["function_chars"])
    freq_idiom, head, tail = idiom_index(idiom["min_idiom_freq"])
    toks = toks if toks is not None else tokens_with_offsets(text)
    starts = {p for p, _ in toks}
    orphans = {p for p, t in toks if len(t) == 1 and CJK.match(t) and t not in function_chars
               and lex.get(t, 0) < ORPHAN_MAX_FREQ}
    out, taken = [], -1
    for p, tok in toks:
        if p < taken:
            continue
        # a 4-character span that is one character off a well-known idiom
        span = text[p:p + 4]
        if len(span) == 4 and len(tok) < 4 and all(CJK.match(c) for c in span) and span not in freq_idiom:
            best = None
            for cand in head.get(span[:2], []) + tail.get(span[2:], []):
                diff = [k for k in range(4) if cand[k] != span[k]]
                if len(diff) != 1:
                    continue
                k = diff[0]
                sound = bool(pinyins(span[k]) & pinyins(cand[k]))
                alone = (p + k) in orphans or ((p + k) in starts and (p + k + 1) in starts)
                common = freq_idiom[cand] >= idiom["any_char_min_freq"] and cand in true_idioms()
                if (sound or (common and alone)) and freq_idiom[cand] >= idiom["min_ratio"] * max(lex.get(span, 0), 1):
                    if best is None or freq_idiom[cand] > freq_idiom[best]:
                        best = cand
            if best:
                out.append((p, span, best, "idiom", lex.get(span, 0), freq_idiom[best]))
                taken = p + 4
                continue
        # an orphan character that a same-pinyin character would join into a common word
        if p not in orphans:
            continue
        best = None
        for a in range(max(0, p - 2), p + 1):
            for length in (2, 3):
                b = a + length
                if b <= p or b > len(text) or a < taken:
                    continue
                written = text[a:b]
                # the span is whole tokens, and its other single characters are orphans too (克/伏)
                if a not in starts or (b not in starts and b != len(text)) or not all(CJK.match(c) for c in written):
                    continue
                if any(q in starts and (q + 1 in starts) and q not in orphans for q in range(a, b) if q != p):
                    continue
                fw = lex.get(written, 0)
                for h in same_sound(tok):
                    sugg = written[:p - a] + h + written[p - a + 1:]
                    fs = lex.get(sugg, 0)
                    if fs >= word["min_substitute_freq"] and fs >= word["min_ratio"] * max(fw, 1):
                        if best is None or (length, fs) > (len(best[1]), best[5]):
                            best = (a, written, sugg, "same_pinyin", fw, fs)
        if best:
            out.append(best)
            taken = best[0] + len(best[1])
    return out


def _is_name(text: str, start: int, end: int, surnames: str) -> bool:
    """A person's or place's name by jieba.posseg in the surrounding clause, or a surname just before."""
    import jieba.posseg
    if start > 0 and text[start - 1] in surnames and (start < 2 or not CJK.match(text[start - 2])
                                                      or text[start - 2] in "、，：；"):
        return True
    a, b = max(0, start - 12), min(len(text), end + 12)
    pos = a
    for w in jieba.posseg.cut(text[a:b]):
        w_start, w_end = pos, pos + len(w.word)
        pos = w_end
        # HMM guesses any unknown pair to be a name; believe it for a known name, a name that starts with
        # a surname (杨勇), or one that takes in characters around the span (黄晓敏 around 晓敏)
        if w_start < end and start < w_end and w.flag.startswith(NAME_FLAGS) and (
                lexicon().get(w.word, 0) > 0 or (w.flag.startswith("nr") and w.word[0] in surnames)
                or (w_end - w_start > end - start and w_start <= start and end <= w_end)):
            return True
    return False


def _name_cell(text: str, start: int, end: int, surnames: str) -> bool:
    """A short run of Chinese opening with a surname and standing alone, as a name in a table row
    (1钟洋男4301…): nothing Chinese before it, and after it a gender or the end of the cell
    (whitespace), not punctuation (3000万员，is no name)."""
    return (text[start] in surnames and (start == 0 or not CJK.match(text[start - 1]))
            and (end == len(text) or text[end] in "男女" or text[end].isspace()))


def suspects_in_texts(texts: Iterable[tuple[str, str | None, str]], ctx: CheckContext) -> Iterator[dict]:
    """Suspected-typo findings over (url, column, title + "\\n" + body) texts of one site."""
    conf = settings(ctx)
    site_pages = Counter()     # pages of this site on which a span is written as a suspect
    word_pages = Counter()     # pages of this site on which a word is written (jieba tokens): the domain's use
    held = []
    for url, column, text in texts:
        if not text:
            continue
        toks = tokens_with_offsets(text)
        word_pages.update({t for _, t in toks if len(t) > 1})
        listed = spans_left_alone(text, ctx)
        found = [c for c in page_candidates(text, conf, toks)
                 if c[1] not in ctx.whitelist and not any(c[0] < e and s < c[0] + len(c[1]) for s, e in listed)]
        for written in {c[1] for c in found}:
            site_pages[written] += 1
        held.extend((url, column, text, c) for c in found)
    surnames = conf["names"]["surnames"]
    word = conf["word"]
    seen = Counter()
    for url, column, text, (offset, written, sugg, kind, fw, fs) in held:
        # the site's own vocabulary: written on several pages, and not far rarer here than the suggestion
        # (an idiom is nobody's local vocabulary)
        if (kind != "idiom" and site_pages[written] >= word["site_pages_valid"]
                and site_pages[written] * word["site_min_ratio"] > word_pages[sugg]):
            continue
        if kind == "same_pinyin" and (_is_name(text, offset, offset + len(written), surnames)
                                      or (written[0] != sugg[0] and written[0] in surnames)
                                      or _name_cell(text, offset, offset + len(written), surnames)):
            continue                  # a name; a written surname (任命沈海为…) is read as a name, not a slip
        n = seen[(url, written)]
        seen[(url, written)] += 1
        yield finding("typo", "warn", url, column=column, evidence=written, suggestion=sugg,
                      context=snippet(text, offset, offset + len(written)), offset=offset,
                      layer="statistical", confidence="suspected", label="疑似错别字", method=kind,
                      freq_written=fw, freq_suggested=fs, occurrence=n)


def check_run(run, ctx: CheckContext) -> Iterator[dict]:
    texts = run.page_texts() if callable(getattr(run, "page_texts", None)) else ()
    yield from suspects_in_texts(texts, ctx)
