"""Invitation tokens: a random link for each invited household, of which only the SHA-256 is
kept, so a copy of the database cannot be used to answer in someone's name."""

from __future__ import annotations

import hashlib
import secrets


def token_new() -> str:
    """A fresh token for one invitation link (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()
