"""The checks plugin (not written yet: registers no handlers)."""


def register():
    pass
