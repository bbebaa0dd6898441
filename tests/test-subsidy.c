/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Rule sets, subsidies, budget versus actual, the ledger and receipts. Every
 * expected figure below is worked out by hand in the comments. */

#include "config.h"

#include <string.h>

#include "bb-budget.h"
#include "bb-ledger.h"
#include "bb-ruleset.h"
#include "bb-store-private.h"
#include "bb-subsidy.h"
#include "bb-test-util.h"

typedef struct
{
  char    *dir;
  BbStore *store;
  char    *subsidy_id;
  char    *activities;   /* expense, planned 5.000,00 */
  char    *paper;        /* expense, planned 3.200,00 */
  char    *bank;         /* expense, planned 180,00 */
  char    *contingency;  /* expense, planned 300,00 */
  char    *subsidy;      /* income, planned 12.500,00 */
  char    *contributions;/* income, planned 200,00 */
} Fixture;

static char *
add_post (Fixture    *fixture,
          BbPostKind  kind,
          const char *name,
          gint64      planned)
{
  g_autoptr(BbBudgetPost) post = bb_budget_post_new (fixture->subsidy_id, kind, name, planned);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_budget_save_post (fixture->store, post, &error));
  g_assert_no_error (error);
  return g_strdup (post->id);
}

static char *
add_transaction (Fixture    *fixture,
                 const char *date,
                 gint64      amount,
                 const char *description,
                 const char *post_id)
{
  g_autoptr(BbTransaction) t = bb_transaction_new ();
  g_autoptr(GError) error = NULL;

  g_free (t->date);
  t->date = g_strdup (date);
  t->amount_cents = amount;
  g_free (t->description);
  t->description = g_strdup (description);
  if (post_id != NULL)
    bb_transaction_add_split (t, post_id, amount);
  g_assert_true (bb_ledger_save (fixture->store, t, &error));
  g_assert_no_error (error);
  return g_strdup (t->id);
}

static gint64
count_rows (BbStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = bb_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-subsidy-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Dommelhoek.buurtboek", NULL);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  fixture->store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);

  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (subsidy->period_start);
  subsidy->period_start = g_strdup ("2025-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_strdup ("31-12-2025");
  subsidy->requested_cents = 1300000;
  subsidy->granted_cents = 1250000;
  bb_subsidy_add_advance (subsidy, "2025-01-15", 1000000);
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  g_assert_no_error (error);
  fixture->subsidy_id = g_strdup (subsidy->id);

  fixture->activities = add_post (fixture, BB_POST_EXPENSE, "Activiteiten", 500000);
  fixture->paper = add_post (fixture, BB_POST_EXPENSE, "Wijkkrant", 320000);
  fixture->bank = add_post (fixture, BB_POST_EXPENSE, "Bankkosten", 18000);
  fixture->contingency = add_post (fixture, BB_POST_EXPENSE, "Onvoorzien", 30000);
  fixture->subsidy = add_post (fixture, BB_POST_INCOME, "Subsidie", 1250000);
  fixture->contributions = add_post (fixture, BB_POST_INCOME, "Eigen bijdragen", 20000);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_assert_true (bb_store_close (fixture->store, NULL));
  g_assert_finalize_object (fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->subsidy_id);
  g_free (fixture->activities);
  g_free (fixture->paper);
  g_free (fixture->bank);
  g_free (fixture->contingency);
  g_free (fixture->subsidy);
  g_free (fixture->contributions);
}

/* The fixture year: see test_budget_actual for the sums. */
static void
book_year (Fixture *fixture)
{
  g_autoptr(BbTransaction) split = bb_transaction_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL;
  g_autofree char *g = NULL, *h = NULL, *i = NULL, *j = NULL, *k = NULL;

  a = add_transaction (fixture, "2025-02-10", -123456, "Paaseieren zoeken", fixture->activities);
  b = add_transaction (fixture, "2025-03-01", -320000, "Drukwerk wijkkrant", fixture->paper);
  c = add_transaction (fixture, "2025-03-31", -1500, "Kosten Q1", fixture->bank);
  d = add_transaction (fixture, "2025-06-30", -1500, "Kosten Q2", fixture->bank);
  e = add_transaction (fixture, "2025-09-30", -1500, "Kosten Q3", fixture->bank);
  f = add_transaction (fixture, "2025-12-31", -1501, "Kosten Q4", fixture->bank);
  g = add_transaction (fixture, "2025-01-15", 1000000, "Voorschot subsidie", fixture->subsidy);
  h = add_transaction (fixture, "2025-12-20", 250000, "Restant subsidie", fixture->subsidy);
  i = add_transaction (fixture, "2025-05-01", 18000, "Bijdragen deelnemers", fixture->contributions);
  /* Outside the period: must not count. */
  j = add_transaction (fixture, "2024-12-31", -5000, "Vorig jaar", fixture->activities);
  k = add_transaction (fixture, "2026-01-01", -9999, "Volgend jaar", fixture->activities);

  /* Koningsdag, € 4.405,44 over two posts. */
  g_free (split->date);
  split->date = g_strdup ("2025-04-27");
  split->amount_cents = -440544;
  bb_transaction_add_split (split, fixture->activities, -400000);
  bb_transaction_add_split (split, fixture->contingency, -40544);
  g_assert_true (bb_ledger_save (fixture->store, split, &error));
  g_assert_no_error (error);
}

static BbBudgetLine *
find_line (BbBudgetActual *actual,
           const char     *post_id)
{
  for (guint i = 0; i < actual->lines->len; i++)
    {
      BbBudgetLine *line = g_ptr_array_index (actual->lines, i);

      if (strcmp (line->post->id, post_id) == 0)
        return line;
    }
  g_assert_not_reached ();
}

static void
test_budget_actual (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(BbBudgetActual) actual = NULL;
  g_autoptr(GError) error = NULL;
  BbBudgetLine *line;

  book_year (fixture);
  g_assert_true (bb_budget_set_explanation (fixture->store, fixture->contingency,
                                            "  Extra tent bij Koningsdag ", &error));
  g_assert_no_error (error);

  actual = bb_budget_actual_compute (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actual->lines->len, ==, 6);

  /* 1.234,56 + 4.000,00 = 5.234,56; +234,56 on 5.000 = 4,6912% */
  line = find_line (actual, fixture->activities);
  g_assert_cmpint (line->actual_cents, ==, 523456);
  g_assert_cmpint (line->difference_cents, ==, 23456);
  g_assert_true (line->has_percent);
  g_assert_cmpint (line->difference_bp, ==, 469);
  g_assert_false (line->explanation_required);
  g_assert_cmpuint (line->n_transactions, ==, 2);

  line = find_line (actual, fixture->paper);
  g_assert_cmpint (line->actual_cents, ==, 320000);
  g_assert_cmpint (line->difference_cents, ==, 0);
  g_assert_cmpint (line->difference_bp, ==, 0);

  /* 15,00 × 3 + 15,01 = 60,01; −119,99 on 180 = −66,661% */
  line = find_line (actual, fixture->bank);
  g_assert_cmpint (line->actual_cents, ==, 6001);
  g_assert_cmpint (line->difference_cents, ==, -11999);
  g_assert_cmpint (line->difference_bp, ==, -6666);
  g_assert_true (line->explanation_required);
  g_assert_true (line->explanation_missing);

  /* 405,44 on 300 = +35,1467% */
  line = find_line (actual, fixture->contingency);
  g_assert_cmpint (line->actual_cents, ==, 40544);
  g_assert_cmpint (line->difference_bp, ==, 3515);
  g_assert_true (line->explanation_required);
  g_assert_false (line->explanation_missing);
  g_assert_cmpstr (line->post->explanation, ==, "Extra tent bij Koningsdag");

  line = find_line (actual, fixture->subsidy);
  g_assert_cmpint (line->actual_cents, ==, 1250000);
  g_assert_false (line->explanation_required);

  /* 180 on 200 = exactly −10%: at the threshold, no explanation. */
  line = find_line (actual, fixture->contributions);
  g_assert_cmpint (line->actual_cents, ==, 18000);
  g_assert_cmpint (line->difference_bp, ==, -1000);
  g_assert_false (line->explanation_required);

  /* 5.000 + 3.200 + 180 + 300 = 8.680; 5.234,56 + 3.200 + 60,01 + 405,44 = 8.900,01 */
  g_assert_cmpint (actual->planned_expense_cents, ==, 868000);
  g_assert_cmpint (actual->actual_expense_cents, ==, 890001);
  g_assert_cmpint (actual->planned_income_cents, ==, 1270000);
  g_assert_cmpint (actual->actual_income_cents, ==, 1268000);
  /* 12.680,00 − 8.900,01 */
  g_assert_cmpint (actual->result_cents, ==, 377999);
  g_assert_cmpint (actual->granted_cents, ==, 1250000);
  g_assert_cmpint (actual->advances_cents, ==, 1000000);
  g_assert_cmpint (actual->eligible_spending_cents, ==, 890001);
  /* 12.500,00 − 8.900,01 */
  g_assert_cmpint (actual->payback_cents, ==, 359999);
  g_assert_cmpuint (actual->n_explanations_missing, ==, 1);
}

static void
test_payback_never_negative (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(BbSubsidy) subsidy = NULL;
  g_autoptr(BbBudgetActual) actual = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *t = NULL;

  subsidy = bb_subsidy_load (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  subsidy->granted_cents = 100000;
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  g_assert_no_error (error);

  /* Spent 1.500,00 of a 1.000,00 grant: nothing to pay back, not −500. */
  t = add_transaction (fixture, "2025-06-01", -150000, "Buurtfeest", fixture->activities);
  actual = bb_budget_actual_compute (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (actual->eligible_spending_cents, ==, 150000);
  g_assert_cmpint (actual->payback_cents, ==, 0);
  g_clear_pointer (&actual, bb_budget_actual_free);

  /* Spent exactly the grant: 0; one cent less: 0,01. */
  g_clear_pointer (&t, g_free);
  t = add_transaction (fixture, "2025-06-02", 50001, "Terugboeking", fixture->activities);
  actual = bb_budget_actual_compute (fixture->store, fixture->subsidy_id, &error);
  g_assert_cmpint (actual->eligible_spending_cents, ==, 99999);
  g_assert_cmpint (actual->payback_cents, ==, 1);
}

static void
test_explanation_threshold (void)
{
  g_autoptr(BbRuleset) ruleset = bb_ruleset_get_builtin (BB_RULESET_ID_MUNICIPAL);

  g_assert_cmpuint (ruleset->variance_threshold_bp, ==, 1000);
  /* planned 1.000,00: 10% is 100,00 */
  g_assert_false (bb_ruleset_explanation_required (ruleset, 100000, 110000));
  g_assert_true (bb_ruleset_explanation_required (ruleset, 100000, 110001));
  g_assert_false (bb_ruleset_explanation_required (ruleset, 100000, 109999));
  g_assert_false (bb_ruleset_explanation_required (ruleset, 100000, 90000));
  g_assert_true (bb_ruleset_explanation_required (ruleset, 100000, 89999));
  /* Nothing planned: any spending needs a word. */
  g_assert_true (bb_ruleset_explanation_required (ruleset, 0, 1));
  g_assert_false (bb_ruleset_explanation_required (ruleset, 0, 0));

  ruleset->variance_threshold_bp = 250;  /* 2,5% */
  g_assert_false (bb_ruleset_explanation_required (ruleset, 100000, 102500));
  g_assert_true (bb_ruleset_explanation_required (ruleset, 100000, 102501));
}

static void
test_required_content (void)
{
  g_autoptr(BbRuleset) national = bb_ruleset_get_builtin (BB_RULESET_ID_NATIONAL);
  g_autoptr(BbRuleset) municipal = bb_ruleset_get_builtin (BB_RULESET_ID_MUNICIPAL);

  g_assert_cmpint (bb_ruleset_required_content (national, 0), ==, BB_REPORT_CONTENT_NONE);
  g_assert_cmpint (bb_ruleset_required_content (national, 2499999), ==, BB_REPORT_CONTENT_NONE);
  g_assert_cmpint (bb_ruleset_required_content (national, 2500000), ==, BB_REPORT_CONTENT_NONE);
  g_assert_cmpint (bb_ruleset_required_content (national, 2500001), ==, BB_REPORT_CONTENT_ACTIVITY);
  g_assert_cmpint (bb_ruleset_required_content (national, 12499999), ==, BB_REPORT_CONTENT_ACTIVITY);
  g_assert_cmpint (bb_ruleset_required_content (national, 12500000), ==, BB_REPORT_CONTENT_ACTIVITY);
  g_assert_cmpint (bb_ruleset_required_content (national, 12500001), ==, BB_REPORT_CONTENT_AUDITOR);

  g_assert_cmpint (bb_ruleset_required_content (municipal, 499999), ==, BB_REPORT_CONTENT_NONE);
  g_assert_cmpint (bb_ruleset_required_content (municipal, 500000), ==, BB_REPORT_CONTENT_NONE);
  g_assert_cmpint (bb_ruleset_required_content (municipal, 500001), ==, BB_REPORT_CONTENT_ACTIVITY_FINANCIAL);
  g_assert_cmpint (bb_ruleset_required_content (municipal, 1250000), ==, BB_REPORT_CONTENT_ACTIVITY_FINANCIAL);
}

static void
check_deadline (BbRuleset  *ruleset,
                const char *end,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deadline = bb_ruleset_compute_deadline (ruleset, end, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (deadline, ==, expected);
}

static void
test_deadline (void)
{
  g_autoptr(BbRuleset) national = bb_ruleset_get_builtin (BB_RULESET_ID_NATIONAL);
  g_autoptr(BbRuleset) fixed = NULL;
  g_autoptr(BbRuleset) leap = NULL;
  g_autoptr(BbRuleset) date = NULL;
  g_autoptr(GError) error = NULL;

  /* 13 weeks = 91 days: 31 Jan + 28 Feb + 31 Mar = 90, so 1 April. */
  check_deadline (national, "2025-12-31", "2026-04-01");
  check_deadline (national, "2023-12-31", "2024-03-31");   /* leap year */
  check_deadline (national, "2025-06-30", "2025-09-29");

  fixed = bb_ruleset_from_json ("{\"name\":\"IJsselstein\",\"tiers\":[{\"content\":\"activity-financial\"}],"
                                "\"deadline\":{\"type\":\"fixed\",\"month\":4,\"day\":1}}", &error);
  g_assert_no_error (error);
  check_deadline (fixed, "2025-12-31", "2026-04-01");
  check_deadline (fixed, "2025-03-31", "2025-04-01");
  /* On the day itself there is no time left: the next year. */
  check_deadline (fixed, "2025-04-01", "2026-04-01");

  leap = bb_ruleset_from_json ("{\"name\":\"Schrikkel\",\"tiers\":[{\"content\":\"none\"}],"
                               "\"deadline\":{\"type\":\"fixed\",\"month\":2,\"day\":29}}", &error);
  g_assert_no_error (error);
  check_deadline (leap, "2026-12-31", "2027-02-28");
  check_deadline (leap, "2027-12-31", "2028-02-29");

  date = bb_ruleset_from_json ("{\"name\":\"Fonds\",\"tiers\":[{\"content\":\"activity\"}],"
                               "\"deadline\":{\"type\":\"date\",\"date\":\"1-3-2026\"}}", &error);
  g_assert_no_error (error);
  check_deadline (date, "2025-12-31", "2026-03-01");
}

static void
check_invalid (const char *json,
               const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRuleset) ruleset = bb_ruleset_from_json (json, &error);

  g_assert_null (ruleset);
  g_assert_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID);
  if (field != NULL)
    g_assert_nonnull (strstr (error->message, field));
}

static void
test_ruleset_json (void)
{
  g_autoptr(BbRuleset) national = bb_ruleset_get_builtin (BB_RULESET_ID_NATIONAL);
  g_autoptr(BbRuleset) copy = NULL;
  g_autoptr(BbRuleset) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  copy = bb_ruleset_copy (national, "Mijn fonds");
  g_assert_false (copy->builtin);
  g_assert_cmpstr (copy->name, ==, "Mijn fonds");
  g_assert_cmpstr (copy->id, !=, national->id);
  copy->variance_threshold_bp = 750;
  json = bb_ruleset_to_json (copy);
  back = bb_ruleset_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->variance_threshold_bp, ==, 750);
  g_assert_cmpuint (back->tiers->len, ==, 3);
  g_assert_cmpint (g_array_index (back->tiers, BbRulesetTier, 1).up_to_cents, ==, 12500000);
  g_assert_cmpuint (back->deadline_weeks, ==, 13);

  check_invalid ("{", NULL);
  check_invalid ("[]", NULL);
  check_invalid ("{\"name\":\"x\",\"deadline\":{\"type\":\"weeks-after-end\",\"weeks\":13}}", "tiers");
  check_invalid ("{\"name\":\"x\",\"tiers\":[{\"up_to_cents\":5,\"content\":\"none\"}],"
                 "\"deadline\":{\"type\":\"weeks-after-end\",\"weeks\":13}}", "tiers[0].up_to_cents");
  check_invalid ("{\"name\":\"x\",\"tiers\":[{\"up_to_cents\":500,\"content\":\"none\"},"
                 "{\"up_to_cents\":400,\"content\":\"activity\"},{\"content\":\"auditor\"}],"
                 "\"deadline\":{\"type\":\"weeks-after-end\",\"weeks\":13}}", "tiers[1].up_to_cents");
  check_invalid ("{\"name\":\"x\",\"tiers\":[{\"content\":\"all of it\"}],"
                 "\"deadline\":{\"type\":\"weeks-after-end\",\"weeks\":13}}", "tiers[0].content");
  check_invalid ("{\"name\":\"x\",\"tiers\":[{\"content\":\"none\"}],"
                 "\"deadline\":{\"type\":\"fixed\",\"month\":2,\"day\":30}}", "deadline.day");
  check_invalid ("{\"name\":\"x\",\"tiers\":[{\"content\":\"none\"}],"
                 "\"deadline\":{\"type\":\"soon\"}}", "deadline.type");
  check_invalid ("{\"name\":\"  \",\"tiers\":[{\"content\":\"none\"}],"
                 "\"deadline\":{\"type\":\"weeks-after-end\",\"weeks\":1}}", "name");
  check_invalid ("{\"name\":\"x\",\"tiers\":[{\"content\":\"none\"}],"
                 "\"deadline\":{\"type\":\"weeks-after-end\",\"weeks\":1},"
                 "\"variance_threshold_percent\":-1}", "variance_threshold_percent");
}

static void
test_ruleset_store (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(BbRuleset) national = bb_ruleset_get_builtin (BB_RULESET_ID_NATIONAL);
  g_autoptr(BbRuleset) mine = NULL;
  g_autoptr(BbRuleset) found = NULL;
  g_autoptr(BbSubsidy) subsidy = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deadline = NULL;

  g_assert_false (bb_ruleset_save (fixture->store, national, &error));
  g_assert_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_BUILTIN);
  g_clear_error (&error);
  g_assert_false (bb_ruleset_delete (fixture->store, BB_RULESET_ID_NATIONAL, &error));
  g_assert_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_BUILTIN);
  g_clear_error (&error);

  /* The council copies the national model and sets "before 1 May". */
  mine = bb_ruleset_copy (national, "Gemeente Papendrecht");
  mine->deadline_kind = BB_DEADLINE_FIXED;
  mine->deadline_month = 5;
  mine->deadline_day = 1;
  g_assert_true (bb_ruleset_save (fixture->store, mine, &error));
  g_assert_no_error (error);

  list = bb_ruleset_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  found = bb_ruleset_lookup (fixture->store, mine->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->name, ==, "Gemeente Papendrecht");
  g_assert_cmpint (found->deadline_kind, ==, BB_DEADLINE_FIXED);

  subsidy = bb_subsidy_load (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  g_free (subsidy->ruleset_id);
  subsidy->ruleset_id = g_strdup (mine->id);
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  deadline = bb_subsidy_compute_deadline (fixture->store, subsidy);
  g_assert_cmpstr (deadline, ==, "2026-05-01");
  /* 12.500 under the national model's 25.000: no report. */
  g_assert_cmpint (bb_subsidy_get_required_content (fixture->store, subsidy), ==, BB_REPORT_CONTENT_NONE);

  /* Deleting the rule set puts the subsidy on the municipal one. */
  g_assert_true (bb_ruleset_delete (fixture->store, mine->id, &error));
  g_assert_no_error (error);
  g_clear_object (&subsidy);
  subsidy = bb_subsidy_load (fixture->store, fixture->subsidy_id, &error);
  g_assert_cmpstr (subsidy->ruleset_id, ==, BB_RULESET_ID_MUNICIPAL);
  g_assert_cmpint (bb_subsidy_get_required_content (fixture->store, subsidy), ==,
                   BB_REPORT_CONTENT_ACTIVITY_FINANCIAL);
}

static void
test_subsidy_roundtrip (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(BbSubsidy) subsidy = NULL;
  g_autoptr(BbSubsidy) bad = bb_subsidy_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  subsidy = bb_subsidy_load (fixture->store, fixture->subsidy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (subsidy->grantor, ==, "Gemeente Valkenswaard");
  g_assert_cmpstr (subsidy->period_end, ==, "2025-12-31");   /* normalised from 31-12-2025 */
  g_assert_cmpint (subsidy->granted_cents, ==, 1250000);
  g_assert_cmpuint (subsidy->advances->len, ==, 1);
  g_assert_cmpint (bb_subsidy_get_advances_total (subsidy), ==, 1000000);

  bb_subsidy_add_advance (subsidy, "2025-07-01", 250000);
  g_assert_true (bb_subsidy_save (fixture->store, subsidy, &error));
  g_clear_object (&subsidy);
  subsidy = bb_subsidy_load (fixture->store, fixture->subsidy_id, &error);
  g_assert_cmpint (bb_subsidy_get_advances_total (subsidy), ==, 1250000);

  /* Bad input is refused with the field named, and nothing is written. */
  g_assert_false (bb_subsidy_save (fixture->store, bad, &error));
  g_assert_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_GRANTOR);
  g_clear_error (&error);
  g_free (bad->grantor);
  bad->grantor = g_strdup ("Oranje Fonds");
  g_free (bad->period_start);
  bad->period_start = g_strdup ("2025-12-31");
  g_free (bad->period_end);
  bad->period_end = g_strdup ("2025-01-01");
  g_assert_false (bb_subsidy_save (fixture->store, bad, &error));
  g_assert_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_PERIOD);
  g_clear_error (&error);
  g_free (bad->period_end);
  bad->period_end = g_strdup ("2026-12-31");
  bb_subsidy_add_advance (bad, "2026-01-01", -5);
  g_assert_false (bb_subsidy_save (fixture->store, bad, &error));
  g_assert_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_ADVANCE);
  g_clear_error (&error);

  list = bb_subsidy_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Deleting the subsidy takes its posts; split lines lose their post. */
  g_free (add_transaction (fixture, "2025-03-03", -1000, "Koffie", fixture->activities));
  g_assert_true (bb_subsidy_delete (fixture->store, fixture->subsidy_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM budget_post"), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM subsidy_advance"), ==, 0);
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM ledger_split WHERE post_id IS NULL"), ==, 1);
}

static void
test_template (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  guint expense = 0, income = 0;

  g_assert_true (bb_budget_apply_template (fixture->store, fixture->subsidy_id, &error));
  g_assert_no_error (error);
  /* Twice adds nothing. */
  g_assert_true (bb_budget_apply_template (fixture->store, fixture->subsidy_id, &error));
  posts = bb_budget_list_posts (fixture->store, fixture->subsidy_id, &error);
  for (guint i = 0; i < posts->len; i++)
    {
      BbBudgetPost *post = g_ptr_array_index (posts, i);

      if (post->kind == BB_POST_EXPENSE)
        {
          g_assert_cmpuint (income, ==, 0);   /* expenses first */
          expense++;
        }
      else
        income++;
    }
  /* 4 + 10 template expense posts, 2 + 4 income posts. */
  g_assert_cmpuint (expense, ==, 14);
  g_assert_cmpuint (income, ==, 6);
}

static void
test_split (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(BbTransaction) t = bb_transaction_new ();
  g_autoptr(BbTransaction) loaded = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  BbLedgerFilter filter = BB_LEDGER_FILTER_INIT;

  g_free (t->date);
  t->date = g_strdup ("2025-10-31");
  t->amount_cents = -10000;
  bb_transaction_add_split (t, fixture->activities, -6000);
  bb_transaction_add_split (t, fixture->contingency, -3999);
  g_assert_false (bb_ledger_save (fixture->store, t, &error));
  g_assert_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_SPLIT);
  g_assert_nonnull (strstr (error->message, "99,99"));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM ledger_transaction"), ==, 0);

  bb_transaction_clear_splits (t);
  bb_transaction_add_split (t, fixture->activities, -6000);
  bb_transaction_add_split (t, fixture->contingency, -3999);
  bb_transaction_add_split (t, NULL, -1);
  g_assert_true (bb_ledger_save (fixture->store, t, &error));
  g_assert_no_error (error);

  loaded = bb_ledger_load (fixture->store, t->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->splits->len, ==, 3);
  g_assert_cmpstr (g_array_index (loaded->splits, BbSplit, 1).post_id, ==, fixture->contingency);
  g_assert_cmpint (g_array_index (loaded->splits, BbSplit, 1).amount_cents, ==, -3999);
  g_assert_null (g_array_index (loaded->splits, BbSplit, 2).post_id);

  filter.post_id = fixture->contingency;
  found = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 1);

  /* Zero amounts are refused. */
  t->amount_cents = 0;
  bb_transaction_clear_splits (t);
  g_assert_false (bb_transaction_validate (t, &error));
  g_assert_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_AMOUNT);
}

static void
test_query_balance (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(BbTransaction) cash = bb_transaction_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  BbLedgerFilter filter = BB_LEDGER_FILTER_INIT;
  gint64 balance = 0;

  book_year (fixture);
  g_free (cash->date);
  cash->date = g_strdup ("2025-07-01");
  cash->amount_cents = -2500;
  cash->account = BB_ACCOUNT_CASH;
  g_free (cash->description);
  cash->description = g_strdup ("Koffie 50% korting_actie");
  g_assert_true (bb_ledger_save (fixture->store, cash, &error));

  /* bank: +1.268.000 − 890.001 (in period) − 5.000 − 9.999 */
  g_assert_true (bb_ledger_get_balance (fixture->store, BB_ACCOUNT_BANK, NULL, &balance, &error));
  g_assert_cmpint (balance, ==, 1268000 - 890001 - 5000 - 9999);
  g_assert_true (bb_ledger_get_balance (fixture->store, BB_ACCOUNT_BANK, "2025-01-15", &balance, &error));
  g_assert_cmpint (balance, ==, 1000000 - 5000);
  g_assert_true (bb_ledger_get_balance (fixture->store, BB_ACCOUNT_CASH, NULL, &balance, &error));
  g_assert_cmpint (balance, ==, -2500);

  filter.search = "PAASEI";
  found = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* LIKE wildcards in the search are literal. */
  filter.search = "50%";
  found = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  filter.search = "_";
  found = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  filter.search = NULL;
  filter.year = 2025;
  found = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 11);
  g_assert_cmpstr (((BbTransaction *)g_ptr_array_index (found, 0))->date, ==, "2025-01-15");
  g_clear_pointer (&found, g_ptr_array_unref);

  filter.year = 0;
  filter.account = BB_ACCOUNT_CASH;
  found = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  filter.account = -1;
  filter.uncategorised = TRUE;
  found = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  filter.uncategorised = FALSE;
  filter.subsidy_id = fixture->subsidy_id;
  filter.missing_receipt = TRUE;
  found = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 12);
}

static GBytes *
tiny_png (guint8 variant)
{
  /* Only the signature matters to the store; the rest is opaque. */
  guint8 bytes[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', variant };

  return g_bytes_new (bytes, sizeof bytes);
}

static void
test_receipts (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *a = add_transaction (fixture, "2025-02-01", -1999, "Slingers", fixture->activities);
  g_autofree char *b = add_transaction (fixture, "2025-02-02", -2999, "Ballonnen", fixture->activities);
  g_autoptr(GBytes) png = tiny_png (1);
  g_autoptr(GBytes) text = g_bytes_new_static ("Dit is geen bon", 15);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbTransaction) loaded = NULL;
  g_autofree char *id_a = NULL;
  g_autofree char *id_b = NULL;
  BbLedgerFilter filter = BB_LEDGER_FILTER_INIT;
  BbReceiptInfo *info;

  id_a = bb_ledger_attach_receipt (fixture->store, a, png, NULL, "/home/penningmeester/bon-slingers.png", &error);
  g_assert_no_error (error);
  receipts = bb_ledger_list_receipts (fixture->store, a, &error);
  g_assert_cmpuint (receipts->len, ==, 1);
  info = g_ptr_array_index (receipts, 0);
  g_assert_cmpstr (info->content_type, ==, "image/png");
  g_assert_cmpstr (info->filename, ==, "bon-slingers.png");
  g_assert_cmpint (info->size, ==, 17);
  {
    g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
    g_assert_cmpstr (info->sha256, ==, sha);
  }
  back = bb_ledger_get_receipt_data (fixture->store, id_a, &error);
  g_assert_true (g_bytes_equal (back, png));

  loaded = bb_ledger_load (fixture->store, a, &error);
  g_assert_cmpuint (loaded->n_receipts, ==, 1);

  /* The same photo for a second transaction is stored once. */
  id_b = bb_ledger_attach_receipt (fixture->store, b, png, "image/png", "kopie.png", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id_a, ==, id_b);
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM receipt"), ==, 1);

  /* Not a photo or PDF; empty: refused, nothing stored. */
  g_assert_null (bb_ledger_attach_receipt (fixture->store, a, text, "image/png", "bon.png", &error));
  g_assert_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_RECEIPT);
  g_assert_nonnull (strstr (error->message, "bon.png"));
  g_clear_error (&error);
  g_assert_null (bb_ledger_attach_receipt (fixture->store, a, empty, NULL, NULL, &error));
  g_assert_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_RECEIPT);
  g_clear_error (&error);
  g_assert_null (bb_ledger_attach_receipt (fixture->store, "no-such-id", png, NULL, NULL, &error));
  g_assert_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM receipt"), ==, 1);

  /* Detached from one it stays for the other; from both it is gone. */
  g_assert_true (bb_ledger_detach_receipt (fixture->store, a, id_a, &error));
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM receipt"), ==, 1);
  filter.missing_receipt = TRUE;
  missing = bb_ledger_query (fixture->store, &filter, &error);
  g_assert_cmpuint (missing->len, ==, 1);
  g_assert_cmpstr (((BbTransaction *)g_ptr_array_index (missing, 0))->id, ==, a);
  g_assert_true (bb_ledger_detach_receipt (fixture->store, b, id_b, &error));
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM receipt"), ==, 0);

  /* A receipt goes with its transaction. */
  g_free (bb_ledger_attach_receipt (fixture->store, a, png, NULL, NULL, &error));
  g_assert_true (bb_ledger_delete (fixture->store, a, &error));
  g_assert_cmpint (count_rows (fixture->store, "SELECT COUNT (*) FROM receipt"), ==, 0);
}

static void
test_suggest_post (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(BbTransaction) t = bb_transaction_new ();
  g_autoptr(BbSubsidy) next = bb_subsidy_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *next_paper = NULL;
  g_autofree char *suggested = NULL;

  g_free (t->date);
  t->date = g_strdup ("2025-03-01");
  t->amount_cents = -320000;
  g_free (t->counterparty);
  t->counterparty = g_strdup ("Drukkerij De Vries");
  g_free (t->counterparty_iban);
  t->counterparty_iban = g_strdup ("nl91 abna 0417 1643 00");
  bb_transaction_add_split (t, fixture->paper, -320000);
  g_assert_true (bb_ledger_save (fixture->store, t, &error));
  g_assert_cmpstr (t->counterparty_iban, ==, "NL91ABNA0417164300");

  g_free (next->grantor);
  next->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (next->period_start);
  next->period_start = g_strdup ("2026-01-01");
  g_free (next->period_end);
  next->period_end = g_strdup ("2026-12-31");
  g_assert_true (bb_subsidy_save (fixture->store, next, &error));
  {
    g_autoptr(BbBudgetPost) post = bb_budget_post_new (next->id, BB_POST_EXPENSE, "Wijkkrant", 300000);
    g_assert_true (bb_budget_save_post (fixture->store, post, &error));
    next_paper = g_strdup (post->id);
  }

  /* Same IBAN next year: the same post of next year's subsidy. */
  suggested = bb_ledger_suggest_post (fixture->store, "De Vries drukwerk", "NL91ABNA0417164300", "2026-03-01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (suggested, ==, next_paper);
  g_clear_pointer (&suggested, g_free);

  /* By name, any case, this year. */
  suggested = bb_ledger_suggest_post (fixture->store, "drukkerij de vries", "", "2025-09-01", &error);
  g_assert_cmpstr (suggested, ==, fixture->paper);
  g_clear_pointer (&suggested, g_free);

  /* A stranger: nothing. */
  suggested = bb_ledger_suggest_post (fixture->store, "Bakkerij Jansen", "NL02RABO0123456789", "2025-09-01", &error);
  g_assert_no_error (error);
  g_assert_null (suggested);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/ruleset/required-content", test_required_content);
  g_test_add_func ("/bb/ruleset/deadline", test_deadline);
  g_test_add_func ("/bb/ruleset/explanation-threshold", test_explanation_threshold);
  g_test_add_func ("/bb/ruleset/json", test_ruleset_json);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/bb/ruleset/store", test_ruleset_store);
  ADD ("/bb/subsidy/roundtrip", test_subsidy_roundtrip);
  ADD ("/bb/budget/template", test_template);
  ADD ("/bb/budget/actual", test_budget_actual);
  ADD ("/bb/budget/payback-never-negative", test_payback_never_negative);
  ADD ("/bb/ledger/split", test_split);
  ADD ("/bb/ledger/query-balance", test_query_balance);
  ADD ("/bb/ledger/receipts", test_receipts);
  ADD ("/bb/ledger/suggest-post", test_suggest_post);
#undef ADD

  return g_test_run ();
}
