"""The one base class for Letterpress's own errors.

Every error we raise on purpose (bad content, a bad setting, a refused request, a mailing
service that said no) derives from `LetterpressError`, so the edges catch it once: a task prints
it and exits non-zero, the inbox turns it into a 4xx. Its text is a sentence naming the file,
field or setting and saying what to do.
"""


class LetterpressError(Exception):
    """An error of ours whose message is meant for a person."""
