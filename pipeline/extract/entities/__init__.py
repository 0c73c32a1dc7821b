"""Entity extraction: KB matching, discovery of unseen names, partial names, acronyms, epithets."""
from pipeline.extract.entities.kb_rules import KbRulesExtractor  # noqa: F401  (registers entities.kb_rules.v1)
from pipeline.extract.entities.spacy_model import SpacyModelExtractor  # noqa: F401  (registers entities.spacy_model.v1)
