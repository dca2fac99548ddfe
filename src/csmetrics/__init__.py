"""csmetrics: customer-success metrics from exported product, help-desk, billing and survey data."""

__version__ = "0.1.0"
