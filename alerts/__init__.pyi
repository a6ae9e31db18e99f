from .copies import copies_lines as copies_lines
from .delivery import DeliveryError as DeliveryError
from .delivery import deliver as deliver
from .digests import DigestReport as DigestReport
from .digests import current_slot as current_slot
from .digests import run_digests as run_digests
from .render import render_digest as render_digest
from .render import safe_href as safe_href
