/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buurtboek-cli library add, list, search, show and export-doc, run as a
 * real process on a council file. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bb-store.h"
#include "bb-test-util.h"

typedef struct {
  char  *dir;
  char  *path;
  char **env;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autofree char *backups = NULL;

  f->dir = g_dir_make_tmp ("buurtboek-cli-library-XXXXXX", &error);
  g_assert_no_error (error);
  backups = g_build_filename (f->dir, "backups", NULL);
  f->path = g_build_filename (f->dir, "Zuid.buurtboek", NULL);

  bb_council_set_name (council, "Wijkraad Zuid");
  store = bb_store_create (f->path, council, backups, &error);
  g_assert_no_error (error);
  g_assert_true (bb_store_close (store, &error));

  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "BUURTBOEK_BACKUP_DIR", backups, TRUE);
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
  g_strfreev (f->env);
}

/* The CLI with @f's environment; see bb_test_run_cli(). */
#define run(f, out, err, ...) bb_test_run_cli ((f)->env, out, err, __VA_ARGS__)

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

/* Adds a document; returns its id. */
static char *
add (Fixture    *f,
     const char *title,
     const char *body,
     const char *type,
     const char *theme)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *body_path = write_file (f, "body.md", body);

  g_assert_cmpint (run (f, &out, &err, "library", "add", "--title", title, "--body-file", body_path,
                        "--type", type, "--theme", theme, NULL), ==, 0);
  g_strstrip (out);
  g_assert_cmpuint (strlen (out), ==, 36);
  return g_steal_pointer (&out);
}

static JsonArray *
parse_array (const char *text,
             JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_node_get_array (json_parser_get_root (parser));
}

static void
test_add_list_search (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *attachment = write_file (f, "rooster.csv", "tijd;taak\n10:00;koffie\n");
  g_autofree char *body_path = write_file (f, "b.md", "Tekst");
  JsonArray *array;
  JsonObject *object;

  first = add (f, "Vrijwilligersovereenkomst", "Afspraken met vrijwilligers.", "template", "Volunteers");
  second = add (f, "Jaarverslag 2025", "Dit jaar hielpen vrijwilligers bij het buurtcafé.", "practice", "topic-organisation");

  /* list --json: id, rev, title, type, themes, origin */
  g_assert_cmpint (run (f, &out, &err, "library", "list", "--json", NULL), ==, 0);
  array = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Jaarverslag 2025");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, second);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "rev"), "1-"));
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "practice");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "themes"), 0), ==, "topic-organisation");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "origin"), "council_name"), ==, "Wijkraad Zuid");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* search: the title match first; accents and prefixes. */
  g_assert_cmpint (run (f, &out, &err, "library", "search", "vrijwil", "--json", NULL), ==, 0);
  array = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"), ==, first);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "library", "search", "buurtcafe", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Jaarverslag 2025"));
  g_assert_null (strstr (out, "Vrijwilligersovereenkomst"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Attachments are found by name. */
  g_assert_cmpint (run (f, &out, &err, "library", "add", "--title", "Burendag", "--body-file", body_path,
                        "--attach", attachment, "--tag", "feest", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "library", "search", "rooster", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Burendag"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Bad input: usage errors with status 2, nothing written. */
  g_assert_cmpint (run (f, &out, &err, "library", "add", "--title", "X", "--body-file", body_path,
                        "--theme", "geen-thema", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "geen-thema"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "library", "add", "--title", "X", "--body-file", body_path,
                        "--type", "roman", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "library", "add", "--body-file", body_path, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "library", "list", NULL), ==, 0);
  g_assert_null (strstr (out, " X\n"));
}

static void
test_show_export (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autofree char *attachment = write_file (f, "plattegrond.txt", "kraam 1 — kraam 2\n");
  g_autofree char *body_path = write_file (f, "privacy.md", "# Privacyverklaring\n\nWij bewaren niets langer dan nodig.\n");
  g_autofree char *out_dir = g_build_filename (f->dir, "export", NULL);
  g_autofree char *md_path = g_build_filename (out_dir, "Privacy_AVG.md", NULL);
  g_autofree char *att_path = g_build_filename (out_dir, "plattegrond.txt", NULL);
  g_autofree char *contents = NULL;
  JsonObject *object;

  g_assert_cmpint (run (f, &out, &err, "library", "add", "--title", "Privacy/AVG", "--body-file", body_path,
                        "--summary", "Voor de website", "--attach", attachment, NULL), ==, 0);
  id = g_strstrip (g_strdup (out));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "library", "show", id, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Privacy/AVG"));
  g_assert_nonnull (strstr (out, "CC-BY-4.0"));
  g_assert_nonnull (strstr (out, "plattegrond.txt"));
  g_assert_nonnull (strstr (out, "Wij bewaren niets"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "library", "show", id, "--json", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "buurtboek-library/1");
  g_assert_true (json_object_has_member (json_object_get_object_member (object, "_attachments"), "plattegrond.txt"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "library", "show", "bestaat-niet", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "bestaat-niet"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The title's "/" cannot make a folder. */
  g_assert_cmpint (run (f, &out, &err, "library", "export-doc", id, out_dir, NULL), ==, 0);
  g_assert_true (g_file_get_contents (md_path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "# Privacyverklaring\n\nWij bewaren niets langer dan nodig.\n");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (att_path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "kraam 1 — kraam 2\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Never over an existing file. */
  g_assert_true (g_file_set_contents (md_path, "mijn eigen versie", -1, &error));
  g_assert_cmpint (run (f, &out, &err, "library", "export-doc", id, out_dir, NULL), ==, 1);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (md_path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "mijn eigen versie");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/cli/library/add-list-search", Fixture, NULL,
              fixture_setup, test_add_list_search, fixture_teardown);
  g_test_add ("/bb/cli/library/show-export", Fixture, NULL,
              fixture_setup, test_show_export, fixture_teardown);

  return g_test_run ();
}
