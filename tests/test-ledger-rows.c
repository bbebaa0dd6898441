/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The light ledger rows the Money page lists: what each row carries, the
 * period and receipt filters, and search by folded keys. */

#include "config.h"

#include <string.h>

#include "bb-budget.h"
#include "bb-ledger.h"
#include "bb-ledger-rows.h"
#include "bb-subsidy.h"
#include "bb-test-util.h"

typedef struct
{
  char    *dir;
  BbStore *store;
  char    *post_id;
} Fixture;

static char *
add_transaction (Fixture    *fixture,
                 const char *date,
                 gint64      amount,
                 const char *description,
                 const char *counterparty,
                 BbAccount   account)
{
  g_autoptr(BbTransaction) t = bb_transaction_new ();
  g_autoptr(GError) error = NULL;

  g_free (t->date);
  t->date = g_strdup (date);
  t->amount_cents = amount;
  g_free (t->description);
  t->description = g_strdup (description);
  g_free (t->counterparty);
  t->counterparty = g_strdup (counterparty);
  t->account = account;
  g_assert_true (bb_ledger_save (fixture->store, t, &error));
  g_assert_no_error (error);
  return g_strdup (t->id);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbBudgetPost) post = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-ledger-rows-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Rows.buurtboek", NULL);
  bb_council_set_name (council, "Wijkraad Test");
  fixture->store = bb_store_create (path, council, NULL, &error);
  g_assert_no_error (error);

  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (subsidy->period_start);
  subsidy->period_start = g_strdup ("2025-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_strdup ("2025-12-31");
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  post = bb_budget_post_new (subsidy->id, BB_POST_EXPENSE, "Activiteiten", 100000);
  g_assert_true (bb_budget_save_post (fixture->store, post, &error));
  g_assert_no_error (error);
  fixture->post_id = g_strdup (post->id);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_assert_true (bb_store_close (fixture->store, NULL));
  g_clear_object (&fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->post_id);
}

static BbLedgerRow *
row_at (GListModel *model,
        guint       i)
{
  /* The store keeps a reference: a borrowed pointer is enough here. */
  g_autoptr(BbLedgerRow) row = g_list_model_get_item (model, i);

  g_assert_nonnull (row);
  return row;
}

static void
test_rows_fields (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) rows = NULL;
  g_autoptr(BbTransaction) split = NULL;
  g_autoptr(GBytes) png = g_bytes_new_static ("\x89PNG\r\n\x1a\n....", 12);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n% bon\n", 15);
  g_autofree char *late = add_transaction (fixture, "2025-03-02", -4500, "Koffie", "Jumbo", BB_ACCOUNT_CASH);
  g_autofree char *early = add_transaction (fixture, "2025-01-15", 125000, "Subsidie voorschot", "Gemeente", BB_ACCOUNT_BANK);
  g_autofree char *receipt = NULL;
  BbLedgerRow *row;

  /* The late one divided over a post and nothing: the first line's post. */
  split = bb_ledger_load (fixture->store, late, &error);
  bb_transaction_add_split (split, fixture->post_id, -3000);
  bb_transaction_add_split (split, NULL, -1500);
  g_assert_true (bb_ledger_save (fixture->store, split, &error));
  g_assert_no_error (error);
  receipt = bb_ledger_attach_receipt (fixture->store, late, pdf, "application/pdf", "bon.pdf", &error);
  g_assert_no_error (error);
  g_free (bb_ledger_attach_receipt (fixture->store, late, png, "image/png", "foto.png", &error));
  g_assert_no_error (error);

  rows = bb_ledger_list_rows (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 2);

  /* Ledger order: by date. */
  row = row_at (G_LIST_MODEL (rows), 0);
  g_assert_cmpstr (row->id, ==, early);
  g_assert_cmpint (row->amount_cents, ==, 125000);
  g_assert_cmpint (row->account, ==, BB_ACCOUNT_BANK);
  g_assert_cmpuint (row->n_splits, ==, 0);
  g_assert_null (row->post_id);
  g_assert_cmpuint (row->n_receipts, ==, 0);
  g_assert_null (row->receipt_id);
  g_assert_null (row->receipt_type);

  row = row_at (G_LIST_MODEL (rows), 1);
  g_assert_cmpstr (row->id, ==, late);
  g_assert_cmpstr (row->date, ==, "2025-03-02");
  g_assert_cmpint (row->amount_cents, ==, -4500);
  g_assert_cmpstr (row->description, ==, "Koffie");
  g_assert_cmpstr (row->counterparty, ==, "Jumbo");
  g_assert_cmpint (row->account, ==, BB_ACCOUNT_CASH);
  g_assert_cmpuint (row->n_splits, ==, 2);
  g_assert_cmpstr (row->post_id, ==, fixture->post_id);
  g_assert_cmpuint (row->n_receipts, ==, 2);
  /* The receipt attached first is the one a list shows. */
  g_assert_cmpstr (row->receipt_id, ==, receipt);
  g_assert_cmpstr (row->receipt_type, ==, "application/pdf");
}

static void
test_rows_filters (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) rows = NULL;
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n% bon\n", 15);
  g_autofree char *a = add_transaction (fixture, "2024-12-31", -100, "Oud jaar", "", BB_ACCOUNT_BANK);
  g_autofree char *b = add_transaction (fixture, "2025-01-01", -200, "Eerste dag", "", BB_ACCOUNT_BANK);
  g_autofree char *c = add_transaction (fixture, "2025-12-31", -300, "Laatste dag", "", BB_ACCOUNT_CASH);
  g_autofree char *d = add_transaction (fixture, "2026-01-01", -400, "Nieuw jaar", "", BB_ACCOUNT_BANK);
  BbLedgerFilter filter = BB_LEDGER_FILTER_INIT;

  g_free (bb_ledger_attach_receipt (fixture->store, b, pdf, NULL, "bon.pdf", &error));
  g_assert_no_error (error);

  /* The period bounds are inclusive on both ends. */
  filter.from = "2025-01-01";
  filter.to = "2025-12-31";
  rows = bb_ledger_list_rows (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 2);
  g_assert_cmpstr (row_at (G_LIST_MODEL (rows), 0)->id, ==, b);
  g_assert_cmpstr (row_at (G_LIST_MODEL (rows), 1)->id, ==, c);
  g_clear_object (&rows);

  /* Missing receipts within the period: only the last day. */
  filter.missing_receipt = TRUE;
  rows = bb_ledger_list_rows (fixture->store, &filter, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1);
  g_assert_cmpstr (row_at (G_LIST_MODEL (rows), 0)->id, ==, c);
  g_clear_object (&rows);

  /* A year and an account. */
  filter = (BbLedgerFilter) BB_LEDGER_FILTER_INIT;
  filter.year = 2026;
  rows = bb_ledger_list_rows (fixture->store, &filter, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1);
  g_assert_cmpstr (row_at (G_LIST_MODEL (rows), 0)->id, ==, d);
  g_clear_object (&rows);
  filter = (BbLedgerFilter) BB_LEDGER_FILTER_INIT;
  filter.account = BB_ACCOUNT_CASH;
  rows = bb_ledger_list_rows (fixture->store, &filter, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1);
  g_assert_cmpstr (row_at (G_LIST_MODEL (rows), 0)->id, ==, c);
  g_clear_object (&rows);

  /* No limit unless asked: all four; a limit keeps the oldest. */
  rows = bb_ledger_list_rows (fixture->store, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 4);
  g_clear_object (&rows);
  filter = (BbLedgerFilter) BB_LEDGER_FILTER_INIT;
  filter.limit = 1;
  rows = bb_ledger_list_rows (fixture->store, &filter, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1);
  g_assert_cmpstr (row_at (G_LIST_MODEL (rows), 0)->id, ==, a);
}

static gboolean
matches (BbLedgerRow *row,
         const char  *text)
{
  g_autofree char *folded = bb_ledger_fold_search (text);

  return bb_ledger_row_matches (row, folded);
}

static void
test_rows_search (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) rows = NULL;
  g_autofree char *cafe = add_transaction (fixture, "2025-05-04", -1234, "Koffie en taart", "Café De Zwaan",
                                           BB_ACCOUNT_CASH);
  g_autofree char *print = add_transaction (fixture, "2025-06-01", -45000, "Wijkkrant juni", "Drukkerij Ünal",
                                            BB_ACCOUNT_BANK);
  g_autofree char *q = NULL;
  BbLedgerRow *first, *second;

  q = bb_ledger_fold_search ("  CAFÉ Ünal ");
  g_assert_cmpstr (q, ==, "  cafe unal ");
  g_clear_pointer (&q, g_free);
  q = bb_ledger_fold_search ("\xff\xfe");  /* not UTF-8: matches like an empty query */
  g_assert_cmpstr (q, ==, "");
  g_clear_pointer (&q, g_free);

  rows = bb_ledger_list_rows (fixture->store, NULL, &error);
  g_assert_no_error (error);
  first = row_at (G_LIST_MODEL (rows), 0);
  second = row_at (G_LIST_MODEL (rows), 1);
  g_assert_cmpstr (first->id, ==, cafe);
  g_assert_cmpstr (second->id, ==, print);

  /* Accents and case do not matter, in the query or in the data. */
  g_assert_true (matches (first, "cafe"));
  g_assert_true (matches (first, "CAFÉ"));
  g_assert_true (matches (second, "unal"));
  /* Every word must occur, in any order and field. */
  g_assert_true (matches (first, "zwaan taart"));
  g_assert_false (matches (first, "zwaan juni"));
  /* The amount as a treasurer writes it, and the date. */
  g_assert_true (matches (first, "12,34"));
  g_assert_true (matches (second, "450,00"));
  g_assert_false (matches (first, "450,00"));
  g_assert_true (matches (second, "2025-06"));
  /* Empty queries match everything. */
  g_assert_true (matches (first, ""));
  g_assert_true (matches (second, "   "));
  g_assert_true (bb_ledger_row_matches (second, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/ledger-rows/fields", Fixture, NULL, setup, test_rows_fields, teardown);
  g_test_add ("/bb/ledger-rows/filters", Fixture, NULL, setup, test_rows_filters, teardown);
  g_test_add ("/bb/ledger-rows/search", Fixture, NULL, setup, test_rows_search, teardown);

  return g_test_run ();
}
