"""A development signing chain per test session, and the licensed benign images signed with it."""

from __future__ import annotations

import pytest

from genguard.provenance import ManifestSigner
from genguard.provenance.devcert import DevChain, make_dev_chain
from tests.screening.conftest import injected_guard  # noqa: F401 - real models, injected nudity


@pytest.fixture(scope="session")
def dev_chain() -> DevChain:
    return make_dev_chain()


@pytest.fixture(scope="session")
def signer(dev_chain: DevChain) -> ManifestSigner:
    return ManifestSigner(dev_chain.chain_pem, dev_chain.key_pem)
