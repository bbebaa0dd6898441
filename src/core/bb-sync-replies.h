/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Reading a peer's replies in the replicator (bb-replicator.c): the
 * _changes feed, _bulk_get and the per-document open_revs GET. Pure
 * functions of the parsed JSON, so that anything a peer may send can be
 * fed to them directly (tests/fuzz/fuzz-replies.c). Members of an
 * unexpected type are skipped, never trusted. Private to the core. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* {"results": [{"id", "changes": [{"rev"}, …]}, …], "last_seq", "pending"?}
 *
 * Adds to @request ({"id": ["rev", …]}, as _revs_diff takes it) each row
 * whose id the library can hold (design documents and other ids are left
 * out). @out_rows: the rows in the reply, kept or not; @out_pending: its
 * "pending" (0 when absent); @out_last_seq: (transfer full): its
 * "last_seq" exactly as sent (opaque).
 *
 * Returns: FALSE when @reply is not a changes feed (no "results" array or
 *   no "last_seq"); then nothing is set. */
gboolean   bb_sync_read_changes_reply    (JsonNode    *reply,
                                          JsonObject  *request,
                                          guint       *out_rows,
                                          gint64      *out_pending,
                                          JsonNode   **out_last_seq);

/* {"results": [{"id", "docs": [{"ok": doc} | {"error": …}, …]}, …]}
 *
 * Appends each "ok" document (a new reference) to @docs.
 * Returns: FALSE when @reply is not a _bulk_get reply (the replicator
 *   falls back to open_revs GETs); @docs is then unchanged. */
gboolean   bb_sync_read_bulk_get_reply   (JsonNode    *reply,
                                          GPtrArray   *docs);

/* [{"ok": doc} | {"missing": "rev"}, …], as GET /db/{id}?open_revs=…
 * answers. Appends each "ok" document (a new reference) to @docs.
 * Returns: FALSE when @reply is not an array. */
gboolean   bb_sync_read_open_revs_reply  (JsonNode    *reply,
                                          GPtrArray   *docs);

/* @name's value when it is a string, else NULL. Unlike json-glib's
 * json_object_get_string_member_with_default(), which logs a critical
 * when a peer sends an object or array there. */
const char *bb_sync_member_string        (JsonObject  *object,
                                          const char  *name);
/* @name's value when it is a string, else @default_value. */
const char *bb_sync_member_string_or     (JsonObject  *object,
                                          const char  *name,
                                          const char  *default_value);
/* The @index'th element of @array when it is a string, else NULL. */
const char *bb_sync_element_string       (JsonArray   *array,
                                          guint        index);
/* @name's value when it is a number (or boolean), else @default_value. */
gint64     bb_sync_member_int            (JsonObject  *object,
                                          const char  *name,
                                          gint64       default_value);
/* @name's value when it is a boolean, else @default_value. */
gboolean   bb_sync_member_bool           (JsonObject  *object,
                                          const char  *name,
                                          gboolean     default_value);
/* @name's value when it is an object (or array), else NULL; not a new
 * reference. */
JsonObject *bb_sync_member_object        (JsonObject  *object,
                                          const char  *name);
JsonArray  *bb_sync_member_array         (JsonObject  *object,
                                          const char  *name);
/* TRUE when @name is absent or holds a @type: G_TYPE_STRING,
 * G_TYPE_BOOLEAN, G_TYPE_INT64 (an integer), JSON_TYPE_OBJECT or
 * JSON_TYPE_ARRAY. A null is of no type. */
gboolean   bb_sync_member_is_type        (JsonObject  *object,
                                          const char  *name,
                                          GType        type);

G_END_DECLS
