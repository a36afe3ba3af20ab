// The one conversion between PostgreSQL's timestamptz and the microseconds since the Unix epoch that every
// repository speaks. Macros rather than functions: the statements are string literals joined at compile
// time, and named prepared statements are keyed by their constant's address (db/exec.h).
// `$n::bigint * interval '1 microsecond'` is exact for every timestamptz (PostgreSQL keeps microseconds);
// extract(epoch ...) is numeric since PostgreSQL 14, so the round trip is exact there too.
#pragma once

// A parameter or column holding microseconds since the epoch, as a timestamptz.
#define DRIFTGATE_SQL_FROM_US(us) "(timestamptz 'epoch' + " us "::bigint * interval '1 microsecond')"
// A timestamptz expression as microseconds since the epoch (bigint).
#define DRIFTGATE_SQL_TO_US(ts) "(extract(epoch from " ts ") * 1e6)::bigint"
