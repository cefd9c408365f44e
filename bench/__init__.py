"""Benchmarks. Run all with ``python -m bench`` (or name some: ``python -m bench engine store``)."""
