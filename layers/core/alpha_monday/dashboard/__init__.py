"""The pages (GET /, /weeks/{run_date}, ...): only their own function imports this package
and Jinja2."""
