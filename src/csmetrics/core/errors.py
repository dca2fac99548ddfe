"""Errors a user can fix. The CLI turns each into one line on stderr and exit code 2."""


class CsMetricsError(Exception):
    """A problem with the user's input, config or options (exit code 2)."""


class InputError(CsMetricsError):
    """A data file cannot be read as its contract requires."""


class ConfigError(CsMetricsError):
    """The config file or a command-line option is invalid."""


class OutputError(CsMetricsError):
    """An output cannot be written where it was asked for (a read-only folder, a file where a
    folder is needed, a full disk)."""
