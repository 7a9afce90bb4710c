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


# --- inheritance: strict and adult-platform extend uk-osa ------------------------------------

CHILD_PACK = """
[pack]
name = "mine"
version = "1"
extends = "uk-osa"
remove_rules = ["upload.nudity_review"]
[thresholds]
intent = 0.7
[[rules]]
id = "text.explicit"
kinds = ["generate"]
when = ["text.explicit == true"]
decision = "review"
reasons = ["EXPLICIT_SEXUAL"]
[[rules]]
id = "mine.extra"
kinds = ["generate"]
when = ["text.child == true"]
decision = "block"
reasons = ["MINE"]
"""


def test_extends_merges_thresholds_replaces_rules_in_place_and_appends_new_ones():
    base, pack = load_pack("uk-osa"), PolicyPack.from_toml(CHILD_PACK)
    ids = [r.spec.id for r in pack.rules]
    base_ids = [r.spec.id for r in base.rules]
    assert ids == [i for i in base_ids if i != "upload.nudity_review"] + ["mine.extra"]
    assert pack.thresholds["intent"] == 0.7 and pack.thresholds["exposed"] == base.thresholds["exposed"]
    replaced = next(r for r in pack.rules if r.spec.id == "text.explicit")
    assert replaced.spec.decision.value == "review" and replaced.spec.kinds == ["generate"]
    # A base rule that reads $intent is resolved against the child's threshold.
    intimate = next(r for r in pack.rules if r.spec.id == "edit.intimate_real_person")
    assert any(c.value == 0.7 for c in intimate.any)
    assert pack.label == "mine@1" and pack.strikes == base.strikes


@pytest.mark.parametrize(("change", "message"), [
    ('remove_rules = ["upload.nudity_review"]', 'remove_rules = ["no.such.rule"]'),
    ('extends = "uk-osa"', 'extends = "no-such-pack"'),
])
def test_bad_inheritance_is_rejected(change, message):
    with pytest.raises(PolicyError):
        PolicyPack.from_toml(CHILD_PACK.replace(change, message))


@pytest.mark.parametrize("name", ["strict", "adult-platform"])
def test_bundled_packs_extend_uk_osa_and_keep_its_child_and_real_person_rules(name):
    pack, base = load_pack(name), load_pack("uk-osa")
    ids = {r.spec.id for r in pack.rules}
    assert {i for i in (r.spec.id for r in base.rules) if i.startswith(("minor.edit", "minor.text_child", "edit.",
                                                                       "generate.", "bank.", "likeness."))} <= ids


def test_escalate_if_and_escalate_are_exclusive():
    bad = MINIMAL.replace('reasons = ["R"]', 'reasons = ["R"]\nescalate = true\nescalate_if = ["x.y == true"]')
    with pytest.raises(PolicyError, match="exclude"):
        PolicyPack.from_toml(bad)
