"""The comments plugin (not written yet: registers no handlers)."""


def register():
    pass
