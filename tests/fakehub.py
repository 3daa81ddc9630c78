"""Old name of the fake registry, kept as an alias: it is the top-level package ``fakehub`` now.

``python -m tests.fakehub ...`` runs ``python -m fakehub ...``; ``import tests.fakehub[.module]`` gives the very
module objects of ``fakehub`` (one copy, so classes and module state are shared). This is a module, not a package
folder, so that git's directory-rename detection carries work done under the old ``tests/fakehub/`` to ``fakehub/``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import fakehub

if __name__ == "__main__":
    from fakehub.__main__ import main

    sys.exit(main())

for _module in pkgutil.iter_modules(fakehub.__path__):
    if _module.name != "__main__":
        sys.modules[f"{__name__}.{_module.name}"] = importlib.import_module(f"fakehub.{_module.name}")
sys.modules[__name__] = fakehub
