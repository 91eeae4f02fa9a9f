"""The e-mail the inbox sends on its own: reply notifications to commenters who asked for them,
confirmations to workshop registrants, short notices to the author.

  store.py      the queue, the reply opt-ins and the link secret, in the inbox's database
  queueing.py   what each event (an approval, a reply, a comment, a registration) queues
  messages.py   each e-mail, built from templates/ (plain text and HTML)
  tokens.py     signed unsubscribe links
  transport.py  SMTP (LETTERPRESS_SMTP_URL) or the outbox (build/outbox/notifications/)
  sending.py    taking the queue, sending, recording; never the same row twice
"""
