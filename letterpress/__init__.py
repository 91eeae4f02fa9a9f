"""Letterpress: content formats and logic, importable without Pelican or invoke."""
