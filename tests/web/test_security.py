"""The form on the clinic network, as `handouts serve --host 0.0.0.0` runs it (a real process): HTTPS with
the certificate it prints, logins that time out and log out, guessing and floods from one computer that
slow no other, bounded requests answered fast, and an access log that traces a computer, never a patient.

Loopback addresses stand for the clinic's computers: 127.0.0.1 (or .5, .6) is the one guessing or
flooding, 127.0.0.2 (or .3, .4) the therapist's. All tests run on one worker, one after another, so
their timings are not each other's load.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "riverside-desk-7"
MARIA = {
    "name": "Maria Lopez",
    "patient_id": "004211",
    "birth_date": "1961-04-02",
    "date": "2026-11-23",
    "stronger_side": "left",
    "exercise": ["stretching", "range_of_motion", "aerobic"],
    "aerobic.minutes": "15",
    "device": ["quad_cane"],
}
pytestmark = pytest.mark.xdist_group("security")


@dataclass
class Served:
    """A running `serve` process: its port, the fingerprint it printed, its certificate and its log."""

    proc: subprocess.Popen  # type: ignore[type-arg]
    port: int
    fingerprint: str
    certificate: Path
    log: Path
    printed: str

    def logged(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def peak_memory_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def start(folder: Path, settings: str, host: str = "0.0.0.0", env: dict[str, str] | None = None) -> Served:
    (folder / "handouts-settings.yaml").write_text(settings, encoding="utf-8")
    log = folder / "server.log"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "serve", "--host", host, "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        env=env,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout.readline() for _ in range(5)), daemon=True)
    reader.start()
    reader.join(30)  # what it prints on start, or (as before HTTPS) less than that
    printed = "".join(lines)
    port = re.search(r"https://[^:/]+:(\d+)/", printed)
    if not port or len(lines) < 5:
        proc.kill()
        pytest.fail(f"serve did not start over HTTPS:\n{printed}{log.read_text()}")
    return Served(proc, int(port.group(1)), lines[3].strip(), folder / "handouts-https-certificate.pem", log, printed)


def stop(served: Served) -> None:
    served.proc.terminate()
    served.proc.wait(10)


@dataclass
class Client:
    """A browser-like HTTPS client on one source address: keeps its cookie, its token and one connection,
    and trusts only the certificate the server printed the fingerprint of."""

    served: Served
    source: str
    cookie: str = ""
    token: str = ""
    conn: http.client.HTTPSConnection | None = field(default=None, repr=False)

    def connect(self) -> http.client.HTTPSConnection:
        context = ssl.create_default_context(cafile=str(self.served.certificate))
        context.check_hostname = False  # the test reaches it by loopback addresses the certificate may not name
        return http.client.HTTPSConnection(
            "127.0.0.1", self.served.port, context=context, source_address=(self.source, 0), timeout=30
        )

    def encoded(self, form: dict) -> str:  # type: ignore[type-arg]
        listed = {k: v if isinstance(v, list) else [v] for k, v in form.items()}
        pairs = [("csrf_token", self.token)] + [(k, x) for k, v in listed.items() for x in v]
        return urllib.parse.urlencode(pairs)

    def request(
        self,
        method: str,
        path: str,
        form: dict | None = None,
        body: str | None = None,  # type: ignore[type-arg]
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": f"127.0.0.1:{self.served.port}", "Cookie": self.cookie}
        if form is not None:
            body = self.encoded(form)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            self.conn = self.conn or self.connect()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                answer = self.conn.getresponse()
                data = answer.read()
                break
            except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
                self.conn.close()
                self.conn = None  # the server closed an idle connection: a browser opens a new one
                if attempt == 2:
                    raise
        said = {k.lower(): v for k, v in answer.getheaders()}
        if "set-cookie" in said:
            self.cookie = said["set-cookie"].split(";")[0]
        found = re.search(rb'name="csrf_token" value="([^"]+)"', data)
        if found:
            self.token = found.group(1).decode()
        if answer.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return answer.status, said, data

    def log_in(self, password: str = PASSWORD) -> int:
        self.request("GET", "/login")
        status, _, _ = self.request("POST", "/login", {"password": password})
        return status

    def handout(self) -> float:
        """Seconds to make Maria's handout (logged in)."""
        self.request("GET", "/")
        started = time.perf_counter()
        status, said, body = self.request("POST", "/handout", MARIA)
        took = time.perf_counter() - started
        assert status == 200 and body[:4] == b"%PDF", (status, body[:300])
        return took


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    running = start(tmp_path_factory.mktemp("desk"), f"password: {PASSWORD}\n")
    warm = Client(running, "127.0.0.9")
    assert warm.log_in() == 302
    warm.handout()  # the first handout of a process loads its fonts: the timings below are of the next ones
    yield running
    stop(running)


# --- HTTPS, logins, timeout, logout -------------------------------------------------------------------


def test_https_login_idle_timeout_and_logout(tmp_path: Path) -> None:
    """On 0.0.0.0 the form speaks HTTPS with the certificate it made and printed the fingerprint of; the
    cookie is Secure; a login ends after the configured idle time and with Log out, for good."""
    running = start(tmp_path, f"password: {PASSWORD}\nidle_minutes: 0.1\n")
    try:
        assert "made now and kept in" in running.printed
        assert (tmp_path / "handouts-https-key.pem").stat().st_mode & 0o077 == 0
        me = Client(running, "127.0.0.2")
        presented = me.connect()
        presented.connect()
        der = presented.sock.getpeercert(binary_form=True)  # type: ignore[union-attr]
        assert running.fingerprint == ":".join(re.findall("..", hashlib.sha256(der).hexdigest().upper()))
        assert me.request("GET", "/")[0:2][0] == 302
        status, said, _ = me.request("GET", "/login")
        cookie = said["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert me.log_in() == 302
        status, _, page = me.request("GET", "/")
        assert status == 200 and b'id="log-out"' in page
        me.handout()
        time.sleep(6.5)  # idle longer than 0.1 minutes
        status, said, _ = me.request("GET", "/")
        assert status == 302 and said["location"].endswith("/login")
        page = me.request("GET", "/login")[2].decode()
        assert "You were logged out after 6 seconds without use" in page
        assert me.log_in() == 302
        assert me.request("GET", "/")[0] == 200
        kept = me.cookie
        status, said, _ = me.request("POST", "/logout", {})
        assert status == 303 and said["location"].endswith("/login")
        assert "You have logged out" in me.request("GET", "/login")[2].decode()
        me.cookie = kept  # a copy of the cookie from before Log out is worth nothing
        assert me.request("GET", "/")[0] == 302
    finally:
        stop(running)


def test_plain_http_is_sent_to_https(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(f"GET /?name=Maria HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
        answer = sock.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 301") and f"Location: https://127.0.0.1:{served.port}/\r\n" in answer


# --- one computer cannot slow the others ---------------------------------------------------------------


def _flood_passwords(served: Served, source: str, until: float, answers: list[int], waits: list[str]) -> None:
    guesser = Client(served, source)
    while time.monotonic() < until:
        try:
            guesser.token or guesser.request("GET", "/login")
            status, said, _ = guesser.request("POST", "/login", {"password": "guess-" + str(len(answers))})
        except (OSError, http.client.HTTPException):
            answers.append(0)  # past 10 connections from one address, the server closes new ones at once
            guesser.conn = None
            time.sleep(0.05)
            continue
        answers.append(status)
        if "retry-after" in said:
            waits.append(said["retry-after"])


def test_wrong_passwords_from_one_address_slow_no_one_else(served: Served) -> None:
    """16 guessers on 127.0.0.1 for 4 s: they are told to wait (429, Retry-After) at once, never let in,
    and the therapist on 127.0.0.2 gets Maria's handout in under 200 ms (it took 2 s before)."""
    therapist = Client(served, "127.0.0.2")
    assert therapist.log_in() == 302
    alone = [therapist.handout() for _ in range(3)]
    answers: list[int] = []
    waits: list[str] = []
    until = time.monotonic() + 4
    guessers = [
        threading.Thread(target=_flood_passwords, args=(served, "127.0.0.1", until, answers, waits)) for _ in range(16)
    ]
    for guesser in guessers:
        guesser.start()
    time.sleep(0.5)
    during = []
    while time.monotonic() < until - 0.3:
        during.append(therapist.handout())
    for guesser in guessers:
        guesser.join()
    print(
        f"\nhandout alone: {statistics.median(alone) * 1000:.0f} ms; during {len(answers)} wrong passwords: "
        f"median {statistics.median(during) * 1000:.0f} ms, max {max(during) * 1000:.0f} ms over {len(during)}"
    )
    print(
        f"wrong passwords: {answers.count(401)} answered 401, {answers.count(429)} 429, "
        f"{answers.count(0)} connections refused"
    )
    assert 302 not in answers and answers.count(429) > answers.count(401) * 10, answers[:20]
    assert waits and all(int(w) >= 1 for w in waits)
    # Under 200 ms (on 2 cores shared with other work, no worse than twice the handout alone); it was 2 s.
    assert statistics.median(during) < max(0.2, 2 * statistics.median(alone)), (alone, during)
    assert therapist.log_in("guess-again-and-again") == 401  # the therapist's own address was never locked


def test_a_connection_flood_from_one_address_locks_no_one_out(served: Served) -> None:
    """1,100 idle connections from one computer: past 10 they are closed at once; the therapist on
    another address logs in and gets the handout at once; the log names the flooding address."""
    resource = pytest.importorskip("resource")  # the test's own file limit, raised where the system has one
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4096)), hard))
    flood: list[socket.socket] = []
    try:
        started = time.monotonic()
        for _ in range(1100):
            sock = socket.socket()
            sock.bind(("127.0.0.5", 0))
            sock.connect(("127.0.0.1", served.port))
            flood.append(sock)
        time.sleep(0.5)
        closed = 0
        for sock in flood:
            sock.settimeout(0.001)
            try:
                closed += sock.recv(1) == b""
            except TimeoutError:
                pass
            except ConnectionError:
                closed += 1
        refused_in = time.monotonic() - started
        assert closed >= 1090, f"only {closed} of 1,100 flood connections were closed"
        therapist = Client(served, "127.0.0.3")
        begun = time.perf_counter()
        assert therapist.log_in() == 302
        took = therapist.handout()
        print(
            f"\n1,100 connections opened and {closed} refused in {refused_in:.2f} s; "
            f"the other client's login and handout: {time.perf_counter() - begun:.2f} s (handout {took:.2f} s)"
        )
        assert time.perf_counter() - begun < 2
    finally:
        for sock in flood:
            sock.close()
    refused = r"127\.0\.0\.5 refused new connections: \d+ already open from this address \(at most 10"
    assert re.search(refused, served.logged())


def test_a_post_of_120000_items_is_refused_at_once(served: Served) -> None:
    """120,000 unknown exercise ids (1.9 MB) took 18 s and answered 121 MB; now: 413 in well under a
    second, naming what was too many; an upload of 5,000 tiny parts is "too many parts", not "too big"."""
    therapist = Client(served, "127.0.0.4")
    assert therapist.log_in() == 302
    therapist.request("GET", "/")
    before = served.peak_memory_mb()
    crafted = therapist.encoded({**MARIA, "exercise": [f"m{i}" for i in range(120_000)]})
    assert 1_800_000 < len(crafted) < 2_000_000  # 1.9 MB, as reported
    started = time.perf_counter()
    status, _, body = therapist.request("POST", "/handout", body=crafted)
    took = time.perf_counter() - started
    text = body.decode()
    print(
        f"\n120,000 items refused in {took * 1000:.0f} ms with {len(body):,} bytes; "
        f"server peak memory {before:.0f} MB before, {served.peak_memory_mb():.0f} MB after"
    )
    assert status == 413 and took < 1 and len(body) < 10_000
    assert "120,0" in text and "form fields" in text and "at most 2,000" in text
    boundary = "b0undary"
    parts = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\n\r\n' for _ in range(5000))
    body_parts = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{therapist.token}\r\n'
        f"{parts}--{boundary}--\r\n"
    )
    conn = therapist.connect()
    conn.request(
        "POST",
        "/load",
        body=body_parts,
        headers={
            "Host": f"127.0.0.1:{served.port}",
            "Cookie": therapist.cookie,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    answer = conn.getresponse()
    said = answer.read().decode()
    assert answer.status == 413 and "5,001 parts" in said and "too big" not in said
    assert therapist.handout() < 2  # and the form goes on


def test_access_log_traces_computers_never_patients(served: Served) -> None:
    therapist = Client(served, "127.0.0.3")
    assert therapist.log_in() == 302
    therapist.request("GET", "/?name=Maria+Lopez&patient_id=004211")
    therapist.handout()
    logged = served.logged()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"
    assert re.search(rf"^{stamp} 127\.0\.0\.3 POST /login 302$", logged, re.M)
    assert re.search(rf"^{stamp} 127\.0\.0\.3 GET / 200$", logged, re.M)
    assert re.search(rf"^{stamp} 127\.0\.0\.3 POST /handout 200$", logged, re.M)
    for secret in ("Maria", "Lopez", "004211", "1961", "name=", PASSWORD, "guess-"):
        assert secret not in logged, secret


# --- who may start it ----------------------------------------------------------------------------------


def refused_start(folder: Path, settings: str, host: str, password: str | None) -> str:
    """What `serve` says when it refuses to start (a start that is not refused fails the test)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_PASSWORD"}
    if password is not None:
        env["HANDOUTS_PASSWORD"] = password
    (folder / "handouts-settings.yaml").write_text(settings, encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "generate.py"), "serve", "--host", host, "--port", "0"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"serve started on {host} with settings {settings!r} and password {password!r}")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


RULE = "the clinic password must be at least 12 characters (not counting spaces at either end)"


@pytest.mark.parametrize("password", [" ", "1", "short-pass1", "           x  "])
def test_a_short_password_from_the_environment_is_refused(tmp_path: Path, password: str) -> None:
    said = refused_start(tmp_path, "clinic: Riverside\n", "0.0.0.0", password)
    assert f"HANDOUTS_PASSWORD: password: {RULE}" in said or f"HANDOUTS_PASSWORD: {RULE}" in said, said


def test_a_short_password_in_the_settings_file_is_refused_in_the_same_words(tmp_path: Path) -> None:
    said = refused_start(tmp_path, "password: short\n", "0.0.0.0", None)
    assert f"handouts-settings.yaml:1: password: {RULE}; this one has 5" in said
    assert "items" not in said


def test_hostnames_without_a_password_are_refused(tmp_path: Path) -> None:
    """A reverse proxy's name makes the form reachable from other computers even on 127.0.0.1."""
    said = refused_start(tmp_path, "hostnames: [handouts.clinic.example]\n", "127.0.0.1", None)
    assert "hostnames: handouts.clinic.example" in said and "needs a clinic password" in said


def test_the_whole_form_is_well_within_the_bound_on_items() -> None:
    """Every control of the form (all moves, devices and settings) is a quarter of what a request may carry."""
    from handouts.web.app import create_app
    from handouts.web.limits import MAX_ITEMS

    page = create_app().test_client().get("/").get_data(as_text=True)
    named = re.findall(r"<(?:input|select|textarea)[^>]*\bname=", page)
    assert 100 < len(named) < MAX_ITEMS / 4


def test_the_clinic_certificate_is_used_and_a_wrong_one_is_named(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`certificate:` and `key:` in the settings (read from the file's folder) are used as given; a key
    that is not the certificate's, or a certificate without its key, stops the start with the file named."""
    from handouts.errors import HandoutError
    from handouts.inputs.settings import DeskSettings, load_settings
    from handouts.web.tls import CERTIFICATE_FILE, KEY_FILE, certificate_for

    made = certificate_for(DeskSettings(certificate_folder=tmp_path / "a"), "0.0.0.0")
    again = certificate_for(DeskSettings(certificate_folder=tmp_path / "a"), "0.0.0.0")
    assert made.made and not again.made and again.fingerprint == made.fingerprint  # made once, then kept
    other = certificate_for(DeskSettings(certificate_folder=tmp_path / "b"), "0.0.0.0")
    settings_file = tmp_path / "a" / "handouts-settings.yaml"
    settings_file.write_text(f"certificate: {CERTIFICATE_FILE}\nkey: {KEY_FILE}\n")
    monkeypatch.chdir(tmp_path)
    clinic = certificate_for(load_settings(settings_file), "0.0.0.0")
    assert clinic.fingerprint == made.fingerprint and not clinic.made
    with pytest.raises(HandoutError, match=f"{CERTIFICATE_FILE}: certificate: can't be used .* key is not this"):
        certificate_for(DeskSettings(certificate=made.certificate, key=other.key), "0.0.0.0")
    with pytest.raises(HandoutError, match="both `certificate` and `key`"):
        certificate_for(DeskSettings(certificate=made.certificate), "0.0.0.0")
