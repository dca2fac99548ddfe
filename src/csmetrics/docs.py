"""`python -m csmetrics.docs` prints docs/metrics.md from the registry."""

import sys

from csmetrics.render.catalogue import catalogue_markdown

if __name__ == "__main__":
    sys.stdout.write(catalogue_markdown())
