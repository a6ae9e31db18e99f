"""Alerts: subscriptions' digests in the reader's language (HTML and text, RTL for Arabic), delivered by SMTP or
to an outbox.

The names (listed, with their types, in `__init__.pyi`) are loaded on first use (lazy_loader): `rasd label`
and `explain` speak through `rasd.alerts.i18n` without loading the digests' delivery and channels.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
