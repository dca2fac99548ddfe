"""Reading the sources: the config, files and formats, column mapping and presets, value rules,
the Polars and Spark readers, and `Inputs`, what every family computes on."""
