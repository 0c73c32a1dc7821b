"""Entity extraction: KB matching, discovery of unseen names, partial names, acronyms, epithets."""
from pipeline.extract.entities.kb_rules import KbRulesExtractor  # noqa: F401  (registers entities.kb_rules.v1)
