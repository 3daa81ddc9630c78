"""Keep astroid from loading anything but the files of the repository being analysed.

astroid resolves imports through ``AstroidManager.ast_from_module_name``, which can parse installed
packages from site-packages and import compiled extension modules. While an analysis runs we replace
it with a function that serves only the modules our :class:`~mapping.project.Project` provides (parsed
from source, never imported) plus astroid's own ``builtins``; every other import fails quietly, so
inference on analysed code can never execute or import code of any kind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from astroid import nodes
from astroid.exceptions import AstroidImportError
from astroid.manager import AstroidManager

_lock = threading.RLock()
_provider: Callable[[str, str | None], nodes.Module | None] | None = None
_original = AstroidManager.ast_from_module_name


def _sandboxed(
    self: AstroidManager, modname: str | None, context_file: str | None = None, use_cache: bool = True
) -> nodes.Module:
    if modname == "builtins" and "builtins" in self.astroid_cache:
        return self.astroid_cache["builtins"]
    provider = _provider
    if modname and provider is not None:
        module = provider(modname, context_file)
        if module is not None:
            return module
    raise AstroidImportError(f"mapping sandbox: {modname!r} is not loaded")


@contextmanager
def sandbox(provider: Callable[[str, str | None], nodes.Module | None]) -> Iterator[None]:
    """Within the block astroid sees only ``builtins`` and what ``provider`` returns."""
    global _provider
    with _lock:
        previous = _provider
        if "builtins" not in AstroidManager().astroid_cache:
            AstroidManager().bootstrap()
        _provider = provider
        AstroidManager.ast_from_module_name = _sandboxed  # type: ignore[method-assign]
        try:
            yield
        finally:
            _provider = previous
            if previous is None:
                AstroidManager.ast_from_module_name = _original  # type: ignore[method-assign]
