"""What the inbox keeps of a sender's address: their network, never the address itself."""

import ipaddress
from functools import lru_cache

IPV4_PREFIX = 24
# One IPv6 site is usually given a /48 (a home or an office a /56 or /64 inside it): counted per
# /56, one /48 had 256 allowances. The prefix is a setting (ipv6_prefix).
IPV6_PREFIX = 48


# A reader posts from the same address again and again, and parsing it is a noticeable share of
# the cost of a comment; the answer depends on the address and the prefix alone.
@lru_cache(maxsize=4096)
def client_network(host: str | None, ipv6_prefix: int = IPV6_PREFIX) -> str:
    """The network a request came from, for rate limits: IPv4 /24, IPv6 /`ipv6_prefix`."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return "unknown"
    prefix = IPV4_PREFIX if address.version == 4 else ipv6_prefix
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
