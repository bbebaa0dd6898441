/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <libical/ical.h>

#include "bb-activity.h"
#include "bb-programme-ics.h"
#include "bb-test-util.h"

typedef struct
{
  char    *dir;
  BbStore *store;
  char    *series_id;
  char    *fair_id;
  char    *picnic_id;
} Fixture;

static GDateTime *
at (int year, int month, int day, int hour, int minute)
{
  GDateTime *time = bb_programme_time_new (year, month, day, hour, minute);

  g_assert_nonnull (time);
  return time;
}

static char *
save_new (BbStore    *store,
          const char *title,
          const char *theme,
          GDateTime  *start,
          int         hours,
          const char *rrule)
{
  g_autoptr(BbActivity) activity = bb_activity_new ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, hours);
  g_autoptr(GError) error = NULL;

  bb_activity_set_title (activity, title);
  bb_activity_set_theme (activity, theme);
  bb_activity_set_times (activity, start, end);
  bb_activity_set_location (activity, "Buurthuis De Schakel, Dorpstraat 4");
  bb_activity_set_description (activity, "Met koffie; thee, en \"koek\".");
  bb_activity_set_rrule (activity, rrule != NULL ? rrule : "");
  g_assert_true (bb_programme_save_activity (store, activity, &error));
  g_assert_no_error (error);
  return g_strdup (bb_activity_get_id (activity));
}

/* A council with a monthly series (one date cancelled, one moved), a
 * single activity and a cancelled one. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;
  g_autoptr(GDateTime) coffee = at (2026, 1, 13, 10, 0);
  g_autoptr(GDateTime) march = at (2026, 3, 10, 10, 0);
  g_autoptr(GDateTime) april = at (2026, 4, 14, 10, 0);
  g_autoptr(GDateTime) april_new = at (2026, 4, 16, 14, 0);
  g_autoptr(GDateTime) april_new_end = at (2026, 4, 16, 16, 0);
  g_autoptr(GDateTime) fair = at (2026, 6, 20, 12, 0);
  g_autoptr(GDateTime) picnic = at (2026, 7, 5, 12, 0);
  g_autoptr(GDateTime) next_year = at (2027, 1, 9, 16, 0);
  g_autofree char *later = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-ics-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Wijkraad Oost.buurtboek", NULL);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad Oost");
  fixture->store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);

  fixture->series_id = save_new (fixture->store, "Koffieochtend", "ouderen", coffee, 2, "FREQ=MONTHLY;BYDAY=2TU");
  fixture->fair_id = save_new (fixture->store, "Zomerfeest", "feest & ontmoeting", fair, 6, NULL);
  fixture->picnic_id = save_new (fixture->store, "Picknick", "feest & ontmoeting", picnic, 3, NULL);
  later = save_new (fixture->store, "Nieuwjaarsreceptie", "feest & ontmoeting", next_year, 3, NULL);

  g_assert_true (bb_programme_cancel_occurrence (fixture->store, fixture->series_id, march, "Verbouwing", &error));
  g_assert_true (bb_programme_move_occurrence (fixture->store, fixture->series_id, april, april_new,
                                               april_new_end, &error));
  g_assert_true (bb_programme_cancel_occurrence (fixture->store, fixture->picnic_id, NULL, "Onweer", &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_assert_true (bb_store_close (fixture->store, NULL));
  g_clear_object (&fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->series_id);
  g_free (fixture->fair_id);
  g_free (fixture->picnic_id);
}

static icalcomponent *
find_event (icalcomponent *calendar,
            const char    *id,
            gboolean       override)
{
  g_autofree char *uid = g_strconcat (id, "@buurtboek", NULL);

  for (icalcomponent *event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
       event != NULL;
       event = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    {
      gboolean has_rid = icalcomponent_get_first_property (event, ICAL_RECURRENCEID_PROPERTY) != NULL;

      if (g_strcmp0 (icalcomponent_get_uid (event), uid) == 0 && has_rid == override)
        return event;
    }
  return NULL;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = bb_programme_ics_build (fixture->store, 2026, &error);
  icalcomponent *calendar;
  icalcomponent *series, *moved, *fair, *picnic;
  icalproperty *prop;
  struct icalrecurrencetype rule;
  struct icaltimetype t;
  guint n_events = 0;

  g_assert_no_error (error);
  g_assert_nonnull (text);
  /* RFC 5545 lines end in CRLF. */
  g_assert_nonnull (strstr (text, "BEGIN:VCALENDAR\r\n"));

  calendar = icalparser_parse_string (text);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_isa (calendar), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_cmpint (icalcomponent_count_errors (calendar), ==, 0);
  g_assert_nonnull (strstr (icalproperty_get_prodid (icalcomponent_get_first_property (calendar, ICAL_PRODID_PROPERTY)),
                            "Buurtboek"));
  g_assert_nonnull (icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT));

  for (icalcomponent *e = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
       e != NULL; e = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    {
      g_assert_nonnull (icalcomponent_get_first_property (e, ICAL_DTSTAMP_PROPERTY));
      n_events++;
    }
  /* Series + its moved date, the fair, the picnic; 2027 is left out. */
  g_assert_cmpuint (n_events, ==, 4);

  series = find_event (calendar, fixture->series_id, FALSE);
  g_assert_nonnull (series);
  g_assert_cmpstr (icalcomponent_get_summary (series), ==, "Koffieochtend");
  g_assert_cmpstr (icalcomponent_get_location (series), ==, "Buurthuis De Schakel, Dorpstraat 4");
  g_assert_cmpstr (icalcomponent_get_description (series), ==, "Met koffie; thee, en \"koek\".");
  prop = icalcomponent_get_first_property (series, ICAL_CATEGORIES_PROPERTY);
  g_assert_cmpstr (icalproperty_get_categories (prop), ==, "ouderen");
  prop = icalcomponent_get_first_property (series, ICAL_RRULE_PROPERTY);
  rule = icalproperty_get_rrule (prop);
  g_assert_cmpint (rule.freq, ==, ICAL_MONTHLY_RECURRENCE);
  g_assert_cmpint (icalrecurrencetype_day_position (rule.by_day[0]), ==, 2);
  g_assert_cmpint (icalrecurrencetype_day_day_of_week (rule.by_day[0]), ==, ICAL_TUESDAY_WEEKDAY);

  prop = icalcomponent_get_first_property (series, ICAL_DTSTART_PROPERTY);
  g_assert_cmpstr (icalparameter_get_tzid (icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER)),
                   ==, "Europe/Amsterdam");
  t = icalcomponent_get_dtstart (series);
  g_assert_cmpint (t.year, ==, 2026);
  g_assert_cmpint (t.month, ==, 1);
  g_assert_cmpint (t.day, ==, 13);
  g_assert_cmpint (t.hour, ==, 10);

  /* The cancelled date is an EXDATE, at 10:00 local time. */
  prop = icalcomponent_get_first_property (series, ICAL_EXDATE_PROPERTY);
  g_assert_nonnull (prop);
  t = icalproperty_get_exdate (prop);
  g_assert_cmpint (t.month, ==, 3);
  g_assert_cmpint (t.day, ==, 10);
  g_assert_cmpint (t.hour, ==, 10);
  g_assert_null (icalcomponent_get_next_property (series, ICAL_EXDATE_PROPERTY));

  /* The moved date is an override with the original start as RECURRENCE-ID. */
  moved = find_event (calendar, fixture->series_id, TRUE);
  g_assert_nonnull (moved);
  t = icalcomponent_get_recurrenceid (moved);
  g_assert_cmpint (t.month, ==, 4);
  g_assert_cmpint (t.day, ==, 14);
  g_assert_cmpint (t.hour, ==, 10);
  t = icalcomponent_get_dtstart (moved);
  g_assert_cmpint (t.day, ==, 16);
  g_assert_cmpint (t.hour, ==, 14);

  fair = find_event (calendar, fixture->fair_id, FALSE);
  g_assert_nonnull (fair);
  g_assert_null (icalcomponent_get_first_property (fair, ICAL_RRULE_PROPERTY));
  g_assert_cmpint (icalcomponent_get_status (fair), ==, ICAL_STATUS_TENTATIVE);
  t = icalcomponent_get_dtend (fair);
  g_assert_cmpint (t.hour, ==, 18);

  picnic = find_event (calendar, fixture->picnic_id, FALSE);
  g_assert_nonnull (picnic);
  g_assert_cmpint (icalcomponent_get_status (picnic), ==, ICAL_STATUS_CANCELLED);

  icalcomponent_free (calendar);
}

static void
test_all_years (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = bb_programme_ics_build (fixture->store, 0, &error);
  g_autofree char *path = g_build_filename (fixture->dir, "programma.ics", NULL);
  g_autofree char *written = NULL;
  icalcomponent *calendar;

  g_assert_no_error (error);
  calendar = icalparser_parse_string (text);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, 5);
  icalcomponent_free (calendar);

  g_assert_true (bb_programme_ics_write (fixture->store, 0, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_assert_nonnull (strstr (written, "Nieuwjaarsreceptie"));
}

static void
test_pdf (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "programma.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *pages = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  int status = 0;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  const char *info_argv[] = { "pdfinfo", path, NULL };

  g_assert_true (bb_programme_pdf_write (fixture->store, 2026, path, &error));
  g_assert_no_error (error);

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);

  g_assert_nonnull (strstr (out, "Wijkraad Oost: programme 2026"));
  g_assert_nonnull (strstr (out, "January"));
  g_assert_nonnull (strstr (out, "Tue 13 Jan"));
  g_assert_nonnull (strstr (out, "10:00–12:00"));
  g_assert_nonnull (strstr (out, "Zomerfeest"));
  /* The moved date is printed where it moved to; cancelled ones not at all. */
  g_assert_nonnull (strstr (out, "Thu 16 Apr"));
  g_assert_null (strstr (out, "Tue 10 Mar"));
  g_assert_null (strstr (out, "Picknick"));
  /* Next year's activity is not in this year's programme. */
  g_assert_null (strstr (out, "Nieuwjaarsreceptie"));

  g_assert_true (g_spawn_sync (NULL, (char **) info_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &pages, NULL, &status, &error));
  g_assert_nonnull (strstr (pages, "Pages:           1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/programme/ics/round-trip", Fixture, NULL, fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/bb/programme/ics/all-years", Fixture, NULL, fixture_setup, test_all_years, fixture_teardown);
  g_test_add ("/bb/programme/pdf/year", Fixture, NULL, fixture_setup, test_pdf, fixture_teardown);

  return g_test_run ();
}
