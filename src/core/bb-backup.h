/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* How many automatic and manual backups are kept per council. */
#define BB_BACKUP_KEEP 10

typedef enum {
  BB_BACKUP_REASON_OPEN,
  BB_BACKUP_REASON_CLOSE,
  BB_BACKUP_REASON_MANUAL,
  BB_BACKUP_REASON_BEFORE_RESTORE,
  BB_BACKUP_REASON_BEFORE_MIGRATION,
} BbBackupReason;

typedef struct {
  char           *path;
  GDateTime      *created;     /* local time */
  goffset         size;        /* bytes */
  BbBackupReason  reason;
} BbBackupInfo;

void          bb_backup_info_free   (BbBackupInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbBackupInfo, bb_backup_info_free)

const char   *bb_backup_reason_get_label (BbBackupReason reason);   /* translated */

char         *bb_backup_get_dir     (const char      *backup_root,
                                     const char      *council_id);

/* Writes a backup of @store into its council's backup folder and keeps only
 * the newest BB_BACKUP_KEEP. A backup identical to the newest one is not
 * kept twice (opening a file ten times must not push out older states).
 * @out_path (nullable) receives the backup's path. */
gboolean      bb_backup_make        (BbStore         *store,
                                     BbBackupReason   reason,
                                     char           **out_path,
                                     GError         **error);

/* Newest first. Element type BbBackupInfo. */
GPtrArray    *bb_backup_list        (const char      *backup_root,
                                     const char      *council_id,
                                     GError         **error);

/* The newest backup, or NULL when there is none. */
BbBackupInfo *bb_backup_get_latest  (const char      *backup_root,
                                     const char      *council_id);

/* Replaces the open council with @backup_path. The current state is first
 * saved as a backup itself (reason BEFORE_RESTORE). The backup must be a
 * council file of the same council and not from a newer Buurtboek. */
gboolean      bb_backup_restore     (BbStore         *store,
                                     const char      *backup_path,
                                     GError         **error);

/* Copies a backup to a new council file at @dest_path (never over an
 * existing file) after checking that it is a sound council file. */
gboolean      bb_backup_restore_to_path (const char  *backup_path,
                                         const char  *dest_path,
                                         GError     **error);

G_END_DECLS
