"""Benchmarks, each against a baseline run in the same process: `make bench` prints ratios."""
