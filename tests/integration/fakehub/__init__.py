"""Tests of the fake registry as a running server (``python -m fakehub``)."""
