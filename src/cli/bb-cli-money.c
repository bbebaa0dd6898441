/* SPDX-License-Identifier: GPL-3.0-or-later */

/* buurtboek-cli: subsidy list, ledger import, ledger list. */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "bb-bank-import.h"
#include "bb-budget.h"
#include "bb-cli.h"
#include "bb-ledger.h"
#include "bb-money.h"
#include "bb-subsidy.h"

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
}

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

/* subsidy list */

static gboolean
verb_subsidy_list (BbCli      *cli,
                   char     ***args,
                   GError    **error)
{
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON array with fixed English keys and amounts in cents"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) subsidies = NULL;
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
  if (store == NULL)
    return FALSE;
  subsidies = bb_subsidy_list (store, error);
  if (subsidies == NULL)
    return FALSE;

  json_builder_begin_array (builder);
  for (guint i = 0; i < subsidies->len; i++)
    {
      BbSubsidy *subsidy = g_ptr_array_index (subsidies, i);
      g_autoptr(BbBudgetActual) actual = bb_budget_actual_compute (store, subsidy->id, error);
      g_autofree char *deadline = bb_subsidy_compute_deadline (store, subsidy);
      BbReportContent content = bb_subsidy_get_required_content (store, subsidy);

      if (actual == NULL)
        return FALSE;

      if (json)
        {
          json_builder_begin_object (builder);
          add_string (builder, "id", subsidy->id);
          add_string (builder, "grantor", subsidy->grantor);
          add_string (builder, "scheme", subsidy->scheme);
          add_string (builder, "beschikking_number", subsidy->beschikking_number);
          add_string (builder, "beschikking_date", *subsidy->beschikking_date ? subsidy->beschikking_date : NULL);
          add_string (builder, "period_start", subsidy->period_start);
          add_string (builder, "period_end", subsidy->period_end);
          add_int (builder, "requested_cents", subsidy->requested_cents);
          add_int (builder, "granted_cents", subsidy->granted_cents);
          add_int (builder, "advances_cents", actual->advances_cents);
          add_string (builder, "ruleset_id", subsidy->ruleset_id);
          add_string (builder, "required_content", bb_report_content_to_string (content));
          add_string (builder, "deadline", deadline);
          add_int (builder, "planned_expense_cents", actual->planned_expense_cents);
          add_int (builder, "actual_expense_cents", actual->actual_expense_cents);
          add_int (builder, "payback_cents", actual->payback_cents);
          add_int (builder, "explanations_missing", actual->n_explanations_missing);
          json_builder_end_object (builder);
        }
      else
        {
          g_autofree char *granted = bb_money_format (subsidy->granted_cents);
          g_autofree char *spent = bb_money_format (actual->actual_expense_cents);
          g_autofree char *payback = bb_money_format (actual->payback_cents);

          g_print ("%s  %s %s\n", subsidy->id, subsidy->grantor, subsidy->scheme);
          g_print ("  %s %s – %s\n", _("Period:"), subsidy->period_start, subsidy->period_end);
          g_print ("  %s %s; %s %s; %s %s\n", _("Granted:"), granted, _("spent:"), spent,
                   _("to pay back:"), payback);
          g_print ("  %s %s (%s %s)\n", _("Report:"), bb_report_content_get_label (content),
                   _("deadline"), deadline ? deadline : "?");
        }
    }
  json_builder_end_array (builder);

  if (json)
    print_json (builder);
  else if (subsidies->len == 0)
    g_print ("%s\n", _("No subsidies."));

  return bb_cli_close_store (store, error);
}

/* ledger import */

static gboolean
verb_ledger_import (BbCli      *cli,
                    char     ***args,
                    GError    **error)
{
  g_autofree char *file = NULL;
  gboolean suggested = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "suggested", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &suggested,
      N_("Book each transaction on the post its counterparty was booked on before"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbBankStatement) statement = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GFile) input = NULL;
  const char *statement_path = NULL;
  const char *path;
  guint added = 0, skipped = 0, n_suggested = 0;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("FILE"), &statement_path, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;

  input = g_file_new_for_commandline_arg (statement_path);
  data = g_file_load_bytes (input, NULL, NULL, error);
  if (data == NULL)
    return FALSE;
  statement = bb_bank_statement_parse (data, statement_path, error);
  if (statement == NULL)
    return FALSE;

  store = bb_cli_open_writable (cli, path, error);
  if (store == NULL)
    return FALSE;
  if (!bb_bank_statement_prepare (statement, store, error))
    return FALSE;

  for (guint i = 0; i < statement->entries->len; i++)
    {
      BbBankEntry *entry = g_ptr_array_index (statement->entries, i);

      if (entry->suggested_post_id != NULL)
        n_suggested++;
      if (!suggested)
        g_clear_pointer (&entry->suggested_post_id, g_free);
    }

  if (!bb_bank_statement_import (statement, store, &added, &skipped, error))
    return FALSE;

  for (guint i = 0; i < statement->warnings->len; i++)
    g_printerr ("%s\n", (const char *)g_ptr_array_index (statement->warnings, i));
  g_print (g_dngettext (GETTEXT_PACKAGE, "%s: added %u transaction", "%s: added %u transactions", added),
           bb_bank_format_get_label (statement->format), added);
  g_print (g_dngettext (GETTEXT_PACKAGE, ", skipped %u already in the ledger.\n",
                        ", skipped %u already in the ledger.\n", skipped), skipped);
  if (n_suggested > 0)
    {
      if (suggested)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%u transaction was booked on its suggested post.\n",
                              "%u transactions were booked on their suggested posts.\n", n_suggested),
                 n_suggested);
      else
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "%u transaction has a suggested post; import with --suggested to book it.\n",
                              "%u transactions have a suggested post; import with --suggested to book them.\n",
                              n_suggested), n_suggested);
    }

  return bb_cli_close_store (store, error);
}

/* ledger list */

static GHashTable *
post_names (BbStore  *store,
            GError  **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) subsidies = bb_subsidy_list (store, error);

  if (subsidies == NULL)
    return NULL;
  for (guint i = 0; i < subsidies->len; i++)
    {
      g_autoptr(GPtrArray) posts = bb_budget_list_posts (store, ((BbSubsidy *)g_ptr_array_index (subsidies, i))->id, error);

      if (posts == NULL)
        return NULL;
      for (guint p = 0; p < posts->len; p++)
        {
          BbBudgetPost *post = g_ptr_array_index (posts, p);
          g_hash_table_insert (names, g_strdup (post->id), g_strdup (post->name));
        }
    }
  return g_steal_pointer (&names);
}

static gboolean
verb_ledger_list (BbCli      *cli,
                  char     ***args,
                  GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE;
  gboolean missing = FALSE;
  int year = 0;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON array; amounts as signed integer cents in amount_cents"), NULL },
    { "year", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &year,
      N_("Only transactions dated in this year"), N_("YEAR") },
    { "search", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &search,
      N_("Only transactions whose description, counterparty or IBAN contains TEXT"), N_("TEXT") },
    { "missing-receipts", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &missing,
      N_("Only transactions without a receipt"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) transactions = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BbLedgerFilter filter = BB_LEDGER_FILTER_INIT;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;
  if (year != 0 && (year < 1900 || year > 9999))
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("--year must be a year such as 2025, not %d"), year);
      return FALSE;
    }

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;
  names = post_names (store, error);
  if (names == NULL)
    return FALSE;

  filter.year = year;
  filter.search = search;
  filter.missing_receipt = missing;
  transactions = bb_ledger_query (store, &filter, error);
  if (transactions == NULL)
    return FALSE;

  json_builder_begin_array (builder);
  for (guint i = 0; i < transactions->len; i++)
    {
      BbTransaction *t = g_ptr_array_index (transactions, i);

      if (json)
        {
          json_builder_begin_object (builder);
          add_string (builder, "id", t->id);
          add_string (builder, "date", t->date);
          add_int (builder, "amount_cents", t->amount_cents);
          add_string (builder, "description", t->description);
          add_string (builder, "counterparty", t->counterparty);
          add_string (builder, "counterparty_iban", t->counterparty_iban);
          add_string (builder, "account", bb_account_to_string (t->account));
          add_string (builder, "activity_id", t->activity_id);
          add_string (builder, "volunteer_id", t->volunteer_id);
          add_string (builder, "bank_reference", t->bank_reference);
          add_int (builder, "receipts", t->n_receipts);
          json_builder_set_member_name (builder, "splits");
          json_builder_begin_array (builder);
          for (guint s = 0; s < t->splits->len; s++)
            {
              const BbSplit *split = &g_array_index (t->splits, BbSplit, s);

              json_builder_begin_object (builder);
              add_string (builder, "post_id", split->post_id);
              add_string (builder, "post", split->post_id ? g_hash_table_lookup (names, split->post_id) : NULL);
              add_int (builder, "amount_cents", split->amount_cents);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      else
        {
          g_autofree char *amount = bb_money_format (t->amount_cents);
          const char *post = t->splits->len == 1 && g_array_index (t->splits, BbSplit, 0).post_id
                             ? g_hash_table_lookup (names, g_array_index (t->splits, BbSplit, 0).post_id)
                             : t->splits->len > 1 ? _("(split)") : "";

          g_print ("%s  %14s  %-4s  %-28.28s  %-32.32s  %s%s\n", t->date, amount,
                   bb_account_get_label (t->account), t->counterparty, t->description,
                   post ? post : "", t->n_receipts > 0 ? "" : _("  [no receipt]"));
        }
    }
  json_builder_end_array (builder);

  if (json)
    print_json (builder);
  else if (transactions->len == 0)
    g_print ("%s\n", _("No transactions."));

  return bb_cli_close_store (store, error);
}

const BbCliVerb bb_cli_money_verbs[BB_CLI_MONEY_N_VERBS] = {
  { "subsidy list", NULL,
    N_("List the subsidies with their deadline, required report and pay-back"),
    N_("The file is opened read-only."),
    verb_subsidy_list },
  { "ledger import", N_("FILE"),
    N_("Import a bank statement (CAMT.053, or the CSV export of ING, Rabobank or ABN AMRO)"),
    N_("Transactions already in the ledger are skipped, so importing the same "
       "statement twice adds nothing. All or nothing: on any error nothing is imported."),
    verb_ledger_import },
  { "ledger list", NULL,
    N_("List the transactions of the ledger"),
    N_("The file is opened read-only."),
    verb_ledger_list },
};
