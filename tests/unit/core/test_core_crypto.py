"""Encryption of personal data and the HMAC blind index (core/crypto.py).

Known answers are computed here with hmac/hashlib directly, not with the module under test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from cryptography.exceptions import InvalidTag

from pro_service.core import crypto

PHONE = "+8613123400001"  # fictional (libphonenumber's example range)
INDEX_KEY = "test-index-key-0123456789abcdef0123"
DATA_KEY = "test-data-key-0123456789abcdef01234"


def _expected_index(value: str, key_material: str, purpose: str) -> str:
    key = hmac.new(key_material.encode(), b"pro-service/index/v1/" + purpose.encode(),
                   hashlib.sha256).digest()
    digest = hmac.new(key, value.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:52]


def test_blind_index_is_an_hmac_under_a_key_derived_from_the_index_key() -> None:
    assert crypto.blind_index(PHONE, INDEX_KEY, "phone") == _expected_index(PHONE, INDEX_KEY, "phone")


def test_blind_index_depends_on_the_index_key() -> None:
    one = crypto.blind_index(PHONE, INDEX_KEY, "phone")
    other = crypto.blind_index(PHONE, INDEX_KEY + "x", "phone")
    assert one != other


def test_blind_index_is_not_a_plain_hash_of_the_value() -> None:
    index = crypto.blind_index(PHONE, INDEX_KEY, "phone")
    plain = hashlib.sha256(PHONE.encode())
    assert index not in (plain.hexdigest(), base64.b32encode(plain.digest()).decode()[:52])


def test_blind_index_depends_on_the_purpose_and_the_value() -> None:
    base = crypto.blind_index(PHONE, INDEX_KEY, "phone")
    assert crypto.blind_index(PHONE, INDEX_KEY, "email") != base
    assert crypto.blind_index("+8613123400002", INDEX_KEY, "phone") != base
    assert crypto.blind_index(PHONE, INDEX_KEY, "phone") == base  # deterministic: it finds rows


def test_blind_index_is_52_base32_characters() -> None:
    index = crypto.blind_index(PHONE, INDEX_KEY, "phone")
    assert len(index) == 52 and set(index) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_encrypted_value_round_trips_and_hides_the_plaintext() -> None:
    blob = crypto.encrypt(PHONE, DATA_KEY, "participants.phone")
    assert PHONE.encode() not in blob
    assert blob[:1] == b"\x01" and len(blob) == 1 + 12 + len(PHONE) + 16  # version, nonce, tag
    assert crypto.decrypt(blob, DATA_KEY, "participants.phone") == PHONE


def test_encryption_uses_aes_gcm_with_a_key_derived_from_the_data_key() -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    blob = crypto.encrypt(PHONE, DATA_KEY, "participants.phone")
    key = hmac.new(DATA_KEY.encode(), b"pro-service/data/v1", hashlib.sha256).digest()
    plain = AESGCM(key).decrypt(blob[1:13], blob[13:], b"participants.phone")
    assert plain.decode() == PHONE


def test_each_encryption_uses_a_fresh_nonce() -> None:
    first = crypto.encrypt(PHONE, DATA_KEY, "participants.phone")
    second = crypto.encrypt(PHONE, DATA_KEY, "participants.phone")
    assert first[1:13] != second[1:13] and first != second


def test_non_ascii_text_round_trips() -> None:
    blob = crypto.encrypt("李医生 +8613123400001", DATA_KEY, "staff.alert_phone")
    assert crypto.decrypt(blob, DATA_KEY, "staff.alert_phone") == "李医生 +8613123400001"


@pytest.mark.parametrize(("key", "context"), [(DATA_KEY + "x", "participants.phone"),
                                              (DATA_KEY, "staff.alert_phone")])
def test_a_wrong_key_or_context_cannot_decrypt(key: str, context: str) -> None:
    blob = crypto.encrypt(PHONE, DATA_KEY, "participants.phone")
    with pytest.raises(InvalidTag):
        crypto.decrypt(blob, key, context)


def test_a_tampered_ciphertext_is_refused() -> None:
    blob = bytearray(crypto.encrypt(PHONE, DATA_KEY, "participants.phone"))
    blob[-1] ^= 1
    with pytest.raises(InvalidTag):
        crypto.decrypt(bytes(blob), DATA_KEY, "participants.phone")


def test_an_unknown_version_byte_is_refused() -> None:
    blob = b"\x02" + crypto.encrypt(PHONE, DATA_KEY, "participants.phone")[1:]
    with pytest.raises(ValueError, match="^unknown ciphertext version$"):
        crypto.decrypt(blob, DATA_KEY, "participants.phone")


def test_token_hash_is_the_sha256_hex_of_the_token() -> None:
    assert crypto.token_hash("abc") == hashlib.sha256(b"abc").hexdigest()


def test_new_tokens_are_url_safe_random_and_sized_by_their_entropy() -> None:
    tokens = {crypto.new_token() for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) == 32 and set(t) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for t in tokens)
    assert len(crypto.new_token(8)) == 11


@pytest.mark.parametrize(("number", "masked"), [
    ("+8613123400021", "+86*********21"),
    ("+14155550123", "+1********23"),
    ("+861234", "+86**34"),
    ("+44123", "+4**23"),
    ("+4412", "***"),
    ("", "***"),
])
def test_mask_phone_keeps_the_country_code_and_last_two_digits(number: str, masked: str) -> None:
    assert crypto.mask_phone(number) == masked
