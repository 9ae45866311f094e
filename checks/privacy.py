"""Unmasked personal data (去标识化): ID numbers, mobile numbers, bank card numbers.

* 18-character 公民身份号码 with a valid GB 11643 check character, a real
  province code and a birth date between 1900-01-01 and the run's as-of date
  (veto);
* 11-digit mobile numbers 1[3-9]xxxxxxxxx (deduct);
* 16-19 digit card numbers passing the Luhn check, not ID-shaped (deduct).

A number must stand alone: not part of a longer run of digits or letters, not
inside a URL-like token, not right after a label such as 索引号 or 统一社会信用代码
(``checks/data/privacy.toml``). Masked forms (with ``*``) are never reported.
No finding ever holds the full value: evidence and context are masked.

The page text (title and body) is read through ``checks.textblocks``, so a
number broken by a zero-width character is still found, and ``detail.offset``
points into the page's own ``title + "\n" + body_text``. Attachments work the
same way: the crawler stores each pdf/docx/xlsx it reads on the site's own
hosts as a page record with ``page_type = "attachment"``, the file name as
title and the document's text (``crawler.attachments.attachment_text``) as
body; their findings carry ``detail.attachment = true``.
"""
from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Iterator

from portal_audit.records import finding

from .context import CheckContext, load_toml
from .textblocks import make_block, page_text

CHECK_NAMES = ("privacy_leak",)
# a run of digits (an ID may end in X) with no digit, letter or mask star on either side
_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z*])\d{11,19}[Xx]?(?![0-9A-Za-z*])")
_URL_CHARS = re.compile(r"[A-Za-z0-9_\-./:?=&%#~+@]*")
_LONG_DIGITS = re.compile(r"\d{7,}[Xx]?")


@cache
def rules() -> dict:
    return load_toml("privacy.toml")


@cache
def _mobile_re() -> re.Pattern:
    return re.compile(rules()["mobile_regex"])


@cache
def _label_re() -> re.Pattern:
    return re.compile("|".join(map(re.escape, rules()["non_personal_labels"])))


def id_check_char(first17: str) -> str:
    r = rules()
    return r["id_check_chars"][sum(int(d) * w for d, w in zip(first17, r["id_weights"])) % 11]


def id_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_shaped(number: str, as_of: date) -> bool:
    """Province code and birth date of a 公民身份号码, whatever the check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    birth = id_birth_date(number)
    r = rules()
    return (number[:2] in r["id_province_codes"] and birth is not None
            and date.fromisoformat(r["id_min_birth_date"]) <= birth <= as_of)


def valid_id_number(number: str, as_of: date) -> bool:
    return id_shaped(number, as_of) and id_check_char(number[:17]) == number[17].upper()


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def classify(number: str, as_of: date) -> str | None:
    """"id_number", "mobile", "bank_card" or None for one standalone run of digits."""
    r = rules()
    if len(number) == 18 and id_shaped(number, as_of):
        return "id_number" if valid_id_number(number, as_of) else None
    if not number.isdigit():
        return None
    if _mobile_re().match(number):
        return "mobile"
    if (len(number) in r["bank_card_lengths"] and number[0] in r["bank_card_first_digits"]
            and luhn_ok(number)):
        return "bank_card"
    return None


def mask(number: str, kind: str) -> str:
    """430105********1234, 138****5678, 6222*********1234: never the full value."""
    if kind == "mobile":
        number = number[-11:]
        return number[:3] + "****" + number[-4:]
    if kind == "id_number":
        return number[:6] + "*" * 8 + number[-4:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _in_url(text: str, start: int, end: int) -> bool:
    left = start
    while left > 0 and _URL_CHARS.fullmatch(text[left - 1]):
        left -= 1
    token = text[left:_URL_CHARS.match(text, end).end()]
    return "/" in token or "www." in token.lower() or "@" in token


def find_personal_data(text: str, as_of: date) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, masked value) of each unmasked personal number in ``text``."""
    window = int(rules()["label_window"])
    out = []
    for m in _NUMBER_RE.finditer(text):
        kind = classify(m.group(), as_of)
        if kind is None or _in_url(text, m.start(), m.end()):
            continue
        if _label_re().search(text, max(0, m.start() - window), m.start()):
            continue
        out.append((m.start(), m.end(), kind, mask(m.group(), kind)))
    return out


def _masked_context(text: str, hits: list, start: int, end: int, width: int) -> str:
    lo, hi = max(0, start - width), min(len(text), end + width)
    parts, pos = [], lo
    for s, e, kind, masked in hits:                    # hits are in text order, masks keep lengths
        if e <= lo or s >= hi:
            continue
        s2, e2 = max(s, lo), min(e, hi)
        parts.append(text[pos:s2])
        parts.append(masked[s2 - s:e2 - s] if len(masked) == e - s else "*" * (e2 - s2))
        pos = e2
    parts.append(text[pos:hi])
    snippet = "".join(parts).replace("\n", " ")
    # any other long number in the snippet is masked too: a context must never carry personal data
    return _LONG_DIGITS.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 7) + m.group()[-4:], snippet)


def check(page: dict, ctx: CheckContext) -> Iterator[dict]:
    block = make_block("page", page_text(page), 0)
    text = block.text
    as_of = date.fromisoformat(ctx.as_of) if ctx.as_of else date.today()
    hits = find_personal_data(text, as_of)
    r = rules()
    title_end = len(page.get("title") or "")
    attachment = {"attachment": True} if page.get("page_type") == "attachment" else {}
    seen: dict[str, int] = {}
    for start, end, kind, masked in hits:
        n = seen.get(masked, 0)
        seen[masked] = n + 1
        offset = block.page_offset(start)
        yield finding("privacy_leak", r["severity"][kind], page["url"], column=page.get("column"),
                      evidence=masked, suggestion="对个人信息作去标识化处理（部分隐藏）后再发布",
                      kind=kind, context=_masked_context(text, hits, start, end, int(r["context_width"])),
                      offset=offset, occurrence=n, field="title" if offset < title_end else "body", **attachment)
