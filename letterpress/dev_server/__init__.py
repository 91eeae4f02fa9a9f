"""The author's loop (`make serve`): serve the built site, tell open pages to reload, and decide
what an edit needs rebuilt. Pure parts and the HTTP server; no Pelican here (commands/ adapts it).
"""
