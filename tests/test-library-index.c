/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The library's full-text index when documents come from a peer: storing a
 * batch leaves the text to be indexed afterwards, and yet every search
 * finds exactly the winners — never a stale text, never a missing one. */

#include "config.h"

#include <string.h>

#include "bb-library.h"
#include "bb-replica.h"
#include "bb-store-private.h"
#include "bb-test-util.h"

typedef struct
{
  char    *dir;
  char    *path;
  char    *backups;
  BbStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();

  fixture->dir = g_dir_make_tmp ("buurtboek-library-index-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "Zuid.buurtboek", NULL);
  fixture->backups = g_build_filename (fixture->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad Zuid");
  fixture->store = bb_store_create (fixture->path, council, fixture->backups, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  bb_store_close (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->backups);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static JsonObject *
peer_doc (const char *id,
          const char *rev,
          const char *parent_rev,
          const char *title,
          const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *history = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *hash = strchr (rev, '-') + 1;

  if (parent_rev != NULL)
    history = g_strdup_printf (", \"_revisions\": {\"start\": %d, \"ids\": [\"%s\", \"%s\"]}",
                               atoi (rev), hash, strchr (parent_rev, '-') + 1);
  text = g_strdup_printf ("{\"_id\": \"%s\", \"_rev\": \"%s\"%s,"
                          " \"format\": \"" BB_LIBRARY_FORMAT "\", \"type\": \"practice\","
                          " \"title\": \"%s\", \"summary\": \"\", \"body\": \"%s\","
                          " \"origin\": {\"council_id\": \"council-noord\", \"council_name\": \"Wijkraad Noord\","
                          " \"municipality\": \"Breda\"}}",
                          id, rev, history != NULL ? history : "", title, body);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static void
put_batch (BbStore    *store,
           JsonObject *first,
           ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  va_list args;

  va_start (args, first);
  for (JsonObject *doc = first; doc != NULL; doc = va_arg (args, JsonObject *))
    g_ptr_array_add (docs, doc);
  va_end (args);

  g_assert_true (bb_replica_put_revisions (store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
}

/* The ids of the hits, in order, "|"-separated. */
static char *
search_ids (BbStore    *store,
            const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) results = bb_library_search (store, query, NULL, 100, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(BbLibrarySearchResult) result = g_list_model_get_item (results, i);
      BbLibraryDocument *doc = bb_library_search_result_get_document (result);

      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", bb_library_document_get_id (doc));
    }
  return g_string_free (out, FALSE);
}

static gint64
pending (BbStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = bb_library_get_index_pending (store, &error);

  g_assert_no_error (error);
  return n;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
list_ids (BbStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) docs = bb_library_list (store, NULL, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (docs); i++)
    {
      g_autoptr(BbLibraryDocument) doc = g_list_model_get_item (docs, i);

      g_ptr_array_add (ids, g_strdup (bb_library_document_get_id (doc)));
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv ("|", (char **) ids->pdata);
}

/* A batch from a peer is listed at once and found by the first search,
 * which indexes what the batch left; a later winner replaces the text. */
static void
test_search_after_batch (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *listed = NULL;
  g_autofree char *found = NULL;

  put_batch (fixture->store,
             peer_doc ("a", "1-aaaa", NULL, "Burendag draaiboek", "Tenten en tafels huren."),
             peer_doc ("b", "1-bbbb", NULL, "Moestuin", "Samen zaaien met de buren."),
             NULL);
  g_assert_cmpint (pending (fixture->store), ==, 2);

  listed = list_ids (fixture->store);
  g_assert_cmpstr (listed, ==, "a|b");

  found = search_ids (fixture->store, "tafel");
  g_assert_cmpstr (found, ==, "a");
  g_assert_cmpint (pending (fixture->store), ==, 0);
  g_clear_pointer (&found, g_free);

  /* The peer edits "a": the old text must not be found any more. */
  put_batch (fixture->store,
             peer_doc ("a", "2-cccc", "1-aaaa", "Burendag draaiboek", "Een springkussen reserveren."),
             NULL);
  g_assert_cmpint (pending (fixture->store), ==, 1);
  found = search_ids (fixture->store, "tafel");
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);
  found = search_ids (fixture->store, "springkus");
  g_assert_cmpstr (found, ==, "a");
  g_clear_pointer (&found, g_free);

  /* Several revisions of one document in one batch: indexed once, at
   * the winner. */
  put_batch (fixture->store,
             peer_doc ("b", "2-dddd", "1-bbbb", "Moestuin", "Pompoenen kweken."),
             peer_doc ("b", "3-eeee", "2-dddd", "Moestuin", "Tomaten kweken."),
             NULL);
  g_assert_cmpint (pending (fixture->store), ==, 1);
  found = search_ids (fixture->store, "pompoen");
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);
  found = search_ids (fixture->store, "tomaten");
  g_assert_cmpstr (found, ==, "b");
}

/* The idle source catches up by itself once the main loop runs, in
 * chunks, without a search. */
static void
test_idle_flush (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *found = NULL;
  guint iterations = 0;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *id = g_strdup_printf ("doc-%02u", i);
      g_autofree char *title = g_strdup_printf ("Document %u", i);

      g_ptr_array_add (docs, peer_doc (id, "1-abcd", NULL, title, "Koffie in het buurthuis."));
    }
  g_assert_true (bb_replica_put_revisions (fixture->store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending (fixture->store), ==, 60);

  while (pending (fixture->store) > 0)
    {
      g_assert_true (g_main_context_iteration (NULL, TRUE));
      /* Chunks, not everything in one step. */
      if (iterations++ == 0)
        g_assert_cmpint (pending (fixture->store), >, 0);
      g_assert_cmpuint (iterations, <, 100);
    }
  g_assert_false (g_main_context_pending (NULL));

  found = search_ids (fixture->store, "buurthuis");
  g_assert_cmpuint (strlen (found), ==, 60 * 7 - 1);
}

/* A read-only store cannot index: documents waiting are left out of the
 * results instead of being found with an old text. */
static void
test_read_only (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) reader = NULL;
  g_autofree char *found = NULL;

  put_batch (fixture->store,
             peer_doc ("a", "1-aaaa", NULL, "Buurtbus", "Rijden met vrijwilligers."),
             peer_doc ("b", "1-bbbb", NULL, "Taalcafé", "Oefenen met vrijwilligers."),
             NULL);
  g_assert_cmpint (bb_library_flush_index (fixture->store, 0, &error), ==, 0);
  g_assert_no_error (error);
  put_batch (fixture->store,
             peer_doc ("a", "2-cccc", "1-aaaa", "Buurtbus", "Rijden met chauffeurs."),
             NULL);

  reader = bb_store_open (fixture->path, BB_STORE_OPEN_READ_ONLY, fixture->backups, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pending (reader), ==, 1);
  found = search_ids (reader, "vrijwilligers");
  g_assert_cmpstr (found, ==, "b");
  g_clear_pointer (&found, g_free);
  found = search_ids (reader, "chauffeurs");
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);
  g_assert_cmpint (pending (reader), ==, 1);

  /* Once the writer caught up, the reader finds the new text. */
  g_assert_cmpint (bb_library_flush_index (fixture->store, 0, &error), ==, 0);
  g_assert_no_error (error);
  found = search_ids (reader, "chauffeurs");
  g_assert_cmpstr (found, ==, "a");
  g_assert_true (bb_store_close (reader, &error));
  g_assert_no_error (error);
}

/* A tombstone from a peer takes the document out of the index; an edit
 * made here indexes at once and the document no longer waits. */
static void
test_delete_and_local_edit (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) tombstone = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *found = NULL;
  g_autofree char *rev = NULL;

  put_batch (fixture->store,
             peer_doc ("a", "1-aaaa", NULL, "Speeltuin", "Schommels keuren."),
             peer_doc ("b", "1-bbbb", NULL, "Speeltuin west", "Glijbaan keuren."),
             NULL);
  found = search_ids (fixture->store, "keuren");
  g_assert_cmpuint (strlen (found), ==, 3);
  g_clear_pointer (&found, g_free);

  tombstone = peer_doc ("a", "2-dead", "1-aaaa", "Speeltuin", "Schommels keuren.");
  json_object_set_boolean_member (tombstone, "_deleted", TRUE);
  put_batch (fixture->store, json_object_ref (tombstone), NULL);
  found = search_ids (fixture->store, "schommels");
  g_assert_cmpstr (found, ==, "");
  g_clear_pointer (&found, g_free);

  /* A peer's change to "b" waits; an edit made here supersedes it. */
  put_batch (fixture->store, peer_doc ("b", "2-cccc", "1-bbbb", "Speeltuin west", "Zandbak verschonen."), NULL);
  g_assert_cmpint (pending (fixture->store), ==, 1);
  body = peer_doc ("b", "2-cccc", NULL, "Speeltuin west", "Wipkip verven.");
  json_object_remove_member (body, "_id");
  json_object_remove_member (body, "_rev");
  g_assert_true (bb_replica_put (fixture->store, "b", "2-cccc", body, FALSE, NULL, &rev, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending (fixture->store), ==, 0);
  found = search_ids (fixture->store, "wipkip");
  g_assert_cmpstr (found, ==, "b");
  g_clear_pointer (&found, g_free);
  found = search_ids (fixture->store, "zandbak");
  g_assert_cmpstr (found, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bb/library-index/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("search-after-batch", test_search_after_batch);
  ADD ("idle-flush", test_idle_flush);
  ADD ("read-only", test_read_only);
  ADD ("delete-and-local-edit", test_delete_and_local_edit);

#undef ADD

  return g_test_run ();
}
