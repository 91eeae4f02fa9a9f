"""Taking the money for a workshop seat: amounts, the refund policy, holds, Stripe, and the
payments ledger in the inbox's database.

The decisions (what a seat costs in minor units, what a cancellation refunds, what a late payment
becomes) are pure functions here; `gateway.py` is the only module that talks to Stripe, and
`store.py` the only one that reads and writes the ledger. The inbox wires them to its routes
(letterpress/inbox/payments.py) and the tasks to the author (commands/workshops.py).
"""
