"""`make eval` scores with the same metrics as the reference scorer: the vendored copy must not drift."""
from pathlib import Path

import pytest

VENDORED = Path(__file__).resolve().parent.parent / "eval" / "score.py"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
HEADER_LINES = 2


def test_vendored_scorer_matches_reference():
    if not REFERENCE.exists():
        pytest.skip(f"reference scorer not found at {REFERENCE} (shared/ is not beside the clone)")
    lines = VENDORED.read_text(encoding="utf-8").split("\n")
    assert "\n".join(lines[:1] + lines[1 + HEADER_LINES :]) == REFERENCE.read_text(encoding="utf-8")


def test_gold_set_is_big_enough_and_well_formed():
    import json

    gold = VENDORED.parent / "gold"
    anns = sorted((gold / "ann").glob("*.json"))
    assert len(anns) >= 12
    for a in anns:
        g = json.loads(a.read_text(encoding="utf-8"))
        raw = (gold / "raw" / g["file"]).read_bytes().decode(g.get("encoding", "utf-8"))
        for c in g["claims"]:
            assert c["sentence"] in raw, (a.name, c["sentence"])
        names = {e["name"] for e in g["entities"]}
        for c in g["claims"]:
            assert c["speaker"] is None or c["speaker"] in names, (a.name, c["speaker"])
