"""``genguard verify-receipt``: check a verdict receipt offline against the service's public key."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from genguard.errors import GenguardError
from genguard.receipts import load_public_key, verify


def _file_text(name: str) -> str | None:
    """The text of the file ``name``, or None when it names no file (it is the receipt itself)."""
    try:
        return Path(name).read_text(encoding="utf-8", errors="replace") if Path(name).is_file() else None
    except OSError:  # a receipt is longer than a file name may be
        return None


def verify_receipt(
    receipt: Annotated[str, typer.Argument(help="the receipt (compact JWS), a file holding it, or '-' for stdin")],
    key: Annotated[Path, typer.Option("--key", help="public key: PEM, JWK or JWKS (GET /.well-known/jwks.json)")],
) -> None:
    """Verify a receipt's signature and expiry; print its payload as JSON. Exit 1 if invalid."""
    err = Console(stderr=True)
    token = sys.stdin.read() if receipt == "-" else _file_text(receipt) or receipt
    try:
        payload = verify(token, load_public_key(key.read_bytes()))
    except OSError as exc:
        err.print(f"[bold red]error[/] cannot read the key {key}: {exc.strerror}")
        raise typer.Exit(2) from exc
    except GenguardError as exc:
        err.print(f"[bold red]invalid[/] {exc.code}: {exc.message}")
        raise typer.Exit(1) from exc
    if payload.get("dev"):
        err.print("[yellow]valid, but signed with a DEVELOPMENT key[/]")
    print(json.dumps(payload, indent=2, sort_keys=True))
