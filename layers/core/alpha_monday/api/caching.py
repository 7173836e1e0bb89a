"""How long shared caches may keep an answer, and what they must key it on."""

# A completed batch never changes again; everything else may change within the day (a
# failed batch becomes active again when it is resumed).
CACHE_COMPLETED = "public, max-age=86400, immutable"
CACHE_CHANGING = "public, max-age=60"
CACHE_NEVER = "no-store"
# Access-Control-Allow-Origin echoes the request's Origin (even with "*" allowed), so a
# shared cache must keep one copy per Origin.
VARY = {"Vary": "Origin"}
