"""``genguard provenance dev-cert | sign | read`` end to end on a licensed image."""

from __future__ import annotations

import json
import stat

from typer.testing import CliRunner

from genguard.cli.main import app
from tests.images import ADULT_PORTRAIT, SHARED_IMAGES

ROCKET = SHARED_IMAGES / "scenes" / "falcon9_dscovr_launch_skimage.jpg"


def test_dev_cert_sign_and_read(tmp_path):
    runner = CliRunner()
    made = runner.invoke(app, ["provenance", "dev-cert", "--out", str(tmp_path / "certs")])
    assert made.exit_code == 0, made.output
    paths = json.loads(made.stdout)
    assert "DEVELOPMENT" in made.stderr
    assert stat.S_IMODE((tmp_path / "certs" / "dev-signing-key.pem").stat().st_mode) == 0o600
    out = tmp_path / "signed.jpg"
    signed = runner.invoke(app, ["provenance", "sign", str(ROCKET), "--out", str(out), "--verdict-id", "v-1",
                                 "--policy", "uk-osa@2026.12.1", "--generator", "tiny-sd", "--cert", paths["chain"],
                                 "--key", paths["key"], "--parent", str(ADULT_PORTRAIT)])
    assert signed.exit_code == 0, signed.output
    read = runner.invoke(app, ["provenance", "read", str(out), "--trust", paths["trust_anchor"]])
    assert read.exit_code == 0, read.output
    report = json.loads(read.stdout)
    assert (report["state"], report["verdict_id"], report["development"]) == ("trusted", "v-1", True)
    assert report["parents"][0]["title"] == ADULT_PORTRAIT.name
    assert "DEVELOPMENT" in read.stderr
    tampered = bytearray(out.read_bytes())
    tampered[-4000] ^= 0x01
    out.write_bytes(bytes(tampered))
    invalid = runner.invoke(app, ["provenance", "read", str(out), "--trust", paths["trust_anchor"]])
    assert invalid.exit_code == 1 and json.loads(invalid.stdout)["state"] == "invalid"


def test_read_of_a_non_image_is_a_coded_error(tmp_path):
    path = tmp_path / "x.jpg"
    path.write_bytes(b"not an image at all" * 10)
    result = CliRunner().invoke(app, ["provenance", "read", str(path)])
    assert result.exit_code == 2 and "media_unsupported_type" in result.stderr
