"""Execute a notebook with a real Jupyter kernel (parameters injected papermill-style) and export HTML."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from pipeline.config import PROJECT_ROOT

KERNEL_TIMEOUT_S = 600


def inject_parameters(nb: nbformat.NotebookNode, params: dict) -> nbformat.NotebookNode:
    """Insert an `injected-parameters` cell after the cell tagged `parameters` (as papermill does)."""
    src = "# Parameters\n" + "\n".join(f"{k} = {v!r}" for k, v in params.items())
    cell = nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
    idx = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)
    nb.cells.insert(idx + 1, cell)
    return nb


def execute_notebook(path: Path, params: dict | None = None, timeout: int = KERNEL_TIMEOUT_S) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel started in the notebooks folder; raises on the first failing cell."""
    nb = nbformat.read(path, as_version=4)
    if params:
        nb = inject_parameters(nb, params)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(Path(path).parent)}})
    client.execute()
    return nb


def render_html(nb: nbformat.NotebookNode) -> str:
    """HTML of an executed notebook, with plotly's JavaScript embedded so it opens offline."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    body, _ = exporter.from_notebook_node(nb)
    return body


def write_report(notebook: Path, html_path: Path, db_path: Path) -> Path:
    """Execute `notebook` against `db_path` and write the HTML report atomically."""
    db_rel = os.path.relpath(Path(db_path).resolve(), Path(notebook).resolve().parent)
    nb = execute_notebook(Path(notebook), {"DB_PATH": db_rel})
    html = render_html(nb)
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{html_path.name}.", dir=html_path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(html)
    os.replace(tmp, html_path)
    return html_path


__all__ = ["execute_notebook", "render_html", "write_report", "inject_parameters", "PROJECT_ROOT"]
