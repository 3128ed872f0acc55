"""Benchmarks that start the real processes (web, workers) on local PostgreSQL and Redis and print their figures."""
