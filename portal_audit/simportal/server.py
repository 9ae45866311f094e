"""Serve a generated portal over real HTTP on loopback.

Two ``ThreadingHTTPServer`` instances share one port: 127.0.0.1 serves the
portal (``__HOME__``), 127.0.0.2 the external sites (``__EXT__``).
127.0.0.3 on that port has no listener, so links to ``__DEAD__`` are refused.
"""
from __future__ import annotations

import errno
import json
import posixpath
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

HOME_IP, EXT_IP, DEAD_IP, SOFT_IP = "127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"

CTYPES = {
    "html": "text/html", "htm": "text/html", "css": "text/css", "js": "application/javascript",
    "txt": "text/plain", "xml": "text/xml", "json": "application/json", "png": "image/png",
    "jpg": "image/jpeg", "gif": "image/gif", "ico": "image/x-icon", "pdf": "application/pdf",
    "doc": "application/msword", "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TEXTUAL = {"html", "htm", "css", "js", "txt", "xml", "json"}
CACHE_MAX = 50000


def origins(port: int) -> dict[str, str]:
    """The token each generated file uses for an origin, and that origin on ``port``."""
    return {"__HOME__": f"http://{HOME_IP}:{port}", "__EXT__": f"http://{EXT_IP}:{port}",
            "__DEAD__": f"http://{DEAD_IP}:{port}", "__SOFT__": f"http://{SOFT_IP}:{port}"}


def resolve_tokens(text: str, port: int) -> str:
    """Replace every origin token in ``text`` (ground truth, configs) with the real origins."""
    for token, origin in origins(port).items():
        text = text.replace(token, origin)
    return text


class _State:
    """What both servers share: files, routes, token substitution, 429 memory."""

    def __init__(self, site_dir: Path, port: int):
        self.site_dir = Path(site_dir)
        self.port = port
        o = origins(port)
        self.home, self.ext, self.dead, self.soft = o["__HOME__"], o["__EXT__"], o["__DEAD__"], o["__SOFT__"]
        self.subs = [(token.encode(), origin.encode()) for token, origin in o.items()]
        self.routes = json.loads((self.site_dir / "routes.json").read_text(encoding="utf-8"))
        self.gbk = tuple(self.routes.get("gbk_prefixes", []))
        self.dataproxy = self.routes.get("dataproxy", {})
        self.cache: dict = {}
        self.seen: set = set()
        self.lock = threading.Lock()

    def resolve(self, s: str) -> str:
        return resolve_tokens(s, self.port)

    def file(self, host: str, path: str):
        """(bytes, ext) of a static file with tokens substituted, or None."""
        key = (host, path)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        root = self.site_dir / {"home": "portal", "soft": "soft"}.get(host, "external")
        rel = path.lstrip("/")
        if not rel or rel.endswith("/"):
            rel += "index.html"
        fp = root / rel
        try:
            data = fp.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            if fp.is_dir():
                try:
                    data = (fp / "index.html").read_bytes()
                    rel = rel + "/index.html"
                except OSError:
                    return None
            else:
                return None
        ext = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else "html"
        if ext in TEXTUAL:
            for a, b in self.subs:
                if a in data:
                    data = data.replace(a, b)
        val = (data, ext)
        if len(self.cache) < CACHE_MAX:
            self.cache[key] = val
        return val

    def ctype(self, path: str, ext: str) -> str:
        base = CTYPES.get(ext, "application/octet-stream")
        if ext in TEXTUAL:
            if ext in ("html", "htm") and path.startswith(self.gbk):
                return base + "; charset=GBK"
            return base + "; charset=utf-8"
        return base


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SimPortal/1.0"
    sys_version = ""
    timeout = 30

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):  # quiet
        pass

    def log_error(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        self.server.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    # -------------------------------------------------------------- plumbing
    def _send(self, status, body: bytes, ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def do_HEAD(self):
        self.handle_any()

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self._post_body = self.rfile.read(n) if n > 0 else b""
        self.handle_any()

    def handle_any(self):
        st: _State = self.server.state
        host = self.server.role
        parts = urlsplit(self.path)
        path = unquote(parts.path) or "/"
        norm = posixpath.normpath(path)
        if path.endswith("/") and norm != "/":
            norm += "/"
        path = norm if norm.startswith("/") else "/" + norm
        route = st.routes.get(host, {}).get(path)
        if route is not None:
            if self._route(st, host, path, route):
                return
        if host == "home" and path == "/module/web/jpage/dataproxy.jsp":
            return self._dataproxy(st, parts.query)
        f = st.file(host, path)
        if f is None and host == "soft":
            # this host answers every unknown path with 200 and its own not-found page
            nf = st.file(host, "/_notfound.html")
            return self._send(200, nf[0] if nf else b"")
        if f is None:
            nf = st.file(host, "/404.html")
            body = nf[0] if nf else b"404 Not Found"
            return self._send(404, body)
        data, ext = f
        self._send(200, data, st.ctype(path, ext))

    def _route(self, st: _State, host, path, route) -> bool:
        status = route.get("status", 200)
        if route.get("sleep"):
            time.sleep(route["sleep"])   # a tarpit: slower than the crawler's timeout
        if route.get("once"):
            with st.lock:
                first = (host, path) not in st.seen
                st.seen.add((host, path))
            if not first:
                return False  # fall through to the static file
        headers = []
        if "location" in route:
            headers.append(("Location", st.resolve(route["location"])))
        if "retry_after" in route:
            headers.append(("Retry-After", str(route["retry_after"])))
        if route.get("soft404"):
            body = st.file("home", st.routes.get("soft404_file", "/_special/soft404.html"))[0]
        elif status >= 300:
            reason = {301: "Moved Permanently", 302: "Found", 410: "Gone", 429: "Too Many Requests",
                      500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "Error")
            body = f"<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>".encode()
        else:
            f = st.file(host, path)
            body = f[0] if f else b""
        self._send(status, body, headers=headers)
        return True

    def _dataproxy(self, st: _State, query: str):
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        body = getattr(self, "_post_body", b"")
        if body:
            for k, v in parse_qs(body.decode("utf-8", "replace")).items():
                params.setdefault(k, v[-1])
        col = st.dataproxy.get(str(params.get("columnid", "")))
        recs = col["records"] if col else []
        try:
            start = max(1, int(params.get("startrecord", 1)))
            end = int(params.get("endrecord", start + int(params.get("perpage", 20)) - 1))
        except ValueError:
            start, end = 1, 0
        chosen = recs[start - 1:end] if end >= start else []
        xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>%d</totalrecord><recordset>%s'
               '</recordset></datastore>' % (len(recs), "".join(f"<record><![CDATA[{r}]]></record>" for r in chosen)))
        data = xml.encode("utf-8")
        for a, b in st.subs:
            data = data.replace(a, b)
        self._send(200, data, "text/xml; charset=UTF-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass   # a client that hangs up (timeouts, interrupted crawls) is not the portal's error
    allow_reuse_address = False
    request_queue_size = 128

    def __init__(self, addr, state, role):
        self.state = state
        self.role = role
        self._conns: set = set()
        self._clock = threading.Lock()
        super().__init__(addr, _Handler)

    def track(self, conn, add):
        with self._clock:
            (self._conns.add if add else self._conns.discard)(conn)

    def close_connections(self):
        with self._clock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Portal:
    """A running simulated portal. Use as a context manager, or call stop()."""

    def __init__(self, site_dir, port: int = 0):
        self.site_dir = Path(site_dir)
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        home_srv = ext_srv = None
        last = None
        for _ in range(20):
            try:
                home_srv = _Server((HOME_IP, port), None, "home")
            except OSError as e:
                raise OSError(f"cannot bind {HOME_IP}:{port}: {e}") from e
            real_port = home_srv.server_address[1]
            try:
                ext_srv = _Server((EXT_IP, real_port), None, "ext")
                try:
                    soft_srv = _Server((SOFT_IP, real_port), None, "soft")
                except OSError:
                    ext_srv.server_close()
                    raise
                break
            except OSError as e:
                last = e
                home_srv.server_close()
                home_srv = None
                if port != 0 or e.errno != errno.EADDRINUSE:
                    raise OSError(f"cannot bind {EXT_IP}:{real_port}: {e}") from e
        if ext_srv is None:
            raise OSError(f"no free port on both {HOME_IP} and {EXT_IP}: {last}")
        self.port = real_port
        self.state = _State(self.site_dir, self.port)
        home_srv.state = ext_srv.state = soft_srv.state = self.state
        self._servers = [home_srv, ext_srv, soft_srv]
        self.home_origin = self.state.home
        self.ext_origin = self.state.ext
        self.dead_origin = self.state.dead
        self.soft_origin = self.state.soft
        self.home_url = self.home_origin + "/index.html"
        gt = (self.site_dir / "ground_truth.json").read_text(encoding="utf-8")
        self.ground_truth = json.loads(self.state.resolve(gt))
        for s in self._servers:
            t = threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2},
                                 name=f"simportal-{s.role}", daemon=True)
            t.start()
            self._threads.append(t)

    def resolve(self, s: str) -> str:
        """Replace __HOME__/__EXT__/__DEAD__ tokens with this server's origins."""
        return self.state.resolve(s)

    def config_text(self) -> str:
        gt = self.ground_truth
        hostport = f"{HOME_IP}:{self.port}"
        q = lambda s: '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
        lines = ["[site]", f"name = {q(gt['site']['name'])}", f"home = {q(self.home_url)}",
                 f"site_id_code = {q(gt['site']['site_id_code'])}", f"allowed_hosts = [{q(hostport)}]", "",
                 "[crawl]", "obey_robots = true", "concurrency_per_host = 16", "delay_seconds = 0.0",
                 "timeout_seconds = 4", 'user_agent = "portal-audit/0.1 (+mailto:webmaster@example.gov.cn)"', ""]
        for c in gt["columns"]:
            lines += ["[[columns]]", f"name = {q(c['name'])}", f"url = {q(c['url'])}",
                      f"category = {q(c['category'])}",
                      f"official_documents = {'true' if c['official_documents'] else 'false'}",
                      f"department = {q(c.get('department', ''))}", ""]
        return "\n".join(lines)

    def write_config(self, path) -> Path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.config_text(), encoding="utf-8")
        return p

    def stop(self):
        for s in self._servers:
            s.shutdown()
        for s in self._servers:
            s.close_connections()
            s.server_close()
        for t in self._threads:
            t.join(timeout=5)
        self._servers = []

    close = stop

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def serve_portal(site_dir, port: int = 0) -> Portal:
    """Start serving ``site_dir`` (from generate_portal) on loopback; returns a running Portal."""
    return Portal(site_dir, port)
