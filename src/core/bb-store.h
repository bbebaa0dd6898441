/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-council.h"

G_BEGIN_DECLS

#define BB_STORE_ERROR (bb_store_error_quark ())

typedef enum {
  BB_STORE_ERROR_NOT_FOUND,    /* the file does not exist */
  BB_STORE_ERROR_NOT_COUNCIL,  /* not SQLite at all, or another program's database */
  BB_STORE_ERROR_TOO_NEW,      /* written by a newer Buurtboek */
  BB_STORE_ERROR_LOCKED,       /* another program is writing to it */
  BB_STORE_ERROR_CORRUPT,      /* SQLite reports damage */
  BB_STORE_ERROR_READ_ONLY,    /* no permission to write */
  BB_STORE_ERROR_EXISTS,       /* refusing to overwrite */
  BB_STORE_ERROR_FAILED,       /* any other SQLite or I/O failure */
} BbStoreError;

/* The schema this build writes. Older files are migrated on open. */
#define BB_STORE_SCHEMA_VERSION 11
/* PRAGMA application_id of every council file: "BBok". */
#define BB_STORE_APPLICATION_ID 0x42426f6b
/* The extension the file manager and the file chooser know. */
#define BB_STORE_FILE_SUFFIX ".buurtboek"

typedef enum {
  BB_STORE_OPEN_NONE      = 0,
  /* Never write the file and make no automatic backup; an older schema is
   * migrated in a private in-memory copy so it can still be read. */
  BB_STORE_OPEN_READ_ONLY = 1 << 0,
  /* When opening changes nothing in the file (its schema is current and it
   * is in WAL mode already), leave the backup on opening to the caller:
   * bb_store_needs_open_backup() says so, and the caller makes it with
   * bb_backup_make() (BB_BACKUP_REASON_OPEN) once the window shows. The
   * first bb_store_begin() makes it if the caller has not yet, so it is
   * always the state the file was found in; closing makes it if nothing
   * else did. Until then the file is query-only: a write outside
   * bb_store_begin() fails. A file that is migrated or switched to WAL
   * is backed up before that, as without this flag. */
  BB_STORE_OPEN_DEFER_BACKUP = 1 << 1,
} BbStoreOpenFlags;

#define BB_TYPE_STORE (bb_store_get_type ())
G_DECLARE_FINAL_TYPE (BbStore, bb_store, BB, STORE, GObject)

GQuark       bb_store_error_quark          (void);

/* TRUE while the backup on opening that BB_STORE_OPEN_DEFER_BACKUP left
 * to the caller has not been made. */
gboolean     bb_store_needs_open_backup    (BbStore           *self);

/* @backup_root: where automatic backups go (one folder per council inside
 * it); NULL means bb_store_get_default_backup_root(). */
BbStore     *bb_store_create               (const char        *path,
                                            BbCouncil         *council,
                                            const char        *backup_root,
                                            GError           **error);
BbStore     *bb_store_open                 (const char        *path,
                                            BbStoreOpenFlags   flags,
                                            const char        *backup_root,
                                            GError           **error);
/* Makes the closing backup (when anything changed since the last one) and
 * closes the database. Safe to call twice. */
gboolean     bb_store_close                (BbStore           *self,
                                            GError           **error);

const char  *bb_store_get_path             (BbStore           *self);
const char  *bb_store_get_backup_root      (BbStore           *self);
gboolean     bb_store_is_read_only         (BbStore           *self);
/* The schema version the file had when it was opened (before migration). */
int          bb_store_get_opened_version   (BbStore           *self);
int          bb_store_get_schema_version   (BbStore           *self);
const char  *bb_store_get_council_id       (BbStore           *self);

/* A new reference to a fresh copy: editing it changes nothing until
 * bb_store_update_council(). */
BbCouncil   *bb_store_dup_council          (BbStore           *self);
gboolean     bb_store_update_council       (BbStore           *self,
                                            BbCouncil         *council,
                                            GError           **error);

/* PRAGMA integrity_check and foreign_key_check. Returns TRUE with
 * @out_problems empty when the file is sound; each problem is one line. */
gboolean     bb_store_check                (BbStore           *self,
                                            GStrv             *out_problems,
                                            GError           **error);

/* A consistent copy of the open database at @dest_path (online backup
 * API); @dest_path must not exist. */
gboolean     bb_store_copy_to              (BbStore           *self,
                                            const char        *dest_path,
                                            GError           **error);

/* Whether anything was written since the last backup or copy. */
gboolean     bb_store_has_unsaved_changes  (BbStore           *self);

char        *bb_store_get_default_backup_root (void);
char        *bb_store_new_id               (void);

/* Emitted after the council details change or a backup is restored, so
 * every view of this file can reload. */
/* signal: "changed" */

G_END_DECLS
