"""PostgreSQL access: one reusable connection, plain parameterised SQL, typed results."""
