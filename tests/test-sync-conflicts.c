/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conflicts: listing documents with several live versions, keeping one,
 * merging by editing, and the resolution replicating to a peer. */

#include "config.h"

#include <string.h>

#include "bb-council.h"
#include "bb-library.h"
#include "bb-replica.h"
#include "bb-replicator.h"
#include "bb-store.h"
#include "bb-sync-conflicts.h"
#include "bb-sync-server.h"
#include "bb-test-util.h"

#define NOORD "5f0c6e8a-2d7b-4c1e-9a33-1b2f4d6e8a90"
#define ZUID  "0b7d1c9e-44aa-4f0e-8e21-9d3c5a7b6e12"

typedef struct {
  char    *dir;
  BbStore *a;
  BbStore *b;
  guint    changed;
} Fixture;

static BbStore *
make_store (Fixture    *fixture,
            const char *name)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = g_strdup_printf ("%s/%s.buurtboek", fixture->dir, name);
  g_autofree char *backups = g_build_filename (fixture->dir, "backups", NULL);
  g_autoptr(GError) error = NULL;
  BbStore *store;

  bb_council_set_name (council, name);
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  return store;
}

static void
on_changed_cb (BbStore *store,
               gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->changed++;
}

/* A peer's revision as _bulk_docs with new_edits=false carries it. */
static JsonObject *
peer_doc (const char *id,
          const char *rev,
          const char *parent_hash,
          const char *council_id,
          const char *council_name,
          const char *title,
          gboolean    deleted)
{
  JsonObject *doc = json_object_new ();
  JsonObject *revisions = json_object_new ();
  JsonArray *ids = json_array_new ();
  JsonObject *origin = json_object_new ();
  gint64 pos = 0;
  const char *hash = NULL;

  g_assert_true (bb_replica_parse_rev (rev, &pos, &hash));
  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", rev);
  json_array_add_string_element (ids, hash);
  if (parent_hash != NULL)
    json_array_add_string_element (ids, parent_hash);
  json_object_set_int_member (revisions, "start", pos);
  json_object_set_array_member (revisions, "ids", ids);
  json_object_set_object_member (doc, "_revisions", revisions);
  if (deleted)
    {
      json_object_set_boolean_member (doc, "_deleted", TRUE);
      json_object_unref (origin);
      return doc;
    }
  json_object_set_string_member (doc, "format", BB_LIBRARY_FORMAT);
  json_object_set_string_member (doc, "type", "practice");
  json_object_set_string_member (doc, "title", title);
  json_object_set_string_member (doc, "summary", "Samenvatting");
  json_object_set_string_member (doc, "body", "# Draaiboek\n\nStap 1.");
  json_object_set_string_member (doc, "updated_at", "2026-05-01T10:00:00Z");
  json_object_set_string_member (doc, "x_future", "kept");
  json_object_set_string_member (origin, "council_id", council_id);
  json_object_set_string_member (origin, "council_name", council_name);
  json_object_set_string_member (origin, "municipality", "Hengelo");
  json_object_set_object_member (doc, "origin", origin);
  return doc;
}

static void
put_peer_docs (BbStore    *store,
               JsonObject *first,
               ...)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  va_start (ap, first);
  for (JsonObject *doc = first; doc != NULL; doc = va_arg (ap, JsonObject *))
    g_ptr_array_add (docs, doc);
  va_end (ap);

  g_assert_true (bb_replica_put_revisions (store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
}

/* "burendag": 1-a1 by Noord, then 2-b1 (Noord) and 2-c2 (Zuid) made
 * independently; 2-c2 wins (larger hash). */
#define H1 "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define HB "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1"
#define HC "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2"
#define HD "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d"

static void
seed_conflict (BbStore *store,
               gboolean three)
{
  put_peer_docs (store,
                 peer_doc ("burendag", "1-" H1, NULL, NOORD, "Wijkraad Noord", "Burendag", FALSE),
                 peer_doc ("burendag", "2-" HB, H1, NOORD, "Wijkraad Noord", "Burendag (Noord)", FALSE),
                 peer_doc ("burendag", "2-" HC, H1, ZUID, "Wijkraad Zuid", "Burendag (Zuid)", FALSE),
                 three ? peer_doc ("burendag", "2-" HD, H1, ZUID, "Wijkraad Zuid", "Burendag (derde)", FALSE) : NULL,
                 NULL);
  /* A document without conflict, and one whose other leaf is deleted */
  put_peer_docs (store,
                 peer_doc ("koningsdag", "1-" H1, NULL, NOORD, "Wijkraad Noord", "Koningsdag", FALSE),
                 peer_doc ("schouw", "1-" H1, NULL, NOORD, "Wijkraad Noord", "Wijkschouw", FALSE),
                 peer_doc ("schouw", "2-" HB, H1, NOORD, "Wijkraad Noord", "Wijkschouw 2", FALSE),
                 peer_doc ("schouw", "2-" HC, H1, NOORD, NULL, NULL, TRUE),
                 NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-conflicts-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->a = make_store (fixture, "Wijkraad Noord");
  fixture->b = make_store (fixture, "Wijkraad Zuid");
  seed_conflict (fixture->a, user_data != NULL);
  g_signal_connect (fixture->a, "changed", G_CALLBACK (on_changed_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  bb_store_close (fixture->a, NULL);
  bb_store_close (fixture->b, NULL);
  g_clear_object (&fixture->a);
  g_clear_object (&fixture->b);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
leaves_text (BbStore    *store,
             const char *id)
{
  g_autoptr(GPtrArray) leaves = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  leaves = bb_replica_get_leaves (store, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < leaves->len; i++)
    {
      BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);

      g_string_append_printf (text, "%s%s%s", i > 0 ? " " : "", leaf->rev, leaf->deleted ? "(deleted)" : "");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  BbSyncConflict *conflict;
  BbSyncConflictVersion *v;

  list = bb_sync_conflicts_list (fixture->a, &error);
  g_assert_no_error (error);
  /* Only "burendag": a deleted other leaf is no conflict */
  g_assert_cmpuint (list->len, ==, 1);
  conflict = g_ptr_array_index (list, 0);
  g_assert_cmpstr (conflict->doc_id, ==, "burendag");
  g_assert_cmpstr (conflict->title, ==, "Burendag (Zuid)");
  g_assert_cmpuint (conflict->n_versions, ==, 2);
  g_assert_cmpint (bb_sync_conflicts_count (fixture->a, &error), ==, 1);
  g_assert_no_error (error);

  versions = bb_sync_conflicts_get_versions (fixture->a, "burendag", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  v = g_ptr_array_index (versions, 0);
  g_assert_true (v->winner);
  g_assert_cmpstr (v->rev, ==, "2-" HC);
  g_assert_cmpstr (v->council_id, ==, ZUID);
  g_assert_cmpstr (v->council_name, ==, "Wijkraad Zuid");
  g_assert_cmpstr (v->municipality, ==, "Hengelo");
  g_assert_cmpstr (v->updated_at, ==, "2026-05-01T10:00:00Z");
  g_assert_cmpstr (v->body, ==, "# Draaiboek\n\nStap 1.");
  g_assert_cmpuint (g_strv_length (v->attachments), ==, 0);
  v = g_ptr_array_index (versions, 1);
  g_assert_false (v->winner);
  g_assert_cmpstr (v->rev, ==, "2-" HB);
  g_assert_cmpstr (v->title, ==, "Burendag (Noord)");
  g_assert_cmpstr (v->council_name, ==, "Wijkraad Noord");

  g_assert_null (bb_sync_conflicts_get_versions (fixture->a, "nope", &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->changed, ==, 0);
}

static void
test_keep_loser (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *winner = NULL;
  g_autofree char *leaves = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 seq = bb_replica_get_update_seq (fixture->a);
  gboolean deleted = TRUE;
  gint64 live = 0;

  /* Keeping the version that lost the automatic choice */
  g_assert_true (bb_sync_conflicts_keep (fixture->a, "burendag", "2-" HB, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changed, ==, 1);

  winner = bb_replica_get_winning_rev (fixture->a, "burendag", &deleted, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (winner, ==, "2-" HB);
  g_assert_false (deleted);

  /* The other version is now a tombstone on top of it (replicable), and
   * every other leaf of the tree is gone from the live set */
  leaves = leaves_text (fixture->a, "burendag");
  g_assert_true (g_str_has_prefix (leaves, "2-" HB " 3-"));
  g_assert_true (g_str_has_suffix (leaves, "(deleted)"));
  {
    g_auto(GStrv) parts = g_strsplit (leaves, " ", -1);

    for (guint i = 0; parts[i] != NULL; i++)
      live += strstr (parts[i], "(deleted)") == NULL;
  }
  g_assert_cmpint (live, ==, 1);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->a), >, seq);

  list = bb_sync_conflicts_list (fixture->a, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpint (bb_sync_conflicts_count (fixture->a, NULL), ==, 0);
}

static void
test_keep_three (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *leaves = NULL;
  g_auto(GStrv) parts = NULL;
  guint tombstones = 0;

  g_autoptr(GPtrArray) list = bb_sync_conflicts_list (fixture->a, NULL);

  g_assert_cmpuint (((BbSyncConflict *) g_ptr_array_index (list, 0))->n_versions, ==, 3);
  g_assert_true (bb_sync_conflicts_keep (fixture->a, "burendag", "2-" HD, &error));
  g_assert_no_error (error);
  /* One transaction for both tombstones */
  g_assert_cmpuint (fixture->changed, ==, 1);

  leaves = leaves_text (fixture->a, "burendag");
  parts = g_strsplit (leaves, " ", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_cmpstr (parts[0], ==, "2-" HD);
  for (guint i = 1; parts[i] != NULL; i++)
    tombstones += g_str_has_suffix (parts[i], "(deleted)") && g_str_has_prefix (parts[i], "3-");
  g_assert_cmpuint (tombstones, ==, 2);
  g_assert_cmpint (bb_sync_conflicts_count (fixture->a, NULL), ==, 0);
}

static void
test_keep_stale (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = leaves_text (fixture->a, "burendag");
  g_autofree char *after = NULL;
  gint64 seq = bb_replica_get_update_seq (fixture->a);

  /* The common ancestor is no current version: a sync changed things */
  g_assert_false (bb_sync_conflicts_keep (fixture->a, "burendag", "1-" H1, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (bb_sync_conflicts_keep (fixture->a, "burendag", "2-ffff", &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (bb_sync_conflicts_keep (fixture->a, "nope", "2-" HB, &error));
  g_assert_error (error, BB_REPLICA_ERROR, BB_REPLICA_ERROR_NOT_FOUND);

  after = leaves_text (fixture->a, "burendag");
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->a), ==, seq);
  g_assert_cmpuint (fixture->changed, ==, 0);
}

static void
test_merge (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *winner = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  JsonObject *origin;
  gint64 seq = bb_replica_get_update_seq (fixture->a);

  /* A bad title changes nothing */
  g_assert_false (bb_sync_conflicts_merge (fixture->a, "burendag", "2-" HB, "   ", "", "", NULL, &error));
  g_assert_error (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_TITLE);
  g_clear_error (&error);
  g_assert_cmpint (bb_replica_get_update_seq (fixture->a), ==, seq);
  g_assert_cmpuint (fixture->changed, ==, 0);

  g_assert_true (bb_sync_conflicts_merge (fixture->a, "burendag", "2-" HB, " Burendag (samen) ",
                                          "Noord en Zuid", "# Samen\n\nBeide stappen.", &rev, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (rev, "3-"));
  g_assert_cmpuint (fixture->changed, ==, 1);

  winner = bb_replica_get_winning_rev (fixture->a, "burendag", NULL, &error);
  g_assert_cmpstr (winner, ==, rev);
  doc = bb_replica_get (fixture->a, "burendag", NULL, BB_REPLICA_GET_CONFLICTS | BB_REPLICA_GET_REVS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Burendag (samen)");
  g_assert_cmpstr (json_object_get_string_member (doc, "summary"), ==, "Noord en Zuid");
  g_assert_cmpstr (json_object_get_string_member (doc, "body"), ==, "# Samen\n\nBeide stappen.");
  /* The base's other members and origin survive, the time is new */
  g_assert_cmpstr (json_object_get_string_member (doc, "x_future"), ==, "kept");
  origin = json_object_get_object_member (doc, "origin");
  g_assert_cmpstr (json_object_get_string_member (origin, "council_id"), ==, NOORD);
  g_assert_cmpstr (json_object_get_string_member (doc, "updated_at"), !=, "2026-05-01T10:00:00Z");
  g_assert_false (json_object_has_member (doc, "_conflicts"));
  /* The merged version continues the chosen one */
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     json_object_get_object_member (doc, "_revisions"), "ids"), 1), ==, HB);

  versions = bb_sync_conflicts_get_versions (fixture->a, "burendag", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 1);
  g_assert_cmpint (bb_sync_conflicts_count (fixture->a, NULL), ==, 0);
}

typedef struct {
  GAsyncResult *result;
} RunWait;

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static void
run_sync (BbReplicator *replicator)
{
  RunWait wait = { NULL };
  g_autoptr(GError) error = NULL;

  bb_replicator_run_async (replicator, BB_SYNC_DIRECTION_BOTH, NULL, on_run_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (bb_replicator_run_finish (replicator, wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

/* A resolved on one side replicates: the peer ends with the same single
 * live version and no conflict. */
static void
test_resolution_replicates (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BbSyncServer) server = bb_sync_server_new (fixture->b);
  g_autoptr(BbReplicator) replicator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *leaves_a = NULL;
  g_autofree char *leaves_b = NULL;

  g_assert_true (bb_sync_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/library", bb_sync_server_get_port (server));
  replicator = bb_replicator_new (fixture->a, url);

  run_sync (replicator);
  g_assert_cmpint (bb_sync_conflicts_count (fixture->b, NULL), ==, 1);

  g_assert_true (bb_sync_conflicts_merge (fixture->a, "burendag", "2-" HC, "Burendag",
                                          "", "Samen.", &rev, &error));
  g_assert_no_error (error);
  run_sync (replicator);

  g_assert_cmpint (bb_sync_conflicts_count (fixture->b, NULL), ==, 0);
  leaves_a = leaves_text (fixture->a, "burendag");
  leaves_b = leaves_text (fixture->b, "burendag");
  g_assert_cmpstr (leaves_a, ==, leaves_b);
  {
    g_autofree char *winner_b = bb_replica_get_winning_rev (fixture->b, "burendag", NULL, NULL);

    g_assert_cmpstr (winner_b, ==, rev);
  }

  bb_sync_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add ("/bb/sync-conflicts/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("list", NULL, test_list);
  ADD ("keep-loser", NULL, test_keep_loser);
  ADD ("keep-one-of-three", "three", test_keep_three);
  ADD ("keep-stale", NULL, test_keep_stale);
  ADD ("merge", NULL, test_merge);
  ADD ("resolution-replicates", NULL, test_resolution_replicates);

  return g_test_run ();
}
