"""The LanguageTool adapter (checks/languagetool.py) over real HTTP on loopback.

STAND-IN: the server here is NOT LanguageTool. It is a small local HTTP server that speaks
LanguageTool's ``/v2/languages`` and ``/v2/check`` API (the JSON shapes of LanguageTool 6.x),
answering every check with one fixed rule match, so the adapter's wiring can be tested
offline without a Java LanguageTool installation.
"""
from __future__ import annotations

import json
import logging
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

import pytest
from linkserver import serving

from checks import languagetool
from checks.context import CheckContext
from portal_audit.config import ConfigError, parse_config

PAGE = {"url": "http://www.kaifu.gov.cn/art/1.html", "column": "工作动态", "title": "区政府召开常务会议",
        "body_text": "会议研究布置了下一阶段的工作。"}


class StandIn(BaseHTTPRequestHandler):
    """Answers like a LanguageTool server: one match for the first 布置 in the text."""
    requests: list = []

    def log_message(self, *args):
        pass

    def _json(self, payload):
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        StandIn.requests.append(("GET", self.path, {}))
        if self.path.startswith("/v2/languages"):
            self._json([{"name": "Chinese", "code": "zh", "longCode": "zh-CN"}])
        else:
            self.send_error(404)

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        StandIn.requests.append(("POST", self.path, form))
        if not self.path.startswith("/v2/check"):
            self.send_error(404)
            return
        text = form["text"][0]
        at = text.find("布置")
        matches = [] if at < 0 else [{
            "message": "可能是错别字：部署", "shortMessage": "", "offset": at, "length": 2,
            "replacements": [{"value": "部署"}],
            "context": {"text": text, "offset": at, "length": 2}, "sentence": text,
            "type": {"typeName": "Other"},
            "rule": {"id": "ZH_STAND_IN_RULE", "description": "stand-in rule", "issueType": "misspelling",
                     "category": {"id": "TYPOS", "name": "Possible Typo"}},
            "ignoreForIncompleteSentence": False, "contextForSureMatch": 0}]
        self._json({"software": {"name": "LanguageTool stand-in"}, "language": {"code": "zh-CN"},
                    "matches": matches})


@pytest.fixture
def stand_in():
    StandIn.requests = []
    with serving(StandIn) as origin:
        yield origin
    languagetool._tools.clear()


def test_off_by_default_makes_no_request(stand_in):
    assert list(languagetool.check(PAGE, CheckContext())) == []
    assert StandIn.requests == []


def test_matches_become_typo_findings_with_the_rule_id(stand_in):
    ctx = CheckContext(languagetool={"remote_server": stand_in, "language": "zh-CN"})
    found = list(languagetool.check(PAGE, ctx))
    assert len(found) == 1
    f = found[0]
    assert (f["check"], f["severity"], f["evidence"], f["suggestion"]) == ("typo", "warn", "布置", "部署")
    assert f["detail"]["rule_id"] == "ZH_STAND_IN_RULE" and f["detail"]["layer"] == "languagetool"
    assert f["detail"]["field"] == "body"
    posted = [form for method, path, form in StandIn.requests if method == "POST"]
    assert posted[0]["language"] == ["zh-CN"] and "布置" in posted[0]["text"][0]


def test_unreachable_server_logs_a_warning_and_the_run_goes_on(caplog):
    with __import__("socket").socket() as s:     # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    ctx = CheckContext(languagetool={"remote_server": dead})
    with caplog.at_level(logging.WARNING, logger="portal_audit"):
        assert list(languagetool.check(PAGE, ctx)) == []
        assert list(languagetool.check(PAGE, ctx)) == []      # asked once, not once per page
    warnings = [r for r in caplog.records if "LanguageTool" in r.getMessage()]
    assert len(warnings) == 1
    languagetool._tools.clear()


def test_local_dir_without_a_server_jar_warns_and_never_downloads(tmp_path, caplog, monkeypatch):
    import language_tool_python.download_lt as dl
    monkeypatch.setattr(dl, "download_lt", lambda *a, **k: pytest.fail("tried to download LanguageTool"))
    ctx = CheckContext(languagetool={"local_dir": str(tmp_path)})
    with caplog.at_level(logging.WARNING, logger="portal_audit"):
        assert list(languagetool.check(PAGE, ctx)) == []
    assert any("languagetool-server.jar" in r.getMessage() for r in caplog.records)
    languagetool._tools.clear()


@pytest.mark.parametrize("table, key", [
    ({"remote_server": "not a url"}, "languagetool.remote_server"),
    ({"local_dir": 5}, "languagetool.local_dir"),
    ({"language": ""}, "languagetool.language"),
    ({"server": "http://x/"}, "languagetool.server"),
])
def test_config_errors_name_the_key(table, key):
    data = {"site": {"name": "开福区", "home": "http://www.kaifu.gov.cn/"}, "languagetool": table}
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        parse_config(data)
