"""Claims: claim detection, speaker and quote attribution, modality, threads across articles."""
from pipeline.extract.claims.rules import ClaimRulesExtractor  # noqa: F401  (registers claims.rules.v1)
