"""ASGI entry point for uvicorn (``genguard.api.main:app``), configured from the environment."""

from genguard.api.app import create_app

app = create_app()
