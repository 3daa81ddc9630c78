"""Item pipelines: validate -> normalise -> snapshot -> store."""
