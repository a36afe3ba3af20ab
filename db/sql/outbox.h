// The SQL of outbox: the transactional outbox of webhook and alert deliveries the dispatcher drains.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

// A delivery with every column it needs: $3 the retrain it announces (NULL for an alert), $8 extra headers
// and $9 the receiver format (NULL: none, standard), $10 the notification key of an alert (V018), $11 when
// it is first due in microseconds since the epoch (NULL: now; a carbon deferral's slot, V007). outbox is
// a local table on Citus (db/citus.cpp), so now() may stand here.
inline constexpr const char* kInsertOutbox =
    "INSERT INTO outbox (id, model_id, retrain_id, url, secret, body, secrets_key_id, headers, format, "
    "notify_key, next_attempt_at) VALUES ($1, $2, $3::uuid, $4, $5, $6, $7, $8::jsonb, $9, $10, "
    "coalesce(" DRIFTGATE_SQL_FROM_US("$11") ", now()))";
// An alert's pending notifications to the same target give way to its newest state.
inline constexpr const char* kSupersedeNotifications =
    "UPDATE outbox SET status = 'superseded', lease_until = NULL, last_error = 'superseded by a newer state' "
    "WHERE notify_key = $1 AND status = 'pending'";
// The model of a delivery, and whether it is a retrain webhook (not an alert notification).
inline constexpr const char* kOutboxOrigin =
    "SELECT model_id, retrain_id IS NOT NULL AND notify_key IS NULL FROM outbox WHERE id = $1";
inline constexpr const char* kClaimOutbox =
    "UPDATE outbox SET lease_until = now() + make_interval(secs => $2), attempts = attempts + 1 "
    "WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now() AND "
    "(lease_until IS NULL OR lease_until < now()) ORDER BY next_attempt_at LIMIT $1 FOR UPDATE "
    "SKIP LOCKED) RETURNING id, url, coalesce(secret, ''), body, attempts, coalesce(headers::text, "
    "'[]'), coalesce(format, 'standard'), secrets_key_id IS NULL";
inline constexpr const char* kOutboxDelivered =
    "UPDATE outbox SET status = $2, last_status = $3, last_error = NULL, lease_until = NULL, "
    "delivered_at = now() WHERE id = $1";
inline constexpr const char* kOutboxRetry =
    "UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2), lease_until = NULL, "
    "last_status = $3, last_error = $4 WHERE id = $1";
inline constexpr const char* kOutboxNextDue =
    "SELECT extract(epoch from (min(next_attempt_at) - now())) FROM outbox WHERE status = 'pending'";
// Pending deliveries for the backlog gauge (the partial index outbox_due keeps it an index-only count).
inline constexpr const char* kOutboxPendingCount = "SELECT count(*) FROM outbox WHERE status = 'pending'";
// A delivery the webhook allow-list refuses: terminal, never retried.
inline constexpr const char* kOutboxFailed =
    "UPDATE outbox SET status = 'failed', last_status = NULL, last_error = $2, lease_until = NULL "
    "WHERE id = $1";
inline constexpr const char* kOutboxToReseal =
    "SELECT id, coalesce(secret, ''), coalesce(headers::text, '[]'), secrets_key_id IS NULL FROM "
    "outbox WHERE secrets_key_id IS NULL OR (NOT $2 AND secrets_key_id <> $1) ORDER BY id LIMIT $3 "
    "FOR UPDATE";
inline constexpr const char* kResealOutbox =
    "UPDATE outbox SET secret = nullif($2, ''), headers = CASE WHEN headers IS NULL THEN NULL ELSE "
    "$3::jsonb END, secrets_key_id = $4 WHERE id = $1";

}  // namespace driftgate::db::sql
