"""PLACEHOLDER being replaced: claim threads across articles."""
from __future__ import annotations


def build_claim_threads(claims: list[dict], published: dict) -> list[dict]:
    return []
