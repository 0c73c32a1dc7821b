"""Progress bars for long stages (tqdm on stderr; silent when stderr is not a terminal)."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, total: int | None = None, unit: str = "doc") -> Iterator[T]:
    """Wrap an iterable in a progress bar; PIPELINE_PROGRESS=1 forces it on, =0 off."""
    forced = os.environ.get("PIPELINE_PROGRESS")
    disable = None if forced is None else forced == "0"
    yield from tqdm(items, desc=desc, total=total, unit=unit, disable=disable, dynamic_ncols=True, leave=False)
