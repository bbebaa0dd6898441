/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-date.h"
#include "bb-store-private.h"
#include "bb-sync.h"
#include "bb-sync-peers.h"
#include "bb-sync-tls.h"

#define LOG_KEEP 100

static const char * const direction_names[] = { "both", "pull", "push" };

const char *
bb_sync_direction_to_string (BbSyncDirection direction)
{
  g_return_val_if_fail (direction <= BB_SYNC_DIRECTION_PUSH, "both");
  return direction_names[direction];
}

gboolean
bb_sync_direction_from_string (const char      *text,
                               BbSyncDirection *out_direction)
{
  for (guint i = 0; i < G_N_ELEMENTS (direction_names); i++)
    if (g_strcmp0 (text, direction_names[i]) == 0)
      {
        *out_direction = i;
        return TRUE;
      }
  return FALSE;
}

BbSyncPeer *
bb_sync_peer_new (const char *name,
                  const char *url)
{
  BbSyncPeer *peer = g_new0 (BbSyncPeer, 1);

  peer->name = g_strdup (name != NULL ? name : "");
  peer->url = g_strdup (url);
  peer->direction = BB_SYNC_DIRECTION_BOTH;
  peer->automatic = TRUE;
  return peer;
}

BbSyncPeer *
bb_sync_peer_copy (const BbSyncPeer *peer)
{
  BbSyncPeer *copy;

  g_return_val_if_fail (peer != NULL, NULL);

  copy = bb_sync_peer_new (peer->name, peer->url);
  copy->id = g_strdup (peer->id);
  copy->username = g_strdup (peer->username);
  copy->direction = peer->direction;
  copy->automatic = peer->automatic;
  copy->fingerprint = g_strdup (peer->fingerprint);
  return copy;
}

void
bb_sync_peer_free (BbSyncPeer *peer)
{
  if (peer == NULL)
    return;
  g_free (peer->id);
  g_free (peer->name);
  g_free (peer->url);
  g_free (peer->username);
  g_free (peer->password);
  g_free (peer->fingerprint);
  g_free (peer);
}

char *
bb_sync_log_entry_format_time (const BbSyncLogEntry *entry)
{
  g_autoptr(GDateTime) when = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  when = bb_date_time_from_iso (entry->finished_at != NULL ? entry->finished_at : entry->started_at);
  return when != NULL ? bb_date_time_format_long (when) : g_strdup ("?");
}

void
bb_sync_log_entry_free (BbSyncLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->peer_url);
  g_free (entry->started_at);
  g_free (entry->finished_at);
  g_free (entry->status);
  g_free (entry->message);
  g_free (entry);
}

static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("Enter the address of the library to sync with."));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("“%s” is not a web address; it looks like http://192.168.1.20:5984/library."),
                   url);
      return FALSE;
    }

  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
bb_sync_peers_save (BbStore     *store,
                    BbSyncPeer  *peer,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *now = bb_date_time_now_iso ();
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (peer != NULL, FALSE);

  if (!check_url (peer->url, error))
    return FALSE;
  if (peer->fingerprint != NULL && *peer->fingerprint == '\0')
    g_clear_pointer (&peer->fingerprint, g_free);
  if (peer->fingerprint != NULL)
    {
      char *fingerprint = bb_sync_tls_parse_fingerprint (peer->fingerprint, error);

      if (fingerprint == NULL)
        return FALSE;
      g_free (peer->fingerprint);
      peer->fingerprint = fingerprint;
    }

  /* One statement, but through a transaction: it makes the backup an
   * opened file may still owe before its first change */
  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store,
                           "INSERT INTO sync_peer (id, name, url, username, direction, automatic, created_at, "
                           "fingerprint) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                           "ON CONFLICT (id) DO UPDATE SET name = ?2, url = ?3, username = ?4, "
                           "direction = ?5, automatic = ?6, fingerprint = ?8",
                           error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }

  if (peer->id == NULL)
    peer->id = g_uuid_string_random ();

  bind_text (stmt, 1, peer->id);
  bind_text (stmt, 2, peer->name != NULL ? peer->name : "");
  bind_text (stmt, 3, peer->url);
  bind_text (stmt, 4, peer->username);
  bind_text (stmt, 5, bb_sync_direction_to_string (peer->direction));
  sqlite3_bind_int (stmt, 6, peer->automatic ? 1 : 0);
  bind_text (stmt, 7, now);
  bind_text (stmt, 8, peer->fingerprint);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("There already is a peer with the address “%s”."), peer->url);
      bb_store_rollback (store);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not save the peer"));
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;

  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_sync_peers_remove (BbStore     *store,
                      const char  *id,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  /* The peer and any password still waiting for the keyring (cascade) */
  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, "DELETE FROM sync_peer WHERE id = ?1", error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not remove the peer"));
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;

  bb_store_emit_changed (store);
  return TRUE;
}

GPtrArray *
bb_sync_peers_list (BbStore  *store,
                    GError  **error)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_sync_peer_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  stmt = bb_store_prepare (store,
                           "SELECT id, name, url, username, direction, automatic, fingerprint "
                           "FROM sync_peer ORDER BY name COLLATE NOCASE, url",
                           error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbSyncPeer *peer = g_new0 (BbSyncPeer, 1);
      g_autofree char *direction = column_text (stmt, 4);

      peer->id = column_text (stmt, 0);
      peer->name = column_text (stmt, 1);
      peer->url = column_text (stmt, 2);
      peer->username = column_text (stmt, 3);
      bb_sync_direction_from_string (direction, &peer->direction);
      peer->automatic = sqlite3_column_int (stmt, 5) != 0;
      peer->fingerprint = column_text (stmt, 6);
      g_ptr_array_add (peers, peer);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the peers"));
      return NULL;
    }

  return g_steal_pointer (&peers);
}

gboolean
bb_sync_log_add (BbStore              *store,
                 const BbSyncLogEntry *entry,
                 GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;
  gboolean backed_up;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry != NULL && entry->peer_url != NULL, FALSE);

  /* The log is bookkeeping: a sync that changed nothing else does not
   * make the file differ from its last backup (so closing it makes no
   * backup just for a log line) */
  if (!bb_store_begin (store, error))
    return FALSE;
  /* After begin, which makes a backup the opened file still owed */
  backed_up = !bb_store_has_unsaved_changes (store);

  stmt = bb_store_prepare (store,
                           "INSERT INTO sync_log (peer_url, started_at, finished_at, direction, status, "
                           "docs_read, docs_written, doc_write_failures, message) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           error);
  if (stmt == NULL)
    goto fail;

  bind_text (stmt, 1, entry->peer_url);
  bind_text (stmt, 2, entry->started_at);
  bind_text (stmt, 3, entry->finished_at);
  bind_text (stmt, 4, bb_sync_direction_to_string (entry->direction));
  bind_text (stmt, 5, entry->status);
  sqlite3_bind_int64 (stmt, 6, entry->docs_read);
  sqlite3_bind_int64 (stmt, 7, entry->docs_written);
  sqlite3_bind_int64 (stmt, 8, entry->doc_write_failures);
  bind_text (stmt, 9, entry->message != NULL ? entry->message : "");
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not write the sync log"));
      goto fail;
    }

  stmt = bb_store_prepare (store,
                           "DELETE FROM sync_log WHERE peer_url = ?1 AND id NOT IN "
                           "(SELECT id FROM sync_log WHERE peer_url = ?1 ORDER BY id DESC LIMIT ?2)",
                           error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, entry->peer_url);
  sqlite3_bind_int (stmt, 2, LOG_KEEP);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not write the sync log"));
      goto fail;
    }

  if (!bb_store_commit (store, error))
    return FALSE;
  if (backed_up)
    bb_store_mark_backed_up (store);
  bb_store_emit_changed (store);
  return TRUE;

fail:
  bb_store_rollback (store);
  return FALSE;
}

GPtrArray *
bb_sync_log_list (BbStore     *store,
                  const char  *peer_url,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_sync_log_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  stmt = bb_store_prepare (store,
                           "SELECT id, peer_url, started_at, finished_at, direction, status, "
                           "docs_read, docs_written, doc_write_failures, message FROM sync_log "
                           "WHERE ?1 IS NULL OR peer_url = ?1 ORDER BY id DESC LIMIT ?2",
                           error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, peer_url);
  sqlite3_bind_int (stmt, 2, limit > 0 ? (int) MIN (limit, G_MAXINT) : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbSyncLogEntry *entry = g_new0 (BbSyncLogEntry, 1);
      g_autofree char *direction = column_text (stmt, 4);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->peer_url = column_text (stmt, 1);
      entry->started_at = column_text (stmt, 2);
      entry->finished_at = column_text (stmt, 3);
      bb_sync_direction_from_string (direction, &entry->direction);
      entry->status = column_text (stmt, 5);
      entry->docs_read = sqlite3_column_int64 (stmt, 6);
      entry->docs_written = sqlite3_column_int64 (stmt, 7);
      entry->doc_write_failures = sqlite3_column_int64 (stmt, 8);
      entry->message = column_text (stmt, 9);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the sync log"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}
