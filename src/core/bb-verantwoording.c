/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "bb-activity.h"
#include "bb-budget.h"
#include "bb-council.h"
#include "bb-date.h"
#include "bb-handover-private.h"
#include "bb-hours.h"
#include "bb-money.h"
#include "bb-money-private.h"
#include "bb-subsidy.h"
#include "bb-verantwoording.h"
#include "bb-verantwoording-private.h"
#include "bb-volunteer-private.h"

G_DEFINE_QUARK (bb-verantwoording-error-quark, bb_verantwoording_error)

static const char * const format_names[] = {
  [BB_VERANTWOORDING_PDF] = "pdf",
  [BB_VERANTWOORDING_CSV] = "csv",
  [BB_VERANTWOORDING_XLSX] = "xlsx",
  [BB_VERANTWOORDING_JSON] = "json",
};

gboolean
bb_verantwoording_format_from_string (const char             *text,
                                      BbVerantwoordingFormat *out_format)
{
  g_return_val_if_fail (out_format != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (text, format_names[i]) == 0)
      {
        *out_format = i;
        return TRUE;
      }
  return FALSE;
}

const char *
bb_verantwoording_format_to_string (BbVerantwoordingFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

/* Freeing */

static void
activity_free (gpointer data)
{
  BbVerantwoordingActivity *activity = data;

  g_free (activity->date);
  g_free (activity->title);
  g_free (activity->cancel_reason);
  g_free (activity);
}

static void
entry_free (gpointer data)
{
  BbVerantwoordingEntry *entry = data;

  g_free (entry->transaction_id);
  g_free (entry->date);
  g_free (entry->description);
  g_free (entry);
}

static void
post_free (gpointer data)
{
  BbVerantwoordingPost *post = data;

  g_free (post->post_id);
  g_free (post->name);
  g_free (post->explanation);
  g_ptr_array_unref (post->entries);
  g_free (post);
}

static void
missing_free (gpointer data)
{
  BbVerantwoordingMissing *missing = data;

  g_free (missing->id);
  g_free (missing->what);
  g_free (missing->date);
  g_free (missing);
}

void
bb_verantwoording_free (BbVerantwoording *self)
{
  if (self == NULL)
    return;

  g_free (self->council_name);
  g_free (self->legal_form);
  g_free (self->kvk_number);
  g_free (self->iban);
  g_free (self->contact_name);
  g_free (self->contact_email);
  g_free (self->contact_phone);
  g_free (self->municipality);
  g_free (self->subsidy_id);
  g_free (self->grantor);
  g_free (self->scheme);
  g_free (self->beschikking_number);
  g_free (self->beschikking_date);
  g_free (self->period_start);
  g_free (self->period_end);
  g_free (self->deadline);
  g_clear_pointer (&self->advances, g_ptr_array_unref);
  g_clear_pointer (&self->activities, g_ptr_array_unref);
  g_free (self->goals);
  g_free (self->results);
  g_free (self->deviations);
  g_clear_pointer (&self->posts, g_ptr_array_unref);
  g_free (self->signing_place);
  g_clear_pointer (&self->missing, g_ptr_array_unref);
  g_free (self);
}

static void
add_missing (BbVerantwoording            *self,
             BbVerantwoordingMissingKind  kind,
             const char                  *id,
             const char                  *what,
             const char                  *date)
{
  BbVerantwoordingMissing *missing = g_new0 (BbVerantwoordingMissing, 1);

  missing->kind = kind;
  missing->id = g_strdup (id);
  missing->what = g_strdup (what);
  missing->date = g_strdup (date != NULL ? date : "");
  g_ptr_array_add (self->missing, missing);
}

/* Texts */

gboolean
bb_verantwoording_load_texts (BbStore     *store,
                              const char  *subsidy_id,
                              char       **out_goals,
                              char       **out_results,
                              char       **out_deviations,
                              char       **out_signing_place,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (subsidy_id != NULL, FALSE);

  stmt = bb_store_prepare (store,
                           "SELECT goals, results, deviations, signing_place"
                           " FROM report_text WHERE subsidy_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, subsidy_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc,
                                 _("Could not read the texts of the report"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (out_goals != NULL)
    *out_goals = g_strdup (rc == SQLITE_ROW ? bb_money_column_text (stmt, 0) : "");
  if (out_results != NULL)
    *out_results = g_strdup (rc == SQLITE_ROW ? bb_money_column_text (stmt, 1) : "");
  if (out_deviations != NULL)
    *out_deviations = g_strdup (rc == SQLITE_ROW ? bb_money_column_text (stmt, 2) : "");
  if (out_signing_place != NULL)
    *out_signing_place = g_strdup (rc == SQLITE_ROW ? bb_money_column_text (stmt, 3) : "");
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
bb_verantwoording_save_texts (BbStore     *store,
                              const char  *subsidy_id,
                              const char  *goals,
                              const char  *results,
                              const char  *deviations,
                              const char  *signing_place,
                              GError     **error)
{
  g_autoptr(BbSubsidy) subsidy = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (subsidy_id != NULL, FALSE);

  subsidy = bb_subsidy_load (store, subsidy_id, error);
  if (subsidy == NULL)
    return FALSE;

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store,
                           "INSERT INTO report_text (subsidy_id, goals, results, deviations,"
                           "  signing_place, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                           " ON CONFLICT (subsidy_id) DO UPDATE SET goals = ?2, results = ?3,"
                           "  deviations = ?4, signing_place = ?5, updated_at = ?6", error);
  if (stmt == NULL)
    {
      bb_store_rollback (store);
      return FALSE;
    }
  now = bb_date_time_now_iso ();
  sqlite3_bind_text (stmt, 1, subsidy_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, goals != NULL ? goals : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, results != NULL ? results : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, deviations != NULL ? deviations : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, signing_place != NULL ? signing_place : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, _("Could not save the texts of the report"), error) ||
      !bb_store_commit (store, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  bb_store_emit_changed (store);
  return TRUE;
}

/* Building */

static gboolean
read_entries (BbStore           *store,
              BbVerantwoording  *self,
              GHashTable        *posts_by_id,
              GError           **error)
{
  g_autoptr(GHashTable) counted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  /* One pass over the split lines of the period, oldest first, straight
   * from SQLite: a year may hold hundreds of thousands of them. */
  stmt = bb_store_prepare (store,
                           "SELECT s.post_id, t.id, t.date, t.description, t.counterparty,"
                           "  s.amount_cents, t.amount_cents,"
                           "  EXISTS (SELECT 1 FROM ledger_receipt r WHERE r.transaction_id = t.id)"
                           " FROM ledger_split s"
                           " JOIN budget_post p ON p.id = s.post_id"
                           " JOIN ledger_transaction t ON t.id = s.transaction_id"
                           " WHERE p.subsidy_id = ?1 AND t.date BETWEEN ?2 AND ?3"
                           " ORDER BY t.date, t.created_at, t.id, s.position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->subsidy_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, self->period_start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, self->period_end, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbVerantwoordingPost *post = g_hash_table_lookup (posts_by_id, bb_money_column_text (stmt, 0));
      BbVerantwoordingEntry *entry;
      const char *description = bb_money_column_text (stmt, 3);
      gint64 split = sqlite3_column_int64 (stmt, 5);

      if (post == NULL)
        continue;
      entry = g_new0 (BbVerantwoordingEntry, 1);
      entry->transaction_id = g_strdup (bb_money_column_text (stmt, 1));
      entry->date = g_strdup (bb_money_column_text (stmt, 2));
      entry->description = g_strdup (*description != '\0' ? description : bb_money_column_text (stmt, 4));
      entry->amount_cents = post->income ? split : -split;
      entry->has_receipt = sqlite3_column_int (stmt, 7) != 0;
      g_ptr_array_add (post->entries, entry);
      self->n_entries++;

      /* Money paid out needs a receipt, once per transaction however it
       * is split. */
      if (!entry->has_receipt && sqlite3_column_int64 (stmt, 6) < 0 &&
          !g_hash_table_contains (counted, entry->transaction_id))
        {
          g_hash_table_add (counted, g_strdup (entry->transaction_id));
          self->n_missing_receipts++;
          add_missing (self, BB_VERANTWOORDING_MISSING_RECEIPT, entry->transaction_id,
                       entry->description, entry->date);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_activities (BbStore           *store,
                 BbVerantwoording  *self,
                 GError           **error)
{
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now (bb_programme_get_timezone ());
  GDate from, to;

  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  if (!bb_date_parse (self->period_start, &from, NULL) || !bb_date_parse (self->period_end, &to, NULL))
    return TRUE;

  reports = bb_programme_list_in_period (store, &from, &to, error);
  if (reports == NULL)
    return FALSE;

  for (guint i = 0; i < reports->len; i++)
    {
      BbActivityReport *report = g_ptr_array_index (reports, i);
      BbVerantwoordingActivity *activity;

      /* Held: marked done, or planned and already past (it took place but
       * nobody recorded it yet: the participants are then missing).
       * Still to come is not part of the report. */
      if (report->status != BB_ACTIVITY_STATUS_DONE &&
          report->status != BB_ACTIVITY_STATUS_CANCELLED &&
          g_date_time_compare (report->start, now) > 0)
        continue;

      activity = g_new0 (BbVerantwoordingActivity, 1);
      activity->date = g_date_time_format (report->start, "%Y-%m-%d");
      activity->title = g_strdup (report->title);
      activity->cancelled = report->status == BB_ACTIVITY_STATUS_CANCELLED;
      activity->cancel_reason = g_strdup (activity->cancelled && report->cancel_reason != NULL
                                          ? report->cancel_reason : "");
      activity->participants = activity->cancelled ? -1 : report->participants;
      activity->estimated = report->count_method == BB_COUNT_METHOD_ESTIMATED;
      activity->n_volunteers = report->n_volunteers;
      activity->volunteer_minutes = report->volunteer_minutes;
      g_ptr_array_add (self->activities, activity);

      if (activity->cancelled)
        {
          self->n_cancelled++;
          continue;
        }
      self->n_held++;
      self->volunteer_minutes += activity->volunteer_minutes;
      if (activity->participants >= 0)
        self->participants += activity->participants;
      else
        add_missing (self, BB_VERANTWOORDING_MISSING_PARTICIPANTS, report->activity_id,
                     activity->title, activity->date);
    }
  self->has_programme = self->activities->len > 0;
  return TRUE;
}

static gboolean
build (BbStore           *store,
       BbVerantwoording  *self,
       const char        *subsidy_id,
       GError           **error)
{
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);
  g_autoptr(BbSubsidy) subsidy = NULL;
  g_autoptr(BbBudgetActual) actual = NULL;
  g_autoptr(GHashTable) posts_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;

  subsidy = bb_subsidy_load (store, subsidy_id, &local_error);
  if (subsidy == NULL)
    {
      if (g_error_matches (local_error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_NOT_FOUND))
        g_set_error (error, BB_VERANTWOORDING_ERROR, BB_VERANTWOORDING_ERROR_NOT_FOUND,
                     _("There is no subsidy “%s” in this council file"), subsidy_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->council_name = g_strdup (bb_council_get_name (council));
  self->legal_form = g_strdup (bb_legal_form_get_label (bb_council_get_legal_form (council)));
  self->kvk_number = g_strdup (bb_council_get_kvk_number (council));
  self->iban = g_strdup (bb_council_get_iban (council));
  self->contact_name = g_strdup (bb_council_get_contact_name (council));
  self->contact_email = g_strdup (bb_council_get_email (council));
  self->contact_phone = g_strdup (bb_council_get_phone (council));
  self->municipality = g_strdup (bb_council_get_municipality (council));

  self->subsidy_id = g_strdup (subsidy->id);
  self->grantor = g_strdup (subsidy->grantor);
  self->scheme = g_strdup (subsidy->scheme);
  self->beschikking_number = g_strdup (subsidy->beschikking_number);
  self->beschikking_date = g_strdup (subsidy->beschikking_date);
  self->period_start = g_strdup (subsidy->period_start);
  self->period_end = g_strdup (subsidy->period_end);
  self->deadline = bb_subsidy_compute_deadline (store, subsidy);
  if (self->deadline == NULL)
    self->deadline = g_strdup ("");
  self->granted_cents = subsidy->granted_cents;
  self->advances_cents = bb_subsidy_get_advances_total (subsidy);
  for (guint i = 0; i < subsidy->advances->len; i++)
    {
      BbSubsidyAdvance *advance = g_ptr_array_index (subsidy->advances, i);
      BbVerantwoordingEntry *entry = g_new0 (BbVerantwoordingEntry, 1);

      entry->transaction_id = g_strdup (advance->id);
      entry->date = g_strdup (advance->date);
      entry->description = g_strdup ("");
      entry->amount_cents = advance->amount_cents;
      g_ptr_array_add (self->advances, entry);
    }

  if (!bb_verantwoording_load_texts (store, subsidy_id, &self->goals, &self->results,
                                     &self->deviations, &self->signing_place, error))
    return FALSE;

  actual = bb_budget_actual_compute (store, subsidy_id, error);
  if (actual == NULL)
    return FALSE;
  for (guint i = 0; i < actual->lines->len; i++)
    {
      BbBudgetLine *line = g_ptr_array_index (actual->lines, i);
      BbVerantwoordingPost *post = g_new0 (BbVerantwoordingPost, 1);

      post->post_id = g_strdup (line->post->id);
      post->name = g_strdup (line->post->name);
      post->income = line->post->kind == BB_POST_INCOME;
      post->planned_cents = line->planned_cents;
      post->actual_cents = line->actual_cents;
      post->difference_cents = line->difference_cents;
      post->has_percent = line->has_percent;
      post->difference_bp = line->difference_bp;
      post->explanation = g_strdup (line->post->explanation != NULL ? line->post->explanation : "");
      post->explanation_required = line->explanation_required;
      post->entries = g_ptr_array_new_with_free_func (entry_free);
      g_ptr_array_add (self->posts, post);
      g_hash_table_insert (posts_by_id, post->post_id, post);

      if (line->explanation_missing)
        add_missing (self, BB_VERANTWOORDING_MISSING_EXPLANATION, post->post_id, post->name, NULL);
    }
  self->planned_expense_cents = actual->planned_expense_cents;
  self->actual_expense_cents = actual->actual_expense_cents;
  self->planned_income_cents = actual->planned_income_cents;
  self->actual_income_cents = actual->actual_income_cents;
  self->result_cents = actual->result_cents;
  self->payback_cents = actual->payback_cents;

  if (!read_entries (store, self, posts_by_id, error))
    return FALSE;
  if (!read_activities (store, self, error))
    return FALSE;
  return TRUE;
}

BbVerantwoording *
bb_verantwoording_build (BbStore     *store,
                         const char  *subsidy_id,
                         GError     **error)
{
  g_autoptr(BbVerantwoording) self = NULL;
  sqlite3 *db;
  gboolean own_transaction;
  gboolean ok;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (subsidy_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (BbVerantwoording, 1);
  self->advances = g_ptr_array_new_with_free_func (entry_free);
  self->activities = g_ptr_array_new_with_free_func (activity_free);
  self->posts = g_ptr_array_new_with_free_func (post_free);
  self->missing = g_ptr_array_new_with_free_func (missing_free);

  /* One read transaction: every figure comes from the same state of the
   * file, even when another program writes to it meanwhile. */
  db = bb_store_get_db (store);
  own_transaction = sqlite3_get_autocommit (db) && sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  ok = build (store, self, subsidy_id, error);
  if (own_transaction)
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (!ok)
    return NULL;
  return g_steal_pointer (&self);
}

GStrv
bb_verantwoording_describe_missing (BbVerantwoording *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->missing->len; i++)
    {
      BbVerantwoordingMissing *missing = g_ptr_array_index (self->missing, i);
      g_autofree char *line = NULL;

      switch (missing->kind)
        {
        case BB_VERANTWOORDING_MISSING_EXPLANATION:
          line = g_strdup_printf (_("The post “%s” differs from the budget by more than the threshold and has no explanation"),
                                  missing->what);
          break;
        case BB_VERANTWOORDING_MISSING_RECEIPT:
          line = g_strdup_printf (_("No receipt for “%s” of %s"), missing->what, missing->date);
          break;
        case BB_VERANTWOORDING_MISSING_PARTICIPANTS:
          line = g_strdup_printf (_("No number of participants for “%s” of %s"), missing->what, missing->date);
          break;
        default:
          g_assert_not_reached ();
        }
      g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}

/* JSON */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static const char *
missing_kind_name (BbVerantwoordingMissingKind kind)
{
  switch (kind)
    {
    case BB_VERANTWOORDING_MISSING_EXPLANATION: return "explanation";
    case BB_VERANTWOORDING_MISSING_RECEIPT: return "receipt";
    case BB_VERANTWOORDING_MISSING_PARTICIPANTS: return "participants";
    default: g_assert_not_reached ();
    }
}

JsonNode *
bb_verantwoording_to_json (BbVerantwoording *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "format", "buurtboek-verantwoording");
  add_int (builder, "version", 1);

  json_builder_set_member_name (builder, "header");
  json_builder_begin_object (builder);
  add_string (builder, "council_name", self->council_name);
  add_string (builder, "legal_form", self->legal_form);
  add_string (builder, "kvk_number", self->kvk_number);
  add_string (builder, "iban", self->iban);
  add_string (builder, "contact_name", self->contact_name);
  add_string (builder, "contact_email", self->contact_email);
  add_string (builder, "contact_phone", self->contact_phone);
  add_string (builder, "municipality", self->municipality);
  add_string (builder, "subsidy_id", self->subsidy_id);
  add_string (builder, "grantor", self->grantor);
  add_string (builder, "scheme", self->scheme);
  add_string (builder, "beschikking_number", self->beschikking_number);
  add_string (builder, "beschikking_date", self->beschikking_date);
  add_string (builder, "period_start", self->period_start);
  add_string (builder, "period_end", self->period_end);
  add_string (builder, "deadline", self->deadline);
  add_int (builder, "granted_cents", self->granted_cents);
  add_int (builder, "advances_cents", self->advances_cents);
  json_builder_set_member_name (builder, "advances");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->advances->len; i++)
    {
      BbVerantwoordingEntry *advance = g_ptr_array_index (self->advances, i);

      json_builder_begin_object (builder);
      add_string (builder, "date", advance->date);
      add_int (builder, "amount_cents", advance->amount_cents);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "activity_report");
  json_builder_begin_object (builder);
  add_bool (builder, "has_programme", self->has_programme);
  add_int (builder, "held", self->n_held);
  add_int (builder, "cancelled", self->n_cancelled);
  add_int (builder, "participants", self->participants);
  add_int (builder, "volunteer_minutes", self->volunteer_minutes);
  add_string (builder, "goals", self->goals);
  add_string (builder, "results", self->results);
  add_string (builder, "deviations", self->deviations);
  json_builder_set_member_name (builder, "activities");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->activities->len; i++)
    {
      BbVerantwoordingActivity *activity = g_ptr_array_index (self->activities, i);

      json_builder_begin_object (builder);
      add_string (builder, "date", activity->date);
      add_string (builder, "title", activity->title);
      add_bool (builder, "cancelled", activity->cancelled);
      add_string (builder, "cancel_reason", activity->cancel_reason);
      json_builder_set_member_name (builder, "participants");
      if (activity->participants >= 0)
        json_builder_add_int_value (builder, activity->participants);
      else
        json_builder_add_null_value (builder);
      add_bool (builder, "participants_estimated", activity->estimated);
      add_int (builder, "volunteers", activity->n_volunteers);
      add_int (builder, "volunteer_minutes", activity->volunteer_minutes);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "financial_report");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "posts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->posts->len; i++)
    {
      BbVerantwoordingPost *post = g_ptr_array_index (self->posts, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", post->post_id);
      add_string (builder, "name", post->name);
      add_string (builder, "kind", post->income ? "income" : "expense");
      add_int (builder, "planned_cents", post->planned_cents);
      add_int (builder, "actual_cents", post->actual_cents);
      add_int (builder, "difference_cents", post->difference_cents);
      json_builder_set_member_name (builder, "difference_basis_points");
      if (post->has_percent)
        json_builder_add_int_value (builder, post->difference_bp);
      else
        json_builder_add_null_value (builder);
      add_string (builder, "explanation", post->explanation);
      add_bool (builder, "explanation_required", post->explanation_required);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_int (builder, "planned_expense_cents", self->planned_expense_cents);
  add_int (builder, "actual_expense_cents", self->actual_expense_cents);
  add_int (builder, "planned_income_cents", self->planned_income_cents);
  add_int (builder, "actual_income_cents", self->actual_income_cents);
  add_int (builder, "result_cents", self->result_cents);
  add_int (builder, "granted_cents", self->granted_cents);
  add_int (builder, "payback_cents", self->payback_cents);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "receipts_index");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->posts->len; i++)
    {
      BbVerantwoordingPost *post = g_ptr_array_index (self->posts, i);

      json_builder_begin_object (builder);
      add_string (builder, "post_id", post->post_id);
      add_string (builder, "post", post->name);
      json_builder_set_member_name (builder, "transactions");
      json_builder_begin_array (builder);
      for (guint j = 0; j < post->entries->len; j++)
        {
          BbVerantwoordingEntry *entry = g_ptr_array_index (post->entries, j);

          json_builder_begin_object (builder);
          add_string (builder, "transaction_id", entry->transaction_id);
          add_string (builder, "date", entry->date);
          add_string (builder, "description", entry->description);
          add_int (builder, "amount_cents", entry->amount_cents);
          add_bool (builder, "has_receipt", entry->has_receipt);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "declaration");
  json_builder_begin_object (builder);
  add_string (builder, "signing_place", self->signing_place);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "missing");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->missing->len; i++)
    {
      BbVerantwoordingMissing *missing = g_ptr_array_index (self->missing, i);

      json_builder_begin_object (builder);
      add_string (builder, "kind", missing_kind_name (missing->kind));
      add_string (builder, "id", missing->id);
      add_string (builder, "what", missing->what);
      add_string (builder, "date", missing->date);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Shared formatting */

/* "31-12-2024", the way Dutch forms write dates; the text as it is when
 * it is not an ISO date. */
static char *
format_date (const char *iso)
{
  int y, m, d;

  if (iso == NULL || *iso == '\0')
    return g_strdup ("");
  if (sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
    return g_strdup_printf ("%02d-%02d-%04d", d, m, y);
  return g_strdup (iso);
}

static char *
format_percent (const BbVerantwoordingPost *post)
{
  return post->has_percent ? bb_budget_format_percent (post->difference_bp) : g_strdup ("");
}

/* "-12,8%" with an ASCII minus, which spreadsheets read as a number. */
static char *
format_csv_percent (const BbVerantwoordingPost *post)
{
  gint64 magnitude = post->difference_bp < 0 ? -post->difference_bp : post->difference_bp;
  gint64 tenths = (magnitude + 5) / 10;

  if (!post->has_percent)
    return g_strdup ("");
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "%%",
                          post->difference_bp < 0 && tenths > 0 ? "-" : "", tenths / 10, tenths % 10);
}

/* PDF */

static void
add_field (BbPdfDocument *doc,
           const char    *label,
           const char    *value)
{
  if (value == NULL || *value == '\0')
    return;
  bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_NORMAL, label, value);
}

static void
pdf_header (BbVerantwoording *self,
            BbPdfDocument    *doc)
{
  static const BbPdfColumn columns[] = {
    { NULL, 1.3, BB_PDF_ALIGN_LEFT },
    { NULL, 3, BB_PDF_ALIGN_LEFT },
  };
  g_autofree char *period = NULL;
  g_autofree char *start = format_date (self->period_start);
  g_autofree char *end = format_date (self->period_end);
  g_autofree char *granted = bb_money_format (self->granted_cents);
  g_autofree char *beschikking_date = format_date (self->beschikking_date);
  g_autofree char *deadline = format_date (self->deadline);
  g_autoptr(GString) contact = g_string_new (self->contact_name);
  g_autoptr(GString) advances = g_string_new (NULL);

  /* TRANSLATORS: a period, "1-1-2024 to 31-12-2024" */
  period = g_strdup_printf (_("%s to %s"), start, end);
  if (*self->contact_email != '\0')
    g_string_append_printf (contact, "%s%s", contact->len > 0 ? ", " : "", self->contact_email);
  if (*self->contact_phone != '\0')
    g_string_append_printf (contact, "%s%s", contact->len > 0 ? ", " : "", self->contact_phone);
  for (guint i = 0; i < self->advances->len; i++)
    {
      BbVerantwoordingEntry *advance = g_ptr_array_index (self->advances, i);
      g_autofree char *date = format_date (advance->date);
      g_autofree char *amount = bb_money_format (advance->amount_cents);

      g_string_append_printf (advances, "%s%s  %s", i > 0 ? "\n" : "", date, amount);
    }
  if (self->advances->len > 1)
    {
      g_autofree char *total = bb_money_format (self->advances_cents);

      /* TRANSLATORS: the sum of the advances received */
      g_string_append_printf (advances, "\n%s %s", _("Total"), total);
    }

  bb_pdf_document_add_heading (doc, 1, _("1. Details"));
  bb_pdf_document_begin_table (doc, columns, G_N_ELEMENTS (columns));
  add_field (doc, _("Council"), self->council_name);
  add_field (doc, _("Legal form"), self->legal_form);
  add_field (doc, _("KvK number"), self->kvk_number);
  add_field (doc, _("IBAN"), self->iban);
  add_field (doc, _("Contact"), contact->str);
  add_field (doc, _("Grantor"), self->grantor);
  add_field (doc, _("Scheme"), self->scheme);
  add_field (doc, _("Decision number"), self->beschikking_number);
  add_field (doc, _("Decision date"), beschikking_date);
  add_field (doc, _("Period"), period);
  add_field (doc, _("Amount granted"), granted);
  add_field (doc, _("Advances received"), advances->len > 0 ? advances->str : _("None"));
  add_field (doc, _("Report due"), deadline);
  bb_pdf_document_end_table (doc);
}

static void
pdf_text_section (BbPdfDocument *doc,
                  const char    *heading,
                  const char    *text)
{
  bb_pdf_document_add_heading (doc, 2, heading);
  bb_pdf_document_add_paragraph (doc, text != NULL && *text != '\0' ? text : _("(not filled in)"));
}

static void
pdf_activities (BbVerantwoording *self,
                BbPdfDocument    *doc)
{
  static BbPdfColumn held_columns[] = {
    { N_("Date"), 1.2, BB_PDF_ALIGN_LEFT },
    { N_("Activity"), 3.2, BB_PDF_ALIGN_LEFT },
    { N_("Participants"), 1.3, BB_PDF_ALIGN_RIGHT },
    { N_("Volunteers"), 1.2, BB_PDF_ALIGN_RIGHT },
    { N_("Hours"), 1, BB_PDF_ALIGN_RIGHT },
  };
  static BbPdfColumn cancelled_columns[] = {
    { N_("Date"), 1.2, BB_PDF_ALIGN_LEFT },
    { N_("Activity"), 3, BB_PDF_ALIGN_LEFT },
    { N_("Reason"), 3.5, BB_PDF_ALIGN_LEFT },
  };
  BbPdfColumn columns[G_N_ELEMENTS (held_columns)];

  bb_pdf_document_add_heading (doc, 1, _("2. Activity report"));
  pdf_text_section (doc, _("Goals"), self->goals);

  bb_pdf_document_add_heading (doc, 2, _("Activities held"));
  if (!self->has_programme)
    bb_pdf_document_add_paragraph (doc, _("No activities were recorded in the programme for this period."));
  else if (self->n_held == 0)
    bb_pdf_document_add_paragraph (doc, _("No activities were held in this period."));
  else
    {
      g_autofree char *participants = g_strdup_printf ("%" G_GINT64_FORMAT, self->participants);
      g_autofree char *minutes = bb_hours_format_minutes (self->volunteer_minutes);
      g_autofree char *held = g_strdup_printf (ngettext ("%u activity", "%u activities", self->n_held),
                                               self->n_held);

      for (guint i = 0; i < G_N_ELEMENTS (held_columns); i++)
        {
          columns[i] = held_columns[i];
          columns[i].title = _(held_columns[i].title);
        }
      bb_pdf_document_begin_table (doc, columns, G_N_ELEMENTS (held_columns));
      for (guint i = 0; i < self->activities->len; i++)
        {
          BbVerantwoordingActivity *activity = g_ptr_array_index (self->activities, i);
          g_autofree char *date = NULL;
          g_autofree char *count = NULL;
          g_autofree char *volunteers = NULL;
          g_autofree char *hours = NULL;

          if (activity->cancelled)
            continue;
          date = format_date (activity->date);
          if (activity->participants < 0)
            count = g_strdup ("?");
          else if (activity->estimated)
            /* TRANSLATORS: an estimated number of participants */
            count = g_strdup_printf (_("about %d"), activity->participants);
          else
            count = g_strdup_printf ("%d", activity->participants);
          volunteers = g_strdup_printf ("%u", activity->n_volunteers);
          hours = bb_hours_format_minutes (activity->volunteer_minutes);
          bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_NORMAL, date, activity->title, count,
                                         volunteers, hours);
        }
      bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_BOLD | BB_PDF_ROW_RULE_ABOVE, _("Total"), held,
                                     participants, "", minutes);
      bb_pdf_document_end_table (doc);
    }

  if (self->n_cancelled > 0)
    {
      bb_pdf_document_add_heading (doc, 2, _("Cancelled activities"));
      for (guint i = 0; i < G_N_ELEMENTS (cancelled_columns); i++)
        {
          columns[i] = cancelled_columns[i];
          columns[i].title = _(cancelled_columns[i].title);
        }
      bb_pdf_document_begin_table (doc, columns, G_N_ELEMENTS (cancelled_columns));
      for (guint i = 0; i < self->activities->len; i++)
        {
          BbVerantwoordingActivity *activity = g_ptr_array_index (self->activities, i);
          g_autofree char *date = NULL;

          if (!activity->cancelled)
            continue;
          date = format_date (activity->date);
          bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_NORMAL, date, activity->title,
                                         activity->cancel_reason);
        }
      bb_pdf_document_end_table (doc);
    }

  pdf_text_section (doc, _("Results"), self->results);
  pdf_text_section (doc, _("Deviations from the plan"), self->deviations);
}

static void
pdf_money_row (BbPdfDocument *doc,
               BbPdfRowFlags  flags,
               const char    *label,
               gint64         planned,
               gint64         actual,
               gboolean       with_difference)
{
  g_autofree char *p = bb_money_format (planned);
  g_autofree char *a = bb_money_format (actual);
  g_autofree char *d = with_difference ? bb_money_format (actual - planned) : g_strdup ("");

  bb_pdf_document_add_row_cells (doc, flags, label, p, a, d, "");
}

static void
pdf_financial (BbVerantwoording *self,
               BbPdfDocument    *doc)
{
  BbPdfColumn columns[] = {
    { _("Post"), 3.2, BB_PDF_ALIGN_LEFT },
    { _("Budget"), 1.5, BB_PDF_ALIGN_RIGHT },
    { _("Actual"), 1.5, BB_PDF_ALIGN_RIGHT },
    { _("Difference"), 1.5, BB_PDF_ALIGN_RIGHT },
    { "%", 0.9, BB_PDF_ALIGN_RIGHT },
  };
  BbPdfColumn total_columns[] = {
    { NULL, 4.7, BB_PDF_ALIGN_LEFT },
    { NULL, 1.5, BB_PDF_ALIGN_RIGHT },
    { NULL, 2.4, BB_PDF_ALIGN_LEFT },
  };

  bb_pdf_document_add_heading (doc, 1, _("3. Financial report"));
  bb_pdf_document_begin_table (doc, columns, G_N_ELEMENTS (columns));
  for (int income = 0; income <= 1; income++)
    {
      bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_SHADED | BB_PDF_ROW_BOLD | BB_PDF_ROW_KEEP_WITH_NEXT,
                                     income ? _("Income") : _("Expenses"), "", "", "", "");
      for (guint i = 0; i < self->posts->len; i++)
        {
          BbVerantwoordingPost *post = g_ptr_array_index (self->posts, i);
          g_autofree char *planned = NULL;
          g_autofree char *actual = NULL;
          g_autofree char *difference = NULL;
          g_autofree char *percent = NULL;
          g_autofree char *name = NULL;

          if (post->income != income)
            continue;
          planned = bb_money_format (post->planned_cents);
          actual = bb_money_format (post->actual_cents);
          difference = bb_money_format (post->difference_cents);
          percent = format_percent (post);
          if (*post->explanation != '\0')
            /* TRANSLATORS: a post's name, then on a new line its explanation */
            name = g_strdup_printf (_("%s\nExplanation: %s"), post->name, post->explanation);
          else if (post->explanation_required)
            name = g_strdup_printf (_("%s\nExplanation: (missing)"), post->name);
          else
            name = g_strdup (post->name);
          bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_NORMAL, name, planned, actual, difference, percent);
        }
      if (income)
        pdf_money_row (doc, BB_PDF_ROW_BOLD | BB_PDF_ROW_RULE_ABOVE, _("Total income"),
                       self->planned_income_cents, self->actual_income_cents, TRUE);
      else
        pdf_money_row (doc, BB_PDF_ROW_BOLD | BB_PDF_ROW_RULE_ABOVE, _("Total expenses"),
                       self->planned_expense_cents, self->actual_expense_cents, TRUE);
    }
  bb_pdf_document_end_table (doc);

  bb_pdf_document_add_heading (doc, 2, _("Result and pay-back"));
  bb_pdf_document_begin_table (doc, total_columns, G_N_ELEMENTS (total_columns));
  {
    g_autofree char *income = bb_money_format (self->actual_income_cents);
    g_autofree char *expense = bb_money_format (self->actual_expense_cents);
    g_autofree char *result = bb_money_format (self->result_cents);
    g_autofree char *granted = bb_money_format (self->granted_cents);
    g_autofree char *payback = bb_money_format (self->payback_cents);

    bb_pdf_document_add_row_cells (doc, 0, _("Total income"), income, "");
    bb_pdf_document_add_row_cells (doc, 0, _("Total expenses"), expense, "");
    bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_BOLD | BB_PDF_ROW_RULE_ABOVE, _("Result"), result, "");
    bb_pdf_document_add_row_cells (doc, 0, _("Amount granted"), granted, "");
    bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_BOLD, _("To pay back (granted minus expenses, at least zero)"),
                                   payback, "");
  }
  bb_pdf_document_end_table (doc);
}

static void
pdf_receipts (BbVerantwoording *self,
              BbPdfDocument    *doc)
{
  BbPdfColumn columns[] = {
    { _("Date"), 1.1, BB_PDF_ALIGN_LEFT },
    { _("Description"), 4, BB_PDF_ALIGN_LEFT, TRUE },
    { _("Amount"), 1.4, BB_PDF_ALIGN_RIGHT },
    { _("Receipt"), 0.9, BB_PDF_ALIGN_CENTER },
  };
  g_autofree char *summary = NULL;
  const char *yes = _("yes");
  const char *no = _("no");

  bb_pdf_document_add_heading (doc, 1, _("4. Receipts index"));
  summary = g_strdup_printf (ngettext ("%u transaction; %u of them paid out without a receipt.",
                                       "%u transactions; %u of them paid out without a receipt.",
                                       self->n_entries),
                             self->n_entries, self->n_missing_receipts);
  bb_pdf_document_add_paragraph (doc, summary);
  bb_pdf_document_begin_table (doc, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < self->posts->len; i++)
    {
      BbVerantwoordingPost *post = g_ptr_array_index (self->posts, i);
      g_autofree char *total = NULL;

      if (post->entries->len == 0)
        continue;
      total = bb_money_format (post->actual_cents);
      bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_SHADED | BB_PDF_ROW_BOLD | BB_PDF_ROW_KEEP_WITH_NEXT,
                                     "", post->name, total, "");
      for (guint j = 0; j < post->entries->len; j++)
        {
          BbVerantwoordingEntry *entry = g_ptr_array_index (post->entries, j);
          g_autofree char *date = format_date (entry->date);
          g_autofree char *amount = bb_money_format (entry->amount_cents);

          /* Money received needs no receipt: the bank statement shows it. */
          bb_pdf_document_add_row_cells (doc, BB_PDF_ROW_NORMAL, date, entry->description, amount,
                                         entry->has_receipt ? yes : post->income ? "" : no);
        }
    }
  bb_pdf_document_end_table (doc);
}

static void
pdf_declaration (BbVerantwoording *self,
                 BbPdfDocument    *doc)
{
  g_autofree char *place = NULL;
  g_autofree char *statement = NULL;
  const char *labels[4];

  bb_pdf_document_add_heading (doc, 1, _("5. Declaration"));
  statement = g_strdup_printf (_("The board of %s declares that this report is complete and correct, "
                                 "and that the subsidy was spent on the activities it was granted for."),
                               self->council_name);
  bb_pdf_document_add_paragraph (doc, statement);
  place = *self->signing_place != '\0'
    ? g_strdup_printf (_("Place: %s"), self->signing_place) : g_strdup (_("Place"));
  labels[0] = _("Chair (name and signature)");
  labels[1] = _("Treasurer (name and signature)");
  labels[2] = _("Date");
  labels[3] = place;
  bb_pdf_document_add_signatures (doc, labels, G_N_ELEMENTS (labels));
}

BbPdfDocument *
bb_verantwoording_to_pdf (BbVerantwoording *self)
{
  g_autoptr(BbPdfDocument) doc = bb_pdf_document_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  start = format_date (self->period_start);
  end = format_date (self->period_end);
  /* TRANSLATORS: the title of the subsidy report: the council, the grantor */
  title = g_strdup_printf (_("Subsidy report %s — %s"), self->council_name, self->grantor);
  bb_pdf_document_set_title (doc, title);
  bb_pdf_document_set_author (doc, self->council_name);
  bb_pdf_document_set_subject (doc, self->scheme);

  bb_pdf_document_add_title (doc, _("Subsidy report"));
  subtitle = g_strdup_printf ("%s\n%s%s%s\n%s – %s", self->council_name, self->grantor,
                              *self->scheme != '\0' ? " · " : "", self->scheme, start, end);
  bb_pdf_document_add_paragraph (doc, subtitle);

  pdf_header (self, doc);
  pdf_activities (self, doc);
  pdf_financial (self, doc);
  pdf_declaration (self, doc);
  /* The index can run to many pages: it comes last, as the appendix. */
  bb_pdf_document_add_page_break (doc);
  pdf_receipts (self, doc);
  return g_steal_pointer (&doc);
}

/* CSV */

/* "1234,56": what Dutch spreadsheets read as a number. */
static void
append_csv_amount (GString *out,
                   gint64   cents)
{
  guint64 abs = cents < 0 ? -(guint64) cents : (guint64) cents;

  g_string_append_printf (out, "%s%" G_GUINT64_FORMAT ",%02u", cents < 0 ? "-" : "",
                          abs / 100, (guint) (abs % 100));
}

static void
csv_row (GString    *out,
         const char *name,
         const char *kind,
         gint64      planned,
         gint64      actual,
         gboolean    with_difference,
         const char *percent,
         const char *explanation)
{
  bb_hours_csv_append_field (out, name, ';', TRUE);
  g_string_append_c (out, ';');
  bb_hours_csv_append_field (out, kind, ';', TRUE);
  g_string_append_c (out, ';');
  append_csv_amount (out, planned);
  g_string_append_c (out, ';');
  append_csv_amount (out, actual);
  g_string_append_c (out, ';');
  if (with_difference)
    append_csv_amount (out, actual - planned);
  g_string_append_c (out, ';');
  g_string_append (out, percent);   /* a number, not text to guard */
  g_string_append_c (out, ';');
  bb_hours_csv_append_field (out, explanation, ';', TRUE);
  g_string_append (out, "\r\n");
}

GBytes *
bb_verantwoording_to_csv (BbVerantwoording *self)
{
  GString *out = g_string_new ("\xef\xbb\xbf");

  g_return_val_if_fail (self != NULL, NULL);

  bb_hours_csv_append_field (out, _("Post"), ';', TRUE);
  g_string_append_c (out, ';');
  bb_hours_csv_append_field (out, _("Kind"), ';', TRUE);
  g_string_append_c (out, ';');
  bb_hours_csv_append_field (out, _("Budget"), ';', TRUE);
  g_string_append_c (out, ';');
  bb_hours_csv_append_field (out, _("Actual"), ';', TRUE);
  g_string_append_c (out, ';');
  bb_hours_csv_append_field (out, _("Difference"), ';', TRUE);
  g_string_append_c (out, ';');
  bb_hours_csv_append_field (out, _("Difference %"), ';', TRUE);
  g_string_append_c (out, ';');
  bb_hours_csv_append_field (out, _("Explanation"), ';', TRUE);
  g_string_append (out, "\r\n");

  for (guint i = 0; i < self->posts->len; i++)
    {
      BbVerantwoordingPost *post = g_ptr_array_index (self->posts, i);
      g_autofree char *percent = format_csv_percent (post);

      csv_row (out, post->name, post->income ? _("income") : _("expense"), post->planned_cents,
               post->actual_cents, TRUE, percent, post->explanation);
    }
  csv_row (out, _("Total expenses"), "", self->planned_expense_cents, self->actual_expense_cents,
           TRUE, "", "");
  csv_row (out, _("Total income"), "", self->planned_income_cents, self->actual_income_cents,
           TRUE, "", "");
  csv_row (out, _("Result"), "", self->planned_income_cents - self->planned_expense_cents,
           self->result_cents, FALSE, "", "");
  csv_row (out, _("Amount granted"), "", self->granted_cents, self->granted_cents, FALSE, "", "");
  csv_row (out, _("To pay back"), "", 0, self->payback_cents, FALSE, "", "");

  return g_string_free_to_bytes (out);
}

/* XLSX */

static gboolean
xlsx_failed (lxw_error   err,
             const char *path,
             GError    **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, BB_VERANTWOORDING_ERROR, BB_VERANTWOORDING_ERROR_WRITE,
               _("Could not write “%s”: %s"), display, lxw_strerror (err));
  return FALSE;
}

static void
xlsx_money_row (lxw_worksheet *sheet,
                guint          row,
                lxw_format    *text_format,
                lxw_format    *money_format,
                const char    *name,
                const char    *kind,
                gint64         planned,
                gint64         actual,
                gboolean       with_difference)
{
  worksheet_write_string (sheet, row, 0, name, text_format);
  if (kind != NULL)
    worksheet_write_string (sheet, row, 1, kind, text_format);
  worksheet_write_number (sheet, row, 2, planned / 100.0, money_format);
  worksheet_write_number (sheet, row, 3, actual / 100.0, money_format);
  if (with_difference)
    worksheet_write_number (sheet, row, 4, (actual - planned) / 100.0, money_format);
}

gboolean
bb_verantwoording_write_xlsx (BbVerantwoording  *self,
                              const char        *path,
                              GError           **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *title = NULL;
  lxw_workbook *workbook;
  lxw_worksheet *sheet;
  lxw_format *bold, *money, *money_bold, *percent, *wrap;
  lxw_error err;
  guint row = 0;
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* libxlsxwriter writes straight to its path: write beside @path and
   * rename, so a failure never leaves half a workbook in its place. */
  dir = g_path_get_dirname (path);
  tmp = g_build_filename (dir, ".buurtboek-XXXXXX.xlsx", NULL);
  fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, BB_VERANTWOORDING_ERROR, BB_VERANTWOORDING_ERROR_WRITE,
                   _("Could not write “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  workbook = workbook_new (tmp);
  if (workbook == NULL)
    {
      g_unlink (tmp);
      return xlsx_failed (LXW_ERROR_CREATING_XLSX_FILE, path, error);
    }
  /* TRANSLATORS: the name of a spreadsheet tab; at most 31 characters */
  sheet = workbook_add_worksheet (workbook, _("Financial report"));
  bold = workbook_add_format (workbook);
  format_set_bold (bold);
  money = workbook_add_format (workbook);
  format_set_num_format (money, "\"€\" #,##0.00;\"€\" -#,##0.00");
  money_bold = workbook_add_format (workbook);
  format_set_num_format (money_bold, "\"€\" #,##0.00;\"€\" -#,##0.00");
  format_set_bold (money_bold);
  percent = workbook_add_format (workbook);
  format_set_num_format (percent, "0.0%");
  wrap = workbook_add_format (workbook);
  format_set_text_wrap (wrap);

  worksheet_set_column (sheet, 0, 0, 34, NULL);
  worksheet_set_column (sheet, 1, 1, 10, NULL);
  worksheet_set_column (sheet, 2, 4, 14, NULL);
  worksheet_set_column (sheet, 5, 5, 10, NULL);
  worksheet_set_column (sheet, 6, 6, 60, wrap);

  title = g_strdup_printf ("%s — %s %s", self->council_name, self->grantor, self->scheme);
  worksheet_write_string (sheet, row++, 0, title, bold);
  {
    g_autofree char *start = format_date (self->period_start);
    g_autofree char *end = format_date (self->period_end);
    g_autofree char *period = g_strdup_printf (_("%s to %s"), start, end);

    worksheet_write_string (sheet, row++, 0, period, NULL);
  }
  row++;

  worksheet_write_string (sheet, row, 0, _("Post"), bold);
  worksheet_write_string (sheet, row, 1, _("Kind"), bold);
  worksheet_write_string (sheet, row, 2, _("Budget"), bold);
  worksheet_write_string (sheet, row, 3, _("Actual"), bold);
  worksheet_write_string (sheet, row, 4, _("Difference"), bold);
  worksheet_write_string (sheet, row, 5, _("Difference %"), bold);
  worksheet_write_string (sheet, row, 6, _("Explanation"), bold);
  row++;

  for (guint i = 0; i < self->posts->len; i++)
    {
      BbVerantwoordingPost *post = g_ptr_array_index (self->posts, i);

      xlsx_money_row (sheet, row, NULL, money, post->name, post->income ? _("income") : _("expense"),
                      post->planned_cents, post->actual_cents, TRUE);
      if (post->has_percent)
        worksheet_write_number (sheet, row, 5, post->difference_bp / 10000.0, percent);
      if (*post->explanation != '\0')
        worksheet_write_string (sheet, row, 6, post->explanation, wrap);
      row++;
    }
  row++;
  xlsx_money_row (sheet, row++, bold, money_bold, _("Total expenses"), NULL,
                  self->planned_expense_cents, self->actual_expense_cents, TRUE);
  xlsx_money_row (sheet, row++, bold, money_bold, _("Total income"), NULL,
                  self->planned_income_cents, self->actual_income_cents, TRUE);
  worksheet_write_string (sheet, row, 0, _("Result"), bold);
  worksheet_write_number (sheet, row, 2, (self->planned_income_cents - self->planned_expense_cents) / 100.0, money_bold);
  worksheet_write_number (sheet, row++, 3, self->result_cents / 100.0, money_bold);
  worksheet_write_string (sheet, row, 0, _("Amount granted"), NULL);
  worksheet_write_number (sheet, row++, 3, self->granted_cents / 100.0, money);
  worksheet_write_string (sheet, row, 0, _("To pay back"), bold);
  worksheet_write_number (sheet, row++, 3, self->payback_cents / 100.0, money_bold);

  workbook_set_properties (workbook, &(lxw_doc_properties) {
    .title = title,
    .author = self->council_name,
    .company = self->council_name,
  });

  err = workbook_close (workbook);
  if (err != LXW_NO_ERROR)
    {
      g_unlink (tmp);
      return xlsx_failed (err, path, error);
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_unlink (tmp);
      g_set_error (error, BB_VERANTWOORDING_ERROR, BB_VERANTWOORDING_ERROR_WRITE,
                   _("Could not write “%s”: %s"), display, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Any format */

static gboolean
write_bytes (GBytes      *bytes,
             const char  *path,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_set_error_literal (error, BB_VERANTWOORDING_ERROR, BB_VERANTWOORDING_ERROR_WRITE,
                           local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
bb_verantwoording_write (BbVerantwoording        *self,
                         BbVerantwoordingFormat   format,
                         const char              *path,
                         GError                 **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (format)
    {
    case BB_VERANTWOORDING_PDF:
      {
        g_autoptr(BbPdfDocument) doc = bb_verantwoording_to_pdf (self);

        return bb_pdf_document_write (doc, path, error);
      }

    case BB_VERANTWOORDING_CSV:
      {
        g_autoptr(GBytes) bytes = bb_verantwoording_to_csv (self);

        return write_bytes (bytes, path, error);
      }

    case BB_VERANTWOORDING_XLSX:
      return bb_verantwoording_write_xlsx (self, path, error);

    case BB_VERANTWOORDING_JSON:
      {
        g_autoptr(JsonNode) node = bb_verantwoording_to_json (self);
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        g_autoptr(GBytes) bytes = NULL;
        gsize length;
        char *text;

        json_generator_set_root (generator, node);
        json_generator_set_pretty (generator, TRUE);
        text = json_generator_to_data (generator, &length);
        bytes = g_bytes_new_take (text, length);
        return write_bytes (bytes, path, error);
      }

    default:
      g_set_error (error, BB_VERANTWOORDING_ERROR, BB_VERANTWOORDING_ERROR_FORMAT,
                   _("Unknown report format"));
      return FALSE;
    }
}

/* Handover */

static const char * const text_keys[] = {
  "subsidy_id", "goals", "results", "deviations", "signing_place", "updated_at",
};

gboolean
bb_verantwoording_handover_export (BbStore      *store,
                                   JsonBuilder  *builder,
                                   GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);

  stmt = bb_store_prepare (store,
                           "SELECT subsidy_id, goals, results, deviations, signing_place, updated_at"
                           " FROM report_text ORDER BY subsidy_id", error);
  if (stmt == NULL)
    return FALSE;
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      for (guint i = 0; i < G_N_ELEMENTS (text_keys); i++)
        add_string (builder, text_keys[i], bb_money_column_text (stmt, (int) i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc,
                                 _("Could not read the texts of the report"));
      return FALSE;
    }
  return TRUE;
}

gboolean
bb_verantwoording_handover_import (BbStore   *store,
                                   JsonNode  *node,
                                   GError   **error)
{
  JsonArray *array;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The handover document’s field “%s” must be a list."), "verantwoording");
      return FALSE;
    }
  array = json_node_get_array (node);
  stmt = bb_store_prepare (store,
                           "INSERT INTO report_text (subsidy_id, goals, results, deviations,"
                           "  signing_place, updated_at)"
                           " SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM subsidy WHERE id = ?1)",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("verantwoording[%u]", i);
      JsonNode *element = json_array_get_element (array, i);
      const char *values[G_N_ELEMENTS (text_keys)] = { NULL };
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The handover document’s field “%s” must be an object."), prefix);
          return FALSE;
        }
      object = json_node_get_object (element);
      if (!bb_handover_check_keys (object, prefix, text_keys, G_N_ELEMENTS (text_keys), error))
        return FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (text_keys); k++)
        if (!bb_handover_read_string (object, prefix, text_keys[k], k == 0 || k == 5, &values[k], error))
          return FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (text_keys); k++)
        sqlite3_bind_text (stmt, (int) k + 1, values[k] != NULL ? values[k] : "", -1, SQLITE_TRANSIENT);
      if (!bb_money_step_done (store, stmt, _("Could not save the texts of the report"), error))
        return FALSE;
      if (sqlite3_changes (bb_store_get_db (store)) == 0)
        {
          g_autofree char *field = bb_handover_field_name (prefix, "subsidy_id");

          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The handover document’s field “%s” names a subsidy it does not contain."), field);
          return FALSE;
        }
    }
  return TRUE;
}
