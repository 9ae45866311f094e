"""LanguageTool matches as typo findings (layer "languagetool"), when the site config names a server.

Off by default. Two ways to switch it on, in the site config::

    [languagetool]
    remote_server = "http://10.0.0.5:8081"     # a LanguageTool server already running
    # local_dir = "/opt/LanguageTool-6.4"      # or: start this folder's languagetool-server.jar with java
    language = "zh-CN"                          # the default

It never downloads anything: language_tool_python is only ever handed a server URL
(for ``local_dir`` our own loopback server started from the folder's jar), so its
download-on-first-use path is never taken. When the server cannot be reached the run
logs one warning and goes on without this layer. Each match becomes a ``typo``
finding, severity ``warn``, with LanguageTool's rule id, category and message.
"""
from __future__ import annotations

import atexit
import logging
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

from portal_audit.records import finding

from .context import CheckContext, snippet

CHECK_NAMES = ("typo",)
DEFAULT_LANGUAGE = "zh-CN"
SERVER_JAR = "languagetool-server.jar"
log = logging.getLogger("portal_audit")

_tools: dict[tuple, object] = {}     # (server or folder, language) -> LanguageTool, or None when unreachable
_servers: list[subprocess.Popen] = []


def enabled(conf: dict) -> bool:
    return bool(conf.get("remote_server") or conf.get("local_dir"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_local_server(folder: str, wait_seconds: float = 60.0) -> str:
    """Start ``folder``'s languagetool-server.jar on a free loopback port; return its URL."""
    jar = Path(folder) / SERVER_JAR
    if not jar.is_file():
        raise OSError(f"no {SERVER_JAR} in {folder}")
    java = shutil.which("java")
    if not java:
        raise OSError("java is not on PATH")
    port = _free_port()
    proc = subprocess.Popen([java, "-cp", str(jar), "org.languagetool.server.HTTPServer", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _servers.append(proc)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise OSError(f"LanguageTool server exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.3)
    raise OSError(f"LanguageTool server did not answer on port {port} within {wait_seconds:.0f} s")


@atexit.register
def _stop_servers() -> None:
    for proc in _servers:
        if proc.poll() is None:
            proc.terminate()


def tool_for(conf: dict):
    """The LanguageTool client for this config, made once per process; None when unreachable."""
    language = conf.get("language") or DEFAULT_LANGUAGE
    key = (conf.get("remote_server") or conf.get("local_dir"), language)
    if key in _tools:
        return _tools[key]
    try:
        import language_tool_python
        url = conf.get("remote_server") or start_local_server(conf["local_dir"])
        _tools[key] = language_tool_python.LanguageTool(language, remote_server=url)
    except Exception as exc:   # unreachable, refused, bad answer: the run goes on without this layer
        log.warning("LanguageTool at %s is not available (%s); its layer is skipped this run", key[0], exc)
        _tools[key] = None
    return _tools[key]


def check(page: dict, ctx: CheckContext) -> Iterator[dict]:
    conf = ctx.languagetool or {}
    if not enabled(conf):
        return
    tool = tool_for(conf)
    if tool is None:
        return
    title = page.get("title") or ""
    text = title + "\n" + (page.get("body_text") or "")
    try:
        matches = tool.check(text)
    except Exception as exc:
        log.warning("LanguageTool stopped answering (%s); its layer is skipped for the rest of this run", exc)
        _tools[(conf.get("remote_server") or conf.get("local_dir"), conf.get("language") or DEFAULT_LANGUAGE)] = None
        return
    for m in matches:
        start, end = m.offset, m.offset + m.error_length
        yield finding("typo", "warn", page["url"], column=page.get("column"),
                      evidence=text[start:end], suggestion=(m.replacements or [None])[0],
                      context=snippet(text, start, end), offset=start,
                      field="title" if start < len(title) else "body",
                      layer="languagetool", rule_id=m.rule_id, category=m.category, message=m.message)
