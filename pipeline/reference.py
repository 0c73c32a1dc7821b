"""Loads data/reference/ (boilerplate patterns, knowledge base, word lists) and fingerprints it."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.config import REFERENCE_DIR
from pipeline.errors import ReferenceDataError

# libyaml's parser when PyYAML was built with it (10x faster on the lexicons), else the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class BoilerplatePattern:
    """A named whole-line pattern of web boilerplate."""

    name: str
    regex: re.Pattern
    example: str | None


def load_yaml(name: str, reference_dir: Path | None = None) -> dict:
    """Parse one YAML file of the reference folder, with a clear error when it is broken."""
    path = Path(reference_dir or REFERENCE_DIR) / name
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"missing reference file {path}") from exc
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path} is not valid YAML: {exc}") from exc


@lru_cache(maxsize=4)
def boilerplate_patterns(reference_dir: Path | None = None) -> tuple[BoilerplatePattern, ...]:
    """Compiled boilerplate patterns from boilerplate.yaml (compiled once per process)."""
    data = load_yaml("boilerplate.yaml", reference_dir)
    out = []
    for i, item in enumerate(data.get("patterns", [])):
        try:
            flags = 0 if item.get("case_sensitive") else re.IGNORECASE
            regex = re.compile(item["pattern"], flags)
        except (KeyError, re.error) as exc:
            raise ReferenceDataError(f"boilerplate.yaml pattern #{i + 1} ({item.get('name')}) is invalid: {exc}") from exc
        out.append(BoilerplatePattern(item.get("name", f"pattern_{i + 1}"), regex, item.get("example")))
    return tuple(out)


def reference_fingerprint(reference_dir: Path | None = None) -> str:
    """sha256 over every file of the reference folder: part of the extraction cache key."""
    root = Path(reference_dir or REFERENCE_DIR)
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
