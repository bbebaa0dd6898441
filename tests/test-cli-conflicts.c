/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buurtboek-cli conflicts and conflicts resolve, run as a real process on
 * a council file that holds a document changed on two sides. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bb-council.h"
#include "bb-library.h"
#include "bb-replica.h"
#include "bb-store.h"
#include "bb-test-util.h"

#define NOORD "5f0c6e8a-2d7b-4c1e-9a33-1b2f4d6e8a90"
#define ZUID  "0b7d1c9e-44aa-4f0e-8e21-9d3c5a7b6e12"
#define H1 "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define HB "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1"
#define HC "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2"

typedef struct {
  char  *dir;
  char  *path;
  char  *backups;
  char **env;
} Fixture;

/* A peer's revision as _bulk_docs with new_edits=false carries it. */
static JsonObject *
peer_doc (const char *id,
          const char *rev,
          const char *parent_hash,
          const char *council_id,
          const char *title)
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
  json_object_set_string_member (doc, "format", BB_LIBRARY_FORMAT);
  json_object_set_string_member (doc, "type", "practice");
  json_object_set_string_member (doc, "title", title);
  json_object_set_string_member (doc, "summary", "Samenvatting");
  json_object_set_string_member (doc, "body", "# Draaiboek\n\nStap 1.");
  json_object_set_string_member (doc, "updated_at", "2026-05-01T10:00:00Z");
  json_object_set_string_member (origin, "council_id", council_id);
  json_object_set_string_member (origin, "council_name", "Wijkraad");
  json_object_set_object_member (doc, "origin", origin);
  return doc;
}

/* "burendag": 1-a1, then 2-b1 (Noord) and 2-c2 (Zuid) made on two
 * sides; 2-c2 is shown (larger hash). "koningsdag" has one version. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;

  f->dir = g_dir_make_tmp ("buurtboek-cli-conflicts-XXXXXX", &error);
  g_assert_no_error (error);
  f->backups = g_build_filename (f->dir, "backups", NULL);
  f->path = g_build_filename (f->dir, "Zuid.buurtboek", NULL);

  bb_council_set_name (council, "Wijkraad Zuid");
  store = bb_store_create (f->path, council, f->backups, &error);
  g_assert_no_error (error);
  g_ptr_array_add (docs, peer_doc ("burendag", "1-" H1, NULL, NOORD, "Burendag"));
  g_ptr_array_add (docs, peer_doc ("burendag", "2-" HB, H1, NOORD, "Burendag (Noord)"));
  g_ptr_array_add (docs, peer_doc ("burendag", "2-" HC, H1, ZUID, "Burendag (Zuid)"));
  g_ptr_array_add (docs, peer_doc ("koningsdag", "1-" H1, NULL, NOORD, "Koningsdag"));
  g_assert_true (bb_replica_put_revisions (store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_true (bb_store_close (store, &error));

  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "BUURTBOEK_BACKUP_DIR", f->backups, TRUE);
  f->env = g_environ_setenv (f->env, "BUURTBOEK_FILE", f->path, TRUE);
  f->env = g_environ_setenv (f->env, "LC_ALL", "C.UTF-8", TRUE);
  f->env = g_environ_unsetenv (f->env, "LANGUAGE");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  bb_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->backups);
  g_strfreev (f->env);
}

#define run(f, out, err, ...) bb_test_run_cli ((f)->env, out, err, __VA_ARGS__)

/* "rev rev(deleted) …", the winner first, read from the file itself. */
static char *
leaves_text (Fixture    *f,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) store = bb_store_open (f->path, BB_STORE_OPEN_READ_ONLY, f->backups, &error);
  g_autoptr(GPtrArray) leaves = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  leaves = bb_replica_get_leaves (store, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < leaves->len; i++)
    {
      BbReplicaLeaf *leaf = g_ptr_array_index (leaves, i);

      g_string_append_printf (text, "%s%s%s", i > 0 ? " " : "", leaf->rev, leaf->deleted ? "(deleted)" : "");
    }
  g_assert_true (bb_store_close (store, &error));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static JsonObject *
winner (Fixture    *f,
        const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) store = bb_store_open (f->path, BB_STORE_OPEN_READ_ONLY, f->backups, &error);
  JsonObject *doc;

  g_assert_no_error (error);
  doc = bb_replica_get (store, id, NULL, BB_REPLICA_GET_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (bb_store_close (store, &error));
  return doc;
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_keep (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *leaves = NULL;
  g_autoptr(JsonObject) doc = NULL;

  /* The user keeps the version that was not shown */
  g_assert_cmpint (run (f, &out, &err, "conflicts", "resolve", "burendag", "--keep", "2-" HB, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2-" HB));

  leaves = leaves_text (f, "burendag");
  g_assert_true (g_str_has_prefix (leaves, "2-" HB " 3-"));
  g_assert_true (g_str_has_suffix (leaves, "(deleted)"));
  doc = winner (f, "burendag");
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Burendag (Noord)");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "conflicts", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "No document has conflicting versions"));
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *leaves = NULL;
  g_autofree char *merge = write_file (f, "merged.json",
                                       "{\"title\": \"Burendag (samen)\", \"body\": \"# Samen\\n\\nBeide.\"}");
  g_autoptr(JsonObject) doc = NULL;
  g_auto(GStrv) parts = NULL;

  /* Merged on the version from Noord: its summary and origin stay */
  g_assert_cmpint (run (f, &out, &err, "conflicts", "resolve", "burendag", "--keep", "2-" HB,
                        "--merge", merge, NULL), ==, 0);
  doc = winner (f, "burendag");
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "Burendag (samen)");
  g_assert_cmpstr (json_object_get_string_member (doc, "body"), ==, "# Samen\n\nBeide.");
  g_assert_cmpstr (json_object_get_string_member (doc, "summary"), ==, "Samenvatting");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (doc, "origin"), "council_id"),
                   ==, NOORD);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (doc, "_rev"), "3-"));
  g_assert_nonnull (strstr (out, json_object_get_string_member (doc, "_rev")));

  /* One live leaf, the merge; the other side's version is a tombstone */
  leaves = leaves_text (f, "burendag");
  g_assert_nonnull (strstr (leaves, "3-"));
  parts = g_strsplit (leaves, " ", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  g_assert_true (g_str_has_suffix (leaves, "(deleted)"));
}

/* Mistakes are refused with a message naming what is wrong, and leave
 * the conflict as it was. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  const char *before = "2-" HC " 2-" HB;
  g_autofree char *bad_json = write_file (f, "bad.json", "{\"title\": ");
  g_autofree char *bad_title = write_file (f, "title.json", "{\"title\": 12}");
  g_autofree char *empty_title = write_file (f, "empty.json", "{\"title\": \"  \"}");
  struct {
    const char *args[6];
    int         status;
    const char *message;
  } cases[] = {
    { { "resolve", "onbekend", "--keep", "2-" HB }, 1, "onbekend" },
    { { "resolve", "burendag", "--keep", "2-ffff" }, 1, "2-ffff" },
    { { "resolve", "burendag", "--keep", "1-" H1 }, 1, "1-" H1 },
    { { "resolve", "koningsdag", "--keep", "1-" H1 }, 1, "no conflicting versions" },
    { { "resolve", "burendag" }, 2, "--keep" },
    { { "resolve", "--keep", "2-" HB }, 2, "ID" },
    { { "resolve", "burendag", "--merge", bad_json }, 1, "bad.json" },
    { { "resolve", "burendag", "--merge", bad_title }, 1, "title" },
    { { "resolve", "burendag", "--merge", empty_title }, 1, "title" },
    { { "resolve", "burendag", "--merge", "/nonexistent/merge.json" }, 1, "merge.json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *leaves = NULL;
      const char * const *a = cases[i].args;

      g_test_message ("case %u", i);
      g_assert_cmpint (run (f, &out, &err, "conflicts", a[0], a[1], a[2], a[3], a[4], NULL), ==, cases[i].status);
      g_assert_nonnull (strstr (err, cases[i].message));
      leaves = leaves_text (f, "burendag");
      g_assert_cmpstr (leaves, ==, before);
    }
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (f, &out, &err, "conflicts", "resolve", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--keep"));
  g_assert_nonnull (strstr (out, "--merge"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "conflicts", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "conflicts resolve"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/cli/conflicts/keep", Fixture, NULL, fixture_setup, test_keep, fixture_teardown);
  g_test_add ("/bb/cli/conflicts/merge", Fixture, NULL, fixture_setup, test_merge, fixture_teardown);
  g_test_add ("/bb/cli/conflicts/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/bb/cli/conflicts/help", Fixture, NULL, fixture_setup, test_help, fixture_teardown);

  return g_test_run ();
}
