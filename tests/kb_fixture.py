"""A tiny reference folder for entity tests: the KB rows a test names plus the real entity word list."""
from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.config import REFERENCE_DIR
from pipeline.extract.entities.kb_rules import KbRulesExtractor, make_kb_rules

HEADER = "id,name,type,aliases,epithets,country,hq_city,sector,parent_id,leader,role,wikidata_id\n"


def tiny_kb_extractor(root: Path, kb: dict[str, str], lexicons: tuple[str, ...] = ("entities_rules.yaml",)) -> KbRulesExtractor:
    """entities.kb_rules.v1 over `kb` (file name -> CSV text) and only the given word lists (by default
    lexicon/entities_rules.yaml), so the tests do not depend on the full knowledge base or other lists."""
    (root / "kb").mkdir()
    for name, body in kb.items():
        (root / "kb" / name).write_text(body, encoding="utf-8")
    (root / "lexicon").mkdir()
    for name in lexicons:
        shutil.copy(REFERENCE_DIR / "lexicon" / name, root / "lexicon" / name)
    return make_kb_rules(root)
