"""Open every HTML report in headless Chromium, offline: plotly charts render, no JavaScript errors, a screenshot each."""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline.config import REPORTS_DIR

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio", "--remote-allow-origins=*",
    # No name resolves: a report that needs the network fails here instead of silently fetching.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
SCREENSHOT_DIR = REPORTS_DIR / "screenshots"
VIEWPORT = (1280, 900)
MAX_SCREENSHOT_HEIGHT = 3000
# How long a page may take to draw its charts once loaded (plotly.js is ~5 MB of inline script).
RENDER_TIMEOUT_S = 45
LOAD_TIMEOUT_S = 60

PLOT_STATE_JS = """
JSON.stringify({
  divs: document.querySelectorAll('.plotly-graph-div').length,
  rendered: document.querySelectorAll('.js-plotly-plot .main-svg').length,
  unrendered: Array.from(document.querySelectorAll('.plotly-graph-div')).filter(d => !d.querySelector('.main-svg')).length,
  empty_notes: Array.from(document.querySelectorAll('blockquote')).filter(b => b.textContent.includes('Nothing to plot here')).length,
  plotly: typeof window.Plotly,
  height: Math.ceil(document.documentElement.scrollHeight)
})
"""


def find_chromium() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


class DevTools:
    """A minimal Chrome DevTools Protocol client over one page's websocket (websocket-client)."""

    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=LOAD_TIMEOUT_S, suppress_origin=True, max_size=None)
        self.events: list[dict] = []
        self._next_id = 0

    def call(self, method: str, timeout: float = LOAD_TIMEOUT_S, **params) -> dict:
        self._next_id += 1
        msg_id = self._next_id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)
        raise TimeoutError(f"no answer to {method} within {timeout}s")

    def wait_event(self, method: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        for i, ev in enumerate(self.events):
            if ev.get("method") == method:
                return self.events.pop(i)
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            msg = json.loads(self.ws.recv())
            if msg.get("method") == method:
                return msg
            self.events.append(msg)
        raise TimeoutError(f"no {method} within {timeout}s")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def errors(self) -> list[str]:
        """JavaScript exceptions, console errors, error log entries and failed requests seen so far."""
        out = []
        for ev in self.events:
            method, p = ev.get("method"), ev.get("params", {})
            if method == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append(f"exception: {d.get('exception', {}).get('description') or d.get('text')}")
            elif method == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append("console.error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                e = p["entry"]
                out.append(f"log: {e.get('text')} {e.get('url', '')}".strip())
            elif method == "Network.loadingFailed" and not p.get("canceled"):
                out.append(f"request failed: {p.get('errorText')} (request {p.get('requestId')})")
        return out

    def close(self) -> None:
        self.ws.close()


class Chromium:
    """Headless Chromium with a fresh profile and a DevTools port chosen by the browser itself."""

    def __init__(self, exe: str, profile_dir: Path):
        self.profile_dir = profile_dir
        self.proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", "--remote-debugging-port=0",
             f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.port = self._wait_port()

    def _wait_port(self, timeout: float = 30) -> int:
        # Chromium writes the port it bound into DevToolsActivePort once it listens.
        marker = self.profile_dir / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self.proc.returncode} before listening")
            if marker.exists():
                lines = marker.read_text().split()
                if lines:
                    return int(lines[0])
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port")

    def new_page(self) -> DevTools:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(req, timeout=10) as resp:
            target = json.load(resp)
        return DevTools(target["webSocketDebuggerUrl"])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def inspect_report(browser: Chromium, html: Path, screenshot: Path | None) -> dict:
    """Load one report with the network switched off; return plot counts, errors, and save a screenshot."""
    page = browser.new_page()
    try:
        for domain in ("Runtime", "Log", "Page", "Network"):
            page.call(f"{domain}.enable")
        page.call("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1, uploadThroughput=-1)
        page.call("Emulation.setDeviceMetricsOverride", width=VIEWPORT[0], height=VIEWPORT[1], deviceScaleFactor=1, mobile=False)
        page.call("Page.navigate", url=html.resolve().as_uri())
        page.wait_event("Page.loadEventFired", LOAD_TIMEOUT_S)
        deadline = time.monotonic() + RENDER_TIMEOUT_S
        state = json.loads(page.evaluate(PLOT_STATE_JS))
        while state["unrendered"] and time.monotonic() < deadline:
            time.sleep(0.25)
            state = json.loads(page.evaluate(PLOT_STATE_JS))
        time.sleep(0.3)  # let late errors (resize handlers, fonts) arrive before reading them
        page.evaluate("1")
        state["errors"] = page.errors()
        if screenshot is not None:
            height = min(max(state["height"], VIEWPORT[1]), MAX_SCREENSHOT_HEIGHT)
            shot = page.call(
                "Page.captureScreenshot", format="png", captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": VIEWPORT[0], "height": height, "scale": 1},
            )
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        return state
    finally:
        page.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    exe = find_chromium()
    if exe is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
    pytest.importorskip("websocket", reason="websocket-client is needed to drive Chromium (pip install websocket-client)")
    b = Chromium(exe, tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


def _check(state: dict, html: Path, min_charts: int) -> None:
    assert not state["errors"], f"{html.name}: errors in the browser: {state['errors']}"
    assert state["unrendered"] == 0, f"{html.name}: {state['unrendered']} of {state['divs']} plotly charts did not render"
    assert state["rendered"] >= state["divs"]
    assert state["divs"] >= min_charts, f"{html.name}: expected at least {min_charts} charts, found {state['divs']}"
    if state["divs"]:
        assert state["plotly"] == "object", f"{html.name}: plotly.js is not embedded"
    else:
        assert state["empty_notes"], f"{html.name}: no chart and no note saying why"


@pytest.mark.slow
def test_seed_reports_render_offline(browser, seed_reports):
    """The reports `make reports` writes for data/raw: charts drawn, no JS errors; screenshots NN.png."""
    for name, html in seed_reports.items():
        state = inspect_report(browser, html, SCREENSHOT_DIR / f"{name[:2]}.png")
        _check(state, html, min_charts=1 if name.startswith(("01", "02")) else 0)


@pytest.mark.slow
def test_sample_reports_render_every_chart(browser, sample_reports):
    """With every table filled (sample tables), every notebook draws several charts, all rendered."""
    for name, html in sample_reports.items():
        state = inspect_report(browser, html, SCREENSHOT_DIR / f"{name[:2]}-sample.png")
        _check(state, html, min_charts=3)
        assert state["empty_notes"] == 0 or name.startswith("01"), f"{html.name}: empty-table notes despite sample data"

