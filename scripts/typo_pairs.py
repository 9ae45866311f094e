"""Maintainers' tool for checks/data/typos.tsv: vet proposed pairs, or mine candidates from jieba.

    python scripts/typo_pairs.py check new.tsv      # wrong<TAB>right<TAB>note lines: report what to fix
    python scripts/typo_pairs.py mine > cands.tsv   # misspelled idioms jieba's dict.txt absorbed, for review

``check`` applies the dictionary's rules that a machine can test: Chinese characters only, a
note of 成语 / 词语 / 公文, not already listed or covered by a listed wrong form, the wrong form
not a jieba word (or one far rarer than the right form) and not inside a real word of jieba or
pypinyin whose corrected spelling is no word. Whether correct text spells the wrong form across a
word boundary (克服|疫情 spells 服疫) needs a person: such strings go to typo_exceptions.tsv.

``mine`` lists four- to eight-character entries of jieba's dictionary at its floor frequency that
are one same-pinyin or look-alike character off a set phrase at least twice as common. Many are
misspellings jieba learnt from web text (一榻糊涂), many are variants or other valid phrases: every
line needs review before it goes into typos.tsv.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks import typos  # noqa: E402
from checks.lexicon import CJK, confusable, lexicon, tagged_words  # noqa: E402

NOTES = ("成语", "词语", "公文")
HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def problems(rows: list[tuple[str, str, str]]) -> list[tuple[int, str]]:
    """(line number, what to fix) for proposed wrong/right/note rows."""
    import pypinyin.phrases_dict as phrases
    lex, listed = lexicon(), typos.dictionary()
    containing = defaultdict(list)                  # wrong form -> real words that contain it
    wrongs = typos.build_automaton(tuple((w, r) for w, r, _ in rows if w))
    for word in list(lex) + list(phrases.phrases_dict):
        if lex.get(word, 1) > 0 and len(word) >= 3 and len(wrongs):
            for _end, (_is_typo, w, _right) in wrongs.iter(word):
                if w != word:
                    containing[w].append(word)
    out, seen = [], set()
    for n, (w, r, note) in enumerate(rows, 1):
        if not HAN.match(w) or not HAN.match(r) or w == r:
            out.append((n, "wrong and right must differ and be Chinese characters only"))
        elif note not in NOTES:
            out.append((n, f"note must be one of {', '.join(NOTES)}"))
        elif w in listed or w in seen:
            out.append((n, "already listed"))
        elif typos.find_typos(w):
            out.append((n, "already caught by a listed wrong form inside it"))
        elif lex.get(w, 0) * 20 > max(lex.get(r, 0), 1):
            out.append((n, f"the wrong form is a word in jieba ({lex.get(w)} vs {lex.get(r, 0)}): a variant?"))
        elif [x for x in containing.get(w, []) if x.replace(w, r) not in lex and r not in x]:
            out.append((n, f"inside the real word {containing[w][0]}"))
        seen.add(w)
    return out


def mine(max_freq: int = 30, min_phrase_freq: int = 5, ratio: int = 2) -> list[tuple[str, str]]:
    lex, listed = lexicon(), typos.dictionary()
    tags = dict(tagged_words())
    words = {w: lex[w] for w, _ in tagged_words()
             if 4 <= len(w) <= 8 and lex.get(w, 0) > 0 and all(CJK.match(c) for c in w)}
    masked = defaultdict(list)
    for p, f in words.items():
        if f >= min_phrase_freq and tags.get(p) in ("i", "l"):
            for k in range(len(p)):
                masked[p[:k] + "?" + p[k + 1:]].append(p)
    out = []
    for w, f in words.items():
        if f > max_freq or w in listed or tags.get(w, "").startswith(("nr", "ns", "nt", "nz", "m")):
            continue
        best = None
        for k in range(len(w)):
            for p in masked.get(w[:k] + "?" + w[k + 1:], ()):
                if p != w and confusable(w[k], p[k]) and words[p] >= ratio * f and (best is None or words[p] > words[best]):
                    best = p
        if best and not typos.find_typos(w):
            out.append((w, best))
    return sorted(out)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "check":
        rows = [tuple((line.split("\t") + ["", ""])[:3]) for line in
                Path(argv[1]).read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
        found = problems([tuple(f.strip() for f in row) for row in rows])
        for n, why in found:
            print(f"{argv[1]}: pair {n} {rows[n - 1][0]}→{rows[n - 1][1]}: {why}")
        print(f"{len(rows) - len(found)} of {len(rows)} pairs pass")
        return 1 if found else 0
    if argv == ["mine"]:
        for w, p in mine():
            print(f"{w}\t{p}")
        return 0
    print(__doc__.strip().splitlines()[2].strip() + "\n" + __doc__.strip().splitlines()[3].strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
