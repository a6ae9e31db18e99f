"""Alerts: subscriptions' digests (HTML and text, RTL for Arabic), delivered by SMTP or to an outbox."""

from alerts.delivery import DeliveryError, deliver
from alerts.digests import DigestReport, is_due, run_digests
from alerts.render import render_digest, safe_href

__all__ = ["DeliveryError", "DigestReport", "deliver", "is_due", "render_digest", "run_digests", "safe_href"]
