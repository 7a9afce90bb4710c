"""``genguard provenance``: make a development signing chain, sign an allowed output, read a manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from genguard.config import Settings
from genguard.errors import GenguardError

app = typer.Typer(help="C2PA provenance: sign allowed outputs, read manifests (docs/provenance.md).", no_args_is_help=True)
_err = Console(stderr=True, soft_wrap=True)


@app.command("dev-cert")
def dev_cert(
    out: Annotated[Path, typer.Option(help="directory for dev-chain.pem, dev-signing-key.pem, dev-root.pem")],
    days: Annotated[int, typer.Option(help="validity in days")] = 365,
    algorithm: Annotated[str, typer.Option(help="es256 or ed25519")] = "es256",
) -> None:
    """Write a self-signed DEVELOPMENT chain (root CA + signing certificate) for tests.

    Every manifest signed with it is reported as development by every genguard reader; operators
    sign with a certificate from their own CA.
    """
    from genguard.provenance.devcert import write_dev_chain

    if algorithm not in ("es256", "ed25519"):
        _err.print("[bold red]error[/] --algorithm must be es256 or ed25519")
        raise typer.Exit(2)
    chain, key, root = write_dev_chain(out, days=days, algorithm=algorithm)  # type: ignore[arg-type]
    _err.print("[bold yellow]DEVELOPMENT chain[/]: never use it to sign what leaves a test system.")
    typer.echo(json.dumps({"chain": str(chain), "key": str(key), "trust_anchor": str(root)}))


@app.command()
def sign(
    image: Annotated[Path, typer.Argument(help="the allowed output", exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option(help="where to write the signed image")],
    verdict_id: Annotated[str, typer.Option(help="the id of the verdict that allowed it")],
    policy: Annotated[str, typer.Option(help="the policy label of that verdict (name@version)")],
    generator: Annotated[str, typer.Option(help="the model or service that generated it")],
    cert: Annotated[Path, typer.Option(help="PEM certificate chain, signing certificate first", envvar="GENGUARD_C2PA_CERT")],
    key: Annotated[Path, typer.Option(help="PEM private key of the signing certificate", envvar="GENGUARD_C2PA_KEY")],
    parent: Annotated[list[Path], typer.Option(help="a source image of the edit (repeatable)")] = [],  # noqa: B006
) -> None:
    """Embed a signed C2PA manifest in an output genguard allowed."""
    from genguard.media.decode import read_file
    from genguard.provenance import ManifestSigner, OutputClaim, ParentImage, sign_output

    limits = Settings().media
    try:
        claim = OutputClaim(verdict_id=verdict_id, policy=policy, generator=generator,
                            parents=[ParentImage(data=read_file(p, limits=limits), mime="application/octet-stream",
                                                 title=p.name) for p in parent])
        signed = sign_output(read_file(image, limits=limits), None, claim, ManifestSigner.from_files(cert, key), limits=limits)
    except GenguardError as exc:
        _err.print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    out.write_bytes(signed)
    typer.echo(str(out))


@app.command()
def read(
    image: Annotated[Path, typer.Argument(help="an image", exists=True, dir_okay=False)],
    trust: Annotated[Path | None, typer.Option(help="PEM trust anchors", envvar="GENGUARD_C2PA_TRUST_ANCHORS")] = None,
) -> None:
    """Validate an image's C2PA manifest and print the report as JSON (exit 1 when invalid)."""
    from genguard.media.decode import read_file
    from genguard.provenance import ProvenanceState, read_provenance

    limits = Settings().media
    try:
        report = read_provenance(read_file(image, limits=limits), trust_anchors=trust.read_bytes() if trust else None,
                                 limits=limits)
    except GenguardError as exc:
        _err.print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    for warning in report.warnings:
        _err.print(f"[bold yellow]warning[/] {warning}")
    typer.echo(report.model_dump_json(indent=2))
    if report.state is ProvenanceState.INVALID:
        raise typer.Exit(1)
