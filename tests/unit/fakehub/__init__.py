"""Unit tests of the fake registry's generated data and views (no server)."""
