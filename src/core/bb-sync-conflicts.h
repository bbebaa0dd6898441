/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Library documents with conflicting versions: two councils (or two
 * laptops) changed the same document before they synced. The replica
 * keeps every version (leaf); CouchDB's rule picks a winner, but the user
 * decides: keep one version, or merge them by editing. Either way the
 * other versions are deleted (tombstoned), so the resolution replicates
 * to every peer. Runs on the store's thread. */

#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

typedef struct {
  char    *doc_id;
  char    *title;        /* the winning version's title; the id when it has none */
  guint    n_versions;   /* live versions, >= 2 */
} BbSyncConflict;

void        bb_sync_conflict_free          (BbSyncConflict  *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbSyncConflict, bb_sync_conflict_free)

/* One live version of a conflicted document, as the conflicts view shows
 * it side by side. Strings are never NULL ("" when the body lacks them). */
typedef struct {
  char        *rev;
  gboolean     winner;         /* the one CouchDB's rule shows by default */
  char        *council_id;     /* origin */
  char        *council_name;
  char        *municipality;
  char        *updated_at;     /* ISO 8601 as written by its council, or "" */
  char        *title;
  char        *summary;
  char        *body;           /* CommonMark */
  GStrv        attachments;    /* names, sorted */
} BbSyncConflictVersion;

void        bb_sync_conflict_version_free  (BbSyncConflictVersion *version);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbSyncConflictVersion, bb_sync_conflict_version_free)

/* Documents with more than one live version, by title.
 * Returns: (transfer full) (element-type BbSyncConflict) */
GPtrArray  *bb_sync_conflicts_list         (BbStore         *store,
                                            GError         **error);
/* How many documents are conflicted (for the banner); -1 on error. */
gint64      bb_sync_conflicts_count        (BbStore         *store,
                                            GError         **error);

/* The live versions of @doc_id, the winner first.
 * Returns: (transfer full) (element-type BbSyncConflictVersion): NULL
 *   with BB_REPLICA_ERROR_NOT_FOUND for an unknown document. */
GPtrArray  *bb_sync_conflicts_get_versions (BbStore         *store,
                                            const char      *doc_id,
                                            GError         **error);

/* Keeps version @rev as it is and deletes every other live version, in
 * one transaction. BB_REPLICA_ERROR_CONFLICT when @rev is no longer a
 * live version (a sync changed the document meanwhile). */
gboolean    bb_sync_conflicts_keep         (BbStore         *store,
                                            const char      *doc_id,
                                            const char      *rev,
                                            GError         **error);

/* Merges by editing: writes a new version on @base_rev (one of the live
 * versions, whose other members, origin and attachments are kept) with
 * @title, @summary and @body, and deletes every other live version, in
 * one transaction. An empty or too long title is BB_LIBRARY_ERROR_TITLE.
 * @out_rev: (optional): the merged version's revision. */
gboolean    bb_sync_conflicts_merge        (BbStore         *store,
                                            const char      *doc_id,
                                            const char      *base_rev,
                                            const char      *title,
                                            const char      *summary,
                                            const char      *body,
                                            char           **out_rev,
                                            GError         **error);

G_END_DECLS
