"""Domain logic: what the system does, free of HTTP, Lambda and SQL."""
