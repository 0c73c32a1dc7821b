"""Execution engines: local (processes) and spark; both call extract/run.py."""
