"""Model-card metadata extraction: deterministic rules first, an LLM second."""
