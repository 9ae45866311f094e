"""A tiny real HTTP server on loopback that answers every link class once.

Each path answers one way (404, 410, 500, a redirect loop, a soft 404, a 429
with Retry-After, …), and the server keeps a log of the requests it got, so
tests can check what the crawler did, not only what it reported.
"""
from __future__ import annotations

import contextlib
import threading
import time
from urllib.parse import unquote
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="article-content"><p>{body}</p></div></body></html>"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):   # quiet
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if not any(k.lower() == "content-type" for k, _ in headers):
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        srv = self.server
        path = unquote(self.path.split("?")[0])
        with srv.lock:
            srv.log.append((time.monotonic(), self.command, path))
            srv.hits[path] = srv.hits.get(path, 0) + 1
            hits = srv.hits[path]
        route = srv.routes.get(path)
        if route is None:
            route = srv.routes.get("*")   # a catch-all: a host with its own not-found behaviour
        if route is None:
            return self._send(404, b"<html><title>404</title><body>not found</body></html>")
        if callable(route):
            return route(self, hits)
        status, body, headers = route
        return self._send(status, body.encode("utf-8") if isinstance(body, str) else body, headers)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass   # clients that hang up on a tarpit or an endless page are expected


@contextlib.contextmanager
def serving(handler_cls, host="127.0.0.1"):
    """Serve one request-handler class on a free loopback port; yields the origin, stops on exit."""
    server = _QuietServer((host, 0), handler_cls)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class LinkServer:
    def __init__(self, host="127.0.0.1", port=0):
        self.httpd = _QuietServer((host, port), Handler)
        self.httpd.routes = {}
        self.httpd.hits = {}
        self.httpd.log = []
        self.httpd.lock = threading.Lock()
        self.origin = f"http://{host}:{self.httpd.server_address[1]}"

    @property
    def routes(self):
        return self.httpd.routes

    @property
    def log(self):
        return self.httpd.log

    def __enter__(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def page(title, body):
    return (200, PAGE.format(title=title, body=body), ())
