"""Execute a notebook with a real Jupyter kernel (parameters injected papermill-style) and export self-contained HTML."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from pipeline.config import PROJECT_ROOT
from pipeline.errors import PipelineError

KERNEL_NAME = "python3"
KERNEL_TIMEOUT_S = 600
STARTUP_TIMEOUT_S = 120

# nbconvert's lab template loads require.js and MathJax from a CDN; the reports need neither
# (plotly.js is embedded by the notebooks) and must open offline, so both blocks are emptied.
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""


class NotebookFailedError(PipelineError):
    """A cell of the notebook raised while the report was being executed."""


def _skip_iri_checker() -> None:
    # nbformat validates with jsonschema, whose optional IRI checker (rfc3987_syntax) compiles a
    # grammar for ~3 s at import; notebook schemas have no IRI field, and jsonschema works without it.
    sys.modules.setdefault("rfc3987_syntax", None)


def inject_parameters(nb, params: dict):
    """Insert an `injected-parameters` cell after the cell tagged `parameters` (as papermill does)."""
    _skip_iri_checker()
    import nbformat

    src = "# Parameters\n" + "\n".join(f"{k} = {v!r}" for k, v in params.items())
    cell = nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
    idx = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), -1)
    nb.cells.insert(idx + 1, cell)
    return nb


def execute_notebook(path: Path, params: dict | None = None, timeout: int = KERNEL_TIMEOUT_S):
    """Run every cell in a fresh kernel started in the notebook's folder; raises on the first failing cell."""
    _skip_iri_checker()
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if params:
        nb = inject_parameters(nb, params)
    client = NotebookClient(
        nb, timeout=timeout, startup_timeout=STARTUP_TIMEOUT_S, kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    )
    client.execute()
    return nb


def render_html(nb) -> str:
    """HTML of an executed notebook that opens offline: plotly.js inline, no CDN scripts, no local paths."""
    _skip_iri_checker()
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"offline.html.j2": _OFFLINE_TEMPLATE})])
    exporter.template_file = "offline.html.j2"
    body, _ = exporter.from_notebook_node(scrub_local_paths(nb))
    return body


def scrub_local_paths(nb):
    """Replace this machine's paths in text outputs (warnings, tracebacks) by neutral ones."""
    replacements = sorted(
        {str(PROJECT_ROOT): ".", sys.prefix: "<venv>", sys.base_prefix: "<python>", str(Path.home()): "~"}.items(),
        key=lambda kv: -len(kv[0]),
    )
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                out["text"] = _replace_all(out["text"], replacements)
            elif out.get("output_type") == "error":
                out["traceback"] = [_replace_all(line, replacements) for line in out.get("traceback", [])]
            elif "text/plain" in out.get("data", {}):
                out["data"]["text/plain"] = _replace_all(out["data"]["text/plain"], replacements)
    return nb


def _replace_all(text, replacements: list[tuple[str, str]]):
    if isinstance(text, list):
        text = "".join(text)
    for old, new in replacements:
        if old and old != "/":
            text = text.replace(old, new)
    return text


def write_report(notebook: Path, html_path: Path, db_path: Path) -> Path:
    """Execute `notebook` against `db_path` and write the HTML report atomically.

    DB_PATH is injected relative to the notebook's folder, so the report shows no absolute path.
    """
    from nbclient.exceptions import CellExecutionError

    notebook = Path(notebook)
    db_rel = os.path.relpath(Path(db_path).resolve(), notebook.resolve().parent)
    try:
        nb = execute_notebook(notebook, {"DB_PATH": db_rel})
    except CellExecutionError as exc:
        raise NotebookFailedError(
            f"{notebook.name} failed: {exc.ename}: {exc.evalue} (open it with `make lab` to see the cell)"
        ) from None
    html = render_html(nb)
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{html_path.name}.", dir=html_path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a report is meant to be shared
        os.replace(tmp, html_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return html_path


__all__ = ["execute_notebook", "render_html", "write_report", "inject_parameters", "scrub_local_paths", "NotebookFailedError"]
