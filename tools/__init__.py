"""Scripts that build, execute and check the series (see tools/README.md)."""
