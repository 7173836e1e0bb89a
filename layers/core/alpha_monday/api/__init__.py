"""The read-only HTTP API (API Gateway REST, Powertools resolver)."""
