"""Authenticated encryption of personal data and HMAC blind indexes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"


def _derive(key_material: str, purpose: bytes) -> bytes:
    return hmac.new(key_material.encode(), purpose, hashlib.sha256).digest()


def encrypt(plaintext: str, key_material: str, context: str) -> bytes:
    """Encrypt with AES-256-GCM; the context (e.g. the table) is bound as associated data."""
    nonce = os.urandom(12)
    key = _derive(key_material, b"pro-service/data/v1")
    return _VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())


def decrypt(blob: bytes, key_material: str, context: str) -> str:
    """Decrypt a value produced by encrypt(); raises on tampering or a wrong key."""
    if blob[:1] != _VERSION:
        raise ValueError("unknown ciphertext version")
    key = _derive(key_material, b"pro-service/data/v1")
    return AESGCM(key).decrypt(blob[1:13], blob[13:], context.encode()).decode()


def blind_index(value: str, key_material: str, purpose: str) -> str:
    """A keyed hash that finds a record by an exact value without storing it."""
    key = _derive(key_material, b"pro-service/index/v1/" + purpose.encode())
    return base64.b32encode(hmac.new(key, value.encode(), hashlib.sha256).digest()).decode()[:52]


def token_hash(token: str) -> str:
    """SHA-256 of a high-entropy random token (links, API tokens)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(nbytes: int = 24) -> str:
    """A URL-safe random token with nbytes of entropy."""
    return secrets.token_urlsafe(nbytes)


def mask_phone(e164: str) -> str:
    """Show only the country code and the last two digits: +86*********21."""
    if len(e164) < 6:
        return "***"
    cc = e164[:3] if e164.startswith("+86") else e164[:2]
    return cc + "*" * (len(e164) - len(cc) - 2) + e164[-2:]
