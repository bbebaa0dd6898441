/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bb-activity.h"
#include "bb-budget.h"
#include "bb-handover.h"
#include "bb-ledger.h"
#include "bb-subsidy.h"
#include "bb-verantwoording.h"
#include "bb-test-util.h"

/* The fixture council, every figure worked out by hand:
 *
 * Subsidy "Leefbaarheid 2024" of Gemeente Valkenswaard, 2024, granted
 * € 12.500,00, advances € 10.000,00 (15-01) and € 2.500,00 (01-07).
 *
 * Expense posts        planned      actual                    difference
 *   Activiteiten      5.000,00    5.640,00 (2.500 + 3.140)   +640,00 +12,8% explained
 *   Wijkkrant         3.200,00    3.004,00 (2.950 + 54 split) −196,00  −6,1%
 *   Bankkosten          180,00      150,00 (split)            −30,00 −16,7% NOT explained
 *   Onvoorzien          300,00        0,00                   −300,00 −100%  explained
 *   total             8.680,00    8.794,00
 * Income posts
 *   Subsidie         12.500,00   12.500,00 (10.000 + 2.500)
 *   Eigen bijdragen     200,00      180,50                    −19,50  −9,8%
 *   total            12.700,00   12.680,50
 * Result 12.680,50 − 8.794,00 = 3.886,50; pay back 12.500,00 − 8.794,00 = 3.706,00.
 *
 * A bank charge of 2025 (outside the period) counts nowhere. The split
 * transaction of € 204,00 (Bankkosten 150 + Wijkkrant 54) has no receipt:
 * one missing receipt, though it is listed under two posts.
 *
 * Activities in 2024: Koningsdag (150 counted), Burendag (about 170),
 * Halloween cancelled, Kerstmarkt held without a count; one in 2025. */

typedef struct {
  char    *dir;
  char    *path;
  BbStore *store;
  char    *subsidy_id;
  GHashTable *posts;     /* name → id */
} Fixture;

#define SET_STR(obj, field, value) G_STMT_START { g_free ((obj)->field); (obj)->field = g_strdup (value); } G_STMT_END

static char *
add_post (Fixture    *fixture,
          BbPostKind  kind,
          const char *name,
          gint64      planned,
          const char *explanation)
{
  g_autoptr(BbBudgetPost) post = bb_budget_post_new (fixture->subsidy_id, kind, name, planned);
  g_autoptr(GError) error = NULL;

  if (explanation != NULL)
    SET_STR (post, explanation, explanation);
  g_assert_true (bb_budget_save_post (fixture->store, post, &error));
  g_assert_no_error (error);
  g_hash_table_insert (fixture->posts, g_strdup (name), g_strdup (post->id));
  return g_strdup (post->id);
}

static const char *
post_id (Fixture    *fixture,
         const char *name)
{
  const char *id = g_hash_table_lookup (fixture->posts, name);

  g_assert_nonnull (id);
  return id;
}

/* @post2 may be NULL; then the whole amount goes on @post1. */
static char *
add_transaction (Fixture    *fixture,
                 const char *date,
                 gint64      amount,
                 const char *description,
                 const char *post1,
                 gint64      part1,
                 const char *post2,
                 gboolean    with_receipt)
{
  g_autoptr(BbTransaction) transaction = bb_transaction_new ();
  g_autoptr(GError) error = NULL;

  SET_STR (transaction, date, date);
  SET_STR (transaction, description, description);
  transaction->amount_cents = amount;
  if (post2 == NULL)
    bb_transaction_add_split (transaction, post_id (fixture, post1), amount);
  else
    {
      bb_transaction_add_split (transaction, post_id (fixture, post1), part1);
      bb_transaction_add_split (transaction, post_id (fixture, post2), amount - part1);
    }
  g_assert_true (bb_ledger_save (fixture->store, transaction, &error));
  g_assert_no_error (error);

  if (with_receipt)
    {
      g_autoptr(GBytes) data = NULL;
      g_autofree char *content = g_strdup_printf ("%%PDF-1.4 bon %s %s", date, description);
      g_autofree char *receipt = NULL;

      data = g_bytes_new (content, strlen (content));
      receipt = bb_ledger_attach_receipt (fixture->store, transaction->id, data,
                                          "application/pdf", "bon.pdf", &error);
      g_assert_no_error (error);
      g_assert_nonnull (receipt);
    }
  return g_strdup (transaction->id);
}

static void
add_activity (Fixture          *fixture,
              int               year,
              int               month,
              int               day,
              const char       *title,
              BbActivityStatus  status,
              int               participants,
              BbCountMethod     method,
              const char       *reason)
{
  g_autoptr(BbActivity) activity = bb_activity_new ();
  g_autoptr(GDateTime) start = bb_programme_time_new (year, month, day, 14, 0);
  g_autoptr(GDateTime) end = bb_programme_time_new (year, month, day, 17, 0);
  g_autoptr(GError) error = NULL;

  bb_activity_set_title (activity, title);
  bb_activity_set_times (activity, start, end);
  bb_activity_set_status (activity, status);
  bb_activity_set_actual_participants (activity, participants);
  bb_activity_set_count_method (activity, method);
  if (reason != NULL)
    bb_activity_set_cancel_reason (activity, reason);
  g_assert_true (bb_programme_save_activity (fixture->store, activity, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *unused = NULL;

  fixture->dir = g_dir_make_tmp ("bb-test-verantwoording-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "Dommelhoek.buurtboek", NULL);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  fixture->posts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  bb_council_set_municipality (council, "Valkenswaard");
  bb_council_set_legal_form (council, BB_LEGAL_FORM_STICHTING);
  bb_council_set_kvk_number (council, "40123456");
  bb_council_set_iban (council, "NL91ABNA0417164300");
  bb_council_set_contact_name (council, "Anke de Penningmeester");
  bb_council_set_email (council, "penningmeester@dommelhoek.nl");
  fixture->store = bb_store_create (fixture->path, council, backups, &error);
  g_assert_no_error (error);

  SET_STR (subsidy, grantor, "Gemeente Valkenswaard");
  SET_STR (subsidy, scheme, "Leefbaarheid 2024");
  SET_STR (subsidy, beschikking_number, "Z/24/123456");
  SET_STR (subsidy, beschikking_date, "2024-01-10");
  SET_STR (subsidy, period_start, "2024-01-01");
  SET_STR (subsidy, period_end, "2024-12-31");
  subsidy->requested_cents = 1300000;
  subsidy->granted_cents = 1250000;
  bb_subsidy_add_advance (subsidy, "2024-01-15", 1000000);
  bb_subsidy_add_advance (subsidy, "2024-07-01", 250000);
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  g_assert_no_error (error);
  fixture->subsidy_id = g_strdup (subsidy->id);

  g_free (add_post (fixture, BB_POST_EXPENSE, "Activiteiten", 500000, "Extra burendag op verzoek van bewoners"));
  g_free (add_post (fixture, BB_POST_EXPENSE, "Wijkkrant", 320000, NULL));
  g_free (add_post (fixture, BB_POST_EXPENSE, "Bankkosten", 18000, NULL));
  g_free (add_post (fixture, BB_POST_EXPENSE, "Onvoorzien", 30000, "Niet nodig geweest"));
  g_free (add_post (fixture, BB_POST_INCOME, "Subsidie", 1250000, NULL));
  g_free (add_post (fixture, BB_POST_INCOME, "Eigen bijdragen", 20000, NULL));

  g_free (add_transaction (fixture, "2024-03-10", -250000, "Springkussen Koningsdag", "Activiteiten", 0, NULL, TRUE));
  g_free (add_transaction (fixture, "2024-06-20", -314000, "Burendag catering", "Activiteiten", 0, NULL, TRUE));
  g_free (add_transaction (fixture, "2024-04-01", -295000, "Drukkerij De Wijk", "Wijkkrant", 0, NULL, TRUE));
  g_free (add_transaction (fixture, "2024-05-05", -20400, "Rabobank kosten en porto", "Bankkosten", -15000, "Wijkkrant", FALSE));
  g_free (add_transaction (fixture, "2025-01-05", -10000, "Bankkosten 2025", "Bankkosten", 0, NULL, FALSE));
  g_free (add_transaction (fixture, "2024-01-20", 1000000, "Voorschot gemeente", "Subsidie", 0, NULL, FALSE));
  g_free (add_transaction (fixture, "2024-07-02", 250000, "Tweede voorschot", "Subsidie", 0, NULL, FALSE));
  g_free (add_transaction (fixture, "2024-09-09", 18050, "Bijdragen deelnemers", "Eigen bijdragen", 0, NULL, FALSE));

  add_activity (fixture, 2024, 4, 27, "Koningsdag", BB_ACTIVITY_STATUS_DONE, 150, BB_COUNT_METHOD_COUNTED, NULL);
  add_activity (fixture, 2024, 9, 21, "Burendag", BB_ACTIVITY_STATUS_DONE, 170, BB_COUNT_METHOD_ESTIMATED, NULL);
  add_activity (fixture, 2024, 10, 31, "Halloween", BB_ACTIVITY_STATUS_CANCELLED, -1, BB_COUNT_METHOD_NONE,
                "Te weinig vrijwilligers");
  add_activity (fixture, 2024, 12, 14, "Kerstmarkt", BB_ACTIVITY_STATUS_DONE, -1, BB_COUNT_METHOD_NONE, NULL);
  add_activity (fixture, 2025, 4, 26, "Koningsdag 2025", BB_ACTIVITY_STATUS_DONE, 90, BB_COUNT_METHOD_COUNTED, NULL);

  g_assert_true (bb_verantwoording_save_texts (fixture->store, fixture->subsidy_id,
                                               "Ontmoeting in de wijk", "Vier activiteiten gepland",
                                               "Halloween ging niet door", "Valkenswaard", &error));
  g_assert_no_error (error);
  (void) unused;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_store_close (fixture->store, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->subsidy_id);
  g_hash_table_unref (fixture->posts);
}

static BbVerantwoordingPost *
find_post (BbVerantwoording *report,
           const char       *name)
{
  for (guint i = 0; i < report->posts->len; i++)
    {
      BbVerantwoordingPost *post = g_ptr_array_index (report->posts, i);

      if (g_str_equal (post->name, name))
        return post;
    }
  g_error ("no post %s", name);
}

static void
test_figures (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;
  BbVerantwoordingPost *post;

  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);

  /* Header */
  g_assert_cmpstr (report->council_name, ==, "Wijkraad De Dommelhoek");
  g_assert_cmpstr (report->kvk_number, ==, "40123456");
  g_assert_cmpstr (report->iban, ==, "NL91ABNA0417164300");
  g_assert_cmpstr (report->grantor, ==, "Gemeente Valkenswaard");
  g_assert_cmpstr (report->beschikking_number, ==, "Z/24/123456");
  g_assert_cmpstr (report->period_start, ==, "2024-01-01");
  g_assert_cmpstr (report->period_end, ==, "2024-12-31");
  g_assert_cmpint (report->granted_cents, ==, 1250000);
  g_assert_cmpint (report->advances_cents, ==, 1250000);
  g_assert_cmpuint (report->advances->len, ==, 2);

  /* Financial report, post by post */
  g_assert_cmpuint (report->posts->len, ==, 6);
  post = find_post (report, "Activiteiten");
  g_assert_false (post->income);
  g_assert_cmpint (post->planned_cents, ==, 500000);
  g_assert_cmpint (post->actual_cents, ==, 564000);
  g_assert_cmpint (post->difference_cents, ==, 64000);
  g_assert_cmpint (post->difference_bp, ==, 1280);
  g_assert_true (post->explanation_required);
  g_assert_cmpstr (post->explanation, ==, "Extra burendag op verzoek van bewoners");

  post = find_post (report, "Wijkkrant");
  g_assert_cmpint (post->actual_cents, ==, 300400);
  g_assert_cmpint (post->difference_cents, ==, -19600);
  g_assert_false (post->explanation_required);

  post = find_post (report, "Bankkosten");
  g_assert_cmpint (post->actual_cents, ==, 15000);
  g_assert_cmpint (post->difference_cents, ==, -3000);
  g_assert_true (post->explanation_required);
  g_assert_cmpstr (post->explanation, ==, "");

  post = find_post (report, "Onvoorzien");
  g_assert_cmpint (post->actual_cents, ==, 0);
  g_assert_cmpint (post->difference_cents, ==, -30000);
  g_assert_cmpint (post->difference_bp, ==, -10000);

  post = find_post (report, "Subsidie");
  g_assert_true (post->income);
  g_assert_cmpint (post->actual_cents, ==, 1250000);
  g_assert_cmpint (post->difference_cents, ==, 0);

  post = find_post (report, "Eigen bijdragen");
  g_assert_cmpint (post->actual_cents, ==, 18050);
  g_assert_cmpint (post->difference_cents, ==, -1950);
  g_assert_false (post->explanation_required);

  g_assert_cmpint (report->planned_expense_cents, ==, 868000);
  g_assert_cmpint (report->actual_expense_cents, ==, 879400);
  g_assert_cmpint (report->planned_income_cents, ==, 1270000);
  g_assert_cmpint (report->actual_income_cents, ==, 1268050);
  g_assert_cmpint (report->result_cents, ==, 388650);
  g_assert_cmpint (report->payback_cents, ==, 370600);

  /* Receipts index: every split line of the period once, summing to the
   * post's actual amount. */
  g_assert_cmpuint (report->n_entries, ==, 8);
  g_assert_cmpuint (report->n_missing_receipts, ==, 1);
  for (guint i = 0; i < report->posts->len; i++)
    {
      BbVerantwoordingPost *p = g_ptr_array_index (report->posts, i);
      gint64 sum = 0;

      for (guint j = 0; j < p->entries->len; j++)
        sum += ((BbVerantwoordingEntry *) g_ptr_array_index (p->entries, j))->amount_cents;
      g_assert_cmpint (sum, ==, p->actual_cents);
    }
  post = find_post (report, "Wijkkrant");
  g_assert_cmpuint (post->entries->len, ==, 2);
  g_assert_cmpstr (((BbVerantwoordingEntry *) g_ptr_array_index (post->entries, 0))->date, ==, "2024-04-01");
  g_assert_true (((BbVerantwoordingEntry *) g_ptr_array_index (post->entries, 0))->has_receipt);
  g_assert_false (((BbVerantwoordingEntry *) g_ptr_array_index (post->entries, 1))->has_receipt);
  g_assert_cmpint (((BbVerantwoordingEntry *) g_ptr_array_index (post->entries, 1))->amount_cents, ==, 5400);

  /* Activity report */
  g_assert_true (report->has_programme);
  g_assert_cmpuint (report->activities->len, ==, 4);
  g_assert_cmpuint (report->n_held, ==, 3);
  g_assert_cmpuint (report->n_cancelled, ==, 1);
  g_assert_cmpint (report->participants, ==, 320);
  {
    BbVerantwoordingActivity *burendag = g_ptr_array_index (report->activities, 1);
    BbVerantwoordingActivity *halloween = g_ptr_array_index (report->activities, 2);

    g_assert_cmpstr (burendag->title, ==, "Burendag");
    g_assert_cmpstr (burendag->date, ==, "2024-09-21");
    g_assert_true (burendag->estimated);
    g_assert_true (halloween->cancelled);
    g_assert_cmpstr (halloween->cancel_reason, ==, "Te weinig vrijwilligers");
  }
  g_assert_cmpstr (report->goals, ==, "Ontmoeting in de wijk");
  g_assert_cmpstr (report->signing_place, ==, "Valkenswaard");
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint explanations = 0, receipts = 0, participants = 0;

  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < report->missing->len; i++)
    {
      BbVerantwoordingMissing *missing = g_ptr_array_index (report->missing, i);

      switch (missing->kind)
        {
        case BB_VERANTWOORDING_MISSING_EXPLANATION:
          g_assert_cmpstr (missing->what, ==, "Bankkosten");
          explanations++;
          break;
        case BB_VERANTWOORDING_MISSING_RECEIPT:
          g_assert_cmpstr (missing->what, ==, "Rabobank kosten en porto");
          g_assert_cmpstr (missing->date, ==, "2024-05-05");
          receipts++;
          break;
        case BB_VERANTWOORDING_MISSING_PARTICIPANTS:
          g_assert_cmpstr (missing->what, ==, "Kerstmarkt");
          participants++;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_assert_cmpuint (explanations, ==, 1);
  g_assert_cmpuint (receipts, ==, 1);
  g_assert_cmpuint (participants, ==, 1);

  lines = bb_verantwoording_describe_missing (report);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);

  /* Explaining the post takes it off the list. */
  g_assert_true (bb_budget_set_explanation (fixture->store, post_id (fixture, "Bankkosten"),
                                            "Minder transacties dan verwacht", &error));
  g_assert_no_error (error);
  g_clear_pointer (&report, bb_verantwoording_free);
  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->missing->len, ==, 2);
}

static void
test_payback_never_negative (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;

  SET_STR (subsidy, grantor, "Fonds Wijkinitiatief");
  SET_STR (subsidy, period_start, "2024-01-01");
  SET_STR (subsidy, period_end, "2024-12-31");
  subsidy->granted_cents = 100000;
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  g_assert_no_error (error);
  g_free (fixture->subsidy_id);
  fixture->subsidy_id = g_strdup (subsidy->id);
  g_free (add_post (fixture, BB_POST_EXPENSE, "Speeltoestel", 100000, NULL));
  g_free (add_transaction (fixture, "2024-05-01", -150001, "Speeltoestel", "Speeltoestel", 0, NULL, TRUE));

  report = bb_verantwoording_build (fixture->store, subsidy->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->actual_expense_cents, ==, 150001);
  g_assert_cmpint (report->payback_cents, ==, 0);
  g_assert_cmpint (report->result_cents, ==, -150001);
  /* No activities of this fund are recorded apart from the council's:
   * the programme of the period is still reported. */
  g_assert_true (report->has_programme);
}

static void
test_no_programme (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(BbPdfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  SET_STR (subsidy, grantor, "Oranjefonds");
  SET_STR (subsidy, period_start, "2019-01-01");
  SET_STR (subsidy, period_end, "2019-12-31");
  subsidy->granted_cents = 50000;
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  g_assert_no_error (error);

  report = bb_verantwoording_build (fixture->store, subsidy->id, &error);
  g_assert_no_error (error);
  g_assert_false (report->has_programme);
  g_assert_cmpuint (report->activities->len, ==, 0);
  g_assert_cmpuint (report->posts->len, ==, 0);
  g_assert_cmpint (report->payback_cents, ==, 50000);
  g_assert_cmpstr (report->goals, ==, "");
  doc = bb_verantwoording_to_pdf (report);
  g_assert_cmpuint (bb_pdf_document_get_n_pages (doc), >=, 1);
}

static void
test_unknown_subsidy (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;

  report = bb_verantwoording_build (fixture->store, "no-such-subsidy", &error);
  g_assert_null (report);
  g_assert_error (error, BB_VERANTWOORDING_ERROR, BB_VERANTWOORDING_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-subsidy"));
}

static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root, *financial, *first;
  JsonArray *posts;

  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  node = bb_verantwoording_to_json (report);
  root = json_node_get_object (node);
  financial = json_object_get_object_member (root, "financial_report");
  posts = json_object_get_array_member (financial, "posts");
  g_assert_cmpuint (json_array_get_length (posts), ==, 6);
  first = json_array_get_object_element (posts, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Activiteiten");
  g_assert_cmpint (json_object_get_int_member (first, "planned_cents"), ==, 500000);
  g_assert_cmpint (json_object_get_int_member (first, "actual_cents"), ==, 564000);
  g_assert_cmpint (json_object_get_int_member (first, "difference_cents"), ==, 64000);
  g_assert_cmpstr (json_object_get_string_member (first, "explanation"), ==,
                   "Extra burendag op verzoek van bewoners");
  g_assert_cmpint (json_object_get_int_member (financial, "actual_expense_cents"), ==, 879400);
  g_assert_cmpint (json_object_get_int_member (financial, "actual_income_cents"), ==, 1268050);
  g_assert_cmpint (json_object_get_int_member (financial, "result_cents"), ==, 388650);
  g_assert_cmpint (json_object_get_int_member (financial, "payback_cents"), ==, 370600);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "header"),
                                               "granted_cents"), ==, 1250000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "missing")), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "receipts_index")), ==, 6);
}

static char *
run_capture (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return out;
}

static void
test_pdf (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (fixture->dir, "verantwoording.pdf", NULL);
  g_autofree char *text = NULL;

  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  g_assert_true (bb_verantwoording_write (report, BB_VERANTWOORDING_PDF, pdf, &error));
  g_assert_no_error (error);
  if (g_getenv ("BB_TEST_KEEP_PDF") != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      g_file_get_contents (pdf, &contents, &length, NULL);
      g_file_set_contents (g_getenv ("BB_TEST_KEEP_PDF"), contents, length, NULL);
    }
  {
    const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-", NULL };

    text = run_capture (argv);
  }
  /* Headings */
  g_assert_nonnull (strstr (text, "Subsidy report"));
  g_assert_nonnull (strstr (text, "1. Details"));
  g_assert_nonnull (strstr (text, "2. Activity report"));
  g_assert_nonnull (strstr (text, "3. Financial report"));
  g_assert_nonnull (strstr (text, "4. Receipts index"));
  g_assert_nonnull (strstr (text, "5. Declaration"));
  /* Header, activities and figures */
  g_assert_nonnull (strstr (text, "Z/24/123456"));
  g_assert_nonnull (strstr (text, "01-01-2024 to 31-12-2024"));
  g_assert_nonnull (strstr (text, "Koningsdag"));
  g_assert_nonnull (strstr (text, "Te weinig vrijwilligers"));
  g_assert_true (g_regex_match_simple ("Activiteiten +€ 5\\.000,00 +€ 5\\.640,00 +€ 640,00 +12,8%", text, 0, 0));
  /* The explanation is under the post's name, wrapped in its column. */
  g_assert_true (g_regex_match_simple ("Explanation: Extra burendag", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Total expenses +€ 8\\.680,00 +€ 8\\.794,00", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Total income +€ 12\\.700,00 +€ 12\\.680,50", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Result +€ 3\\.886,50", text, 0, 0));
  g_assert_true (g_regex_match_simple ("To pay back[^\\n]* +€ 3\\.706,00", text, 0, 0));
  g_assert_true (g_regex_match_simple ("Rabobank kosten en porto +€ 54,00 +no", text, 0, 0));
  g_assert_nonnull (strstr (text, "Treasurer"));
  g_assert_nonnull (strstr (text, "Page 1 of"));
  g_assert_null (strstr (text, "Bankkosten 2025"));
  g_assert_null (strstr (text, "Koningsdag 2025"));
}

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  gsize size;
  const char *csv;

  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  bytes = bb_verantwoording_to_csv (report);
  csv = g_bytes_get_data (bytes, &size);
  g_assert_true (g_str_has_prefix (csv, "\xef\xbb\xbf" "Post;Kind;Budget;Actual;Difference;Difference %;Explanation\r\n"));
  text = g_strndup (csv, size);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "\r\nActiviteiten;expense;5000,00;5640,00;640,00;12,8%;Extra burendag op verzoek van bewoners\r\n"));
  g_assert_nonnull (strstr (text, "\r\nBankkosten;expense;180,00;150,00;-30,00;-16,7%;\r\n"));
  g_assert_nonnull (strstr (text, "\r\nTotal expenses;;8680,00;8794,00;114,00;;\r\n"));
  g_assert_nonnull (strstr (text, "\r\nTotal income;;12700,00;12680,50;-19,50;;\r\n"));
  g_assert_nonnull (strstr (text, ";3886,50;"));
  g_assert_nonnull (strstr (text, "\r\nTo pay back;;0,00;3706,00;;;\r\n"));
}

static void
test_csv_quoting (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  g_free (add_post (fixture, BB_POST_EXPENSE, "=HYPERLINK(\"x\")", 100, "Eén; \"twee\"\ndrie"));
  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  bytes = bb_verantwoording_to_csv (report);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strstr (text, "\r\n\"'=HYPERLINK(\"\"x\"\")\";expense;1,00;0,00;-1,00;-100,0%;\"Eén; \"\"twee\"\"\ndrie\"\r\n"));
}

static void
test_xlsx (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xlsx = g_build_filename (fixture->dir, "verantwoording.xlsx", NULL);
  g_autofree char *sheet = NULL;
  g_autofree char *strings = NULL;

  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  g_assert_true (bb_verantwoording_write (report, BB_VERANTWOORDING_XLSX, xlsx, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "unzip", "-p", xlsx, "xl/worksheets/sheet1.xml", NULL };

    sheet = run_capture (argv);
  }
  {
    const char *argv[] = { "unzip", "-p", xlsx, "xl/sharedStrings.xml", NULL };

    strings = run_capture (argv);
  }
  /* Amounts are numbers in euros, not text. */
  g_assert_nonnull (strstr (sheet, "<v>5640</v>"));
  g_assert_nonnull (strstr (sheet, "<v>8794</v>"));
  g_assert_nonnull (strstr (sheet, "<v>12680.5</v>"));
  g_assert_nonnull (strstr (sheet, "<v>3706</v>"));
  g_assert_nonnull (strstr (sheet, "<v>0.128</v>"));
  g_assert_nonnull (strstr (strings, "Activiteiten"));
  g_assert_nonnull (strstr (strings, "Extra burendag op verzoek van bewoners"));
  /* No temporary file left beside it. */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".buurtboek-"));
  }
}

static void
test_write_error (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BbVerantwoording) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = g_build_filename (fixture->dir, "missing", "out", NULL);

  report = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  for (int format = BB_VERANTWOORDING_PDF; format <= BB_VERANTWOORDING_JSON; format++)
    {
      g_assert_false (bb_verantwoording_write (report, format, bad, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

static void
test_texts_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *goals = NULL, *results = NULL, *deviations = NULL, *place = NULL;

  g_assert_true (bb_verantwoording_save_texts (fixture->store, fixture->subsidy_id, "Doel", "Resultaat",
                                               "Afwijking", "Eindhoven", &error));
  g_assert_no_error (error);
  g_assert_true (bb_verantwoording_load_texts (fixture->store, fixture->subsidy_id, &goals, &results,
                                               &deviations, &place, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (goals, ==, "Doel");
  g_assert_cmpstr (results, ==, "Resultaat");
  g_assert_cmpstr (deviations, ==, "Afwijking");
  g_assert_cmpstr (place, ==, "Eindhoven");

  g_assert_false (bb_verantwoording_save_texts (fixture->store, "no-such-subsidy", "x", "", "", "", &error));
  g_assert_nonnull (error);
}

static void
test_handover_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(BbStore) copy = NULL;
  g_autoptr(BbVerantwoording) before = NULL;
  g_autoptr(BbVerantwoording) after = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "Kopie.buurtboek", NULL);
  g_autofree char *backups = g_build_filename (fixture->dir, "backups", NULL);
  JsonArray *texts;

  document = bb_handover_export (fixture->store, &error);
  g_assert_no_error (error);
  texts = json_object_get_array_member (json_node_get_object (document), "verantwoording");
  g_assert_cmpuint (json_array_get_length (texts), ==, 1);

  copy = bb_handover_import (document, path, backups, &error);
  g_assert_no_error (error);
  before = bb_verantwoording_build (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  after = bb_verantwoording_build (copy, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->goals, ==, "Ontmoeting in de wijk");
  g_assert_cmpstr (after->deviations, ==, "Halloween ging niet door");
  g_assert_cmpstr (after->signing_place, ==, "Valkenswaard");
  g_assert_cmpint (after->payback_cents, ==, before->payback_cents);
  g_assert_true (bb_store_close (copy, &error));
  g_assert_no_error (error);
  g_clear_object (&copy);

  /* A text for a subsidy the document does not have is refused by name. */
  {
    g_autofree char *other = g_build_filename (fixture->dir, "Kapot.buurtboek", NULL);
    JsonObject *text = json_array_get_object_element (texts, 0);

    json_object_set_string_member (text, "subsidy_id", "no-such-subsidy");
    copy = bb_handover_import (document, other, backups, &error);
    g_assert_null (copy);
    g_assert_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA);
    g_assert_nonnull (strstr (error->message, "verantwoording[0].subsidy_id"));
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
}

static void
test_format_names (void)
{
  BbVerantwoordingFormat format;

  g_assert_true (bb_verantwoording_format_from_string ("pdf", &format));
  g_assert_cmpint (format, ==, BB_VERANTWOORDING_PDF);
  g_assert_true (bb_verantwoording_format_from_string ("XLSX", &format));
  g_assert_cmpint (format, ==, BB_VERANTWOORDING_XLSX);
  g_assert_false (bb_verantwoording_format_from_string ("docx", &format));
  g_assert_false (bb_verantwoording_format_from_string (NULL, &format));
  g_assert_cmpstr (bb_verantwoording_format_to_string (BB_VERANTWOORDING_JSON), ==, "json");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/bb/verantwoording/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("figures", test_figures);
  ADD ("missing", test_missing);
  ADD ("payback-never-negative", test_payback_never_negative);
  ADD ("no-programme", test_no_programme);
  ADD ("unknown-subsidy", test_unknown_subsidy);
  ADD ("json", test_json);
  ADD ("pdf", test_pdf);
  ADD ("csv", test_csv);
  ADD ("csv-quoting", test_csv_quoting);
  ADD ("xlsx", test_xlsx);
  ADD ("write-error", test_write_error);
  ADD ("texts-round-trip", test_texts_round_trip);
  ADD ("handover-round-trip", test_handover_round_trip);
#undef ADD
  g_test_add_func ("/bb/verantwoording/format-names", test_format_names);

  return g_test_run ();
}
