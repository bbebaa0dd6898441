/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libical/ical.h>

#include "bb-activity.h"
#include "bb-date.h"
#include "bb-hours.h"
#include "bb-store-private.h"

/* A rule that would give more occurrences than this in one expansion is
 * cut off: a council's series are weekly at most. */
#define MAX_OCCURRENCES 5000

G_DEFINE_QUARK (bb-activity-error-quark, bb_activity_error)

/* ---- Enums ---- */

static const char * const status_names[] = { "planned", "confirmed", "done", "cancelled" };
static const char * const count_names[] = { "", "counted", "estimated" };

const char *
bb_activity_status_to_string (BbActivityStatus status)
{
  g_return_val_if_fail (status <= BB_ACTIVITY_STATUS_CANCELLED, "planned");
  return status_names[status];
}

gboolean
bb_activity_status_from_string (const char       *text,
                                BbActivityStatus *out_status)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_str_equal (text, status_names[i]))
        {
          *out_status = (BbActivityStatus) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
bb_activity_status_get_label (BbActivityStatus status)
{
  switch (status)
    {
    case BB_ACTIVITY_STATUS_PLANNED:
      return C_("activity status", "Planned");
    case BB_ACTIVITY_STATUS_CONFIRMED:
      return C_("activity status", "Confirmed");
    case BB_ACTIVITY_STATUS_DONE:
      return C_("activity status", "Done");
    case BB_ACTIVITY_STATUS_CANCELLED:
      return C_("activity status", "Cancelled");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
bb_count_method_to_string (BbCountMethod method)
{
  g_return_val_if_fail (method <= BB_COUNT_METHOD_ESTIMATED, "");
  return count_names[method];
}

gboolean
bb_count_method_from_string (const char    *text,
                             BbCountMethod *out_method)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (count_names); i++)
    {
      if (g_str_equal (text, count_names[i]))
        {
          *out_method = (BbCountMethod) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- Times ---- */

GTimeZone *
bb_programme_get_timezone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *tz = g_time_zone_new_identifier (BB_PROGRAMME_TIMEZONE);

      /* Without tzdata the local zone is the best guess left. */
      if (tz == NULL)
        tz = g_time_zone_new_local ();
      g_once_init_leave (&zone, tz);
    }

  return zone;
}

GDateTime *
bb_programme_time_new (int year,
                       int month,
                       int day,
                       int hour,
                       int minute)
{
  if (!g_date_valid_dmy (day, month, year) || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return NULL;

  return g_date_time_new (bb_programme_get_timezone (), year, month, day, hour, minute, 0);
}

char *
bb_programme_time_to_string (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_timezone (time, bb_programme_get_timezone ());
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
}

GDateTime *
bb_programme_time_from_string (const char *text)
{
  int year, month, day, hour, minute, second;
  char rest;

  if (text == NULL || strlen (text) != 19 || text[4] != '-' || text[7] != '-' ||
      text[10] != 'T' || text[13] != ':' || text[16] != ':')
    return NULL;

  if (sscanf (text, "%4d-%2d-%2dT%2d:%2d:%2d%c", &year, &month, &day,
              &hour, &minute, &second, &rest) != 6)
    return NULL;

  if (second != 0 || year < 1900 || year > 2200)
    return NULL;

  return bb_programme_time_new (year, month, day, hour, minute);
}

const char *
bb_programme_month_name (int month)
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
    default:               return "";
    }
}

static const char *
weekday_short (int weekday)
{
  switch (weekday)
    {
    case 1: return C_("weekday abbreviation", "Mon");
    case 2: return C_("weekday abbreviation", "Tue");
    case 3: return C_("weekday abbreviation", "Wed");
    case 4: return C_("weekday abbreviation", "Thu");
    case 5: return C_("weekday abbreviation", "Fri");
    case 6: return C_("weekday abbreviation", "Sat");
    case 7: return C_("weekday abbreviation", "Sun");
    default: return "";
    }
}

static const char *
month_short (int month)
{
  switch (month)
    {
    case 1: return C_("month abbreviation", "Jan");
    case 2: return C_("month abbreviation", "Feb");
    case 3: return C_("month abbreviation", "Mar");
    case 4: return C_("month abbreviation", "Apr");
    case 5: return C_("month abbreviation", "May");
    case 6: return C_("month abbreviation", "Jun");
    case 7: return C_("month abbreviation", "Jul");
    case 8: return C_("month abbreviation", "Aug");
    case 9: return C_("month abbreviation", "Sep");
    case 10: return C_("month abbreviation", "Oct");
    case 11: return C_("month abbreviation", "Nov");
    case 12: return C_("month abbreviation", "Dec");
    default: return "";
    }
}

char *
bb_programme_format_short_date (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_timezone (time, bb_programme_get_timezone ());
  /* Translators: a short date, "Tue 13 Jan"; %1$s the weekday, %2$d the
   * day of the month, %3$s the month (abbreviated); reorder as needed */
  return g_strdup_printf (C_("short date", "%1$s %2$d %3$s"),
                          weekday_short (g_date_time_get_day_of_week (local)),
                          g_date_time_get_day_of_month (local),
                          month_short (g_date_time_get_month (local)));
}

char *
bb_programme_format_time_range (GDateTime *start,
                                GDateTime *end,
                                gboolean   all_day)
{
  g_autoptr(GDateTime) s = NULL;
  g_autoptr(GDateTime) e = NULL;

  g_return_val_if_fail (start != NULL && end != NULL, NULL);

  if (all_day)
    return g_strdup (_("all day"));

  s = g_date_time_to_timezone (start, bb_programme_get_timezone ());
  e = g_date_time_to_timezone (end, bb_programme_get_timezone ());
  if (g_date_time_equal (s, e))
    return g_date_time_format (s, "%H:%M");
  return g_strdup_printf ("%02d:%02d–%02d:%02d", g_date_time_get_hour (s), g_date_time_get_minute (s),
                          g_date_time_get_hour (e), g_date_time_get_minute (e));
}

static gboolean
same_wall_time (GDateTime *a,
                GDateTime *b)
{
  g_autofree char *sa = bb_programme_time_to_string (a);
  g_autofree char *sb = bb_programme_time_to_string (b);

  return g_str_equal (sa, sb);
}

static char *
time_to_date_iso (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, bb_programme_get_timezone ());

  return g_date_time_format (local, "%Y-%m-%d");
}

/* ---- BbActivity ---- */

struct _BbActivity
{
  GObject           parent_instance;

  char             *id;
  char             *title;
  char             *description;
  char             *theme;
  GDateTime        *start;
  GDateTime        *end;
  gboolean          all_day;
  char             *location;
  char             *target_group;
  gboolean          open_to_all;
  char             *partners;
  BbActivityStatus  status;
  char             *cancel_reason;
  int               expected_participants;
  int               actual_participants;
  BbCountMethod     count_method;
  char             *notes;
  char             *rrule;
};

G_DEFINE_FINAL_TYPE (BbActivity, bb_activity, G_TYPE_OBJECT)

static void
bb_activity_finalize (GObject *object)
{
  BbActivity *self = BB_ACTIVITY (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->description);
  g_free (self->theme);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_free (self->location);
  g_free (self->target_group);
  g_free (self->partners);
  g_free (self->cancel_reason);
  g_free (self->notes);
  g_free (self->rrule);

  G_OBJECT_CLASS (bb_activity_parent_class)->finalize (object);
}

static void
bb_activity_class_init (BbActivityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_activity_finalize;
}

static void
bb_activity_init (BbActivity *self)
{
  self->title = g_strdup ("");
  self->description = g_strdup ("");
  self->theme = g_strdup ("");
  self->location = g_strdup ("");
  self->target_group = g_strdup ("");
  self->partners = g_strdup ("");
  self->cancel_reason = g_strdup ("");
  self->notes = g_strdup ("");
  self->rrule = g_strdup ("");
  self->open_to_all = TRUE;
  self->actual_participants = -1;
}

BbActivity *
bb_activity_new (void)
{
  return g_object_new (BB_TYPE_ACTIVITY, NULL);
}

/* Every string field is owned and never NULL (the id may be). */
static void
set_text (char       **field,
          const char  *value)
{
  char *copy = g_strdup (value != NULL ? value : "");

  g_free (*field);
  *field = copy;
}

BbActivity *
bb_activity_copy (BbActivity *self)
{
  BbActivity *copy;

  g_return_val_if_fail (BB_IS_ACTIVITY (self), NULL);

  copy = bb_activity_new ();
  copy->id = g_strdup (self->id);
  set_text (&copy->title, self->title);
  set_text (&copy->description, self->description);
  set_text (&copy->theme, self->theme);
  if (self->start != NULL)
    copy->start = g_date_time_ref (self->start);
  if (self->end != NULL)
    copy->end = g_date_time_ref (self->end);
  copy->all_day = self->all_day;
  set_text (&copy->location, self->location);
  set_text (&copy->target_group, self->target_group);
  copy->open_to_all = self->open_to_all;
  set_text (&copy->partners, self->partners);
  copy->status = self->status;
  set_text (&copy->cancel_reason, self->cancel_reason);
  copy->expected_participants = self->expected_participants;
  copy->actual_participants = self->actual_participants;
  copy->count_method = self->count_method;
  set_text (&copy->notes, self->notes);
  set_text (&copy->rrule, self->rrule);

  return copy;
}

#define TEXT_ACCESSORS(field) \
  const char * \
  bb_activity_get_##field (BbActivity *self) \
  { \
    g_return_val_if_fail (BB_IS_ACTIVITY (self), NULL); \
    return self->field; \
  } \
  void \
  bb_activity_set_##field (BbActivity *self, const char *value) \
  { \
    g_return_if_fail (BB_IS_ACTIVITY (self)); \
    set_text (&self->field, value); \
  }

#define VALUE_ACCESSORS(type, field) \
  type \
  bb_activity_get_##field (BbActivity *self) \
  { \
    g_return_val_if_fail (BB_IS_ACTIVITY (self), (type) 0); \
    return self->field; \
  } \
  void \
  bb_activity_set_##field (BbActivity *self, type value) \
  { \
    g_return_if_fail (BB_IS_ACTIVITY (self)); \
    self->field = value; \
  }

TEXT_ACCESSORS (title)
TEXT_ACCESSORS (description)
TEXT_ACCESSORS (theme)
TEXT_ACCESSORS (location)
TEXT_ACCESSORS (target_group)
TEXT_ACCESSORS (partners)
TEXT_ACCESSORS (cancel_reason)
TEXT_ACCESSORS (notes)
TEXT_ACCESSORS (rrule)
VALUE_ACCESSORS (gboolean, all_day)
VALUE_ACCESSORS (gboolean, open_to_all)
VALUE_ACCESSORS (BbActivityStatus, status)
VALUE_ACCESSORS (int, expected_participants)
VALUE_ACCESSORS (int, actual_participants)
VALUE_ACCESSORS (BbCountMethod, count_method)

const char *
bb_activity_get_id (BbActivity *self)
{
  g_return_val_if_fail (BB_IS_ACTIVITY (self), NULL);
  return self->id;
}

void
bb_activity_set_id (BbActivity *self,
                    const char *id)
{
  g_return_if_fail (BB_IS_ACTIVITY (self));
  g_free (self->id);
  self->id = g_strdup (id);
}

GDateTime *
bb_activity_get_start (BbActivity *self)
{
  g_return_val_if_fail (BB_IS_ACTIVITY (self), NULL);
  return self->start;
}

GDateTime *
bb_activity_get_end (BbActivity *self)
{
  g_return_val_if_fail (BB_IS_ACTIVITY (self), NULL);
  return self->end;
}

void
bb_activity_set_times (BbActivity *self,
                       GDateTime  *start,
                       GDateTime  *end)
{
  g_return_if_fail (BB_IS_ACTIVITY (self));

  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  if (start != NULL)
    self->start = g_date_time_to_timezone (start, bb_programme_get_timezone ());
  if (end != NULL)
    self->end = g_date_time_to_timezone (end, bb_programme_get_timezone ());
}

gboolean
bb_activity_is_recurring (BbActivity *self)
{
  g_return_val_if_fail (BB_IS_ACTIVITY (self), FALSE);
  return self->rrule[0] != '\0';
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

gboolean
bb_activity_validate (BbActivity  *self,
                      GError     **error)
{
  g_return_val_if_fail (BB_IS_ACTIVITY (self), FALSE);

  if (is_blank (self->title))
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TITLE,
                           _("An activity needs a title."));
      return FALSE;
    }

  if (self->start == NULL || self->end == NULL)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TIMES,
                           _("An activity needs a start and an end."));
      return FALSE;
    }

  if (g_date_time_compare (self->end, self->start) < 0)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TIMES,
                           _("The activity ends before it starts."));
      return FALSE;
    }

  if (self->expected_participants < 0 || self->actual_participants < -1)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_PARTICIPANTS,
                           _("The number of participants cannot be negative."));
      return FALSE;
    }

  if (self->status == BB_ACTIVITY_STATUS_CANCELLED && is_blank (self->cancel_reason))
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_REASON,
                           _("Say why the activity is cancelled."));
      return FALSE;
    }

  if (self->rrule[0] != '\0' && !bb_recurrence_validate (self->rrule, error))
    return FALSE;

  return TRUE;
}

/* ---- Recurrence (libical) ---- */

static gboolean
parse_rrule (const char                *rrule,
             struct icalrecurrencetype *out_rule,
             GError                   **error)
{
  struct icalrecurrencetype rule;

  /* libical reports a bad rule through icalerrno; it must never abort. */
  icalerror_set_errors_are_fatal (0);
  icalerror_clear_errno ();
  rule = icalrecurrencetype_from_string (rrule);

  if (rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR)
    {
      icalerror_clear_errno ();
      g_set_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_RECURRENCE,
                   /* Translators: %s is a recurrence rule such as FREQ=MONTHLY;BYDAY=2TU */
                   _("The repeat rule “%s” is not understood."), rrule);
      return FALSE;
    }

  if (rule.freq == ICAL_SECONDLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE ||
      rule.freq == ICAL_HOURLY_RECURRENCE)
    {
      g_set_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_RECURRENCE,
                   _("The repeat rule “%s” repeats more often than once a day."), rrule);
      return FALSE;
    }

  if (out_rule != NULL)
    *out_rule = rule;
  return TRUE;
}

gboolean
bb_recurrence_validate (const char  *rrule,
                        GError     **error)
{
  g_return_val_if_fail (rrule != NULL, FALSE);
  return parse_rrule (rrule, NULL, error);
}

static const char *
ordinal_label (int n)
{
  switch (n)
    {
    case 1: return C_("nth weekday", "first");
    case 2: return C_("nth weekday", "second");
    case 3: return C_("nth weekday", "third");
    case 4: return C_("nth weekday", "fourth");
    case 5: return C_("nth weekday", "fifth");
    case -1: return C_("nth weekday", "last");
    default: return NULL;
    }
}

static const char *
weekday_label (icalrecurrencetype_weekday day)
{
  switch (day)
    {
    case ICAL_MONDAY_WEEKDAY: return C_("weekday in a sentence", "Monday");
    case ICAL_TUESDAY_WEEKDAY: return C_("weekday in a sentence", "Tuesday");
    case ICAL_WEDNESDAY_WEEKDAY: return C_("weekday in a sentence", "Wednesday");
    case ICAL_THURSDAY_WEEKDAY: return C_("weekday in a sentence", "Thursday");
    case ICAL_FRIDAY_WEEKDAY: return C_("weekday in a sentence", "Friday");
    case ICAL_SATURDAY_WEEKDAY: return C_("weekday in a sentence", "Saturday");
    case ICAL_SUNDAY_WEEKDAY: return C_("weekday in a sentence", "Sunday");
    case ICAL_NO_WEEKDAY:
    default: return NULL;
    }
}

char *
bb_recurrence_describe (const char *rrule)
{
  struct icalrecurrencetype rule;
  g_autofree char *base = NULL;
  GString *days;

  if (rrule == NULL || rrule[0] == '\0' || !parse_rrule (rrule, &rule, NULL))
    return NULL;

  switch (rule.freq)
    {
    case ICAL_DAILY_RECURRENCE:
      base = rule.interval > 1
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %d day", "every %d days",
                                        rule.interval), rule.interval)
        : g_strdup (_("every day"));
      break;

    case ICAL_WEEKLY_RECURRENCE:
      days = g_string_new (NULL);
      for (int i = 0; i < ICAL_BY_DAY_SIZE && rule.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
        {
          const char *label = weekday_label (icalrecurrencetype_day_day_of_week (rule.by_day[i]));

          if (label == NULL)
            continue;
          if (days->len > 0)
            g_string_append (days, ", ");
          g_string_append (days, label);
        }
      if (rule.interval > 1 && days->len > 0)
        /* Translators: the first %d is a number of weeks, %s weekdays ("Tuesday, Thursday") */
        base = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %d week on %s",
                                             "every %d weeks on %s", rule.interval),
                                rule.interval, days->str);
      else if (rule.interval > 1)
        base = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %d week", "every %d weeks",
                                             rule.interval), rule.interval);
      else if (days->len > 0)
        /* Translators: %s is one or more weekdays ("Tuesday, Thursday") */
        base = g_strdup_printf (_("every week on %s"), days->str);
      else
        base = g_strdup (_("every week"));
      g_string_free (days, TRUE);
      break;

    case ICAL_MONTHLY_RECURRENCE:
      if (rule.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX && rule.by_day[1] == ICAL_RECURRENCE_ARRAY_MAX)
        {
          int position = icalrecurrencetype_day_position (rule.by_day[0]);
          const char *nth = ordinal_label (position);
          const char *day = weekday_label (icalrecurrencetype_day_day_of_week (rule.by_day[0]));

          if (nth == NULL || day == NULL)
            return NULL;
          /* Translators: "every second Tuesday of the month"; the first %s is
           * an ordinal (first … fifth, last), the second a weekday */
          base = g_strdup_printf (_("every %s %s of the month"), nth, day);
        }
      else if (rule.by_day[0] == ICAL_RECURRENCE_ARRAY_MAX &&
               rule.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX &&
               rule.by_month_day[1] == ICAL_RECURRENCE_ARRAY_MAX)
        /* Translators: %d is a day of the month (1 … 31) */
        base = g_strdup_printf (_("every month on day %d"), rule.by_month_day[0]);
      else if (rule.by_day[0] == ICAL_RECURRENCE_ARRAY_MAX &&
               rule.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX)
        base = rule.interval > 1
          ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %d month", "every %d months",
                                          rule.interval), rule.interval)
          : g_strdup (_("every month"));
      else
        return NULL;

      if (rule.interval > 1 && rule.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX)
        return NULL;
      break;

    case ICAL_YEARLY_RECURRENCE:
      base = g_strdup (_("every year"));
      break;

    case ICAL_SECONDLY_RECURRENCE:
    case ICAL_MINUTELY_RECURRENCE:
    case ICAL_HOURLY_RECURRENCE:
    case ICAL_NO_RECURRENCE:
    default:
      return NULL;
    }

  if (rule.count > 0)
    /* Translators: "every week, 10 times" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d time", "%s, %d times", rule.count),
                            base, rule.count);

  if (!icaltime_is_null_time (rule.until))
    {
      GDate until;
      g_autofree char *date = NULL;

      g_date_clear (&until, 1);
      g_date_set_dmy (&until, rule.until.day, rule.until.month, rule.until.year);
      date = bb_date_format_long (&until);
      /* Translators: "every week until 22 november 2026" */
      return g_strdup_printf (_("%s until %s"), base, date);
    }

  return g_steal_pointer (&base);
}

/* ---- BbOccurrence ---- */

struct _BbOccurrence
{
  GObject           parent_instance;

  BbActivity       *activity;
  GDateTime        *recurrence_id;
  GDateTime        *start;
  GDateTime        *end;
  BbActivityStatus  status;
  char             *cancel_reason;
  int               actual_participants;
  BbCountMethod     count_method;
  char             *notes;
  gboolean          is_exception;
  char             *search_text;
};

G_DEFINE_FINAL_TYPE (BbOccurrence, bb_occurrence, G_TYPE_OBJECT)

static void
bb_occurrence_finalize (GObject *object)
{
  BbOccurrence *self = BB_OCCURRENCE (object);

  g_clear_object (&self->activity);
  g_clear_pointer (&self->recurrence_id, g_date_time_unref);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_free (self->cancel_reason);
  g_free (self->notes);
  g_free (self->search_text);

  G_OBJECT_CLASS (bb_occurrence_parent_class)->finalize (object);
}

static void
bb_occurrence_class_init (BbOccurrenceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_occurrence_finalize;
}

static void
bb_occurrence_init (BbOccurrence *self)
{
}

/* The occurrence as the series gives it, before any exception. */
static BbOccurrence *
occurrence_new (BbActivity *activity,
                GDateTime  *start)
{
  BbOccurrence *self = g_object_new (BB_TYPE_OCCURRENCE, NULL);
  GTimeSpan length = g_date_time_difference (activity->end, activity->start);

  self->activity = g_object_ref (activity);
  self->recurrence_id = g_date_time_ref (start);
  self->start = g_date_time_ref (start);
  self->end = g_date_time_add (start, length);
  self->status = activity->status;
  self->cancel_reason = g_strdup (activity->cancel_reason);
  self->count_method = activity->count_method;
  self->notes = g_strdup (activity->notes);
  /* A series' own participant figures are not those of any one date. */
  self->actual_participants = activity->rrule[0] == '\0' ? activity->actual_participants : -1;
  if (activity->rrule[0] != '\0' && self->status == BB_ACTIVITY_STATUS_DONE)
    self->status = BB_ACTIVITY_STATUS_CONFIRMED;

  return self;
}

#define OCC_GETTER(type, field) \
  type \
  bb_occurrence_get_##field (BbOccurrence *self) \
  { \
    g_return_val_if_fail (BB_IS_OCCURRENCE (self), (type) 0); \
    return self->field; \
  }

OCC_GETTER (BbActivity *, activity)
OCC_GETTER (GDateTime *, recurrence_id)
OCC_GETTER (GDateTime *, start)
OCC_GETTER (GDateTime *, end)
OCC_GETTER (BbActivityStatus, status)
OCC_GETTER (const char *, cancel_reason)
OCC_GETTER (int, actual_participants)
OCC_GETTER (BbCountMethod, count_method)
OCC_GETTER (const char *, notes)

gboolean
bb_occurrence_is_exception (BbOccurrence *self)
{
  g_return_val_if_fail (BB_IS_OCCURRENCE (self), FALSE);
  return self->is_exception;
}

const char *
bb_occurrence_get_search_text (BbOccurrence *self)
{
  g_return_val_if_fail (BB_IS_OCCURRENCE (self), NULL);

  if (self->search_text == NULL)
    {
      g_autofree char *joined = g_strjoin ("\n", self->activity->title, self->activity->theme,
                                           self->activity->location, self->activity->description,
                                           self->activity->partners, self->activity->target_group,
                                           NULL);
      self->search_text = bb_activity_fold_search_text (joined);
    }

  return self->search_text;
}

char *
bb_activity_fold_search_text (const char *text)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  folded = g_utf8_casefold (text, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_ALL_COMPOSE);
}

/* ---- BbTask ---- */

struct _BbTask
{
  GObject     parent_instance;

  char       *id;
  char       *activity_id;
  char       *role;
  int         needed;
  GDateTime  *start;
  GDateTime  *end;
  GPtrArray  *volunteers;   /* NULL-terminated */
};

G_DEFINE_FINAL_TYPE (BbTask, bb_task, G_TYPE_OBJECT)

static void
bb_task_finalize (GObject *object)
{
  BbTask *self = BB_TASK (object);

  g_free (self->id);
  g_free (self->activity_id);
  g_free (self->role);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_clear_pointer (&self->volunteers, g_ptr_array_unref);

  G_OBJECT_CLASS (bb_task_parent_class)->finalize (object);
}

static void
bb_task_class_init (BbTaskClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_task_finalize;
}

static void
bb_task_init (BbTask *self)
{
  self->volunteers = g_ptr_array_new_null_terminated (4, g_free, TRUE);
}

BbTask *
bb_task_new (const char *activity_id,
             const char *role,
             int         needed,
             GDateTime  *start,
             GDateTime  *end)
{
  BbTask *self = g_object_new (BB_TYPE_TASK, NULL);

  self->activity_id = g_strdup (activity_id);
  self->role = g_strdup (role != NULL ? role : "");
  self->needed = needed;
  bb_task_set_times (self, start, end);
  return self;
}

const char *
bb_task_get_id (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), NULL);
  return self->id;
}

const char *
bb_task_get_activity_id (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), NULL);
  return self->activity_id;
}

const char *
bb_task_get_role (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), NULL);
  return self->role;
}

void
bb_task_set_role (BbTask     *self,
                  const char *role)
{
  g_return_if_fail (BB_IS_TASK (self));
  set_text (&self->role, role);
}

int
bb_task_get_needed (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), 0);
  return self->needed;
}

void
bb_task_set_needed (BbTask *self,
                    int     needed)
{
  g_return_if_fail (BB_IS_TASK (self));
  self->needed = needed;
}

GDateTime *
bb_task_get_start (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), NULL);
  return self->start;
}

GDateTime *
bb_task_get_end (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), NULL);
  return self->end;
}

void
bb_task_set_times (BbTask    *self,
                   GDateTime *start,
                   GDateTime *end)
{
  g_return_if_fail (BB_IS_TASK (self));

  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  if (start != NULL)
    self->start = g_date_time_to_timezone (start, bb_programme_get_timezone ());
  if (end != NULL)
    self->end = g_date_time_to_timezone (end, bb_programme_get_timezone ());
}

const char * const *
bb_task_get_volunteers (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), NULL);
  return (const char * const *) self->volunteers->pdata;
}

guint
bb_task_get_n_assigned (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), 0);
  return self->volunteers->len;
}

guint
bb_task_get_short (BbTask *self)
{
  g_return_val_if_fail (BB_IS_TASK (self), 0);
  return self->needed > (int) self->volunteers->len ? (guint) self->needed - self->volunteers->len : 0;
}

static gboolean
validate_task (BbTask  *task,
               GError **error)
{
  if (is_blank (task->role))
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TASK,
                           _("A task needs a role, such as “bar” or “opbouw”."));
      return FALSE;
    }
  if (task->needed < 0 || task->needed > 1000)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TASK,
                           _("The number of volunteers a task needs must be between 0 and 1000."));
      return FALSE;
    }
  if (task->start == NULL || task->end == NULL || g_date_time_compare (task->end, task->start) < 0)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TASK,
                           _("A task needs a time window that ends after it starts."));
      return FALSE;
    }
  return TRUE;
}

/* ---- Store helpers ---- */

#define ACTIVITY_COLUMNS \
  "id, title, description, theme, starts_at, ends_at, all_day, location, target_group," \
  " open_to_all, partners, status, cancel_reason, expected_participants," \
  " actual_participants, count_method, notes, rrule"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static gboolean
step_done (BbStore       *store,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, what);
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           column,
           GDateTime    *time)
{
  sqlite3_bind_text (stmt, column, bb_programme_time_to_string (time), -1, g_free);
}

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           column)
{
  GDateTime *time = bb_programme_time_from_string (column_text (stmt, column));

  /* The CHECKs cannot see a malformed time; a damaged one reads as the
   * epoch rather than crashing a view. */
  if (time == NULL)
    time = bb_programme_time_new (1970, 1, 1, 0, 0);
  return time;
}

static BbActivity *
activity_from_row (sqlite3_stmt *stmt)
{
  BbActivity *self = bb_activity_new ();

  self->id = g_strdup (column_text (stmt, 0));
  set_text (&self->title, column_text (stmt, 1));
  set_text (&self->description, column_text (stmt, 2));
  set_text (&self->theme, column_text (stmt, 3));
  self->start = column_time (stmt, 4);
  self->end = column_time (stmt, 5);
  self->all_day = sqlite3_column_int (stmt, 6) != 0;
  set_text (&self->location, column_text (stmt, 7));
  set_text (&self->target_group, column_text (stmt, 8));
  self->open_to_all = sqlite3_column_int (stmt, 9) != 0;
  set_text (&self->partners, column_text (stmt, 10));
  bb_activity_status_from_string (column_text (stmt, 11), &self->status);
  set_text (&self->cancel_reason, column_text (stmt, 12));
  self->expected_participants = sqlite3_column_int (stmt, 13);
  self->actual_participants = sqlite3_column_type (stmt, 14) == SQLITE_NULL
    ? -1 : sqlite3_column_int (stmt, 14);
  bb_count_method_from_string (column_text (stmt, 15), &self->count_method);
  set_text (&self->notes, column_text (stmt, 16));
  set_text (&self->rrule, column_text (stmt, 17));

  return self;
}

static void
bind_activity (sqlite3_stmt *stmt,
               BbActivity   *self,
               const char   *now)
{
  bind_text (stmt, 1, self->id);
  bind_text (stmt, 2, g_strstrip (self->title));
  bind_text (stmt, 3, self->description);
  bind_text (stmt, 4, g_strstrip (self->theme));
  bind_time (stmt, 5, self->start);
  bind_time (stmt, 6, self->end);
  sqlite3_bind_int (stmt, 7, self->all_day);
  bind_text (stmt, 8, g_strstrip (self->location));
  bind_text (stmt, 9, self->target_group);
  sqlite3_bind_int (stmt, 10, self->open_to_all);
  bind_text (stmt, 11, self->partners);
  bind_text (stmt, 12, bb_activity_status_to_string (self->status));
  bind_text (stmt, 13, self->status == BB_ACTIVITY_STATUS_CANCELLED ? self->cancel_reason : "");
  sqlite3_bind_int (stmt, 14, self->expected_participants);
  if (self->actual_participants >= 0)
    sqlite3_bind_int (stmt, 15, self->actual_participants);
  else
    sqlite3_bind_null (stmt, 15);
  bind_text (stmt, 16, bb_count_method_to_string (self->count_method));
  bind_text (stmt, 17, self->notes);
  bind_text (stmt, 18, self->rrule);
  bind_text (stmt, 19, now);
}

static gboolean
remember_location_and_theme (BbStore     *store,
                             BbActivity  *activity,
                             const char  *now,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  if (activity->location[0] != '\0')
    {
      stmt = bb_store_prepare (store,
                               "INSERT INTO programme_location (name, last_used) VALUES (?1, ?2)"
                               " ON CONFLICT (name) DO UPDATE SET last_used = excluded.last_used",
                               error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, activity->location);
      bind_text (stmt, 2, now);
      if (!step_done (store, stmt, _("Could not remember the location"), error))
        return FALSE;
    }

  if (activity->theme[0] != '\0')
    {
      stmt = bb_store_prepare (store,
                               "INSERT OR IGNORE INTO programme_theme (name, builtin, position)"
                               " SELECT ?1, 0, COALESCE (MAX (position), 0) + 1 FROM programme_theme",
                               error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, activity->theme);
      if (!step_done (store, stmt, _("Could not add the theme"), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_activity (BbStore     *store,
                BbActivity  *activity,
                GError     **error)
{
  g_autofree char *now = bb_date_time_now_iso ();
  sqlite3_stmt *stmt;
  gboolean is_new = activity->id == NULL;

  if (is_new)
    {
      activity->id = bb_store_new_id ();
      stmt = bb_store_prepare (store,
                               "INSERT INTO activity (" ACTIVITY_COLUMNS ", updated_at, created_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                               " ?14, ?15, ?16, ?17, ?18, ?19, ?19)",
                               error);
    }
  else
    stmt = bb_store_prepare (store,
                             "UPDATE activity SET title = ?2, description = ?3, theme = ?4,"
                             " starts_at = ?5, ends_at = ?6, all_day = ?7, location = ?8,"
                             " target_group = ?9, open_to_all = ?10, partners = ?11, status = ?12,"
                             " cancel_reason = ?13, expected_participants = ?14,"
                             " actual_participants = ?15, count_method = ?16, notes = ?17,"
                             " rrule = ?18, updated_at = ?19 WHERE id = ?1",
                             error);
  if (stmt == NULL)
    return FALSE;

  bind_activity (stmt, activity, now);
  if (!step_done (store, stmt, _("Could not save the activity"), error))
    return FALSE;

  if (!is_new && sqlite3_changes (bb_store_get_db (store)) == 0)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND,
                           _("The activity no longer exists."));
      return FALSE;
    }

  return remember_location_and_theme (store, activity, now, error);
}

gboolean
bb_programme_save_activity (BbStore     *store,
                            BbActivity  *activity,
                            GError     **error)
{
  gboolean had_id;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_ACTIVITY (activity), FALSE);

  if (!bb_activity_validate (activity, error))
    return FALSE;

  had_id = activity->id != NULL;
  if (!bb_store_begin (store, error))
    return FALSE;

  if (!write_activity (store, activity, error) || !bb_store_commit (store, error))
    {
      bb_store_rollback (store);
      if (!had_id)
        g_clear_pointer (&activity->id, g_free);
      return FALSE;
    }

  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_programme_delete_activity (BbStore     *store,
                              const char  *activity_id,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (activity_id != NULL, FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;

  stmt = bb_store_prepare (store, "DELETE FROM activity WHERE id = ?1", error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bind_text (stmt, 1, activity_id);
  if (!step_done (store, stmt, _("Could not delete the activity"), error) ||
      !bb_store_commit (store, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }

  bb_store_emit_changed (store);
  return TRUE;
}

BbActivity *
bb_programme_get_activity (BbStore     *store,
                           const char  *activity_id,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  BbActivity *activity = NULL;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (activity_id != NULL, NULL);

  stmt = bb_store_prepare (store, "SELECT " ACTIVITY_COLUMNS " FROM activity WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, activity_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    activity = activity_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND,
                 /* Translators: %s is an activity id */
                 _("There is no activity with id “%s”."), activity_id);
  else
    bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the activity"));
  sqlite3_reset (stmt);

  return activity;
}

static GPtrArray *
query_activities (BbStore     *store,
                  const char  *sql,
                  const char  *from,
                  const char  *to,
                  GError     **error)
{
  g_autoptr(GPtrArray) activities = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = bb_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (from != NULL)
    bind_text (stmt, 1, from);
  if (to != NULL)
    bind_text (stmt, 2, to);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (activities, activity_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the programme"));
      return NULL;
    }

  return g_steal_pointer (&activities);
}

GPtrArray *
bb_programme_list_activities (BbStore  *store,
                              GError  **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  return query_activities (store,
                           "SELECT " ACTIVITY_COLUMNS " FROM activity ORDER BY starts_at, title",
                           NULL, NULL, error);
}

/* ---- Expansion ---- */

static int
compare_occurrences (gconstpointer a,
                     gconstpointer b)
{
  BbOccurrence *oa = *(BbOccurrence **) a;
  BbOccurrence *ob = *(BbOccurrence **) b;
  int cmp = g_date_time_compare (oa->start, ob->start);

  return cmp != 0 ? cmp : g_strcmp0 (oa->activity->title, ob->activity->title);
}

/* The recurrence ids of @activity in [@from, @to). */
static gboolean
expand_rule (BbActivity  *activity,
             GDateTime   *from,
             GDateTime   *to,
             GPtrArray   *out_starts,
             GError     **error)
{
  struct icalrecurrencetype rule;
  struct icaltimetype dtstart = icaltime_null_time ();
  icalrecur_iterator *iter;
  g_autoptr(GDateTime) local = g_date_time_to_timezone (activity->start, bb_programme_get_timezone ());

  if (!parse_rrule (activity->rrule, &rule, error))
    return FALSE;

  /* Floating wall-clock times: the rule is applied to the clock on the
   * wall, so 10:00 stays 10:00 on both sides of a DST change. */
  dtstart.year = g_date_time_get_year (local);
  dtstart.month = g_date_time_get_month (local);
  dtstart.day = g_date_time_get_day_of_month (local);
  dtstart.hour = g_date_time_get_hour (local);
  dtstart.minute = g_date_time_get_minute (local);
  dtstart.is_date = 0;

  iter = icalrecur_iterator_new (rule, dtstart);
  if (iter == NULL)
    {
      icalerror_clear_errno ();
      g_set_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_RECURRENCE,
                   _("The repeat rule “%s” is not understood."), activity->rrule);
      return FALSE;
    }

  /* Bounded, so that a rule that never reaches @to cannot hang a view. */
  for (guint n = 0; n < 100000 && out_starts->len < MAX_OCCURRENCES; n++)
    {
      struct icaltimetype next = icalrecur_iterator_next (iter);
      GDateTime *start;

      if (icaltime_is_null_time (next))
        break;

      start = bb_programme_time_new (next.year, next.month, next.day, next.hour, next.minute);
      if (start == NULL)
        continue;
      if (g_date_time_compare (start, to) >= 0)
        {
          g_date_time_unref (start);
          break;
        }
      if (g_date_time_compare (start, from) >= 0)
        g_ptr_array_add (out_starts, start);
      else
        g_date_time_unref (start);
    }

  icalrecur_iterator_free (iter);
  return TRUE;
}

GPtrArray *
bb_activity_expand (BbActivity  *activity,
                    GDateTime   *from,
                    GDateTime   *to,
                    GError     **error)
{
  g_autoptr(GPtrArray) occurrences = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (BB_IS_ACTIVITY (activity), NULL);
  g_return_val_if_fail (activity->start != NULL && activity->end != NULL, NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  if (activity->rrule[0] == '\0')
    {
      if (g_date_time_compare (activity->start, from) >= 0 &&
          g_date_time_compare (activity->start, to) < 0)
        g_ptr_array_add (occurrences, occurrence_new (activity, activity->start));
    }
  else
    {
      g_autoptr(GPtrArray) starts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);

      if (!expand_rule (activity, from, to, starts, error))
        return NULL;
      for (guint i = 0; i < starts->len; i++)
        g_ptr_array_add (occurrences, occurrence_new (activity, g_ptr_array_index (starts, i)));
    }

  return g_steal_pointer (&occurrences);
}

typedef struct {
  GDateTime        *start;
  GDateTime        *end;
  BbActivityStatus  status;
  char             *cancel_reason;
  int               actual_participants;
  BbCountMethod     count_method;
  char             *notes;
} Exception;

static void
exception_free (Exception *exception)
{
  g_date_time_unref (exception->start);
  g_date_time_unref (exception->end);
  g_free (exception->cancel_reason);
  g_free (exception->notes);
  g_free (exception);
}

static char *
exception_key (const char *activity_id,
               GDateTime  *recurrence_id)
{
  g_autofree char *rid = bb_programme_time_to_string (recurrence_id);

  return g_strconcat (activity_id, "\n", rid, NULL);
}

/* Exceptions keyed by "activity id\noccurrence start"; @activity_id NULL
 * for all of them. */
static GHashTable *
load_exceptions (BbStore     *store,
                 const char  *activity_id,
                 GError     **error)
{
  g_autoptr(GHashTable) exceptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) exception_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = bb_store_prepare (store,
                           "SELECT activity_id, occurrence_start, starts_at, ends_at, status,"
                           " cancel_reason, actual_participants, count_method, notes"
                           " FROM activity_exception WHERE ?1 IS NULL OR activity_id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  if (activity_id != NULL)
    bind_text (stmt, 1, activity_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Exception *exception = g_new0 (Exception, 1);

      exception->start = column_time (stmt, 2);
      exception->end = column_time (stmt, 3);
      bb_activity_status_from_string (column_text (stmt, 4), &exception->status);
      exception->cancel_reason = g_strdup (column_text (stmt, 5));
      exception->actual_participants = sqlite3_column_type (stmt, 6) == SQLITE_NULL
        ? -1 : sqlite3_column_int (stmt, 6);
      bb_count_method_from_string (column_text (stmt, 7), &exception->count_method);
      exception->notes = g_strdup (column_text (stmt, 8));
      g_hash_table_insert (exceptions,
                           g_strconcat (column_text (stmt, 0), "\n", column_text (stmt, 1), NULL),
                           exception);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the programme"));
      return NULL;
    }

  return g_steal_pointer (&exceptions);
}

static void
apply_exception (BbOccurrence *occurrence,
                 Exception    *exception)
{
  g_date_time_unref (occurrence->start);
  g_date_time_unref (occurrence->end);
  occurrence->start = g_date_time_ref (exception->start);
  occurrence->end = g_date_time_ref (exception->end);
  occurrence->status = exception->status;
  set_text (&occurrence->cancel_reason, exception->cancel_reason);
  occurrence->actual_participants = exception->actual_participants;
  occurrence->count_method = exception->count_method;
  set_text (&occurrence->notes, exception->notes);
  occurrence->is_exception = TRUE;
}

/* A moved occurrence is found when it moved by less than this. */
#define MOVE_MARGIN_DAYS 62

/* The occurrences of @activity starting in [@from, @to), exceptions
 * applied, added to @out. */
static gboolean
collect_occurrences (BbActivity  *activity,
                     GHashTable  *exceptions,
                     GDateTime   *from,
                     GDateTime   *to,
                     GPtrArray   *out,
                     GError     **error)
{
  g_autoptr(GPtrArray) expanded = NULL;

  if (activity->rrule[0] == '\0')
    {
      expanded = bb_activity_expand (activity, from, to, error);
    }
  else
    {
      g_autoptr(GDateTime) wide_from = g_date_time_add_days (from, -MOVE_MARGIN_DAYS);
      g_autoptr(GDateTime) wide_to = g_date_time_add_days (to, MOVE_MARGIN_DAYS);

      expanded = bb_activity_expand (activity, wide_from, wide_to, error);
    }
  if (expanded == NULL)
    return FALSE;

  for (guint i = 0; i < expanded->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (expanded, i);

      if (activity->rrule[0] != '\0' && exceptions != NULL)
        {
          g_autofree char *key = exception_key (activity->id, occurrence->recurrence_id);
          Exception *exception = g_hash_table_lookup (exceptions, key);

          if (exception != NULL)
            apply_exception (occurrence, exception);
        }

      if (g_date_time_compare (occurrence->start, from) >= 0 &&
          g_date_time_compare (occurrence->start, to) < 0)
        g_ptr_array_add (out, g_object_ref (occurrence));
    }

  return TRUE;
}

GPtrArray *
bb_programme_list_occurrences (BbStore     *store,
                               GDateTime   *from,
                               GDateTime   *to,
                               GError     **error)
{
  g_autoptr(GPtrArray) occurrences = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GHashTable) exceptions = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  from_text = bb_programme_time_to_string (from);
  to_text = bb_programme_time_to_string (to);
  activities = query_activities (store,
                                 "SELECT " ACTIVITY_COLUMNS " FROM activity"
                                 " WHERE rrule <> '' OR (starts_at >= ?1 AND starts_at < ?2)"
                                 " ORDER BY starts_at, title",
                                 from_text, to_text, error);
  if (activities == NULL)
    return NULL;

  exceptions = load_exceptions (store, NULL, error);
  if (exceptions == NULL)
    return NULL;

  for (guint i = 0; i < activities->len; i++)
    if (!collect_occurrences (g_ptr_array_index (activities, i), exceptions, from, to,
                              occurrences, error))
      return NULL;

  g_ptr_array_sort (occurrences, compare_occurrences);
  return g_steal_pointer (&occurrences);
}

BbOccurrence *
bb_programme_get_occurrence (BbStore     *store,
                             const char  *activity_id,
                             GDateTime   *recurrence_id,
                             GError     **error)
{
  g_autoptr(BbActivity) activity = NULL;
  g_autoptr(GPtrArray) expanded = NULL;
  g_autoptr(GHashTable) exceptions = NULL;
  g_autoptr(GDateTime) until = NULL;
  BbOccurrence *occurrence;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (activity_id != NULL, NULL);

  activity = bb_programme_get_activity (store, activity_id, error);
  if (activity == NULL)
    return NULL;

  if (activity->rrule[0] == '\0')
    return occurrence_new (activity, activity->start);

  if (recurrence_id == NULL)
    recurrence_id = activity->start;

  until = g_date_time_add_minutes (recurrence_id, 1);
  expanded = bb_activity_expand (activity, recurrence_id, until, error);
  if (expanded == NULL)
    return NULL;

  if (expanded->len == 0 || !same_wall_time (bb_occurrence_get_recurrence_id (g_ptr_array_index (expanded, 0)),
                                             recurrence_id))
    {
      g_autofree char *when = bb_date_time_format_long (recurrence_id);

      g_set_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND,
                   /* Translators: the first %s is an activity's title, the second a date and time */
                   _("“%s” does not take place on %s."), activity->title, when);
      return NULL;
    }

  exceptions = load_exceptions (store, activity_id, error);
  if (exceptions == NULL)
    return NULL;

  occurrence = g_object_ref (g_ptr_array_index (expanded, 0));
  {
    g_autofree char *key = exception_key (activity->id, occurrence->recurrence_id);
    Exception *exception = g_hash_table_lookup (exceptions, key);

    if (exception != NULL)
      apply_exception (occurrence, exception);
  }

  return occurrence;
}

GPtrArray *
bb_programme_list_changed_occurrences (BbStore     *store,
                                       const char  *activity_id,
                                       GError     **error)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (activity_id != NULL, NULL);

  stmt = bb_store_prepare (store,
                           "SELECT occurrence_start FROM activity_exception WHERE activity_id = ?1"
                           " ORDER BY occurrence_start",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, activity_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rids, column_time (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the programme"));
      return NULL;
    }

  for (guint i = 0; i < rids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      BbOccurrence *occurrence = bb_programme_get_occurrence (store, activity_id,
                                                              g_ptr_array_index (rids, i), &local_error);

      /* A date the rule no longer gives (the rule was edited) is left out. */
      if (occurrence != NULL)
        g_ptr_array_add (changed, occurrence);
      else if (!g_error_matches (local_error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  return g_steal_pointer (&changed);
}

/* Writes the state of @occurrence: into the activity row for a single
 * activity, as an exception row for an occurrence of a series. Inside a
 * transaction. */
static gboolean
write_occurrence (BbStore       *store,
                  BbOccurrence  *occurrence,
                  GError       **error)
{
  BbActivity *activity = occurrence->activity;
  g_autofree char *now = bb_date_time_now_iso ();
  sqlite3_stmt *stmt;

  if (activity->rrule[0] == '\0')
    {
      GTimeSpan shift = g_date_time_difference (occurrence->start, activity->start);

      stmt = bb_store_prepare (store,
                               "UPDATE activity SET starts_at = ?2, ends_at = ?3, status = ?4,"
                               " cancel_reason = ?5, actual_participants = ?6, count_method = ?7,"
                               " notes = ?8, updated_at = ?9 WHERE id = ?1",
                               error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, activity->id);
      bind_time (stmt, 2, occurrence->start);
      bind_time (stmt, 3, occurrence->end);
      bind_text (stmt, 4, bb_activity_status_to_string (occurrence->status));
      bind_text (stmt, 5, occurrence->cancel_reason);
      if (occurrence->actual_participants >= 0)
        sqlite3_bind_int (stmt, 6, occurrence->actual_participants);
      bind_text (stmt, 7, bb_count_method_to_string (occurrence->count_method));
      bind_text (stmt, 8, occurrence->notes);
      bind_text (stmt, 9, now);
      if (!step_done (store, stmt, _("Could not save the activity"), error))
        return FALSE;

      /* The tasks move with a moved activity. */
      if (shift != 0)
        {
          g_autoptr(GPtrArray) tasks = bb_programme_list_tasks (store, activity->id, error);

          if (tasks == NULL)
            return FALSE;
          for (guint i = 0; i < tasks->len; i++)
            {
              BbTask *task = g_ptr_array_index (tasks, i);

              stmt = bb_store_prepare (store, "UPDATE task SET starts_at = ?2, ends_at = ?3 WHERE id = ?1",
                                       error);
              if (stmt == NULL)
                return FALSE;
              bind_text (stmt, 1, task->id);
              bind_time (stmt, 2, g_date_time_add (task->start, shift));
              bind_time (stmt, 3, g_date_time_add (task->end, shift));
              if (!step_done (store, stmt, _("Could not save the task"), error))
                return FALSE;
            }
        }
      return TRUE;
    }

  stmt = bb_store_prepare (store,
                           "INSERT INTO activity_exception (activity_id, occurrence_start, starts_at,"
                           " ends_at, status, cancel_reason, actual_participants, count_method, notes)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                           " ON CONFLICT (activity_id, occurrence_start) DO UPDATE SET"
                           " starts_at = excluded.starts_at, ends_at = excluded.ends_at,"
                           " status = excluded.status, cancel_reason = excluded.cancel_reason,"
                           " actual_participants = excluded.actual_participants,"
                           " count_method = excluded.count_method, notes = excluded.notes",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, activity->id);
  bind_time (stmt, 2, occurrence->recurrence_id);
  bind_time (stmt, 3, occurrence->start);
  bind_time (stmt, 4, occurrence->end);
  bind_text (stmt, 5, bb_activity_status_to_string (occurrence->status));
  bind_text (stmt, 6, occurrence->cancel_reason);
  if (occurrence->actual_participants >= 0)
    sqlite3_bind_int (stmt, 7, occurrence->actual_participants);
  bind_text (stmt, 8, bb_count_method_to_string (occurrence->count_method));
  bind_text (stmt, 9, occurrence->notes);
  return step_done (store, stmt, _("Could not save the change to one date"), error);
}

static gboolean
save_occurrence (BbStore       *store,
                 BbOccurrence  *occurrence,
                 GError       **error)
{
  if (!bb_store_begin (store, error))
    return FALSE;
  if (!write_occurrence (store, occurrence, error) || !bb_store_commit (store, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_programme_cancel_occurrence (BbStore     *store,
                                const char  *activity_id,
                                GDateTime   *recurrence_id,
                                const char  *reason,
                                GError     **error)
{
  g_autoptr(BbOccurrence) occurrence = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (activity_id != NULL, FALSE);

  if (is_blank (reason))
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_REASON,
                           _("Say why the activity is cancelled."));
      return FALSE;
    }

  occurrence = bb_programme_get_occurrence (store, activity_id, recurrence_id, error);
  if (occurrence == NULL)
    return FALSE;

  occurrence->status = BB_ACTIVITY_STATUS_CANCELLED;
  set_text (&occurrence->cancel_reason, reason);
  g_strstrip (occurrence->cancel_reason);
  return save_occurrence (store, occurrence, error);
}

gboolean
bb_programme_move_occurrence (BbStore     *store,
                              const char  *activity_id,
                              GDateTime   *recurrence_id,
                              GDateTime   *new_start,
                              GDateTime   *new_end,
                              GError     **error)
{
  g_autoptr(BbOccurrence) occurrence = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (new_start != NULL && new_end != NULL, FALSE);

  if (g_date_time_compare (new_end, new_start) < 0)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TIMES,
                           _("The activity ends before it starts."));
      return FALSE;
    }

  occurrence = bb_programme_get_occurrence (store, activity_id, recurrence_id, error);
  if (occurrence == NULL)
    return FALSE;

  g_date_time_unref (occurrence->start);
  g_date_time_unref (occurrence->end);
  occurrence->start = g_date_time_to_timezone (new_start, bb_programme_get_timezone ());
  occurrence->end = g_date_time_to_timezone (new_end, bb_programme_get_timezone ());
  return save_occurrence (store, occurrence, error);
}

gboolean
bb_programme_restore_occurrence (BbStore     *store,
                                 const char  *activity_id,
                                 GDateTime   *recurrence_id,
                                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (activity_id != NULL && recurrence_id != NULL, FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store,
                           "DELETE FROM activity_exception WHERE activity_id = ?1 AND occurrence_start = ?2",
                           error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bind_text (stmt, 1, activity_id);
  bind_time (stmt, 2, recurrence_id);
  if (!step_done (store, stmt, _("Could not save the change to one date"), error) ||
      !bb_store_commit (store, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bb_store_emit_changed (store);
  return TRUE;
}

/* ---- Repeat next year ---- */

/* The same date a year later; 29 February becomes 28 February. */
static GDateTime *
same_date_next_year (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, bb_programme_get_timezone ());
  int day = g_date_time_get_day_of_month (local);
  int month = g_date_time_get_month (local);

  if (month == 2 && day == 29)
    day = 28;

  return bb_programme_time_new (g_date_time_get_year (local) + 1, month, day,
                                g_date_time_get_hour (local), g_date_time_get_minute (local));
}

/* An UNTIL in the rule moves a year on with the series; a COUNT stays. */
static char *
rrule_next_year (const char *rrule)
{
  struct icalrecurrencetype rule;

  if (rrule[0] == '\0' || !parse_rrule (rrule, &rule, NULL) || icaltime_is_null_time (rule.until))
    return g_strdup (rrule);

  rule.until.year += 1;
  if (rule.until.month == 2 && rule.until.day == 29)
    rule.until.day = 28;
  return g_strdup (icalrecurrencetype_as_string (&rule));
}

char *
bb_programme_repeat_next_year (BbStore     *store,
                               const char  *activity_id,
                               GError     **error)
{
  g_autoptr(BbActivity) activity = NULL;
  g_autoptr(BbActivity) copy = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  GTimeSpan shift;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (activity_id != NULL, NULL);

  activity = bb_programme_get_activity (store, activity_id, error);
  if (activity == NULL)
    return NULL;
  tasks = bb_programme_list_tasks (store, activity_id, error);
  if (tasks == NULL)
    return NULL;

  start = same_date_next_year (activity->start);
  shift = g_date_time_difference (start, activity->start);
  end = g_date_time_add (activity->end, shift);

  copy = bb_activity_copy (activity);
  g_clear_pointer (&copy->id, g_free);
  bb_activity_set_times (copy, start, end);
  copy->status = BB_ACTIVITY_STATUS_PLANNED;
  set_text (&copy->cancel_reason, "");
  copy->actual_participants = -1;
  copy->count_method = BB_COUNT_METHOD_NONE;
  g_free (copy->rrule);
  copy->rrule = rrule_next_year (activity->rrule);

  if (!bb_store_begin (store, error))
    return NULL;

  if (!write_activity (store, copy, error))
    goto fail;

  for (guint i = 0; i < tasks->len; i++)
    {
      BbTask *task = g_ptr_array_index (tasks, i);
      g_autoptr(GDateTime) task_start = g_date_time_add (task->start, shift);
      g_autoptr(GDateTime) task_end = g_date_time_add (task->end, shift);
      sqlite3_stmt *stmt = bb_store_prepare (store,
                                             "INSERT INTO task (id, activity_id, role, needed,"
                                             " starts_at, ends_at, position)"
                                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                             error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, bb_store_new_id (), -1, g_free);
      bind_text (stmt, 2, copy->id);
      bind_text (stmt, 3, task->role);
      sqlite3_bind_int (stmt, 4, task->needed);
      bind_time (stmt, 5, task_start);
      bind_time (stmt, 6, task_end);
      sqlite3_bind_int (stmt, 7, (int) i);
      if (!step_done (store, stmt, _("Could not save the task"), error))
        goto fail;
    }

  if (!bb_store_commit (store, error))
    goto fail;

  bb_store_emit_changed (store);
  return g_strdup (copy->id);

fail:
  bb_store_rollback (store);
  return NULL;
}

/* ---- Themes and locations ---- */

static GStrv
query_strings (BbStore     *store,
               const char  *sql,
               GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = bb_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the programme"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

GStrv
bb_programme_list_themes (BbStore  *store,
                          GError  **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  return query_strings (store,
                        "SELECT name FROM programme_theme ORDER BY builtin DESC, position, name",
                        error);
}

gboolean
bb_programme_add_theme (BbStore     *store,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(BbActivity) holder = bb_activity_new ();

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  if (is_blank (name))
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TITLE,
                           _("A theme needs a name."));
      return FALSE;
    }

  set_text (&holder->theme, name);
  g_strstrip (holder->theme);
  if (!bb_store_begin (store, error))
    return FALSE;
  if (!remember_location_and_theme (store, holder, "", error) || !bb_store_commit (store, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bb_store_emit_changed (store);
  return TRUE;
}

GStrv
bb_programme_list_locations (BbStore  *store,
                             GError  **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  return query_strings (store,
                        "SELECT name FROM programme_location ORDER BY last_used DESC, name LIMIT 100",
                        error);
}

/* ---- Tasks ---- */

GPtrArray *
bb_programme_list_tasks (BbStore     *store,
                         const char  *activity_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (activity_id != NULL, NULL);

  /* One row per task and assigned volunteer, tasks in order. */
  stmt = bb_store_prepare (store,
                           "SELECT t.id, t.role, t.needed, t.starts_at, t.ends_at, a.volunteer_id"
                           " FROM task t LEFT JOIN task_assignment a ON a.task_id = t.id"
                           " WHERE t.activity_id = ?1 ORDER BY t.position, t.starts_at, t.role, t.id,"
                           " a.volunteer_id",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, activity_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbTask *last = tasks->len > 0 ? g_ptr_array_index (tasks, tasks->len - 1) : NULL;

      if (last == NULL || !g_str_equal (last->id, column_text (stmt, 0)))
        {
          last = g_object_new (BB_TYPE_TASK, NULL);
          last->id = g_strdup (column_text (stmt, 0));
          last->activity_id = g_strdup (activity_id);
          last->role = g_strdup (column_text (stmt, 1));
          last->needed = sqlite3_column_int (stmt, 2);
          last->start = column_time (stmt, 3);
          last->end = column_time (stmt, 4);
          g_ptr_array_add (tasks, last);
        }
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        g_ptr_array_add (last->volunteers, g_strdup (column_text (stmt, 5)));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the tasks"));
      return NULL;
    }

  return g_steal_pointer (&tasks);
}

gboolean
bb_programme_save_task (BbStore     *store,
                        BbTask      *task,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean is_new;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_TASK (task), FALSE);
  g_return_val_if_fail (task->activity_id != NULL, FALSE);

  if (!validate_task (task, error))
    return FALSE;

  is_new = task->id == NULL;
  if (!bb_store_begin (store, error))
    return FALSE;

  if (is_new)
    stmt = bb_store_prepare (store,
                             "INSERT INTO task (id, activity_id, role, needed, starts_at, ends_at, position)"
                             " SELECT ?1, ?2, ?3, ?4, ?5, ?6, COALESCE (MAX (position), -1) + 1"
                             " FROM task WHERE activity_id = ?2",
                             error);
  else
    stmt = bb_store_prepare (store,
                             "UPDATE task SET role = ?3, needed = ?4, starts_at = ?5, ends_at = ?6"
                             " WHERE id = ?1 AND activity_id = ?2",
                             error);
  if (stmt == NULL)
    goto fail;

  if (is_new)
    task->id = bb_store_new_id ();
  bind_text (stmt, 1, task->id);
  bind_text (stmt, 2, task->activity_id);
  bind_text (stmt, 3, g_strstrip (task->role));
  sqlite3_bind_int (stmt, 4, task->needed);
  bind_time (stmt, 5, task->start);
  bind_time (stmt, 6, task->end);
  if (!step_done (store, stmt, _("Could not save the task"), error))
    goto fail;
  if (!is_new && sqlite3_changes (bb_store_get_db (store)) == 0)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND,
                           _("The task no longer exists."));
      goto fail;
    }
  if (!bb_store_commit (store, error))
    goto fail;

  bb_store_emit_changed (store);
  return TRUE;

fail:
  bb_store_rollback (store);
  if (is_new)
    g_clear_pointer (&task->id, g_free);
  return FALSE;
}

static gboolean
run_one_write (BbStore     *store,
               const char  *sql,
               const char  *first,
               const char  *second,
               const char  *what,
               GError     **error)
{
  sqlite3_stmt *stmt;

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bind_text (stmt, 1, first);
  if (second != NULL)
    bind_text (stmt, 2, second);
  if (!step_done (store, stmt, what, error) || !bb_store_commit (store, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_programme_delete_task (BbStore     *store,
                          const char  *task_id,
                          GError     **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  return run_one_write (store, "DELETE FROM task WHERE id = ?1", task_id, NULL,
                        _("Could not delete the task"), error);
}

gboolean
bb_programme_assign (BbStore     *store,
                     const char  *task_id,
                     const char  *volunteer_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (task_id != NULL && volunteer_id != NULL, FALSE);

  /* A clear message rather than a foreign-key failure. */
  stmt = bb_store_prepare (store, "SELECT (SELECT COUNT(*) FROM task WHERE id = ?1),"
                           " (SELECT COUNT(*) FROM volunteer WHERE id = ?2)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, task_id);
  bind_text (stmt, 2, volunteer_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the tasks"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (sqlite3_column_int (stmt, 0) == 0)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND,
                           _("The task no longer exists."));
      return FALSE;
    }
  if (sqlite3_column_int (stmt, 1) == 0)
    {
      sqlite3_reset (stmt);
      g_set_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_VOLUNTEER,
                   /* Translators: %s is a volunteer id */
                   _("There is no volunteer with id “%s”."), volunteer_id);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return run_one_write (store,
                        "INSERT OR IGNORE INTO task_assignment (task_id, volunteer_id) VALUES (?1, ?2)",
                        task_id, volunteer_id, _("Could not assign the volunteer"), error);
}

gboolean
bb_programme_unassign (BbStore     *store,
                       const char  *task_id,
                       const char  *volunteer_id,
                       GError     **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (task_id != NULL && volunteer_id != NULL, FALSE);

  return run_one_write (store, "DELETE FROM task_assignment WHERE task_id = ?1 AND volunteer_id = ?2",
                        task_id, volunteer_id, _("Could not remove the volunteer from the task"),
                        error);
}

guint
bb_programme_count_short (BbStore     *store,
                          const char  *activity_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  guint n = 0;

  g_return_val_if_fail (BB_IS_STORE (store), 0);

  tasks = bb_programme_list_tasks (store, activity_id, error);
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    n += bb_task_get_short (g_ptr_array_index (tasks, i));
  return n;
}

/* ---- Task windows and double bookings ---- */

typedef struct {
  GDateTime *start;
  GDateTime *end;
} Window;

static void
window_free (Window *window)
{
  g_date_time_unref (window->start);
  g_date_time_unref (window->end);
  g_free (window);
}

/* The windows of @task on the occurrences of its activity (not cancelled)
 * starting in [@from, @to). */
static GPtrArray *
task_windows (BbStore    *store,
              BbTask     *task,
              GDateTime  *from,
              GDateTime  *to,
              GError    **error)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func ((GDestroyNotify) window_free);
  g_autoptr(BbActivity) activity = bb_programme_get_activity (store, task->activity_id, error);
  g_autoptr(GHashTable) exceptions = NULL;
  g_autoptr(GPtrArray) occurrences = g_ptr_array_new_with_free_func (g_object_unref);

  if (activity == NULL)
    return NULL;
  exceptions = load_exceptions (store, activity->id, error);
  if (exceptions == NULL || !collect_occurrences (activity, exceptions, from, to, occurrences, error))
    return NULL;

  for (guint i = 0; i < occurrences->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (occurrences, i);
      GTimeSpan shift = g_date_time_difference (occurrence->start, activity->start);
      Window *window;

      if (occurrence->status == BB_ACTIVITY_STATUS_CANCELLED)
        continue;
      window = g_new0 (Window, 1);
      window->start = g_date_time_add (task->start, shift);
      window->end = g_date_time_add (task->end, shift);
      g_ptr_array_add (windows, window);
    }

  return g_steal_pointer (&windows);
}

static gboolean
windows_overlap (GPtrArray *a,
                 GPtrArray *b)
{
  for (guint i = 0; i < a->len; i++)
    for (guint j = 0; j < b->len; j++)
      {
        Window *wa = g_ptr_array_index (a, i);
        Window *wb = g_ptr_array_index (b, j);

        if (g_date_time_compare (wa->start, wb->end) < 0 &&
            g_date_time_compare (wb->start, wa->end) < 0)
          return TRUE;
      }
  return FALSE;
}

static BbTask *
get_task (BbStore     *store,
          const char  *task_id,
          GError     **error)
{
  sqlite3_stmt *stmt = bb_store_prepare (store, "SELECT activity_id FROM task WHERE id = ?1", error);
  g_autofree char *activity_id = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, task_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    activity_id = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (activity_id == NULL)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND,
                           _("The task no longer exists."));
      return NULL;
    }

  tasks = bb_programme_list_tasks (store, activity_id, error);
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    if (g_str_equal (bb_task_get_id (g_ptr_array_index (tasks, i)), task_id))
      return g_object_ref (g_ptr_array_index (tasks, i));

  if (tasks != NULL)
    g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_NOT_FOUND,
                         _("The task no longer exists."));
  return NULL;
}

GPtrArray *
bb_programme_find_double_bookings (BbStore     *store,
                                   const char  *task_id,
                                   const char  *volunteer_id,
                                   GError     **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BbTask) task = NULL;
  g_autoptr(GPtrArray) windows = NULL;
  g_autoptr(GPtrArray) other_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(BbActivity) activity = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (task_id != NULL && volunteer_id != NULL, NULL);

  task = get_task (store, task_id, error);
  if (task == NULL)
    return NULL;
  activity = bb_programme_get_activity (store, task->activity_id, error);
  if (activity == NULL)
    return NULL;

  from = g_date_time_add_days (activity->start, -1);
  to = g_date_time_add_years (activity->start, 1);
  windows = task_windows (store, task, from, to, error);
  if (windows == NULL)
    return NULL;

  stmt = bb_store_prepare (store,
                           "SELECT task_id FROM task_assignment WHERE volunteer_id = ?1 AND task_id <> ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, volunteer_id);
  bind_text (stmt, 2, task_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (other_ids, g_strdup (column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the tasks"));
      return NULL;
    }

  for (guint i = 0; i < other_ids->len; i++)
    {
      g_autoptr(BbTask) other = get_task (store, g_ptr_array_index (other_ids, i), error);
      g_autoptr(GPtrArray) other_windows = NULL;

      if (other == NULL)
        return NULL;
      other_windows = task_windows (store, other, from, to, error);
      if (other_windows == NULL)
        return NULL;
      if (windows_overlap (windows, other_windows))
        g_ptr_array_add (conflicts, g_steal_pointer (&other));
    }

  return g_steal_pointer (&conflicts);
}

GStrv
bb_programme_list_booked (BbStore     *store,
                          GDateTime   *start,
                          GDateTime   *end,
                          GError     **error)
{
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GHashTable) booked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (start != NULL && end != NULL, NULL);

  /* Tasks may start a day before their activity (opbouw). */
  from = g_date_time_add_days (start, -2);
  to = g_date_time_add_days (end, 2);
  occurrences = bb_programme_list_occurrences (store, from, to, error);
  if (occurrences == NULL)
    return NULL;

  for (guint i = 0; i < occurrences->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (occurrences, i);
      GTimeSpan shift = g_date_time_difference (occurrence->start, occurrence->activity->start);
      g_autoptr(GPtrArray) tasks = NULL;

      if (occurrence->status == BB_ACTIVITY_STATUS_CANCELLED)
        continue;
      tasks = bb_programme_list_tasks (store, occurrence->activity->id, error);
      if (tasks == NULL)
        return NULL;
      for (guint t = 0; t < tasks->len; t++)
        {
          BbTask *task = g_ptr_array_index (tasks, t);
          g_autoptr(GDateTime) task_start = g_date_time_add (task->start, shift);
          g_autoptr(GDateTime) task_end = g_date_time_add (task->end, shift);

          if (g_date_time_compare (task_start, end) >= 0 || g_date_time_compare (start, task_end) >= 0)
            continue;
          for (guint v = 0; v < task->volunteers->len; v++)
            g_hash_table_add (booked, g_strdup (g_ptr_array_index (task->volunteers, v)));
        }
    }

  g_hash_table_iter_init (&iter, booked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  return g_strv_builder_end (builder);
}

/* ---- After the activity ---- */

void
bb_hours_line_free (BbHoursLine *line)
{
  if (line == NULL)
    return;
  g_free (line->volunteer_id);
  g_free (line->task_id);
  g_free (line);
}

GPtrArray *
bb_programme_prefill_hours (BbStore       *store,
                            BbOccurrence  *occurrence,
                            GError       **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_hours_line_free);
  g_autoptr(GPtrArray) tasks = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (BB_IS_OCCURRENCE (occurrence), NULL);

  tasks = bb_programme_list_tasks (store, occurrence->activity->id, error);
  if (tasks == NULL)
    return NULL;

  for (guint t = 0; t < tasks->len; t++)
    {
      BbTask *task = g_ptr_array_index (tasks, t);
      gint64 minutes = g_date_time_difference (task->end, task->start) / G_TIME_SPAN_MINUTE;

      for (guint v = 0; v < task->volunteers->len; v++)
        {
          BbHoursLine *line = g_new0 (BbHoursLine, 1);

          line->volunteer_id = g_strdup (g_ptr_array_index (task->volunteers, v));
          line->task_id = g_strdup (task->id);
          line->minutes = (int) CLAMP (minutes, 0, 24 * 60);
          g_ptr_array_add (lines, line);
        }
    }

  return g_steal_pointer (&lines);
}

gboolean
bb_programme_mark_done (BbStore       *store,
                        BbOccurrence  *occurrence,
                        int            actual_participants,
                        BbCountMethod  method,
                        GPtrArray     *hours,
                        GError       **error)
{
  g_autoptr(GArray) confirmations = g_array_new (FALSE, TRUE, sizeof (BbHoursConfirmation));
  g_autoptr(GPtrArray) earlier = NULL;
  g_autoptr(BbOccurrence) done = NULL;
  g_autofree char *date = NULL;
  BbActivity *activity;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_OCCURRENCE (occurrence), FALSE);

  activity = occurrence->activity;

  if (actual_participants < 0 || actual_participants > 1000000)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_PARTICIPANTS,
                           _("Enter how many people took part (0 or more)."));
      return FALSE;
    }
  if (method == BB_COUNT_METHOD_NONE)
    {
      g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_PARTICIPANTS,
                           _("Say whether the participants were counted or estimated."));
      return FALSE;
    }
  for (guint i = 0; hours != NULL && i < hours->len; i++)
    {
      BbHoursLine *line = g_ptr_array_index (hours, i);

      if (line->minutes < 0 || line->minutes > 24 * 60)
        {
          g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_PARTICIPANTS,
                               _("Hours for one volunteer must be between 0 and 24."));
          return FALSE;
        }
    }

  /* Latest state from the file, so a stale view cannot undo a change. */
  done = bb_programme_get_occurrence (store, activity->id, occurrence->recurrence_id, error);
  if (done == NULL)
    return FALSE;
  done->status = BB_ACTIVITY_STATUS_DONE;
  set_text (&done->cancel_reason, "");
  done->actual_participants = actual_participants;
  done->count_method = method;
  date = time_to_date_iso (done->start);

  /* Hours are replaced per activity; for a series the confirmed hours of
   * its other dates are handed back unchanged. */
  if (activity->rrule[0] != '\0')
    {
      earlier = bb_hours_list_for_activity (store, activity->id, error);
      if (earlier == NULL)
        return FALSE;
      for (guint i = 0; i < earlier->len; i++)
        {
          BbHoursEntry *entry = g_ptr_array_index (earlier, i);
          BbHoursConfirmation keep = { entry->task_id, entry->volunteer_id, entry->date, entry->minutes };

          if (entry->source != BB_HOURS_SOURCE_CONFIRMED || entry->volunteer_id == NULL ||
              g_strcmp0 (entry->date, date) == 0)
            continue;
          g_array_append_val (confirmations, keep);
        }
    }

  for (guint i = 0; hours != NULL && i < hours->len; i++)
    {
      BbHoursLine *line = g_ptr_array_index (hours, i);
      BbHoursConfirmation confirm = { line->task_id, line->volunteer_id, date, (guint) line->minutes };

      if (line->minutes > 0)
        g_array_append_val (confirmations, confirm);
    }

  if (!bb_store_begin (store, error))
    return FALSE;

  if (!write_occurrence (store, done, error))
    goto fail;

  stmt = bb_store_prepare (store,
                           "UPDATE task_assignment SET confirmed = 1"
                           " WHERE task_id IN (SELECT id FROM task WHERE activity_id = ?1)",
                           error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, activity->id);
  if (!step_done (store, stmt, _("Could not confirm the assignments"), error))
    goto fail;

  if (!bb_hours_replace_confirmed_in_transaction (store, activity->id,
                                                  (const BbHoursConfirmation *) (gpointer) confirmations->data,
                                                  confirmations->len, error))
    goto fail;

  if (!bb_store_commit (store, error))
    goto fail;

  bb_store_emit_changed (store);
  return TRUE;

fail:
  bb_store_rollback (store);
  return FALSE;
}

/* ---- Reports ---- */

void
bb_activity_report_free (BbActivityReport *report)
{
  if (report == NULL)
    return;
  g_free (report->activity_id);
  g_clear_pointer (&report->start, g_date_time_unref);
  g_clear_pointer (&report->end, g_date_time_unref);
  g_free (report->title);
  g_free (report->theme);
  g_free (report->location);
  g_free (report->cancel_reason);
  g_free (report);
}

typedef struct {
  gint64 minutes;
  guint  volunteers;
} HoursSum;

/* Hours per "activity id\ndate" and per "activity id" in [@from, @to]. */
static GHashTable *
load_hours_sums (BbStore     *store,
                 const char  *from,
                 const char  *to,
                 GError     **error)
{
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = bb_store_prepare (store,
                           "SELECT activity_id, date, SUM (minutes), COUNT (DISTINCT volunteer_id),"
                           " COUNT (*) - COUNT (volunteer_id)"
                           " FROM volunteer_hours WHERE activity_id IS NOT NULL"
                           " AND date BETWEEN ?1 AND ?2 GROUP BY activity_id, date",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, from);
  bind_text (stmt, 2, to);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = column_text (stmt, 0);
      HoursSum *day = g_new0 (HoursSum, 1);
      HoursSum *total = g_hash_table_lookup (sums, id);

      day->minutes = sqlite3_column_int64 (stmt, 2);
      /* Each anonymous row (an erased volunteer) counts as one person. */
      day->volunteers = (guint) (sqlite3_column_int (stmt, 3) + sqlite3_column_int (stmt, 4));
      if (total == NULL)
        {
          total = g_new0 (HoursSum, 1);
          g_hash_table_insert (sums, g_strdup (id), total);
        }
      total->minutes += day->minutes;
      total->volunteers = MAX (total->volunteers, day->volunteers);
      g_hash_table_insert (sums, g_strconcat (id, "\n", column_text (stmt, 1), NULL), day);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the hours"));
      return NULL;
    }

  return g_steal_pointer (&sums);
}

GPtrArray *
bb_programme_list_in_period (BbStore      *store,
                             const GDate  *from,
                             const GDate  *to,
                             GError      **error)
{
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_activity_report_free);
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GHashTable) sums = NULL;
  g_autoptr(GHashTable) assigned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *from_iso = NULL;
  g_autofree char *to_iso = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (from != NULL && g_date_valid (from), NULL);
  g_return_val_if_fail (to != NULL && g_date_valid (to), NULL);

  start = bb_programme_time_new (g_date_get_year (from), g_date_get_month (from),
                                 g_date_get_day (from), 0, 0);
  {
    g_autoptr(GDateTime) last_day = bb_programme_time_new (g_date_get_year (to), g_date_get_month (to),
                                                           g_date_get_day (to), 0, 0);

    end = g_date_time_add_days (last_day, 1);
  }
  occurrences = bb_programme_list_occurrences (store, start, end, error);
  if (occurrences == NULL)
    return NULL;

  from_iso = bb_date_to_iso (from);
  to_iso = bb_date_to_iso (to);
  sums = load_hours_sums (store, from_iso, to_iso, error);
  if (sums == NULL)
    return NULL;

  for (guint i = 0; i < occurrences->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (occurrences, i);
      BbActivity *activity = occurrence->activity;
      BbActivityReport *report = g_new0 (BbActivityReport, 1);
      g_autofree char *date = time_to_date_iso (occurrence->start);
      g_autofree char *key = g_strconcat (activity->id, "\n", date, NULL);
      HoursSum *sum;

      report->activity_id = g_strdup (activity->id);
      report->start = g_date_time_ref (occurrence->start);
      report->end = g_date_time_ref (occurrence->end);
      report->title = g_strdup (activity->title);
      report->theme = g_strdup (activity->theme);
      report->location = g_strdup (activity->location);
      report->status = occurrence->status;
      report->cancel_reason = g_strdup (occurrence->cancel_reason);
      report->participants = occurrence->actual_participants;
      report->count_method = occurrence->count_method;
      report->expected_participants = activity->expected_participants;

      /* A single activity counts all its hours (opbouw the day before
       * included); a series only those on the date. */
      sum = g_hash_table_lookup (sums, activity->rrule[0] == '\0' ? activity->id : key);
      if (sum != NULL)
        {
          report->volunteer_minutes = sum->minutes;
          report->n_volunteers = sum->volunteers;
        }
      else if (occurrence->status != BB_ACTIVITY_STATUS_CANCELLED)
        {
          gpointer n;

          if (!g_hash_table_lookup_extended (assigned, activity->id, NULL, &n))
            {
              g_autoptr(GPtrArray) tasks = bb_programme_list_tasks (store, activity->id, error);
              g_autoptr(GHashTable) people = g_hash_table_new (g_str_hash, g_str_equal);

              if (tasks == NULL)
                {
                  bb_activity_report_free (report);
                  return NULL;
                }
              for (guint t = 0; t < tasks->len; t++)
                for (guint v = 0; v < bb_task_get_n_assigned (g_ptr_array_index (tasks, t)); v++)
                  g_hash_table_add (people, (gpointer) bb_task_get_volunteers (g_ptr_array_index (tasks, t))[v]);
              n = GUINT_TO_POINTER (g_hash_table_size (people));
              g_hash_table_insert (assigned, g_strdup (activity->id), n);
            }
          report->n_volunteers = GPOINTER_TO_UINT (n);
        }

      g_ptr_array_add (reports, report);
    }

  return g_steal_pointer (&reports);
}

void
bb_year_overview_free (BbYearOverview *overview)
{
  if (overview == NULL)
    return;
  g_clear_pointer (&overview->themes, g_ptr_array_unref);
  g_free (overview);
}

static void
theme_figures_free (BbThemeFigures *figures)
{
  g_free (figures->theme);
  g_free (figures);
}

static int
compare_theme_figures (gconstpointer a,
                       gconstpointer b)
{
  const BbThemeFigures *fa = *(BbThemeFigures **) a;
  const BbThemeFigures *fb = *(BbThemeFigures **) b;

  return g_utf8_collate (fa->theme, fb->theme);
}

BbYearOverview *
bb_programme_year_overview (BbStore  *store,
                            int       year,
                            GError  **error)
{
  g_autoptr(BbYearOverview) overview = g_new0 (BbYearOverview, 1);
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GHashTable) by_theme = g_hash_table_new (g_str_hash, g_str_equal);
  GDate from, to;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (year >= 1900 && year <= 2200, NULL);

  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  g_date_set_dmy (&from, 1, G_DATE_JANUARY, year);
  g_date_set_dmy (&to, 31, G_DATE_DECEMBER, year);

  reports = bb_programme_list_in_period (store, &from, &to, error);
  if (reports == NULL)
    return NULL;

  overview->year = year;
  overview->themes = g_ptr_array_new_with_free_func ((GDestroyNotify) theme_figures_free);

  for (guint i = 0; i < reports->len; i++)
    {
      BbActivityReport *report = g_ptr_array_index (reports, i);
      BbThemeFigures *figures = g_hash_table_lookup (by_theme, report->theme);

      if (figures == NULL)
        {
          figures = g_new0 (BbThemeFigures, 1);
          figures->theme = g_strdup (report->theme);
          g_ptr_array_add (overview->themes, figures);
          g_hash_table_insert (by_theme, figures->theme, figures);
        }

      switch (report->status)
        {
        case BB_ACTIVITY_STATUS_DONE:
          overview->held++;
          figures->held++;
          if (report->participants > 0)
            {
              overview->participants += report->participants;
              figures->participants += report->participants;
            }
          break;
        case BB_ACTIVITY_STATUS_CANCELLED:
          overview->cancelled++;
          figures->cancelled++;
          break;
        case BB_ACTIVITY_STATUS_PLANNED:
        case BB_ACTIVITY_STATUS_CONFIRMED:
        default:
          overview->planned++;
          break;
        }

      overview->volunteer_minutes += report->volunteer_minutes;
      figures->volunteer_minutes += report->volunteer_minutes;
    }

  g_ptr_array_sort (overview->themes, compare_theme_figures);
  return g_steal_pointer (&overview);
}
