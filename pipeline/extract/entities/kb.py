"""Load the entity knowledge base (kb/*.csv) and merge in Italian country names from pycountry."""
from __future__ import annotations

import csv
import gettext
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from pipeline.config import REFERENCE_DIR
from pipeline.errors import ReferenceDataError
from pipeline.schema import ENTITY_TYPES

KB_DIR = "kb"
REQUIRED_COLUMNS = ("id", "name", "type")
LIST_SEPARATOR = "|"
COUNTRY_ID_PREFIX = "loc:country-"
COUNTRY_SECTOR = "country"
ID_RE = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9._-]*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
# "Isole Cocos (Keeling)" -> "Isole Cocos" plus "Keeling"; "Taiwan, Repubblica di Cina" -> "Taiwan".
_PARENTHESIS_RE = re.compile(r"\s*\(([^)]*)\)")


@dataclass(frozen=True)
class KbEntity:
    """One entity of the knowledge base, as the CSV row (or pycountry) describes it."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    epithets: tuple[str, ...] = ()
    country: str | None = None
    hq_city: str | None = None
    sector: str | None = None
    parent_id: str | None = None
    leader: str | None = None
    role: str | None = None
    wikidata_id: str | None = None
    # Aliases generated at load time (pycountry names): a KB row's own aliases win over them.
    generated_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    """Every entity by id, plus where it came from."""

    entities: dict[str, KbEntity]
    n_rows: int
    files: tuple[str, ...] = ()
    children: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # entity id -> (parent, grandparent, ...): computed once, the rules ask for it per match
    lineage: dict[str, tuple[str, ...]] = field(default_factory=dict)
    makers: frozenset[str] = frozenset()  # organizations some product descends from (Ford, Xiaomi, Stellantis)

    def ancestors(self, entity_id: str) -> tuple[str, ...]:
        """parent, grandparent, ... of an entity (cycles and dangling ids stop the walk)."""
        got = self.lineage.get(entity_id)
        return got if got is not None else _walk_parents(self.entities, entity_id)


def _walk_parents(entities: dict[str, KbEntity], entity_id: str, depth: int = 4) -> tuple[str, ...]:
    out: list[str] = []
    cur = entities.get(entity_id)
    while cur is not None and cur.parent_id and len(out) < depth and cur.parent_id not in out and cur.parent_id != entity_id:
        out.append(cur.parent_id)
        cur = entities.get(cur.parent_id)
    return tuple(out)


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(dict.fromkeys(v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()))


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def read_kb_rows(reference_dir: Path | None = None) -> tuple[list[KbEntity], tuple[str, ...]]:
    """All rows of kb/*.csv as KbEntity, validated; ReferenceDataError names the file and line."""
    folder = Path(reference_dir or REFERENCE_DIR) / KB_DIR
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not files:
        raise ReferenceDataError(f"no knowledge base found: {folder} holds no *.csv file (see data/reference/README.md)")
    rows: list[KbEntity] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                header = [h.strip() for h in reader.fieldnames or []]
                missing = [c for c in REQUIRED_COLUMNS if c not in header]
                if missing:
                    raise ReferenceDataError(f"{path}: missing column(s) {', '.join(missing)} (header: {', '.join(header) or 'empty'})")
                for line, raw in enumerate(reader, start=2):
                    row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
                    if not any(row.values()):
                        continue  # blank line
                    rows.append(_entity_from_row(row, f"{path.name}:{line}", seen))
        except UnicodeDecodeError as exc:
            raise ReferenceDataError(f"{path} is not UTF-8: {exc}") from exc
        except csv.Error as exc:
            raise ReferenceDataError(f"{path} is not valid CSV: {exc}") from exc
    return rows, tuple(p.name for p in files)


def _entity_from_row(row: dict[str, str], where: str, seen: dict[str, str]) -> KbEntity:
    eid, name, typ = row.get("id", ""), row.get("name", ""), row.get("type", "").upper()
    if not eid or not name:
        raise ReferenceDataError(f"{where}: a row needs an id and a name")
    if not ID_RE.match(eid):
        raise ReferenceDataError(f"{where}: id '{eid}' is not a lowercase slug with a type prefix (e.g. org:stellantis)")
    if typ not in ENTITY_TYPES:
        raise ReferenceDataError(f"{where}: type '{row.get('type')}' of {eid} is not one of {', '.join(ENTITY_TYPES)}")
    if eid in seen:
        raise ReferenceDataError(f"{where}: id '{eid}' is already defined at {seen[eid]}")
    seen[eid] = where
    country = _opt(row.get("country"))
    qid = _opt(row.get("wikidata_id"))
    return KbEntity(
        id=eid,
        name=name,
        type=typ,
        aliases=tuple(a for a in _split(row.get("aliases")) if a != name),
        epithets=_split(row.get("epithets")),
        country=country.upper() if country else None,
        hq_city=_opt(row.get("hq_city")),
        sector=(_opt(row.get("sector")) or "").lower() or None,
        parent_id=_opt(row.get("parent_id")),
        leader=_opt(row.get("leader")),
        role=_opt(row.get("role")),
        wikidata_id=qid if qid and QID_RE.match(qid) else None,
    )


@lru_cache(maxsize=1)
def italian_country_names() -> dict[str, tuple[str, tuple[str, ...]]]:
    """ISO2 -> (Italian common name, every Italian name form) from pycountry's translations."""
    import pycountry

    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["it"])
    except OSError as exc:  # pycountry installed without its locale files
        raise ReferenceDataError(f"pycountry has no Italian country names ({exc})") from exc
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for c in pycountry.countries:
        forms: list[str] = []
        for attr in ("common_name", "name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                forms.extend(_name_forms(tr.gettext(value)))
        if not forms:  # every form had a comma: keep the part before it ("Sant'Elena")
            forms = [tr.gettext(c.name).split(",")[0].strip()]
        forms = list(dict.fromkeys(f for f in forms if f))
        out[c.alpha_2] = (forms[0], tuple(forms))
    return out


def _name_forms(name: str) -> list[str]:
    # Inverted names ("Bolivia, Stato Plurinazionale della") are skipped: the uninverted form is there too.
    if "," in name:
        return []
    inner = _PARENTHESIS_RE.findall(name)
    bare = _PARENTHESIS_RE.sub("", name).strip()
    return [bare, *(i.strip() for i in inner if i.strip() and not i.strip()[0].islower())]


def _merge_countries(rows: list[KbEntity]) -> dict[str, KbEntity]:
    entities = {e.id: e for e in rows}
    by_iso: dict[str, str] = {}
    for e in rows:
        if e.type == "LOC" and e.country and (e.id.startswith(COUNTRY_ID_PREFIX) or e.sector == COUNTRY_SECTOR):
            by_iso.setdefault(e.country, e.id)
    for iso, (common, forms) in italian_country_names().items():
        eid = by_iso.get(iso)
        if eid:
            e = entities[eid]
            extra = tuple(f for f in forms if f != e.name and f not in e.aliases)
            entities[eid] = replace(e, generated_aliases=extra, sector=e.sector or COUNTRY_SECTOR)
        else:
            eid = f"{COUNTRY_ID_PREFIX}{iso.lower()}"
            if eid in entities:  # an id taken by a row of another kind: keep the row, skip the country
                continue
            entities[eid] = KbEntity(eid, common, "LOC", (), (), iso, None, COUNTRY_SECTOR, generated_aliases=tuple(f for f in forms if f != common))
    return entities


def load_kb(reference_dir: Path | None = None) -> KnowledgeBase:
    """The KB rows plus every country (pycountry Italian names merged into the KB's loc:country-xx rows)."""
    rows, files = read_kb_rows(reference_dir)
    entities = _merge_countries(rows)
    children: dict[str, list[str]] = {}
    for e in entities.values():
        if e.parent_id:
            children.setdefault(e.parent_id, []).append(e.id)
    lineage = {eid: _walk_parents(entities, eid) for eid in entities}
    makers = frozenset(a for e in entities.values() if e.type == "PRODUCT" for a in lineage[e.id])
    return KnowledgeBase(entities, len(rows), files, {k: tuple(v) for k, v in children.items()}, lineage, makers)


def dangling_parents(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(entity id, parent_id) pairs whose parent is not in the KB."""
    return [(e.id, e.parent_id) for e in kb.entities.values() if e.parent_id and e.parent_id not in kb.entities]
