"""A link's outcome, decided in one place.

Every checked target gets exactly one ``LinkStatus``. Checks and reports read
``outcome`` and ``reason``; they never look at raw status codes again.

Outcomes (closed set):

- ``ok``
- ``broken``: reason in http_4xx, http_5xx, dns, refused, timeout, redirect_loop,
  too_many_redirects, soft_404, bad_url, error
- ``blocked``: 401/403, usually bot protection; for a person to review
- ``rate_limited``: 429 that never cleared within the retries
- ``skipped``: robots.txt or config excluded it
- ``unsupported``: mailto:, tel:, javascript:, fragment-only
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

OUTCOMES = ("ok", "broken", "blocked", "rate_limited", "skipped", "unsupported")
BROKEN_REASONS = ("http_4xx", "http_5xx", "dns", "refused", "timeout", "redirect_loop",
                  "too_many_redirects", "soft_404", "bad_url", "error")

# Chinese labels for reports, as webmasters read them.
REASON_LABELS = {
    "http_4xx": "页面不存在或拒绝访问(4xx)",
    "http_5xx": "服务器错误(5xx)",
    "dns": "域名无法解析",
    "refused": "连接被拒绝",
    "timeout": "访问超时",
    "redirect_loop": "循环跳转",
    "too_many_redirects": "跳转次数过多",
    "soft_404": "页面显示不存在(软404)",
    "bad_url": "链接地址格式错误",
    "error": "访问出错",
}


@dataclass
class LinkStatus:
    url: str
    outcome: str
    reason: str | None = None
    status_code: int | None = None
    final_url: str | None = None
    redirect_chain: list = field(default_factory=list)   # [[status, url], ...] hop by hop
    error: str | None = None
    method: str | None = None
    signature: str | None = None   # fingerprint of a 200 page's visible text (learned soft 404s)

    def __post_init__(self):
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        if self.outcome == "broken" and self.reason not in BROKEN_REASONS:
            raise ValueError(f"unknown broken reason {self.reason!r}")

    @property
    def is_broken(self) -> bool:
        return self.outcome == "broken"

    def describe(self) -> str:
        """A short Chinese description for reports."""
        if self.outcome == "broken":
            text = REASON_LABELS.get(self.reason, self.reason)
            return f"{text} {self.status_code}" if self.status_code else text
        return {"ok": "正常", "blocked": "被拦截(401/403)", "rate_limited": "访问受限(429)",
                "skipped": "按robots.txt或配置跳过", "unsupported": "非网页链接(不检查)"}[self.outcome]

    def to_dict(self) -> dict:
        return asdict(self)


def from_status(url: str, status: int, *, final_url=None, chain=(), method=None,
                soft_404: bool = False) -> LinkStatus:
    """Classify a final HTTP answer (after redirects and retries)."""
    kw = dict(status_code=status, final_url=final_url or url, redirect_chain=list(chain), method=method)
    if 200 <= status < 300:
        if soft_404:
            return LinkStatus(url, "broken", "soft_404", **kw)
        return LinkStatus(url, "ok", **kw)
    if status in (401, 403):
        return LinkStatus(url, "blocked", **kw)
    if status == 429:
        return LinkStatus(url, "rate_limited", **kw)
    if 400 <= status < 500:
        return LinkStatus(url, "broken", "http_4xx", **kw)
    if status >= 500:
        return LinkStatus(url, "broken", "http_5xx", **kw)
    if 300 <= status < 400:   # a redirect without a usable Location
        return LinkStatus(url, "broken", "error", error="redirect without Location", **kw)
    return LinkStatus(url, "broken", "error", error=f"status {status}", **kw)


def from_exception(url: str, exc: BaseException, *, chain=(), method=None) -> LinkStatus:
    """Classify a failure raised by the downloader (after retries)."""
    name = type(exc).__name__
    text = f"{name}: {exc}"[:300]
    kw = dict(redirect_chain=list(chain), method=method, error=text)
    lowered = text.lower()
    if "robots" in lowered:
        return LinkStatus(url, "skipped", **kw)
    if name in ("DNSLookupError",) or "dns" in lowered and "lookup" in lowered:
        return LinkStatus(url, "broken", "dns", **kw)
    if name in ("ConnectionRefusedError",) or "connection was refused" in lowered or "refused" in lowered:
        return LinkStatus(url, "broken", "refused", **kw)
    if "timeout" in lowered or "timed out" in lowered or name in ("TimeoutError", "TCPTimedOutError"):
        return LinkStatus(url, "broken", "timeout", **kw)
    if name in ("ValueError", "InvalidURL", "NotSupported") or "unsupported url scheme" in lowered:
        return LinkStatus(url, "broken", "bad_url", **kw)
    return LinkStatus(url, "broken", "error", **kw)


def unsupported(url: str) -> LinkStatus:
    return LinkStatus(url, "unsupported")


def skipped(url: str, why: str) -> LinkStatus:
    return LinkStatus(url, "skipped", error=why)


def learned_soft_404(statuses: dict, probes: list[dict]) -> list[dict]:
    """Targets whose page is their host's own not-found page: now ``broken``/``soft_404``.

    ``probes`` holds, per host, the answer to a path that cannot exist. Where a
    host answered it with 200 (a not-found page without the right status), any
    ``ok`` target on that host whose visible-text signature matches is a soft
    404. Returns the status rows that changed, already updated.
    """
    from urllib.parse import urlsplit
    not_found = {p["host"]: p["signature"] for p in probes if p.get("status") == 200 and p.get("signature")}
    changed = []
    if not not_found:
        return changed
    for row in statuses.values():
        if row["outcome"] != "ok" or not row.get("signature"):
            continue
        host = urlsplit(row.get("final_url") or row["url"]).netloc.lower()
        if not_found.get(host) == row["signature"]:
            row.update(outcome="broken", reason="soft_404",
                       error="matches the host's own not-found page (learned by probing a random path)")
            changed.append(row)
    return changed
