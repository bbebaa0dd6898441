/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Bank statements from tests/fixtures/bank (made-up data in the shapes the
 * banks export). */

#include "config.h"

#include <string.h>

#include "bb-bank-import.h"
#include "bb-budget.h"
#include "bb-store-private.h"
#include "bb-subsidy.h"
#include "bb-test-util.h"

typedef struct
{
  char    *dir;
  BbStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-bank-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Bank.buurtboek", NULL);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  fixture->store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_assert_true (bb_store_close (fixture->store, NULL));
  g_assert_finalize_object (fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static GBytes *
load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "bank", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static BbBankStatement *
parse (const char *name)
{
  g_autoptr(GBytes) data = load (name);
  g_autoptr(GError) error = NULL;
  BbBankStatement *statement = bb_bank_statement_parse (data, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (statement);
  return statement;
}

static BbTransaction *
entry (BbBankStatement *statement,
       guint            i)
{
  return ((BbBankEntry *)g_ptr_array_index (statement->entries, i))->transaction;
}

static gint64
count_rows (BbStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = bb_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
test_camt_02 (void)
{
  g_autoptr(BbBankStatement) s = parse ("camt053-02.xml");
  BbTransaction *t;

  g_assert_cmpint (s->format, ==, BB_BANK_FORMAT_CAMT053);
  g_assert_cmpstr (s->account_iban, ==, "NL20INGB0001234567");
  g_assert_cmpuint (s->entries->len, ==, 3);

  t = entry (s, 0);
  g_assert_cmpstr (t->date, ==, "2025-03-03");
  g_assert_cmpint (t->amount_cents, ==, 1000000);
  g_assert_cmpstr (t->counterparty, ==, "Gemeente Valkenswaard");
  g_assert_cmpstr (t->counterparty_iban, ==, "NL86BNGH0285012345");
  g_assert_cmpstr (t->description, ==, "Voorschot subsidie sociale cohesie 2025 beschikking 2025/0147");
  g_assert_cmpstr (t->bank_reference, ==, "2025030300012345");
  g_assert_cmpstr (t->dedupe_key, ==, "ref:NL20INGB0001234567:2025030300012345");

  t = entry (s, 1);
  g_assert_cmpint (t->amount_cents, ==, -81250);
  g_assert_cmpstr (t->counterparty, ==, "Drukkerij De Vries B.V.");
  g_assert_cmpstr (t->counterparty_iban, ==, "NL91ABNA0417164300");

  t = entry (s, 2);
  g_assert_cmpint (t->amount_cents, ==, -450);
  g_assert_cmpstr (t->description, ==, "Kosten zakelijke rekening maart");
}

static void
test_camt_08 (void)
{
  g_autoptr(BbBankStatement) s = parse ("camt053-08.xml");

  g_assert_cmpuint (s->entries->len, ==, 2);
  g_assert_cmpstr (entry (s, 0)->date, ==, "2025-04-28");
  g_assert_cmpint (entry (s, 0)->amount_cents, ==, -125000);
  g_assert_cmpstr (entry (s, 0)->counterparty, ==, "Verhuur De Feesttent");
  g_assert_cmpint (entry (s, 1)->amount_cents, ==, 7500);
  g_assert_cmpstr (entry (s, 1)->counterparty, ==, "Bakkerij Van Gils");
  /* The reference inside TxDtls counts too. */
  g_assert_cmpstr (entry (s, 1)->bank_reference, ==, "RABO2025043000123");
}

static void
check_error (const char *name,
             int         code,
             const char *in_message)
{
  g_autoptr(GBytes) data = load (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbBankStatement) s = bb_bank_statement_parse (data, name, &error);

  g_assert_null (s);
  g_assert_error (error, BB_BANK_IMPORT_ERROR, code);
  g_assert_nonnull (strstr (error->message, name));
  if (in_message != NULL)
    g_assert_nonnull (strstr (error->message, in_message));
}

static void
test_errors (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("  \n", 3);
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x89PNG\r\n\x1a\n\0\0", 10);
  g_autoptr(GError) error = NULL;

  check_error ("camt053-usd.xml", BB_BANK_IMPORT_ERROR_CURRENCY, "USD");
  check_error ("camt053-truncated.xml", BB_BANK_IMPORT_ERROR_MALFORMED, NULL);
  check_error ("camt053-bad-amount.xml", BB_BANK_IMPORT_ERROR_MALFORMED, "12.3.4");
  check_error ("ing-bad-amount.csv", BB_BANK_IMPORT_ERROR_MALFORMED, "line 2");
  check_error ("not-a-statement.txt", BB_BANK_IMPORT_ERROR_NOT_STATEMENT, NULL);
  check_error ("not-camt.xml", BB_BANK_IMPORT_ERROR_NOT_STATEMENT, NULL);

  g_assert_null (bb_bank_statement_parse (empty, "leeg.csv", &error));
  g_assert_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (bb_bank_statement_parse (binary, "foto.png", &error));
  g_assert_error (error, BB_BANK_IMPORT_ERROR, BB_BANK_IMPORT_ERROR_NOT_STATEMENT);
}

static void
test_ing (void)
{
  g_autoptr(BbBankStatement) s = parse ("ing.csv");

  g_assert_cmpint (s->format, ==, BB_BANK_FORMAT_ING_CSV);
  g_assert_cmpstr (s->account_iban, ==, "NL20INGB0001234567");
  g_assert_cmpuint (s->entries->len, ==, 4);
  g_assert_cmpstr (entry (s, 0)->date, ==, "2025-03-14");
  g_assert_cmpint (entry (s, 0)->amount_cents, ==, -81250);
  g_assert_cmpstr (entry (s, 0)->counterparty_iban, ==, "NL91ABNA0417164300");
  g_assert_cmpint (entry (s, 3)->amount_cents, ==, 125000);
  g_assert_cmpstr (entry (s, 3)->description, ==, "Eigen bijdrage buurtfeest; \"straat 3\"");
  /* Two identical card payments on one day are two transactions. */
  g_assert_cmpstr (entry (s, 1)->dedupe_key, !=, entry (s, 2)->dedupe_key);
}

static void
test_rabobank (void)
{
  g_autoptr(BbBankStatement) s = parse ("rabobank.csv");

  g_assert_cmpint (s->format, ==, BB_BANK_FORMAT_RABOBANK_CSV);
  g_assert_cmpstr (s->account_iban, ==, "NL44RABO0123456789");
  g_assert_cmpuint (s->entries->len, ==, 3);
  /* Windows-1252 é became UTF-8. */
  g_assert_cmpstr (entry (s, 0)->counterparty, ==, "Café De Zwaan");
  g_assert_cmpint (entry (s, 0)->amount_cents, ==, -4595);
  g_assert_cmpint (entry (s, 1)->amount_cents, ==, 15000);
  g_assert_cmpstr (entry (s, 1)->description, ==, "Advertentie wijkkrant juni");
  g_assert_cmpint (entry (s, 2)->amount_cents, ==, -110000);
  g_assert_cmpstr (entry (s, 2)->counterparty, ==, "Stichting Buurthuis \"t Hofke\"");
  g_assert_cmpstr (entry (s, 2)->bank_reference, ==, "volgnr-000000000000000313");
}

static void
test_abn_amro (void)
{
  g_autoptr(BbBankStatement) s = parse ("abnamro.txt");

  g_assert_cmpint (s->format, ==, BB_BANK_FORMAT_ABN_AMRO_TXT);
  g_assert_cmpuint (s->entries->len, ==, 3);
  g_assert_cmpstr (entry (s, 0)->counterparty, ==, "Drukkerij De Vries B.V.");
  g_assert_cmpstr (entry (s, 0)->counterparty_iban, ==, "NL91ABNA0417164300");
  g_assert_cmpstr (entry (s, 0)->description, ==, "Factuur 2025-160");
  g_assert_cmpint (entry (s, 0)->amount_cents, ==, -1200);
  g_assert_cmpstr (entry (s, 1)->counterparty, ==, "Jumbo Valkenswaard");
  g_assert_cmpint (entry (s, 2)->amount_cents, ==, 50000);
  g_assert_cmpstr (entry (s, 2)->date, ==, "2025-07-03");
}

static void
test_import_twice (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(BbBankStatement) first = parse ("ing.csv");
  g_autoptr(BbBankStatement) again = parse ("ing.csv");
  g_autoptr(GError) error = NULL;
  guint added = 99, skipped = 99;

  g_assert_true (bb_bank_statement_prepare (first, fixture->store, &error));
  g_assert_true (bb_bank_statement_import (first, fixture->store, &added, &skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 4);
  g_assert_cmpuint (skipped, ==, 0);

  g_assert_true (bb_bank_statement_prepare (again, fixture->store, &error));
  for (guint i = 0; i < again->entries->len; i++)
    g_assert_true (((BbBankEntry *)g_ptr_array_index (again->entries, i))->duplicate);
  g_assert_true (bb_bank_statement_import (again, fixture->store, &added, &skipped, &error));
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpuint (skipped, ==, 4);
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM ledger_transaction"), ==, 4);
  g_assert_cmpint (count_rows (fixture->store, "SELECT SUM (amount_cents) FROM ledger_transaction"), ==,
                   -81250 - 450 - 450 + 125000);
}

static void
test_suggestions (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbBudgetPost) paper = NULL;
  g_autoptr(BbBankStatement) camt = parse ("camt053-02.xml");
  g_autoptr(BbBankStatement) ing = parse ("ing.csv");
  g_autoptr(BbTransaction) loaded = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  BbBankEntry *printer;
  guint added = 0;

  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (subsidy->period_start);
  subsidy->period_start = g_strdup ("2025-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_strdup ("2025-12-31");
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  paper = bb_budget_post_new (subsidy->id, BB_POST_EXPENSE, "Wijkkrant", 320000);
  g_assert_true (bb_budget_save_post (fixture->store, paper, &error));

  /* March: the printer's invoice is booked on the paper by hand. */
  g_assert_true (bb_bank_statement_prepare (camt, fixture->store, &error));
  g_assert_null (((BbBankEntry *)g_ptr_array_index (camt->entries, 1))->suggested_post_id);
  ((BbBankEntry *)g_ptr_array_index (camt->entries, 1))->suggested_post_id = g_strdup (paper->id);
  g_assert_true (bb_bank_statement_import (camt, fixture->store, &added, NULL, &error));
  g_assert_cmpuint (added, ==, 3);

  /* April, another bank's file: the same IBAN gets the same post. */
  g_assert_true (bb_bank_statement_prepare (ing, fixture->store, &error));
  printer = g_ptr_array_index (ing->entries, 0);
  g_assert_cmpstr (printer->suggested_post_id, ==, paper->id);
  g_assert_null (((BbBankEntry *)g_ptr_array_index (ing->entries, 1))->suggested_post_id);
  g_assert_true (bb_bank_statement_import (ing, fixture->store, &added, NULL, &error));
  g_assert_no_error (error);

  all = bb_ledger_query (fixture->store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 7);
  loaded = g_object_ref (g_ptr_array_index (all, 2));   /* 03-03, 03-10, then 03-14 */
  g_assert_cmpstr (loaded->date, ==, "2025-03-14");
  g_assert_cmpuint (loaded->splits->len, ==, 1);
  g_assert_cmpstr (g_array_index (loaded->splits, BbSplit, 0).post_id, ==, paper->id);
  g_assert_cmpint (g_array_index (loaded->splits, BbSplit, 0).amount_cents, ==, -81250);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/bank/camt053-02", test_camt_02);
  g_test_add_func ("/bb/bank/camt053-08", test_camt_08);
  g_test_add_func ("/bb/bank/ing", test_ing);
  g_test_add_func ("/bb/bank/rabobank", test_rabobank);
  g_test_add_func ("/bb/bank/abn-amro", test_abn_amro);
  g_test_add_func ("/bb/bank/errors", test_errors);
  g_test_add ("/bb/bank/import-twice", Fixture, NULL, fixture_setup, test_import_twice, fixture_teardown);
  g_test_add ("/bb/bank/suggestions", Fixture, NULL, fixture_setup, test_suggestions, fixture_teardown);

  return g_test_run ();
}
