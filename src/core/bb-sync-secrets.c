/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "bb-council.h"
#include "bb-store-private.h"
#include "bb-sync-secrets.h"

G_DEFINE_QUARK (bb-sync-secrets-error-quark, bb_sync_secrets_error)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    BB_SYNC_SECRETS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "council", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "peer", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

typedef enum {
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} Op;

/* What libsecret said, as a translated error that says what it means for
 * the user; a cancellation stays one. */
static void
propagate_secret_error (GError **error,
                        GError  *secret_error,
                        Op       op)
{
  const char *reason = secret_error->message;

  if (g_error_matches (secret_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, secret_error);
      return;
    }

  switch (op)
    {
    case OP_STORE:
      g_set_error (error, BB_SYNC_SECRETS_ERROR, BB_SYNC_SECRETS_ERROR_UNAVAILABLE,
                   _("The password cannot be remembered on this computer: no keyring could be reached (%s)."),
                   reason);
      break;
    case OP_LOOKUP:
      g_set_error (error, BB_SYNC_SECRETS_ERROR, BB_SYNC_SECRETS_ERROR_UNAVAILABLE,
                   _("The remembered password cannot be read: no keyring could be reached (%s)."),
                   reason);
      break;
    case OP_CLEAR:
    default:
      g_set_error (error, BB_SYNC_SECRETS_ERROR, BB_SYNC_SECRETS_ERROR_UNAVAILABLE,
                   _("The remembered password could not be removed: no keyring could be reached (%s)."),
                   reason);
      break;
    }
  g_error_free (secret_error);
}

static GHashTable *
peer_attributes (const char       *council_id,
                 const BbSyncPeer *peer)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, "council", g_strdup (council_id));
  g_hash_table_insert (attributes, "peer", g_strdup (peer->id));
  g_hash_table_insert (attributes, "url", g_strdup (peer->url));
  g_hash_table_insert (attributes, "user", g_strdup (peer->username != NULL ? peer->username : ""));
  return attributes;
}

static GHashTable *
clear_attributes (const char *council_id,
                  const char *peer_id)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, "council", g_strdup (council_id));
  g_hash_table_insert (attributes, "peer", g_strdup (peer_id));
  return attributes;
}

char *
bb_sync_secrets_label (const char       *council_name,
                       const BbSyncPeer *peer)
{
  const char *peer_name = peer->name != NULL && peer->name[0] != '\0' ? peer->name : peer->url;

  /* Translators: the keyring item's name as Seahorse shows it, e.g.
   * "Buurtboek: Wijkraad De Dommelhoek → Hub Eindhoven" */
  return g_strdup_printf (_("Buurtboek: %s → %s"),
                          council_name != NULL && council_name[0] != '\0' ? council_name : _("Council"),
                          peer_name);
}

static gboolean
check_peer (const char        *council_id,
            const BbSyncPeer  *peer)
{
  g_return_val_if_fail (council_id != NULL, FALSE);
  g_return_val_if_fail (peer != NULL && peer->id != NULL && peer->url != NULL, FALSE);
  return TRUE;
}

/* Store */

static void
on_store_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      GError *translated = NULL;

      propagate_secret_error (&translated, error, OP_STORE);
      g_task_return_error (task, translated);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
bb_sync_secrets_store_async (const char          *council_id,
                             const char          *council_name,
                             const BbSyncPeer    *peer,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (check_peer (council_id, peer));
  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_sync_secrets_store_async);
  attributes = peer_attributes (council_id, peer);
  label = bb_sync_secrets_label (council_name, peer);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, password,
                          cancellable, on_store_done_cb, task);
}

gboolean
bb_sync_secrets_store_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
bb_sync_secrets_store_sync (const char        *council_id,
                            const char        *council_name,
                            const BbSyncPeer  *peer,
                            const char        *password,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GError *secret_error = NULL;

  g_return_val_if_fail (check_peer (council_id, peer), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  attributes = peer_attributes (council_id, peer);
  label = bb_sync_secrets_label (council_name, peer);
  if (!secret_password_storev_sync (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label,
                                    password, cancellable, &secret_error))
    {
      propagate_secret_error (error, secret_error, OP_STORE);
      return FALSE;
    }
  return TRUE;
}

/* Update: the remembered password follows an edited peer */

typedef struct {
  char       *council_id;
  char       *council_name;
  BbSyncPeer *old_peer;
  BbSyncPeer *new_peer;
  char       *password;
} UpdateData;

static void
update_data_free (UpdateData *data)
{
  g_free (data->council_id);
  g_free (data->council_name);
  bb_sync_peer_free (data->old_peer);
  bb_sync_peer_free (data->new_peer);
  g_clear_pointer (&data->password, secret_password_free);
  g_free (data);
}

gboolean
bb_sync_secrets_update_sync (const char        *council_id,
                             const char        *council_name,
                             const BbSyncPeer  *old_peer,
                             const BbSyncPeer  *new_peer,
                             const char        *password,
                             GCancellable      *cancellable,
                             GError           **error)
{
  char *remembered = NULL;
  gboolean ok;

  g_return_val_if_fail (check_peer (council_id, old_peer), FALSE);
  g_return_val_if_fail (check_peer (council_id, new_peer), FALSE);
  g_return_val_if_fail (g_strcmp0 (old_peer->id, new_peer->id) == 0, FALSE);

  if (password == NULL)
    {
      GError *lookup_error = NULL;

      remembered = bb_sync_secrets_lookup_sync (council_id, old_peer, cancellable, &lookup_error);
      if (lookup_error != NULL)
        {
          g_propagate_error (error, lookup_error);
          return FALSE;
        }
      /* Nothing remembered: nothing to follow the peer */
      if (remembered == NULL)
        return TRUE;
    }

  /* Cleared first, so no entry keeps the old address, user or label */
  ok = bb_sync_secrets_clear_sync (council_id, old_peer->id, cancellable, error) &&
       bb_sync_secrets_store_sync (council_id, council_name, new_peer,
                                   password != NULL ? password : remembered, cancellable, error);
  g_clear_pointer (&remembered, secret_password_free);
  return ok;
}

static void
update_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  UpdateData *data = task_data;
  GError *error = NULL;

  if (bb_sync_secrets_update_sync (data->council_id, data->council_name, data->old_peer,
                                   data->new_peer, data->password, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
bb_sync_secrets_update_async (const char          *council_id,
                              const char          *council_name,
                              const BbSyncPeer    *old_peer,
                              const BbSyncPeer    *new_peer,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  UpdateData *data;

  g_return_if_fail (check_peer (council_id, old_peer));
  g_return_if_fail (check_peer (council_id, new_peer));

  data = g_new0 (UpdateData, 1);
  data->council_id = g_strdup (council_id);
  data->council_name = g_strdup (council_name);
  data->old_peer = bb_sync_peer_copy (old_peer);
  data->new_peer = bb_sync_peer_copy (new_peer);
  /* in non-pageable memory, wiped when freed */
  if (password != NULL)
    {
      SecretValue *value = secret_value_new (password, -1, "text/plain");

      data->password = secret_value_unref_to_password (value, NULL);
    }
  g_task_set_source_tag (task, bb_sync_secrets_update_async);
  g_task_set_task_data (task, data, (GDestroyNotify) update_data_free);
  g_task_run_in_thread (task, update_in_thread);
}

gboolean
bb_sync_secrets_update_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup */

static void
on_lookup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      GError *translated = NULL;

      propagate_secret_error (&translated, error, OP_LOOKUP);
      g_task_return_error (task, translated);
      return;
    }
  g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
bb_sync_secrets_lookup_async (const char          *council_id,
                              const BbSyncPeer    *peer,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (check_peer (council_id, peer));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_sync_secrets_lookup_async);
  attributes = peer_attributes (council_id, peer);
  secret_password_lookupv (get_schema (), attributes, cancellable, on_lookup_done_cb, task);
}

char *
bb_sync_secrets_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
bb_sync_secrets_lookup_sync (const char        *council_id,
                             const BbSyncPeer  *peer,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *secret_error = NULL;
  char *password;

  g_return_val_if_fail (check_peer (council_id, peer), NULL);

  attributes = peer_attributes (council_id, peer);
  password = secret_password_lookupv_sync (get_schema (), attributes, cancellable, &secret_error);
  if (secret_error != NULL)
    {
      propagate_secret_error (error, secret_error, OP_LOOKUP);
      return NULL;
    }
  return password;
}

/* Clear */

static void
on_clear_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to forget */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      GError *translated = NULL;

      propagate_secret_error (&translated, error, OP_CLEAR);
      g_task_return_error (task, translated);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
bb_sync_secrets_clear_async (const char          *council_id,
                             const char          *peer_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  g_return_if_fail (council_id != NULL && peer_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_sync_secrets_clear_async);
  attributes = clear_attributes (council_id, peer_id);
  secret_password_clearv (get_schema (), attributes, cancellable, on_clear_done_cb, task);
}

gboolean
bb_sync_secrets_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
bb_sync_secrets_clear_sync (const char    *council_id,
                            const char    *peer_id,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *secret_error = NULL;

  g_return_val_if_fail (council_id != NULL && peer_id != NULL, FALSE);

  attributes = clear_attributes (council_id, peer_id);
  secret_password_clearv_sync (get_schema (), attributes, cancellable, &secret_error);
  if (secret_error != NULL)
    {
      propagate_secret_error (error, secret_error, OP_CLEAR);
      return FALSE;
    }
  return TRUE;
}

void
bb_sync_secrets_free (char *password)
{
  secret_password_free (password);
}

/* Passwords waiting in an older file */

gint64
bb_sync_secrets_count_pending (BbStore  *store,
                               GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), -1);

  stmt = bb_store_prepare (store, "SELECT count(*) FROM sync_peer_password_pending", error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc,
                                 _("Could not read the passwords waiting for the keyring"));
      return -1;
    }
  return count;
}

typedef struct {
  GPtrArray  *peers;      /* BbSyncPeer with its password */
  guint       next;
  guint       moved;
  char       *council_id;
  char       *council_name;
} MoveData;

static void
move_data_free (MoveData *data)
{
  for (guint i = 0; i < data->peers->len; i++)
    {
      BbSyncPeer *peer = g_ptr_array_index (data->peers, i);

      /* wipe the copy in memory too */
      if (peer->password != NULL)
        memset (peer->password, 0, strlen (peer->password));
    }
  g_ptr_array_unref (data->peers);
  g_free (data->council_id);
  g_free (data->council_name);
  g_free (data);
}

/* Deletes the waiting row with secure_delete on, so that the password's
 * bytes are overwritten in the file rather than left in a free page. */
static gboolean
delete_pending (BbStore     *store,
                const char  *peer_id,
                GError     **error)
{
  sqlite3 *db = bb_store_get_db (store);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  rc = sqlite3_exec (db, "PRAGMA secure_delete = ON", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      bb_store_set_sqlite_error (error, db, rc, _("Could not remove a password from the council file"));
      return FALSE;
    }

  /* Through a transaction: it makes the backup an opened file may still
   * owe before its first change */
  if (!bb_store_begin (store, error))
    {
      sqlite3_exec (db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
      return FALSE;
    }
  stmt = bb_store_prepare (store, "DELETE FROM sync_peer_password_pending WHERE peer_id = ?1", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, peer_id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        bb_store_set_sqlite_error (error, db, rc, _("Could not remove a password from the council file"));
    }
  if (stmt != NULL && rc == SQLITE_DONE)
    ok = bb_store_commit (store, error);
  else
    bb_store_rollback (store);

  sqlite3_exec (db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
  return ok;
}

static void move_next (GTask *task);

static void
on_move_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MoveData *data = g_task_get_task_data (task);
  BbStore *store = g_task_get_source_object (task);
  BbSyncPeer *peer = g_ptr_array_index (data->peers, data->next);
  GError *error = NULL;

  /* The keyring has it: only now may the file forget it */
  if (!bb_sync_secrets_store_finish (result, &error) ||
      !delete_pending (store, peer->id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data->moved++;
  data->next++;
  move_next (g_steal_pointer (&task));
}

static void
move_next (GTask *task)
{
  MoveData *data = g_task_get_task_data (task);
  BbStore *store = g_task_get_source_object (task);
  BbSyncPeer *peer;

  if (data->next >= data->peers->len)
    {
      if (data->moved > 0)
        bb_store_emit_changed (store);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  peer = g_ptr_array_index (data->peers, data->next);
  bb_sync_secrets_store_async (data->council_id, data->council_name, peer, peer->password,
                               g_task_get_cancellable (task), on_move_stored_cb, task);
}

static GPtrArray *
read_pending (BbStore  *store,
              GError  **error)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_sync_peer_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = bb_store_prepare (store,
                           "SELECT p.peer_id, p.password, s.name, s.url, s.username "
                           "FROM sync_peer_password_pending p JOIN sync_peer s ON s.id = p.peer_id "
                           "ORDER BY s.name, s.url",
                           error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbSyncPeer *peer = bb_sync_peer_new ((const char *) sqlite3_column_text (stmt, 2),
                                           (const char *) sqlite3_column_text (stmt, 3));

      peer->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      peer->password = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      peer->username = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      g_ptr_array_add (peers, peer);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc,
                                 _("Could not read the passwords waiting for the keyring"));
      return NULL;
    }
  return g_steal_pointer (&peers);
}

void
bb_sync_secrets_move_pending_async (BbStore             *store,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(BbCouncil) council = NULL;
  GError *error = NULL;
  MoveData *data;
  GTask *task;
  GPtrArray *peers;

  g_return_if_fail (BB_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_sync_secrets_move_pending_async);

  data = g_new0 (MoveData, 1);
  data->peers = g_ptr_array_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) move_data_free);

  if (bb_store_is_read_only (store))
    {
      /* the rows stay for a writable open */
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  peers = read_pending (store, &error);
  if (peers == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_ptr_array_unref (data->peers);
  data->peers = peers;
  council = bb_store_dup_council (store);
  data->council_id = g_strdup (bb_store_get_council_id (store));
  data->council_name = g_strdup (council != NULL ? bb_council_get_name (council) : NULL);

  move_next (task);
}

gboolean
bb_sync_secrets_move_pending_finish (BbStore       *store,
                                     GAsyncResult  *result,
                                     guint         *out_moved,
                                     GError       **error)
{
  MoveData *data;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (out_moved != NULL)
    *out_moved = data->moved;
  return g_task_propagate_boolean (G_TASK (result), error);
}
