"""Fixtures for the payment tests: a local Stripe that checks every request against Stripe's
published API description, and the real inbox over HTTP pointed at it with a workshop that costs
money in its manifest."""

import datetime as dt
import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "mailing"))  # Served, the loopback runner

from local_mailchimp import Served
from local_stripe import LocalStripe
from payment_helpers import API_KEY, WEBHOOK_SECRET, WORKSHOPS

from letterpress.clock import now_for_tests_or_real
from tests.support import TODAY, free_port


@pytest.fixture(scope="session")
def shared_stripe():
    # Stripe's clock, pinned to the same day as the inbox's (LETTERPRESS_TODAY): the rule that a
    # session lasts 30 minutes to 24 hours is checked against it.
    clock = now_for_tests_or_real({"LETTERPRESS_TODAY": TODAY})
    service = LocalStripe(API_KEY, WEBHOOK_SECRET, clock)
    with Served(service.app, free_port()) as served:
        service.url = served.url
        yield service


@pytest.fixture
def stripe_double(shared_stripe):
    """The local Stripe, empty. A request Stripe's description does not allow fails the test,
    even when the code under test swallowed the 400."""
    shared_stripe.reset()
    # Started afresh with each test, as the inbox's pinned clock is: both then run at the real
    # pace from (nearly) the same moment, as Stripe's clock and a server's do.
    shared_stripe.clock = now_for_tests_or_real({"LETTERPRESS_TODAY": TODAY})
    yield shared_stripe
    violations = shared_stripe.reset()
    assert not violations, "requests Stripe's API description does not allow:\n" + "\n".join(
        violations
    )


def stripe_env(stripe) -> dict:
    return {
        "LETTERPRESS_TODAY": TODAY,
        "LETTERPRESS_REGISTRATION_RATE": "0",
        "LETTERPRESS_NOTIFY_DELAY": "0",
        "STRIPE_SECRET_KEY": API_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": stripe.url,
    }


@pytest.fixture
def paying_inbox(start_inbox, stripe_double):
    """The real inbox, taking card payments through the local Stripe, whose webhooks it gets."""
    inbox = start_inbox(workshops=WORKSHOPS, env=stripe_env(stripe_double))
    stripe_double.webhook_url = inbox.url + "/payments/stripe/webhook"
    return inbox


@pytest.fixture
def invoice_inbox(start_inbox):
    """The real inbox with no Stripe key: workshops with a price are paid by transfer."""
    env = {"LETTERPRESS_TODAY": TODAY, "LETTERPRESS_REGISTRATION_RATE": "0"}
    return start_inbox(workshops=WORKSHOPS, env={**env, "LETTERPRESS_NOTIFY_DELAY": "0"})


@pytest.fixture(scope="session")
def http():
    with httpx.Client(timeout=30, trust_env=False) as client:
        yield client


@pytest.fixture
def inbox_now():
    """'Now' as the inbox's clock has it (LETTERPRESS_TODAY, noon UTC, then running)."""
    return now_for_tests_or_real({"LETTERPRESS_TODAY": TODAY})


__all__ = ["dt"]
