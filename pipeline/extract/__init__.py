"""Extraction stages: entities, claims, quantities, time expressions; run.py applies them to one article."""
