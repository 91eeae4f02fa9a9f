"""invoke task collections, one module per part of the product; tasks.py gathers them."""
