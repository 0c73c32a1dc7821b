"""Italian automotive/EV news analytics: raw articles -> Parquet tables -> DuckDB -> notebooks."""

__version__ = "0.1.0"
