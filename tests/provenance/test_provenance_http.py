"""An upload's manifest over HTTP: POST /v1/screen on a live loopback server whose trust anchors
come from the settings (``GENGUARD_C2PA_TRUST_ANCHORS``)."""

from __future__ import annotations

import httpx
import pytest

from genguard.api.app import create_app
from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.config import Settings
from genguard.guard import Guard
from genguard.provenance import OutputClaim, sign_output
from tests.conftest import serve
from tests.images import SHARED_IMAGES

pytestmark = pytest.mark.slow
ROCKET = SHARED_IMAGES / "scenes" / "falcon9_dscovr_launch_skimage.jpg"


def test_upload_manifest_is_read_into_the_verdict(database_url, store, detectors, tmp_path, dev_chain, signer):  # noqa: ANN001
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(dev_chain.root_pem)
    settings = Settings(database_url=database_url, home=tmp_path, c2pa_trust_anchors=anchors)
    signed = sign_output(ROCKET.read_bytes(), "image/jpeg",
                         OutputClaim(verdict_id="v-9", policy="uk-osa@2026.12.1", generator="tiny-sd"), signer)
    with Guard(settings, detectors=detectors, store=store) as guard, serve(create_app(settings, guard=guard)) as url:
        key = create_key(store, Role.SERVICE, "test").secret
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as client:
            def upload(data: bytes) -> dict:
                response = client.post("/v1/screen", data={"kind": "upload"},
                                       files=[("output", ("u.jpg", data, "image/jpeg"))])
                assert response.status_code == 200, response.text
                return response.json()

            verdict = upload(signed)
            assert verdict["decision"] == "allow"
            assert verdict["facts"]["provenance.trusted"] is True and verdict["facts"]["provenance.ai_generated"] is True
            assert verdict["facts"]["provenance.development"] is True
            read = verdict["signals"]["provenance"]
            assert (read["state"], read["verdict_id"], read["generator"]) == ("trusted", "v-9", "tiny-sd")
            assert any("DEVELOPMENT" in w for w in read["warnings"])
            plain = upload(ROCKET.read_bytes())
            assert plain["signals"]["provenance"]["state"] == "absent" and plain["facts"]["provenance.present"] is False
