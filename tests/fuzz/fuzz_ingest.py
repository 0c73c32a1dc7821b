"""Atheris fuzz target over ingest and extraction (see targets.check_one_file for the property).

Run: .venv/bin/python tests/fuzz/fuzz_ingest.py -runs=100000   (or `make fuzz`)
"""
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
with atheris.instrument_imports(include=["pipeline", "targets"]):
    from targets import check_one_file

WORKDIR = Path(tempfile.mkdtemp(prefix="fuzz_ingest_"))


def one_input(data: bytes) -> None:
    check_one_file(data, WORKDIR)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
