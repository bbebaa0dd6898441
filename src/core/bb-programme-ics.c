/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <libical/ical.h>

#include "bb-activity.h"
#include "bb-date.h"
#include "bb-pdf.h"
#include "bb-programme-ics.h"
#include "bb-store-private.h"

/* Europe/Amsterdam by the EU rules in force since 1996. A fixed text
 * rather than libical's generated zone, so the file is the same on every
 * machine and small. */
static const char vtimezone_text[] =
  "BEGIN:VTIMEZONE\r\n"
  "TZID:" BB_PROGRAMME_TIMEZONE "\r\n"
  "BEGIN:DAYLIGHT\r\n"
  "TZOFFSETFROM:+0100\r\n"
  "TZOFFSETTO:+0200\r\n"
  "TZNAME:CEST\r\n"
  "DTSTART:19700329T020000\r\n"
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
  "END:DAYLIGHT\r\n"
  "BEGIN:STANDARD\r\n"
  "TZOFFSETFROM:+0200\r\n"
  "TZOFFSETTO:+0100\r\n"
  "TZNAME:CET\r\n"
  "DTSTART:19701025T030000\r\n"
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
  "END:STANDARD\r\n"
  "END:VTIMEZONE\r\n";

static struct icaltimetype
to_ical_time (GDateTime *time,
              gboolean   is_date)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, bb_programme_get_timezone ());
  struct icaltimetype t = icaltime_null_time ();

  t.year = g_date_time_get_year (local);
  t.month = g_date_time_get_month (local);
  t.day = g_date_time_get_day_of_month (local);
  t.is_date = is_date ? 1 : 0;
  if (!is_date)
    {
      t.hour = g_date_time_get_hour (local);
      t.minute = g_date_time_get_minute (local);
    }
  return t;
}

/* A local time with TZID=Europe/Amsterdam (a date for all-day events). */
static icalproperty *
with_tzid (icalproperty *prop,
           gboolean      is_date)
{
  if (!is_date)
    icalproperty_add_parameter (prop, icalparameter_new_tzid (BB_PROGRAMME_TIMEZONE));
  return prop;
}

static icalproperty_status
ical_status (BbActivityStatus status)
{
  switch (status)
    {
    case BB_ACTIVITY_STATUS_CANCELLED:
      return ICAL_STATUS_CANCELLED;
    case BB_ACTIVITY_STATUS_CONFIRMED:
    case BB_ACTIVITY_STATUS_DONE:
      return ICAL_STATUS_CONFIRMED;
    case BB_ACTIVITY_STATUS_PLANNED:
    default:
      return ICAL_STATUS_TENTATIVE;
    }
}

static void
add_times (icalcomponent *event,
           BbActivity    *activity,
           GDateTime     *start,
           GDateTime     *end)
{
  gboolean all_day = bb_activity_get_all_day (activity);

  icalcomponent_add_property (event, with_tzid (icalproperty_new_dtstart (to_ical_time (start, all_day)),
                                                all_day));
  if (all_day)
    {
      /* DTEND of an all-day event is the day after the last one. */
      g_autoptr(GDateTime) after = g_date_time_add_days (end, 1);

      icalcomponent_add_property (event, icalproperty_new_dtend (to_ical_time (after, TRUE)));
    }
  else
    icalcomponent_add_property (event, with_tzid (icalproperty_new_dtend (to_ical_time (end, FALSE)),
                                                  FALSE));
}

static icalcomponent *
new_event (BbActivity           *activity,
           struct icaltimetype   stamp,
           BbActivityStatus      status)
{
  icalcomponent *event = icalcomponent_new (ICAL_VEVENT_COMPONENT);
  g_autofree char *uid = g_strconcat (bb_activity_get_id (activity), "@buurtboek", NULL);
  GString *description = g_string_new (bb_activity_get_description (activity));

  if (bb_activity_get_target_group (activity)[0] != '\0')
    g_string_append_printf (description, "%s%s: %s", description->len > 0 ? "\n\n" : "",
                            _("Target group"), bb_activity_get_target_group (activity));
  if (bb_activity_get_partners (activity)[0] != '\0')
    g_string_append_printf (description, "%s%s: %s", description->len > 0 ? "\n" : "",
                            _("Partners"), bb_activity_get_partners (activity));

  icalcomponent_add_property (event, icalproperty_new_uid (uid));
  icalcomponent_add_property (event, icalproperty_new_dtstamp (stamp));
  icalcomponent_add_property (event, icalproperty_new_summary (bb_activity_get_title (activity)));
  if (description->len > 0)
    icalcomponent_add_property (event, icalproperty_new_description (description->str));
  if (bb_activity_get_location (activity)[0] != '\0')
    icalcomponent_add_property (event, icalproperty_new_location (bb_activity_get_location (activity)));
  if (bb_activity_get_theme (activity)[0] != '\0')
    icalcomponent_add_property (event, icalproperty_new_categories (bb_activity_get_theme (activity)));
  icalcomponent_add_property (event, icalproperty_new_status (ical_status (status)));
  icalcomponent_add_property (event, icalproperty_new_transp (ICAL_TRANSP_OPAQUE));

  g_string_free (description, TRUE);
  return event;
}

static gboolean
add_activity (icalcomponent        *calendar,
              BbStore              *store,
              BbActivity           *activity,
              struct icaltimetype   stamp,
              GError              **error)
{
  icalcomponent *event = new_event (activity, stamp, bb_activity_get_status (activity));
  g_autoptr(GPtrArray) changed = NULL;
  gboolean all_day = bb_activity_get_all_day (activity);

  add_times (event, activity, bb_activity_get_start (activity), bb_activity_get_end (activity));
  icalcomponent_add_component (calendar, event);

  if (!bb_activity_is_recurring (activity))
    return TRUE;

  {
    struct icalrecurrencetype rule = icalrecurrencetype_from_string (bb_activity_get_rrule (activity));

    icalcomponent_add_property (event, icalproperty_new_rrule (rule));
  }

  changed = bb_programme_list_changed_occurrences (store, bb_activity_get_id (activity), error);
  if (changed == NULL)
    return FALSE;

  for (guint i = 0; i < changed->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (changed, i);
      struct icaltimetype rid = to_ical_time (bb_occurrence_get_recurrence_id (occurrence), all_day);
      icalcomponent *override;

      if (bb_occurrence_get_status (occurrence) == BB_ACTIVITY_STATUS_CANCELLED)
        {
          icalcomponent_add_property (event, with_tzid (icalproperty_new_exdate (rid), all_day));
          continue;
        }

      override = new_event (activity, stamp, bb_occurrence_get_status (occurrence));
      icalcomponent_add_property (override, with_tzid (icalproperty_new_recurrenceid (rid), all_day));
      add_times (override, activity, bb_occurrence_get_start (occurrence), bb_occurrence_get_end (occurrence));
      icalcomponent_add_component (calendar, override);
    }

  return TRUE;
}

static gboolean
in_year (BbActivity *activity,
         int         year)
{
  g_autoptr(GDateTime) from = bb_programme_time_new (year, 1, 1, 0, 0);
  g_autoptr(GDateTime) to = bb_programme_time_new (year + 1, 1, 1, 0, 0);
  g_autoptr(GPtrArray) dates = bb_activity_expand (activity, from, to, NULL);

  return dates != NULL && dates->len > 0;
}

char *
bb_programme_ics_build (BbStore  *store,
                        int       year,
                        GError  **error)
{
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autofree char *prodid = NULL;
  icalcomponent *calendar;
  icalcomponent *zone;
  struct icaltimetype stamp;
  char *text;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (year == 0 || (year >= 1900 && year <= 2200), NULL);

  activities = bb_programme_list_activities (store, error);
  if (activities == NULL)
    return NULL;
  council = bb_store_dup_council (store);

  stamp = icaltime_current_time_with_zone (icaltimezone_get_utc_timezone ());
  prodid = g_strdup_printf ("-//Buurtboek//Buurtboek %s//NL", PACKAGE_VERSION);

  calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  icalcomponent_add_property (calendar, icalproperty_new_prodid (prodid));
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));
  icalcomponent_add_property (calendar, icalproperty_new_method (ICAL_METHOD_PUBLISH));
  if (council != NULL)
    {
      icalproperty *name = icalproperty_new_x (bb_council_get_name (council));

      icalproperty_set_x_name (name, "X-WR-CALNAME");
      icalcomponent_add_property (calendar, name);
    }

  zone = icalcomponent_new_from_string (vtimezone_text);
  g_assert (zone != NULL);
  icalcomponent_add_component (calendar, zone);

  for (guint i = 0; i < activities->len; i++)
    {
      BbActivity *activity = g_ptr_array_index (activities, i);

      if (year != 0 && !in_year (activity, year))
        continue;
      if (!add_activity (calendar, store, activity, stamp, error))
        {
          icalcomponent_free (calendar);
          return NULL;
        }
    }

  text = icalcomponent_as_ical_string_r (calendar);
  icalcomponent_free (calendar);
  return text;
}

static gboolean
write_atomically (const char  *path,
                  const char  *contents,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   /* Translators: the first %s is a file name, the second the reason */
                   _("Could not write “%s”: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
bb_programme_ics_write (BbStore     *store,
                        int          year,
                        const char  *path,
                        GError     **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  text = bb_programme_ics_build (store, year, error);
  if (text == NULL)
    return FALSE;
  return write_atomically (path, text, strlen (text), error);
}

/* ---- The printed year programme ---- */

gboolean
bb_programme_pdf_write (BbStore     *store,
                        int          year,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(BbPdfDocument) document = NULL;
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autofree char *title = NULL;
  int month = 0;
  const BbPdfColumn columns[] = {
    { NULL, 1.3, BB_PDF_ALIGN_LEFT, TRUE },
    { NULL, 1.2, BB_PDF_ALIGN_LEFT, TRUE },
    { NULL, 3.5, BB_PDF_ALIGN_LEFT, TRUE },
    { NULL, 2.5, BB_PDF_ALIGN_LEFT, TRUE },
  };

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (year >= 1900 && year <= 2200, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  from = bb_programme_time_new (year, 1, 1, 0, 0);
  to = bb_programme_time_new (year + 1, 1, 1, 0, 0);
  occurrences = bb_programme_list_occurrences (store, from, to, error);
  if (occurrences == NULL)
    return FALSE;
  council = bb_store_dup_council (store);

  /* Translators: title of the printed programme; %1$s the council, %2$d the year */
  title = g_strdup_printf (_("%1$s: programme %2$d"), bb_council_get_name (council), year);

  document = bb_pdf_document_new ();
  bb_pdf_document_set_title (document, title);
  bb_pdf_document_set_author (document, bb_council_get_name (council));
  bb_pdf_document_add_title (document, title);

  bb_pdf_document_begin_table (document, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < occurrences->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (occurrences, i);
      BbActivity *activity = bb_occurrence_get_activity (occurrence);
      GDateTime *start = bb_occurrence_get_start (occurrence);
      g_autofree char *date = NULL;
      g_autofree char *time = NULL;

      /* The wijkkrant announces what will happen. */
      if (bb_occurrence_get_status (occurrence) == BB_ACTIVITY_STATUS_CANCELLED)
        continue;

      if (g_date_time_get_month (start) != month)
        {
          month = g_date_time_get_month (start);
          bb_pdf_document_add_row_cells (document, BB_PDF_ROW_BOLD | BB_PDF_ROW_SHADED |
                                         BB_PDF_ROW_KEEP_WITH_NEXT,
                                         bb_programme_month_name (month), "", "", "");
        }

      date = bb_programme_format_short_date (start);
      time = bb_programme_format_time_range (start, bb_occurrence_get_end (occurrence),
                                             bb_activity_get_all_day (activity));
      bb_pdf_document_add_row_cells (document, BB_PDF_ROW_NORMAL, date, time,
                                     bb_activity_get_title (activity),
                                     bb_activity_get_location (activity));
    }
  bb_pdf_document_end_table (document);

  if (month == 0)
    bb_pdf_document_add_paragraph (document, _("No activities are planned for this year yet."));

  return bb_pdf_document_write (document, path, error);
}
