/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "bb-date.h"

/* Inputs may hold invalid UTF-8 on purpose; TAP output must not. */
#define PARSING(text) \
  do { \
    g_autofree char *escaped_ = g_strescape ((text), NULL); \
    g_test_message ("parsing '%s'", escaped_); \
  } while (0)

typedef struct {
  const char *text;
  const char *iso;
} ParseCase;

typedef struct {
  const char *text;
  BbDateError code;
} ErrorCase;

static void
test_parse_formats (void)
{
  static const ParseCase cases[] = {
    { "2026-11-22", "2026-11-22" },
    { "2026-1-5", "2026-01-05" },
    { "2026/11/22", "2026-11-22" },
    { "22-11-2026", "2026-11-22" },
    { "22/11/2026", "2026-11-22" },
    { "22.11.2026", "2026-11-22" },
    { "1-2-2026", "2026-02-01" },
    { "01-02-2026", "2026-02-01" },
    { "1/2/2026", "2026-02-01" },
    { "22-11-26", "2026-11-22" },
    { "1-1-00", "2000-01-01" },
    { "31-12-99", "2099-12-31" },
    { "29-02-2024", "2024-02-29" },
    { "29-2-24", "2024-02-29" },
    { "29-02-2000", "2000-02-29" },
    { "31-01-2026", "2026-01-31" },
    { "30-04-2026", "2026-04-30" },
    { "1-1-1900", "1900-01-01" },
    { "31-12-2200", "2200-12-31" },
    { "  22-11-2026  ", "2026-11-22" },
    { "\t22-11-2026\n", "2026-11-22" },
    { "\u00a022-11-2026\u202f", "2026-11-22" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = NULL;
      GDate date;

      PARSING (cases[i].text);
      g_date_clear (&date, 1);
      g_assert_true (bb_date_parse (cases[i].text, &date, &error));
      g_assert_no_error (error);
      g_assert_true (g_date_valid (&date));

      iso = bb_date_to_iso (&date);
      g_assert_cmpstr (iso, ==, cases[i].iso);
    }
}

static void
test_parse_errors (void)
{
  static const ErrorCase cases[] = {
    { "", BB_DATE_ERROR_EMPTY },
    { "   ", BB_DATE_ERROR_EMPTY },
    { "\u00a0\t", BB_DATE_ERROR_EMPTY },

    /* dates that do not exist */
    { "31-02-2026", BB_DATE_ERROR_INVALID },
    { "29-02-2025", BB_DATE_ERROR_INVALID },
    { "29-02-2100", BB_DATE_ERROR_INVALID },
    { "31-04-2026", BB_DATE_ERROR_INVALID },
    { "32-01-2026", BB_DATE_ERROR_INVALID },
    { "0-01-2026", BB_DATE_ERROR_INVALID },
    { "00-01-2026", BB_DATE_ERROR_INVALID },
    { "15-13-2026", BB_DATE_ERROR_INVALID },
    { "15-00-2026", BB_DATE_ERROR_INVALID },
    { "2026-02-30", BB_DATE_ERROR_INVALID },
    { "2026-13-01", BB_DATE_ERROR_INVALID },

    /* not dates at all */
    { "morgen", BB_DATE_ERROR_INVALID },
    { "22-11", BB_DATE_ERROR_INVALID },
    { "22112026", BB_DATE_ERROR_INVALID },
    { "22 11 2026", BB_DATE_ERROR_INVALID },
    { "22 november 2026", BB_DATE_ERROR_INVALID },
    { "22-11/2026", BB_DATE_ERROR_INVALID },
    { "22-11-2026-1", BB_DATE_ERROR_INVALID },
    { "22--11-2026", BB_DATE_ERROR_INVALID },
    { "-22-11-2026", BB_DATE_ERROR_INVALID },
    { "22-11-2026x", BB_DATE_ERROR_INVALID },
    { "22-11-202", BB_DATE_ERROR_INVALID },
    { "22-11-2", BB_DATE_ERROR_INVALID },
    { "22-11-20266", BB_DATE_ERROR_INVALID },
    { "222-11-2026", BB_DATE_ERROR_INVALID },
    { "22-111-2026", BB_DATE_ERROR_INVALID },
    { "2026-11-222", BB_DATE_ERROR_INVALID },
    { "2026-11-22T10:00", BB_DATE_ERROR_INVALID },
    { "99999999999999999999-1-1", BB_DATE_ERROR_INVALID },
    { "١٢-١١-٢٠٢٦", BB_DATE_ERROR_INVALID },
    { "\xff" "22-11-2026", BB_DATE_ERROR_INVALID },

    /* outside 1900 … 2200 */
    { "31-12-1899", BB_DATE_ERROR_OUT_OF_RANGE },
    { "1-1-2201", BB_DATE_ERROR_OUT_OF_RANGE },
    { "1800-01-01", BB_DATE_ERROR_OUT_OF_RANGE },
    { "0001-01-01", BB_DATE_ERROR_OUT_OF_RANGE },
    { "9999-12-31", BB_DATE_ERROR_OUT_OF_RANGE },
    { "29-02-1800", BB_DATE_ERROR_OUT_OF_RANGE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GDate date;

      PARSING (cases[i].text);
      g_date_clear (&date, 1);
      g_assert_false (bb_date_parse (cases[i].text, &date, &error));
      g_assert_error (error, BB_DATE_ERROR, (int) cases[i].code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_parse_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_date_parse (" 31-02-2026 ", NULL, &error));
  g_assert_nonnull (strstr (error->message, "“31-02-2026”"));
  g_clear_error (&error);

  g_assert_false (bb_date_parse ("1-1-1850", NULL, &error));
  g_assert_nonnull (strstr (error->message, "1900"));
  g_assert_nonnull (strstr (error->message, "2200"));
  g_clear_error (&error);

  /* The date is optional when only checking */
  g_assert_true (bb_date_parse ("22-11-2026", NULL, NULL));
  g_assert_false (bb_date_parse ("31-11-2026", NULL, NULL));
}

static void
test_to_iso (void)
{
  g_autoptr(GDate) date = g_date_new_dmy (1, G_DATE_FEBRUARY, 1900);
  g_autofree char *iso = bb_date_to_iso (date);
  g_autofree char *again = NULL;
  GDate parsed;

  g_assert_cmpstr (iso, ==, "1900-02-01");

  g_date_clear (&parsed, 1);
  g_assert_true (bb_date_parse (iso, &parsed, NULL));
  g_assert_cmpint (g_date_compare (&parsed, date), ==, 0);

  /* Every day of a leap year round-trips through the ISO form */
  g_date_set_dmy (date, 1, G_DATE_JANUARY, 2024);
  for (guint i = 0; i < 366; i++)
    {
      g_free (again);
      again = bb_date_to_iso (date);
      g_assert_true (bb_date_parse (again, &parsed, NULL));
      g_assert_cmpint (g_date_compare (&parsed, date), ==, 0);
      g_date_add_days (date, 1);
    }
  g_assert_cmpstr (again, ==, "2024-12-31");
}

static void
test_format_long (void)
{
  static const char * const months[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
  };
  g_autoptr(GDate) date = g_date_new_dmy (22, G_DATE_NOVEMBER, 2026);
  g_autofree char *text = bb_date_format_long (date);

  g_assert_cmpstr (text, ==, "22 November 2026");

  for (guint month = 1; month <= 12; month++)
    {
      g_autofree char *formatted = NULL;
      g_autofree char *expected = NULL;

      g_date_set_dmy (date, 1, (GDateMonth) month, 1999);
      formatted = bb_date_format_long (date);
      expected = g_strdup_printf ("1 %s 1999", months[month - 1]);
      g_assert_cmpstr (formatted, ==, expected);
    }
}

static void
test_date_time_to_iso (void)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 11, 22, 14, 52, 3.75);
  g_autoptr(GTimeZone) plus_two = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) offset = g_date_time_new (plus_two, 2026, 11, 22, 16, 52, 3);
  g_autoptr(GDateTime) early = g_date_time_new_utc (1, 1, 1, 0, 0, 0);
  g_autofree char *utc_iso = bb_date_time_to_iso (utc);
  g_autofree char *offset_iso = bb_date_time_to_iso (offset);
  g_autofree char *early_iso = bb_date_time_to_iso (early);

  /* Whole seconds, always in UTC */
  g_assert_cmpstr (utc_iso, ==, "2026-11-22T14:52:03Z");
  g_assert_cmpstr (offset_iso, ==, "2026-11-22T14:52:03Z");
  g_assert_cmpstr (early_iso, ==, "0001-01-01T00:00:00Z");
}

static void
test_date_time_from_iso (void)
{
  static const char * const same_moment[] = {
    "2026-11-22T14:52:03Z",
    "2026-11-22T16:52:03+02:00",
    "2026-11-22T13:52:03-01:00",
    "2026-11-22T14:52:03",
    " 2026-11-22T14:52:03Z ",
  };
  static const char * const not_moments[] = {
    "",
    "   ",
    "gisteren",
    "2026-11-22T25:00:00Z",
    "2026-02-30T10:00:00Z",
    "2026-11-22T14:52:03Zextra",
    "\xff",
  };
  g_autoptr(GDateTime) expected = g_date_time_new_utc (2026, 11, 22, 14, 52, 3);

  for (gsize i = 0; i < G_N_ELEMENTS (same_moment); i++)
    {
      g_autoptr(GDateTime) parsed = bb_date_time_from_iso (same_moment[i]);
      g_autofree char *iso = NULL;

      PARSING (same_moment[i]);
      g_assert_nonnull (parsed);
      g_assert_true (g_date_time_equal (parsed, expected));

      iso = bb_date_time_to_iso (parsed);
      g_assert_cmpstr (iso, ==, "2026-11-22T14:52:03Z");
    }

  for (gsize i = 0; i < G_N_ELEMENTS (not_moments); i++)
    {
      PARSING (not_moments[i]);
      g_assert_null (bb_date_time_from_iso (not_moments[i]));
    }

  g_assert_null (bb_date_time_from_iso (NULL));
}

static void
test_date_time_format_long (void)
{
  g_autoptr(GDateTime) local = g_date_time_new_local (2026, 11, 22, 14, 52, 3);
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 1, 5, 7, 4, 59);
  g_autoptr(GDateTime) utc_as_local = g_date_time_to_local (utc);
  g_autofree char *local_text = bb_date_time_format_long (local);
  g_autofree char *utc_text = bb_date_time_format_long (utc);
  g_autofree char *expected = NULL;

  g_assert_cmpstr (local_text, ==, "22 November 2026 at 14:52");

  /* Shown in local time, whatever time zone the test runs in */
  expected = g_strdup_printf ("%d January 2026 at %02d:%02d",
                              g_date_time_get_day_of_month (utc_as_local),
                              g_date_time_get_hour (utc_as_local),
                              g_date_time_get_minute (utc_as_local));
  g_assert_cmpstr (utc_text, ==, expected);
}

static void
test_date_time_now (void)
{
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autofree char *now = bb_date_time_now_iso ();
  g_autoptr(GDateTime) after = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) parsed = bb_date_time_from_iso (now);

  g_assert_cmpuint (strlen (now), ==, strlen ("2026-11-22T14:52:03Z"));
  g_assert_true (g_str_has_suffix (now, "Z"));
  g_assert_nonnull (parsed);
  /* Seconds precision: at most one second before the moment it was taken */
  g_assert_cmpint (g_date_time_difference (parsed, before), >, -G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_difference (after, parsed), >=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/date/parse/formats", test_parse_formats);
  g_test_add_func ("/bb/date/parse/errors", test_parse_errors);
  g_test_add_func ("/bb/date/parse/messages", test_parse_messages);
  g_test_add_func ("/bb/date/to-iso", test_to_iso);
  g_test_add_func ("/bb/date/format-long", test_format_long);
  g_test_add_func ("/bb/date/time/to-iso", test_date_time_to_iso);
  g_test_add_func ("/bb/date/time/from-iso", test_date_time_from_iso);
  g_test_add_func ("/bb/date/time/format-long", test_date_time_format_long);
  g_test_add_func ("/bb/date/time/now", test_date_time_now);

  return g_test_run ();
}
