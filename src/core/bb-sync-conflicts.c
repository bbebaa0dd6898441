/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-date.h"
#include "bb-library.h"
#include "bb-library-private.h"
#include "bb-replica.h"
#include "bb-store-private.h"
#include "bb-sync-conflicts.h"

void
bb_sync_conflict_free (BbSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->doc_id);
  g_free (conflict->title);
  g_free (conflict);
}

void
bb_sync_conflict_version_free (BbSyncConflictVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->rev);
  g_free (version->council_id);
  g_free (version->council_name);
  g_free (version->municipality);
  g_free (version->updated_at);
  g_free (version->title);
  g_free (version->summary);
  g_free (version->body);
  g_strfreev (version->attachments);
  g_free (version);
}

static int
compare_conflicts (gconstpointer a,
                   gconstpointer b)
{
  const BbSyncConflict *ca = *(BbSyncConflict * const *) a;
  const BbSyncConflict *cb = *(BbSyncConflict * const *) b;
  int cmp = g_utf8_collate (ca->title, cb->title);

  return cmp != 0 ? cmp : strcmp (ca->doc_id, cb->doc_id);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Live leaves per document, from the partial index on leaves: a scan of
 * the leaves, not of the bodies. The winner's title comes from its body. */
#define CONFLICTS_SQL \
  "SELECT d.doc_id, COALESCE (json_extract (w.body, '$.title'), ''), c.n" \
  " FROM (SELECT doc_key, count (*) AS n FROM replica_rev" \
  "       WHERE is_leaf = 1 AND deleted = 0 GROUP BY doc_key HAVING n > 1) AS c" \
  " JOIN replica_doc AS d ON d.doc_key = c.doc_key" \
  " LEFT JOIN replica_rev AS w ON w.rev_key = d.winner AND json_valid (w.body)"

GPtrArray *
bb_sync_conflicts_list (BbStore  *store,
                        GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  stmt = bb_store_prepare (store, CONFLICTS_SQL, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbSyncConflict *conflict = g_new0 (BbSyncConflict, 1);
      const char *title = (const char *) sqlite3_column_text (stmt, 1);

      conflict->doc_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      /* json_extract of a non-string title gives its JSON text or a number */
      if (sqlite3_column_type (stmt, 1) == SQLITE_TEXT && title != NULL && *title != '\0')
        conflict->title = g_strdup (title);
      else
        conflict->title = g_strdup (conflict->doc_id);
      conflict->n_versions = (guint) sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (list, conflict);
    }
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, "conflicts");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  g_ptr_array_sort (list, compare_conflicts);
  return g_steal_pointer (&list);
}

gint64
bb_sync_conflicts_count (BbStore  *store,
                         GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), -1);

  stmt = bb_store_prepare (store,
                           "SELECT count (*) FROM (SELECT doc_key FROM replica_rev"
                           " WHERE is_leaf = 1 AND deleted = 0 GROUP BY doc_key HAVING count (*) > 1)",
                           error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, "conflicts");
  sqlite3_reset (stmt);
  return count;
}

static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return g_strdup ("");
  node = json_object_get_member (object, name);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return g_strdup ("");
}

static BbSyncConflictVersion *
version_from_doc (JsonObject *doc,
                  gboolean    winner)
{
  BbSyncConflictVersion *version = g_new0 (BbSyncConflictVersion, 1);
  JsonObject *origin = NULL;
  JsonNode *node;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  version->rev = dup_member_string (doc, "_rev");
  version->winner = winner;
  node = json_object_get_member (doc, "origin");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    origin = json_node_get_object (node);
  version->council_id = dup_member_string (origin, "council_id");
  version->council_name = dup_member_string (origin, "council_name");
  version->municipality = dup_member_string (origin, "municipality");
  version->updated_at = dup_member_string (doc, "updated_at");
  version->title = dup_member_string (doc, "title");
  version->summary = dup_member_string (doc, "summary");
  version->body = dup_member_string (doc, "body");

  node = json_object_get_member (doc, "_attachments");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));

      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (names, g_strdup (l->data));
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  version->attachments = (GStrv) g_ptr_array_steal (names, NULL);
  return version;
}

GPtrArray *
bb_sync_conflicts_get_versions (BbStore     *store,
                                const char  *doc_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) leaves = NULL;
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_sync_conflict_version_free);

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  leaves = bb_replica_get_leaves (store, doc_id, error);
  if (leaves == NULL)
    return NULL;

  for (guint i = 0; i < leaves->len; i++)
    {
      BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);
      g_autoptr(JsonObject) doc = NULL;
      g_autoptr(GError) local_error = NULL;

      if (leaf->deleted)
        continue;
      doc = bb_replica_get (store, doc_id, leaf->rev, BB_REPLICA_GET_NONE, &local_error);
      if (doc == NULL)
        {
          /* A leaf whose body never arrived is still a version to decide on */
          if (!g_error_matches (local_error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          doc = json_object_new ();
          json_object_set_string_member (doc, "_rev", leaf->rev);
        }
      /* get_leaves puts the winner first */
      g_ptr_array_add (versions, version_from_doc (doc, i == 0));
    }

  return g_steal_pointer (&versions);
}

gboolean
bb_sync_conflicts_keep (BbStore     *store,
                        const char  *doc_id,
                        const char  *rev,
                        GError     **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (doc_id != NULL, FALSE);
  g_return_val_if_fail (rev != NULL, FALSE);

  return bb_replica_resolve_conflict (store, doc_id, rev, NULL, NULL, error);
}

gboolean
bb_sync_conflicts_merge (BbStore     *store,
                         const char  *doc_id,
                         const char  *base_rev,
                         const char  *title,
                         const char  *summary,
                         const char  *body,
                         char       **out_rev,
                         GError     **error)
{
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autoptr(GList) members = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (doc_id != NULL, FALSE);
  g_return_val_if_fail (base_rev != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (title != NULL ? title : ""));
  if (*trimmed == '\0')
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_TITLE,
                   _("The merged version needs a title."));
      return FALSE;
    }
  if (g_utf8_strlen (trimmed, -1) > BB_LIBRARY_MAX_TITLE)
    {
      g_set_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_TITLE,
                   _("The title is longer than %d characters."), BB_LIBRARY_MAX_TITLE);
      return FALSE;
    }

  doc = bb_replica_get (store, doc_id, base_rev, BB_REPLICA_GET_NONE, error);
  if (doc == NULL)
    return FALSE;

  /* Everything but CouchDB's own members, so fields a newer version
   * added survive the merge */
  members = json_object_get_members (doc);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (name[0] == '_')
        continue;
      json_object_set_member (merged, name, json_node_copy (json_object_get_member (doc, name)));
    }
  now = bb_date_time_now_iso ();
  json_object_set_string_member (merged, "title", trimmed);
  json_object_set_string_member (merged, "summary", summary != NULL ? summary : "");
  json_object_set_string_member (merged, "body", body != NULL ? body : "");
  json_object_set_string_member (merged, "updated_at", now);

  return bb_replica_resolve_conflict (store, doc_id, base_rev, merged, out_rev, error);
}
