"""corridor triage, knowledge rank, cascade link. Being written."""
