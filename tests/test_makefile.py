"""The Makefile documents itself: `make help` lists every target with a line, and each target parses."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {"all", "test", "lab", "clean", "build", "reports", "eval", "bench", "check", "docs"}


def documented_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-zA-Z_-]+):.*## ", text, flags=re.M))


def test_help_is_default_and_lists_every_documented_target():
    res = subprocess.run(["make", "-s", "--no-print-directory"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0
    listed = set(re.findall(r"^\s+(?:\x1b\[1m)?([a-zA-Z_-]+)", res.stdout, flags=re.M))
    assert REQUIRED <= documented_targets() == listed


def test_every_target_has_a_valid_recipe():
    for target in sorted(documented_targets() - {"help"}):
        res = subprocess.run(["make", "-n", target, "PYTHON=true"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, (target, res.stderr)
