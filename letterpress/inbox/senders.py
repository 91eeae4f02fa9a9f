"""What the inbox keeps of a sender's address: their network, never the address itself."""

import ipaddress
from functools import lru_cache


# A reader posts from the same address again and again, and parsing it is a noticeable share of
# the cost of a comment; the answer depends on the address alone.
@lru_cache(maxsize=4096)
def client_network(host: str | None) -> str:
    """The network a request came from, for rate limits: IPv4 /24, IPv6 /56."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return "unknown"
    prefix = 24 if address.version == 4 else 56
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
