"""The workshops plugin (not written yet: registers no handlers)."""


def register():
    pass
