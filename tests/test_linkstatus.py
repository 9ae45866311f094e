"""The one place that decides a link's outcome, and the small functions politeness rests on."""
import pytest

from crawler import linkstatus
from crawler.backoff import backoff_delay
from crawler.middlewares import parse_retry_after


@pytest.mark.parametrize("status,outcome,reason", [
    (200, "ok", None), (204, "ok", None), (404, "broken", "http_4xx"), (410, "broken", "http_4xx"),
    (500, "broken", "http_5xx"), (503, "broken", "http_5xx"), (401, "blocked", None), (403, "blocked", None),
    (429, "rate_limited", None),
])
def test_final_answers_are_classified_once(status, outcome, reason):
    st = linkstatus.from_status("http://x/a", status)
    assert (st.outcome, st.reason) == (outcome, reason)
    assert st.describe()        # every case knows how to describe itself in Chinese


def test_a_200_that_says_not_found_is_a_soft_404():
    assert linkstatus.from_status("http://x/a", 200, soft_404=True).reason == "soft_404"


def test_unknown_outcomes_are_refused():
    with pytest.raises(ValueError):
        linkstatus.LinkStatus("http://x", "maybe")
    with pytest.raises(ValueError):
        linkstatus.LinkStatus("http://x", "broken", "bad_luck")


def test_learned_not_found_page_marks_only_matching_pages_of_that_host():
    statuses = {
        "http://a/gone.html": {"url": "http://a/gone.html", "final_url": "http://a/gone.html", "outcome": "ok", "signature": "nf"},
        "http://a/live.html": {"url": "http://a/live.html", "final_url": "http://a/live.html", "outcome": "ok", "signature": "live"},
        "http://b/same.html": {"url": "http://b/same.html", "final_url": "http://b/same.html", "outcome": "ok", "signature": "nf"},
    }
    probes = [{"host": "a", "status": 200, "signature": "nf"}, {"host": "b", "status": 404, "signature": None}]
    changed = linkstatus.learned_soft_404(statuses, probes)
    assert [r["url"] for r in changed] == ["http://a/gone.html"]
    assert statuses["http://a/gone.html"]["reason"] == "soft_404"
    assert statuses["http://b/same.html"]["outcome"] == "ok"    # host b answers 404 for missing pages


def test_retry_after_in_seconds_or_http_date():
    assert parse_retry_after(b"7", default=5) == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", default=5, now=1445412470.0) == 10.0
    assert parse_retry_after("soon", default=5) == 5
    assert parse_retry_after(None, default=5) == 5


def test_backoff_doubles_and_is_capped():
    assert [backoff_delay(n, 0.5, 4) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 4, 4]
