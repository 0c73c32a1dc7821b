"""Property-based tests over ingest and extraction, and a short run of the atheris fuzz target."""
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))
from targets import check_extraction, check_one_file  # noqa: E402

FUZZ = Path(__file__).resolve().parent / "fuzz" / "fuzz_ingest.py"
ITALIAN_BITS = [
    "Stellantis", "Ford", "Xiaomi", "Jim Farley", "il gruppo americano", "la casa di Maranello", " ha dichiarato ", " avrebbe avviato ",
    " potrebbe ", "«", "»", "“", "”", '"', "300.000", "93,5 miliardi di dollari", "20%", "il 24 aprile", "entro il 2030", "tre minuti",
    ". ", "? ", "\n", "\n\n", " date 2025-02-14 ", "l’", "dell'", "Crediti: Xiaomi", " secondo indiscrezioni ", "Ferrari", " e ", ",",
    "SU7", "Leapmotor", " non ", " venderà ", "fra il 14 e il 15 febbraio", "A", "É", "1,5", "mila", "-", "…",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_any_format(tmp_path, data):
    check_one_file(data, tmp_path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 4), st.lists(st.sampled_from(ITALIAN_BITS), max_size=60))
def test_italianish_text_any_format(tmp_path, kind, bits):
    check_one_file(bytes([kind]) + "".join(bits).encode("utf-8"), tmp_path)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ITALIAN_BITS), min_size=1, max_size=80), st.sampled_from(["day", "month", "unknown"]))
def test_extraction_spans_and_references(bits, precision):
    import datetime as dt

    published = None if precision == "unknown" else dt.date(2025, 2, 14)
    check_extraction("a_test", "".join(bits), published, precision)


@pytest.mark.slow
def test_atheris_fuzz_short_run(tmp_path):
    pytest.importorskip("atheris")
    cmd = [sys.executable, str(FUZZ), "-runs=500", "-max_len=600", "-seed=1", f"-artifact_prefix={tmp_path}/"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
