// The page of a history read (GET /v1/models/{model}/decisions, /metrics, /drift, /retrains): $1 the model,
// [$2, $3) of data time, after the cursor ($4 data time, $5 seq), $6 rows (one more than the page, to know
// whether another follows). `at` names the table's data-time column; `condition` is " AND ..." or "".
#pragma once

#include "db/sql/time.h"

#define DRIFTGATE_SQL_PAGE(at, condition) \
  "WHERE model_id = $1 AND ($2::bigint IS NULL OR " at " >= " DRIFTGATE_SQL_FROM_US("$2")         \
  ") AND ($3::bigint IS NULL OR " at " < " DRIFTGATE_SQL_FROM_US("$3") ") AND ($4::bigint IS NULL " \
  "OR (" at ", seq) > (" DRIFTGATE_SQL_FROM_US("$4") ", $5::bigint))" condition " ORDER BY " at     \
  ", seq LIMIT $6"
