"""How long shared caches may keep an answer, and what they must key it on
(docs/edge-cache.md).

Browsers keep an answer `max-age`; the edge (CloudFront) keeps it `s-maxage`, because the
steps that change an answer invalidate it there the moment they commit: its s-maxage only
bounds how long a missed invalidation can leave it stale. `stale-if-error` lets the edge
serve its last copy while the functions or the database fail, so the site stays up.
"""

# A completed batch never changes again; everything else may change within the day (a
# failed batch becomes active again when it is resumed).
CACHE_COMPLETED = "public, max-age=86400, s-maxage=2592000, immutable, stale-if-error=2592000"
CACHE_CHANGING = (
    "public, max-age=60, s-maxage=3600, stale-while-revalidate=60, stale-if-error=86400"
)
CACHE_NEVER = "no-store"
# Access-Control-Allow-Origin echoes the request's Origin (even with "*" allowed), so a
# shared cache must keep one copy per Origin.
VARY = {"Vary": "Origin"}
