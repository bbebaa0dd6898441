/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bb-allowance.h"
#include "bb-handover.h"
#include "bb-hours.h"
#include "bb-store.h"
#include "bb-test-util.h"
#include "bb-volunteer.h"

/* The "volunteers" section of the handover document: everything the
 * register holds survives export → import, and a broken section is
 * refused with the field named and no council file left behind. */

typedef struct
{
  char    *dir;
  char    *backups;
  char    *dest;
  BbStore *store;
  char    *anna;       /* a full volunteer */
  char    *bram;       /* a volunteer who stopped */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbVolunteer) anna = bb_volunteer_new ();
  g_autoptr(BbVolunteer) bram = bb_volunteer_new ();
  g_autoptr(BbVolunteer) gone = bb_volunteer_new ();
  g_autoptr(BbAllowancePayment) pay = bb_allowance_payment_new ();
  g_autoptr(BbAllowancePayment) expense = bb_allowance_payment_new ();
  g_autoptr(BbAllowancePayment) gone_pay = bb_allowance_payment_new ();
  const char *anna_skills[] = { "fotografie", "bar/catering", "drone vliegen", NULL };
  const char *bram_skills[] = { "klussen", NULL };
  BbAllowanceCaps caps = { 2027, 600, 350, 23000, 230000 };
  BbHoursConfirmation confirmed[] = {
    { "5b4d3a2c-1e0f-4a9b-8c7d-6e5f4a3b2c1d", NULL, "2025-04-27", 240 },
  };
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-volunteer-handover-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Test.buurtboek", NULL);
  fixture->backups = g_build_filename (fixture->dir, "backups", NULL);
  fixture->dest = g_build_filename (fixture->dir, "Imported.buurtboek", NULL);
  bb_council_set_name (council, "Wijkraad Ëlsendonk");
  fixture->store = bb_store_create (path, council, fixture->backups, &error);
  g_assert_no_error (error);

  g_assert_true (bb_volunteer_add_council_skill (fixture->store, "drone vliegen", &error));
  g_assert_true (bb_allowance_set_caps (fixture->store, &caps, &error));
  g_assert_true (bb_volunteer_set_vog_rerequest_years (fixture->store, 5, &error));
  g_assert_true (bb_volunteer_set_erase_after_months (fixture->store, 18, &error));
  g_assert_no_error (error);

  bb_volunteer_set_first_name (anna, "Anna-Zoë");
  bb_volunteer_set_last_name (anna, "van ’t Hof");
  bb_volunteer_set_email (anna, "anna@example.nl");
  bb_volunteer_set_phone (anna, "06 1234 5678");
  bb_volunteer_set_address (anna, "Kerkstraat 1\n5611 AB Eindhoven");
  bb_volunteer_set_age_band (anna, BB_AGE_BAND_21_PLUS);
  bb_volunteer_set_birth_year (anna, 1987);
  bb_volunteer_set_available (anna, G_DATE_MONDAY, BB_DAY_PART_MORNING, TRUE);
  bb_volunteer_set_available (anna, G_DATE_SUNDAY, BB_DAY_PART_EVENING, TRUE);
  bb_volunteer_set_skills (anna, anna_skills);
  bb_volunteer_set_roles (anna, "coördinator bar");
  bb_volunteer_set_start_date (anna, "2020-03-01");
  bb_volunteer_set_status (anna, BB_VOLUNTEER_STATUS_ACTIVE);
  bb_volunteer_set_emergency_contact (anna, "Piet, 06 8765 4321");
  bb_volunteer_set_notes (anna, "Allergisch voor noten; \"liever\" geen afwas.");
  bb_volunteer_set_vog_needed (anna, TRUE);
  bb_volunteer_set_vog_status (anna, BB_VOG_RECEIVED);
  bb_volunteer_set_vog_date (anna, "2023-02-14");
  bb_volunteer_set_allowance_kind (anna, BB_ALLOWANCE_KIND_HOURLY);
  bb_volunteer_set_allowance_cents (anna, 450);
  bb_volunteer_set_iban (anna, "NL91ABNA0417164300");
  g_assert_true (bb_volunteer_save (fixture->store, anna, &error));
  g_assert_no_error (error);
  fixture->anna = g_strdup (bb_volunteer_get_id (anna));

  bb_volunteer_set_first_name (bram, "Bram");
  bb_volunteer_set_last_name (bram, "Jansen");
  bb_volunteer_set_skills (bram, bram_skills);
  g_assert_true (bb_volunteer_save (fixture->store, bram, &error));
  fixture->bram = g_strdup (bb_volunteer_get_id (bram));
  g_assert_true (bb_volunteer_stop (fixture->store, fixture->bram, "2024-06-30", "Verhuisd", &error));
  g_assert_no_error (error);

  g_assert_true (bb_volunteer_record_consent (fixture->store, fixture->anna, BB_CONSENT_PHOTO, TRUE,
                                              "2024-01-10", &error));
  g_assert_true (bb_volunteer_record_consent (fixture->store, fixture->anna, BB_CONSENT_PHOTO, FALSE,
                                              "2025-02-01", &error));
  g_assert_true (bb_volunteer_record_consent (fixture->store, fixture->anna, BB_CONSENT_NEWSLETTER, TRUE,
                                              "2024-01-10", &error));
  g_assert_no_error (error);

  pay->volunteer_id = g_strdup (fixture->anna);
  pay->date = g_strdup ("2025-05-31");
  pay->kind = BB_PAYMENT_ALLOWANCE;
  pay->amount_cents = 2240;
  pay->minutes = 240;
  g_free (pay->note);
  pay->note = g_strdup ("Koningsdag");
  g_assert_true (bb_allowance_add_payment (fixture->store, pay, NULL, &error));
  expense->volunteer_id = g_strdup (fixture->anna);
  expense->date = g_strdup ("2025-06-02");
  expense->kind = BB_PAYMENT_EXPENSE;
  expense->amount_cents = 1795;
  g_assert_true (bb_allowance_add_payment (fixture->store, expense, NULL, &error));
  g_assert_no_error (error);

  confirmed[0].volunteer_id = fixture->anna;
  g_assert_true (bb_hours_replace_confirmed (fixture->store, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                                             confirmed, G_N_ELEMENTS (confirmed), &error));
  g_assert_true (bb_hours_add_manual (fixture->store, fixture->bram, NULL, "2024-03-02", 90,
                                      "Flyers rondgebracht", NULL, &error));
  g_assert_no_error (error);

  /* An erased volunteer leaves anonymous hours and a payment behind */
  bb_volunteer_set_first_name (gone, "Weg");
  g_assert_true (bb_volunteer_save (fixture->store, gone, &error));
  g_assert_true (bb_hours_add_manual (fixture->store, bb_volunteer_get_id (gone), NULL, "2023-10-31", 120,
                                      "", NULL, &error));
  gone_pay->volunteer_id = g_strdup (bb_volunteer_get_id (gone));
  gone_pay->date = g_strdup ("2023-11-01");
  gone_pay->kind = BB_PAYMENT_ALLOWANCE;
  gone_pay->amount_cents = 1000;
  g_assert_true (bb_allowance_add_payment (fixture->store, gone_pay, NULL, &error));
  g_assert_true (bb_volunteer_erase (fixture->store, bb_volunteer_get_id (gone), &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  if (fixture->store != NULL)
    {
      g_assert_true (bb_store_close (fixture->store, NULL));
      g_assert_finalize_object (fixture->store);
    }
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->anna);
  g_free (fixture->bram);
  g_free (fixture->dest);
  g_free (fixture->backups);
  g_free (fixture->dir);
}

static void
close_store (BbStore *store)
{
  g_assert_true (bb_store_close (store, NULL));
  g_assert_finalize_object (store);
}

static JsonNode *
export_section (BbStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = bb_handover_export (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return json_node_copy (json_object_get_member (json_node_get_object (document), "volunteers"));
}

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = export_section (fixture->store);
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(BbVolunteer) original = bb_volunteer_get (fixture->store, fixture->anna, &error);
  g_autoptr(BbVolunteer) anna = NULL;
  g_autoptr(BbVolunteer) bram = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  g_auto(GStrv) skills = NULL;
  g_autofree char *json = g_build_filename (fixture->dir, "handover.json", NULL);
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *consent_date = NULL;
  BbAllowanceCaps caps;
  BbStore *imported;
  gboolean given = TRUE;
  guint anonymous_hours = 0, anonymous_payments = 0;

  g_assert_no_error (error);
  g_assert_true (bb_handover_export_file (fixture->store, json, &error));
  g_assert_no_error (error);

  imported = bb_handover_import_file (json, fixture->dest, fixture->backups, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);

  /* The same document again, byte for byte */
  second = export_section (imported);
  first_text = to_text (first);
  second_text = to_text (second);
  g_assert_cmpstr (first_text, ==, second_text);

  /* and what a user relies on, read through the API */
  anna = bb_volunteer_get (imported, fixture->anna, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_volunteer_get_display_name (anna), ==, "Anna-Zoë van ’t Hof");
  g_assert_cmpstr (bb_volunteer_get_address (anna), ==, "Kerkstraat 1\n5611 AB Eindhoven");
  g_assert_cmpstr (bb_volunteer_get_created_at (anna), ==, bb_volunteer_get_created_at (original));
  g_assert_cmpstr (bb_volunteer_get_updated_at (anna), ==, bb_volunteer_get_updated_at (original));
  g_assert_cmpuint (bb_volunteer_get_availability (anna), ==, bb_volunteer_get_availability (original));
  g_assert_true (bb_volunteer_is_available (anna, G_DATE_SUNDAY, BB_DAY_PART_EVENING));
  g_assert_false (bb_volunteer_is_available (anna, G_DATE_SUNDAY, BB_DAY_PART_MORNING));
  g_assert_true (bb_volunteer_has_skill (anna, "drone vliegen"));
  g_assert_cmpuint (bb_volunteer_get_birth_year (anna), ==, 1987);
  g_assert_cmpint (bb_volunteer_get_vog_status (anna), ==, BB_VOG_RECEIVED);
  g_assert_cmpstr (bb_volunteer_get_vog_date (anna), ==, "2023-02-14");
  g_assert_cmpint (bb_volunteer_get_allowance_kind (anna), ==, BB_ALLOWANCE_KIND_HOURLY);
  g_assert_cmpint (bb_volunteer_get_allowance_cents (anna), ==, 450);

  /* The latest consent counts: photos withdrawn */
  g_assert_true (bb_volunteer_get_consent (imported, fixture->anna, BB_CONSENT_PHOTO, &given,
                                           &consent_date, &error));
  g_assert_false (given);
  g_assert_cmpstr (consent_date, ==, "2025-02-01");

  bram = bb_volunteer_get (imported, fixture->bram, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bb_volunteer_get_status (bram), ==, BB_VOLUNTEER_STATUS_STOPPED);
  g_assert_cmpstr (bb_volunteer_get_stop_reason (bram), ==, "Verhuisd");

  /* The council's own skill and caps, and its settings */
  skills = bb_volunteer_list_skills (imported, &error);
  g_assert_true (g_strv_contains ((const char * const *) skills, "drone vliegen"));
  g_assert_true (bb_allowance_get_caps (imported, 2027, &caps, &error));
  g_assert_no_error (error);
  g_assert_cmpint (caps.hour_21_plus_cents, ==, 600);
  g_assert_cmpint (caps.year_cents, ==, 230000);
  g_assert_cmpuint (bb_volunteer_get_vog_rerequest_years (imported), ==, 5);
  g_assert_cmpuint (bb_volunteer_get_erase_after_months (imported), ==, 18);

  /* Hours and payments, the erased volunteer's ones anonymous */
  g_assert_cmpint (bb_hours_total_for_volunteer (imported, fixture->anna, 2025, &error), ==, 240);
  hours = bb_hours_list_for_activity (imported, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", &error);
  g_assert_cmpuint (hours->len, ==, 1);
  g_assert_cmpint (((BbHoursEntry *) hours->pdata[0])->source, ==, BB_HOURS_SOURCE_CONFIRMED);
  g_clear_pointer (&hours, g_ptr_array_unref);
  hours = bb_hours_list_for_volunteer (imported, fixture->bram, &error);
  g_assert_cmpuint (hours->len, ==, 1);
  g_assert_cmpstr (((BbHoursEntry *) hours->pdata[0])->note, ==, "Flyers rondgebracht");
  payments = bb_allowance_list_payments (imported, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 3);
  for (guint i = 0; i < payments->len; i++)
    anonymous_payments += ((BbAllowancePayment *) payments->pdata[i])->volunteer_id == NULL;
  g_assert_cmpuint (anonymous_payments, ==, 1);
  g_clear_pointer (&hours, g_ptr_array_unref);
  {
    g_autoptr(JsonNode) section = export_section (imported);
    JsonArray *all = json_object_get_array_member (json_node_get_object (section), "hours");

    g_assert_cmpuint (json_array_get_length (all), ==, 3);
    for (guint i = 0; i < json_array_get_length (all); i++)
      anonymous_hours += json_object_get_null_member (json_array_get_object_element (all, i), "volunteer_id");
    g_assert_cmpuint (anonymous_hours, ==, 1);
  }

  close_store (imported);
}

/* A document without the section (an older export) gives an empty register. */
static void
test_section_absent (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = bb_handover_export (fixture->store, &error);
  BbStore *imported;

  g_assert_no_error (error);
  json_object_remove_member (json_node_get_object (document), "volunteers");
  imported = bb_handover_import (document, fixture->dest, fixture->backups, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GListModel) list = bb_volunteer_list_all (imported, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  }
  close_store (imported);
}

/* The demo's realistic data passes the strict import unchanged. */
static void
test_demo_round_trip (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  BbStore *imported;

  g_assert_true (bb_volunteer_add_demo (fixture->store, &error));
  g_assert_no_error (error);
  document = bb_handover_export (fixture->store, &error);
  g_assert_no_error (error);
  first = export_section (fixture->store);

  imported = bb_handover_import (document, fixture->dest, fixture->backups, &error);
  g_assert_no_error (error);
  second = export_section (imported);
  first_text = to_text (first);
  second_text = to_text (second);
  g_assert_cmpstr (first_text, ==, second_text);
  close_store (imported);
}

typedef void (*Edit) (JsonObject *section);

/* Applies @edit to a fresh export and checks the import fails naming
 * @field, with nothing left behind. */
static void
assert_refused (Fixture    *fixture,
                Edit        edit,
                const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = bb_handover_export (fixture->store, &error);
  g_autofree char *quoted = g_strdup_printf ("“%s”", field);
  BbStore *imported;

  g_assert_no_error (error);
  edit (json_object_get_object_member (json_node_get_object (document), "volunteers"));
  imported = bb_handover_import (document, fixture->dest, fixture->backups, &error);
  g_assert_null (imported);
  g_assert_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA);
  if (strstr (error->message, quoted) == NULL)
    g_error ("“%s” does not name %s", error->message, field);
  g_assert_false (g_file_test (fixture->dest, G_FILE_TEST_EXISTS));
}

/* The register is sorted by last name: Bram Jansen, then Anna van ’t Hof. */
static JsonObject *
volunteer_at (JsonObject *section,
              guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (section, "register"), index);
}

static void
edit_unknown_key (JsonObject *section)
{
  json_object_set_string_member (volunteer_at (section, 1), "nickname", "Annie");
}

static void
edit_unknown_section_key (JsonObject *section)
{
  json_object_set_int_member (section, "volunteer_count", 2);
}

static void
edit_bad_email (JsonObject *section)
{
  json_object_set_string_member (volunteer_at (section, 1), "email", "anna-at-example.nl");
}

static void
edit_bad_date (JsonObject *section)
{
  json_object_set_string_member (volunteer_at (section, 0), "end_date", "30-06-2024");
}

static void
edit_bool_as_int (JsonObject *section)
{
  json_object_set_int_member (volunteer_at (section, 1), "vog_needed", 1);
}

static void
edit_bad_status (JsonObject *section)
{
  json_object_set_string_member (volunteer_at (section, 1), "status", "retired");
}

static void
edit_bad_part (JsonObject *section)
{
  JsonObject *availability = json_object_get_object_member (volunteer_at (section, 1), "availability");
  JsonArray *monday = json_object_get_array_member (availability, "monday");

  json_array_add_string_element (monday, "night");
}

static void
edit_duplicate_volunteer (JsonObject *section)
{
  JsonArray *list = json_object_get_array_member (section, "register");
  JsonNode *copy = json_node_copy (json_array_get_element (list, 0));

  json_array_add_element (list, copy);
}

static void
edit_payment_to_stranger (JsonObject *section)
{
  JsonObject *payment = json_array_get_object_element (json_object_get_array_member (section, "payments"), 1);

  json_object_set_string_member (payment, "volunteer_id", "11111111-2222-4333-8444-555555555555");
}

static void
edit_payment_amount_text (JsonObject *section)
{
  JsonObject *payment = json_array_get_object_element (json_object_get_array_member (section, "payments"), 0);

  json_object_set_string_member (payment, "amount_cents", "10,00");
}

static void
edit_hours_too_many (JsonObject *section)
{
  JsonObject *line = json_array_get_object_element (json_object_get_array_member (section, "hours"), 2);

  json_object_set_int_member (line, "minutes", 25 * 60);
}

static void
edit_hours_source (JsonObject *section)
{
  JsonObject *line = json_array_get_object_element (json_object_get_array_member (section, "hours"), 0);

  json_object_set_string_member (line, "source", "guessed");
}

static void
edit_consent_without_time_zone (JsonObject *section)
{
  JsonArray *consents = json_object_get_array_member (volunteer_at (section, 1), "consents");

  json_object_set_string_member (json_array_get_object_element (consents, 0), "recorded_at",
                                 "2024-01-10T10:00:00");
}

static void
edit_cap_zero (JsonObject *section)
{
  JsonObject *cap = json_array_get_object_element (json_object_get_array_member (section, "allowance_caps"), 0);

  json_object_set_int_member (cap, "month_cents", 0);
}

static void
edit_skill_repeated (JsonObject *section)
{
  json_array_add_string_element (json_object_get_array_member (section, "skills"), "drone vliegen");
}

static void
edit_settings_zero (JsonObject *section)
{
  json_object_set_int_member (json_object_get_object_member (section, "settings"), "erase_after_months", 0);
}

static void
edit_register_not_list (JsonObject *section)
{
  json_object_set_string_member (section, "register", "Anna, Bram");
}

static void
test_strict_import (Fixture       *fixture,
                    gconstpointer  user_data)
{
  assert_refused (fixture, edit_unknown_key, "volunteers.register[1].nickname");
  assert_refused (fixture, edit_unknown_section_key, "volunteers.volunteer_count");
  assert_refused (fixture, edit_bad_email, "volunteers.register[1].email");
  assert_refused (fixture, edit_bad_date, "volunteers.register[0].end_date");
  assert_refused (fixture, edit_bool_as_int, "volunteers.register[1].vog_needed");
  assert_refused (fixture, edit_bad_status, "volunteers.register[1].status");
  assert_refused (fixture, edit_bad_part, "volunteers.register[1].availability.monday");
  assert_refused (fixture, edit_duplicate_volunteer, "volunteers.register[2].id");
  assert_refused (fixture, edit_payment_to_stranger, "volunteers.payments[1].volunteer_id");
  assert_refused (fixture, edit_payment_amount_text, "volunteers.payments[0].amount_cents");
  assert_refused (fixture, edit_hours_too_many, "volunteers.hours[2].minutes");
  assert_refused (fixture, edit_hours_source, "volunteers.hours[0].source");
  assert_refused (fixture, edit_consent_without_time_zone, "volunteers.register[1].consents[0].recorded_at");
  assert_refused (fixture, edit_cap_zero, "volunteers.allowance_caps[0].month_cents");
  assert_refused (fixture, edit_skill_repeated, "volunteers.skills[1]");
  assert_refused (fixture, edit_settings_zero, "volunteers.settings.erase_after_months");
  assert_refused (fixture, edit_register_not_list, "volunteers.register");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/bb/volunteers/handover/round-trip", test_round_trip);
  ADD ("/bb/volunteers/handover/section-absent", test_section_absent);
  ADD ("/bb/volunteers/handover/strict-import", test_strict_import);
  ADD ("/bb/volunteers/handover/demo", test_demo_round_trip);
#undef ADD

  return g_test_run ();
}
