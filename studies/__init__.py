"""Seed studies and benchmarks whose numbers the series quotes (see README.md); results in results/."""
