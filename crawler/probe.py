"""One probe of a site's home page, for the site-reachability rule (站点无法访问).

The inspection rule counts how often the home page fails to load within 15 seconds over a
week of repeated visits (at least 15 a day), so probes are small and separate from the
nightly crawl: one GET with the audit's User-Agent, the body read up to a limit, timed by the
clock. ``portal-audit probe`` records each result in the ``availability`` table.
"""
from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request

MAX_BODY = 10 * 1024 * 1024    # read at most this much of the page; a larger one has loaded enough


def probe_home(url: str, timeout: float, user_agent: str) -> dict:
    """{"ok", "status", "seconds", "error"}: ok when the page answers 2xx/3xx and arrives within ``timeout``."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "text/html,*/*"})
    start = time.monotonic()
    status, error = None, None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
            deadline = start + timeout
            read = 0
            while read < MAX_BODY:
                chunk = response.read(65536)
                if not chunk:
                    break
                read += len(chunk)
                if time.monotonic() > deadline:
                    error = f"页面未在 {timeout:g} 秒内加载完成"
                    break
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"服务器返回 HTTP {exc.code}"
    except urllib.error.URLError as exc:
        error = _reason(exc.reason, timeout)
    except (socket.timeout, TimeoutError):
        error = f"超时（{timeout:g} 秒内无响应）"
    except (ConnectionError, OSError) as exc:
        error = _reason(exc, timeout)
    seconds = round(time.monotonic() - start, 3)
    if error is None and seconds > timeout:
        error = f"页面未在 {timeout:g} 秒内加载完成"
    return {"ok": error is None and status is not None and status < 400, "status": status,
            "seconds": seconds, "error": error}


def _reason(reason, timeout: float) -> str:
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"超时（{timeout:g} 秒内无响应）"
    if isinstance(reason, ConnectionRefusedError):
        return "连接被拒绝（服务器未在运行或端口关闭）"
    if isinstance(reason, socket.gaierror):
        return "域名无法解析"
    return f"无法连接：{reason}"
