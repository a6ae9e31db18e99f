"""Settings and default data (sources, SSE lexicon, regions gazetteer), validated with readable errors.

The names (listed, with their types, in `__init__.pyi`) are loaded on first use (lazy_loader): `rasd
--help` and `--version` need none of them, and the error and region names do not load the settings'
validation (pydantic).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
