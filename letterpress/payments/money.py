"""Amounts as Stripe counts them: whole minor units (cents), except in zero-decimal currencies."""

from decimal import ROUND_HALF_UP, Decimal

from letterpress.workshops.model import CURRENCY_SYMBOLS

# Currencies Stripe charges in whole units (its "zero-decimal currencies" list).
ZERO_DECIMAL = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)


def minor_units(amount: Decimal, currency: str) -> int:
    """500 USD -> 50000; 5000 JPY -> 5000."""
    exponent = 0 if currency.upper() in ZERO_DECIMAL else 2
    scaled = (Decimal(amount) * 10**exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(scaled)


def format_amount(minor: int, currency: str) -> str:
    """50000 USD -> '$500 USD'; 12345 USD -> '$123.45 USD' (as the workshop page writes prices)."""
    currency = currency.upper()
    exponent = 0 if currency in ZERO_DECIMAL else 2
    value = Decimal(minor) / 10**exponent
    text = f"{value:,.{exponent}f}".removesuffix(".00")
    symbol = CURRENCY_SYMBOLS.get(currency, "")
    return f"{symbol}{text} {currency}" if symbol else f"{text} {currency}"
