/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Dates as a council writes them, and timestamps as the council file stores
 * them (UTC, ISO 8601). Month names and word order come from gettext only,
 * never from the C library's locale, so the language of the dates always
 * matches the language of the rest of the window.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bb-date.h"

G_DEFINE_QUARK (bb-date-error-quark, bb_date_error)

#define MIN_YEAR 1900
#define MAX_YEAR 2200

/* Error messages quote what was typed; keep a pasted paragraph short. */
#define QUOTE_MAX_CHARS 40

static char *
quote_for_message (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  char *stripped = g_strstrip (valid);

  if (g_utf8_strlen (stripped, -1) > QUOTE_MAX_CHARS)
    {
      g_autofree char *head = g_utf8_substring (stripped, 0, QUOTE_MAX_CHARS);
      return g_strconcat (head, "…", NULL);
    }

  return g_strdup (stripped);
}

/* Trims Unicode white space (g_strstrip() only knows ASCII, and a date
 * pasted from a web page often ends in a no-break space). */
static char *
strip_unicode (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

/* Reads a run of ASCII digits at *@pos; runs longer than @max_digits are
 * refused so the value cannot overflow. Returns the number of digits. */
static guint
read_digits (const char **pos,
             guint        max_digits,
             guint       *value)
{
  const char *p = *pos;
  guint n = 0;

  *value = 0;
  while (g_ascii_isdigit (*p))
    {
      if (n == max_digits)
        return 0;
      *value = *value * 10 + (guint) (*p - '0');
      n++;
      p++;
    }

  *pos = p;
  return n;
}

static gboolean
is_date_separator (char c)
{
  return c == '-' || c == '/' || c == '.';
}

/* Splits "22-11-2026" or "2026-11-22" into its three numbers, in the order
 * they were written, with their lengths. */
static gboolean
split_date (const char *text,
            guint       values[3],
            guint       lengths[3])
{
  const char *p = text;
  char separator = '\0';

  for (guint i = 0; i < 3; i++)
    {
      if (i > 0)
        {
          if (!is_date_separator (*p))
            return FALSE;
          if (i == 1)
            separator = *p;
          else if (*p != separator)
            return FALSE;
          p++;
        }

      lengths[i] = read_digits (&p, 4, &values[i]);
      if (lengths[i] == 0)
        return FALSE;
    }

  return *p == '\0';
}

/**
 * bb_date_parse:
 * @text: what the user typed
 * @out_date: (out caller-allocates) (optional): the date
 * @error: return location for a #BB_DATE_ERROR
 *
 * Parses a date as written in the Netherlands, "22-11-2026", "22/11/2026",
 * "22.11.2026", "1-2-2026", "22-11-26" (a two-digit year is in this
 * century), or in ISO 8601, "2026-11-22".
 *
 * Returns: %TRUE if @text is an existing date between 1900 and 2200
 */
gboolean
bb_date_parse (const char  *text,
               GDate       *out_date,
               GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *quoted = NULL;
  guint values[3];
  guint lengths[3];
  guint day, month, year;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    {
      quoted = quote_for_message (text);
      goto not_a_date;
    }

  stripped = strip_unicode (text);
  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, BB_DATE_ERROR, BB_DATE_ERROR_EMPTY,
                           _("Type a date, for example 22-11-2026."));
      return FALSE;
    }

  quoted = quote_for_message (stripped);

  if (!split_date (stripped, values, lengths))
    goto not_a_date;

  if (lengths[0] == 4 && lengths[1] <= 2 && lengths[2] <= 2)
    {
      year = values[0];
      month = values[1];
      day = values[2];
    }
  else if (lengths[0] <= 2 && lengths[1] <= 2 &&
           (lengths[2] == 4 || lengths[2] == 2))
    {
      day = values[0];
      month = values[1];
      year = lengths[2] == 2 ? 2000 + values[2] : values[2];
    }
  else
    goto not_a_date;

  if (year < MIN_YEAR || year > MAX_YEAR)
    {
      g_set_error (error, BB_DATE_ERROR, BB_DATE_ERROR_OUT_OF_RANGE,
                   /* Translators: %s is what the user typed, %d and %d the
                    * first and the last year a date can have */
                   _("The year of “%s” is not between %d and %d. Check the year."),
                   quoted, MIN_YEAR, MAX_YEAR);
      return FALSE;
    }

  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, BB_DATE_ERROR, BB_DATE_ERROR_INVALID,
                   /* Translators: %s is what the user typed */
                   _("The date “%s” does not exist. Check the day and the month."),
                   quoted);
      return FALSE;
    }

  if (out_date != NULL)
    g_date_set_dmy (out_date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);

  return TRUE;

not_a_date:
  g_set_error (error, BB_DATE_ERROR, BB_DATE_ERROR_INVALID,
               /* Translators: %s is what the user typed */
               _("“%s” is not a date. Type a date like 22-11-2026."),
               quoted);
  return FALSE;
}

/**
 * bb_date_to_iso:
 * @date: a valid date
 *
 * Returns: (transfer full): @date as "2026-11-22"
 */
char *
bb_date_to_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL, NULL);
  g_return_val_if_fail (g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

static const char *
month_name (GDateMonth month)
{
  switch (month)
    {
    case G_DATE_JANUARY:   return C_("month name", "January");
    case G_DATE_FEBRUARY:  return C_("month name", "February");
    case G_DATE_MARCH:     return C_("month name", "March");
    case G_DATE_APRIL:     return C_("month name", "April");
    case G_DATE_MAY:       return C_("month name", "May");
    case G_DATE_JUNE:      return C_("month name", "June");
    case G_DATE_JULY:      return C_("month name", "July");
    case G_DATE_AUGUST:    return C_("month name", "August");
    case G_DATE_SEPTEMBER: return C_("month name", "September");
    case G_DATE_OCTOBER:   return C_("month name", "October");
    case G_DATE_NOVEMBER:  return C_("month name", "November");
    case G_DATE_DECEMBER:  return C_("month name", "December");
    case G_DATE_BAD_MONTH:
    default:
      g_assert_not_reached ();
    }
}

/**
 * bb_date_format_long:
 * @date: a valid date
 *
 * Returns: (transfer full): @date written out, "22 November 2026" (in Dutch
 *   "22 november 2026")
 */
char *
bb_date_format_long (const GDate *date)
{
  g_return_val_if_fail (date != NULL, NULL);
  g_return_val_if_fail (g_date_valid (date), NULL);

  /* Translators: a date written out, like "22 November 2026". %1$d is the
   * day of the month, %2$s the month name, %3$d the year; reorder them as
   * your language writes dates, e.g. "%2$s %1$d, %3$d". */
  return g_strdup_printf (C_("long date: day, month name, year", "%1$d %2$s %3$d"),
                          (int) g_date_get_day (date),
                          month_name (g_date_get_month (date)),
                          (int) g_date_get_year (date));
}

/**
 * bb_date_time_to_iso:
 * @datetime: a moment
 *
 * Returns: (transfer full): @datetime in UTC with whole seconds, as
 *   "2026-11-22T14:52:03Z"
 */
char *
bb_date_time_to_iso (GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (datetime != NULL, NULL);

  utc = g_date_time_to_utc (datetime);
  g_return_val_if_fail (utc != NULL, NULL);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (utc),
                          g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

/**
 * bb_date_time_from_iso:
 * @text: (nullable): an ISO 8601 date and time
 *
 * Parses "2026-11-22T14:52:03Z" or "2026-11-22T15:52:03+01:00"; without a
 * time zone the time is taken as UTC, as the council file stores it.
 * %NULL (an empty column) gives %NULL.
 *
 * Returns: (transfer full) (nullable): the moment, or %NULL if @text is not
 *   an ISO 8601 date and time
 */
GDateTime *
bb_date_time_from_iso (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autofree char *stripped = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  stripped = strip_unicode (text);
  if (stripped[0] == '\0')
    return NULL;

  utc = g_time_zone_new_utc ();

  return g_date_time_new_from_iso8601 (stripped, utc);
}

/**
 * bb_date_time_format_long:
 * @datetime: a moment
 *
 * Returns: (transfer full): @datetime in local time, written out as
 *   "22 November 2026 at 14:52"
 */
char *
bb_date_time_format_long (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *time_text = NULL;
  GDate date;

  g_return_val_if_fail (datetime != NULL, NULL);

  local = g_date_time_to_local (datetime);
  g_return_val_if_fail (local != NULL, NULL);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date,
                  (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));

  date_text = bb_date_format_long (&date);
  time_text = g_strdup_printf ("%02d:%02d",
                               g_date_time_get_hour (local),
                               g_date_time_get_minute (local));

  /* Translators: a date and a time of day, like "22 November 2026 at 14:52".
   * %1$s is the date, %2$s the time (24-hour clock). */
  return g_strdup_printf (C_("date and time", "%1$s at %2$s"), date_text, time_text);
}

/**
 * bb_date_time_now_iso:
 *
 * Returns: (transfer full): the current moment as "2026-11-22T14:52:03Z"
 */
char *
bb_date_time_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return bb_date_time_to_iso (now);
}
