"""Text blocks for checking: a page's title, body lines and metadata values, cleaned, with offsets back.

The extractor (``crawler.extract.block_text``) already joins inline tags, so a
word split across ``<span>`` elements is whole in ``body_text``, and keeps
navigation, headers and footers out of it. Here each line becomes a block:

* zero-width characters and soft hyphens are dropped, non-breaking and other
  odd spaces read as a plain space; ``TextBlock.index`` maps every character of
  the cleaned text back to the original, so a context snippet shows the page's
  own text. Nothing is NFKC-normalised: full-width punctuation stays as written.
* a block written mostly in traditional characters is converted to simplified
  with OpenCC (``opencc-python-reimplemented``, pure Python, data bundled), one
  character for one character, so offsets hold; ``converted`` says so.

Offsets of title and body blocks are also given in the page's *page text*,
``title + "\\n" + body_text``, the text the typo, serious-error and privacy
findings count their ``detail.offset`` in.

Template text (a paragraph repeated across a column's pages, footer lines) is
found over the whole run by ``checks.templates``, which keys lines with
``line_key``; page findings inside such lines are replaced by one template finding.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache

ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
_DROP = frozenset(ZERO_WIDTH)
_SPACE = frozenset(ODD_SPACES)
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
TRADITIONAL_MIN_CHARS = 2        # a block is converted when it holds at least this many
TRADITIONAL_MIN_SHARE = 0.15     # traditional-only characters, and this share of its Han characters


def page_text(page: dict) -> str:
    """The text page findings count offsets in: the title, a newline, the body."""
    return (page.get("title") or "") + "\n" + (page.get("body_text") or "")


@dataclass(frozen=True)
class TextBlock:
    field: str                 # "title", "body", "metadata", "footer"
    text: str                  # what matchers read
    source: str                # the block as written on the page
    start: int = -1            # where ``source`` starts in the page text (-1: not in it)
    label: str | None = None   # the metadata label, for metadata blocks
    index: tuple | None = None  # index[i] = position in source of text[i]; None when text is source
    converted: bool = False    # traditional characters converted to simplified

    def source_pos(self, i: int) -> int:
        """Position in ``source`` of ``text[i]`` (i may be len(text): the end)."""
        if self.index is None:
            return i
        return self.index[i] if i < len(self.index) else len(self.source)

    def source_span(self, i: int, j: int) -> tuple[int, int]:
        """``text[i:j]`` as a span of ``source``."""
        if j <= i:
            return self.source_pos(i), self.source_pos(i)
        return self.source_pos(i), self.source_pos(j - 1) + 1

    def page_offset(self, i: int) -> int | None:
        """Position in the page text of ``text[i]``, or None for blocks outside it."""
        return None if self.start < 0 else self.start + self.source_pos(i)

    def context(self, i: int, j: int, width: int = 20) -> str:
        """About ``width`` characters of the original text either side of ``text[i:j]``."""
        s, e = self.source_span(i, j)
        return self.source[max(0, s - width):e + width].replace("\n", " ")


def clean(source: str) -> tuple[str, tuple | None]:
    """Drop zero-width characters, read odd spaces as " "; the index maps back (None: unchanged)."""
    if not any(ch in _DROP or ch in _SPACE for ch in source):
        return source, None
    out, index = [], []
    for pos, ch in enumerate(source):
        if ch in _DROP:
            continue
        out.append(" " if ch in _SPACE else ch)
        index.append(pos)
    return "".join(out), tuple(index)


@cache
def _opencc():
    """OpenCC t2s and the set of characters that are traditional only; None when it is not installed."""
    try:
        import opencc
    except ImportError:      # pragma: no cover - a declared dependency; skip traditional blocks knowingly
        return None
    folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")

    def keys_and_values(name):
        keys, values = set(), set()
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("\t")
                keys.add(k)
                values.update(v.split())
        return keys, values
    ts_keys, ts_values = keys_and_values("TSCharacters.txt")
    st_keys, _ = keys_and_values("STCharacters.txt")
    traditional_only = frozenset(k for k in ts_keys if len(k) == 1 and k not in st_keys and k not in ts_values)
    return opencc.OpenCC("t2s"), traditional_only


def is_traditional(text: str) -> bool:
    """Mostly traditional characters: worth converting before matching simplified dictionaries."""
    cc = _opencc()
    if cc is None:
        return False
    trad = sum(1 for ch in text if ch in cc[1])
    if trad < TRADITIONAL_MIN_CHARS:
        return False
    return trad >= TRADITIONAL_MIN_SHARE * max(1, len(_HAN_RE.findall(text)))


def to_simplified(text: str) -> str:
    """OpenCC t2s, one character for one character (a phrase rule that changes length is undone per character)."""
    cc = _opencc()
    if cc is None:
        return text
    out = cc[0].convert(text)
    if len(out) == len(text):
        return out
    return "".join(c2 if len(c2 := cc[0].convert(ch)) == 1 else ch for ch in text)


def make_block(field: str, source: str, start: int = -1, label: str | None = None) -> TextBlock:
    text, index = clean(source)
    converted = False
    if is_traditional(text):
        text, converted = to_simplified(text), True
    return TextBlock(field, text, source, start, label, index, converted)


def lines_with_offsets(text: str):
    """(start, line) for each line of ``text``."""
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def page_blocks(page: dict, *, metadata: bool = True) -> list[TextBlock]:
    """The title, each body line and (optionally) each metadata value of a page record."""
    title = page.get("title") or ""
    blocks = [make_block("title", title, 0)] if title.strip() else []
    base = len(title) + 1
    for pos, line in lines_with_offsets(page.get("body_text") or ""):
        if line.strip():
            blocks.append(make_block("body", line, base + pos))
    if metadata:
        for label, value in (page.get("metadata") or {}).items():
            if isinstance(value, str) and value.strip():
                blocks.append(make_block("metadata", value, -1, label))
    return blocks


_KEY_STRIP = re.compile(f"[\\s{ZERO_WIDTH}]+")


def line_key(line: str) -> bytes:
    """A line's identity across pages: its text without any spaces, hashed to 8 bytes."""
    return hashlib.blake2b(_KEY_STRIP.sub("", line).encode("utf-8"), digest_size=8).digest()


def line_at(text: str, offset: int) -> tuple[int, str]:
    """(start, line) of the line of ``text`` holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, text[start:end if end >= 0 else len(text)]
