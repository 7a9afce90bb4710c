"""``genguard gateway``: run the OpenAI-compatible images gateway in front of an image service."""

from __future__ import annotations

from typing import Annotated

import typer

from genguard.gateway.config import AuthMode


def gateway(
    upstream: Annotated[str, typer.Option(help="the image service's base URL with its /v1 (e.g. https://api.openai.com/v1)")],
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8080,
    auth: Annotated[AuthMode, typer.Option(help="keys: genguard API keys (default); passthrough: the caller's "
                                                "bearer goes to the upstream")] = AuthMode.KEYS,
    allow_url_host: Annotated[list[str] | None, typer.Option(help="host whose image URLs may be fetched over "
                                                                  "http or at a private address (repeatable)")] = None,
    public_url: Annotated[str | None, typer.Option(help="base URL callers reach the gateway at (for image URLs)")] = None,
    generator: Annotated[str | None, typer.Option(help="generator named in C2PA manifests (default: upstream host)")] = None,
) -> None:
    """Screen every images request and output; the upstream key comes from GENGUARD_UPSTREAM_API_KEY,
    the C2PA signing chain (optional) from GENGUARD_C2PA_CERT and GENGUARD_C2PA_KEY."""
    import uvicorn

    from genguard.config import Settings
    from genguard.gateway import GatewayConfig, create_gateway

    settings = Settings()
    config = GatewayConfig.from_settings(settings, upstream, auth=auth, allow_url_hosts=frozenset(allow_url_host or ()),
                                        public_url=public_url, generator=generator)
    typer.echo(f"genguard images gateway on http://{host}:{port}/v1 -> {config.upstream_url} (auth: {auth.value})")
    uvicorn.run(create_gateway(config, settings), host=host, port=port, log_level="info")
