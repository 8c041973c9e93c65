"""The story check: what each notebook says, as checks (see stories/README.md)."""
