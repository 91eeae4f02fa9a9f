"""Canonical links, Open Graph, Twitter cards and JSON-LD in <head>; sitemap.xml and robots.txt."""

from .plugin import register

__all__ = ["register"]
