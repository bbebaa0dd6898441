/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buurtboek-cli report, run as a real process on a council file the core
 * prepared. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bb-budget.h"
#include "bb-ledger.h"
#include "bb-store.h"
#include "bb-subsidy.h"
#include "bb-test-util.h"

typedef struct {
  char  *dir;
  char  *path;
  char  *subsidy_id;
  char **env;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbBudgetPost) paper = NULL;
  g_autoptr(BbTransaction) print = bb_transaction_new ();
  g_autofree char *backups = NULL;

  f->dir = g_dir_make_tmp ("buurtboek-cli-report-XXXXXX", &error);
  g_assert_no_error (error);
  backups = g_build_filename (f->dir, "backups", NULL);
  f->path = g_build_filename (f->dir, "Dommelhoek.buurtboek", NULL);

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (f->path, council, backups, &error);
  g_assert_no_error (error);
  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (subsidy->period_start);
  subsidy->period_start = g_strdup ("2025-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_strdup ("2025-12-31");
  subsidy->granted_cents = 1250000;
  g_assert_true (bb_subsidy_save (store, subsidy, &error));
  g_assert_no_error (error);
  f->subsidy_id = g_strdup (subsidy->id);
  paper = bb_budget_post_new (subsidy->id, BB_POST_EXPENSE, "Wijkkrant", 320000);
  g_assert_true (bb_budget_save_post (store, paper, &error));
  g_assert_no_error (error);

  /* € 2.950,12 spent, no receipt: a missing receipt. */
  g_free (print->date);
  print->date = g_strdup ("2025-04-01");
  g_free (print->description);
  print->description = g_strdup ("Drukkerij De Wijk");
  print->amount_cents = -295012;
  bb_transaction_add_split (print, paper->id, -295012);
  g_assert_true (bb_ledger_save (store, print, &error));
  g_assert_no_error (error);
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);

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
  g_free (f->subsidy_id);
  g_strfreev (f->env);
}

/* The CLI with @f's environment; see bb_test_run_cli(). */
#define run(f, out, err, ...) bb_test_run_cli ((f)->env, out, err, __VA_ARGS__)

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->dir, "report.json", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *financial;
  JsonObject *post;

  g_assert_cmpint (run (f, &out, &err, "report", f->subsidy_id, "--format", "json", "-o", dest, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "report.json"));
  /* The missing receipt is named on stderr; the report is written. */
  g_assert_nonnull (strstr (err, "Drukkerij De Wijk"));

  json_parser_load_from_file (parser, dest, &error);
  g_assert_no_error (error);
  financial = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                             "financial_report");
  post = json_array_get_object_element (json_object_get_array_member (financial, "posts"), 0);
  g_assert_cmpstr (json_object_get_string_member (post, "name"), ==, "Wijkkrant");
  g_assert_cmpint (json_object_get_int_member (post, "planned_cents"), ==, 320000);
  g_assert_cmpint (json_object_get_int_member (post, "actual_cents"), ==, 295012);
  g_assert_cmpint (json_object_get_int_member (post, "difference_cents"), ==, -24988);
  g_assert_cmpint (json_object_get_int_member (financial, "payback_cents"), ==, 1250000 - 295012);
}

static void
test_pdf_csv_xlsx (Fixture       *f,
                   gconstpointer  data)
{
  const char *formats[] = { "pdf", "csv", "xlsx" };
  const char *magic[] = { "%PDF-", "\xef\xbb\xbfPost;", "PK\x03\x04" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("report.%s", formats[i]);
      g_autofree char *dest = g_build_filename (f->dir, name, NULL);
      g_autofree char *out = NULL, *err = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_assert_cmpint (run (f, &out, &err, "report", f->subsidy_id, "--format", formats[i],
                            "--output", dest, NULL), ==, 0);
      g_file_get_contents (dest, &contents, &length, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (length, >, strlen (magic[i]));
      g_assert_true (memcmp (contents, magic[i], strlen (magic[i])) == 0);
      if (i == 1)
        g_assert_nonnull (strstr (contents, "\r\nWijkkrant;expense;3200,00;2950,12;-249,88;-7,8%;\r\n"));
    }
}

static void
test_force (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->dir, "report.csv", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (dest, "keep me", -1, NULL));
  g_assert_cmpint (run (f, &out, &err, "report", f->subsidy_id, "--format", "csv", "-o", dest, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--force"));
  g_assert_true (g_file_get_contents (dest, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "report", f->subsidy_id, "--format", "csv", "-o", dest,
                        "--force", NULL), ==, 0);
  g_assert_true (g_file_get_contents (dest, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf"));
}

static void
test_bad_usage (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->dir, "report.docx", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (f, &out, &err, "report", f->subsidy_id, "--format", "docx", "-o", dest, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "docx"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "report", f->subsidy_id, "--format", "pdf", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--output"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "report", "--format", "pdf", "-o", dest, NULL), ==, 2);
}

static void
test_unknown_subsidy (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->dir, "report.pdf", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (f, &out, &err, "report", "not-a-subsidy", "--format", "pdf", "-o", dest, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not-a-subsidy"));
  /* Nothing half-written left behind. */
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/cli/report/json", Fixture, NULL, fixture_setup, test_json, fixture_teardown);
  g_test_add ("/bb/cli/report/pdf-csv-xlsx", Fixture, NULL, fixture_setup, test_pdf_csv_xlsx, fixture_teardown);
  g_test_add ("/bb/cli/report/force", Fixture, NULL, fixture_setup, test_force, fixture_teardown);
  g_test_add ("/bb/cli/report/bad-usage", Fixture, NULL, fixture_setup, test_bad_usage, fixture_teardown);
  g_test_add ("/bb/cli/report/unknown-subsidy", Fixture, NULL, fixture_setup, test_unknown_subsidy,
              fixture_teardown);

  return g_test_run ();
}
