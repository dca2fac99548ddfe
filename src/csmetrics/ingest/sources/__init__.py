"""Reading exports into canonical LazyFrames: files, formats, column mapping, values, validation."""

from csmetrics.ingest.sources.canonical import LoadedSource, load_source
from csmetrics.ingest.sources.schema import SCHEMAS, SOURCE_KINDS
from csmetrics.ingest.sources.spec import SourceSpec

__all__ = ["SCHEMAS", "SOURCE_KINDS", "LoadedSource", "SourceSpec", "load_source"]
