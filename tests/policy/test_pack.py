"""Policy packs load from data, reject malformed input and never evaluate code."""

import pytest

from genguard.policy.pack import PolicyError, PolicyPack, load_pack

MINIMAL = """
[pack]
name = "t"
version = "1"
[thresholds]
x = 0.5
[[rules]]
id = "r"
kinds = ["generate"]
when = ["intent.undress >= $x"]
decision = "block"
reasons = ["R"]
"""


def test_bundled_pack_loads_with_version_label():
    pack = load_pack("uk-osa")
    assert pack.label.startswith("uk-osa@")
    assert {r.spec.id for r in pack.rules} >= {"edit.intimate_real_person", "minor.edit_source"}


def test_pack_from_file_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(MINIMAL)
    pack = load_pack(str(path))
    assert pack.label == "t@1"
    assert pack.rules[0].when[0].value == 0.5


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (lambda t: t.replace("$x", "$nope"), "unknown threshold"),
        (lambda t: t.replace(">= $x", "~ 3"), "cannot parse"),
        (lambda t: t.replace('"R"', '"lower"'), "UPPER_SNAKE_CASE"),
        (lambda t: t.replace('"block"', '"maybe"'), "invalid"),
        (lambda t: t + "\n[extra]\na=1\n", "unknown sections"),
        (lambda t: t.replace("[pack]", "[pack"), "not valid TOML"),
        (lambda t: t.replace('when = ["intent.undress >= $x"]', ""), "no conditions"),
        (lambda t: t.replace("intent.undress >= $x", "__import__('os') >= 1"), "cannot parse"),
    ],
)
def test_malformed_packs_are_rejected_with_a_reason(mutation, message):
    with pytest.raises(PolicyError, match=message):
        PolicyPack.from_toml(mutation(MINIMAL))


def test_unknown_bundled_pack():
    with pytest.raises(PolicyError, match="no bundled policy pack"):
        load_pack("does-not-exist")
