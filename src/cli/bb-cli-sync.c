/* SPDX-License-Identifier: GPL-3.0-or-later */
/* serve, sync and sync log: the library's replication without a window,
 * for the coordinator's always-on machine and for scripts. */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "bb-council.h"
#include "bb-replica.h"
#include "bb-replicator.h"
#include "bb-store.h"
#include "bb-sync.h"
#include "bb-sync-conflicts.h"
#include "bb-sync-peers.h"
#include "bb-sync-server.h"
#include "bb-sync-tls.h"

#include "bb-cli.h"

#define PASSWORD_ENV "BUURTBOEK_SYNC_PASSWORD"

static BbStore *
open_writable (BbCli       *cli,
               const char  *file,
               GError     **error)
{
  const char *path = bb_cli_council_file (cli, file, error);

  if (path == NULL)
    return NULL;
  return bb_cli_open_writable (cli, path, error);
}

/* The first line of @path, else $BUURTBOEK_SYNC_PASSWORD, else NULL. */
static gboolean
read_password (const char  *path,
               char       **out_password,
               GError     **error)
{
  g_autofree char *contents = NULL;
  char *newline;

  *out_password = NULL;
  if (path == NULL)
    {
      const char *env = g_getenv (PASSWORD_ENV);

      if (env != NULL && *env != '\0')
        *out_password = g_strdup (env);
      return TRUE;
    }

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  newline = strpbrk (contents, "\r\n");
  if (newline != NULL)
    *newline = '\0';
  if (*contents == '\0')
    {
      g_autofree char *shown = bb_cli_display_path (path);

      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   _("The password file “%s” is empty."), shown);
      return FALSE;
    }

  *out_password = g_steal_pointer (&contents);
  return TRUE;
}

static gboolean
on_quit_signal_cb (gpointer user_data)
{
  gboolean *quit = user_data;

  *quit = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
verb_serve (BbCli      *cli,
            char     ***args,
            GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *address = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  gboolean read_only = FALSE;
  gboolean tls = FALSE;
  gboolean help = FALSE;
  int port = 5984;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "address", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &address,
      N_("Listen on this address (default 127.0.0.1; 0.0.0.0 for the network)"), N_("ADDR") },
    { "listen", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &address, NULL, NULL },
    { "port", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &port,
      N_("Listen on this port (default 5984; 0 picks a free one)"), N_("PORT") },
    { "user", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &user,
      N_("The user name peers give (default: buurtboek)"), N_("USER") },
    { "password-file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &password_file,
      N_("The password (access code) peers give, first line of this file"), N_("FILE") },
    { "access-code-file", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &password_file, NULL, NULL },
    { "read-only", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &read_only,
      N_("Peers may read the library but not change it"), NULL },
    { "tls", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &tls,
      N_("Serve https with this council’s self-signed certificate and print its fingerprint"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbSyncServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_auto(GStrv) urls = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  gboolean quit = FALSE;
  guint sigint;
  guint sigterm;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error))
    return FALSE;
  if (port < 0 || port > 65535)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE, _("--port must be between 0 and 65535."));
      return FALSE;
    }
  if (!read_password (password_file, &password, error))
    return FALSE;

  /* Anyone on the network could otherwise read and change the library */
  inet = g_inet_address_new_from_string (address != NULL ? address : "127.0.0.1");
  if (inet != NULL && !g_inet_address_get_is_loopback (inet) && password == NULL)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("Sharing on the network needs an access code: give --password-file or set %s."),
                   PASSWORD_ENV);
      return FALSE;
    }

  store = open_writable (cli, file, error);
  if (store == NULL)
    return FALSE;

  if (tls)
    {
      g_autofree char *certificate_path = bb_sync_tls_certificate_path (bb_store_get_council_id (store));
      g_autoptr(BbCouncil) council = bb_store_dup_council (store);

      certificate = bb_sync_tls_load_or_create (certificate_path, bb_council_get_name (council), error);
      if (certificate == NULL)
        {
          bb_cli_close_store (store, NULL);
          return FALSE;
        }
    }

  server = bb_sync_server_new (store);
  bb_sync_server_set_credentials (server, user, password);
  bb_sync_server_set_read_only (server, read_only);
  bb_sync_server_set_tls_certificate (server, certificate);
  if (!bb_sync_server_listen (server, address, (guint) port, error))
    {
      bb_cli_close_store (store, NULL);
      return FALSE;
    }

  urls = bb_sync_server_dup_urls (server);
  for (guint i = 0; urls[i] != NULL; i++)
    g_print ("%s\n", urls[i]);
  if (password != NULL)
    /* Translators: %s is the user name peers type */
    g_print (_("User name: %s\n"), user != NULL ? user : BB_SYNC_DEFAULT_USER);
  if (certificate != NULL)
    {
      g_autofree char *fingerprint = bb_sync_tls_fingerprint (certificate);

      /* Translators: %s is the certificate's SHA-256 fingerprint, AB:CD:… */
      g_print (_("Fingerprint (SHA-256): %s\n"), fingerprint);
    }
  g_print (_("Sharing the library; press Ctrl+C to stop.\n"));

  sigint = g_unix_signal_add (SIGINT, on_quit_signal_cb, &quit);
  sigterm = g_unix_signal_add (SIGTERM, on_quit_signal_cb, &quit);
  while (!quit)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  bb_sync_server_stop (server);
  g_clear_object (&server);
  return bb_cli_close_store (store, error);
}

typedef struct {
  GAsyncResult *result;
  gboolean      quiet;
} SyncWait;

static void
on_sync_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static void
on_sync_progress_cb (BbReplicator *replicator,
                     gint64        done,
                     gint64        total,
                     gpointer      user_data)
{
  SyncWait *wait = user_data;

  if (wait->quiet || done == 0)
    return;
  /* Translators: progress of a sync, e.g. "200 of 5000 documents" */
  g_printerr (_("%lld of %lld documents\n"), (long long) done, (long long) total);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* One direction, with the members PouchDB's replication result has, plus
 * "duration_ms" and "refusals" (the errors as text). */
static void
add_stats_json (JsonBuilder       *builder,
                const char        *name,
                const BbSyncStats *stats)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, stats->completed && stats->doc_write_failures == 0);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, stats->completed ? "complete" : "aborted");
  add_nullable_string (builder, "start_time", stats->start_time);
  add_nullable_string (builder, "end_time", stats->end_time);
  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, stats->duration_ms);
  json_builder_set_member_name (builder, "docs_read");
  json_builder_add_int_value (builder, stats->docs_read);
  json_builder_set_member_name (builder, "docs_written");
  json_builder_add_int_value (builder, stats->docs_written);
  json_builder_set_member_name (builder, "doc_write_failures");
  json_builder_add_int_value (builder, stats->doc_write_failures);
  json_builder_set_member_name (builder, "last_seq");
  if (stats->last_seq != NULL)
    {
      g_autoptr(JsonNode) seq = json_from_string (stats->last_seq, NULL);

      json_builder_add_value (builder, seq != NULL ? g_steal_pointer (&seq) : json_node_new (JSON_NODE_NULL));
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; stats->errors != NULL && i < stats->errors->len; i++)
    {
      const BbSyncRefusal *refusal = g_ptr_array_index (stats->errors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, refusal->id);
      add_nullable_string (builder, "rev", refusal->rev);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, refusal->error);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, refusal->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "refusals");
  json_builder_begin_array (builder);
  for (guint i = 0; stats->errors != NULL && i < stats->errors->len; i++)
    {
      g_autofree char *text = bb_sync_refusal_to_string (g_ptr_array_index (stats->errors, i));

      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_stats (const char        *label,
             const BbSyncStats *stats)
{
  /* Translators: "pull: 12 documents read, 12 written, 0 refused" */
  g_print (_("%s: %lld documents read, %lld written, %lld refused\n"),
           label, (long long) stats->docs_read, (long long) stats->docs_written,
           (long long) stats->doc_write_failures);
  for (guint i = 0; stats->errors != NULL && i < stats->errors->len; i++)
    {
      g_autofree char *text = bb_sync_refusal_to_string (g_ptr_array_index (stats->errors, i));

      g_print ("  %s\n", text);
    }
}

static gboolean
verb_sync (BbCli      *cli,
           char     ***args,
           GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *fingerprint_text = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean push = FALSE;
  gboolean pull = FALSE;
  gboolean json = FALSE;
  gboolean help = FALSE;
  int batch = BB_REPLICATOR_DEFAULT_BATCH;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "push", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &push,
      N_("Only send this library's changes"), NULL },
    { "pull", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &pull,
      N_("Only fetch the peer's changes"), NULL },
    { "user", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &user,
      N_("User name at the peer (default: buurtboek)"), N_("USER") },
    { "password-file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &password_file,
      N_("Password at the peer, first line of this file"), N_("FILE") },
    { "fingerprint", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &fingerprint_text,
      N_("Trust the peer’s self-signed certificate only with this SHA-256 fingerprint"), N_("AB:CD:…") },
    { "batch", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &batch,
      N_("Documents per request (default 250)"), N_("N") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbReplicator) replicator = NULL;
  g_autoptr(GError) sync_error = NULL;
  BbSyncDirection direction = BB_SYNC_DIRECTION_BOTH;
  SyncWait wait = { NULL, FALSE };
  const char *url;
  gboolean ok;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("URL"), &url, error))
    return FALSE;
  if (push && pull)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("Give --push or --pull, not both (without either, both directions run)."));
      return FALSE;
    }
  if (batch < 1 || batch > 1000)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE, _("--batch must be between 1 and 1000."));
      return FALSE;
    }
  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("“%s” is not a web address; it looks like http://192.168.1.20:5984/library."), url);
      return FALSE;
    }
  if (!read_password (password_file, &password, error))
    return FALSE;
  if (fingerprint_text != NULL)
    {
      fingerprint = bb_sync_tls_parse_fingerprint (fingerprint_text, error);
      if (fingerprint == NULL)
        return FALSE;
    }

  direction = push ? BB_SYNC_DIRECTION_PUSH : pull ? BB_SYNC_DIRECTION_PULL : BB_SYNC_DIRECTION_BOTH;

  store = open_writable (cli, file, error);
  if (store == NULL)
    return FALSE;

  replicator = bb_replicator_new (store, url);
  if (password != NULL || user != NULL)
    bb_replicator_set_credentials (replicator, user, password);
  bb_replicator_set_batch_size (replicator, (guint) batch);
  bb_replicator_set_fingerprint (replicator, fingerprint);

  wait.quiet = json;
  g_signal_connect (replicator, "progress", G_CALLBACK (on_sync_progress_cb), &wait);
  bb_replicator_run_async (replicator, direction, NULL, on_sync_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);

  ok = bb_replicator_run_finish (replicator, wait.result, &sync_error);
  g_clear_object (&wait.result);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, ok);
      if (!ok)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, sync_error->message);
          if (bb_replicator_get_seen_fingerprint (replicator) != NULL)
            {
              json_builder_set_member_name (builder, "certificate_fingerprint");
              json_builder_add_string_value (builder, bb_replicator_get_seen_fingerprint (replicator));
            }
        }
      if (direction != BB_SYNC_DIRECTION_PUSH)
        add_stats_json (builder, "pull", bb_replicator_get_stats (replicator, FALSE));
      if (direction != BB_SYNC_DIRECTION_PULL)
        add_stats_json (builder, "push", bb_replicator_get_stats (replicator, TRUE));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    {
      if (direction != BB_SYNC_DIRECTION_PUSH)
        print_stats (_("pull"), bb_replicator_get_stats (replicator, FALSE));
      if (direction != BB_SYNC_DIRECTION_PULL)
        print_stats (_("push"), bb_replicator_get_stats (replicator, TRUE));
    }

  g_clear_object (&replicator);
  if (!bb_cli_close_store (store, ok ? error : NULL) && ok)
    return FALSE;

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&sync_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
verb_sync_log (BbCli      *cli,
               char     ***args,
               GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *peer = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  int limit = 20;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "peer", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &peer,
      N_("Only runs with this database URL"), N_("URL") },
    { "limit", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &limit,
      N_("At most this many runs (default 20)"), N_("N") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) entries_list = NULL;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error))
    return FALSE;

  path = bb_cli_council_file (cli, file, error);
  if (path == NULL)
    return FALSE;
  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;

  entries_list = bb_sync_log_list (store, peer, (guint) MAX (limit, 1), error);
  if (entries_list == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < entries_list->len; i++)
        {
          BbSyncLogEntry *entry = g_ptr_array_index (entries_list, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "peer");
          json_builder_add_string_value (builder, entry->peer_url);
          json_builder_set_member_name (builder, "started_at");
          json_builder_add_string_value (builder, entry->started_at);
          json_builder_set_member_name (builder, "finished_at");
          json_builder_add_string_value (builder, entry->finished_at);
          json_builder_set_member_name (builder, "direction");
          json_builder_add_string_value (builder, bb_sync_direction_to_string (entry->direction));
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, entry->status);
          json_builder_set_member_name (builder, "docs_read");
          json_builder_add_int_value (builder, entry->docs_read);
          json_builder_set_member_name (builder, "docs_written");
          json_builder_add_int_value (builder, entry->docs_written);
          json_builder_set_member_name (builder, "doc_write_failures");
          json_builder_add_int_value (builder, entry->doc_write_failures);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, entry->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    {
      for (guint i = 0; i < entries_list->len; i++)
        {
          BbSyncLogEntry *entry = g_ptr_array_index (entries_list, i);

          g_print ("%s  %-11s  %-4s  %s  %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "%s%s\n",
                   entry->finished_at, entry->status, bb_sync_direction_to_string (entry->direction),
                   entry->peer_url, entry->docs_read, entry->docs_written, entry->doc_write_failures,
                   entry->message[0] != '\0' ? "  " : "", entry->message);
        }
      if (entries_list->len == 0)
        g_print (_("The library has not been synced yet.\n"));
    }

  return bb_cli_close_store (store, error);
}

static gboolean
verb_conflicts (BbCli      *cli,
                char     ***args,
                GError    **error)
{
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error))
    return FALSE;

  path = bb_cli_council_file (cli, file, error);
  if (path == NULL)
    return FALSE;
  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;

  conflicts = bb_sync_conflicts_list (store, error);
  if (conflicts == NULL)
    return FALSE;

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  else if (conflicts->len == 0)
    g_print (_("No document has conflicting versions.\n"));

  for (guint i = 0; i < conflicts->len; i++)
    {
      BbSyncConflict *conflict = g_ptr_array_index (conflicts, i);
      g_autoptr(GPtrArray) versions = bb_sync_conflicts_get_versions (store, conflict->doc_id, error);

      if (versions == NULL)
        return FALSE;

      if (json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, conflict->doc_id);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, conflict->title);
          json_builder_set_member_name (builder, "versions");
          json_builder_begin_array (builder);
        }
      else
        g_print ("%s  %s\n", conflict->doc_id, conflict->title);

      for (guint j = 0; j < versions->len; j++)
        {
          BbSyncConflictVersion *v = g_ptr_array_index (versions, j);

          if (json)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "rev");
              json_builder_add_string_value (builder, v->rev);
              json_builder_set_member_name (builder, "winner");
              json_builder_add_boolean_value (builder, v->winner);
              json_builder_set_member_name (builder, "title");
              json_builder_add_string_value (builder, v->title);
              json_builder_set_member_name (builder, "council_id");
              json_builder_add_string_value (builder, v->council_id);
              json_builder_set_member_name (builder, "council_name");
              json_builder_add_string_value (builder, v->council_name);
              json_builder_set_member_name (builder, "municipality");
              json_builder_add_string_value (builder, v->municipality);
              json_builder_set_member_name (builder, "updated_at");
              json_builder_add_string_value (builder, v->updated_at);
              json_builder_end_object (builder);
            }
          else
            /* Translators: a version of a conflicted document: revision,
             * "(shown)" marker, council name, time of the change, title */
            g_print ("  %s%s  %s  %s  %s\n", v->rev, v->winner ? _(" (shown)") : "",
                     v->council_name[0] != '\0' ? v->council_name : _("unknown council"),
                     v->updated_at, v->title);
        }

      if (json)
        {
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
    }

  if (json)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }

  return bb_cli_close_store (store, error);
}

/* The edited version for --merge: a JSON object with "title" and
 * optionally "summary" and "body", as `conflicts --json` or `library
 * show --json` print them. */
static gboolean
read_merge_file (const char  *path,
                 char       **out_title,
                 char       **out_summary,
                 char       **out_body,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *shown = bb_cli_display_path (path);
  const char *names[] = { "title", "summary", "body" };
  char **outs[] = { out_title, out_summary, out_body };
  JsonNode *root;
  JsonObject *object;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      /* Translators: %s is a file name, then the parser's message */
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   _("“%s” is not valid JSON: %s"), shown, local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   _("“%s” must hold a JSON object with “title”, “summary” and “body”."), shown);
      return FALSE;
    }
  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          *outs[i] = NULL;
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          /* Translators: %s is a member name such as “title”, then a file name */
          g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                       _("“%s” in “%s” must be text."), names[i], shown);
          return FALSE;
        }
      *outs[i] = g_strdup (json_node_get_string (node));
    }
  return TRUE;
}

static gboolean
verb_conflicts_resolve (BbCli      *cli,
                        char     ***args,
                        GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *merge = NULL;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  g_autofree char *new_rev = NULL;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "keep", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &keep,
      N_("Keep this version (a revision as `conflicts` lists it)"), N_("REV") },
    { "merge", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &merge,
      N_("Write this edited version (JSON with title, summary, body) instead"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *doc_id;
  BbSyncConflictVersion *base = NULL;
  gboolean ok;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("ID"), &doc_id, error))
    return FALSE;
  if (keep == NULL && merge == NULL)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("Give --keep REV (a version to keep) or --merge FILE (an edited version)."));
      return FALSE;
    }
  if (merge != NULL && !read_merge_file (merge, &title, &summary, &body, error))
    return FALSE;

  store = open_writable (cli, file, error);
  if (store == NULL)
    return FALSE;

  versions = bb_sync_conflicts_get_versions (store, doc_id, &local_error);
  if (versions == NULL)
    {
      if (g_error_matches (local_error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND))
        g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                     _("The library has no document “%s”."), doc_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      bb_cli_close_store (store, NULL);
      return FALSE;
    }
  if (versions->len < 2)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   _("Document “%s” has no conflicting versions."), doc_id);
      bb_cli_close_store (store, NULL);
      return FALSE;
    }
  for (guint i = 0; i < versions->len; i++)
    {
      BbSyncConflictVersion *v = g_ptr_array_index (versions, i);

      if (keep != NULL ? g_strcmp0 (v->rev, keep) == 0 : v->winner)
        base = v;
    }
  if (base == NULL)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   _("“%s” is not a current version of document “%s”; `conflicts` lists them."),
                   keep, doc_id);
      bb_cli_close_store (store, NULL);
      return FALSE;
    }

  if (merge != NULL)
    {
      /* What the file leaves out stays as the base version has it */
      ok = bb_sync_conflicts_merge (store, doc_id, base->rev,
                                    title != NULL ? title : base->title,
                                    summary != NULL ? summary : base->summary,
                                    body != NULL ? body : base->body,
                                    &new_rev, error);
    }
  else
    {
      ok = bb_sync_conflicts_keep (store, doc_id, base->rev, error);
      new_rev = g_strdup (base->rev);
    }

  if (!ok)
    {
      bb_cli_close_store (store, NULL);
      return FALSE;
    }
  /* Translators: %s is the revision that is now the only current version */
  g_print (_("Resolved; the current version is %s.\n"), new_rev);
  return bb_cli_close_store (store, error);
}

const BbCliVerb bb_cli_sync_verbs[BB_CLI_SYNC_N_VERBS] = {
  { "serve", NULL,
    N_("Share the library with peers over HTTP"),
    N_("Serves the library as the CouchDB database “library” until Ctrl+C. Listens on "
       "127.0.0.1 unless --address says otherwise; on the network an access code "
       "(--password-file or $BUURTBOEK_SYNC_PASSWORD) is required."),
    verb_serve },
  { "sync", N_("URL"),
    N_("Sync the library with a CouchDB database"),
    N_("Pulls and pushes (or only one with --pull, --push) with any CouchDB-compatible "
       "database, e.g. http://192.168.1.20:5984/library. Exit status 1 when it fails."),
    verb_sync },
  { "sync log", NULL,
    N_("Show the log of sync runs"),
    N_("Newest first: when, result, direction, peer, documents read/written/refused."),
    verb_sync_log },
  { "conflicts", NULL,
    N_("List library documents with conflicting versions"),
    N_("Each document with more than one current version (changed on two sides before they "
       "synced): per version its revision, origin council, time and title; “(shown)” marks the "
       "one shown until you choose. Resolve them with `conflicts resolve` or in the app's "
       "Sharing section."),
    verb_conflicts },
  { "conflicts resolve", N_("ID"),
    N_("Resolve a document's conflicting versions"),
    N_("Keeps one version (--keep REV) or writes an edited one (--merge FILE, a JSON object "
       "with “title”, “summary” and “body”; members left out stay as in the version given "
       "with --keep, else the shown one) and deletes the other versions, so the resolution "
       "reaches every peer at the next sync."),
    verb_conflicts_resolve },
};
