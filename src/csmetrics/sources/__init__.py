"""Reading exports into canonical LazyFrames: files, formats, column mapping, values, validation."""

from csmetrics.sources.load import LoadedSource, load_source
from csmetrics.sources.schema import SCHEMAS, SOURCE_KINDS
from csmetrics.sources.spec import SourceSpec

__all__ = ["SCHEMAS", "SOURCE_KINDS", "LoadedSource", "SourceSpec", "load_source"]
