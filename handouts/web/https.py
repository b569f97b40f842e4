"""The form over HTTPS, for listening beyond this computer: cheroot (pure Python, runs on Windows) with
its standard-library TLS, changed in three ways so that one computer cannot hold the form up:

- A new connection is counted against its client address (`limits.Connections`); past the bound it is
  closed at once and logged, before any TLS work.
- A connection waits in the server's selector until the client sends something, so an idle one holds
  no thread, and idle ones are closed after TIMEOUT seconds.
- The TLS handshake is made by the thread that reads the request, not by the one thread that accepts
  connections (cheroot's own way), where one silent client would stall every new connection.

Plain HTTP sent to the HTTPS port is redirected to the same address over HTTPS.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import socket
from typing import Any

from cheroot import wsgi
from cheroot.connections import ConnectionManager
from cheroot.server import HTTPConnection
from cheroot.ssl.builtin import BuiltinSSLAdapter

from handouts.web.limits import CONNECTIONS_IN_ALL, Connections
from handouts.web.tls import Certificate, server_context

THREADS = 24
"""Threads reading requests and making handouts: more than two clients' worth of connections, so a
client trickling its requests slowly can hold at most CONNECTIONS_PER_CLIENT of them."""
TIMEOUT = 10
"""Seconds a connection may wait for the client between two reads, or sit idle, before it is closed."""
BACKLOG = 1024
"""Connections the system queues before they are accepted: a flood must not push a therapist's out."""

log = logging.getLogger("handouts.web.https")
access_log = logging.getLogger("handouts.web.app.access")
_HOST = re.compile(rb"^host:[ \t]*([A-Za-z0-9.:\[\]-]{1,255})[ \t]*\r?$", re.I | re.M)


class _LateHandshake(BuiltinSSLAdapter):
    """Wraps a connection without the handshake, which `_Connection` makes in its own thread."""

    def __init__(self, certificate: Certificate) -> None:
        super().__init__(str(certificate.certificate), str(certificate.key))
        self.context = server_context(certificate)

    def wrap(self, sock: Any) -> Any:
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), {}


class _Connection(HTTPConnection):
    handshaken = False
    counted: str | None = None
    """The client address this connection is counted against, until it is closed."""

    def communicate(self) -> bool:
        if not self.handshaken and not self._handshake():
            return False
        return bool(super().communicate())

    def _handshake(self) -> bool:
        sock = self.socket
        try:
            first = socket.socket.recv(sock, 1, socket.MSG_PEEK)
            if first and first != b"\x16":  # not a TLS record: a browser typed http://
                _to_https(sock, str(self.remote_addr))
                return False
            sock.do_handshake()
        except (OSError, ValueError):  # ssl.SSLError, a timeout or a reset: nothing to answer
            return False
        self.handshaken = True
        self.ssl_env = {"wsgi.url_scheme": "https", "HTTPS": "on"}
        return True

    def close(self) -> None:
        try:
            super().close()
        finally:
            counted, self.counted = self.counted, None
            if counted is not None:
                self.server.clients.release(counted)


def _to_https(sock: Any, address: str) -> None:
    """Answer plain HTTP with a redirect to the same Host over HTTPS (no path: nothing echoed back)."""
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 8192:
        chunk = socket.socket.recv(sock, 4096)
        if not chunk:
            break
        head += chunk
    line = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
    method, path = (line[0], line[1].split("?")[0]) if len(line) == 3 else ("-", "-")
    host = _HOST.search(head)
    if host:
        target = f"https://{host.group(1).decode('ascii')}/"
        body = f"This form is served over HTTPS: open {target}\n"
        status = "301 Moved Permanently"
        extra = f"Location: {target}\r\n"
    else:
        body, status, extra = "This form is served over HTTPS: open its address with https://\n", "400 Bad Request", ""
    data = body.encode()
    answer = (
        f"HTTP/1.1 {status}\r\n{extra}Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    ).encode() + data
    socket.socket.sendall(sock, answer)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    access_log.info("%s %s %s %s %s (plain HTTP)", now, address, method[:16], path[:200], status[:3])


class _Gate:
    """The listening socket as `ConnectionManager` sees it: a connection past its address's bound is
    closed as soon as it is accepted, before any TLS or HTTP object is made for it."""

    def __init__(self, listening: Any, server: HttpsServer) -> None:
        self.listening, self.server = listening, server
        self.admitted: str | None = None

    def accept(self) -> tuple[socket.socket, Any]:
        sock, address = self.listening.accept()
        client = str(address[0]) if address else "unknown"
        if not self.server.clients.admit(client):
            sock.close()
            self.server.refused(client)
            raise TimeoutError  # cheroot's "nothing accepted this time"
        self.admitted = client
        return sock, address


class _Connections(ConnectionManager):
    """Admits each new connection by its address (`_Gate`), then lets it wait in the selector."""

    def _from_server_socket(self, server_socket: Any) -> Any:
        gate = _Gate(server_socket, self.server)
        try:
            conn = super()._from_server_socket(gate)  # type: ignore[misc]
        except BaseException:
            if gate.admitted is not None:
                self.server.clients.release(gate.admitted)
            raise
        if conn is None:
            if gate.admitted is not None:
                self.server.clients.release(gate.admitted)
            return None
        conn.counted = gate.admitted
        self.put(conn)
        return None


class HttpsServer(wsgi.Server):
    """The form over HTTPS, with the same face as waitress's server: `effective_port`, `run`, `close`."""

    ConnectionClass = _Connection

    def __init__(self, host: str, port: int, app: Any, certificate: Certificate) -> None:
        super().__init__(
            (host, port),
            app,
            numthreads=THREADS,
            max=THREADS,
            server_name="handouts",
            request_queue_size=BACKLOG,
            timeout=TIMEOUT,
            shutdown_timeout=2,
        )
        self.certificate = certificate
        self.ssl_adapter = _LateHandshake(certificate)
        self.keep_alive_conn_limit = CONNECTIONS_IN_ALL
        # cheroot reads headers and bodies of any size unless told. Twice the form's own bound on bodies, so
        # the form itself answers (in its words) the too-large uploads a person may send.
        self.max_request_header_size = 64 * 1024
        self.max_request_body_size = 2 * app.config["MAX_CONTENT_LENGTH"]
        self.clients = Connections()
        self._last_refusal: dict[str, float] = {}
        self.prepare()
        given: ConnectionManager = self._connections  # type: ignore[has-type]
        self._connections = _Connections(self)
        given.close()

    @property
    def effective_port(self) -> int:
        return int(self.bind_addr[1])

    def run(self) -> None:
        self.serve()

    def close(self) -> None:
        self.stop()

    def refused(self, address: str) -> None:
        """One log line per address every 10 s at most, however many connections it opens."""
        now = dt.datetime.now().astimezone()
        last = self._last_refusal.get(address, 0.0)
        if now.timestamp() - last < 10:
            return
        if len(self._last_refusal) > 10_000:
            self._last_refusal.clear()
        self._last_refusal[address] = now.timestamp()
        limit = self.clients.per_client
        access_log.warning(
            "%s %s refused new connections: %d already open from this address (at most %d; the total is %d)",
            now.isoformat(timespec="seconds"),
            address,
            self.clients.held(address),
            limit,
            CONNECTIONS_IN_ALL,
        )

    def error_log(self, msg: str = "", level: int = 20, traceback: bool = False) -> None:
        log.log(level, "%s", msg, exc_info=traceback)
