"""Extractors registered under versioned names ("entities.kb_rules.v1"); the name used is recorded in metadata."""
from __future__ import annotations

from collections.abc import Callable

from pipeline.errors import UnknownBackendError

_REGISTRY: dict[str, Callable] = {}


def register(name: str) -> Callable[[Callable], Callable]:
    """Decorator: make a factory available under a versioned name."""

    def wrap(factory: Callable) -> Callable:
        _REGISTRY[name] = factory
        return factory

    return wrap


def get_extractor(name: str) -> Callable:
    """The factory registered under `name`, or UnknownBackendError listing the known names."""
    _import_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "(none)"
        raise UnknownBackendError(f"no extractor named '{name}'; known: {known}") from None


def registered_names() -> list[str]:
    _import_builtin()
    return sorted(_REGISTRY)


def _import_builtin() -> None:
    # Importing the modules runs their @register decorators.
    from pipeline.extract import claims, entities, quantities, timex  # noqa: F401
