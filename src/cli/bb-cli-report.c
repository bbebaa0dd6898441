/* SPDX-License-Identifier: GPL-3.0-or-later */

/* buurtboek-cli: report (the verantwoording of a subsidy). */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "bb-cli.h"
#include "bb-verantwoording.h"

static gboolean
verb_report (BbCli      *cli,
             char     ***args,
             GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *dest = NULL;
  gboolean force = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "format", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &format_name,
      N_("pdf, csv (the financial part), xlsx (the financial part) or json"), N_("FORMAT") },
    { "output", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &dest,
      N_("Where to write the report"), N_("OUT") },
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(BbCliOutput) out = { 0 };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbVerantwoording) report = NULL;
  g_auto(GStrv) missing = NULL;
  g_autofree char *shown = NULL;
  BbVerantwoordingFormat format;
  const char *subsidy_id = NULL;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("SUBSIDY_ID"), &subsidy_id, error) ||
      !bb_cli_require_option (format_name, "--format", error) ||
      !bb_cli_require_option (dest, "--output", error))
    return FALSE;
  if (!bb_verantwoording_format_from_string (format_name, &format))
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   /* Translators: %s is what the user typed after --format */
                   _("Unknown report format “%s”: use pdf, csv, xlsx or json"), format_name);
      return FALSE;
    }
  if ((path = bb_cli_council_file (cli, file, error)) == NULL ||
      !bb_cli_refuse_same_file (path, dest, error) ||
      !bb_cli_output_begin (&out, dest, force, error))
    return FALSE;

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;
  report = bb_verantwoording_build (store, subsidy_id, error);
  if (report == NULL ||
      !bb_verantwoording_write (report, format, out.target, error) ||
      !bb_cli_output_commit (&out, error) ||
      !bb_cli_close_store (store, error))
    return FALSE;

  /* Written all the same: the warnings tell what to complete before the
   * report goes to the grantor. */
  missing = bb_verantwoording_describe_missing (report);
  if (missing[0] != NULL)
    {
      guint n = g_strv_length (missing);

      g_printerr (ngettext ("Warning: %u thing is missing from the report:\n",
                            "Warning: %u things are missing from the report:\n", n), n);
      for (guint i = 0; missing[i] != NULL; i++)
        g_printerr ("  %s\n", missing[i]);
    }

  shown = bb_cli_display_path (dest);
  /* Translators: %s is a file name */
  g_print (_("Wrote the report to %s\n"), shown);
  return TRUE;
}

const BbCliVerb bb_cli_report_verbs[BB_CLI_REPORT_N_VERBS] = {
  { "report", N_("SUBSIDY_ID"),
    N_("Write the verantwoording (subsidy report) of a subsidy"),
    N_("The whole report as PDF or JSON (amounts in cents), or its financial part as "
       "CSV or XLSX. What is still missing (explanations, receipts, participants) is "
       "listed on stderr; the report is written all the same."),
    verb_report },
};
