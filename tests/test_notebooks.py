"""Every notebook is stored clean and runs in a real kernel on the seeds, on full sample tables and on an empty database."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT
from pipeline.load import queries as Q
from pipeline.load.queries import NOTEBOOK_QUERIES
from pipeline import reports
from pipeline.reports import inject_parameters

EXPECTED = ("01-corpus-overview", "02-timelines", "03-mention-frequencies", "04-claims-and-numbers")
IDS = [nb.stem for nb in NOTEBOOKS]


def test_the_four_notebooks_exist():
    assert tuple(IDS) == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_stored_clean_with_a_parameters_cell(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs are stored; clear them"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and 'DB_PATH = "../data/processed/news.duckdb"' in params[0].source
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "nb.open_db(DB_PATH)" in code, "the notebook must open the database through the package (read-only)"
    assert "from pipeline" in code
    assert not re.search(r"/(work|home|tmp|root)/", code), "no absolute paths in a notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_uses_the_shared_queries(path: Path):
    """The SQL lives in pipeline/load/queries.py: what the notebook runs is what the timing helper times."""
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    names = {id(v): k for k, v in vars(Q).items() if isinstance(v, Q.Query)}
    for query_name, query in NOTEBOOK_QUERIES[path.stem].items():
        const = names.get(id(query))
        if const is None:  # a variant of a shared query (other default parameters)
            const = next(k for k, v in vars(Q).items() if isinstance(v, Q.Query) and v.sql == query.sql)
        assert f"Q.{const}" in code, f"{path.name} does not use {const} ({query_name})"


def test_parameters_are_injected_after_the_parameters_cell():
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    inject_parameters(nb, {"DB_PATH": "../x/news.duckdb"})
    idx = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    assert nb.cells[idx + 1].metadata["tags"] == ["injected-parameters"]
    assert "DB_PATH = '../x/news.duckdb'" in nb.cells[idx + 1].source


def _check_report(reports: dict, name: str, corpus: str) -> str:
    result = reports[name]
    assert isinstance(result, Path), f"{name} failed on the {corpus} database:\n{result}"
    html = result.read_text(encoding="utf-8")
    assert "Traceback" not in html and "jp-OutputArea-output" in html
    # Offline and anonymous: no CDN scripts, no absolute path of the project or home folder.
    assert not re.search(r'<script[^>]+src="https?://', html), f"{name}: a script is loaded from the network"
    for local in (str(ROOT), str(Path.home()) + "/"):
        assert local not in html, f"{name}: the report leaks the local path {local}"
    return html


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs_on_the_seeds(seed_reports, name):
    html = _check_report(seed_reports, name, "seeds")
    if name == "01-corpus-overview":
        assert "Articles per month of publication" in html and "window.Plotly" in html


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_draws_every_chart_on_sample_tables(sample_reports, name):
    html = _check_report(sample_reports, name, "sample")
    assert html.count('class="plotly-graph-div"') >= 3
    # plotly.js is embedded once per report, not per figure.
    assert html.count("plotly.js v") == 1


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_explains_empty_tables_instead_of_failing(empty_reports, name):
    html = _check_report(empty_reports, name, "empty")
    assert "Nothing to plot here" in html
    assert 'class="plotly-graph-div"' not in html


def test_write_report_injects_the_db_path_relative_to_the_notebook(monkeypatch, tmp_path):
    seen = {}

    def fake_execute(path, params=None, timeout=0):
        seen.update(params)
        return nbformat.v4.new_notebook()

    monkeypatch.setattr(reports, "execute_notebook", fake_execute)
    html = reports.write_report(NOTEBOOKS[0], tmp_path / "r.html", ROOT / "data" / "processed" / "news.duckdb")
    assert seen == {"DB_PATH": "../data/processed/news.duckdb"}
    assert html.exists() and oct(html.stat().st_mode & 0o777) == "0o644"


def test_scrub_local_paths_in_stream_and_error_outputs():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text=f"warning in {ROOT}/pipeline/x.py"),
        nbformat.v4.new_output("error", ename="E", evalue="v", traceback=[f"File {Path.home()}/lib.py"]),
    ]
    nb.cells.append(cell)
    reports.scrub_local_paths(nb)
    assert cell.outputs[0]["text"] == "warning in ./pipeline/x.py"
    assert cell.outputs[1]["traceback"] == ["File ~/lib.py"]


def test_notebook_json_is_small():
    """Stored without outputs, each notebook stays a small diffable file."""
    for nb in NOTEBOOKS:
        assert nb.stat().st_size < 40_000, nb.name
        json.loads(nb.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_failing_cell_is_a_one_line_error_and_writes_no_report(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("DB_PATH = 'x'", metadata={"tags": ["parameters"]}), nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(nb, tmp_path / "bad.ipynb")
    with pytest.raises(reports.NotebookFailedError, match="bad.ipynb failed: ZeroDivisionError"):
        reports.write_report(tmp_path / "bad.ipynb", tmp_path / "bad.html", tmp_path / "news.duckdb")
    assert not (tmp_path / "bad.html").exists()
