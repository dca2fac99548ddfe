"""Rendering a Report: terminal (Rich), JSON, CSV/Parquet folders, Markdown. Nothing here computes."""
