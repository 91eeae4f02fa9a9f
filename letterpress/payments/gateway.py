"""The one module that talks to Stripe, through the `stripe` library: create, read and expire a
Checkout Session, refund a payment, and verify a webhook's signature.

Every call that moves money or makes something carries an idempotency key derived from what it is
about (`hold:<id>`, `refund:<id>`), so a retried request, a second worker or a restarted inbox can
never create a second session or a second refund for the same thing: Stripe answers the first
result again.
"""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from letterpress.errors import LetterpressError

# The `stripe` library (a third of a second to import) loads when Stripe is first called, not
# with every inbox and task that never sells a seat.

# The library retries a failed network call itself (with the same idempotency key).
NETWORK_RETRIES = 2
# A webhook whose signature is older than this is refused (Stripe's own default).
SIGNATURE_TOLERANCE_SECONDS = 300


class PaymentServiceError(LetterpressError):
    """Stripe could not be reached, or refused the call; the message says which and why."""


class WebhookRejected(LetterpressError, ValueError):
    """A webhook whose signature does not verify (forged, altered, replayed late, other key)."""


@dataclass(frozen=True)
class Checkout:
    session_id: str
    url: str


@dataclass(frozen=True)
class SessionState:
    """What Stripe says of a Checkout Session now."""

    session_id: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    payment_intent: str
    amount_total: int
    currency: str  # upper case, as the ledger keeps it

    @property
    def paid(self) -> bool:
        return self.status == "complete" and self.payment_status == "paid"


class StripeGateway:
    def __init__(self, secret_key: str, webhook_secret: str, api_base: str = ""):
        import stripe

        self.webhook_secret = webhook_secret
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base.rstrip("/")} if api_base else None,
            max_network_retries=NETWORK_RETRIES,
        )

    def create_checkout(
        self,
        *,
        key: str,
        title: str,
        unit_amount: int,
        currency: str,
        quantity: int,
        email: str,
        success_url: str,
        expires_at: dt.datetime,
        metadata: dict[str, str],
    ) -> Checkout:
        params: Any = {
            "mode": "payment",
            "submit_type": "book",
            "customer_email": email,
            "success_url": success_url,
            "expires_at": int(expires_at.timestamp()),
            "metadata": metadata,
            "line_items": [
                {
                    "quantity": quantity,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": unit_amount,
                        "product_data": {"name": title},
                    },
                }
            ],
        }
        session = self._call(
            "create a Checkout Session",
            self.client.v1.checkout.sessions.create,
            params,
            {"idempotency_key": key},
        )
        return Checkout(session.id, session.url)

    def session(self, session_id: str) -> SessionState:
        found = self._call(
            f"read the Checkout Session {session_id}",
            self.client.v1.checkout.sessions.retrieve,
            session_id,
        )
        return SessionState(
            session_id=found.id,
            status=found.status or "",
            payment_status=found.payment_status or "",
            payment_intent=found.payment_intent or "",
            amount_total=found.amount_total or 0,
            currency=(found.currency or "").upper(),
        )

    def expire(self, session_id: str) -> None:
        """Close the session so nobody can pay on it any more; one already complete or expired
        is left as it is (a payment that beat us to it is handled by its webhook)."""
        import stripe

        try:
            self.client.v1.checkout.sessions.expire(session_id)
        except stripe.InvalidRequestError:
            return
        except stripe.StripeError as error:
            raise PaymentServiceError(
                f"Stripe could not expire {session_id}: {_why(error)}"
            ) from None

    def refund(
        self, *, key: str, payment_intent: str, amount: int, metadata: dict[str, str]
    ) -> str:
        refund = self._call(
            f"refund {payment_intent}",
            self.client.v1.refunds.create,
            {
                "payment_intent": payment_intent,
                "amount": amount,
                "reason": "requested_by_customer",
                "metadata": metadata,
            },
            {"idempotency_key": key},
        )
        return refund.id

    def verify(self, payload: bytes, signature: str) -> dict:
        """The event in a webhook's body, once its Stripe-Signature header verifies with the
        endpoint's secret; WebhookRejected otherwise."""
        import stripe

        try:
            stripe.Webhook.construct_event(
                payload, signature, self.webhook_secret, tolerance=SIGNATURE_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as error:
            raise WebhookRejected(f"The Stripe-Signature does not verify: {_why(error)}") from None
        except ValueError:
            raise WebhookRejected("The webhook's body is not a JSON event.") from None
        return json.loads(payload)

    @staticmethod
    def _call(what: str, method, *args):
        import stripe

        try:
            return method(*args)
        except stripe.StripeError as error:
            raise PaymentServiceError(f"Stripe could not {what}: {_why(error)}") from None


def _why(error) -> str:
    """The reason Stripe gave (a stripe.StripeError's user_message), or the error's kind."""
    return error.user_message or str(error) or type(error).__name__
