"""Who may write, and what visitors see when something fails.

By default the app listens on 127.0.0.1 only (.streamlit/config.toml). Served to a network
(`--server.address 0.0.0.0`), adding texts needs the token in SNM_WRITE_TOKEN; without one the
app is read-only. SNM_READ_ONLY=1 turns adding off anywhere. Errors are logged in full on the
server; a visitor sees one short line with a reference to find it in the log.
"""
from __future__ import annotations

import hmac
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from snm.errors import SNMError
from ui.i18n import t

LOG = logging.getLogger("snm.app")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Access:
    """What this server lets visitors do: 'open' (add freely), 'token' (add with the token) or
    'off' (read-only)."""

    mode: str
    token: str = ""

    @property
    def can_write(self) -> bool:
        """Whether the add-text panel is offered at all."""
        return self.mode != "off"


def is_loopback(address: str | None) -> bool:
    """Whether a listen address only accepts this machine's connections."""
    return bool(address) and (str(address) in LOOPBACK or str(address).startswith("127."))


def access(address: str | None, env: Mapping[str, str] | None = None) -> Access:
    """The write access for a server listening on `address` with these environment values."""
    env = os.environ if env is None else env
    if env.get("SNM_READ_ONLY", "").strip().lower() in ("1", "true", "yes"):
        return Access("off")
    token = env.get("SNM_WRITE_TOKEN", "").strip()
    if token:
        return Access("token", token)
    return Access("open") if is_loopback(address) else Access("off")


def token_ok(given: str | None, acc: Access) -> bool:
    """Whether a visitor may write: always in open mode, with the right token in token mode."""
    if acc.mode == "open":
        return True
    if acc.mode != "token" or not given:
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), acc.token.encode("utf-8"))


def visitor_message(err: BaseException, lang: str) -> str:
    """One short line for visitors: the project's own message for its errors (first line,
    no paths), else a reference; the full error and traceback go to the server log."""
    ref = secrets.token_hex(3)
    LOG.error("error ref %s: %s", ref, err, exc_info=err)
    if isinstance(err, SNMError):
        first = str(err).splitlines()[0] if str(err) else ""
        if first and "/" not in first and "\\" not in first and len(first) < 200:
            return first
    return t("error_short", lang, ref=ref)
