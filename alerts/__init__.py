"""Alerts: subscriptions' digests in the reader's language (HTML and text, RTL for Arabic), delivered by SMTP or
to an outbox."""

from rasd.alerts.delivery import DeliveryError, deliver
from rasd.alerts.digests import DigestReport, current_slot, run_digests
from rasd.alerts.render import render_digest, safe_href

__all__ = ["DeliveryError", "DigestReport", "current_slot", "deliver", "render_digest", "run_digests", "safe_href"]
