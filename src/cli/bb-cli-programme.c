/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bb-activity.h"
#include "bb-cli.h"
#include "bb-programme-ics.h"

/* --year: 0 when not given. */
static gboolean
check_year (int       year,
            gboolean  required,
            GError  **error)
{
  if (year == 0 && !required)
    return TRUE;
  if (year == 0)
    return bb_cli_require_option (NULL, "--year", error);
  if (year < 1900 || year > 2200)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   /* Translators: %d is the year the user typed */
                   _("The year %d is out of range (1900 to 2200)."), year);
      return FALSE;
    }
  return TRUE;
}

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value);
}

static char *
occurrences_to_json (GPtrArray *occurrences)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < occurrences->len; i++)
    {
      BbOccurrence *occurrence = g_ptr_array_index (occurrences, i);
      BbActivity *activity = bb_occurrence_get_activity (occurrence);
      g_autofree char *start = bb_programme_time_to_string (bb_occurrence_get_start (occurrence));
      g_autofree char *end = bb_programme_time_to_string (bb_occurrence_get_end (occurrence));

      json_builder_begin_object (builder);
      add_string (builder, "activity_id", bb_activity_get_id (activity));
      add_string (builder, "title", bb_activity_get_title (activity));
      add_string (builder, "theme", bb_activity_get_theme (activity));
      add_string (builder, "start", start);
      add_string (builder, "end", end);
      json_builder_set_member_name (builder, "all_day");
      json_builder_add_boolean_value (builder, bb_activity_get_all_day (activity));
      add_string (builder, "location", bb_activity_get_location (activity));
      add_string (builder, "status", bb_activity_status_to_string (bb_occurrence_get_status (occurrence)));
      add_string (builder, "cancel_reason", bb_occurrence_get_cancel_reason (occurrence));
      json_builder_set_member_name (builder, "expected_participants");
      json_builder_add_int_value (builder, bb_activity_get_expected_participants (activity));
      json_builder_set_member_name (builder, "participants");
      if (bb_occurrence_get_actual_participants (occurrence) >= 0)
        json_builder_add_int_value (builder, bb_occurrence_get_actual_participants (occurrence));
      else
        json_builder_add_null_value (builder);
      add_string (builder, "count_method", bb_count_method_to_string (bb_occurrence_get_count_method (occurrence)));
      add_string (builder, "rrule", bb_activity_get_rrule (activity));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

static gboolean
verb_programme_list (BbCli      *cli,
                     char     ***args,
                     GError    **error)
{
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  int year = 0;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print JSON"), NULL },
    { "year", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &year,
      N_("The year to list (default: this year)"), N_("YEAR") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error) || !check_year (year, FALSE, error))
    return FALSE;
  if (year == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (bb_programme_get_timezone ());

      year = g_date_time_get_year (now);
    }

  path = bb_cli_council_file (cli, file, error);
  if (path == NULL)
    return FALSE;
  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;

  from = bb_programme_time_new (year, 1, 1, 0, 0);
  to = bb_programme_time_new (year + 1, 1, 1, 0, 0);
  occurrences = bb_programme_list_occurrences (store, from, to, error);
  if (occurrences == NULL)
    return FALSE;

  if (json)
    {
      g_autofree char *text = occurrences_to_json (occurrences);

      g_print ("%s\n", text);
    }
  else
    {
      for (guint i = 0; i < occurrences->len; i++)
        {
          BbOccurrence *occurrence = g_ptr_array_index (occurrences, i);
          BbActivity *activity = bb_occurrence_get_activity (occurrence);
          g_autoptr(GDateTime) start = g_date_time_to_timezone (bb_occurrence_get_start (occurrence),
                                                                bb_programme_get_timezone ());
          g_autofree char *date = g_date_time_format (start, "%Y-%m-%d");
          g_autofree char *time = bb_programme_format_time_range (start, bb_occurrence_get_end (occurrence),
                                                                  bb_activity_get_all_day (activity));
          BbActivityStatus status = bb_occurrence_get_status (occurrence);

          g_print ("%s  %-11s  %-10s  %s", date, time, bb_activity_status_get_label (status),
                   bb_activity_get_title (activity));
          if (bb_activity_get_location (activity)[0] != '\0')
            g_print (" — %s", bb_activity_get_location (activity));
          if (status == BB_ACTIVITY_STATUS_CANCELLED && bb_occurrence_get_cancel_reason (occurrence)[0] != '\0')
            g_print (" (%s)", bb_occurrence_get_cancel_reason (occurrence));
          g_print ("\n");
        }
      if (occurrences->len == 0)
        /* Translators: %d is a year */
        g_print (_("No activities in %d.\n"), year);
    }

  return bb_cli_close_store (store, error);
}

typedef gboolean (*ProgrammeWriter) (BbStore     *store,
                                     int          year,
                                     const char  *path,
                                     GError     **error);

static gboolean
export_programme (BbCli            *cli,
                  char           ***args,
                  gboolean          year_required,
                  ProgrammeWriter   write,
                  GError          **error)
{
  g_autofree char *file = NULL;
  gboolean force = FALSE;
  gboolean help = FALSE;
  int year = 0;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "year", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &year,
      N_("Only this year"), N_("YEAR") },
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(BbCliOutput) out = { 0 };
  g_autoptr(BbStore) store = NULL;
  g_autofree char *shown = NULL;
  const char *dest = NULL;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("OUT"), &dest, error) ||
      !check_year (year, year_required, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;

  if (!bb_cli_refuse_same_file (path, dest, error) ||
      !bb_cli_output_begin (&out, dest, force, error))
    return FALSE;

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL ||
      !write (store, year, out.target, error) ||
      !bb_cli_output_commit (&out, error) ||
      !bb_cli_close_store (store, error))
    return FALSE;

  shown = bb_cli_display_path (dest);
  /* Translators: %s is a file name */
  g_print (_("Wrote the programme to %s\n"), shown);
  return TRUE;
}

static gboolean
verb_programme_export_ics (BbCli      *cli,
                           char     ***args,
                           GError    **error)
{
  return export_programme (cli, args, FALSE, bb_programme_ics_write, error);
}

static gboolean
verb_programme_export_pdf (BbCli      *cli,
                           char     ***args,
                           GError    **error)
{
  return export_programme (cli, args, TRUE, bb_programme_pdf_write, error);
}

const BbCliVerb bb_cli_programme_verbs[BB_CLI_PROGRAMME_N_VERBS] = {
  { "programme list", NULL,
    N_("List the activities of a year"),
    N_("Every date of the year, series expanded, cancelled ones with their reason."),
    verb_programme_list },
  { "programme export-ics", N_("OUT"),
    N_("Write the programme as an iCalendar file"),
    N_("RFC 5545, for any calendar program; without --year every activity."),
    verb_programme_export_ics },
  { "programme export-pdf", N_("OUT"),
    N_("Write the one-page year programme as PDF"),
    N_("A4, by month, for the wijkkrant."),
    verb_programme_export_pdf },
};
