"""Reading a passphrase or PIN: from a named environment variable (automation) or a prompt."""

from __future__ import annotations

import getpass
import os

from kiosk.errors import KioskError


def read_secret(what: str, env_var: str | None, *, confirm: bool = False) -> str:
    """Never from a command-line argument: those end up in shell history and process lists."""
    if env_var:
        value = os.environ.get(env_var)
        if not value:
            raise KioskError(f"environment variable {env_var} is not set or empty (it should hold the {what})")
        return value
    try:
        value = getpass.getpass(f"{what}: ")
        if confirm and getpass.getpass(f"{what} again: ") != value:
            raise KioskError(f"the two {what}s differ; nothing was changed")
    except EOFError:
        raise KioskError(f"no {what} given (no terminal to prompt on: use the --*-env option)") from None
    return value
