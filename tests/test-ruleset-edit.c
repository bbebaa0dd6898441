/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Editing a copy of a rule set as the rule set dialog does: the checks a
 * treasurer sees, the percentage field, and that a saved copy is what
 * a subsidy then follows. */

#include "config.h"

#include <string.h>

#include "bb-ruleset.h"
#include "bb-subsidy.h"
#include "bb-test-util.h"

static BbRuleset *
national_copy (void)
{
  g_autoptr(BbRuleset) national = bb_ruleset_get_builtin (BB_RULESET_ID_NATIONAL);

  return bb_ruleset_copy (national, "Fonds Leefbaarheid");
}

static void
assert_invalid (BbRuleset      *ruleset,
                BbRulesetField  expected_field,
                const char     *expected_text)
{
  g_autoptr(GError) error = NULL;
  BbRulesetField field = (BbRulesetField)-1;

  g_assert_false (bb_ruleset_validate (ruleset, &field, &error));
  g_assert_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID);
  g_assert_cmpint (field, ==, expected_field);
  if (strstr (error->message, expected_text) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected_text);
}

static void
test_validate (void)
{
  g_autoptr(BbRuleset) copy = national_copy ();
  g_autoptr(GError) error = NULL;
  BbRulesetTier *tiers;

  g_assert_true (bb_ruleset_validate (copy, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (copy->builtin);
  g_assert_cmpstr (copy->name, !=, "");

  g_free (copy->name);
  copy->name = g_strdup ("  ");
  assert_invalid (copy, BB_RULESET_FIELD_NAME, "name");
  g_free (copy->name);
  copy->name = g_strdup ("Fonds");

  /* National model: ≤ 25.000 none, ≤ 125.000 activity, above auditor. */
  g_assert_cmpuint (copy->tiers->len, ==, 3);
  tiers = (BbRulesetTier *)copy->tiers->data;
  tiers[1].up_to_cents = tiers[0].up_to_cents;           /* equal is not higher */
  assert_invalid (copy, BB_RULESET_FIELD_TIERS, "Tier 2 must go higher than the tier before it (€ 25.000,00)");
  tiers[1].up_to_cents = tiers[0].up_to_cents + 1;       /* one cent higher is */
  g_assert_true (bb_ruleset_validate (copy, NULL, NULL));
  tiers[1].up_to_cents = -1;
  assert_invalid (copy, BB_RULESET_FIELD_TIERS, "Tier 2 needs an upper amount");
  tiers[1].up_to_cents = 12500000;
  tiers[2].up_to_cents = 50000000;                       /* the last must be open */
  assert_invalid (copy, BB_RULESET_FIELD_TIERS, "every higher amount");
  tiers[2].up_to_cents = -1;

  copy->deadline_kind = BB_DEADLINE_FIXED;
  copy->deadline_month = 2;
  copy->deadline_day = 30;
  assert_invalid (copy, BB_RULESET_FIELD_DEADLINE, "does not exist");
  copy->deadline_day = 29;   /* some years have it */
  g_assert_true (bb_ruleset_validate (copy, NULL, NULL));
  copy->deadline_kind = BB_DEADLINE_DATE;
  g_free (copy->deadline_date);
  copy->deadline_date = g_strdup ("2026-13-01");
  assert_invalid (copy, BB_RULESET_FIELD_DEADLINE, "not a date");
  g_free (copy->deadline_date);
  copy->deadline_date = g_strdup ("2026-04-01");
  copy->deadline_kind = BB_DEADLINE_WEEKS_AFTER_END;
  copy->deadline_weeks = 521;
  assert_invalid (copy, BB_RULESET_FIELD_DEADLINE, "520 weeks");
  copy->deadline_weeks = 8;

  copy->variance_threshold_bp = 100001;
  assert_invalid (copy, BB_RULESET_FIELD_VARIANCE, "1000%");
  copy->variance_threshold_bp = 750;

  g_strfreev (copy->required_attachments);
  copy->required_attachments = g_strsplit ("Bankafschriften, ", ",", -1);
  assert_invalid (copy, BB_RULESET_FIELD_ATTACHMENTS, "no name");
  g_strfreev (copy->required_attachments);
  copy->required_attachments = g_strsplit ("Bankafschriften", ",", -1);
  g_assert_true (bb_ruleset_validate (copy, NULL, NULL));
}

static void
test_percent (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint bp = 0;

  g_assert_true (bb_ruleset_parse_percent ("10", &bp, NULL));
  g_assert_cmpuint (bp, ==, 1000);
  g_assert_true (bb_ruleset_parse_percent (" 7,5 % ", &bp, NULL));
  g_assert_cmpuint (bp, ==, 750);
  g_assert_true (bb_ruleset_parse_percent ("12.25", &bp, NULL));
  g_assert_cmpuint (bp, ==, 1225);
  g_assert_true (bb_ruleset_parse_percent ("0", &bp, NULL));
  g_assert_cmpuint (bp, ==, 0);
  g_assert_true (bb_ruleset_parse_percent ("1000", &bp, NULL));
  g_assert_cmpuint (bp, ==, 100000);

  bp = 42;
  g_assert_false (bb_ruleset_parse_percent ("1000,01", &bp, &error));
  g_assert_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (bb_ruleset_parse_percent ("tien", &bp, &error));
  g_assert_nonnull (strstr (error->message, "“tien” is not a percentage"));
  g_clear_error (&error);
  g_assert_false (bb_ruleset_parse_percent ("", &bp, NULL));
  g_assert_false (bb_ruleset_parse_percent ("-5", &bp, NULL));
  g_assert_false (bb_ruleset_parse_percent ("1,234", &bp, NULL));
  g_assert_false (bb_ruleset_parse_percent ("5,", &bp, NULL));
  g_assert_cmpuint (bp, ==, 42);   /* untouched on failure */

  text = bb_ruleset_format_percent (750);
  g_assert_cmpstr (text, ==, "7,5");
  g_free (text);
  text = bb_ruleset_format_percent (1000);
  g_assert_cmpstr (text, ==, "10");
  g_free (text);
  text = bb_ruleset_format_percent (1225);
  g_assert_cmpstr (text, ==, "12,25");
}

/* A subsidy of € 30.000 on the edited copy: the copy's tiers and
 * deadline count, the built-in stays as it was. */
static void
test_subsidy_follows_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-ruleset-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Regels.buurtboek", NULL);
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbRuleset) copy = national_copy ();
  g_autoptr(BbRuleset) builtin = NULL;
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autofree char *deadline = NULL;

  bb_council_set_name (council, "Wijkraad Test");
  store = bb_store_create (path, council, NULL, &error);
  g_assert_no_error (error);

  /* ≤ 25.000 nothing; above: activity and financial; 8 weeks. */
  g_array_remove_index (copy->tiers, 1);
  g_array_index (copy->tiers, BbRulesetTier, 1).content = BB_REPORT_CONTENT_ACTIVITY_FINANCIAL;
  copy->deadline_kind = BB_DEADLINE_WEEKS_AFTER_END;
  copy->deadline_weeks = 8;
  g_assert_true (bb_ruleset_validate (copy, NULL, &error));
  g_assert_true (bb_ruleset_save (store, copy, &error));
  g_assert_no_error (error);

  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Fonds Leefbaarheid");
  g_free (subsidy->period_start);
  subsidy->period_start = g_strdup ("2025-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_strdup ("2025-12-31");
  subsidy->granted_cents = 3000000;
  g_free (subsidy->ruleset_id);
  subsidy->ruleset_id = g_strdup (copy->id);
  g_assert_true (bb_subsidy_save (store, subsidy, &error));
  g_assert_no_error (error);

  g_assert_cmpint (bb_subsidy_get_required_content (store, subsidy), ==, BB_REPORT_CONTENT_ACTIVITY_FINANCIAL);
  deadline = bb_subsidy_compute_deadline (store, subsidy);
  g_assert_cmpstr (deadline, ==, "2026-02-25");   /* 31 Dec + 56 days */
  builtin = bb_ruleset_get_builtin (BB_RULESET_ID_NATIONAL);
  g_assert_cmpint (bb_ruleset_required_content (builtin, 3000000), ==, BB_REPORT_CONTENT_ACTIVITY);

  g_assert_true (bb_store_close (store, NULL));
  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/ruleset-edit/validate", test_validate);
  g_test_add_func ("/bb/ruleset-edit/percent", test_percent);
  g_test_add_func ("/bb/ruleset-edit/subsidy-follows-copy", test_subsidy_follows_copy);

  return g_test_run ();
}
