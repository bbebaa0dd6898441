/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>

#include "bb-activity.h"
#include "bb-handover.h"
#include "bb-hours.h"
#include "bb-programme-ics.h"
#include <json-glib/json-glib.h>
#include "bb-volunteer.h"
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

  fixture->dir = g_dir_make_tmp ("buurtboek-activity-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Wijkraad Noord.buurtboek", NULL);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  bb_council_set_name (council, "Wijkraad Noord");
  fixture->store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_store_close (fixture->store, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Helpers */

static GDateTime *
at (int year, int month, int day, int hour, int minute)
{
  GDateTime *time = bb_programme_time_new (year, month, day, hour, minute);

  g_assert_nonnull (time);
  return time;
}

static BbActivity *
make_activity (const char *title,
               const char *theme,
               GDateTime  *start,
               int         hours,
               const char *rrule)
{
  BbActivity *activity = bb_activity_new ();
  g_autoptr(GDateTime) end = g_date_time_add_hours (start, hours);

  bb_activity_set_title (activity, title);
  bb_activity_set_theme (activity, theme);
  bb_activity_set_times (activity, start, end);
  bb_activity_set_location (activity, "Buurthuis De Schakel");
  bb_activity_set_rrule (activity, rrule != NULL ? rrule : "");
  return activity;
}

static char *
save_new (BbStore    *store,
          const char *title,
          const char *theme,
          GDateTime  *start,
          int         hours,
          const char *rrule)
{
  g_autoptr(BbActivity) activity = make_activity (title, theme, start, hours, rrule);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_programme_save_activity (store, activity, &error));
  g_assert_no_error (error);
  return g_strdup (bb_activity_get_id (activity));
}

static char *
add_task (BbStore    *store,
          const char *activity_id,
          const char *role,
          int         needed,
          GDateTime  *start,
          GDateTime  *end)
{
  g_autoptr(BbTask) task = bb_task_new (activity_id, role, needed, start, end);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_programme_save_task (store, task, &error));
  g_assert_no_error (error);
  return g_strdup (bb_task_get_id (task));
}

static char *
add_volunteer (BbStore    *store,
               const char *first,
               const char *last)
{
  g_autoptr(BbVolunteer) volunteer = bb_volunteer_new ();
  g_autoptr(GError) error = NULL;

  bb_volunteer_set_first_name (volunteer, first);
  bb_volunteer_set_last_name (volunteer, last);
  g_assert_true (bb_volunteer_save (store, volunteer, &error));
  g_assert_no_error (error);
  return g_strdup (bb_volunteer_get_id (volunteer));
}

static void
assign (BbStore    *store,
        const char *task_id,
        const char *volunteer_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_programme_assign (store, task_id, volunteer_id, &error));
  g_assert_no_error (error);
}

static void
assert_wall (GDateTime  *time,
             const char *expected)
{
  g_autofree char *text = bb_programme_time_to_string (time);

  g_assert_cmpstr (text, ==, expected);
}

static GPtrArray *
occurrences_in_year (BbStore *store,
                     int      year)
{
  g_autoptr(GDateTime) from = at (year, 1, 1, 0, 0);
  g_autoptr(GDateTime) to = at (year + 1, 1, 1, 0, 0);
  g_autoptr(GError) error = NULL;
  GPtrArray *occurrences = bb_programme_list_occurrences (store, from, to, &error);

  g_assert_no_error (error);
  g_assert_nonnull (occurrences);
  return occurrences;
}

/* Tests */

static void
test_second_tuesday (void)
{
  g_autoptr(GDateTime) start = at (2026, 1, 13, 10, 0);
  g_autoptr(BbActivity) activity = make_activity ("Koffieochtend", "ouderen", start, 2,
                                                  "FREQ=MONTHLY;BYDAY=2TU");
  g_autoptr(GDateTime) from = at (2026, 1, 1, 0, 0);
  g_autoptr(GDateTime) to = at (2027, 1, 1, 0, 0);
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GError) error = NULL;
  static const int expected_days[] = { 13, 10, 10, 14, 12, 9, 14, 11, 8, 13, 10, 8 };

  occurrences = bb_activity_expand (activity, from, to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (occurrences->len, ==, 12);

  for (guint i = 0; i < occurrences->len; i++)
    {
      GDateTime *s = bb_occurrence_get_start (g_ptr_array_index (occurrences, i));
      GDateTime *e = bb_occurrence_get_end (g_ptr_array_index (occurrences, i));

      g_assert_cmpint (g_date_time_get_month (s), ==, (int) i + 1);
      g_assert_cmpint (g_date_time_get_day_of_month (s), ==, expected_days[i]);
      g_assert_cmpint (g_date_time_get_day_of_week (s), ==, 2);
      g_assert_cmpint (g_date_time_get_hour (s), ==, 10);
      g_assert_cmpint (g_date_time_get_hour (e), ==, 12);
    }
}

/* The clocks go forward on 29 March and back on 25 October 2026: a
 * Sunday-morning series stays at 10:00 on the wall, so its UTC time moves. */
static void
test_dst_weeks (void)
{
  g_autoptr(GDateTime) start = at (2026, 3, 22, 10, 0);
  g_autoptr(BbActivity) activity = make_activity ("Wandeling", "groen & schoon", start, 1,
                                                  "FREQ=WEEKLY;BYDAY=SU");
  g_autoptr(GDateTime) from = at (2026, 3, 1, 0, 0);
  g_autoptr(GDateTime) to = at (2026, 4, 6, 0, 0);
  g_autoptr(GDateTime) oct_from = at (2026, 10, 18, 0, 0);
  g_autoptr(GDateTime) oct_to = at (2026, 10, 26, 0, 0);
  g_autoptr(GPtrArray) spring = NULL;
  g_autoptr(GPtrArray) autumn = NULL;
  g_autoptr(GError) error = NULL;
  static const int spring_utc_hours[] = { 9, 8, 8 };
  static const int autumn_utc_hours[] = { 8, 9 };

  spring = bb_activity_expand (activity, from, to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spring->len, ==, 3);
  assert_wall (bb_occurrence_get_start (g_ptr_array_index (spring, 0)), "2026-03-22T10:00:00");
  assert_wall (bb_occurrence_get_start (g_ptr_array_index (spring, 1)), "2026-03-29T10:00:00");
  assert_wall (bb_occurrence_get_start (g_ptr_array_index (spring, 2)), "2026-04-05T10:00:00");
  for (guint i = 0; i < spring->len; i++)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (bb_occurrence_get_start (g_ptr_array_index (spring, i)));

      g_assert_cmpint (g_date_time_get_hour (utc), ==, spring_utc_hours[i]);
    }

  autumn = bb_activity_expand (activity, oct_from, oct_to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (autumn->len, ==, 2);
  assert_wall (bb_occurrence_get_start (g_ptr_array_index (autumn, 1)), "2026-10-25T10:00:00");
  for (guint i = 0; i < autumn->len; i++)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (bb_occurrence_get_start (g_ptr_array_index (autumn, i)));

      g_assert_cmpint (g_date_time_get_hour (utc), ==, autumn_utc_hours[i]);
    }
}

static void
test_bad_rules (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = at (2026, 5, 1, 10, 0);
  g_autoptr(BbActivity) activity = make_activity ("Koffie", "ouderen", start, 1, "FREQ=SOMETIMES");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_recurrence_validate ("FREQ=HOURLY", &error));
  g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_RECURRENCE);
  g_clear_error (&error);
  g_assert_false (bb_recurrence_validate ("nonsense", &error));
  g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_RECURRENCE);
  g_clear_error (&error);
  g_assert_true (bb_recurrence_validate ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=5", &error));
  g_assert_no_error (error);

  g_assert_false (bb_programme_save_activity (fixture->store, activity, &error));
  g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_RECURRENCE);
  g_assert_null (bb_activity_get_id (activity));
  all = bb_programme_list_activities (fixture->store, NULL);
  g_assert_cmpuint (all->len, ==, 0);
}

static void
test_validation (void)
{
  g_autoptr(GDateTime) start = at (2026, 5, 1, 10, 0);
  g_autoptr(GDateTime) before = at (2026, 5, 1, 9, 0);
  g_autoptr(BbActivity) activity = make_activity ("  ", "", start, 1, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_activity_validate (activity, &error));
  g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TITLE);
  g_clear_error (&error);

  bb_activity_set_title (activity, "Burendag");
  bb_activity_set_times (activity, start, before);
  g_assert_false (bb_activity_validate (activity, &error));
  g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TIMES);
  g_clear_error (&error);

  bb_activity_set_times (activity, start, start);
  bb_activity_set_status (activity, BB_ACTIVITY_STATUS_CANCELLED);
  g_assert_false (bb_activity_validate (activity, &error));
  g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_REASON);
  g_clear_error (&error);

  bb_activity_set_cancel_reason (activity, "Regen");
  g_assert_true (bb_activity_validate (activity, &error));
  g_assert_no_error (error);
}

static void
test_describe (void)
{
  struct { const char *rule; const char *text; } cases[] = {
    { "FREQ=MONTHLY;BYDAY=2TU", "every second Tuesday of the month" },
    { "FREQ=MONTHLY;BYDAY=-1FR", "every last Friday of the month" },
    { "FREQ=WEEKLY;BYDAY=MO,TH", "every week on Monday, Thursday" },
    { "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "every 2 weeks on Wednesday" },
    { "FREQ=MONTHLY;BYMONTHDAY=15", "every month on day 15" },
    { "FREQ=YEARLY;COUNT=3", "every year, 3 times" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = bb_recurrence_describe (cases[i].rule);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_null (bb_recurrence_describe ("FREQ=NEVER"));
}

/* One date of a series is cancelled, another moved: the rest of the
 * series and the series itself stay as they were. */
static void
test_exceptions (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = at (2026, 1, 13, 10, 0);
  g_autoptr(GDateTime) march = at (2026, 3, 10, 10, 0);
  g_autoptr(GDateTime) april = at (2026, 4, 14, 10, 0);
  g_autoptr(GDateTime) april_new = at (2026, 4, 16, 14, 0);
  g_autoptr(GDateTime) april_new_end = at (2026, 4, 16, 16, 0);
  g_autofree char *id = save_new (fixture->store, "Koffieochtend", "ouderen", start, 2,
                                  "FREQ=MONTHLY;BYDAY=2TU");
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(BbActivity) series = NULL;
  g_autoptr(GError) error = NULL;
  guint cancelled = 0, moved = 0;

  g_assert_true (bb_programme_cancel_occurrence (fixture->store, id, march, "Buurthuis verbouwd", &error));
  g_assert_no_error (error);
  g_assert_true (bb_programme_move_occurrence (fixture->store, id, april, april_new, april_new_end, &error));
  g_assert_no_error (error);

  /* A date the rule does not give is refused. */
  {
    g_autoptr(GDateTime) wrong = at (2026, 3, 11, 10, 0);

    g_assert_false (bb_programme_cancel_occurrence (fixture->store, id, wrong, "x", &error));
    g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  occurrences = occurrences_in_year (fixture->store, 2026);
  g_assert_cmpuint (occurrences->len, ==, 12);
  for (guint i = 0; i < occurrences->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (occurrences, i);
      g_autofree char *rid = bb_programme_time_to_string (bb_occurrence_get_recurrence_id (occurrence));

      if (g_str_equal (rid, "2026-03-10T10:00:00"))
        {
          cancelled++;
          g_assert_cmpint (bb_occurrence_get_status (occurrence), ==, BB_ACTIVITY_STATUS_CANCELLED);
          g_assert_cmpstr (bb_occurrence_get_cancel_reason (occurrence), ==, "Buurthuis verbouwd");
          g_assert_true (bb_occurrence_is_exception (occurrence));
        }
      else if (g_str_equal (rid, "2026-04-14T10:00:00"))
        {
          moved++;
          assert_wall (bb_occurrence_get_start (occurrence), "2026-04-16T14:00:00");
          assert_wall (bb_occurrence_get_end (occurrence), "2026-04-16T16:00:00");
          g_assert_cmpint (bb_occurrence_get_status (occurrence), ==, BB_ACTIVITY_STATUS_PLANNED);
        }
      else
        {
          g_assert_false (bb_occurrence_is_exception (occurrence));
          g_assert_cmpint (bb_occurrence_get_status (occurrence), ==, BB_ACTIVITY_STATUS_PLANNED);
          g_assert_cmpint (g_date_time_get_hour (bb_occurrence_get_start (occurrence)), ==, 10);
        }
    }
  g_assert_cmpuint (cancelled, ==, 1);
  g_assert_cmpuint (moved, ==, 1);

  series = bb_programme_get_activity (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bb_activity_get_status (series), ==, BB_ACTIVITY_STATUS_PLANNED);
  g_assert_cmpstr (bb_activity_get_rrule (series), ==, "FREQ=MONTHLY;BYDAY=2TU");
  assert_wall (bb_activity_get_start (series), "2026-01-13T10:00:00");

  /* Restoring the date makes it follow the series again. */
  g_assert_true (bb_programme_restore_occurrence (fixture->store, id, march, &error));
  g_assert_no_error (error);
  g_clear_pointer (&occurrences, g_ptr_array_unref);
  occurrences = occurrences_in_year (fixture->store, 2026);
  g_assert_cmpint (bb_occurrence_get_status (g_ptr_array_index (occurrences, 2)), ==,
                   BB_ACTIVITY_STATUS_PLANNED);
}

static void
test_repeat_next_year (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = at (2026, 4, 27, 10, 0);
  g_autoptr(GDateTime) task_start = at (2026, 4, 27, 8, 0);
  g_autoptr(GDateTime) task_end = at (2026, 4, 27, 11, 0);
  g_autoptr(GDateTime) leap = at (2028, 2, 29, 19, 30);
  g_autofree char *id = save_new (fixture->store, "Koningsdag", "feest & ontmoeting", start, 6, NULL);
  g_autofree char *task_id = add_task (fixture->store, id, "opbouw", 3, task_start, task_end);
  g_autofree char *volunteer = add_volunteer (fixture->store, "Piet", "Janssen");
  g_autofree char *copy_id = NULL;
  g_autofree char *leap_id = NULL;
  g_autofree char *leap_copy_id = NULL;
  g_autoptr(BbActivity) copy = NULL;
  g_autoptr(BbActivity) leap_copy = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  assign (fixture->store, task_id, volunteer);
  {
    g_autoptr(BbOccurrence) occurrence = bb_programme_get_occurrence (fixture->store, id, NULL, &error);

    g_assert_true (bb_programme_mark_done (fixture->store, occurrence, 150, BB_COUNT_METHOD_ESTIMATED,
                                           NULL, &error));
    g_assert_no_error (error);
  }

  copy_id = bb_programme_repeat_next_year (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy_id, !=, id);
  copy = bb_programme_get_activity (fixture->store, copy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bb_activity_get_title (copy), ==, "Koningsdag");
  assert_wall (bb_activity_get_start (copy), "2027-04-27T10:00:00");
  assert_wall (bb_activity_get_end (copy), "2027-04-27T16:00:00");
  g_assert_cmpint (bb_activity_get_status (copy), ==, BB_ACTIVITY_STATUS_PLANNED);
  g_assert_cmpint (bb_activity_get_actual_participants (copy), ==, -1);

  tasks = bb_programme_list_tasks (fixture->store, copy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpstr (bb_task_get_role (g_ptr_array_index (tasks, 0)), ==, "opbouw");
  g_assert_cmpint (bb_task_get_needed (g_ptr_array_index (tasks, 0)), ==, 3);
  assert_wall (bb_task_get_start (g_ptr_array_index (tasks, 0)), "2027-04-27T08:00:00");
  assert_wall (bb_task_get_end (g_ptr_array_index (tasks, 0)), "2027-04-27T11:00:00");
  /* People are asked again next year. */
  g_assert_cmpuint (bb_task_get_n_assigned (g_ptr_array_index (tasks, 0)), ==, 0);

  /* 29 February has no twin next year. */
  leap_id = save_new (fixture->store, "Schrikkeldagborrel", "feest & ontmoeting", leap, 2, NULL);
  leap_copy_id = bb_programme_repeat_next_year (fixture->store, leap_id, &error);
  g_assert_no_error (error);
  leap_copy = bb_programme_get_activity (fixture->store, leap_copy_id, &error);
  assert_wall (bb_activity_get_start (leap_copy), "2029-02-28T19:30:00");
  assert_wall (bb_activity_get_end (leap_copy), "2029-02-28T21:30:00");
}

static void
test_short_of_people (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = at (2026, 9, 26, 13, 0);
  g_autoptr(GDateTime) end = at (2026, 9, 26, 17, 0);
  g_autofree char *id = save_new (fixture->store, "Burendag", "feest & ontmoeting", start, 4, NULL);
  g_autofree char *bar = add_task (fixture->store, id, "bar", 3, start, end);
  g_autofree char *ehbo = add_task (fixture->store, id, "EHBO", 1, start, end);
  g_autofree char *anna = add_volunteer (fixture->store, "Anna", "de Vries");
  g_autofree char *bram = add_volunteer (fixture->store, "Bram", "Smits");
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (bb_programme_count_short (fixture->store, id, &error), ==, 4);
  assign (fixture->store, bar, anna);
  assign (fixture->store, ehbo, bram);
  /* Assigning twice does not count twice. */
  assign (fixture->store, bar, anna);
  g_assert_cmpuint (bb_programme_count_short (fixture->store, id, &error), ==, 2);
  g_assert_no_error (error);

  tasks = bb_programme_list_tasks (fixture->store, id, &error);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_assert_cmpstr (bb_task_get_role (g_ptr_array_index (tasks, 0)), ==, "bar");
  g_assert_cmpuint (bb_task_get_short (g_ptr_array_index (tasks, 0)), ==, 2);
  g_assert_cmpuint (bb_task_get_short (g_ptr_array_index (tasks, 1)), ==, 0);

  /* An unknown volunteer is refused with a message, not a constraint error. */
  g_assert_false (bb_programme_assign (fixture->store, bar, "no-such-volunteer", &error));
  g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_VOLUNTEER);
}

static void
test_double_booking (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GDateTime) fair = at (2026, 6, 20, 12, 0);
  g_autoptr(GDateTime) fair_bar = at (2026, 6, 20, 12, 0);
  g_autoptr(GDateTime) fair_bar_end = at (2026, 6, 20, 16, 0);
  g_autoptr(GDateTime) walk = at (2026, 6, 20, 15, 0);
  g_autoptr(GDateTime) walk_end = at (2026, 6, 20, 17, 0);
  g_autoptr(GDateTime) evening = at (2026, 6, 20, 19, 0);
  g_autoptr(GDateTime) evening_end = at (2026, 6, 20, 21, 0);
  g_autofree char *fair_id = save_new (fixture->store, "Zomerfeest", "feest & ontmoeting", fair, 6, NULL);
  g_autofree char *walk_id = save_new (fixture->store, "Wijkschouw", "groen & schoon", walk, 2, NULL);
  g_autofree char *meet_id = save_new (fixture->store, "Bestuursvergadering", "vergadering", evening, 2, NULL);
  g_autofree char *bar = add_task (fixture->store, fair_id, "bar", 2, fair_bar, fair_bar_end);
  g_autofree char *guide = add_task (fixture->store, walk_id, "gids", 1, walk, walk_end);
  g_autofree char *notes = add_task (fixture->store, meet_id, "notuleren", 1, evening, evening_end);
  g_autofree char *kees = add_volunteer (fixture->store, "Kees", "Bakker");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_auto(GStrv) booked = NULL;
  g_autoptr(GError) error = NULL;

  assign (fixture->store, bar, kees);
  assign (fixture->store, notes, kees);

  /* The walk (15–17) overlaps the bar (12–16), not the meeting (19–21). */
  conflicts = bb_programme_find_double_bookings (fixture->store, guide, kees, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (bb_task_get_id (g_ptr_array_index (conflicts, 0)), ==, bar);
  g_clear_pointer (&conflicts, g_ptr_array_unref);

  conflicts = bb_programme_find_double_bookings (fixture->store, notes, kees, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 0);

  booked = bb_programme_list_booked (fixture->store, walk, walk_end, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) booked, kees));
  g_clear_pointer (&booked, g_strfreev);
  {
    g_autoptr(GDateTime) morning = at (2026, 6, 20, 9, 0);
    g_autoptr(GDateTime) morning_end = at (2026, 6, 20, 11, 0);

    booked = bb_programme_list_booked (fixture->store, morning, morning_end, &error);
    g_assert_cmpuint (g_strv_length (booked), ==, 0);
  }
}

/* A weekly series books Kees on every Wednesday, so a one-off task on a
 * later Wednesday evening clashes. */
static void
test_double_booking_series (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GDateTime) club = at (2026, 9, 2, 19, 0);
  g_autoptr(GDateTime) club_end = at (2026, 9, 2, 21, 0);
  g_autoptr(GDateTime) talk = at (2026, 10, 14, 20, 0);
  g_autoptr(GDateTime) talk_end = at (2026, 10, 14, 22, 0);
  g_autofree char *club_id = save_new (fixture->store, "Klaverjassen", "ouderen", club, 2, "FREQ=WEEKLY;BYDAY=WE");
  g_autofree char *talk_id = save_new (fixture->store, "Lezing", "communicatie", talk, 2, NULL);
  g_autofree char *host = add_task (fixture->store, club_id, "gastheer", 1, club, club_end);
  g_autofree char *tech = add_task (fixture->store, talk_id, "techniek", 1, talk, talk_end);
  g_autofree char *kees = add_volunteer (fixture->store, "Kees", "Bakker");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  assign (fixture->store, host, kees);
  conflicts = bb_programme_find_double_bookings (fixture->store, tech, kees, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
}

static void
test_mark_done (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = at (2026, 10, 31, 17, 0);
  g_autoptr(GDateTime) setup = at (2026, 10, 31, 15, 0);
  g_autoptr(GDateTime) setup_end = at (2026, 10, 31, 17, 30);
  g_autoptr(GDateTime) route_end = at (2026, 10, 31, 20, 0);
  g_autofree char *id = save_new (fixture->store, "Halloween", "kinderen & jeugd", start, 3, NULL);
  g_autofree char *opbouw = add_task (fixture->store, id, "opbouw", 2, setup, setup_end);
  g_autofree char *route = add_task (fixture->store, id, "route", 2, start, route_end);
  g_autofree char *sanne = add_volunteer (fixture->store, "Sanne", "Vos");
  g_autofree char *joost = add_volunteer (fixture->store, "Joost", "Peters");
  g_autoptr(BbOccurrence) occurrence = NULL;
  g_autoptr(BbOccurrence) after = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) hours = NULL;
  g_autoptr(GError) error = NULL;

  assign (fixture->store, opbouw, sanne);
  assign (fixture->store, route, sanne);
  assign (fixture->store, route, joost);

  occurrence = bb_programme_get_occurrence (fixture->store, id, NULL, &error);
  g_assert_no_error (error);
  lines = bb_programme_prefill_hours (fixture->store, occurrence, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpint (((BbHoursLine *) g_ptr_array_index (lines, 0))->minutes, ==, 150);
  g_assert_cmpint (((BbHoursLine *) g_ptr_array_index (lines, 1))->minutes, ==, 180);

  /* A refused count changes nothing. */
  g_assert_false (bb_programme_mark_done (fixture->store, occurrence, -3, BB_COUNT_METHOD_COUNTED,
                                          lines, &error));
  g_assert_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_PARTICIPANTS);
  g_clear_error (&error);

  /* Joost left early: the coordinator edits his line. */
  for (guint i = 0; i < lines->len; i++)
    {
      BbHoursLine *line = g_ptr_array_index (lines, i);

      if (g_str_equal (line->volunteer_id, joost))
        line->minutes = 60;
    }
  g_assert_true (bb_programme_mark_done (fixture->store, occurrence, 75, BB_COUNT_METHOD_COUNTED,
                                         lines, &error));
  g_assert_no_error (error);

  after = bb_programme_get_occurrence (fixture->store, id, NULL, &error);
  g_assert_cmpint (bb_occurrence_get_status (after), ==, BB_ACTIVITY_STATUS_DONE);
  g_assert_cmpint (bb_occurrence_get_actual_participants (after), ==, 75);
  g_assert_cmpint (bb_occurrence_get_count_method (after), ==, BB_COUNT_METHOD_COUNTED);

  g_assert_cmpint (bb_hours_total_for_volunteer (fixture->store, sanne, 2026, &error), ==, 330);
  g_assert_cmpint (bb_hours_total_for_volunteer (fixture->store, joost, 2026, &error), ==, 60);
  hours = bb_hours_list_for_activity (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hours->len, ==, 3);
  g_assert_cmpstr (((BbHoursEntry *) g_ptr_array_index (hours, 0))->date, ==, "2026-10-31");

  /* Confirming again replaces, never doubles. */
  g_assert_true (bb_programme_mark_done (fixture->store, after, 80, BB_COUNT_METHOD_COUNTED,
                                         lines, &error));
  g_assert_cmpint (bb_hours_total_for_volunteer (fixture->store, sanne, 2026, &error), ==, 330);
}

/* Two dates of a series each keep their own hours. */
static void
test_mark_done_series (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = at (2026, 1, 13, 10, 0);
  g_autoptr(GDateTime) end = at (2026, 1, 13, 12, 0);
  g_autoptr(GDateTime) feb = at (2026, 2, 10, 10, 0);
  g_autofree char *id = save_new (fixture->store, "Koffieochtend", "ouderen", start, 2,
                                  "FREQ=MONTHLY;BYDAY=2TU");
  g_autofree char *task = add_task (fixture->store, id, "koffie schenken", 1, start, end);
  g_autofree char *ria = add_volunteer (fixture->store, "Ria", "Hendriks");
  g_autoptr(BbOccurrence) first = NULL;
  g_autoptr(BbOccurrence) second = NULL;
  g_autoptr(GPtrArray) first_lines = NULL;
  g_autoptr(GPtrArray) second_lines = NULL;
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GError) error = NULL;

  assign (fixture->store, task, ria);
  first = bb_programme_get_occurrence (fixture->store, id, start, &error);
  g_assert_no_error (error);
  first_lines = bb_programme_prefill_hours (fixture->store, first, &error);
  g_assert_true (bb_programme_mark_done (fixture->store, first, 18, BB_COUNT_METHOD_COUNTED,
                                         first_lines, &error));
  g_assert_no_error (error);

  second = bb_programme_get_occurrence (fixture->store, id, feb, &error);
  g_assert_no_error (error);
  second_lines = bb_programme_prefill_hours (fixture->store, second, &error);
  g_assert_true (bb_programme_mark_done (fixture->store, second, 22, BB_COUNT_METHOD_ESTIMATED,
                                         second_lines, &error));
  g_assert_no_error (error);

  g_assert_cmpint (bb_hours_total_for_volunteer (fixture->store, ria, 2026, &error), ==, 240);
  occurrences = occurrences_in_year (fixture->store, 2026);
  g_assert_cmpint (bb_occurrence_get_status (g_ptr_array_index (occurrences, 0)), ==, BB_ACTIVITY_STATUS_DONE);
  g_assert_cmpint (bb_occurrence_get_actual_participants (g_ptr_array_index (occurrences, 0)), ==, 18);
  g_assert_cmpint (bb_occurrence_get_actual_participants (g_ptr_array_index (occurrences, 1)), ==, 22);
  g_assert_cmpint (bb_occurrence_get_status (g_ptr_array_index (occurrences, 2)), ==, BB_ACTIVITY_STATUS_PLANNED);
}

static void
test_year_overview (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GDateTime) jan = at (2026, 1, 10, 16, 0);
  g_autoptr(GDateTime) apr = at (2026, 4, 4, 10, 0);
  g_autoptr(GDateTime) apr_task_end = at (2026, 4, 4, 12, 0);
  g_autoptr(GDateTime) jun = at (2026, 6, 13, 14, 0);
  g_autoptr(GDateTime) next = at (2027, 1, 9, 16, 0);
  g_autofree char *receptie = save_new (fixture->store, "Nieuwjaarsreceptie", "feest & ontmoeting", jan, 3, NULL);
  g_autofree char *eieren = save_new (fixture->store, "Paaseieren zoeken", "kinderen & jeugd", apr, 2, NULL);
  g_autofree char *picknick = save_new (fixture->store, "Picknick", "feest & ontmoeting", jun, 3, NULL);
  g_autofree char *later = save_new (fixture->store, "Nieuwjaarsreceptie", "feest & ontmoeting", next, 3, NULL);
  g_autofree char *hide = add_task (fixture->store, eieren, "eieren verstoppen", 2, apr, apr_task_end);
  g_autofree char *lotte = add_volunteer (fixture->store, "Lotte", "Mulder");
  g_autoptr(BbYearOverview) overview = NULL;
  g_autoptr(GPtrArray) period = NULL;
  g_autoptr(GError) error = NULL;
  GDate from, to;

  assign (fixture->store, hide, lotte);
  {
    g_autoptr(BbOccurrence) o1 = bb_programme_get_occurrence (fixture->store, receptie, NULL, &error);
    g_autoptr(BbOccurrence) o2 = bb_programme_get_occurrence (fixture->store, eieren, NULL, &error);
    g_autoptr(GPtrArray) lines = bb_programme_prefill_hours (fixture->store, o2, &error);

    g_assert_true (bb_programme_mark_done (fixture->store, o1, 120, BB_COUNT_METHOD_ESTIMATED, NULL, &error));
    g_assert_true (bb_programme_mark_done (fixture->store, o2, 45, BB_COUNT_METHOD_COUNTED, lines, &error));
    g_assert_no_error (error);
  }
  g_assert_true (bb_programme_cancel_occurrence (fixture->store, picknick, NULL, "Onweer voorspeld", &error));
  g_assert_no_error (error);

  overview = bb_programme_year_overview (fixture->store, 2026, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->held, ==, 2);
  g_assert_cmpuint (overview->cancelled, ==, 1);
  g_assert_cmpuint (overview->planned, ==, 0);
  g_assert_cmpint (overview->participants, ==, 165);
  g_assert_cmpint (overview->volunteer_minutes, ==, 120);
  g_assert_cmpuint (overview->themes->len, ==, 2);
  {
    BbThemeFigures *feest = g_ptr_array_index (overview->themes, 0);
    BbThemeFigures *kinderen = g_ptr_array_index (overview->themes, 1);

    g_assert_cmpstr (feest->theme, ==, "feest & ontmoeting");
    g_assert_cmpuint (feest->held, ==, 1);
    g_assert_cmpuint (feest->cancelled, ==, 1);
    g_assert_cmpint (feest->participants, ==, 120);
    g_assert_cmpstr (kinderen->theme, ==, "kinderen & jeugd");
    g_assert_cmpint (kinderen->volunteer_minutes, ==, 120);
  }

  /* What the report reads: a period, cancelled ones with their reason. */
  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  g_date_set_dmy (&from, 1, 4, 2026);
  g_date_set_dmy (&to, 30, 6, 2026);
  period = bb_programme_list_in_period (fixture->store, &from, &to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (period->len, ==, 2);
  {
    BbActivityReport *first = g_ptr_array_index (period, 0);
    BbActivityReport *second = g_ptr_array_index (period, 1);

    g_assert_cmpstr (first->title, ==, "Paaseieren zoeken");
    g_assert_cmpint (first->participants, ==, 45);
    g_assert_cmpuint (first->n_volunteers, ==, 1);
    g_assert_cmpint (first->volunteer_minutes, ==, 120);
    g_assert_cmpint (second->status, ==, BB_ACTIVITY_STATUS_CANCELLED);
    g_assert_cmpstr (second->cancel_reason, ==, "Onweer voorspeld");
  }
}

static void
test_themes_and_locations (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = at (2026, 3, 1, 10, 0);
  g_autoptr(BbActivity) activity = make_activity ("Repair café", "duurzaamheid", start, 3, NULL);
  g_auto(GStrv) themes = NULL;
  g_auto(GStrv) locations = NULL;
  g_autoptr(GError) error = NULL;

  bb_activity_set_location (activity, "Bibliotheek Noord");
  g_assert_true (bb_programme_save_activity (fixture->store, activity, &error));
  g_assert_no_error (error);

  themes = bb_programme_list_themes (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (themes), ==, 8);
  g_assert_cmpstr (themes[0], ==, "feest & ontmoeting");
  g_assert_cmpstr (themes[6], ==, "vergadering");
  g_assert_cmpstr (themes[7], ==, "duurzaamheid");

  locations = bb_programme_list_locations (fixture->store, &error);
  g_assert_cmpstr (locations[0], ==, "Bibliotheek Noord");
}

/* Everything of the programme survives a handover: series with changed
 * dates, tasks, assignments, the council's own theme, locations. */
static void
test_handover_round_trip (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GDateTime) coffee = at (2026, 1, 13, 10, 0);
  g_autoptr(GDateTime) coffee_end = at (2026, 1, 13, 12, 0);
  g_autoptr(GDateTime) march = at (2026, 3, 10, 10, 0);
  g_autoptr(GDateTime) fair = at (2026, 6, 20, 12, 0);
  g_autofree char *series = save_new (fixture->store, "Koffieochtend", "ouderen", coffee, 2, "FREQ=MONTHLY;BYDAY=2TU");
  g_autofree char *single = save_new (fixture->store, "Repair café", "duurzaamheid", fair, 4, NULL);
  g_autofree char *task = add_task (fixture->store, series, "koffie schenken", 2, coffee, coffee_end);
  g_autofree char *ria = add_volunteer (fixture->store, "Ria", "Hendriks");
  g_autofree char *json = g_build_filename (fixture->dir, "overdracht.json", NULL);
  g_autofree char *copy_path = g_build_filename (fixture->dir, "Kopie.buurtboek", NULL);
  g_autofree char *backups = g_build_filename (fixture->dir, "backups", NULL);
  g_autofree char *original_ics = NULL;
  g_autofree char *copy_ics = NULL;
  g_autoptr(BbStore) copy = NULL;
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_auto(GStrv) themes = NULL;
  g_autoptr(GError) error = NULL;

  assign (fixture->store, task, ria);
  g_assert_true (bb_programme_cancel_occurrence (fixture->store, series, march, "Verbouwing", &error));
  {
    g_autoptr(BbOccurrence) first = bb_programme_get_occurrence (fixture->store, series, coffee, &error);
    g_autoptr(GPtrArray) lines = bb_programme_prefill_hours (fixture->store, first, &error);

    g_assert_true (bb_programme_mark_done (fixture->store, first, 14, BB_COUNT_METHOD_COUNTED, lines, &error));
    g_assert_no_error (error);
  }

  g_assert_true (bb_handover_export_file (fixture->store, json, &error));
  g_assert_no_error (error);
  copy = bb_handover_import_file (json, copy_path, backups, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  occurrences = occurrences_in_year (copy, 2026);
  g_assert_cmpuint (occurrences->len, ==, 13);
  g_assert_cmpint (bb_occurrence_get_status (g_ptr_array_index (occurrences, 0)), ==, BB_ACTIVITY_STATUS_DONE);
  g_assert_cmpint (bb_occurrence_get_actual_participants (g_ptr_array_index (occurrences, 0)), ==, 14);
  g_assert_cmpint (bb_occurrence_get_status (g_ptr_array_index (occurrences, 2)), ==, BB_ACTIVITY_STATUS_CANCELLED);
  g_assert_cmpstr (bb_occurrence_get_cancel_reason (g_ptr_array_index (occurrences, 2)), ==, "Verbouwing");

  tasks = bb_programme_list_tasks (copy, series, &error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpstr (bb_task_get_volunteers (g_ptr_array_index (tasks, 0))[0], ==, ria);
  g_assert_cmpint (bb_hours_total_for_volunteer (copy, ria, 2026, &error), ==, 120);

  themes = bb_programme_list_themes (copy, &error);
  g_assert_true (g_strv_contains ((const char * const *) themes, "duurzaamheid"));
  g_assert_cmpuint (g_strv_length (themes), ==, 8);

  /* The same programme, down to the calendar it exports (but its stamp). */
  original_ics = bb_programme_ics_build (fixture->store, 0, &error);
  copy_ics = bb_programme_ics_build (copy, 0, &error);
  {
    g_autoptr(GRegex) stamp = g_regex_new ("DTSTAMP:[0-9TZ]+", 0, 0, NULL);
    g_autofree char *a = g_regex_replace_literal (stamp, original_ics, -1, 0, "", 0, NULL);
    g_autofree char *b = g_regex_replace_literal (stamp, copy_ics, -1, 0, "", 0, NULL);

    g_assert_cmpstr (a, ==, b);
  }
  (void) single;
  g_assert_true (bb_store_close (copy, &error));
}

/* A wrong value is refused with the field named, and no file is made. */
static void
test_handover_hostile (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GDateTime) start = at (2026, 4, 27, 10, 0);
  g_autofree char *id = save_new (fixture->store, "Koningsdag", "feest & ontmoeting", start, 6, NULL);
  g_autofree char *task = add_task (fixture->store, id, "opbouw", 3, start, start);
  g_autofree char *json = g_build_filename (fixture->dir, "overdracht.json", NULL);
  g_autofree char *copy_path = g_build_filename (fixture->dir, "Kopie.buurtboek", NULL);
  g_autofree char *backups = g_build_filename (fixture->dir, "backups", NULL);
  struct { const char *from; const char *to; const char *field; } cases[] = {
    { "\"needed\" : 3", "\"needed\" : \"drie\"", "programme.tasks[0].needed" },
    { "\"status\" : \"planned\"", "\"status\" : \"maybe\"", "programme.activities[0].status" },
    { "\"rrule\" : \"\"", "\"rrule\" : \"FREQ=SOMETIMES\"", "programme.activities[0].rrule" },
    { "\"starts_at\" : \"2026-04-27T10:00:00\"", "\"starts_at\" : \"27-04-2026\"", "programme.activities[0].starts_at" },
    { "\"role\" : \"opbouw\"", "\"role\" : \"opbouw\", \"extra\" : 1", "programme.tasks[0].extra" },
  };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  (void) task;
  g_assert_true (bb_handover_export_file (fixture->store, json, &error));
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) broken = g_string_new (text);
      g_autoptr(BbStore) copy = NULL;
      g_autoptr(GError) local_error = NULL;

      g_assert_cmpuint (g_string_replace (broken, cases[i].from, cases[i].to, 1), ==, 1);
      g_assert_true (g_file_set_contents (json, broken->str, -1, NULL));
      copy = bb_handover_import_file (json, copy_path, backups, &local_error);
      g_assert_null (copy);
      g_assert_error (local_error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA);
      g_assert_nonnull (strstr (local_error->message, cases[i].field));
      g_assert_false (g_file_test (copy_path, G_FILE_TEST_EXISTS));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/activity/recurrence/second-tuesday", test_second_tuesday);
  g_test_add_func ("/bb/activity/recurrence/dst-weeks", test_dst_weeks);
  g_test_add_func ("/bb/activity/recurrence/describe", test_describe);
  g_test_add_func ("/bb/activity/validate", test_validation);
  g_test_add ("/bb/activity/recurrence/bad-rules", Fixture, NULL, fixture_setup, test_bad_rules, fixture_teardown);
  g_test_add ("/bb/activity/recurrence/exceptions", Fixture, NULL, fixture_setup, test_exceptions, fixture_teardown);
  g_test_add ("/bb/activity/repeat-next-year", Fixture, NULL, fixture_setup, test_repeat_next_year, fixture_teardown);
  g_test_add ("/bb/activity/short-of-people", Fixture, NULL, fixture_setup, test_short_of_people, fixture_teardown);
  g_test_add ("/bb/activity/double-booking", Fixture, NULL, fixture_setup, test_double_booking, fixture_teardown);
  g_test_add ("/bb/activity/double-booking-series", Fixture, NULL, fixture_setup, test_double_booking_series, fixture_teardown);
  g_test_add ("/bb/activity/mark-done", Fixture, NULL, fixture_setup, test_mark_done, fixture_teardown);
  g_test_add ("/bb/activity/mark-done-series", Fixture, NULL, fixture_setup, test_mark_done_series, fixture_teardown);
  g_test_add ("/bb/activity/year-overview", Fixture, NULL, fixture_setup, test_year_overview, fixture_teardown);
  g_test_add ("/bb/activity/themes-and-locations", Fixture, NULL, fixture_setup, test_themes_and_locations, fixture_teardown);

  g_test_add ("/bb/activity/handover/round-trip", Fixture, NULL, fixture_setup, test_handover_round_trip, fixture_teardown);
  g_test_add ("/bb/activity/handover/hostile", Fixture, NULL, fixture_setup, test_handover_hostile, fixture_teardown);

  return g_test_run ();
}
