/* SPDX-License-Identifier: GPL-3.0-or-later */

/* buurtboek-cli: volunteer import-csv, export-csv, inzage, erase, list;
 * hours report. */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bb-cli.h"
#include "bb-hours.h"
#include "bb-volunteer.h"
#include "bb-volunteer-import.h"
#include "bb-volunteer-inzage.h"

#define FILE_ENTRY(var) \
  { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &var, \
    N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") }

/* Writes @text to @dest through the CLI's safe output procedure. */
static gboolean
write_output (const char  *dest,
              const char  *text,
              gboolean     force,
              GError     **error)
{
  g_auto(BbCliOutput) out = { 0 };

  return bb_cli_output_begin (&out, dest, force, error) &&
         g_file_set_contents (out.target, text, -1, error) &&
         bb_cli_output_commit (&out, error);
}

/* volunteer import-csv */

static gboolean
verb_import_csv (BbCli      *cli,
                 char     ***args,
                 GError    **error)
{
  g_autofree char *file = NULL;
  g_auto(GStrv) maps = NULL;
  gboolean dry_run = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    FILE_ENTRY (file),
    { "map", 'm', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Read column COL as FIELD (first_name, last_name, full_name, email, phone, …; ignore); repeatable"),
      N_("COL=FIELD") },
    { "dry-run", 'n', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &dry_run,
      N_("Show what would be imported and the problems, change nothing"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbVolunteerImport) import = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) source = NULL;
  GPtrArray *valid;
  GPtrArray *problems;
  const char *csv = NULL;
  const char *path;
  guint imported = 0;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("FILE"), &csv, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;

  source = g_file_new_for_commandline_arg (csv);
  bytes = g_file_load_bytes (source, NULL, NULL, error);
  if (bytes == NULL)
    return FALSE;
  import = bb_volunteer_import_new (bytes, error);
  if (import == NULL)
    return FALSE;
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    if (!bb_volunteer_import_map (import, maps[i], error))
      return FALSE;

  store = dry_run ? bb_cli_open_read_only (cli, path, error) : bb_cli_open_writable (cli, path, error);
  if (store == NULL || !bb_volunteer_import_prepare (import, store, error))
    return FALSE;

  /* Translators: the columns of a CSV file and the fields they are read as */
  g_print ("%s\n", _("Columns:"));
  for (guint i = 0; i < bb_volunteer_import_get_n_columns (import); i++)
    g_print ("  %s → %s\n", bb_volunteer_import_get_header (import, i),
             bb_volunteer_field_to_string (bb_volunteer_import_get_mapping (import, i)));

  valid = bb_volunteer_import_get_valid (import);
  problems = bb_volunteer_import_get_problems (import);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", ((BbImportProblem *) problems->pdata[i])->message);

  if (dry_run)
    {
      for (guint i = 0; i < valid->len; i++)
        g_print ("%u\t%s\t%s\n", bb_volunteer_import_get_line (import, i),
                 bb_volunteer_get_display_name (valid->pdata[i]),
                 bb_volunteer_get_email (valid->pdata[i]));
      g_print (ngettext ("%u volunteer would be imported, ", "%u volunteers would be imported, ", valid->len),
               valid->len);
      g_print (ngettext ("%u line has a problem.\n", "%u lines have problems.\n", problems->len), problems->len);
      return bb_cli_close_store (store, error);
    }

  if (!bb_volunteer_import_commit (import, store, &imported, error))
    return FALSE;
  g_print (ngettext ("Imported %u volunteer", "Imported %u volunteers", imported), imported);
  g_print (ngettext ("; %u line skipped.\n", "; %u lines skipped.\n", problems->len), problems->len);
  return bb_cli_close_store (store, error);
}

/* volunteer export-csv */

static gboolean
verb_export_csv (BbCli      *cli,
                 char     ***args,
                 GError    **error)
{
  g_autofree char *file = NULL;
  gboolean force = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    FILE_ENTRY (file),
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force, N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *shown = NULL;
  const char *dest = NULL;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("OUT"), &dest, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL ||
      !bb_cli_refuse_same_file (path, dest, error))
    return FALSE;

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL || (csv = bb_volunteer_export_csv (store, error)) == NULL ||
      !write_output (dest, csv, force, error) ||
      !bb_cli_close_store (store, error))
    return FALSE;

  shown = bb_cli_display_path (dest);
  /* Translators: %s is a file name */
  g_print (_("Wrote the volunteers to %s\n"), shown);
  return TRUE;
}

/* volunteer inzage */

static gboolean
verb_inzage (BbCli      *cli,
             char     ***args,
             GError    **error)
{
  g_autofree char *file = NULL;
  gboolean force = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    FILE_ENTRY (file),
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force, N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  const char *id;
  const char *dest;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (g_strv_length (*args) != 3)
    {
      g_set_error_literal (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                           _("Give the volunteer’s id and the output file (.json or .html)."));
      return FALSE;
    }
  id = (*args)[1];
  dest = (*args)[2];
  if ((path = bb_cli_council_file (cli, file, error)) == NULL ||
      !bb_cli_refuse_same_file (path, dest, error))
    return FALSE;

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;
  text = g_str_has_suffix (dest, ".json") ? bb_volunteer_inzage_json (store, id, error)
                                          : bb_volunteer_inzage_html (store, id, error);
  if (text == NULL || !write_output (dest, text, force, error) || !bb_cli_close_store (store, error))
    return FALSE;

  shown = bb_cli_display_path (dest);
  /* Translators: %s is a file name */
  g_print (_("Wrote everything stored about the volunteer to %s\n"), shown);
  return TRUE;
}

/* volunteer erase */

static gboolean
verb_erase (BbCli      *cli,
            char     ***args,
            GError    **error)
{
  g_autofree char *file = NULL;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    FILE_ENTRY (file),
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbVolunteer) volunteer = NULL;
  const char *id = NULL;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("ID"), &id, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;

  store = bb_cli_open_writable (cli, path, error);
  if (store == NULL || (volunteer = bb_volunteer_get (store, id, error)) == NULL ||
      !bb_volunteer_erase (store, id, error) ||
      !bb_cli_close_store (store, error))
    return FALSE;

  /* Translators: %s is a volunteer's name */
  g_print (_("Erased the personal data of %s; their hours stay as anonymous hours.\n"),
           bb_volunteer_get_display_name (volunteer));
  return TRUE;
}

/* volunteer list */

static gboolean
verb_list (BbCli      *cli,
           char     ***args,
           GError    **error)
{
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    FILE_ENTRY (file),
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON array with fixed English keys"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL || (all = bb_volunteer_list_all (store, error)) == NULL)
    return FALSE;

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(BbVolunteer) v = g_list_model_get_item (all, i);

      if (json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, bb_volunteer_get_id (v));
          json_builder_set_member_name (builder, "first_name");
          json_builder_add_string_value (builder, bb_volunteer_get_first_name (v));
          json_builder_set_member_name (builder, "last_name");
          json_builder_add_string_value (builder, bb_volunteer_get_last_name (v));
          json_builder_set_member_name (builder, "email");
          json_builder_add_string_value (builder, bb_volunteer_get_email (v));
          json_builder_set_member_name (builder, "phone");
          json_builder_add_string_value (builder, bb_volunteer_get_phone (v));
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, bb_volunteer_status_to_string (bb_volunteer_get_status (v)));
          json_builder_set_member_name (builder, "skills");
          json_builder_begin_array (builder);
          for (const char * const *s = bb_volunteer_get_skills (v); *s != NULL; s++)
            json_builder_add_string_value (builder, *s);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      else
        g_print ("%s  %s  %s  %s\n", bb_volunteer_get_id (v), bb_volunteer_get_display_name (v),
                 bb_volunteer_get_email (v), bb_volunteer_status_get_label (bb_volunteer_get_status (v)));
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  return bb_cli_close_store (store, error);
}

/* hours report */

static gboolean
verb_hours_report (BbCli      *cli,
                   char     ***args,
                   GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *by = NULL;
  gboolean csv = FALSE;
  gboolean help = FALSE;
  int year = 0;
  GOptionEntry entries[] = {
    FILE_ENTRY (file),
    { "year", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &year, N_("The year (required)"), N_("YEAR") },
    { "by", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &by,
      N_("Group by volunteer (default), activity or month"), N_("GROUP") },
    { "csv", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &csv,
      N_("Print CSV (semicolons, decimal comma) for a spreadsheet"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  BbHoursGrouping grouping = BB_HOURS_BY_VOLUNTEER;
  gint64 total = 0;
  guint volunteers = 0;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;
  if (year == 0)
    {
      g_set_error_literal (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE, _("Give the year with --year."));
      return FALSE;
    }
  if (by == NULL || g_str_equal (by, "volunteer"))
    grouping = BB_HOURS_BY_VOLUNTEER;
  else if (g_str_equal (by, "activity"))
    grouping = BB_HOURS_BY_ACTIVITY;
  else if (g_str_equal (by, "month"))
    grouping = BB_HOURS_BY_MONTH;
  else
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("“%s” is not a grouping: use volunteer, activity or month."), by);
      return FALSE;
    }

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL || (rows = bb_hours_report (store, year, grouping, error)) == NULL ||
      !bb_hours_year_total (store, year, &total, &volunteers, error))
    return FALSE;

  if (csv)
    {
      g_autofree char *text = bb_hours_report_to_csv (rows, grouping);
      g_print ("%s", text);
    }
  else
    {
      g_autofree char *shown_total = bb_hours_format_minutes (total);

      for (guint i = 0; i < rows->len; i++)
        {
          BbHoursReportRow *row = rows->pdata[i];
          g_autofree char *hours = bb_hours_format_minutes (row->minutes);

          g_print ("%8s  %s\n", hours, row->label);
        }
      /* Translators: a total of hours ("12:30") and a number of volunteers */
      g_print (ngettext ("Total %s hours by %u volunteer in %d\n", "Total %s hours by %u volunteers in %d\n",
                         volunteers),
               shown_total, volunteers, year);
    }
  return bb_cli_close_store (store, error);
}

const BbCliVerb bb_cli_volunteer_verbs[BB_CLI_VOLUNTEER_N_VERBS] = {
  { "volunteer import-csv", N_("FILE"), N_("Import volunteers from a CSV spreadsheet"),
    N_("Comma or semicolon separated, UTF-8 or Windows-1252. Columns are recognised by their "
       "header (voornaam, achternaam, e-mail, telefoon, …); rows with problems are listed with "
       "their line number and skipped. The import is one transaction."),
    verb_import_csv },
  { "volunteer export-csv", N_("OUT"), N_("Write all volunteers as CSV, with their ids"), NULL, verb_export_csv },
  { "volunteer inzage", N_("ID OUT"), N_("Write everything stored about one volunteer (JSON or HTML)"),
    NULL, verb_inzage },
  { "volunteer erase", N_("ID"), N_("Erase a volunteer’s personal data, keeping their hours anonymous"),
    NULL, verb_erase },
  { "volunteer list", NULL, N_("List the volunteers"), NULL, verb_list },
  { "hours report", NULL, N_("Volunteer hours of a year per volunteer, activity or month"), NULL,
    verb_hours_report },
};
