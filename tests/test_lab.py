"""JupyterLab starts from the venv on a loopback port, serves the lab page and sees the notebooks; always shut down."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 15


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, token: str, timeout: float = 5) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.mark.slow
def test_jupyter_lab_serves_the_lab_page(tmp_path):
    jupyter = Path(sys.executable).with_name("jupyter")
    if not jupyter.exists():
        pytest.skip(f"jupyter is not installed next to {sys.executable}: run `make venv`")
    port, token = free_port(), secrets.token_hex(16)
    # Runtime and config files go to a temp dir: the test leaves nothing in the user's home.
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_NO_CONFIG": "1", "PYTHONUNBUFFERED": "1"}
    # CI containers run as root, which jupyter refuses unless told.
    root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    log = open(tmp_path / "lab.log", "w+")
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *root],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        status = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{log.read()[-3000:]}")
            try:
                status, _ = get(f"{base}/api/status", token)
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            time.sleep(0.5)
        assert status == 200, f"jupyter lab did not answer within {START_TIMEOUT_S}s"

        status, page = get(f"{base}/lab", token, timeout=30)
        assert status == 200
        assert "<title>JupyterLab</title>" in page and "jupyter-config-data" in page

        status, listing = get(f"{base}/api/contents/notebooks", token, timeout=30)
        assert status == 200 and "01-corpus-overview.ipynb" in listing

        assert get(f"{base}/api/contents/notebooks", "wrong-token")[0] == 403  # the token is enforced
    finally:
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group (it has kernels and terminals as children), then SIGKILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=STOP_TIMEOUT_S)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=STOP_TIMEOUT_S)
