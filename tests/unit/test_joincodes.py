"""Join codes and personal tokens: shape, normalisation and the double-submit derivation."""

from __future__ import annotations

import re

from assess import joincodes


def test_new_code_uses_only_the_unambiguous_alphabet():
    for _ in range(200):
        code = joincodes.new_code()
        assert len(code) == joincodes.CODE_LENGTH
        assert set(code) <= set(joincodes.JOIN_ALPHABET)
    assert not set("01OI") & set(joincodes.JOIN_ALPHABET)


def test_normalise_code_forgives_case_spaces_and_dashes():
    assert joincodes.normalise_code(" abc-234 ") == "ABC234"
    assert joincodes.normalise_code("ab c2 34") == "ABC234"


def test_normalise_code_refuses_what_cannot_be_a_code():
    for bad in (None, "", "ABC23", "ABC2345", "ABC1O4", "ÄBC234", "ABC23<"):
        assert joincodes.normalise_code(bad) is None


def test_derived_token_is_stable_for_the_same_form_and_differs_otherwise():
    nonce = joincodes.new_nonce()
    token = joincodes.derive_token("secret", 7, nonce)
    assert token == joincodes.derive_token("secret", 7, nonce)
    assert token != joincodes.derive_token("secret", 8, nonce)
    assert token != joincodes.derive_token("other secret", 7, nonce)
    assert token != joincodes.derive_token("secret", 7, joincodes.new_nonce())
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    assert joincodes.is_token(token)


def test_random_token_has_the_same_shape():
    assert joincodes.is_token(joincodes.new_token())
    assert joincodes.new_token() != joincodes.new_token()


def test_token_shape_check_refuses_tampered_values():
    token = joincodes.new_token()
    assert not joincodes.is_token(token[:-1])
    assert not joincodes.is_token(token + "x")
    assert not joincodes.is_token(token[:-1] + "/")
    assert not joincodes.is_token(None)


def test_nonce_check():
    assert joincodes.is_nonce(joincodes.new_nonce())
    assert not joincodes.is_nonce("short")
    assert not joincodes.is_nonce(None)


def test_token_hash_is_sha256_hex():
    digest = joincodes.token_hash("abc")
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
