"""Ingest: read raw files, normalize text and dates, identify language, dedup -> articles, sentences, rejects."""
