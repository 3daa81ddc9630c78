"""Unit tests: in-process only (no subprocess, no server, no network); ``pytest -m unit`` runs them alone."""
