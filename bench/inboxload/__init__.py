"""The inbox load benchmark: servers, load, CPU accounting, the crash check, the report."""
