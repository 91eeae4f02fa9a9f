"""The seo plugin (not written yet: registers no handlers)."""


def register():
    pass
