"""Outside services: Alpha Vantage market data, OpenAI picks, and their offline stand-ins."""
