/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Between the replica (bb-replica.c) and the library (bb-library.c). */

#include <json-glib/json-glib.h>

#include "bb-handover-private.h"
#include "bb-library.h"
#include "bb-replica.h"
#include "bb-store-private.h"

G_BEGIN_DECLS

/* A prepared statement from the store's cache (bb_store_prepare()),
 * reset and unbound when it goes out of scope, so no read transaction
 * stays open. */
typedef sqlite3_stmt BbLibStmt;
static inline void
bb_lib_stmt_reset (BbLibStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbLibStmt, bb_lib_stmt_reset)

/* Sets @error from the SQLite result @rc of a replica or library
 * statement; returns FALSE. */
gboolean  bb_library_sqlite_failed (BbStore     *store,
                                    int          rc,
                                    GError     **error);

/* Called by every replica write, inside its transaction, when the winner
 * of a document changed: brings the search index and the list index in
 * step with the new winner. @rev_key 0 (a tombstone winner or a document
 * that is not a library document) removes the document from the indexes.
 * @body: (nullable): the winner's parsed body when the caller has it,
 * else it is read ("_" members in it are ignored).
 * @defer_text: TRUE updates the list index only and notes the document in
 * library_fts_pending; its full-text row follows in
 * bb_library_flush_index() (the caller schedules it after the commit with
 * bb_library_schedule_index_flush()). */
gboolean  bb_library_index_winner  (BbStore     *store,
                                    gint64       doc_key,
                                    gint64       rev_key,
                                    JsonObject  *body,
                                    gboolean     defer_text,
                                    GError     **error);

/* Tombstones on every live leaf in @leaves (element-type BbReplicaLeaf)
 * of @doc_id, in one transaction. @out_rev: (optional) the tombstone on
 * the first live leaf (the winner when @leaves is in leaf order). */
gboolean  bb_replica_delete_leaves (BbStore     *store,
                                    const char  *doc_id,
                                    GPtrArray   *leaves,
                                    char       **out_rev,
                                    GError     **error);

/* Resolves a conflict in one transaction (bb-sync-conflicts.c): with
 * @body, writes it as a new revision on @keep_rev (its attachments kept);
 * then tombstones every other live leaf, so the resolution replicates.
 * @keep_rev must be a live leaf, else BB_REPLICA_ERROR_CONFLICT.
 * @out_rev: (optional): the new winner (@keep_rev when @body is NULL). */
gboolean  bb_replica_resolve_conflict (BbStore     *store,
                                       const char  *doc_id,
                                       const char  *keep_rev,
                                       JsonObject  *body,
                                       char       **out_rev,
                                       GError     **error);

/* The handover section "library" (docs/handover-format.md): the themes
 * and every document with its whole revision tree and attachments. For
 * feature_sections[] in bb-handover.c. */
gboolean  bb_library_handover_export (BbStore      *store,
                                      JsonBuilder  *builder,
                                      GError      **error);
gboolean  bb_library_handover_import (BbStore      *store,
                                      JsonNode     *node,
                                      GError      **error);

/* The replica's part of it: members "revs_limit", "documents" and "blobs"
 * of the open section object. Import runs inside the import's
 * transaction and writes straight to the tables. */
gboolean  bb_replica_export_section  (BbStore      *store,
                                      JsonBuilder  *builder,
                                      GError      **error);
gboolean  bb_replica_import_section  (BbStore      *store,
                                      JsonObject   *section,
                                      const char   *prefix,
                                      GError      **error);

G_END_DECLS
