"""mission analyze, brand check, principles check. Being written."""
