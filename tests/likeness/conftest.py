"""The live HTTP server fixture of the API tests, for the likeness routes."""

from tests.api.conftest import live_server  # noqa: F401 - re-exported fixture
