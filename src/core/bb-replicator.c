/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One run is a chain of async steps on one GTask: for each direction,
 * find the peer (GET / and GET db), read both checkpoints, then batches of
 * _changes → diff → fetch → write → checkpoint until the source has no
 * more changes. A push holds one batch at a time; a pull pipelines a few
 * (see pull_pump()), so memory follows the batch size, not the library
 * size. A checkpoint is written only after its batch and all before it
 * are stored, so a run stopped anywhere resumes without loss; and writing
 * revisions that are already there changes nothing, so it resumes
 * without duplicates. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "bb-date.h"
#include "bb-replica.h"
#include "bb-replicator.h"
#include "bb-sync.h"
#include "bb-sync-tls.h"
#include "bb-sync-replies.h"

#define CHECKPOINT_HISTORY 5

struct _BbReplicator
{
  GObject       parent_instance;

  BbStore      *store;
  char         *url;          /* without a trailing slash */
  char         *root_url;     /* the server, with a trailing slash */
  char         *db_name;
  char         *user;
  char         *password;
  guint         batch_size;
  guint         attempts;
  guint         first_delay_ms;
  SoupSession  *session;
  gboolean      running;
  char         *fingerprint;       /* pinned, nullable */
  char         *seen_fingerprint;  /* of the last certificate not trusted */

  BbSyncStats   stats[2];     /* [0] pull, [1] push */
};

G_DEFINE_FINAL_TYPE (BbReplicator, bb_replicator, G_TYPE_OBJECT)

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------- */
/* HTTP with retries                                                      */

typedef struct {
  char        *method;
  char        *url;
  GBytes      *body;
  guint        attempt;
  guint        delay_id;
  SoupMessage *msg;
} HttpCall;

typedef struct {
  guint     status;
  JsonNode *json;     /* NULL when the body is not JSON */
  GBytes   *bytes;
} HttpReply;

static void
http_call_free (HttpCall *call)
{
  g_clear_handle_id (&call->delay_id, g_source_remove);
  g_free (call->method);
  g_free (call->url);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_object (&call->msg);
  g_free (call);
}

static void
http_reply_free (HttpReply *reply)
{
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->bytes, g_bytes_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HttpReply, http_reply_free)

static void http_call_send (GTask *task);

static gboolean
on_retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  HttpCall *call = g_task_get_task_data (task);

  call->delay_id = 0;
  http_call_send (task);
  return G_SOURCE_REMOVE;
}

static gboolean
retry_later (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  HttpCall *call = g_task_get_task_data (task);
  guint delay;

  if (call->attempt >= self->attempts || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;

  delay = self->first_delay_ms << MIN (call->attempt - 1, 10);
  call->delay_id = g_timeout_add (delay, on_retry_cb, task);
  return TRUE;
}

static void
on_http_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HttpCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(HttpReply) reply = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      BbReplicator *self = g_task_get_source_object (task);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* A certificate does not become trustworthy by asking again */
      if (error->domain == G_TLS_ERROR && self->seen_fingerprint != NULL)
        {
          if (self->fingerprint != NULL)
            g_task_return_new_error (task, BB_SYNC_ERROR, BB_SYNC_ERROR_CERTIFICATE,
                                     _("The other computer’s certificate does not have the fingerprint "
                                       "given for this peer. Its fingerprint is %s. If the other computer "
                                       "shows this fingerprint, it has a new certificate: enter the new "
                                       "fingerprint. If not, do not sync: someone may be in between."),
                                     self->seen_fingerprint);
          else
            g_task_return_new_error (task, BB_SYNC_ERROR, BB_SYNC_ERROR_CERTIFICATE,
                                     _("The other computer’s certificate is not signed by an authority "
                                       "this computer knows. Its fingerprint is %s; if it matches the "
                                       "fingerprint the other computer shows, enter it for this peer."),
                                     self->seen_fingerprint);
          return;
        }
      if (error->domain == G_TLS_ERROR)
        {
          g_task_return_new_error (task, BB_SYNC_ERROR, BB_SYNC_ERROR_CERTIFICATE,
                                   _("Cannot make a secure connection with the peer: %s"), error->message);
          return;
        }
      if (retry_later (task))
        {
          g_steal_pointer (&task);
          return;
        }
      g_task_return_new_error (task, BB_SYNC_ERROR, BB_SYNC_ERROR_NETWORK,
                               _("Cannot reach the peer: %s"), error->message);
      return;
    }

  status = soup_message_get_status (call->msg);
  if (status >= 500 && retry_later (task))
    {
      g_steal_pointer (&task);
      return;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_new_error (task, BB_SYNC_ERROR, BB_SYNC_ERROR_CREDENTIALS,
                               _("The peer needs a user name and password, or the ones given are wrong."));
      return;
    }

  reply = g_new0 (HttpReply, 1);
  reply->status = status;
  reply->bytes = g_steal_pointer (&bytes);
  {
    gsize length;
    const char *data = g_bytes_get_data (reply->bytes, &length);

    /* A peer may say text/plain for JSON: parse whatever looks like it */
    if (length > 0 && (data[0] == '{' || data[0] == '['))
      reply->json = bb_sync_parse_json (data, length, NULL);
  }

  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) http_reply_free);
}

/* Only for a certificate the system does not trust (self-signed, or for
 * another name): accepted when it is exactly the one the user pinned. */
static gboolean
on_accept_certificate_cb (SoupMessage          *msg,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  BbReplicator *self = user_data;
  g_autofree char *fingerprint = bb_sync_tls_fingerprint (certificate);

  if (self->fingerprint != NULL && g_strcmp0 (fingerprint, self->fingerprint) == 0)
    return TRUE;

  g_free (self->seen_fingerprint);
  self->seen_fingerprint = g_steal_pointer (&fingerprint);
  return FALSE;
}

static void
http_call_send (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  HttpCall *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&call->msg);
  call->attempt++;
  call->msg = soup_message_new (call->method, call->url);
  if (call->msg == NULL)
    {
      g_task_return_new_error (task, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                               _("“%s” is not a web address."), call->url);
      g_object_unref (task);
      return;
    }

  /* Every request of the protocol may be sent twice: _revs_diff and
   * _bulk_get only read, and _bulk_docs with new_edits:false writes
   * nothing the second time. Saying so lets libsoup send a POST on a
   * connection that is already open, which it otherwise never does: a
   * pull would open (and leave to close) a connection per batch. */
  soup_message_add_flags (call->msg, SOUP_MESSAGE_IDEMPOTENT);
  g_signal_connect (call->msg, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), self);
  headers = soup_message_get_request_headers (call->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->user != NULL && self->password != NULL)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", self->user, self->password);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *value = g_strdup_printf ("Basic %s", encoded);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (call->msg, "application/json", call->body);

  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_http_sent_cb, task);
}

/* @path is relative to the database URL ("" for the database itself),
 * or absolute (starting with "http") for the server root. */
static void
http_request_async (BbReplicator        *self,
                    const char          *method,
                    const char          *path,
                    JsonNode            *body,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  HttpCall *call = g_new0 (HttpCall, 1);

  call->method = g_strdup (method);
  if (g_str_has_prefix (path, "http"))
    call->url = g_strdup (path);
  else if (*path == '\0')
    call->url = g_strdup (self->url);
  else
    call->url = g_strconcat (self->url, "/", path, NULL);
  if (body != NULL)
    {
      gsize length;
      char *text = bb_sync_to_json (body, &length);

      call->body = g_bytes_new_take (text, length);
    }
  g_task_set_task_data (task, call, (GDestroyNotify) http_call_free);
  http_call_send (task);
}

static HttpReply *
http_request_finish (GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* The run                                                                */

typedef struct {
  BbSyncDirection  direction;
  gboolean         push;             /* the direction being run */
  char            *started_at;
  char            *local_uuid;
  char            *remote_uuid;
  char            *rep_id;           /* without "_local/" */
  char            *session_id;
  JsonObject      *local_log;        /* nullable */
  JsonObject      *remote_log;       /* nullable */
  JsonNode        *start_seq;        /* what this direction started from */
  JsonNode        *since;
  gint64           done;
  gint64           direction_start_us;  /* monotonic */

  /* the batch */
  JsonNode        *batch_last_seq;
  guint            batch_rows;
  gint64           batch_pending;
  JsonObject      *diff;             /* id → {missing, possible_ancestors} */
  GPtrArray       *docs;             /* JsonObject, to write */
  GPtrArray       *fetch_queue;      /* FetchItem, attachments or docs to GET */
  gboolean         resent_with_data;

  /* the pull's pipeline (see pull_pump()) */
  GQueue           pull_batches;     /* PullBatch, in the order of the feed */
  JsonNode        *changes_since;    /* since= of the next _changes */
  gboolean         changes_in_flight;
  gboolean         feed_ended;
  gboolean         checkpoint_in_flight;
  gboolean         unsaved;          /* stored batches no checkpoint has yet */
  gboolean         failed;
  GError          *feed_error;       /* why the feed was given up, once stored */
  GHashTable      *seen_seqs;        /* JSON text of each last_seq of the feed */
  guint            feed_hash;        /* of the last batch's rows */
  guint            feed_repeats;     /* batches like the one before, in a row */
  GCancellable    *cancellable;      /* the run's, also cancelled when it fails */
  GCancellable    *outer_cancellable;
  gulong           outer_cancelled_id;
} Run;

/* One batch of a pull: listed by _changes, its documents fetched, then
 * stored. Several are under way at once, stored in the feed's order. */
typedef struct {
  JsonNode   *last_seq;
  guint       rows;
  gint64      pending;
  JsonObject *diff;                  /* id → {missing, possible_ancestors} */
  GPtrArray  *docs;                  /* JsonObject, to write */
  GPtrArray  *fetch_queue;           /* FetchItem, attachments or docs to GET */
  gboolean    fetched;
} PullBatch;

typedef struct {
  JsonObject *doc;                   /* the doc whose attachment is fetched */
  char       *id;
  char       *rev;
  char       *name;                  /* NULL: fetch the doc by open_revs */
  char       *open_revs;             /* JSON list */
} FetchItem;

static void
fetch_item_free (FetchItem *item)
{
  g_clear_pointer (&item->doc, json_object_unref);
  g_free (item->id);
  g_free (item->rev);
  g_free (item->name);
  g_free (item->open_revs);
  g_free (item);
}

static void
run_clear_batch (Run *run)
{
  g_clear_pointer (&run->batch_last_seq, json_node_unref);
  g_clear_pointer (&run->diff, json_object_unref);
  g_clear_pointer (&run->docs, g_ptr_array_unref);
  g_clear_pointer (&run->fetch_queue, g_ptr_array_unref);
  run->batch_rows = 0;
  run->batch_pending = 0;
  run->resent_with_data = FALSE;
}

static void
pull_batch_free (PullBatch *batch)
{
  g_clear_pointer (&batch->last_seq, json_node_unref);
  g_clear_pointer (&batch->diff, json_object_unref);
  g_clear_pointer (&batch->docs, g_ptr_array_unref);
  g_clear_pointer (&batch->fetch_queue, g_ptr_array_unref);
  g_free (batch);
}

static void
run_clear_direction (Run *run)
{
  run_clear_batch (run);
  g_queue_clear_full (&run->pull_batches, (GDestroyNotify) pull_batch_free);
  g_clear_pointer (&run->changes_since, json_node_unref);
  run->changes_in_flight = FALSE;
  run->feed_ended = FALSE;
  run->checkpoint_in_flight = FALSE;
  run->unsaved = FALSE;
  g_clear_error (&run->feed_error);
  g_clear_pointer (&run->seen_seqs, g_hash_table_unref);
  run->feed_hash = 0;
  run->feed_repeats = 0;
  g_clear_pointer (&run->remote_uuid, g_free);
  g_clear_pointer (&run->rep_id, g_free);
  g_clear_pointer (&run->session_id, g_free);
  g_clear_pointer (&run->local_log, json_object_unref);
  g_clear_pointer (&run->remote_log, json_object_unref);
  g_clear_pointer (&run->start_seq, json_node_unref);
  g_clear_pointer (&run->since, json_node_unref);
  run->done = 0;
}

static void
run_free (Run *run)
{
  run_clear_direction (run);
  if (run->outer_cancellable != NULL)
    g_cancellable_disconnect (run->outer_cancellable, run->outer_cancelled_id);
  g_clear_object (&run->outer_cancellable);
  g_clear_object (&run->cancellable);
  g_free (run->started_at);
  g_free (run->local_uuid);
  g_free (run);
}

static BbSyncStats *
run_stats (BbReplicator *self,
           Run          *run)
{
  return &self->stats[run->push ? 1 : 0];
}

static void
refusal_free (BbSyncRefusal *refusal)
{
  g_free (refusal->id);
  g_free (refusal->rev);
  g_free (refusal->error);
  g_free (refusal->reason);
  g_free (refusal);
}

static void
stats_clear (BbSyncStats *stats)
{
  g_clear_pointer (&stats->last_seq, g_free);
  g_clear_pointer (&stats->errors, g_ptr_array_unref);
  g_clear_pointer (&stats->start_time, g_free);
  g_clear_pointer (&stats->end_time, g_free);
  stats->docs_read = 0;
  stats->docs_written = 0;
  stats->doc_write_failures = 0;
  stats->duration_ms = 0;
  stats->completed = FALSE;
}

/* "2026-11-22T14:52:03.123Z", as PouchDB reports a replication's times */
static char *
now_iso_ms (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
}

/* The direction under way ends, run to completion or not. */
static void
stats_end (BbSyncStats *stats,
           Run         *run,
           gboolean     completed)
{
  if (stats->start_time == NULL || stats->end_time != NULL)
    return;
  stats->end_time = now_iso_ms ();
  stats->duration_ms = (g_get_monotonic_time () - run->direction_start_us) / 1000;
  stats->completed = completed;
}

static void
stats_add_refusal (BbSyncStats *stats,
                   const char  *id,
                   const char  *rev,
                   const char  *error_word,
                   const char  *reason)
{
  BbSyncRefusal *refusal;

  stats->doc_write_failures++;
  /* Enough to show; the count says how many there were */
  if (stats->errors != NULL && stats->errors->len >= 100)
    return;

  if (stats->errors == NULL)
    stats->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) refusal_free);
  refusal = g_new0 (BbSyncRefusal, 1);
  refusal->id = g_strdup (id);
  refusal->rev = g_strdup (rev);
  refusal->error = g_strdup (error_word != NULL ? error_word : "unknown_error");
  refusal->reason = g_strdup (reason != NULL ? reason : "");
  g_ptr_array_add (stats->errors, refusal);
}

char *
bb_sync_refusal_to_string (const BbSyncRefusal *refusal)
{
  g_return_val_if_fail (refusal != NULL, NULL);
  return g_strdup_printf ("%s %s: %s", refusal->id, refusal->rev != NULL ? refusal->rev : "", refusal->reason);
}

static void start_direction (GTask *task);
static void next_batch (GTask *task);
static void finish_direction (GTask *task);

static void
write_log (BbReplicator *self,
           Run          *run,
           const GError *error)
{
  BbSyncLogEntry entry = { 0 };
  g_autofree char *finished = bb_date_time_now_iso ();
  g_autoptr(GError) log_error = NULL;
  g_autofree char *message = NULL;

  entry.peer_url = self->url;
  entry.started_at = run->started_at;
  entry.finished_at = finished;
  entry.direction = run->direction;
  if (error == NULL)
    entry.status = (char *) "ok";
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    entry.status = (char *) "cancelled";
  else if (g_error_matches (error, BB_SYNC_ERROR, BB_SYNC_ERROR_CREDENTIALS))
    entry.status = (char *) "credentials";
  else
    entry.status = (char *) "failed";

  for (guint i = 0; i < 2; i++)
    {
      entry.docs_read += self->stats[i].docs_read;
      entry.docs_written += self->stats[i].docs_written;
      entry.doc_write_failures += self->stats[i].doc_write_failures;
    }

  if (error != NULL)
    message = g_strdup (error->message);
  else if (entry.doc_write_failures > 0)
    {
      const BbSyncStats *stats = self->stats[0].errors != NULL ? &self->stats[0] : &self->stats[1];

      message = stats->errors != NULL ? bb_sync_refusal_to_string (g_ptr_array_index (stats->errors, 0))
                                      : g_strdup ("");
    }
  entry.message = message;

  if (!bb_sync_log_add (self->store, &entry, &log_error))
    g_warning ("Could not write the sync log: %s", log_error->message);
}

/* Ends the run with @error, once: a pull has several requests under
 * way, and the first failure cancels the others. */
static void
run_fail (GTask  *task,
          GError *error)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->failed)
    {
      g_error_free (error);
      return;
    }
  run->failed = TRUE;
  g_cancellable_cancel (run->cancellable);

  stats_end (run_stats (self, run), run, FALSE);
  write_log (self, run, error);
  self->running = FALSE;
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
run_done (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  write_log (self, run, NULL);
  self->running = FALSE;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* A reply that is not what the step expects. */
static GError *
protocol_error (HttpReply  *reply,
                const char *what)
{
  const char *reason = NULL;

  if (reply->status == SOUP_STATUS_FORBIDDEN)
    return g_error_new (BB_SYNC_ERROR, BB_SYNC_ERROR_CREDENTIALS,
                        _("The peer does not allow this user to %s."), what);

  if (reply->json != NULL && JSON_NODE_HOLDS_OBJECT (reply->json))
    reason = bb_sync_member_string (json_node_get_object (reply->json), "reason");

  return g_error_new (BB_SYNC_ERROR, BB_SYNC_ERROR_PROTOCOL,
                      _("The peer refused to %s (HTTP %u%s%s)."), what, reply->status,
                      reason != NULL ? ": " : "", reason != NULL ? reason : "");
}

static JsonObject *
reply_object (HttpReply *reply)
{
  if (reply->json == NULL || !JSON_NODE_HOLDS_OBJECT (reply->json))
    return NULL;
  return json_node_get_object (reply->json);
}

static char *
escape_id (const char *id)
{
  return g_uri_escape_string (id, NULL, FALSE);
}

/* The seq as it goes into since=: strings unquoted, numbers as text. */
static char *
seq_to_param (JsonNode *seq)
{
  if (seq == NULL)
    return g_strdup ("0");
  if (JSON_NODE_HOLDS_VALUE (seq) && json_node_get_value_type (seq) == G_TYPE_STRING)
    return g_uri_escape_string (json_node_get_string (seq), NULL, FALSE);
  if (JSON_NODE_HOLDS_VALUE (seq) && json_node_get_value_type (seq) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (seq));
  {
    g_autofree char *text = bb_sync_to_json (seq, NULL);

    return g_uri_escape_string (text, NULL, FALSE);
  }
}

static gboolean
seq_equal (JsonNode *a,
           JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

/* ---------------------------------------------------------------------- */
/* Checkpoints                                                            */

/* Where both logs share a session, the seq to start from (CouchDB's
 * compare_replication_logs); else from the start. */
static JsonNode *
compare_logs (JsonObject *source,
              JsonObject *target)
{
  JsonArray *source_history;
  JsonArray *target_history;
  const char *source_session;
  const char *target_session;

  if (source == NULL || target == NULL)
    return NULL;

  source_session = bb_sync_member_string (source, "session_id");
  target_session = bb_sync_member_string (target, "session_id");
  if (source_session != NULL && g_strcmp0 (source_session, target_session) == 0 &&
      json_object_has_member (source, "last_seq"))
    return json_node_copy (json_object_get_member (source, "last_seq"));

  if (!json_object_has_member (source, "history") || !json_object_has_member (target, "history") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (source, "history")) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (target, "history")))
    return NULL;

  source_history = bb_sync_member_array (source, "history");
  target_history = bb_sync_member_array (target, "history");
  for (guint i = 0; i < json_array_get_length (source_history); i++)
    {
      JsonNode *s = json_array_get_element (source_history, i);
      const char *session;

      if (!JSON_NODE_HOLDS_OBJECT (s))
        continue;
      session = bb_sync_member_string (json_node_get_object (s), "session_id");
      for (guint j = 0; session != NULL && j < json_array_get_length (target_history); j++)
        {
          JsonNode *t = json_array_get_element (target_history, j);

          if (JSON_NODE_HOLDS_OBJECT (t) &&
              g_strcmp0 (session, bb_sync_member_string (json_node_get_object (t), "session_id")) == 0 &&
              json_object_has_member (json_node_get_object (s), "last_seq"))
            return json_node_copy (json_object_get_member (json_node_get_object (s), "last_seq"));
        }
    }

  return NULL;
}

static JsonObject *
make_log (Run        *run,
          JsonObject *previous)
{
  JsonObject *log = json_object_new ();
  JsonArray *history = json_array_new ();
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (log, "session_id", run->session_id);
  json_object_set_member (log, "last_seq", json_node_copy (run->since));
  json_object_set_string_member (log, "replicator", "buurtboek");
  json_object_set_int_member (log, "version", 1);

  json_object_set_string_member (entry, "session_id", run->session_id);
  json_object_set_member (entry, "last_seq", json_node_copy (run->since));
  json_array_add_object_element (history, entry);

  if (previous != NULL && json_object_has_member (previous, "history") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (previous, "history")))
    {
      JsonArray *old = bb_sync_member_array (previous, "history");

      for (guint i = 0; i < json_array_get_length (old) && json_array_get_length (history) < CHECKPOINT_HISTORY; i++)
        {
          JsonNode *element = json_array_get_element (old, i);

          if (JSON_NODE_HOLDS_OBJECT (element) &&
              g_strcmp0 (bb_sync_member_string (json_node_get_object (element), "session_id"),
                         run->session_id) != 0)
            json_array_add_element (history, json_node_copy (element));
        }
    }

  json_object_set_array_member (log, "history", history);
  if (previous != NULL && json_object_has_member (previous, "_rev"))
    json_object_set_member (log, "_rev", json_node_copy (json_object_get_member (previous, "_rev")));
  return log;
}

static gboolean
write_local_log (BbReplicator  *self,
                 Run           *run,
                 GError       **error)
{
  g_autoptr(JsonObject) log = make_log (run, run->local_log);
  g_autofree char *rev = NULL;
  const char *old_rev = run->local_log != NULL
                        ? bb_sync_member_string (run->local_log, "_rev") : NULL;

  if (!bb_replica_put_local (self->store, run->rep_id, old_rev, log, &rev, error))
    return FALSE;

  json_object_set_string_member (log, "_rev", rev);
  g_clear_pointer (&run->local_log, json_object_unref);
  run->local_log = g_steal_pointer (&log);
  return TRUE;
}

static void pull_pump (GTask *task);

static void
on_remote_log_written_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);
  JsonObject *object;

  run->checkpoint_in_flight = FALSE;
  if (run->failed)
    return;
  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  object = reply_object (reply);
  if (reply->status / 100 == 2 && object != NULL)
    {
      json_object_set_string_member (run->remote_log, "_rev",
                                     bb_sync_member_string_or (object, "rev", "0-1"));
    }
  else if (!run->push && reply->status / 100 == 4)
    {
      /* A source we may only read: the checkpoint on our side is enough
       * to resume, only less often (CouchDB and PouchDB do the same) */
      g_clear_pointer (&run->remote_log, json_object_unref);
    }
  else
    {
      run_fail (task, protocol_error (reply, _("store the sync checkpoint")));
      return;
    }

  if (run->push)
    next_batch (task);
  else
    pull_pump (task);
}

/* Target first, then source, as PouchDB; then the next batch (push) or
 * on with the pull's pipeline, which has gone on meanwhile. */
static void
checkpoint (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) remote = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  if (!write_local_log (self, run, &error))
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  remote = make_log (run, run->remote_log);
  g_clear_pointer (&run->remote_log, json_object_unref);
  run->remote_log = json_object_ref (remote);
  body = json_node_init_object (json_node_alloc (), remote);
  id = escape_id (run->rep_id);
  path = g_strconcat ("_local/", id, NULL);
  run->checkpoint_in_flight = TRUE;
  http_request_async (self, "PUT", path, body, run->cancellable,
                      on_remote_log_written_cb, g_object_ref (task));
}

/* ---------------------------------------------------------------------- */
/* Writing to the local target (pull)                                     */

/* A pull is a pipeline: the next _changes is asked for as soon as the
 * last one answered, and each batch's documents are fetched as soon as
 * it is listed, while earlier batches are still being fetched or
 * stored; so the source is never idle while we parse and store. At most
 * PULL_BATCHES_IN_FLIGHT batches are held at once, so memory follows the
 * batch size, not the library size. Batches are stored in the feed's
 * order, each in one transaction on this (the main) thread, and a
 * checkpoint only ever names the last batch stored, so a run stopped
 * anywhere resumes without loss. A checkpoint is written whenever the
 * previous one is done: one at a time, never holding up the batches. */
#define PULL_BATCHES_IN_FLIGHT 3

/* A request for one batch: it holds the run's task */
typedef struct {
  GTask     *task;
  PullBatch *batch;
} BatchCall;

static BatchCall *
batch_call_new (GTask     *task,
                PullBatch *batch)
{
  BatchCall *call = g_new0 (BatchCall, 1);

  call->task = g_object_ref (task);
  call->batch = batch;
  return call;
}

static void
batch_call_free (BatchCall *call)
{
  g_object_unref (call->task);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatchCall, batch_call_free)

/* Stores the batch at the head of the pipeline; FALSE when the run failed. */
static gboolean
store_pulled_batch (GTask     *task,
                    PullBatch *batch)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  BbSyncStats *stats = run_stats (self, run);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  if (batch->docs != NULL && batch->docs->len > 0)
    {
      if (!bb_replica_put_revisions (self->store, batch->docs, NULL, &errors, &error))
        {
          run_fail (task, g_steal_pointer (&error));
          return FALSE;
        }

      stats->docs_written += batch->docs->len - (errors != NULL ? errors->len : 0);
      for (guint i = 0; errors != NULL && i < errors->len; i++)
        {
          JsonObject *e = g_ptr_array_index (errors, i);

          stats_add_refusal (stats,
                             bb_sync_member_string_or (e, "id", ""),
                             bb_sync_member_string (e, "rev"),
                             bb_sync_member_string (e, "error"),
                             bb_sync_member_string (e, "reason"));
        }
    }

  /* An empty feed at the end says where the source stands: kept too, so
   * the next run starts there, but an unchanged checkpoint is not
   * rewritten */
  if (!seq_equal (batch->last_seq, run->since))
    {
      g_clear_pointer (&run->since, json_node_unref);
      run->since = json_node_copy (batch->last_seq);
      run->unsaved = TRUE;
    }
  if (batch->rows > 0)
    {
      run->done += batch->rows;
      g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, run->done, run->done + batch->pending);
    }
  return TRUE;
}

static void on_pull_changes_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data);

/* Moves the pull on as far as it can: asks for the next batch, stores
 * the finished ones at the head, writes a checkpoint, or ends the
 * direction. Called after every reply. */
static void
pull_pump (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PullBatch *head;

  for (;;)
    {
      if (run->failed)
        return;
      if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
        {
          run_fail (task, g_steal_pointer (&error));
          return;
        }

      /* First ask, so the source works while we store */
      if (!run->feed_ended && !run->changes_in_flight &&
          g_queue_get_length (&run->pull_batches) < PULL_BATCHES_IN_FLIGHT)
        {
          g_autofree char *since = seq_to_param (run->changes_since);
          g_autofree char *path = g_strdup_printf ("_changes?style=all_docs&since=%s&limit=%u",
                                                   since, self->batch_size);

          run->changes_in_flight = TRUE;
          http_request_async (self, "GET", path, NULL, run->cancellable, on_pull_changes_cb,
                              g_object_ref (task));
        }

      head = g_queue_peek_head (&run->pull_batches);
      if (head == NULL || !head->fetched)
        break;
      g_queue_pop_head (&run->pull_batches);
      if (!store_pulled_batch (task, head))
        {
          pull_batch_free (head);
          return;
        }
      pull_batch_free (head);
    }

  if (run->checkpoint_in_flight)
    return;
  if (run->unsaved)
    {
      run->unsaved = FALSE;
      checkpoint (task);
      return;
    }
  if (run->feed_ended && !run->changes_in_flight && g_queue_is_empty (&run->pull_batches))
    {
      /* What came before a feed that went round in circles is stored and
       * checkpointed by now; the run still fails, so it is seen */
      if (run->feed_error != NULL)
        run_fail (task, g_steal_pointer (&run->feed_error));
      else
        finish_direction (task);
    }
}

/* Attachments the store lacks are fetched and put inline; the others go
 * as stubs, which the store resolves by digest. */
static void
queue_missing_attachments (BbReplicator *self,
                           PullBatch    *batch,
                           JsonObject   *doc)
{
  JsonNode *node = json_object_get_member (doc, "_attachments");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonObject *att;
      const char *digest;
      FetchItem *item;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        continue;
      att = json_node_get_object (value);
      if (!bb_sync_member_bool (att, "stub", FALSE))
        continue;
      digest = bb_sync_member_string (att, "digest");
      if (digest != NULL && bb_replica_has_attachment (self->store, digest))
        continue;

      item = g_new0 (FetchItem, 1);
      item->doc = json_object_ref (doc);
      item->id = g_strdup (bb_sync_member_string_or (doc, "_id", ""));
      item->rev = g_strdup (bb_sync_member_string_or (doc, "_rev", ""));
      item->name = g_strdup (name);
      g_ptr_array_add (batch->fetch_queue, item);
    }
}

/* Documents as bb_sync_read_*_reply() collected them. */
static void
add_fetched_docs (BbReplicator *self,
                  Run          *run,
                  PullBatch    *batch,
                  GPtrArray    *docs)
{
  BbSyncStats *stats = run_stats (self, run);

  for (guint i = 0; i < docs->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (docs, i);

      g_ptr_array_add (batch->docs, json_object_ref (doc));
      stats->docs_read++;
      queue_missing_attachments (self, batch, doc);
    }
}

static void fetch_next (GTask     *task,
                        PullBatch *batch);

static void
on_fetched_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BatchCall) call = user_data;
  GTask *task = call->task;
  PullBatch *batch = call->batch;
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);
  FetchItem *item;

  if (run->failed)
    return;
  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  item = g_ptr_array_index (batch->fetch_queue, 0);
  if (reply->status != SOUP_STATUS_OK)
    {
      run_fail (task, protocol_error (reply, item->name != NULL ? _("send an attachment") : _("send a document")));
      return;
    }

  if (item->name == NULL)
    {
      g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

      if (!bb_sync_read_open_revs_reply (reply->json, docs))
        {
          run_fail (task, g_error_new (BB_SYNC_ERROR, BB_SYNC_ERROR_PROTOCOL,
                                       _("The peer sent a document in a form Buurtboek does not understand.")));
          return;
        }
      add_fetched_docs (self, run, batch, docs);
    }
  else
    {
      JsonObject *atts = json_object_get_object_member (item->doc, "_attachments");
      JsonObject *att = json_object_get_object_member (atts, item->name);
      gsize length;
      const guchar *data = g_bytes_get_data (reply->bytes, &length);
      g_autofree char *encoded = g_base64_encode (data, length);

      json_object_remove_member (att, "stub");
      json_object_remove_member (att, "length");
      json_object_remove_member (att, "encoding");
      json_object_remove_member (att, "encoded_length");
      json_object_set_string_member (att, "data", encoded);
    }

  g_ptr_array_remove_index (batch->fetch_queue, 0);
  fetch_next (task, batch);
}

/* One GET at a time per batch: documents (fallback) first, which may
 * queue attachments, then attachments. Then the batch waits its turn to
 * be stored. */
static void
fetch_next (GTask     *task,
            PullBatch *batch)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  FetchItem *item;
  g_autofree char *id = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *path = NULL;

  if (batch->fetch_queue->len == 0)
    {
      batch->fetched = TRUE;
      pull_pump (task);
      return;
    }

  item = g_ptr_array_index (batch->fetch_queue, 0);
  id = escape_id (item->id);
  if (item->name == NULL)
    {
      g_autofree char *revs = g_uri_escape_string (item->open_revs, NULL, FALSE);

      path = g_strdup_printf ("%s?revs=true&latest=true&open_revs=%s", id, revs);
    }
  else
    {
      g_autofree char *name = g_uri_escape_string (item->name, "/", FALSE);

      rev = g_uri_escape_string (item->rev, NULL, FALSE);
      path = g_strdup_printf ("%s/%s?rev=%s", id, name, rev);
    }

  http_request_async (self, "GET", path, NULL, run->cancellable, on_fetched_cb,
                      batch_call_new (task, batch));
}

static void
fall_back_to_open_revs (GTask     *task,
                        PullBatch *batch)
{
  JsonObjectIter iter;
  const char *id;
  JsonNode *value;

  json_object_iter_init (&iter, batch->diff);
  while (json_object_iter_next (&iter, &id, &value))
    {
      JsonNode *missing = JSON_NODE_HOLDS_OBJECT (value)
                          ? json_object_get_member (json_node_get_object (value), "missing") : NULL;
      FetchItem *item;

      if (missing == NULL || !JSON_NODE_HOLDS_ARRAY (missing))
        continue;
      item = g_new0 (FetchItem, 1);
      item->id = g_strdup (id);
      item->open_revs = bb_sync_to_json (missing, NULL);
      /* documents go before the attachments they may queue */
      g_ptr_array_insert (batch->fetch_queue, 0, item);
    }

  fetch_next (task, batch);
}

static void
on_bulk_get_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BatchCall) call = user_data;
  GTask *task = call->task;
  PullBatch *batch = call->batch;
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = NULL;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  reply = http_request_finish (result, &error);
  if (run->failed)
    return;
  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  if (reply->status == SOUP_STATUS_FORBIDDEN)
    {
      run_fail (task, protocol_error (reply, _("send documents")));
      return;
    }
  /* A peer without _bulk_get: one GET per document */
  if (reply->status != SOUP_STATUS_OK || !bb_sync_read_bulk_get_reply (reply->json, docs))
    {
      fall_back_to_open_revs (task, batch);
      return;
    }
  add_fetched_docs (self, run, batch, docs);

  fetch_next (task, batch);
}

/* Asks for the batch's missing revisions in one _bulk_get. */
static void
fetch_pull_batch (GTask     *task,
                  PullBatch *batch)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  JsonObjectIter iter;
  const char *id;
  JsonNode *value;
  guint n = 0;

  batch->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  batch->fetch_queue = g_ptr_array_new_with_free_func ((GDestroyNotify) fetch_item_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "docs");
  json_builder_begin_array (builder);
  json_object_iter_init (&iter, batch->diff);
  while (json_object_iter_next (&iter, &id, &value))
    {
      JsonNode *missing = JSON_NODE_HOLDS_OBJECT (value)
                          ? json_object_get_member (json_node_get_object (value), "missing") : NULL;

      if (missing == NULL || !JSON_NODE_HOLDS_ARRAY (missing))
        continue;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (missing)); i++)
        {
          const char *rev = bb_sync_element_string (json_node_get_array (missing), i);

          /* A peer's revision that is not a string is not asked for */
          if (rev == NULL)
            continue;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, id);
          json_builder_set_member_name (builder, "rev");
          json_builder_add_string_value (builder, rev);
          json_builder_end_object (builder);
          n++;
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (n == 0)
    {
      batch->fetched = TRUE;
      return;
    }

  body = json_builder_get_root (builder);
  http_request_async (self, "POST", "_bulk_get?revs=true&latest=true", body,
                      run->cancellable, on_bulk_get_cb, batch_call_new (task, batch));
}

/* TRUE when a batch with rows does not move the feed on: its last_seq is
 * the since= it answered, or one the feed named before (a peer that
 * ignores since= or goes in a circle), or it lists the same changes as
 * the batches before it under ever new seqs. A normal feed names every
 * change once and ends with an empty batch; one that does not would make
 * the pull run forever. Seqs are opaque, so only equality is used. */
#define PULL_MAX_SAME_BATCHES 2

static gboolean
feed_goes_round (Run        *run,
                 PullBatch  *batch,
                 JsonObject *request)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), request);
  g_autofree char *seq = bb_sync_to_json (batch->last_seq, NULL);
  g_autofree char *rows = bb_sync_to_json (node, NULL);
  guint hash = g_str_hash (rows);

  if (run->seen_seqs == NULL)
    {
      run->seen_seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      /* Where this run started counts as seen */
      if (run->since != NULL)
        g_hash_table_add (run->seen_seqs, bb_sync_to_json (run->since, NULL));
    }
  if (seq_equal (batch->last_seq, run->changes_since) ||
      g_hash_table_contains (run->seen_seqs, seq))
    return TRUE;
  g_hash_table_add (run->seen_seqs, g_steal_pointer (&seq));

  if (run->feed_hash == hash && json_object_get_size (request) > 0)
    run->feed_repeats++;
  else
    run->feed_repeats = 0;
  run->feed_hash = hash;
  return run->feed_repeats >= PULL_MAX_SAME_BATCHES;
}

static void
on_pull_changes_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);
  g_autoptr(JsonObject) request = json_object_new ();
  PullBatch *batch;

  run->changes_in_flight = FALSE;
  if (run->failed)
    return;
  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  batch = g_new0 (PullBatch, 1);
  if (reply->status != SOUP_STATUS_OK ||
      !bb_sync_read_changes_reply (reply->json, request, &batch->rows, &batch->pending,
                                   &batch->last_seq))
    {
      pull_batch_free (batch);
      run_fail (task, protocol_error (reply, _("list its changes")));
      return;
    }
  if (batch->rows > 0 && feed_goes_round (run, batch, request))
    {
      /* Stop asking, but store (and checkpoint) what came before */
      pull_batch_free (batch);
      run->feed_ended = TRUE;
      run->feed_error = g_error_new_literal (BB_SYNC_ERROR, BB_SYNC_ERROR_PROTOCOL,
                                             _("The other side keeps sending the same changes; "
                                               "the sync was stopped. What came before is kept."));
      pull_pump (task);
      return;
    }
  g_queue_push_tail (&run->pull_batches, batch);
  g_clear_pointer (&run->changes_since, json_node_unref);
  run->changes_since = json_node_copy (batch->last_seq);

  if (batch->rows == 0)
    {
      /* Nothing more */
      run->feed_ended = TRUE;
      batch->fetched = TRUE;
    }
  else
    {
      batch->diff = bb_replica_revs_diff (self->store, request, &error);
      if (batch->diff == NULL)
        {
          run_fail (task, g_steal_pointer (&error));
          return;
        }
      fetch_pull_batch (task, batch);
    }

  pull_pump (task);
}

/* ---------------------------------------------------------------------- */
/* Writing to the remote target (push)                                    */

static gint64
rev_pos (const char *rev)
{
  gint64 pos = 0;

  if (rev == NULL || !bb_replica_parse_rev (rev, &pos, NULL))
    return 0;
  return pos;
}

/* The newest generation the target already has of this document: its
 * attachments up to that revpos are there and can go as stubs. */
static gint64
known_generation (JsonNode *diff_entry)
{
  JsonNode *ancestors;
  gint64 best = 0;

  if (diff_entry == NULL || !JSON_NODE_HOLDS_OBJECT (diff_entry))
    return 0;
  ancestors = json_object_get_member (json_node_get_object (diff_entry), "possible_ancestors");
  if (ancestors == NULL || !JSON_NODE_HOLDS_ARRAY (ancestors))
    return 0;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (ancestors)); i++)
    best = MAX (best, rev_pos (bb_sync_element_string (json_node_get_array (ancestors), i)));
  return best;
}

static gboolean
inline_attachments (BbReplicator  *self,
                    JsonObject    *doc,
                    gint64         known,
                    GError       **error)
{
  JsonNode *node = json_object_get_member (doc, "_attachments");
  const char *id = bb_sync_member_string (doc, "_id");
  const char *rev = bb_sync_member_string (doc, "_rev");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonObject *att = json_node_get_object (value);
      g_autoptr(GBytes) data = NULL;
      g_autofree char *encoded = NULL;
      gsize length;
      const guchar *bytes;

      if (!bb_sync_member_bool (att, "stub", FALSE) ||
          bb_sync_member_int (att, "revpos", G_MAXINT64) <= known)
        continue;

      data = bb_replica_get_attachment_data (self->store, id, rev, name, NULL, error);
      if (data == NULL)
        return FALSE;
      bytes = g_bytes_get_data (data, &length);
      encoded = g_base64_encode (bytes, length);
      json_object_remove_member (att, "stub");
      json_object_remove_member (att, "length");
      json_object_set_string_member (att, "data", encoded);
    }

  return TRUE;
}

static void push_docs (GTask *task);

static void
on_bulk_docs_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  BbSyncStats *stats = run_stats (self, run);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);
  JsonArray *errors;

  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  /* A stub the target lacks after all: send everything with its data */
  if (reply->status == SOUP_STATUS_PRECONDITION_FAILED && !run->resent_with_data)
    {
      run->resent_with_data = TRUE;
      for (guint i = 0; i < run->docs->len; i++)
        if (!inline_attachments (self, g_ptr_array_index (run->docs, i), -1, &error))
          {
            run_fail (task, g_steal_pointer (&error));
            return;
          }
      push_docs (task);
      return;
    }

  if (reply->status / 100 != 2 || reply->json == NULL || !JSON_NODE_HOLDS_ARRAY (reply->json))
    {
      run_fail (task, protocol_error (reply, _("store documents")));
      return;
    }

  errors = json_node_get_array (reply->json);
  stats->docs_written += run->docs->len;
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonNode *element = json_array_get_element (errors, i);
      JsonObject *e;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      e = json_node_get_object (element);
      if (!json_object_has_member (e, "error"))
        continue;
      stats->docs_written--;
      stats_add_refusal (stats,
                         bb_sync_member_string_or (e, "id", ""),
                         bb_sync_member_string (e, "rev"),
                         bb_sync_member_string (e, "error"),
                         bb_sync_member_string_or (e, "reason", bb_sync_member_string (e, "error")));
    }

  g_clear_pointer (&run->since, json_node_unref);
  run->since = json_node_copy (run->batch_last_seq);
  run->done += run->batch_rows;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, run->done, run->done + run->batch_pending);
  checkpoint (task);
}

static void
push_docs (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < run->docs->len; i++)
    json_array_add_object_element (docs, json_object_ref (g_ptr_array_index (run->docs, i)));
  json_object_set_boolean_member (body, "new_edits", FALSE);
  json_object_set_array_member (body, "docs", g_steal_pointer (&docs));
  node = json_node_init_object (json_node_alloc (), body);
  http_request_async (self, "POST", "_bulk_docs", node, g_task_get_cancellable (task), on_bulk_docs_cb, task);
}

static void
on_push_diff_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  BbSyncStats *stats = run_stats (self, run);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);
  JsonObject *diff;
  JsonObjectIter iter;
  const char *id;
  JsonNode *value;

  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }
  diff = reply_object (reply);
  if (reply->status != SOUP_STATUS_OK || diff == NULL)
    {
      run_fail (task, protocol_error (reply, _("compare revisions")));
      return;
    }

  run->diff = json_object_ref (diff);
  run->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  json_object_iter_init (&iter, diff);
  while (json_object_iter_next (&iter, &id, &value))
    {
      JsonNode *missing = JSON_NODE_HOLDS_OBJECT (value)
                          ? json_object_get_member (json_node_get_object (value), "missing") : NULL;
      g_auto(GStrv) revs = NULL;
      g_autoptr(JsonArray) found = NULL;
      gint64 known = known_generation (value);

      if (missing == NULL || !JSON_NODE_HOLDS_ARRAY (missing) || !bb_sync_doc_id_is_valid (id))
        continue;
      {
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

        for (guint i = 0; i < json_array_get_length (json_node_get_array (missing)); i++)
          {
            const char *rev = bb_sync_element_string (json_node_get_array (missing), i);

            if (rev != NULL)
              g_strv_builder_add (builder, rev);
          }
        revs = g_strv_builder_end (builder);
      }

      found = bb_replica_get_open_revs (self->store, id, (const char * const *) revs,
                                        BB_REPLICA_GET_REVS, &error);
      if (found == NULL)
        {
          run_fail (task, g_steal_pointer (&error));
          return;
        }
      for (guint i = 0; i < json_array_get_length (found); i++)
        {
          JsonObject *element = json_array_get_object_element (found, i);
          JsonObject *doc;

          if (!json_object_has_member (element, "ok"))
            continue;
          doc = json_object_get_object_member (element, "ok");
          if (!inline_attachments (self, doc, known, &error))
            {
              run_fail (task, g_steal_pointer (&error));
              return;
            }
          g_ptr_array_add (run->docs, json_object_ref (doc));
          stats->docs_read++;
        }
    }

  if (run->docs->len == 0)
    {
      g_clear_pointer (&run->since, json_node_unref);
      run->since = json_node_copy (run->batch_last_seq);
      run->done += run->batch_rows;
      g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, run->done, run->done + run->batch_pending);
      checkpoint (task);
      return;
    }

  push_docs (task);
}

/* ---------------------------------------------------------------------- */
/* Batches                                                                */

static void
finish_direction (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  BbSyncStats *stats = run_stats (self, run);

  g_free (stats->last_seq);
  stats->last_seq = run->since != NULL ? bb_sync_to_json (run->since, NULL) : g_strdup ("0");
  stats_end (stats, run, TRUE);

  if (!run->push && run->direction == BB_SYNC_DIRECTION_BOTH)
    {
      run_clear_direction (run);
      run->push = TRUE;
      start_direction (task);
      return;
    }

  run_done (task);
}

typedef struct {
  JsonObject *request;   /* id → [revs] */
  guint       rows;
} PushChanges;

static gboolean
collect_local_change_cb (const BbReplicaChange *change,
                         gpointer               user_data)
{
  PushChanges *collect = user_data;
  JsonArray *revs = json_array_new ();

  for (guint i = 0; change->revs != NULL && change->revs[i] != NULL; i++)
    json_array_add_string_element (revs, change->revs[i]);
  json_object_set_array_member (collect->request, change->id, revs);
  collect->rows++;
  return TRUE;
}

static void
next_batch (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run_clear_batch (run);

  if (g_task_return_error_if_cancelled (task))
    {
      /* g_task_return_error_if_cancelled() returned already: log only */
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

      write_log (self, run, cancelled);
      self->running = FALSE;
      g_object_unref (task);
      return;
    }

  if (!run->push)
    {
      g_clear_pointer (&run->changes_since, json_node_unref);
      run->changes_since = json_node_copy (run->since);
      pull_pump (task);
      return;
    }

  {
    g_autoptr(JsonObject) request = json_object_new ();
    g_autoptr(JsonNode) body = NULL;
    PushChanges collect = { request, 0 };
    gint64 since = 0;
    gint64 last_seq = 0;
    gint64 pending = 0;

    if (run->since != NULL && JSON_NODE_HOLDS_VALUE (run->since) &&
        json_node_get_value_type (run->since) == G_TYPE_INT64)
      since = json_node_get_int (run->since);

    if (!bb_replica_changes (self->store, since, self->batch_size, BB_REPLICA_CHANGES_ALL_DOCS, NULL,
                             collect_local_change_cb, &collect, &last_seq, &pending, &error))
      {
        run_fail (task, g_steal_pointer (&error));
        return;
      }

    run->batch_rows = collect.rows;
    run->batch_pending = pending;
    run->batch_last_seq = json_node_init_int (json_node_alloc (), last_seq);

    if (collect.rows == 0)
      {
        if (!seq_equal (run->batch_last_seq, run->start_seq))
          {
            g_clear_pointer (&run->since, json_node_unref);
            run->since = json_node_copy (run->batch_last_seq);
            g_clear_pointer (&run->start_seq, json_node_unref);
            run->start_seq = json_node_copy (run->since);
            checkpoint (task);
            return;
          }
        finish_direction (task);
        return;
      }

    body = json_node_init_object (json_node_alloc (), request);
    http_request_async (self, "POST", "_revs_diff", body, g_task_get_cancellable (task), on_push_diff_cb, task);
  }
}

/* ---------------------------------------------------------------------- */
/* Starting a direction                                                   */

static void
on_remote_log_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);
  JsonObject *object;

  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  object = reply_object (reply);
  if (reply->status == SOUP_STATUS_OK && object != NULL)
    run->remote_log = json_object_ref (object);
  else if (reply->status != SOUP_STATUS_NOT_FOUND)
    {
      run_fail (task, protocol_error (reply, _("read the sync checkpoint")));
      return;
    }

  run->local_log = bb_replica_get_local (self->store, run->rep_id, NULL);
  run->since = run->push ? compare_logs (run->local_log, run->remote_log)
                         : compare_logs (run->remote_log, run->local_log);
  if (run->since == NULL)
    run->since = json_node_init_int (json_node_alloc (), 0);
  run->start_seq = json_node_copy (run->since);
  run->session_id = g_uuid_string_random ();
  next_batch (task);
}

static void
read_checkpoints (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  run->rep_id = bb_sync_replication_id (run->local_uuid, run->remote_uuid, self->db_name, run->push);
  path = g_strconcat ("_local/", run->rep_id, NULL);
  http_request_async (self, "GET", path, NULL, g_task_get_cancellable (task), on_remote_log_cb, task);
}

static void
on_db_created_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);

  if (reply == NULL)
    run_fail (task, g_steal_pointer (&error));
  else if (reply->status / 100 != 2 && reply->status != SOUP_STATUS_PRECONDITION_FAILED)
    run_fail (task, protocol_error (reply, _("create the library database")));
  else
    read_checkpoints (task);
}

static void
on_db_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);

  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  if (reply->status == SOUP_STATUS_NOT_FOUND && run->push)
    {
      /* A hub database that does not exist yet: make it, as PouchDB does */
      http_request_async (self, "PUT", "", NULL, g_task_get_cancellable (task), on_db_created_cb, task);
      return;
    }
  if (reply->status == SOUP_STATUS_NOT_FOUND)
    {
      run_fail (task, g_error_new (BB_SYNC_ERROR, BB_SYNC_ERROR_NOT_FOUND,
                                   _("There is no library database at %s."), self->url));
      return;
    }
  if (reply->status != SOUP_STATUS_OK || reply_object (reply) == NULL)
    {
      run_fail (task, protocol_error (reply, _("show the library database")));
      return;
    }

  read_checkpoints (task);
}

static void
on_welcome_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpReply) reply = http_request_finish (result, &error);
  JsonObject *object;
  const char *uuid = NULL;

  if (reply == NULL)
    {
      run_fail (task, g_steal_pointer (&error));
      return;
    }

  object = reply_object (reply);
  if (reply->status == SOUP_STATUS_FORBIDDEN)
    {
      run_fail (task, protocol_error (reply, _("show its libraries")));
      return;
    }
  if (reply->status == SOUP_STATUS_OK && object != NULL)
    uuid = bb_sync_member_string (object, "uuid");

  /* A server without a uuid (or one behind a proxy that hides /): the
   * address has to do, as in PouchDB */
  run->remote_uuid = g_strdup (uuid != NULL ? uuid : self->url);
  http_request_async (self, "GET", "", NULL, g_task_get_cancellable (task), on_db_info_cb, task);
}

static void
start_direction (GTask *task)
{
  BbReplicator *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  stats_clear (run_stats (self, run));
  run_stats (self, run)->start_time = now_iso_ms ();
  run->direction_start_us = g_get_monotonic_time ();
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, (gint64) 0, (gint64) 0);
  http_request_async (self, "GET", self->root_url, NULL, g_task_get_cancellable (task), on_welcome_cb, task);
}

/* ---------------------------------------------------------------------- */
/* Object                                                                 */

static void
bb_replicator_dispose (GObject *object)
{
  BbReplicator *self = BB_REPLICATOR (object);

  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bb_replicator_parent_class)->dispose (object);
}

static void
bb_replicator_finalize (GObject *object)
{
  BbReplicator *self = BB_REPLICATOR (object);

  g_free (self->url);
  g_free (self->root_url);
  g_free (self->db_name);
  g_free (self->user);
  g_free (self->password);
  g_free (self->fingerprint);
  g_free (self->seen_fingerprint);
  stats_clear (&self->stats[0]);
  stats_clear (&self->stats[1]);

  G_OBJECT_CLASS (bb_replicator_parent_class)->finalize (object);
}

static void
bb_replicator_class_init (BbReplicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_replicator_dispose;
  object_class->finalize = bb_replicator_finalize;

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
}

static void
bb_replicator_init (BbReplicator *self)
{
  self->batch_size = BB_REPLICATOR_DEFAULT_BATCH;
  self->attempts = 5;
  self->first_delay_ms = 1000;
  /* A pull keeps a _changes, a few _bulk_get and a checkpoint under way */
  self->session = soup_session_new_with_options ("timeout", 120, "idle-timeout", 60,
                                                 "max-conns-per-host", PULL_BATCHES_IN_FLIGHT + 2,
                                                 "user-agent", "Buurtboek/" PACKAGE_VERSION " ",
                                                 NULL);
}

BbReplicator *
bb_replicator_new (BbStore    *store,
                   const char *url)
{
  BbReplicator *self;
  g_autofree char *trimmed = NULL;
  char *slash;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (BB_TYPE_REPLICATOR, NULL);
  self->store = g_object_ref (store);

  trimmed = g_strdup (url);
  while (*trimmed != '\0' && trimmed[strlen (trimmed) - 1] == '/')
    trimmed[strlen (trimmed) - 1] = '\0';
  self->url = g_strdup (trimmed);

  /* The server is the database URL without its last segment */
  slash = strrchr (trimmed, '/');
  if (slash != NULL && slash > trimmed && slash[-1] != '/')
    {
      self->db_name = g_uri_unescape_string (slash + 1, NULL);
      slash[1] = '\0';
      self->root_url = g_strdup (trimmed);
    }
  else
    {
      self->db_name = g_strdup ("");
      self->root_url = g_strconcat (trimmed, "/", NULL);
    }
  if (self->db_name == NULL)
    self->db_name = g_strdup ("");

  return self;
}

const char *
bb_replicator_get_url (BbReplicator *self)
{
  g_return_val_if_fail (BB_IS_REPLICATOR (self), NULL);
  return self->url;
}

void
bb_replicator_set_credentials (BbReplicator *self,
                               const char   *user,
                               const char   *password)
{
  g_return_if_fail (BB_IS_REPLICATOR (self));

  g_free (self->user);
  g_free (self->password);
  self->user = g_strdup (user != NULL ? user : BB_SYNC_DEFAULT_USER);
  self->password = g_strdup (password);
}

void
bb_replicator_set_fingerprint (BbReplicator *self,
                               const char   *fingerprint)
{
  g_return_if_fail (BB_IS_REPLICATOR (self));

  g_clear_pointer (&self->fingerprint, g_free);
  if (fingerprint != NULL && *fingerprint != '\0')
    {
      self->fingerprint = bb_sync_tls_parse_fingerprint (fingerprint, NULL);
      /* Text that is no fingerprint matches no certificate */
      if (self->fingerprint == NULL)
        self->fingerprint = g_strdup (fingerprint);
    }
}

const char *
bb_replicator_get_seen_fingerprint (BbReplicator *self)
{
  g_return_val_if_fail (BB_IS_REPLICATOR (self), NULL);
  return self->seen_fingerprint;
}

void
bb_replicator_set_batch_size (BbReplicator *self,
                              guint         batch_size)
{
  g_return_if_fail (BB_IS_REPLICATOR (self));
  self->batch_size = CLAMP (batch_size, 1, 1000);
}

void
bb_replicator_set_retry (BbReplicator *self,
                         guint         attempts,
                         guint         first_delay_ms)
{
  g_return_if_fail (BB_IS_REPLICATOR (self));
  self->attempts = MAX (attempts, 1);
  self->first_delay_ms = MAX (first_delay_ms, 1);
}

static void
on_outer_cancelled_cb (GCancellable *outer,
                       gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

void
bb_replicator_run_async (BbReplicator        *self,
                         BbSyncDirection      direction,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  Run *run;

  g_return_if_fail (BB_IS_REPLICATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_replicator_run_async);

  if (self->running)
    {
      g_task_return_new_error (task, BB_SYNC_ERROR, BB_SYNC_ERROR_FAILED,
                               _("This library is already syncing with %s."), self->url);
      g_object_unref (task);
      return;
    }

  g_clear_pointer (&self->seen_fingerprint, g_free);
  run = g_new0 (Run, 1);
  run->direction = direction;
  run->push = direction == BB_SYNC_DIRECTION_PUSH;
  run->started_at = bb_date_time_now_iso ();
  run->local_uuid = bb_replica_get_instance_uuid (self->store);
  run->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      run->outer_cancellable = g_object_ref (cancellable);
      run->outer_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled_cb),
                                                       run->cancellable, NULL);
    }
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  stats_clear (&self->stats[0]);
  stats_clear (&self->stats[1]);
  self->running = TRUE;
  start_direction (task);
}

gboolean
bb_replicator_run_finish (BbReplicator  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
bb_replicator_is_running (BbReplicator *self)
{
  g_return_val_if_fail (BB_IS_REPLICATOR (self), FALSE);
  return self->running;
}

const BbSyncStats *
bb_replicator_get_stats (BbReplicator *self,
                         gboolean      push)
{
  g_return_val_if_fail (BB_IS_REPLICATOR (self), NULL);
  return &self->stats[push ? 1 : 0];
}
