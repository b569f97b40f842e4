"""`serve`: the form on this computer under waitress, a production WSGI server (pure Python, so it runs
on the Windows computers many clinics have) with timeouts, so slow or half-sent requests can't hold the
desk up; beyond this computer over HTTPS under cheroot (`web.https`), since waitress has no TLS.

It refuses to start without a clinic password, from the settings file or the HANDOUTS_PASSWORD
environment variable (never the command line, where anyone on the computer could read it in the process
list), when other computers could reach it: any address but 127.0.0.1, localhost or ::1, or settings
naming `hostnames` a reverse proxy serves it under.
"""

from __future__ import annotations

import logging
import socket
import sys
from pathlib import Path
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.home import Home
from handouts.inputs.settings import PASSWORD_ENV, DeskSettings, load_settings
from handouts.web.app import create_app
from handouts.web.guard import LOOPBACK_NAMES, Guard
from handouts.web.tls import CERTIFICATE_FILE, Certificate, certificate_for

THREADS = 8
"""Workers making handouts; reading a request never takes one (waitress reads requests itself)."""
CHANNEL_TIMEOUT = 30
"""Seconds a connection may sit idle (a half-sent request) before it is closed."""
CONNECTION_LIMIT = 1000
"""Open connections at once; well above what slow clients can hold while the desk is still answered."""

NEEDS_PASSWORD = (
    "the form would be reachable from other computers, so it needs a clinic password (12 characters or more). "
    f"Set one in the environment (for example `{PASSWORD_ENV}=... python generate.py serve --host ...`, or "
    f"`set {PASSWORD_ENV}=...` on Windows) or as `password: ...` in the settings file "
    "(readable only by the account that runs the form); never on the command line"
)


def allowed_hosts(host: str, port: int, settings: DeskSettings) -> Guard:
    """The Host headers this server answers: its own address and port; loopback names when it listens
    on loopback (or everywhere); any IP address when it listens everywhere (a rebinding page needs a
    name, never an address); and the settings' `hostnames` (a reverse proxy's name, any port)."""
    names = {host.lower(), f"[{host}]" if ":" in host else host}
    everywhere = host in {"0.0.0.0", "::", ""}
    if host in LOOPBACK_NAMES or everywhere:
        names |= LOOPBACK_NAMES
    if everywhere:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    exact = frozenset(f"{n}:{port}" for n in names)
    return Guard(
        exact=exact,
        any_port=frozenset(h.lower() for h in settings.hostnames),
        password=settings.clinic_password(),
        any_address=everywhere,
        idle_seconds=settings.idle_minutes * 60,
    )


def _check_free(host: str, port: int) -> None:
    """A port in use or a wrong host is a user error, said in our words."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise HandoutError(
            Problem(f"{host}:{port}", f"can't listen here: {reason}; try another --port or --host", None, "port")
        ) from None


def _is_loopback_only(host: str) -> bool:
    return host in LOOPBACK_NAMES


def _refuse_without_password(host: str, settings: DeskSettings) -> None:
    if settings.clinic_password():
        return
    if not _is_loopback_only(host):
        raise HandoutError(Problem(f"--host {host}", NEEDS_PASSWORD, None, "password"))
    if settings.hostnames:
        names = ", ".join(settings.hostnames)
        raise HandoutError(Problem(f"hostnames: {names}", f"names a reverse proxy's address, so {NEEDS_PASSWORD}"))


def make_server(host: str, port: int, settings: DeskSettings, home: Home | None = None) -> Any:
    """The server, bound and ready: waitress on loopback, HTTPS (`web.https`) beyond it. Refuses to expose
    the form without a password."""
    _refuse_without_password(host, settings)
    _check_free(host, port)
    app = create_app(settings, home)
    if _is_loopback_only(host):
        server = _waitress(host, port, app)
    else:
        from handouts.web.https import HttpsServer

        certificate = certificate_for(settings, host)
        app.config["SESSION_COOKIE_SECURE"] = True
        server = HttpsServer(host, port, app, certificate)
    # The Host names are known only now that the port is bound (`--port 0` picks one).
    app.extensions["handouts_guard"] = allowed_hosts(host, server.effective_port, settings)
    return server


def _waitress(host: str, port: int, app: Any) -> Any:
    import waitress

    return waitress.create_server(
        app,
        host=host,
        port=port,
        threads=THREADS,
        channel_timeout=CHANNEL_TIMEOUT,
        connection_limit=CONNECTION_LIMIT,
        cleanup_interval=5,
        asyncore_use_poll=True,
        clear_untrusted_proxy_headers=True,
        ident="handouts",
    )


def serve(
    host: str,
    port: int,
    settings_path: Path | None,
    home: Home,
    certificate: Path | None = None,
    key: Path | None = None,
) -> None:
    """Run the form until Ctrl-C, printing the address to open (and, over HTTPS, the certificate's
    fingerprint to compare with the browser's)."""
    import click

    settings = load_settings(settings_path, home.layouts)
    if certificate or key:
        settings = settings.model_copy(update={"certificate": certificate, "key": key})
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    server = make_server(host, port, settings, home)
    if _is_loopback_only(host):
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"The discharge form is at http://{shown}:{server.effective_port}/  (Ctrl-C to stop)")
    else:
        _say_https(host, server.effective_port, server.certificate)
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.close()


def _say_https(host: str, port: int, certificate: Certificate) -> None:
    import click

    name = host if host not in {"0.0.0.0", "::", ""} else socket.gethostname()
    shown = f"[{name}]" if ":" in name else name
    click.echo(f"The discharge form is at https://{shown}:{port}/  (Ctrl-C to stop)")
    click.echo("It can be reached from other computers, over HTTPS only; it asks for the clinic password.")
    if certificate.made:
        whose = f"made now and kept in {certificate.certificate.parent}"
    elif certificate.certificate.name == CERTIFICATE_FILE:
        whose = f"made on the first start, kept in {certificate.certificate.parent}"
    else:
        whose = f"the clinic's, {certificate.certificate}"
    click.echo(f"Its certificate ({whose}) has the SHA-256 fingerprint")
    click.echo(f"  {certificate.fingerprint}")
    click.echo("The first time a browser opens the form, check that it shows this fingerprint before you accept.")
