"""The dashboard page (GET /): only its own function imports this package and pygal."""
