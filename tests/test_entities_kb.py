"""The entity knowledge base loader: documented columns, clear errors, countries from pycountry, the real KB."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.config import REFERENCE_DIR
from pipeline.errors import ReferenceDataError
from pipeline.extract.entities.kb import dangling_parents, load_kb, read_kb_rows

HEADER = "id,name,type,aliases,epithets,country,hq_city,sector,parent_id,leader,role,wikidata_id\n"


def write_kb(root: Path, files: dict[str, str]) -> Path:
    (root / "kb").mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (root / "kb" / name).write_text(body, encoding="utf-8")
    return root


def test_rows_read_with_documented_columns(tmp_path):
    write_kb(tmp_path, {"orgs.csv": HEADER + "org:ford,Ford,ORG,Ford Motor|FMC,ovale blu,us,Dearborn,automaker,,Jim Farley,,Q44294\n"})
    rows, files = read_kb_rows(tmp_path)
    assert files == ("orgs.csv",)
    (ford,) = rows
    assert (ford.id, ford.name, ford.type, ford.aliases, ford.epithets) == ("org:ford", "Ford", "ORG", ("Ford Motor", "FMC"), ("ovale blu",))
    assert (ford.country, ford.hq_city, ford.sector, ford.leader, ford.wikidata_id) == ("US", "Dearborn", "automaker", "Jim Farley", "Q44294")


def test_optional_columns_may_be_missing(tmp_path):
    write_kb(tmp_path, {"orgs.csv": "id,name,type\norg:ford,Ford,ORG\n"})
    (ford,) = read_kb_rows(tmp_path)[0]
    assert (ford.aliases, ford.country, ford.parent_id) == ((), None, None)


@pytest.mark.parametrize(
    "body, message",
    [
        ("id,name\norg:ford,Ford\n", "missing column(s) type"),
        (HEADER + "org:ford,Ford,COMPANY,,,,,,,,,\n", "type 'COMPANY'"),
        (HEADER + "Ford,Ford,ORG,,,,,,,,,\n", "not a lowercase slug"),
        (HEADER + "org:ford,Ford,ORG,,,,,,,,,\norg:ford,Ford Motor,ORG,,,,,,,,,\n", "already defined at orgs.csv:2"),
    ],
)
def test_malformed_rows_name_file_and_problem(tmp_path, body, message):
    write_kb(tmp_path, {"orgs.csv": body})
    with pytest.raises(ReferenceDataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_kb_rows(tmp_path)


def test_missing_kb_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ReferenceDataError, match="no knowledge base found"):
        load_kb(tmp_path)


def test_countries_come_from_pycountry_and_merge_with_kb_rows(tmp_path):
    write_kb(tmp_path, {"places.csv": HEADER + "loc:country-us,Stati Uniti,LOC,Usa|USA,,US,,country,,,,Q30\n"})
    kb = load_kb(tmp_path)
    us = kb.entities["loc:country-us"]
    assert us.name == "Stati Uniti" and us.aliases == ("Usa", "USA") and "Stati Uniti d'America" in us.generated_aliases
    assert kb.entities["loc:country-de"].name == "Germania"  # no KB row: pycountry's Italian name
    assert kb.entities["loc:country-kr"].name == "Corea del Sud"
    assert kb.entities["loc:country-tw"].name == "Taiwan"  # "Taiwan, Repubblica di Cina" is not used inverted
    assert kb.n_rows == 1


def test_ancestors_follow_parent_ids_and_stop_at_cycles(tmp_path):
    write_kb(
        tmp_path,
        {
            "orgs.csv": HEADER
            + "org:stellantis,Stellantis,ORG,,,,,,,,,\norg:fiat,Fiat,ORG,,,,,,org:stellantis,,,\n"
            + "org:a,A,ORG,,,,,,org:b,,,\norg:b,B,ORG,,,,,,org:a,,,\n",
            "products.csv": HEADER + "prod:fiat-500,Fiat 500,PRODUCT,500,,,,car_model,org:fiat,,,\n",
        },
    )
    kb = load_kb(tmp_path)
    assert kb.ancestors("prod:fiat-500") == ("org:fiat", "org:stellantis")
    assert kb.ancestors("org:a") == ("org:b",)
    assert dangling_parents(kb) == []


def test_dangling_parent_is_reported(tmp_path):
    write_kb(tmp_path, {"orgs.csv": HEADER + "org:fiat,Fiat,ORG,,,,,,org:nowhere,,,\n"})
    assert dangling_parents(load_kb(tmp_path)) == [("org:fiat", "org:nowhere")]


@pytest.mark.skipif(not (REFERENCE_DIR / "kb").is_dir(), reason="the project KB is not there")
def test_real_kb_has_400_entities_and_every_parent_resolves():
    kb = load_kb(REFERENCE_DIR)
    assert kb.n_rows >= 400
    assert dangling_parents(kb) == []
    types = {e.type for e in kb.entities.values()}
    assert types == {"PER", "ORG", "LOC", "PRODUCT", "EVENT"}


def test_real_kb_copy_loads_from_another_folder(tmp_path):
    if not (REFERENCE_DIR / "kb").is_dir():
        pytest.skip("the project KB is not there")
    shutil.copytree(REFERENCE_DIR / "kb", tmp_path / "kb")
    assert load_kb(tmp_path).n_rows == load_kb(REFERENCE_DIR).n_rows
