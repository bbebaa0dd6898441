/* SPDX-License-Identifier: GPL-3.0-or-later */

/* `buurtboek-cli sync URL --json` against a peer endpoint in this process:
 * per direction what PouchDB reports for a replication ("ok", "status",
 * "start_time", "end_time", "docs_read", "docs_written",
 * "doc_write_failures", "last_seq", "errors") plus "duration_ms"; a
 * document the peer refuses is listed with its reason and the rest goes
 * through. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bb-council.h"
#include "bb-replica.h"
#include "bb-store.h"
#include "bb-sync-server.h"
#include "bb-test-util.h"

static BbStore *
make_store (const char *dir,
            const char *name)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *file = g_strdup_printf ("%s.buurtboek", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  BbStore *store;

  bb_council_set_name (council, name);
  store = bb_store_create (path, council, dir, &error);
  g_assert_no_error (error);
  return store;
}

static void
put_doc (BbStore    *store,
         const char *id,
         const char *title,
         const char *body_text)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;

  json_object_set_string_member (body, "type", "practice");
  json_object_set_string_member (body, "title", title);
  if (body_text != NULL)
    json_object_set_string_member (body, "body", body_text);
  g_assert_true (bb_replica_put (store, id, NULL, body, FALSE, NULL, &rev, &error));
  g_assert_no_error (error);
}

static void
on_communicated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the CLI while this process keeps serving (the main context turns). */
static JsonObject *
run_sync_json (const char *file,
               const char *url)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("BUURTBOEK_CLI"), "--file", file, "sync", url, "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s", out);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
assert_times (JsonObject *direction)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  start = g_date_time_new_from_iso8601 (json_object_get_string_member (direction, "start_time"), NULL);
  end = g_date_time_new_from_iso8601 (json_object_get_string_member (direction, "end_time"), NULL);
  g_assert_nonnull (start);
  g_assert_nonnull (end);
  g_assert_cmpint (g_date_time_compare (start, end), <=, 0);
  g_assert_cmpint (json_object_get_int_member (direction, "duration_ms"), >=, 0);
  /* The wall clock and the in-process time agree within a second */
  g_assert_cmpint (json_object_get_int_member (direction, "duration_ms") / 1000, <=,
                   g_date_time_difference (end, start) / G_USEC_PER_SEC + 1);
}

static void
test_sync_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bb-test-cli-sync-XXXXXX", &error);
  g_autoptr(BbStore) zuid = make_store (dir, "Zuid");
  g_autoptr(BbStore) noord = make_store (dir, "Noord");
  g_autoptr(BbSyncServer) server = bb_sync_server_new (zuid);
  g_autofree char *noord_path = g_strdup (bb_store_get_path (noord));
  g_autofree char *url = NULL;
  g_autofree char *filler = g_malloc (BB_SYNC_SERVER_MAX_DOC + 1);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) again = NULL;
  JsonObject *pull;
  JsonObject *push;
  JsonObject *refused;

  memset (filler, 'x', BB_SYNC_SERVER_MAX_DOC);
  filler[BB_SYNC_SERVER_MAX_DOC] = '\0';

  put_doc (zuid, "burendag", "Burendag", NULL);
  put_doc (noord, "snoeidag", "Snoeidag", NULL);
  /* More than the peer takes in one document */
  put_doc (noord, "groot", "Groot draaiboek", filler);
  g_assert_true (bb_store_close (noord, &error));
  g_assert_no_error (error);

  bb_sync_server_set_credentials (server, NULL, NULL);
  g_assert_true (bb_sync_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/library", bb_sync_server_get_port (server));

  reply = run_sync_json (noord_path, url);
  g_assert_true (json_object_get_boolean_member (reply, "ok"));

  pull = json_object_get_object_member (reply, "pull");
  g_assert_true (json_object_get_boolean_member (pull, "ok"));
  g_assert_cmpstr (json_object_get_string_member (pull, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (pull, "docs_read"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (pull, "docs_written"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (pull, "doc_write_failures"), ==, 0);
  g_assert_true (json_object_has_member (pull, "last_seq"));
  g_assert_false (json_object_get_null_member (pull, "last_seq"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pull, "errors")), ==, 0);
  assert_times (pull);

  /* The peer refused the big one and stored the other */
  push = json_object_get_object_member (reply, "push");
  g_assert_false (json_object_get_boolean_member (push, "ok"));
  g_assert_cmpstr (json_object_get_string_member (push, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (push, "docs_written"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (push, "doc_write_failures"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (push, "errors")), ==, 1);
  refused = json_array_get_object_element (json_object_get_array_member (push, "errors"), 0);
  g_assert_cmpstr (json_object_get_string_member (refused, "id"), ==, "groot");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (refused, "rev"), "1-"));
  g_assert_cmpstr (json_object_get_string_member (refused, "error"), ==, "too_large");
  g_assert_nonnull (strstr (json_object_get_string_member (refused, "reason"), "limit"));
  {
    /* The same refusal as text: "id rev: reason" */
    JsonArray *texts = json_object_get_array_member (push, "refusals");
    g_autofree char *text = g_strdup_printf ("groot %s: %s", json_object_get_string_member (refused, "rev"),
                                             json_object_get_string_member (refused, "reason"));

    g_assert_cmpuint (json_array_get_length (texts), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (texts, 0), ==, text);
  }
  assert_times (push);
  {
    g_autoptr(JsonObject) stored = bb_replica_get (zuid, "snoeidag", NULL, BB_REPLICA_GET_NONE, NULL);
    g_autoptr(JsonObject) not_stored = bb_replica_get (zuid, "groot", NULL, BB_REPLICA_GET_NONE, NULL);

    g_assert_nonnull (stored);
    g_assert_null (not_stored);
  }

  /* Nothing new: nothing read or written */
  again = run_sync_json (noord_path, url);
  pull = json_object_get_object_member (again, "pull");
  g_assert_cmpint (json_object_get_int_member (pull, "docs_read"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (pull, "status"), ==, "complete");

  bb_sync_server_stop (server);
  g_assert_true (bb_store_close (zuid, &error));
  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/cli/sync/json", test_sync_json);

  return g_test_run ();
}
