/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bb-allowance.h"
#include "bb-hours.h"
#include "bb-store-private.h"
#include "bb-test-util.h"
#include "bb-volunteer.h"
#include "bb-volunteer-import.h"
#include "bb-volunteer-inzage.h"
#include "bb-volunteer-private.h"

typedef struct
{
  char    *dir;
  BbStore *store;
  guint    changed;
} Fixture;

static void
on_store_changed_cb (BbStore *store,
                     Fixture *fixture)
{
  fixture->changed++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-volunteers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Test.buurtboek", NULL);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad Test");
  fixture->store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_store_changed_cb), fixture);
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

static char *
add_volunteer (Fixture    *fixture,
               const char *first,
               const char *last,
               BbAgeBand   band)
{
  g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
  g_autoptr(GError) error = NULL;

  bb_volunteer_set_first_name (volunteer, first);
  bb_volunteer_set_last_name (volunteer, last);
  bb_volunteer_set_age_band (volunteer, band);
  g_assert_true (bb_volunteer_save (fixture->store, volunteer, &error));
  g_assert_no_error (error);
  g_assert_nonnull (bb_volunteer_get_id (volunteer));
  return g_strdup (bb_volunteer_get_id (volunteer));
}

static BbAllowancePayment *
payment (const char *date,
         gint64      cents,
         guint       minutes)
{
  BbAllowancePayment *p = bb_allowance_payment_new ();

  p->date = g_strdup (date);
  p->amount_cents = cents;
  p->minutes = minutes;
  p->kind = BB_PAYMENT_ALLOWANCE;
  return p;
}

/* Register */

static void
test_save_and_get (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
  g_autoptr(BbVolunteer) read = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GError) error = NULL;
  const char *skills[] = { "fotografie", "bar/catering", "fotografie", " ", NULL };

  bb_volunteer_set_first_name (volunteer, "  Zoë ");
  bb_volunteer_set_last_name (volunteer, "de Vries");
  bb_volunteer_set_email (volunteer, "zoe@example.nl");
  bb_volunteer_set_iban (volunteer, "nl91 abna 0417 1643 00");
  bb_volunteer_set_skills (volunteer, skills);
  bb_volunteer_set_available (volunteer, G_DATE_TUESDAY, BB_DAY_PART_EVENING, TRUE);
  bb_volunteer_set_vog_needed (volunteer, TRUE);
  g_assert_true (bb_volunteer_save (fixture->store, volunteer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->changed, ==, 1);

  read = bb_volunteer_get (fixture->store, bb_volunteer_get_id (volunteer), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_volunteer_get_display_name (read), ==, "Zoë de Vries");
  g_assert_cmpstr (bb_volunteer_get_iban (read), ==, "NL91ABNA0417164300");
  g_assert_cmpuint (g_strv_length ((GStrv) bb_volunteer_get_skills (read)), ==, 2);
  g_assert_true (bb_volunteer_has_skill (read, "fotografie"));
  g_assert_true (bb_volunteer_is_available (read, G_DATE_TUESDAY, BB_DAY_PART_EVENING));
  g_assert_false (bb_volunteer_is_available (read, G_DATE_TUESDAY, BB_DAY_PART_MORNING));
  g_assert_true (bb_volunteer_get_vog_needed (read));

  /* Found without the accent, by any word, and by skill. */
  g_assert_true (bb_volunteer_matches (read, "zoe"));
  g_assert_true (bb_volunteer_matches (read, "VRIES zo"));
  g_assert_true (bb_volunteer_matches (read, "catering"));
  g_assert_false (bb_volunteer_matches (read, "jansen"));

  all = bb_volunteer_list_all (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 1);
}

/* The light list the Volunteers page shows: the same volunteers in the
 * same order as the whole register (names sorted without case, the id
 * breaking ties), with what a row, the filters and the search need. */
static void
test_list_rows (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *names[][2] = {
    { "piet", "Zwart" }, { "Anna", "de Vries" }, { "Bob", "De Vries" }, { "anna", "de vries" },
    { "Émile", "Bakker" }, { "Zoë", "van Beek" }, { "Bob", "De Vries" },
  };
  const char *skills[] = { "tuin", "Zorg", "bar/catering", "ééntje", NULL };
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(BbVolunteer) zoe = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *zoe_id = NULL;
  GDate today;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (add_volunteer (fixture, names[i][0], names[i][1], BB_AGE_BAND_UNKNOWN));
  zoe_id = add_volunteer (fixture, "Zoë", "Ästra", BB_AGE_BAND_21_PLUS);
  zoe = bb_volunteer_get (fixture->store, zoe_id, &error);
  g_assert_no_error (error);
  bb_volunteer_set_email (zoe, "zoe@example.nl");
  bb_volunteer_set_notes (zoe, "only in the detail");
  bb_volunteer_set_skills (zoe, skills);
  bb_volunteer_set_available (zoe, G_DATE_FRIDAY, BB_DAY_PART_MORNING, TRUE);
  bb_volunteer_set_vog_needed (zoe, TRUE);
  g_assert_true (bb_volunteer_save (fixture->store, zoe, &error));
  g_assert_no_error (error);
  g_assert_true (bb_volunteer_stop (fixture->store, zoe_id, "2020-01-31", "verhuisd", &error));
  g_assert_no_error (error);

  all = bb_volunteer_list_all (fixture->store, &error);
  g_assert_no_error (error);
  rows = bb_volunteer_list_rows (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, G_N_ELEMENTS (names) + 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, g_list_model_get_n_items (all));
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(BbVolunteer) a = g_list_model_get_item (all, i);
      g_autoptr(BbVolunteer) r = g_list_model_get_item (rows, i);

      g_assert_cmpstr (bb_volunteer_get_id (r), ==, bb_volunteer_get_id (a));
      g_assert_cmpstr (bb_volunteer_get_display_name (r), ==, bb_volunteer_get_display_name (a));
      g_assert_true (g_strv_equal (bb_volunteer_get_skills (r), bb_volunteer_get_skills (a)));
    }

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, 6, 2026);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(BbVolunteer) r = g_list_model_get_item (rows, i);
      const char *folded[] = { "zoe", "catering", NULL };

      if (g_strcmp0 (bb_volunteer_get_id (r), zoe_id) != 0)
        {
          g_assert_false (bb_volunteer_matches_folded (r, folded));
          continue;
        }
      g_assert_true (bb_volunteer_matches_folded (r, folded));
      g_assert_true (bb_volunteer_has_skill (r, "tuin"));
      g_assert_true (bb_volunteer_is_available (r, G_DATE_FRIDAY, BB_DAY_PART_MORNING));
      g_assert_false (bb_volunteer_is_available (r, G_DATE_FRIDAY, BB_DAY_PART_EVENING));
      g_assert_cmpint (bb_volunteer_get_status (r), ==, BB_VOLUNTEER_STATUS_STOPPED);
      g_assert_true (bb_volunteer_is_for_erasure (r, &today, 24));
      g_assert_cmpstr (bb_volunteer_get_email (r), ==, "zoe@example.nl");
    }
}

static void
test_validate (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_volunteer_save (fixture->store, volunteer, &error));
  g_assert_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_NAME);
  g_assert_null (bb_volunteer_get_id (volunteer));
  g_clear_error (&error);

  bb_volunteer_set_first_name (volunteer, "Piet");
  bb_volunteer_set_email (volunteer, "piet@");
  g_assert_false (bb_volunteer_save (fixture->store, volunteer, &error));
  g_assert_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_EMAIL);
  g_clear_error (&error);

  bb_volunteer_set_email (volunteer, "");
  bb_volunteer_set_start_date (volunteer, "2024-05-01");
  bb_volunteer_set_end_date (volunteer, "2024-04-30");
  g_assert_false (bb_volunteer_save (fixture->store, volunteer, &error));
  g_assert_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_DATE);
  g_assert_cmpuint (fixture->changed, ==, 0);
}

static void
test_get_missing (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (bb_volunteer_get (fixture->store, "nope", &error));
  g_assert_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bb_volunteer_erase (fixture->store, "nope", &error));
  g_assert_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_NOT_FOUND);
}

/* Allowance caps */

static void
test_caps_data (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  BbAllowanceCaps caps;

  g_assert_true (bb_allowance_get_caps (NULL, 2024, &caps, &error));
  g_assert_no_error (error);
  g_assert_cmpint (caps.hour_21_plus_cents, ==, 550);
  g_assert_cmpint (caps.hour_under_21_cents, ==, 325);
  g_assert_cmpint (caps.month_cents, ==, 21000);
  g_assert_cmpint (caps.year_cents, ==, 210000);

  g_assert_true (bb_allowance_get_caps (NULL, 2026, &caps, &error));
  g_assert_cmpint (caps.hour_21_plus_cents, ==, 575);
  g_assert_cmpint (caps.year_cents, ==, 220000);
  g_assert_true (bb_allowance_get_caps (NULL, 2023, &caps, &error));
  g_assert_cmpint (caps.hour_under_21_cents, ==, 275);
}

static void
test_caps_year_without_figures (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_volunteer (fixture, "Anna", "Bakker", BB_AGE_BAND_21_PLUS);
  g_autoptr(BbAllowancePayment) p = payment ("2031-03-01", 1000, 0);
  BbAllowanceCaps caps = { 2031, 600, 350, 23000, 230000 };
  BbAllowanceBreach broken;

  g_assert_false (bb_allowance_get_caps (fixture->store, 2031, &caps, &error));
  g_assert_error (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_NO_CAPS);
  g_assert_nonnull (strstr (error->message, "2031"));
  g_clear_error (&error);

  p->volunteer_id = g_strdup (id);
  g_assert_false (bb_allowance_check_payment (fixture->store, p, &broken, &error));
  g_assert_error (error, BB_ALLOWANCE_ERROR, BB_ALLOWANCE_ERROR_NO_CAPS);
  g_clear_error (&error);

  /* The council adds the figures itself; then the check works. */
  caps.year = 2031;
  caps.hour_21_plus_cents = 600;
  caps.hour_under_21_cents = 350;
  caps.month_cents = 23000;
  caps.year_cents = 230000;
  g_assert_true (bb_allowance_set_caps (fixture->store, &caps, &error));
  g_assert_no_error (error);
  g_assert_true (bb_allowance_check_payment (fixture->store, p, &broken, &error));
  g_assert_no_error (error);
  g_assert_cmpint (broken, ==, BB_CAP_NONE);
}

static void
test_caps_exactly_and_one_cent_over (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  BbAllowanceCaps caps;
  g_autoptr(BbAllowancePayment) at_month = payment ("2024-05-10", 21000, 0);
  g_autoptr(BbAllowancePayment) over_month = payment ("2024-05-10", 21001, 0);
  g_autoptr(BbAllowancePayment) at_hour = payment ("2024-05-10", 1100, 120);   /* € 5,50 × 2 h */
  g_autoptr(BbAllowancePayment) over_hour = payment ("2024-05-10", 1101, 120);

  g_assert_true (bb_allowance_get_caps (NULL, 2024, &caps, NULL));
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, NULL, at_month), ==, BB_CAP_NONE);
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, NULL, over_month), ==, BB_CAP_MONTH);
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, NULL, at_hour), ==, BB_CAP_NONE);
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, NULL, over_hour), ==, BB_CAP_HOUR);

  /* Under 21: € 3,25 an hour in 2024. */
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_UNDER_21, NULL, at_hour), ==, BB_CAP_HOUR);
  at_hour->amount_cents = 650;
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_UNDER_21, NULL, at_hour), ==, BB_CAP_NONE);
  at_hour->amount_cents = 651;
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_UNDER_21, NULL, at_hour), ==, BB_CAP_HOUR);
}

static void
test_caps_month_boundaries_and_year (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  BbAllowanceCaps caps;
  g_autoptr(GPtrArray) existing = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_allowance_payment_free);
  g_autoptr(BbAllowancePayment) next = NULL;
  g_autoptr(BbAllowancePayment) expense = NULL;

  g_assert_true (bb_allowance_get_caps (NULL, 2025, &caps, NULL));

  /* € 210 on 31 January and € 210 on 1 February: two months, both full. */
  g_ptr_array_add (existing, payment ("2025-01-31", 21000, 0));
  next = payment ("2025-02-01", 21000, 0);
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, existing, next), ==, BB_CAP_NONE);
  /* One more cent in February breaks the month, not January. */
  next->amount_cents = 21001;
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, existing, next), ==, BB_CAP_MONTH);

  /* Last year's payments do not count for this year. */
  g_ptr_array_add (existing, payment ("2024-12-31", 21000, 0));
  next->amount_cents = 21000;
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, existing, next), ==, BB_CAP_NONE);

  /* Ten full months reach € 2.100 exactly; the eleventh breaks the year. */
  g_ptr_array_set_size (existing, 0);
  for (int month = 1; month <= 9; month++)
    {
      g_autofree char *date = g_strdup_printf ("2025-%02d-15", month);
      g_ptr_array_add (existing, payment (date, 21000, 0));
    }
  g_clear_pointer (&next, bb_allowance_payment_free);
  next = payment ("2025-10-15", 21000, 0);
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, existing, next), ==, BB_CAP_NONE);
  g_ptr_array_add (existing, g_steal_pointer (&next));
  next = payment ("2025-11-15", 1, 0);
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, existing, next), ==, BB_CAP_YEAR);

  /* Expenses against receipts are never capped and do not count. */
  expense = payment ("2025-11-15", 50000, 0);
  expense->kind = BB_PAYMENT_EXPENSE;
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, existing, expense), ==, BB_CAP_NONE);
  g_ptr_array_add (existing, g_steal_pointer (&expense));
  next->amount_cents = 0;
  g_assert_cmpint (bb_allowance_check (&caps, BB_AGE_BAND_21_PLUS, existing, next), ==, BB_CAP_NONE);
}

static void
test_allowance_store (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_volunteer (fixture, "Sem", "Jansen", BB_AGE_BAND_UNKNOWN);
  g_autoptr(BbVolunteer) volunteer = NULL;
  g_autoptr(BbAllowancePayment) first = payment ("2024-03-01", 20000, 0);
  g_autoptr(BbAllowancePayment) second = payment ("2024-03-20", 1001, 0);
  g_autoptr(BbAllowancePayment) young = payment ("2024-04-01", 700, 120);
  BbAllowanceOverview overview;
  BbAllowanceBreach broken;
  g_autofree char *message = NULL;

  first->volunteer_id = g_strdup (id);
  second->volunteer_id = g_strdup (id);
  g_assert_true (bb_allowance_add_payment (fixture->store, first, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (bb_allowance_check_payment (fixture->store, second, &broken, &error));
  g_assert_no_error (error);
  g_assert_cmpint (broken, ==, BB_CAP_MONTH);
  message = bb_allowance_describe_breach (broken, &(BbAllowanceCaps) { 2024, 550, 325, 21000, 210000 },
                                          BB_AGE_BAND_21_PLUS);
  g_assert_nonnull (strstr (message, "210"));

  /* Born in 2004: may still be 20 in 2024, so the under-21 rate holds. */
  volunteer = bb_volunteer_get (fixture->store, id, &error);
  bb_volunteer_set_birth_year (volunteer, 2004);
  g_assert_true (bb_volunteer_save (fixture->store, volunteer, &error));
  young->volunteer_id = g_strdup (id);
  g_assert_true (bb_allowance_check_payment (fixture->store, young, &broken, &error));
  g_assert_cmpint (broken, ==, BB_CAP_HOUR);

  g_assert_true (bb_allowance_add_payment (fixture->store, second, NULL, &error));
  g_assert_true (bb_allowance_year_overview (fixture->store, id, 2024, &overview, &error));
  g_assert_no_error (error);
  g_assert_true (overview.has_caps);
  g_assert_cmpint (overview.month_cents[2], ==, 21001);
  g_assert_cmpint (overview.year_cents, ==, 21001);
  g_assert_cmpint (overview.broken, ==, BB_CAP_MONTH);
}

/* VOG */

static void
test_vog_due (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
  g_autoptr(GPtrArray) due = NULL;
  GDate today, due_date;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_JUNE, 2025);

  bb_volunteer_set_first_name (volunteer, "Kees");
  g_assert_false (bb_volunteer_vog_is_due (volunteer, &today, 3, NULL));
  bb_volunteer_set_vog_needed (volunteer, TRUE);
  bb_volunteer_set_vog_status (volunteer, BB_VOG_REQUESTED);
  g_assert_true (bb_volunteer_vog_is_due (volunteer, &today, 3, NULL));

  bb_volunteer_set_vog_status (volunteer, BB_VOG_RECEIVED);
  bb_volunteer_set_vog_date (volunteer, "2022-06-02");
  g_assert_false (bb_volunteer_vog_is_due (volunteer, &today, 3, &due_date));
  g_assert_cmpint (g_date_get_year (&due_date), ==, 2025);
  g_assert_cmpint (g_date_get_day (&due_date), ==, 2);
  bb_volunteer_set_vog_date (volunteer, "2022-06-01");
  g_assert_true (bb_volunteer_vog_is_due (volunteer, &today, 3, NULL));
  g_assert_false (bb_volunteer_vog_is_due (volunteer, &today, 5, NULL));

  g_assert_true (bb_volunteer_save (fixture->store, volunteer, &error));
  due = bb_volunteer_list_vog_due (fixture->store, &today, &error);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);

  /* The term is a setting of the council file. */
  g_assert_cmpuint (bb_volunteer_get_vog_rerequest_years (fixture->store), ==, 3);
  g_assert_true (bb_volunteer_set_vog_rerequest_years (fixture->store, 5, &error));
  due = bb_volunteer_list_vog_due (fixture->store, &today, &error);
  g_assert_cmpuint (due->len, ==, 0);
}

/* AVG */

static void
test_consents (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_volunteer (fixture, "Fatima", "El Amrani", BB_AGE_BAND_21_PLUS);
  g_autofree char *date = NULL;
  gboolean given = TRUE;

  g_assert_false (bb_volunteer_get_consent (fixture->store, id, BB_CONSENT_PHOTO, &given, &date, &error));
  g_assert_no_error (error);
  g_assert_false (given);

  g_assert_true (bb_volunteer_record_consent (fixture->store, id, BB_CONSENT_PHOTO, TRUE, "2024-01-10", &error));
  g_assert_true (bb_volunteer_record_consent (fixture->store, id, BB_CONSENT_PHOTO, FALSE, "2024-08-01", &error));
  g_assert_no_error (error);
  g_assert_true (bb_volunteer_get_consent (fixture->store, id, BB_CONSENT_PHOTO, &given, &date, &error));
  g_assert_false (given);
  g_assert_cmpstr (date, ==, "2024-08-01");

  g_assert_false (bb_volunteer_record_consent (fixture->store, id, BB_CONSENT_NEWSLETTER, TRUE, "10-01-2024", &error));
  g_assert_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_DATE);
}

static void
test_erase_keeps_anonymous_hours (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_volunteer (fixture, "Jan", "Visser", BB_AGE_BAND_21_PLUS);
  g_autofree char *other = add_volunteer (fixture, "Ria", "Smit", BB_AGE_BAND_21_PLUS);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(BbAllowancePayment) p = payment ("2024-05-01", 1000, 0);
  gint64 minutes = 0;
  guint volunteers = 0;

  g_assert_true (bb_hours_add_manual (fixture->store, id, NULL, "2024-05-01", 90, "opbouw", NULL, &error));
  g_assert_true (bb_hours_add_manual (fixture->store, other, NULL, "2024-05-01", 60, "", NULL, &error));
  g_assert_true (bb_volunteer_record_consent (fixture->store, id, BB_CONSENT_PHOTO, TRUE, "2024-01-10", &error));
  p->volunteer_id = g_strdup (id);
  g_assert_true (bb_allowance_add_payment (fixture->store, p, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (bb_volunteer_erase (fixture->store, id, &error));
  g_assert_no_error (error);

  g_assert_null (bb_volunteer_get (fixture->store, id, &error));
  g_assert_error (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing personal is left in the file: no row mentions the name. */
  {
    sqlite3 *db = bb_store_get_db (fixture->store);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "SELECT (SELECT COUNT (*) FROM volunteer WHERE first_name = 'Jan')"
                                         " + (SELECT COUNT (*) FROM volunteer_consent)"
                                         " + (SELECT COUNT (*) FROM volunteer_hours WHERE volunteer_id = ?1)",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
  }

  /* The year's hours still add up; the erased one's are anonymous. */
  g_assert_true (bb_hours_year_total (fixture->store, 2024, &minutes, &volunteers, &error));
  g_assert_cmpint (minutes, ==, 150);
  g_assert_cmpuint (volunteers, ==, 1);
  rows = bb_hours_report (fixture->store, 2024, BB_HOURS_BY_VOLUNTEER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      BbHoursReportRow *row = g_ptr_array_index (rows, i);

      if (row->key[0] == '\0')
        g_assert_cmpint (row->minutes, ==, 90);
      else
        g_assert_cmpstr (row->label, ==, "Ria Smit");
    }

  payments = bb_allowance_list_payments (fixture->store, NULL, 2024, &error);
  g_assert_cmpuint (payments->len, ==, 1);
  g_assert_null (((BbAllowancePayment *) payments->pdata[0])->volunteer_id);
}

static void
test_for_erasure (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old = add_volunteer (fixture, "Oud", "Lid", BB_AGE_BAND_21_PLUS);
  g_autofree char *recent = add_volunteer (fixture, "Net", "Gestopt", BB_AGE_BAND_21_PLUS);
  g_autoptr(GPtrArray) list = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_JUNE, 2025);
  g_assert_true (bb_volunteer_stop (fixture->store, old, "2023-05-31", "verhuisd", &error));
  g_assert_true (bb_volunteer_stop (fixture->store, recent, "2023-06-01", "", &error));
  g_assert_no_error (error);

  list = bb_volunteer_list_for_erasure (fixture->store, &today, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (bb_volunteer_get_id (list->pdata[0]), ==, old);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (bb_volunteer_set_erase_after_months (fixture->store, 12, &error));
  list = bb_volunteer_list_for_erasure (fixture->store, &today, &error);
  g_assert_cmpuint (list->len, ==, 2);
}

/* Hours */

static void
test_hours_reports (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = add_volunteer (fixture, "Anna", "Aalders", BB_AGE_BAND_21_PLUS);
  g_autofree char *b = add_volunteer (fixture, "Bram", "Bos", BB_AGE_BAND_21_PLUS);
  g_autoptr(GPtrArray) by_month = NULL;
  g_autoptr(GPtrArray) by_activity = NULL;
  g_autoptr(GPtrArray) by_volunteer = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *csv = NULL;
  BbHoursConfirmation lines[] = {
    { "task-bar", a, "2024-04-27", 180 },
    { "task-bar", b, "2024-04-27", 120 },
    { "task-opbouw", b, "2024-04-27", 0 },
  };
  BbHoursConfirmation again[] = {
    { "task-bar", a, "2024-04-27", 240 },
  };

  g_assert_true (bb_hours_replace_confirmed (fixture->store, "koningsdag", lines, G_N_ELEMENTS (lines), &error));
  g_assert_no_error (error);
  g_assert_true (bb_hours_add_manual (fixture->store, a, NULL, "2024-12-31", 30, "wijkkrant", NULL, &error));
  g_assert_true (bb_hours_add_manual (fixture->store, a, NULL, "2025-01-01", 45, "", NULL, &error));
  g_assert_cmpint (bb_hours_total_for_volunteer (fixture->store, a, 2024, &error), ==, 210);
  g_assert_cmpint (bb_hours_total_for_volunteer (fixture->store, a, 0, &error), ==, 255);

  by_month = bb_hours_report (fixture->store, 2024, BB_HOURS_BY_MONTH, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_month->len, ==, 12);
  g_assert_cmpint (((BbHoursReportRow *) by_month->pdata[3])->minutes, ==, 300);
  g_assert_cmpuint (((BbHoursReportRow *) by_month->pdata[3])->n_volunteers, ==, 2);
  g_assert_cmpint (((BbHoursReportRow *) by_month->pdata[11])->minutes, ==, 30);
  g_assert_cmpint (((BbHoursReportRow *) by_month->pdata[0])->minutes, ==, 0);

  by_activity = bb_hours_report (fixture->store, 2024, BB_HOURS_BY_ACTIVITY, &error);
  g_assert_cmpuint (by_activity->len, ==, 2);

  /* Confirming again replaces, never adds up. */
  g_assert_true (bb_hours_replace_confirmed (fixture->store, "koningsdag", again, 1, &error));
  listed = bb_hours_list_for_activity (fixture->store, "koningsdag", &error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpuint (((BbHoursEntry *) listed->pdata[0])->minutes, ==, 240);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = bb_hours_list_for_volunteer (fixture->store, b, &error);
  g_assert_cmpuint (listed->len, ==, 0);

  by_volunteer = bb_hours_report (fixture->store, 2024, BB_HOURS_BY_VOLUNTEER, &error);
  g_assert_cmpuint (by_volunteer->len, ==, 1);
  g_assert_cmpstr (((BbHoursReportRow *) by_volunteer->pdata[0])->label, ==, "Anna Aalders");
  g_assert_cmpint (((BbHoursReportRow *) by_volunteer->pdata[0])->minutes, ==, 270);
  csv = bb_hours_report_to_csv (by_volunteer, BB_HOURS_BY_VOLUNTEER);
  g_assert_nonnull (strstr (csv, "volunteer_id;name;hours;entries;volunteers\r\n"));
  g_assert_nonnull (strstr (csv, ";Anna Aalders;4,50;2;1\r\n"));

  /* Bad input is refused and changes nothing. */
  g_assert_false (bb_hours_add_manual (fixture->store, a, NULL, "2024-02-30", 30, "", NULL, &error));
  g_assert_error (error, BB_HOURS_ERROR, BB_HOURS_ERROR_DATE);
  g_clear_error (&error);
  g_assert_false (bb_hours_add_manual (fixture->store, a, NULL, "2024-02-03", 0, "", NULL, &error));
  g_assert_error (error, BB_HOURS_ERROR, BB_HOURS_ERROR_MINUTES);
  g_clear_error (&error);
  g_assert_false (bb_hours_add_manual (fixture->store, "ghost", NULL, "2024-02-03", 10, "", NULL, &error));
  g_assert_error (error, BB_HOURS_ERROR, BB_HOURS_ERROR_VOLUNTEER);
  g_clear_error (&error);
  g_assert_null (bb_hours_report (fixture->store, 99999, BB_HOURS_BY_MONTH, &error));
  g_assert_error (error, BB_HOURS_ERROR, BB_HOURS_ERROR_YEAR);
}

static void
test_who_can_help (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ranked = NULL;
  const char *ehbo[] = { "EHBO/BHV", NULL };
  const char *busy[] = { NULL, NULL };
  BbVolunteer *v;
  char *ids[4] = { NULL };

  for (int i = 0; i < 4; i++)
    {
      g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();

      bb_volunteer_set_first_name (volunteer, (const char *[]) { "Alle", "Bep", "Cor", "Dirk" }[i]);
      if (i == 0 || i == 1)
        bb_volunteer_set_skills (volunteer, ehbo);
      if (i == 1 || i == 2)
        bb_volunteer_set_available (volunteer, G_DATE_SATURDAY, BB_DAY_PART_MORNING, TRUE);
      g_assert_true (bb_volunteer_save (fixture->store, volunteer, &error));
      ids[i] = g_strdup (bb_volunteer_get_id (volunteer));
    }

  ranked = bb_volunteer_who_can_help (fixture->store, "EHBO/BHV", G_DATE_SATURDAY, BB_DAY_PART_MORNING,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ranked->len, ==, 3);
  v = ranked->pdata[0];
  g_assert_cmpstr (bb_volunteer_get_first_name (v), ==, "Bep");   /* skill and free */
  v = ranked->pdata[1];
  g_assert_cmpstr (bb_volunteer_get_first_name (v), ==, "Alle");  /* skill only */
  g_clear_pointer (&ranked, g_ptr_array_unref);

  busy[0] = ids[1];
  ranked = bb_volunteer_who_can_help (fixture->store, "EHBO/BHV", G_DATE_SATURDAY, BB_DAY_PART_MORNING,
                                      busy, &error);
  g_assert_cmpuint (ranked->len, ==, 2);
  g_assert_cmpstr (bb_volunteer_get_first_name (ranked->pdata[0]), ==, "Alle");

  for (int i = 0; i < 4; i++)
    g_free (ids[i]);
}

/* CSV import */

static BbVolunteerImport *
read_csv (const char *text,
          gssize      length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length < 0 ? strlen (text) : (gsize) length);
  g_autoptr(GError) error = NULL;
  BbVolunteerImport *import = bb_volunteer_import_new (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (import);
  return import;
}

static guint
count_volunteers (Fixture *fixture)
{
  g_autoptr(GListModel) all = bb_volunteer_list_all (fixture->store, NULL);
  return g_list_model_get_n_items (all);
}

static void
test_import_semicolons_bom_quotes (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  /* Dutch Excel: BOM, semicolons, CRLF, a quoted field with the separator,
   * a doubled quote and an embedded line break. */
  const char *csv =
    "\xef\xbb\xbfVoornaam;Achternaam;E-mail;Telefoon;Vaardigheden;Opmerkingen\r\n"
    "Anna;de Vries;anna@example.nl;06-12345678;\"fotografie; bar/catering\";\"Zegt \"\"ja\"\" tegen alles\"\r\n"
    "Piet;Jansen;;;;\"Eerste regel\r\ntweede regel\"\r\n"
    "\r\n"
    "Sara;Öztürk;sara@example.nl;;;\r\n";
  g_autoptr(BbVolunteerImport) import = read_csv (csv, -1);
  g_autoptr(GError) error = NULL;
  GPtrArray *valid;
  BbVolunteer *v;
  guint n = 0;

  g_assert_cmpint (bb_volunteer_import_get_separator (import), ==, ';');
  g_assert_cmpstr (bb_volunteer_import_get_encoding (import), ==, "UTF-8");
  g_assert_cmpstr (bb_volunteer_import_get_header (import, 0), ==, "Voornaam");
  g_assert_cmpint (bb_volunteer_import_get_mapping (import, 0), ==, BB_VOLUNTEER_FIELD_FIRST_NAME);
  g_assert_cmpint (bb_volunteer_import_get_mapping (import, 2), ==, BB_VOLUNTEER_FIELD_EMAIL);
  g_assert_cmpint (bb_volunteer_import_get_mapping (import, 4), ==, BB_VOLUNTEER_FIELD_SKILLS);
  g_assert_cmpuint (bb_volunteer_import_get_n_records (import), ==, 3);

  g_assert_true (bb_volunteer_import_prepare (import, fixture->store, &error));
  g_assert_no_error (error);
  valid = bb_volunteer_import_get_valid (import);
  g_assert_cmpuint (valid->len, ==, 3);
  g_assert_cmpuint (bb_volunteer_import_get_problems (import)->len, ==, 0);
  v = valid->pdata[0];
  g_assert_true (bb_volunteer_has_skill (v, "fotografie"));
  g_assert_true (bb_volunteer_has_skill (v, "bar/catering"));
  g_assert_cmpstr (bb_volunteer_get_notes (v), ==, "Zegt \"ja\" tegen alles");
  v = valid->pdata[1];
  g_assert_cmpstr (bb_volunteer_get_notes (v), ==, "Eerste regel\ntweede regel");
  /* The record after the embedded line break (and a blank line) starts on line 6. */
  g_assert_cmpuint (bb_volunteer_import_get_line (import, 2), ==, 6);

  /* Nothing is written before commit. */
  g_assert_cmpuint (count_volunteers (fixture), ==, 0);
  g_assert_cmpuint (fixture->changed, ==, 0);
  g_assert_true (bb_volunteer_import_commit (import, fixture->store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (count_volunteers (fixture), ==, 3);
  g_assert_cmpuint (fixture->changed, ==, 1);
}

static void
test_import_windows_1252_commas (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  /* "José" and "Zoë" in Windows-1252: é = 0xE9, ë = 0xEB. */
  const char csv[] = "naam,email\nJos\xe9 Bakker,jose@example.nl\nZo\xeb Smit,zoe@example.nl\n";
  g_autoptr(BbVolunteerImport) import = read_csv (csv, sizeof csv - 1);
  g_autoptr(GError) error = NULL;
  GPtrArray *valid;

  g_assert_cmpint (bb_volunteer_import_get_separator (import), ==, ',');
  g_assert_cmpstr (bb_volunteer_import_get_encoding (import), ==, "WINDOWS-1252");
  g_assert_cmpint (bb_volunteer_import_get_mapping (import, 0), ==, BB_VOLUNTEER_FIELD_FULL_NAME);
  g_assert_true (bb_volunteer_import_prepare (import, fixture->store, &error));
  valid = bb_volunteer_import_get_valid (import);
  g_assert_cmpuint (valid->len, ==, 2);
  g_assert_cmpstr (bb_volunteer_get_first_name (valid->pdata[0]), ==, "José");
  g_assert_cmpstr (bb_volunteer_get_last_name (valid->pdata[0]), ==, "Bakker");
  g_assert_cmpstr (bb_volunteer_get_display_name (valid->pdata[1]), ==, "Zoë Smit");
}

static void
test_import_errors_and_duplicates (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  const char *csv =
    "voornaam;achternaam;e-mail;telefoon;geboortejaar\n"
    "Kees;Smit;kees@example.nl;040-1234567;1960\n"          /* 2: same e-mail as stored */
    "Lies;Smit;;040 123 4567;1962\n"                         /* 3: fine */
    "Lies;Smit;;0401234567;\n"                               /* 4: same name + phone as line 3 */
    "Mark;Bos;mark@;;\n"                                     /* 5: bad e-mail */
    "Noor;Bos;;;negentig\n"                                  /* 6: bad birth year */
    ";;;;\n"                                                 /* blank: skipped silently */
    "Olaf;;;;;extra\n";                                      /* 8: too many fields */
  g_autoptr(BbVolunteerImport) import = read_csv (csv, -1);
  g_autoptr(BbVolunteer) stored = bb_volunteer_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *problems;
  const guint lines[] = { 2, 4, 5, 6, 8 };

  bb_volunteer_set_first_name (stored, "Kees");
  bb_volunteer_set_email (stored, "KEES@example.nl");
  g_assert_true (bb_volunteer_save (fixture->store, stored, &error));

  g_assert_true (bb_volunteer_import_prepare (import, fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bb_volunteer_import_get_valid (import)->len, ==, 1);
  problems = bb_volunteer_import_get_problems (import);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < problems->len; i++)
    {
      BbImportProblem *problem = problems->pdata[i];
      g_autofree char *prefix = g_strdup_printf ("Line %u", lines[i]);

      g_assert_cmpuint (problem->line, ==, lines[i]);
      g_assert_true (g_str_has_prefix (problem->message, prefix));
    }
  g_assert_nonnull (strstr (((BbImportProblem *) problems->pdata[0])->message, "e-mail"));
  g_assert_nonnull (strstr (((BbImportProblem *) problems->pdata[1])->message, "phone"));
  g_assert_nonnull (strstr (((BbImportProblem *) problems->pdata[3])->message, "negentig"));
}

static void
test_import_mapping (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *csv = "Wie,Hoe bereikbaar\nEls Visser,els@example.nl\n";
  g_autoptr(BbVolunteerImport) import = read_csv (csv, -1);
  g_autoptr(GError) error = NULL;

  /* No column is recognised as a name: a clear error, nothing read. */
  g_assert_false (bb_volunteer_import_prepare (import, fixture->store, &error));
  g_assert_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);

  g_assert_false (bb_volunteer_import_map (import, "Wie=shoe_size", &error));
  g_assert_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);
  g_assert_false (bb_volunteer_import_map (import, "Waar=email", &error));
  g_assert_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);

  g_assert_true (bb_volunteer_import_map (import, "wie=full_name", &error));
  g_assert_true (bb_volunteer_import_map (import, "2=email", &error));
  g_assert_no_error (error);
  g_assert_true (bb_volunteer_import_prepare (import, fixture->store, &error));
  g_assert_cmpstr (bb_volunteer_get_email (bb_volunteer_import_get_valid (import)->pdata[0]), ==, "els@example.nl");
}

static void
test_import_broken (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) unterminated = g_bytes_new_static ("voornaam\n\"Anna\nBert\n", 20);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) binary = g_bytes_new_static ("PK\x03\x04\0\0", 6);

  g_assert_null (bb_volunteer_import_new (unterminated, &error));
  g_assert_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "Line 2"));
  g_clear_error (&error);
  g_assert_null (bb_volunteer_import_new (empty, &error));
  g_assert_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (bb_volunteer_import_new (binary, &error));
  g_assert_error (error, BB_VOLUNTEER_IMPORT_ERROR, BB_VOLUNTEER_IMPORT_ERROR_ENCODING);
}

static void
test_export_round_trip (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
  g_autoptr(BbVolunteerImport) import = NULL;
  g_autoptr(BbVolunteer) read = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *again = NULL;
  const char *skills[] = { "EHBO/BHV", "taal", NULL };
  guint n = 0;

  bb_volunteer_set_first_name (volunteer, "Henk, \"de\" Man");
  bb_volunteer_set_last_name (volunteer, "Dekker");
  bb_volunteer_set_notes (volunteer, "twee\nregels");
  bb_volunteer_set_skills (volunteer, skills);
  bb_volunteer_set_birth_year (volunteer, 1950);
  g_assert_true (bb_volunteer_save (fixture->store, volunteer, &error));

  csv = bb_volunteer_export_csv (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "id,first_name,last_name,email"));
  g_assert_nonnull (strstr (csv, bb_volunteer_get_id (volunteer)));

  /* Read back: every column maps itself; the id updates, no duplicate. */
  import = read_csv (csv, -1);
  for (guint i = 0; i < bb_volunteer_import_get_n_columns (import); i++)
    g_assert_cmpint (bb_volunteer_import_get_mapping (import, i), !=, BB_VOLUNTEER_FIELD_IGNORE);
  g_assert_true (bb_volunteer_import_prepare (import, fixture->store, &error));
  g_assert_cmpuint (bb_volunteer_import_get_problems (import)->len, ==, 0);
  g_assert_true (bb_volunteer_import_commit (import, fixture->store, &n, &error));
  g_assert_cmpuint (count_volunteers (fixture), ==, 1);
  read = bb_volunteer_get (fixture->store, bb_volunteer_get_id (volunteer), &error);
  g_assert_cmpstr (bb_volunteer_get_first_name (read), ==, "Henk, \"de\" Man");
  g_assert_cmpstr (bb_volunteer_get_notes (read), ==, "twee\nregels");
  g_assert_true (bb_volunteer_has_skill (read, "EHBO/BHV"));
  g_assert_cmpuint (bb_volunteer_get_birth_year (read), ==, 1950);
  again = bb_volunteer_export_csv (fixture->store, &error);
  g_assert_cmpuint (strlen (again), ==, strlen (csv));
}

static void
test_inzage (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_volunteer (fixture, "Mila", "<Jansen>", BB_AGE_BAND_UNDER_21);
  g_autofree char *json = NULL;
  g_autofree char *html = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_true (bb_hours_add_manual (fixture->store, id, NULL, "2024-06-01", 120, "flyeren", NULL, &error));
  g_assert_true (bb_volunteer_record_consent (fixture->store, id, BB_CONSENT_NEWSLETTER, TRUE, "2024-01-02", &error));
  json = bb_volunteer_inzage_json (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "volunteer"), "last_name"),
                   ==, "<Jansen>");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "hours")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "consents")), ==, 1);

  html = bb_volunteer_inzage_html (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (html, "&lt;Jansen&gt;"));
  g_assert_null (strstr (html, "<Jansen>"));
  g_assert_nonnull (strstr (html, "flyeren"));
}

/* The demo council shows every list the coordinator works with. */
static void
test_demo (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) erase = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate today;
  guint stopped = 0, with_consents = 0, with_agreement = 0;
  gint64 minutes = 0;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));

  g_assert_true (bb_volunteer_add_demo (fixture->store, &error));
  g_assert_no_error (error);

  all = bb_volunteer_list_array (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >=, 35);
  g_assert_cmpuint (all->len, <=, 45);
  for (guint i = 0; i < all->len; i++)
    {
      BbVolunteer *v = all->pdata[i];
      gboolean given = FALSE;

      g_assert_cmpuint (g_strv_length ((GStrv) bb_volunteer_get_skills (v)), >, 0);
      g_assert_cmpuint (bb_volunteer_get_availability (v), !=, 0);
      stopped += bb_volunteer_get_status (v) == BB_VOLUNTEER_STATUS_STOPPED;
      with_agreement += bb_volunteer_get_allowance_kind (v) != BB_ALLOWANCE_KIND_NONE;
      if (bb_volunteer_get_consent (fixture->store, bb_volunteer_get_id (v), BB_CONSENT_NEWSLETTER,
                                    &given, NULL, &error))
        with_consents++;
      g_assert_no_error (error);
      minutes += bb_hours_total_for_volunteer (fixture->store, bb_volunteer_get_id (v), 0, &error);
      g_assert_no_error (error);

      /* Every allowance paid stays within the limits of its year */
      for (int year = g_date_get_year (&today) - 1; year <= g_date_get_year (&today); year++)
        {
          BbAllowanceOverview overview;

          g_assert_true (bb_allowance_year_overview (fixture->store, bb_volunteer_get_id (v), year,
                                                     &overview, &error));
          g_assert_no_error (error);
          g_assert_cmpint (overview.broken, ==, BB_CAP_NONE);
        }
    }
  g_assert_cmpuint (stopped, ==, 2);
  g_assert_cmpuint (with_consents, >=, 20);
  g_assert_cmpuint (with_agreement, >=, 3);
  g_assert_cmpint (minutes, >, 0);

  /* Two VOGs due again, one requested and one missing */
  due = bb_volunteer_list_vog_due (fixture->store, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 4);

  /* Only the one who stopped long ago is listed for erasure */
  erase = bb_volunteer_list_for_erasure (fixture->store, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (erase->len, ==, 1);
  g_assert_cmpstr (bb_volunteer_get_last_name (erase->pdata[0]), ==, "Groen");

  payments = bb_allowance_list_payments (fixture->store, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, >=, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/bb/volunteers/save-and-get", test_save_and_get);
  ADD ("/bb/volunteers/list-rows", test_list_rows);
  ADD ("/bb/volunteers/validate", test_validate);
  ADD ("/bb/volunteers/get-missing", test_get_missing);
  ADD ("/bb/volunteers/allowance/caps-data", test_caps_data);
  ADD ("/bb/volunteers/allowance/year-without-figures", test_caps_year_without_figures);
  ADD ("/bb/volunteers/allowance/exactly-and-one-cent-over", test_caps_exactly_and_one_cent_over);
  ADD ("/bb/volunteers/allowance/month-boundaries-and-year", test_caps_month_boundaries_and_year);
  ADD ("/bb/volunteers/allowance/store", test_allowance_store);
  ADD ("/bb/volunteers/vog-due", test_vog_due);
  ADD ("/bb/volunteers/consents", test_consents);
  ADD ("/bb/volunteers/erase-keeps-anonymous-hours", test_erase_keeps_anonymous_hours);
  ADD ("/bb/volunteers/for-erasure", test_for_erasure);
  ADD ("/bb/volunteers/hours-reports", test_hours_reports);
  ADD ("/bb/volunteers/who-can-help", test_who_can_help);
  ADD ("/bb/volunteers/import/semicolons-bom-quotes", test_import_semicolons_bom_quotes);
  ADD ("/bb/volunteers/import/windows-1252-commas", test_import_windows_1252_commas);
  ADD ("/bb/volunteers/import/errors-and-duplicates", test_import_errors_and_duplicates);
  ADD ("/bb/volunteers/import/mapping", test_import_mapping);
  ADD ("/bb/volunteers/import/broken", test_import_broken);
  ADD ("/bb/volunteers/export-round-trip", test_export_round_trip);
  ADD ("/bb/volunteers/inzage", test_inzage);
  ADD ("/bb/volunteers/demo", test_demo);
#undef ADD

  return g_test_run ();
}
