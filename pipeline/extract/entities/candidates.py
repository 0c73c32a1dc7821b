"""Review path: discovered entities by frequency, with example contexts, ready to promote into the KB."""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pyarrow.compute as pc

from pipeline.io import read_table

CONTEXT_CHARS = 60
EXAMPLES = 2
ID_PREFIX = {"PER": "per", "ORG": "org", "LOC": "loc", "PRODUCT": "prod", "EVENT": "evt"}
KB_FILE = {"PER": "people.csv", "ORG": "organizations.csv", "LOC": "places.csv", "PRODUCT": "products.csv", "EVENT": "events.csv"}
KB_COLUMNS = "id,name,type,aliases,epithets,country,hq_city,sector,parent_id,leader,role,wikidata_id"
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_SPACES_RE = re.compile(r"\s+")


def list_candidates(out_dir: Path, limit: int = 50, min_count: int = 1) -> list[dict]:
    """Discovered entities of a build, most mentioned first: type, counts, surfaces, example contexts, a KB row.

    Mentions in duplicate articles are not counted (as in entities.n_mentions).
    """
    entities = read_table(out_dir, "entities", columns=["entity_id", "name", "type", "origin", "parent_id"])
    entities = entities.filter(pc.equal(entities["origin"], "discovered")).to_pylist()
    if not entities:
        return []
    by_id = {e["entity_id"]: e for e in entities}
    articles = read_table(out_dir, "articles", columns=["article_id", "duplicate_of"])
    duplicates = {a["article_id"] for a in articles.to_pylist() if a["duplicate_of"] is not None}
    mentions = read_table(out_dir, "mentions", columns=["article_id", "entity_id", "start", "end", "surface", "method"])
    mentions = mentions.filter(pc.is_in(mentions["entity_id"], value_set=_array(list(by_id))))
    grouped: dict[str, list[dict]] = defaultdict(list)
    for m in mentions.to_pylist():
        if m["article_id"] not in duplicates:
            grouped[m["entity_id"]].append(m)
    rows = []
    for eid, ms in grouped.items():
        if len(ms) < min_count:
            continue
        e = by_id[eid]
        surfaces: dict[str, int] = defaultdict(int)
        for m in ms:
            surfaces[m["surface"]] += 1
        rows.append(
            {
                "entity_id": eid,
                "name": e["name"],
                "type": e["type"],
                "n_mentions": len(ms),
                "n_articles": len({m["article_id"] for m in ms}),
                "surfaces": sorted(surfaces, key=lambda s: (-surfaces[s], s)),
                "parent_id": e["parent_id"],
                "_mentions": ms,
            }
        )
    rows.sort(key=lambda r: (-r["n_mentions"], -r["n_articles"], r["name"].lower()))
    rows = rows[: max(0, limit)]
    _attach_examples(out_dir, rows)
    for r in rows:
        r.pop("_mentions")
        r["kb_file"] = f"data/reference/kb/{KB_FILE.get(r['type'], 'organizations.csv')}"
        r["kb_row"] = kb_row(r)
    return rows


def _array(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def _attach_examples(out_dir: Path, rows: list[dict]) -> None:
    """Two contexts per candidate, from different articles when it has several (only those bodies are read)."""
    picks: dict[str, list[dict]] = {}
    for r in rows:
        chosen: list[dict] = []
        seen_articles: set[str] = set()
        # the name as written is a better example than a description ("il manager") or a surname
        for m in sorted(r["_mentions"], key=lambda m: (m["method"] != "discovered", m["article_id"], m["start"])):
            if m["article_id"] not in seen_articles:
                chosen.append(m)
                seen_articles.add(m["article_id"])
            if len(chosen) == EXAMPLES:
                break
        if len(chosen) < EXAMPLES:
            chosen += [m for m in r["_mentions"] if m not in chosen][: EXAMPLES - len(chosen)]
        picks[r["entity_id"]] = chosen
    needed = sorted({m["article_id"] for ms in picks.values() for m in ms})
    if not needed:
        return
    articles = read_table(out_dir, "articles", columns=["article_id", "body"])
    articles = articles.filter(pc.is_in(articles["article_id"], value_set=_array(needed)))
    bodies = {a["article_id"]: a["body"] for a in articles.to_pylist()}
    for r in rows:
        r["examples"] = [context(bodies.get(m["article_id"], ""), m["start"], m["end"]) for m in picks[r["entity_id"]]]


def context(body: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """'…left [mention] right…' on one line."""
    left = body[max(0, start - width) : start]
    right = body[end : end + width]
    text = f"{'…' if start > width else ''}{left}[{body[start:end]}]{right}{'…' if end + width < len(body) else ''}"
    return _SPACES_RE.sub(" ", text).strip()


def slug(name: str) -> str:
    """ASCII slug of a name for a KB id: 'Zhu Jiangming' -> 'zhu-jiangming'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_RE.sub("-", ascii_name).strip("-") or "entity"


def kb_row(r: dict) -> str:
    """A CSV row for the KB file of the candidate's type, to paste and complete (country, sector, ...)."""
    prefix = ID_PREFIX.get(r["type"], "org")
    aliases = "|".join(s for s in r["surfaces"] if s != r["name"] and not s[:1].islower())  # descriptions are no aliases
    name = r["name"]
    fields = [f"{prefix}:{slug(name)}", name, r["type"], aliases, "", "", "", "", r.get("parent_id") or "", "", "", ""]
    return ",".join(_csv_field(f) for f in fields)


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def format_candidates(rows: list[dict]) -> str:
    """A plain-text report of the candidates and how to promote one into the KB."""
    if not rows:
        return "No discovered entities: every name found is already in the knowledge base (or nothing was extracted yet)."
    lines = [f"{len(rows)} discovered entities, most mentioned first (not in data/reference/kb/):", ""]
    for i, r in enumerate(rows, 1):
        arts = "article" if r["n_articles"] == 1 else "articles"
        lines.append(f"{i:3d}. {r['name']}  [{r['type']}]  {r['n_mentions']} mentions in {r['n_articles']} {arts}  ({r['entity_id']})")
        if len(r["surfaces"]) > 1:
            lines.append(f"     written as: {', '.join(r['surfaces'][:6])}")
        for ex in r.get("examples", []):
            lines.append(f"     · {ex}")
        lines.append(f"     KB row for {r['kb_file']}: {r['kb_row']}")
        lines.append("")
    lines += [
        "To promote a candidate: append its KB row to the file named above (columns: " + KB_COLUMNS + "),",
        "check the type, fill country / sector / parent_id / leader where useful, move wrong aliases out,",
        "then run `make all`: the extraction cache is keyed by the reference folder, so every article is re-read",
        "and the name becomes a KB entity (origin kb) with its own id. A wrong candidate needs no action, or",
        "add its word to not_entities in data/reference/lexicon/entities_rules.yaml.",
    ]
    return "\n".join(lines)
