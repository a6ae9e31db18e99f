"""Refuse requests to private networks: a hostile feed must not make the monitor fetch internal addresses.

Two layers, both refusing any address that is not globally routable unicast:

- `PrivateNetworkGuard`, a downloader middleware, checks every request the downloader is about to send —
  from config, feeds, sitemaps, links and redirects alike (Scrapy sends a redirect back through the
  middlewares) — after DNS resolution, so a public name pointing at 127.0.0.1 or 169.254.169.254 is
  refused too, and the refusal is recorded by the spider as a `blocked` fetch with the reason.
- `PublicOnlyResolver`, installed as the reactor's name resolver for the crawl, drops non-public answers
  when the connection itself resolves the name. The middleware's lookup and the connection's are two
  lookups; a DNS-rebinding name that answers a public address to the first and 127.0.0.1 to the second
  finds no address to connect to. (Literal addresses are never re-resolved, so the middleware's check is
  final for them.)

`[crawler] allow_private_networks = true` turns both off (demo, tests, benchmarks); `[crawler]
allow_hosts` exempts the named hosts only (an intranet news site) — every other host is still checked.
`rasd extract URL` uses `check_url` on the URL and on every redirect it follows.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IAddress, IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer, provider

from rasd.config import failures


class BlockedUrl(ValueError):
    """A URL the policy refuses; the message is the readable reason recorded for the fetch."""


class UnresolvedHost(BlockedUrl):
    """The host does not resolve: refused (fail closed), but reported as the lookup error it is."""


def is_public_ip(address: str) -> bool:
    """Only globally routable unicast addresses are public: no loopback, RFC 1918, link-local (cloud
    metadata at 169.254.169.254), CGNAT, multicast, or IPv6 equivalents (::1, fc00::/7, fe80::/10), and an
    IPv6 address embedding IPv4 (mapped, 6to4, Teredo) is judged by the IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    embedded: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        embedded += [a for a in (ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())) if a is not None]
        if ip in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64: the last 32 bits are an IPv4 address
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return all(a.is_global and not a.is_multicast for a in embedded)


@dataclass(frozen=True)
class NetworkPolicy:
    """What the crawler may connect to: public addresses, plus private ones only when allowed."""

    allow_private: bool = False
    allow_hosts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, allow_private: bool, allow_hosts: Iterable[str]) -> NetworkPolicy:
        return cls(allow_private, frozenset(host.strip("[]").lower() for host in allow_hosts))

    def exempt(self, host: str) -> bool:
        return self.allow_private or host.strip("[]").lower() in self.allow_hosts

    def refusal(self, url: str, addresses: Sequence[str] | None = None) -> str | None:
        """Why `url` must not be fetched, or None. `addresses` are the host's, resolved by the caller."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"blocked: scheme {parts.scheme!r} is not http or https"
        host = parts.hostname or ""
        if not host:
            return "blocked: no host in the URL"
        if self.exempt(host):
            return None
        private = [address for address in (addresses or ()) if not is_public_ip(address)]
        if private:
            return (
                f"blocked: {host} resolves to non-public address {private[0]} "
                "(set [crawler] allow_private_networks or allow_hosts to crawl it)"
            )
        return None


def resolve(host: str) -> list[str]:
    """All addresses `host` resolves to (a literal address resolves to itself); OSError when it does not."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str, policy: NetworkPolicy) -> None:
    """Raise BlockedUrl unless `url` is http(s) and its host resolves to public addresses only (or is
    exempt). A name that does not resolve is refused too: fail closed."""
    reason = policy.refusal(url)
    if reason is None and not policy.exempt(host := urlsplit(url).hostname or ""):
        try:
            reason = policy.refusal(url, resolve(host))
        except OSError as error:
            raise UnresolvedHost(failures.dns_failed(host, error)) from None
    if reason:
        raise BlockedUrl(reason)


@provider(IResolutionReceiver)
class _PublicAnswers:
    """Passes on only the public addresses of a resolution."""

    def __init__(self, receiver: Any) -> None:
        self.receiver = receiver  # an IResolutionReceiver (zope interfaces are opaque to mypy)

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        host = getattr(address, "host", None)
        if host is not None and is_public_ip(str(host)):
            self.receiver.addressResolved(address)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class PublicOnlyResolver:
    """The reactor's resolver with non-public answers removed, except for exempt hosts (method and
    argument names are Twisted's interface)."""

    def __init__(self, inner: Any, policy: NetworkPolicy) -> None:
        self.inner = inner
        self.policy = policy

    def resolveHostName(
        self,
        resolutionReceiver: Any,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        receiver = resolutionReceiver if self.policy.exempt(hostName) else _PublicAnswers(resolutionReceiver)
        return self.inner.resolveHostName(receiver, hostName, portNumber, addressTypes, transportSemantics)


_reactor_resolver: dict[str, Any] = {}


def install_public_only_resolver(reactor: Any, policy: NetworkPolicy) -> None:
    """Make the reactor's connections resolve through `policy` (idempotent: wraps the original once)."""
    original = _reactor_resolver.setdefault("original", reactor.nameResolver)
    reactor.installNameResolver(original if policy.allow_private else PublicOnlyResolver(original, policy))


class PrivateNetworkGuard:
    """Downloader middleware; the refusal is recorded by the spider as a `blocked` fetch.

    A host's addresses are looked up once for `LOOKUP_SECONDS`, not for every request: a crawl asks one
    site for hundreds of pages in a few minutes, and each lookup was a thread hop and a getaddrinfo on
    the reactor's behalf (bench/bench_crawl.py). Reusing an answer that briefly opens no hole: the
    connection itself still resolves through `PublicOnlyResolver`, which drops non-public answers. A host
    the policy exempts needs no lookup, and none is made; a failed lookup is not remembered."""

    LOOKUP_SECONDS = 60.0

    def __init__(self, policy: NetworkPolicy) -> None:
        self.policy = policy
        self.looked_up: dict[str, tuple[float, list[str]]] = {}  # host → (when, its addresses)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkGuard:
        from twisted.internet import reactor

        policy = NetworkPolicy.of(
            crawler.settings.getbool("RASD_ALLOW_PRIVATE_NETWORKS"), crawler.settings.getlist("RASD_ALLOW_HOSTS")
        )
        install_public_only_resolver(reactor, policy)
        return cls(policy)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        reason = self.policy.refusal(request.url)  # the scheme and host alone: no lookup
        host = urlsplit(request.url).hostname or ""
        if reason is None and not self.policy.exempt(host):
            reason = self.policy.refusal(request.url, await self._addresses(host))
        if reason:
            raise IgnoreRequest(reason)

    async def _addresses(self, host: str) -> list[str]:
        loop = asyncio.get_running_loop()
        when, addresses = self.looked_up.get(host, (0.0, []))
        if addresses and loop.time() - when < self.LOOKUP_SECONDS:
            return addresses
        try:
            addresses = await loop.run_in_executor(None, resolve, host)
        except OSError as error:  # recorded as an error, not as a refusal (check_url's UnresolvedHost)
            raise DNSLookupError(failures.dns_failed(host, error)) from None
        self.looked_up[host] = (loop.time(), addresses)
        return addresses
