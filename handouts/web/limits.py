"""Bounds that keep one computer on the network from slowing or stopping the form for everyone else.

- Wrong passwords are counted per client address: after a few, that address is told to wait (429 with
  Retry-After) and its next tries are refused at once. Nothing sleeps in a server thread, so a guesser
  holds no thread another therapist needs, and other addresses are never slowed.
- Open connections are counted per client address (and in all): past the bound a new connection from
  that address is closed at once, so a thousand idle connections from one computer lock nobody else out.
- A request may carry a bounded number of items (form fields, or parts of an upload): a patient's plan
  has a few hundred at most, so a post of 120,000 is refused before it is read into a page.
"""

from __future__ import annotations

import io
import threading
import time
from collections import OrderedDict
from typing import IO, Any

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

FREE_TRIES = 5
"""Wrong passwords an address may type before it has to wait (a therapist's typos, then a pause)."""
LONGEST_WAIT = 300
"""Seconds: the wait doubles with each wrong password past FREE_TRIES, up to five minutes."""
FORGET_AFTER = 15 * 60
"""Seconds after its last wrong password that an address starts again with FREE_TRIES."""
ADDRESSES_KEPT = 10_000
"""Addresses remembered at once (the oldest is forgotten first), so guessing can't fill the memory."""

CONNECTIONS_PER_CLIENT = 10
"""Open connections one address may hold; a browser opens at most 6 to one server."""
CONNECTIONS_IN_ALL = 400
"""Open connections at once from every address together, well within a process's file limit."""

MAX_ITEMS = 2_000
"""Fields (or upload parts) one request may carry. The whole form has about 300 controls (every move,
device and setting); a larger post is a crafted one."""


class Throttle:
    """Wrong passwords per client address, and how long each address must wait before its next try."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wrong: OrderedDict[str, tuple[int, float]] = OrderedDict()
        """address -> (wrong passwords in a row, time of the last one)"""

    def wait(self, address: str) -> int:
        """Whole seconds this address must still wait before it may try a password; 0: it may now."""
        with self._lock:
            count, last = self._wrong.get(address, (0, 0.0))
        if count < FREE_TRIES:
            return 0
        left = last + min(2 ** (count - FREE_TRIES), LONGEST_WAIT) - time.monotonic()
        return max(0, int(left + 0.999))

    def failed(self, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            count, last = self._wrong.pop(address, (0, now))
            self._wrong[address] = (1 if now - last > FORGET_AFTER else count + 1, now)
            while len(self._wrong) > ADDRESSES_KEPT:
                self._wrong.popitem(last=False)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._wrong.pop(address, None)


class Connections:
    """Open connections per client address: `admit` before a connection is served, `release` once."""

    def __init__(self, per_client: int = CONNECTIONS_PER_CLIENT, in_all: int = CONNECTIONS_IN_ALL) -> None:
        self.per_client, self.in_all = per_client, in_all
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}
        self._total = 0

    def admit(self, address: str) -> bool:
        with self._lock:
            held = self._open.get(address, 0)
            if held >= self.per_client or self._total >= self.in_all:
                return False
            self._open[address] = held + 1
            self._total += 1
            return True

    def release(self, address: str) -> None:
        with self._lock:
            held = self._open.get(address, 0) - 1
            if held < 0:
                return
            self._total -= 1
            if held:
                self._open[address] = held
            else:
                del self._open[address]

    def held(self, address: str) -> int:
        with self._lock:
            return self._open.get(address, 0)


class TooManyItems(RequestEntityTooLarge):
    """A request with more fields or upload parts than any form sends: said as such, not as "too big"."""

    def __init__(self, count: int, kind: str) -> None:
        super().__init__(
            f"the request carried {count:,} {kind}; the form sends at most {MAX_ITEMS:,}, so nothing was read or made"
        )


class BoundedParser(FormDataParser):
    """Counts a form's fields (or an upload's parts) before parsing it; werkzeug bounds only the parts of
    an upload, and calls too many of them "too big"."""

    def _parse_urlencoded(self, stream: IO[bytes], mimetype: str, length: int | None, options: dict[str, str]) -> Any:
        body = stream.read()
        count = body.count(b"&") + 1 if body else 0
        if count > MAX_ITEMS:
            raise TooManyItems(count, "form fields")
        return super()._parse_urlencoded(io.BytesIO(body), mimetype, length, options)

    def _parse_multipart(self, stream: IO[bytes], mimetype: str, length: int | None, options: dict[str, str]) -> Any:
        body = stream.read()
        boundary = options.get("boundary", "").encode("latin-1")
        count = body.count(b"--" + boundary) - 1 if boundary else 0
        if count > MAX_ITEMS:
            raise TooManyItems(count, "parts")
        return super()._parse_multipart(io.BytesIO(body), mimetype, length, options)
