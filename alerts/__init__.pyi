from .delivery import DeliveryError as DeliveryError
from .delivery import deliver as deliver
from .digests import DigestReport as DigestReport
from .digests import current_slot as current_slot
from .digests import run_digests as run_digests
from .digests import waiting_stories as waiting_stories
from .render import render_digest as render_digest
from .render import safe_href as safe_href
