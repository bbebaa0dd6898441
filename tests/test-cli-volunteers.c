/* SPDX-License-Identifier: GPL-3.0-or-later */

/* buurtboek-cli volunteer … and hours report, run as a real process. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bb-hours.h"
#include "bb-store.h"
#include "bb-test-util.h"
#include "bb-volunteer.h"

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

  f->dir = g_dir_make_tmp ("buurtboek-cli-volunteers-XXXXXX", &error);
  g_assert_no_error (error);
  backups = g_build_filename (f->dir, "backups", NULL);
  f->path = g_build_filename (f->dir, "Dommelhoek.buurtboek", NULL);
  bb_council_set_name (council, "Wijkraad De Dommelhoek");
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
            const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static guint
count_listed (Fixture *f)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpint (run (f, &out, &err, "volunteer", "list", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  return json_array_get_length (json_node_get_array (json_parser_get_root (parser)));
}

static void
test_import_export_erase (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *csv = write_file (f, "leden.csv",
                                     "Wie;Mail;Telefoon\n"
                                     "Anna de Vries;anna@example.nl;06-1\n"
                                     "Bert Bos;bert@;06-2\n"
                                     "Cor Kok;cor@example.nl;06-3\n");
  g_autofree char *exported = g_build_filename (f->dir, "export.csv", NULL);
  g_autofree char *inzage = g_build_filename (f->dir, "anna.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *anna = NULL;
  g_auto(GStrv) lines = NULL;

  /* "Wie" is not a known header: without a mapping nothing is imported. */
  g_assert_cmpint (run (f, &out, &err, "volunteer", "import-csv", csv, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "name"));
  g_assert_cmpuint (count_listed (f), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A dry run lists the problem by line and changes nothing. */
  g_assert_cmpint (run (f, &out, &err, "volunteer", "import-csv", "--map", "Wie=full_name",
                        "--map", "mail=email", "--dry-run", csv, NULL), ==, 0);
  g_assert_nonnull (strstr (err, "Line 3"));
  g_assert_nonnull (strstr (out, "2 volunteers would be imported"));
  g_assert_cmpuint (count_listed (f), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "volunteer", "import-csv", "-m", "Wie=full_name",
                        "-m", "2=email", csv, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Imported 2 volunteers"));
  g_assert_cmpuint (count_listed (f), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "volunteer", "export-csv", exported, NULL), ==, 0);
  g_assert_true (g_file_get_contents (exported, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "id,"));
  g_assert_nonnull (strstr (lines[1], "Anna"));
  anna = g_strndup (lines[1], strchr (lines[1], ',') - lines[1]);
  g_assert_true (g_uuid_string_is_valid (anna));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* An existing file is not replaced without --force. */
  g_assert_cmpint (run (f, &out, &err, "volunteer", "export-csv", exported, NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "volunteer", "inzage", anna, inzage, NULL), ==, 0);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (inzage, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "anna@example.nl"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "volunteer", "erase", anna, NULL), ==, 0);
  g_assert_cmpuint (count_listed (f), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "volunteer", "erase", anna, NULL), ==, 1);
  g_assert_nonnull (strstr (err, anna));
}

static void
test_hours_report (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) store = bb_store_open (f->path, BB_STORE_OPEN_NONE, NULL, &error);
  g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_no_error (error);
  bb_volunteer_set_first_name (volunteer, "Gerrit");
  bb_volunteer_set_last_name (volunteer, "Hendriks");
  g_assert_true (bb_volunteer_save (store, volunteer, &error));
  g_assert_true (bb_hours_add_manual (store, bb_volunteer_get_id (volunteer), NULL, "2025-03-08", 150, "",
                                      NULL, &error));
  g_assert_true (bb_store_close (store, &error));

  g_assert_cmpint (run (f, &out, &err, "hours", "report", "--year", "2025", "--csv", NULL), ==, 0);
  g_assert_nonnull (strstr (out, ";Gerrit Hendriks;2,50;1;1\r\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "hours", "report", "--year", "2025", "--by", "month", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2:30"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "hours", "report", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--year"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/cli/volunteers/import-export-erase", Fixture, NULL,
              fixture_setup, test_import_export_erase, fixture_teardown);
  g_test_add ("/bb/cli/volunteers/hours-report", Fixture, NULL,
              fixture_setup, test_hours_report, fixture_teardown);

  return g_test_run ();
}
