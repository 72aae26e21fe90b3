"""Benchmarks of the run registry and run execution (`make bench`, see docs/PERFORMANCE.md)."""
