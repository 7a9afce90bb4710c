"""API keys: secrets shown once and stored hashed, roles, authentication, revocation."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from genguard.auth.keys import Principal, authenticate, create_key, list_keys, revoke_key
from genguard.vocabulary import Role
from genguard.errors import NotFound, RequestError
from genguard.store.db import Store
from genguard.auth.tables import ApiKeyRow


def test_secret_is_shown_once_and_stored_hashed(store: Store) -> None:
    key_id, secret = create_key(store, Role.SERVICE, "image-service")
    assert re.fullmatch(r"gg_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", secret)
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM api_keys WHERE id = :i"), {"i": key_id}).mappings().one()
    assert secret not in str(dict(row))
    assert row["secret_sha256"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret.split("_")[1] and row["role"] == "service"


def test_secret_never_in_reprs(store: Store) -> None:
    new = create_key(store, "admin", "root")
    tail = new.secret.split("_", 2)[2]
    principal = authenticate(store, new.secret)
    for text_form in (repr(new), str(new), repr(principal), repr(list_keys(store))):
        assert tail not in text_form


@pytest.mark.parametrize("role", list(Role))
def test_authenticate_returns_the_role(store: Store, role: Role) -> None:
    key_id, secret = create_key(store, role, f"{role}-key")
    principal = authenticate(store, secret)
    assert principal == Principal(key_id=key_id, name=f"{role}-key", prefix=secret.split("_")[1], role=role)


def test_wrong_and_malformed_secrets_fail(store: Store) -> None:
    _, secret = create_key(store, Role.REVIEWER, "rev")
    almost = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    for bad in (almost, "", "gg_", "gg__x", "nonsense", secret + "x", secret.replace("gg_", "xx_"), None, 42):
        assert authenticate(store, bad) is None  # type: ignore[arg-type]


def test_revoked_keys_fail(store: Store) -> None:
    key_id, secret = create_key(store, Role.SERVICE, "svc")
    other_id, other = create_key(store, Role.SERVICE, "svc2")
    info = revoke_key(store, key_id)
    assert info.revoked_at is not None
    assert revoke_key(store, key_id).revoked_at == info.revoked_at  # idempotent
    assert authenticate(store, secret) is None
    assert authenticate(store, other) is not None
    with pytest.raises(NotFound) as err:
        revoke_key(store, 9999)
    assert err.value.code == "key_not_found"


def test_last_used_is_recorded_cheaply(store: Store) -> None:
    key_id, secret = create_key(store, Role.SERVICE, "svc")
    assert list_keys(store)[0].last_used_at is None
    authenticate(store, secret)
    first = list_keys(store)[0].last_used_at
    assert first is not None
    authenticate(store, secret)  # within the granularity: no write
    assert list_keys(store)[0].last_used_at == first
    with store.transaction() as session:  # typed update: each backend's own datetime format
        session.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(last_used_at=first - timedelta(minutes=5)))
    authenticate(store, secret)
    refreshed = list_keys(store)[0].last_used_at
    assert refreshed is not None and refreshed >= first


def test_bad_role_and_name_are_rejected(store: Store) -> None:
    with pytest.raises(RequestError) as err:
        create_key(store, "superuser", "x")
    assert err.value.code == "role_invalid"
    with pytest.raises(RequestError) as err2:
        create_key(store, Role.ADMIN, "  ")
    assert err2.value.code == "key_name_invalid"
    assert list_keys(store) == []


def test_key_service_reads_one_key_and_sees_its_revocation(store) -> None:  # noqa: ANN001
    from genguard.auth.keys import KeyService

    keys = KeyService(store)
    new = keys.create(Role.REVIEWER, "alice", actor="test")
    found = keys.get(new.key_id)
    assert found is not None and (found.name, found.role, found.revoked_at) == ("alice", Role.REVIEWER, None)
    assert keys.authenticate(new.secret) is not None
    keys.revoke(new.key_id, actor="test")
    revoked = keys.get(new.key_id)
    assert revoked is not None and revoked.revoked_at is not None
    assert keys.authenticate(new.secret) is None
    assert keys.get(new.key_id + 1000) is None
    assert [k.key_id for k in keys.list()] == [new.key_id]
