"""Shared language data for the typo layers: jieba's word frequencies, pinyin, shape-similar characters.

Everything here is offline: jieba's dict.txt and pypinyin's tables ship in their packages,
and the shape-similar groups ship in ``checks/data/confusion_shape.tsv``. Each loader runs
once per process.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from .context import load_tsv

CJK = re.compile(r"[\u4e00-\u9fff]")
SHAPE_FILE = "confusion_shape.tsv"


@cache
def lexicon() -> dict[str, int]:
    """jieba's word frequencies (its prefix entries have frequency 0)."""
    import jieba
    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


@cache
def tagged_words() -> tuple:
    """(word, part-of-speech tag) of every entry of jieba's dict.txt."""
    import os

    import jieba
    rows = []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                rows.append((parts[0], parts[2]))
    return tuple(rows)


@cache
def pinyins(char: str) -> frozenset:
    """Every toneless reading of a character (heteronyms included)."""
    from pypinyin import Style, pinyin
    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


@cache
def shape_groups() -> dict[str, frozenset]:
    """character -> the characters written like it (形近字)."""
    out = defaultdict(set)
    for row in load_tsv(SHAPE_FILE):
        for ch in row:
            out[ch].update(c for c in row if c != ch)
    return {ch: frozenset(v) for ch, v in out.items()}


def confusable(written: str, meant: str) -> bool:
    """A slip a writer makes: the same toneless pinyin (input methods), or a look-alike character."""
    return bool(pinyins(written) & pinyins(meant)) or written in shape_groups().get(meant, ())
