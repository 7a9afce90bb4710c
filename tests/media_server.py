"""A real loopback HTTP server standing in for a platform's media storage: serves the licensed
benign images, and the hostile answers an SSRF-safe fetcher must refuse (redirects into
private ranges, bodies over the limit, bodies that drip, HTML posing as an image)."""

from __future__ import annotations

import gzip
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.images import SHARED_IMAGES

CUP = SHARED_IMAGES / "scenes" / "coffee_cup_skimage.png"


@dataclass
class MediaServer:
    url: str
    #: (path, Host header) of every request, so a test can see what reached the server.
    requests: list[tuple[str, str]] = field(default_factory=list)


@contextmanager
def media_server(tls: ssl.SSLContext | None = None) -> Iterator[MediaServer]:
    """Routes: ``/cup.png`` (the image, its query ignored as a signed URL's would be),
    ``/to/<url>`` (302 to ``<url>``), ``/loop`` (302 to itself), ``/big`` (2 MB, no length),
    ``/big-declared`` (claims 1 GB), ``/slow`` (a PNG header, then a byte every 0.3 s),
    ``/gzip`` (the PNG gzip-compressed), ``/html`` (an HTML page), ``/lying`` (the PNG declared as image/jpeg), ``/gone`` (404).
    With ``tls``, it speaks HTTPS with that context's certificate."""
    image = CUP.read_bytes()
    state = MediaServer(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, body: bytes = b"", ctype: str = "image/png", **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", headers.pop("length", str(len(body))))
            for k, v in headers.items():
                self.send_header(k.replace("_", "-"), v)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = self.path.split("?", 1)[0]
            state.requests.append((self.path, self.headers.get("Host", "")))
            if path == "/cup.png":
                self._send(200, image)
            elif path.startswith("/to/"):
                self._send(302, location=self.path[len("/to/"):])
            elif path == "/loop":
                self._send(302, location="/loop")
            elif path == "/big":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(image[:8])
                try:
                    for _ in range(32):
                        self.wfile.write(b"\0" * 65536)
                except OSError:
                    pass  # the fetcher hung up at its limit
                self.close_connection = True
            elif path == "/big-declared":
                self._send(200, b"", length=str(1 << 30))
                self.close_connection = True
            elif path == "/slow":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(image)))
                self.end_headers()
                try:
                    for byte in image[:40]:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.3)
                except OSError:
                    pass
                self.close_connection = True
            elif path == "/gzip":  # a compressed body, sent although identity was asked for
                self._send(200, gzip.compress(image), content_encoding="gzip")
            elif path == "/html":
                self._send(200, b"<html><body>not an image</body></html>", ctype="text/html")
            elif path == "/lying":
                self._send(200, image, ctype="image/jpeg")
            else:
                self._send(404, b"", ctype="text/plain")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls is not None:  # HTTPS with the caller's certificate
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    state.url = f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
