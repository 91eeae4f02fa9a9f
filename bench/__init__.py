"""Benchmarks: a corpus generator and the timings the issues ask for (not timed tests)."""
