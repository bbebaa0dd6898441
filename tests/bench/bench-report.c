/* SPDX-License-Identifier: GPL-3.0-or-later */

/* bench-report N: makes a council file with one subsidy, the template's
 * posts and N transactions (a third with a receipt, one in ten split over
 * two posts) in one transaction, then times building the verantwoording
 * and writing its PDF. Prints "transactions=N build_ms=… pdf_ms=…
 * pages=… rss_kb=…". */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>

#include "bb-budget.h"
#include "bb-ledger.h"
#include "bb-money-private.h"
#include "bb-subsidy.h"
#include "bb-test-util.h"
#include "bb-verantwoording.h"

static const char * const descriptions[] = {
  "Drukkerij De Wijk wijkkrant", "Albert Heijn koffie en thee", "Buurthuis De Kei huur zaal",
  "Rabobank kosten betaalrekening", "Bijdrage deelnemers burendag", "Hema kleine aanschaffingen",
  "SEPA overboeking verzekering aansprakelijkheid bestuurders en vrijwilligers 2024",
  "Bloemen vrijwilligersavond", "Springkussen verhuur Koningsdag", "Porto en enveloppen",
};

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? strtol (line + 6, NULL, 10) : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(BbPdfDocument) doc = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pdf = NULL;
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 20000;
  gint64 start, built, written;
  struct timespec cpu0, cpu1;
  guint pages;

  dir = g_dir_make_tmp ("bb-bench-report-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.buurtboek", NULL);
  pdf = g_build_filename (dir, "verantwoording.pdf", NULL);

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (path, council, dir, &error);
  g_assert_no_error (error);
  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (subsidy->period_start);
  subsidy->period_start = g_strdup ("2024-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_strdup ("2024-12-31");
  subsidy->granted_cents = 1250000;
  g_assert_true (bb_subsidy_save (store, subsidy, &error));
  g_assert_true (bb_budget_apply_template (store, subsidy->id, &error));
  g_assert_no_error (error);
  posts = bb_budget_list_posts (store, subsidy->id, &error);
  g_assert_no_error (error);

  /* Straight into the file, in one transaction. */
  g_assert_true (bb_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbTransaction) t = bb_transaction_new ();
      BbBudgetPost *post = g_ptr_array_index (posts, i % posts->len);
      BbBudgetPost *other = g_ptr_array_index (posts, (i + 1) % posts->len);
      gint64 amount = 100 + (gint64) (i * 7919 % 50000);

      g_free (t->date);
      t->date = g_strdup_printf ("2024-%02u-%02u", i % 12 + 1, i % 28 + 1);
      g_free (t->description);
      t->description = g_strdup_printf ("%s %u", descriptions[i % G_N_ELEMENTS (descriptions)], i);
      t->amount_cents = post->kind == BB_POST_INCOME ? amount : -amount;
      if (i % 10 == 0 && other->kind == post->kind)
        {
          bb_transaction_add_split (t, post->id, t->amount_cents / 2);
          bb_transaction_add_split (t, other->id, t->amount_cents - t->amount_cents / 2);
        }
      else
        bb_transaction_add_split (t, post->id, t->amount_cents);
      g_assert_true (bb_ledger_write (store, t, FALSE, NULL, &error));
      g_assert_no_error (error);
      if (i % 3 == 0)
        {
          g_autofree char *content = g_strdup_printf ("%%PDF-1.4 bon %u", i);
          g_autoptr(GBytes) bytes = g_bytes_new (content, strlen (content));
          g_autofree char *receipt = bb_ledger_write_receipt (store, t->id, bytes, "application/pdf",
                                                              "bon.pdf", &error);

          g_assert_no_error (error);
        }
    }
  g_assert_true (bb_store_commit (store, &error));
  g_assert_no_error (error);
  /* Reopened, as the treasurer would the next day: closing checkpoints the
   * write-ahead log, which is not what the report is about. */
  g_assert_true (bb_store_close (store, &error));
  g_clear_object (&store);
  store = bb_store_open (path, BB_STORE_OPEN_NONE, dir, &error);
  g_assert_no_error (error);

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu0);
  start = g_get_monotonic_time ();
  report = bb_verantwoording_build (store, subsidy->id, &error);
  g_assert_no_error (error);
  built = g_get_monotonic_time ();
  doc = bb_verantwoording_to_pdf (report);
  g_assert_true (bb_pdf_document_write (doc, pdf, &error));
  g_assert_no_error (error);
  written = g_get_monotonic_time ();
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu1);
  pages = bb_pdf_document_get_n_pages (doc);

  /* CPU time beside wall time: on a busy machine the wall time also
   * measures the other processes. */
  g_print ("transactions=%u build_ms=%.0f pdf_ms=%.0f cpu_ms=%.0f pages=%u rss_kb=%ld\n", n,
           (built - start) / 1000.0, (written - built) / 1000.0,
           (cpu1.tv_sec - cpu0.tv_sec) * 1000.0 + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e6,
           pages, rss_kb ());

  g_assert_true (bb_store_close (store, NULL));
  g_clear_object (&store);
  bb_test_remove_tree (dir);
  return 0;
}
