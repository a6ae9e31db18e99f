"""Scrapy's download handler imported without walking the stack (issue 16: the fixed cost of a crawl).

Scrapy keeps three renamed TLS classes under their old names (`scrapy.utils.deprecate.create_deprecated_class`
in `scrapy.core.downloader.tls` and `.contextfactory`, which its HTTP download handler imports). Each looks
up the module that made it with `inspect.stack()` and `inspect.getmodule()`: the first reads the source
file of every frame of the import under way, the second the file name of every module loaded (~1,300 in a
crawl) — 0.10–0.15 s of CPU for every crawl, `rasd sources check` and `rasd backfill`, for a `__module__`
that only a deprecation warning shows. Here that module is read from the calling frame's globals while the
handler is imported: the same `__module__`, and every name of `inspect` is back as it was afterwards.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from typing import Any

HTTP_HANDLER = "scrapy.core.downloader.handlers.http11"  # DOWNLOAD_HANDLERS_BASE's http and https


def _stack(context: int = 1) -> list[Any]:
    """What `create_deprecated_class` reads of `inspect.stack()`: the frame of its caller, at [1][0]."""
    return [None, (sys._getframe(2),)]


def _module_of(frame: types.FrameType) -> types.ModuleType | None:
    return sys.modules.get(frame.f_globals.get("__name__", ""))


def import_download_handler() -> None:
    """Import Scrapy's HTTP download handler (and its TLS modules) with the cheap look-up above."""
    if HTTP_HANDLER in sys.modules:
        return
    from scrapy.utils import deprecate

    cheap = types.ModuleType("inspect")
    cheap.__dict__.update(vars(inspect))
    cheap.__dict__.update(stack=_stack, getmodule=_module_of)
    deprecate.inspect = cheap  # type: ignore[misc]  # `inspect` as `deprecate` sees it, for the import only
    try:
        importlib.import_module(HTTP_HANDLER)
    finally:
        deprecate.inspect = inspect  # type: ignore[misc]
