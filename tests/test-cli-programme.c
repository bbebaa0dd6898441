/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libical/ical.h>

#include "bb-activity.h"
#include "bb-test-util.h"

typedef struct
{
  char  *dir;
  char  *council;
  char **env;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GDateTime *
at (int year, int month, int day, int hour, int minute)
{
  GDateTime *time = bb_programme_time_new (year, month, day, hour, minute);

  g_assert_nonnull (time);
  return time;
}

static void
add_activity (BbStore    *store,
              const char *title,
              GDateTime  *start,
              const char *rrule)
{
  g_autoptr(BbActivity) activity = bb_activity_new ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, 2);
  g_autoptr(GError) error = NULL;

  bb_activity_set_title (activity, title);
  bb_activity_set_theme (activity, "feest & ontmoeting");
  bb_activity_set_location (activity, "Speeltuin");
  bb_activity_set_times (activity, start, end);
  bb_activity_set_rrule (activity, rrule);
  g_assert_true (bb_programme_save_activity (store, activity, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autofree char *backups = NULL;
  g_autoptr(GDateTime) kings = at (2026, 4, 27, 10, 0);
  g_autoptr(GDateTime) coffee = at (2026, 9, 8, 10, 0);
  g_autoptr(GDateTime) next = at (2027, 1, 9, 16, 0);

  f->dir = g_dir_make_tmp ("buurtboek-cli-programme-XXXXXX", &error);
  g_assert_no_error (error);
  backups = g_build_filename (f->dir, "backups", NULL);
  f->council = g_build_filename (f->dir, "Wijkraad West.buurtboek", NULL);

  bb_council_set_name (council, "Wijkraad West");
  store = bb_store_create (f->council, council, backups, &error);
  g_assert_no_error (error);
  add_activity (store, "Koningsdag", kings, "");
  add_activity (store, "Koffieochtend", coffee, "FREQ=MONTHLY;BYDAY=2TU");
  add_activity (store, "Nieuwjaarsreceptie", next, "");
  {
    g_autoptr(GPtrArray) all = bb_programme_list_activities (store, &error);
    g_autoptr(GDateTime) october = at (2026, 10, 13, 10, 0);

    g_assert_true (bb_programme_cancel_occurrence (store, bb_activity_get_id (g_ptr_array_index (all, 1)),
                                                   october, "Herfstvakantie", &error));
    g_assert_no_error (error);
  }
  g_assert_true (bb_store_close (store, &error));

  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "BUURTBOEK_BACKUP_DIR", backups, TRUE);
  f->env = g_environ_setenv (f->env, "BUURTBOEK_FILE", f->council, TRUE);
  f->env = g_environ_setenv (f->env, "LC_ALL", "C.UTF-8", TRUE);
  f->env = g_environ_unsetenv (f->env, "LANGUAGE");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  bb_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->council);
  g_strfreev (f->env);
}

static void
run_cli_argv (Fixture     *f,
              Run         *run,
              const char **args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("BUURTBOEK_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, f->env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("→ %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

#define run_cli(f, run, ...) \
  G_STMT_START { \
    const char *run_args_[] = { __VA_ARGS__, NULL }; \
    run_cli_argv ((f), (run), run_args_); \
  } G_STMT_END

static void
test_list_json (Fixture       *f,
                gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *first, *cancelled;

  run_cli (f, &run, "programme", "list", "--json", "--year", "2026");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);

  array = json_node_get_array (json_parser_get_root (parser));
  /* Koningsdag and four koffieochtenden (September to December). */
  g_assert_cmpuint (json_array_get_length (array), ==, 5);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "Koningsdag");
  g_assert_cmpstr (json_object_get_string_member (first, "start"), ==, "2026-04-27T10:00:00");
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "planned");
  g_assert_true (json_object_get_null_member (first, "participants"));
  cancelled = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (cancelled, "start"), ==, "2026-10-13T10:00:00");
  g_assert_cmpstr (json_object_get_string_member (cancelled, "status"), ==, "cancelled");
  g_assert_cmpstr (json_object_get_string_member (cancelled, "cancel_reason"), ==, "Herfstvakantie");
  g_assert_cmpstr (json_object_get_string_member (cancelled, "rrule"), ==, "FREQ=MONTHLY;BYDAY=2TU");
}

static void
test_list_text (Fixture       *f,
                gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) empty = { 0 };

  run_cli (f, &run, "programme", "list", "--year", "2027");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "2027-01-09  16:00–18:00"));
  g_assert_nonnull (strstr (run.out, "Nieuwjaarsreceptie — Speeltuin"));
  g_assert_null (strstr (run.out, "Koningsdag"));

  run_cli (f, &empty, "programme", "list", "--year", "2020");
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_cmpstr (empty.out, ==, "No activities in 2020.\n");
}

static void
test_export_ics (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_autofree char *out = g_build_filename (f->dir, "programma.ics", NULL);
  g_autofree char *text = NULL;
  icalcomponent *calendar;

  run_cli (f, &run, "programme", "export-ics", out, "--year", "2026");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  calendar = icalparser_parse_string (text);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, 2);
  icalcomponent_free (calendar);

  /* Never over an existing file without --force. */
  run_cli (f, &again, "programme", "export-ics", out);
  g_assert_cmpint (again.status, ==, 1);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_null (strstr (text, "Nieuwjaarsreceptie"));
}

static void
test_export_pdf (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Run) missing = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) run = { 0 };
  g_autofree char *out = g_build_filename (f->dir, "programma.pdf", NULL);
  g_autofree char *text = NULL;
  gsize length = 0;

  run_cli (f, &missing, "programme", "export-pdf", out);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "--year"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  run_cli (f, &bad, "programme", "export-pdf", out, "--year", "12");
  g_assert_cmpint (bad.status, ==, 2);

  run_cli (f, &run, "programme", "export-pdf", out, "--year", "2026");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &text, &length, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/cli/programme/list-json", Fixture, NULL, fixture_setup, test_list_json, fixture_teardown);
  g_test_add ("/bb/cli/programme/list-text", Fixture, NULL, fixture_setup, test_list_text, fixture_teardown);
  g_test_add ("/bb/cli/programme/export-ics", Fixture, NULL, fixture_setup, test_export_ics, fixture_teardown);
  g_test_add ("/bb/cli/programme/export-pdf", Fixture, NULL, fixture_setup, test_export_pdf, fixture_teardown);

  return g_test_run ();
}
