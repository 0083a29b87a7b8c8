"""Benchmarks: figures beside a reference run in the same process (see RESULTS.md)."""
