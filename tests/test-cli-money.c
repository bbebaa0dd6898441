/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buurtboek-cli subsidy list, ledger import and ledger list, run as a real
 * process on a council file the core prepared. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bb-budget.h"
#include "bb-store.h"
#include "bb-subsidy.h"
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
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbBudgetPost) paper = NULL;
  g_autofree char *backups = NULL;

  f->dir = g_dir_make_tmp ("buurtboek-cli-money-XXXXXX", &error);
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
  paper = bb_budget_post_new (subsidy->id, BB_POST_EXPENSE, "Wijkkrant", 320000);
  g_assert_true (bb_budget_save_post (store, paper, &error));
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
fixture_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "bank", name, NULL);
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
test_import_and_list (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *camt = fixture_file ("camt053-02.xml");
  g_autofree char *ing = fixture_file ("ing.csv");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  JsonObject *first;

  g_assert_cmpint (run (f, &out, &err, "ledger", "import", camt, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "added 3 transactions"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Twice: nothing added. */
  g_assert_cmpint (run (f, &out, &err, "ledger", "import", camt, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "added 0 transactions, skipped 3"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "ledger", "import", ing, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "ledger", "list", "--json", "--year", "2025", NULL), ==, 0);
  array = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 7);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "date"), ==, "2025-03-03");
  g_assert_cmpint (json_object_get_int_member (first, "amount_cents"), ==, 1000000);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 1), "amount_cents"), ==, -81250);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "ledger", "list", "--json", "--year", "2024", NULL), ==, 0);
  array = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 0);
}

static void
test_import_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *usd = fixture_file ("camt053-usd.xml");
  g_autofree char *junk = fixture_file ("not-a-statement.txt");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpint (run (f, &out, &err, "ledger", "import", usd, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "USD"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "ledger", "import", junk, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not a bank statement"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, "ledger", "import", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, "ledger", "list", "--json", NULL), ==, 0);
  g_assert_cmpuint (json_array_get_length (parse_array (out, parser)), ==, 0);
}

static void
test_subsidy_list (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  JsonObject *subsidy;

  g_assert_cmpint (run (f, &out, &err, "subsidy", "list", "--json", NULL), ==, 0);
  array = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  subsidy = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (subsidy, "grantor"), ==, "Gemeente Valkenswaard");
  g_assert_cmpint (json_object_get_int_member (subsidy, "granted_cents"), ==, 1250000);
  g_assert_cmpstr (json_object_get_string_member (subsidy, "required_content"), ==, "activity-financial");
  g_assert_cmpstr (json_object_get_string_member (subsidy, "deadline"), ==, "2026-04-01");
  g_assert_cmpint (json_object_get_int_member (subsidy, "payback_cents"), ==, 1250000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/cli-money/import-and-list", Fixture, NULL, fixture_setup, test_import_and_list, fixture_teardown);
  g_test_add ("/bb/cli-money/import-errors", Fixture, NULL, fixture_setup, test_import_errors, fixture_teardown);
  g_test_add ("/bb/cli-money/subsidy-list", Fixture, NULL, fixture_setup, test_subsidy_list, fixture_teardown);

  return g_test_run ();
}
