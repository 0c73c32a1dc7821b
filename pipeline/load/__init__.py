"""The DuckDB warehouse: tables, views, macros, full-text index."""
