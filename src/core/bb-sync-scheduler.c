/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-replicator.h"
#include "bb-sync.h"
#include "bb-sync-scheduler.h"
#include "bb-sync-secrets.h"

struct _BbSyncScheduler
{
  GObject          parent_instance;

  BbStore         *store;
  GQueue           queue;          /* Pending*, waiting */
  BbReplicator    *replicator;     /* the run under way */
  GCancellable    *cancellable;
  struct Pending  *looking_up;     /* its password is being read from the keyring */
  gboolean         moving_passwords;
  gboolean         passwords_moved;  /* an older file's, into the keyring */
  GNetworkMonitor *monitor;
  gulong           network_handler;
  guint            timer_id;
  gboolean         was_online;
  GHashTable      *needs_credentials;  /* url → TRUE */
  GHashTable      *backoff;            /* url → Backoff*, after a failure */
  GHashTable      *refused;            /* url → fingerprint of a certificate not trusted */
  guint            first_retry_ms;
};

/* An automatic peer whose last run failed: when to try again */
typedef struct {
  BbSyncScheduler *self;
  char            *url;
  guint            failures;
  guint            source_id;
} Backoff;

static void
backoff_free (Backoff *backoff)
{
  g_clear_handle_id (&backoff->source_id, g_source_remove);
  g_free (backoff->url);
  g_free (backoff);
}

G_DEFINE_FINAL_TYPE (BbSyncScheduler, bb_sync_scheduler, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct Pending {
  char            *peer_id;      /* NULL: do not look in the keyring */
  char            *url;
  char            *user;
  char            *password;
  char            *fingerprint;  /* pinned, nullable */
  BbSyncDirection  direction;
} Pending;

static void
pending_free (Pending *pending)
{
  g_free (pending->peer_id);
  g_free (pending->url);
  g_free (pending->user);
  if (pending->password != NULL)
    memset (pending->password, 0, strlen (pending->password));
  g_free (pending->password);
  g_free (pending->fingerprint);
  g_free (pending);
}

static Pending *
pending_new (const BbSyncPeer *peer,
             const char       *password)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->peer_id = g_strdup (peer->id);
  pending->url = g_strdup (peer->url);
  pending->user = g_strdup (peer->username);
  pending->password = g_strdup (password != NULL ? password : peer->password);
  pending->direction = peer->direction;
  pending->fingerprint = g_strdup (peer->fingerprint);
  return pending;
}

static void run_next (BbSyncScheduler *self);
static gboolean is_queued (BbSyncScheduler *self, const char *url);
static void schedule_retry (BbSyncScheduler *self, const char *url);

static void
on_progress_cb (BbReplicator *replicator,
                gint64        done,
                gint64        total,
                gpointer      user_data)
{
  BbSyncScheduler *self = user_data;

  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, bb_replicator_get_url (replicator), done, total);
}

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BbSyncScheduler) self = user_data;
  g_autoptr(BbReplicator) replicator = BB_REPLICATOR (g_object_ref (source));
  g_autoptr(GError) error = NULL;
  gboolean ok = bb_replicator_run_finish (replicator, result, &error);
  gboolean credentials = g_error_matches (error, BB_SYNC_ERROR, BB_SYNC_ERROR_CREDENTIALS);
  g_autofree char *url = g_strdup (bb_replicator_get_url (replicator));

  if (self->replicator == replicator)
    g_clear_object (&self->replicator);
  g_clear_object (&self->cancellable);

  if (credentials)
    g_hash_table_add (self->needs_credentials, g_strdup (url));

  /* Kept for the user to compare with what the other computer shows */
  if (g_error_matches (error, BB_SYNC_ERROR, BB_SYNC_ERROR_CERTIFICATE) &&
      bb_replicator_get_seen_fingerprint (replicator) != NULL)
    g_hash_table_insert (self->refused, g_strdup (url), g_strdup (bb_replicator_get_seen_fingerprint (replicator)));
  else if (ok)
    g_hash_table_remove (self->refused, url);

  /* A refused certificate fails the same way until the user pins the
   * fingerprint, like missing credentials: waiting does not help. */
  if (ok)
    g_hash_table_remove (self->backoff, url);
  else if (!credentials && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, BB_SYNC_ERROR, BB_SYNC_ERROR_CERTIFICATE) &&
           self->monitor != NULL)
    schedule_retry (self, url);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0, url, ok, credentials,
                   error != NULL ? error->message : NULL);
  else
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0, url, FALSE, FALSE, _("Sync cancelled."));

  run_next (self);
}

static void
start_run (BbSyncScheduler *self,
           Pending         *pending)
{
  self->replicator = bb_replicator_new (self->store, pending->url);
  if (pending->password != NULL || pending->user != NULL)
    bb_replicator_set_credentials (self->replicator, pending->user, pending->password);
  bb_replicator_set_fingerprint (self->replicator, pending->fingerprint);
  g_signal_connect_object (self->replicator, "progress", G_CALLBACK (on_progress_cb), self, 0);
  self->cancellable = g_cancellable_new ();
  bb_replicator_run_async (self->replicator, pending->direction, self->cancellable,
                           on_run_done_cb, g_object_ref (self));
  pending_free (pending);
}

static void
on_lookup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BbSyncScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  Pending *pending = g_steal_pointer (&self->looking_up);
  char *password = bb_sync_secrets_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->cancellable);
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0, pending->url, FALSE, FALSE, _("Sync cancelled."));
      pending_free (pending);
      run_next (self);
      return;
    }

  /* Without a keyring the peer may still need no password; if it does,
   * it answers 401 and the user is asked */
  if (error != NULL)
    g_debug ("No password from the keyring for %s: %s", pending->url, error->message);
  pending->password = g_strdup (password);
  g_clear_pointer (&password, bb_sync_secrets_free);
  g_clear_object (&self->cancellable);
  start_run (self, pending);
}

static void
on_passwords_moved_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(BbSyncScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  guint moved = 0;

  self->moving_passwords = FALSE;
  if (!bb_sync_secrets_move_pending_finish (BB_STORE (source), result, &moved, &error))
    g_message ("%s", error->message);
  else if (moved > 0)
    g_debug ("Moved %u peer passwords from the council file into the keyring", moved);
  run_next (self);
}

static void
run_next (BbSyncScheduler *self)
{
  Pending *pending;

  if (self->replicator != NULL || self->looking_up != NULL || self->moving_passwords)
    return;

  /* Before the first sync: passwords an older version kept in the council
   * file go to the keyring (and leave the file) once this council is
   * opened by the app; they stay waiting when no keyring can be reached */
  if (!self->passwords_moved && !g_queue_is_empty (&self->queue))
    {
      self->passwords_moved = TRUE;
      self->moving_passwords = TRUE;
      bb_sync_secrets_move_pending_async (self->store, NULL, on_passwords_moved_cb, g_object_ref (self));
      return;
    }

  pending = g_queue_pop_head (&self->queue);
  if (pending == NULL)
    return;

  /* A remembered password is in the keyring, read without blocking */
  if (pending->password == NULL && pending->peer_id != NULL)
    {
      BbSyncPeer peer = { .id = pending->peer_id, .url = pending->url, .username = pending->user };

      self->looking_up = pending;
      self->cancellable = g_cancellable_new ();
      bb_sync_secrets_lookup_async (bb_store_get_council_id (self->store), &peer, self->cancellable,
                                    on_lookup_done_cb, g_object_ref (self));
      return;
    }

  start_run (self, pending);
}

static gboolean
is_queued (BbSyncScheduler *self,
           const char      *url)
{
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    if (g_str_equal (((Pending *) l->data)->url, url))
      return TRUE;
  if (self->looking_up != NULL && g_str_equal (self->looking_up->url, url))
    return TRUE;
  return self->replicator != NULL && g_str_equal (bb_replicator_get_url (self->replicator), url);
}

void
bb_sync_scheduler_sync_peer (BbSyncScheduler  *self,
                             const BbSyncPeer *peer,
                             const char       *password)
{
  Pending *pending;

  g_return_if_fail (BB_IS_SYNC_SCHEDULER (self));
  g_return_if_fail (peer != NULL && peer->url != NULL);

  if (is_queued (self, peer->url))
    return;

  /* The user asked: credentials are worth trying again */
  g_hash_table_remove (self->needs_credentials, peer->url);

  pending = pending_new (peer, password);
  g_queue_push_tail (&self->queue, pending);
  run_next (self);
}

void
bb_sync_scheduler_sync_all (BbSyncScheduler *self)
{
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BB_IS_SYNC_SCHEDULER (self));

  peers = bb_sync_peers_list (self->store, &error);
  if (peers == NULL)
    {
      g_warning ("Cannot read the sync peers: %s", error->message);
      return;
    }

  for (guint i = 0; i < peers->len; i++)
    {
      BbSyncPeer *peer = g_ptr_array_index (peers, i);
      Pending *pending;

      /* Never hammer a peer with credentials it refuses */
      if (!peer->automatic || g_hash_table_contains (self->needs_credentials, peer->url) ||
          is_queued (self, peer->url))
        continue;

      pending = pending_new (peer, NULL);
      g_queue_push_tail (&self->queue, pending);
    }

  run_next (self);
}

static gboolean
on_retry_cb (gpointer user_data)
{
  Backoff *backoff = user_data;
  BbSyncScheduler *self = backoff->self;
  g_autoptr(GPtrArray) peers = NULL;

  backoff->source_id = 0;
  peers = bb_sync_peers_list (self->store, NULL);
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    {
      BbSyncPeer *peer = g_ptr_array_index (peers, i);

      /* Still there, still automatic, and not waiting for the user */
      if (g_str_equal (peer->url, backoff->url) && peer->automatic &&
          !g_hash_table_contains (self->needs_credentials, peer->url) && !is_queued (self, peer->url))
        {
          g_queue_push_tail (&self->queue, pending_new (peer, NULL));
          run_next (self);
          break;
        }
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (BbSyncScheduler *self,
                const char      *url)
{
  Backoff *backoff = g_hash_table_lookup (self->backoff, url);
  guint64 delay_ms;

  if (backoff == NULL)
    {
      backoff = g_new0 (Backoff, 1);
      backoff->self = self;
      backoff->url = g_strdup (url);
      g_hash_table_insert (self->backoff, backoff->url, backoff);
    }
  backoff->failures++;
  delay_ms = (guint64) self->first_retry_ms << MIN (backoff->failures - 1, 16);
  delay_ms = MIN (delay_ms, (guint64) BB_SYNC_SCHEDULER_INTERVAL_SECONDS * 1000);
  g_clear_handle_id (&backoff->source_id, g_source_remove);
  backoff->source_id = g_timeout_add ((guint) delay_ms, on_retry_cb, backoff);
}

void
bb_sync_scheduler_set_first_retry (BbSyncScheduler *self,
                                   guint            delay_ms)
{
  g_return_if_fail (BB_IS_SYNC_SCHEDULER (self));

  self->first_retry_ms = MAX (delay_ms, 1);
}

void
bb_sync_scheduler_cancel (BbSyncScheduler *self)
{
  g_return_if_fail (BB_IS_SYNC_SCHEDULER (self));

  g_queue_clear_full (&self->queue, (GDestroyNotify) pending_free);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

const char *
bb_sync_scheduler_get_current (BbSyncScheduler *self)
{
  g_return_val_if_fail (BB_IS_SYNC_SCHEDULER (self), NULL);
  if (self->looking_up != NULL)
    return self->looking_up->url;
  return self->replicator != NULL ? bb_replicator_get_url (self->replicator) : NULL;
}

const char *
bb_sync_scheduler_get_refused_fingerprint (BbSyncScheduler *self,
                                           const char      *url)
{
  g_return_val_if_fail (BB_IS_SYNC_SCHEDULER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);
  return g_hash_table_lookup (self->refused, url);
}

gboolean
bb_sync_scheduler_needs_credentials (BbSyncScheduler *self,
                                     const char      *url)
{
  g_return_val_if_fail (BB_IS_SYNC_SCHEDULER (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  return g_hash_table_contains (self->needs_credentials, url);
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       gpointer         user_data)
{
  BbSyncScheduler *self = user_data;

  if (available && !self->was_online)
    bb_sync_scheduler_sync_all (self);
  self->was_online = available;
}

static gboolean
on_timer_cb (gpointer user_data)
{
  BbSyncScheduler *self = user_data;

  if (g_network_monitor_get_network_available (self->monitor))
    bb_sync_scheduler_sync_all (self);
  return G_SOURCE_CONTINUE;
}

void
bb_sync_scheduler_start (BbSyncScheduler *self)
{
  g_return_if_fail (BB_IS_SYNC_SCHEDULER (self));

  if (self->monitor != NULL)
    return;

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (on_network_changed_cb), self);
  self->timer_id = g_timeout_add_seconds (BB_SYNC_SCHEDULER_INTERVAL_SECONDS, on_timer_cb, self);
  self->was_online = g_network_monitor_get_network_available (self->monitor);
  if (self->was_online)
    bb_sync_scheduler_sync_all (self);
}

void
bb_sync_scheduler_stop (BbSyncScheduler *self)
{
  g_return_if_fail (BB_IS_SYNC_SCHEDULER (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_handler, self->monitor);
  g_clear_object (&self->monitor);
  g_hash_table_remove_all (self->backoff);
  bb_sync_scheduler_cancel (self);
}

static void
bb_sync_scheduler_dispose (GObject *object)
{
  BbSyncScheduler *self = BB_SYNC_SCHEDULER (object);

  bb_sync_scheduler_stop (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bb_sync_scheduler_parent_class)->dispose (object);
}

static void
bb_sync_scheduler_finalize (GObject *object)
{
  BbSyncScheduler *self = BB_SYNC_SCHEDULER (object);

  g_hash_table_unref (self->needs_credentials);
  g_hash_table_unref (self->backoff);
  g_hash_table_unref (self->refused);

  G_OBJECT_CLASS (bb_sync_scheduler_parent_class)->finalize (object);
}

static void
bb_sync_scheduler_class_init (BbSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_sync_scheduler_dispose;
  object_class->finalize = bb_sync_scheduler_finalize;

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
bb_sync_scheduler_init (BbSyncScheduler *self)
{
  g_queue_init (&self->queue);
  self->needs_credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* the key is the Backoff's own url */
  self->backoff = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) backoff_free);
  self->first_retry_ms = BB_SYNC_SCHEDULER_FIRST_RETRY_SECONDS * 1000;
  self->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

BbSyncScheduler *
bb_sync_scheduler_new (BbStore *store)
{
  BbSyncScheduler *self;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  self = g_object_new (BB_TYPE_SYNC_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  return self;
}
