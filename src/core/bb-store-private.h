/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* For the other store files only (backup, handover, later features). */
sqlite3  *bb_store_get_db            (BbStore     *self);
/* BEGIN IMMEDIATE (not nestable); fails with BB_STORE_ERROR_READ_ONLY on a
 * read-only store. A failed commit rolls the transaction back. */
gboolean  bb_store_begin             (BbStore     *self,
                                      GError     **error);
gboolean  bb_store_commit            (BbStore     *self,
                                      GError     **error);
void      bb_store_rollback          (BbStore     *self);
/* Turns the connection's last SQLite error into a BB_STORE_ERROR. */
void      bb_store_set_sqlite_error  (GError     **error,
                                      sqlite3     *db,
                                      int          rc,
                                      const char  *what);
/* Prepared once per connection and kept; reset and unbound before it is
 * returned. Reset it when done, so no read transaction stays open. */
sqlite3_stmt *bb_store_prepare       (BbStore     *self,
                                      const char  *sql,
                                      GError     **error);
/* The current state is in a backup: bb_store_has_unsaved_changes() is
 * FALSE until the next write. */
void      bb_store_mark_backed_up    (BbStore     *self);
void      bb_store_emit_changed      (BbStore     *self);
/* Replaces the whole database with @src (a council file already checked
 * by the caller) in one step, through the online backup API; migrates it
 * when it is older and emits "changed". Refuses a newer file. */
gboolean  bb_store_replace_from      (BbStore     *self,
                                      const char  *src_path,
                                      GError     **error);

/* Builds a schema at exactly @version (1 … BB_STORE_SCHEMA_VERSION) in an
 * empty database: used by the migration tests to make old-version files. */
gboolean  bb_store_migrate_db        (sqlite3     *db,
                                      int          from_version,
                                      int          to_version,
                                      GError     **error);

G_END_DECLS
