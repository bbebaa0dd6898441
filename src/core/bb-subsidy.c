/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bb-date.h"
#include "bb-money.h"
#include "bb-money-private.h"
#include "bb-subsidy.h"

G_DEFINE_QUARK (bb-subsidy-error-quark, bb_subsidy_error)

G_DEFINE_FINAL_TYPE (BbSubsidy, bb_subsidy, G_TYPE_OBJECT)

gboolean
bb_money_step_done (BbStore       *store,
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

const char *
bb_money_column_text (sqlite3_stmt *stmt,
                      int           column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

char *
bb_money_column_dup_nullable (sqlite3_stmt *stmt,
                              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

gboolean
bb_money_check_date (char **text)
{
  GDate date;

  if (*text == NULL || !bb_date_parse (*text, &date, NULL))
    return FALSE;
  g_free (*text);
  *text = bb_date_to_iso (&date);
  return TRUE;
}

static void
advance_free (gpointer data)
{
  BbSubsidyAdvance *advance = data;

  g_free (advance->id);
  g_free (advance->date);
  g_free (advance);
}

static void
bb_subsidy_finalize (GObject *object)
{
  BbSubsidy *self = (BbSubsidy *)object;

  g_free (self->id);
  g_free (self->grantor);
  g_free (self->scheme);
  g_free (self->beschikking_number);
  g_free (self->beschikking_date);
  g_free (self->period_start);
  g_free (self->period_end);
  g_free (self->ruleset_id);
  g_free (self->notes);
  g_clear_pointer (&self->advances, g_ptr_array_unref);

  G_OBJECT_CLASS (bb_subsidy_parent_class)->finalize (object);
}

static void
bb_subsidy_class_init (BbSubsidyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_subsidy_finalize;
}

static void
bb_subsidy_init (BbSubsidy *self)
{
  self->id = g_strdup ("");
  self->grantor = g_strdup ("");
  self->scheme = g_strdup ("");
  self->beschikking_number = g_strdup ("");
  self->beschikking_date = g_strdup ("");
  self->period_start = g_strdup ("");
  self->period_end = g_strdup ("");
  self->ruleset_id = g_strdup (BB_RULESET_ID_MUNICIPAL);
  self->notes = g_strdup ("");
  self->advances = g_ptr_array_new_with_free_func (advance_free);
}

BbSubsidy *
bb_subsidy_new (void)
{
  return g_object_new (BB_TYPE_SUBSIDY, NULL);
}

void
bb_subsidy_add_advance (BbSubsidy  *self,
                        const char *date,
                        gint64      amount_cents)
{
  BbSubsidyAdvance *advance;

  g_return_if_fail (BB_IS_SUBSIDY (self));
  g_return_if_fail (date != NULL);

  advance = g_new0 (BbSubsidyAdvance, 1);
  advance->id = g_strdup ("");
  advance->date = g_strdup (date);
  advance->amount_cents = amount_cents;
  g_ptr_array_add (self->advances, advance);
}

gint64
bb_subsidy_get_advances_total (BbSubsidy *self)
{
  gint64 total = 0;

  g_return_val_if_fail (BB_IS_SUBSIDY (self), 0);

  for (guint i = 0; i < self->advances->len; i++)
    total += ((BbSubsidyAdvance *)g_ptr_array_index (self->advances, i))->amount_cents;
  return total;
}

static void
strip (char **field)
{
  if (*field == NULL)
    *field = g_strdup ("");
  g_strstrip (*field);
}

gboolean
bb_subsidy_validate (BbSubsidy  *self,
                     GError    **error)
{
  g_return_val_if_fail (BB_IS_SUBSIDY (self), FALSE);

  strip (&self->grantor);
  strip (&self->scheme);
  strip (&self->beschikking_number);
  strip (&self->beschikking_date);
  strip (&self->notes);
  strip (&self->period_start);
  strip (&self->period_end);
  if (self->ruleset_id == NULL || *self->ruleset_id == '\0')
    {
      g_free (self->ruleset_id);
      self->ruleset_id = g_strdup (BB_RULESET_ID_MUNICIPAL);
    }

  if (*self->grantor == '\0')
    {
      g_set_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_GRANTOR,
                   _("Enter who grants the subsidy, for example “Gemeente Valkenswaard”."));
      return FALSE;
    }
  if (!bb_money_check_date (&self->period_start) || !bb_money_check_date (&self->period_end))
    {
      g_set_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_PERIOD,
                   _("Enter the subsidy period as two dates, for example 1-1-2025 and 31-12-2025."));
      return FALSE;
    }
  if (strcmp (self->period_end, self->period_start) < 0)
    {
      g_set_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_PERIOD,
                   _("The subsidy period ends before it starts."));
      return FALSE;
    }
  if (*self->beschikking_date != '\0' && !bb_money_check_date (&self->beschikking_date))
    {
      g_set_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_DATE,
                   _("The date of the grant decision (beschikking) is not a valid date."));
      return FALSE;
    }
  if (self->requested_cents < 0 || self->requested_cents > BB_MONEY_MAX_CENTS ||
      self->granted_cents < 0 || self->granted_cents > BB_MONEY_MAX_CENTS)
    {
      g_set_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_AMOUNT,
                   _("The amounts requested and granted cannot be negative."));
      return FALSE;
    }
  for (guint i = 0; i < self->advances->len; i++)
    {
      BbSubsidyAdvance *advance = g_ptr_array_index (self->advances, i);

      if (!bb_money_check_date (&advance->date) ||
          advance->amount_cents <= 0 || advance->amount_cents > BB_MONEY_MAX_CENTS)
        {
          g_set_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_ADVANCE,
                       _("Advance %u needs a valid date and an amount above zero."), i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

#define SUBSIDY_COLUMNS \
  "id, grantor, scheme, beschikking_number, beschikking_date, period_start," \
  " period_end, requested_cents, granted_cents, ruleset_id, notes"

static BbSubsidy *
subsidy_from_row (sqlite3_stmt *stmt)
{
  BbSubsidy *self = bb_subsidy_new ();

#define SET(field, col) g_free (self->field); self->field = g_strdup (bb_money_column_text (stmt, col))
  SET (id, 0);
  SET (grantor, 1);
  SET (scheme, 2);
  SET (beschikking_number, 3);
  SET (beschikking_date, 4);
  SET (period_start, 5);
  SET (period_end, 6);
  SET (ruleset_id, 9);
  SET (notes, 10);
#undef SET
  self->requested_cents = sqlite3_column_int64 (stmt, 7);
  self->granted_cents = sqlite3_column_int64 (stmt, 8);
  return self;
}

static gboolean
load_advances (BbStore    *store,
               BbSubsidy  *self,
               GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = bb_store_prepare (store,
                           "SELECT id, date, amount_cents FROM subsidy_advance"
                           " WHERE subsidy_id = ?1 ORDER BY date, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbSubsidyAdvance *advance = g_new0 (BbSubsidyAdvance, 1);

      advance->id = g_strdup (bb_money_column_text (stmt, 0));
      advance->date = g_strdup (bb_money_column_text (stmt, 1));
      advance->amount_cents = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (self->advances, advance);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the subsidies"));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
bb_subsidy_list (BbStore  *store,
                 GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  stmt = bb_store_prepare (store,
                           "SELECT " SUBSIDY_COLUMNS " FROM subsidy"
                           " ORDER BY period_start DESC, grantor COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, subsidy_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the subsidies"));
      return NULL;
    }

  for (guint i = 0; i < list->len; i++)
    if (!load_advances (store, g_ptr_array_index (list, i), error))
      return NULL;
  return g_steal_pointer (&list);
}

BbSubsidy *
bb_subsidy_load (BbStore     *store,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(BbSubsidy) self = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = bb_store_prepare (store, "SELECT " SUBSIDY_COLUMNS " FROM subsidy WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    self = subsidy_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BB_SUBSIDY_ERROR, BB_SUBSIDY_ERROR_NOT_FOUND,
                   _("There is no subsidy “%s”."), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the subsidies"));
      return NULL;
    }
  if (!load_advances (store, self, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
bb_subsidy_save (BbStore    *store,
                 BbSubsidy  *subsidy,
                 GError    **error)
{
  g_autofree char *now = NULL;
  g_autofree char *id = NULL;
  const char *what = _("Could not save the subsidy");
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_SUBSIDY (subsidy), FALSE);

  if (!bb_subsidy_validate (subsidy, error))
    return FALSE;

  id = *subsidy->id != '\0' ? g_strdup (subsidy->id) : bb_store_new_id ();
  now = bb_date_time_now_iso ();

  if (!bb_store_begin (store, error))
    return FALSE;

  stmt = bb_store_prepare (store,
                           "INSERT INTO subsidy (" SUBSIDY_COLUMNS ", created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"
                           " ON CONFLICT (id) DO UPDATE SET grantor = ?2, scheme = ?3,"
                           " beschikking_number = ?4, beschikking_date = ?5, period_start = ?6,"
                           " period_end = ?7, requested_cents = ?8, granted_cents = ?9,"
                           " ruleset_id = ?10, notes = ?11, updated_at = ?12", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, subsidy->grantor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, subsidy->scheme, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, subsidy->beschikking_number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, subsidy->beschikking_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, subsidy->period_start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, subsidy->period_end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, subsidy->requested_cents);
  sqlite3_bind_int64 (stmt, 9, subsidy->granted_cents);
  sqlite3_bind_text (stmt, 10, subsidy->ruleset_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, subsidy->notes, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, what, error))
    goto fail;

  /* Advances are few: replace them all. */
  stmt = bb_store_prepare (store, "DELETE FROM subsidy_advance WHERE subsidy_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, what, error))
    goto fail;

  for (guint i = 0; i < subsidy->advances->len; i++)
    {
      BbSubsidyAdvance *advance = g_ptr_array_index (subsidy->advances, i);

      if (*advance->id == '\0')
        {
          g_free (advance->id);
          advance->id = bb_store_new_id ();
        }
      stmt = bb_store_prepare (store,
                               "INSERT INTO subsidy_advance (id, subsidy_id, date, amount_cents)"
                               " VALUES (?1, ?2, ?3, ?4)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, advance->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, advance->date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, advance->amount_cents);
      if (!bb_money_step_done (store, stmt, what, error))
        goto fail;
    }

  if (!bb_store_commit (store, error))
    return FALSE;

  g_free (subsidy->id);
  subsidy->id = g_steal_pointer (&id);
  bb_store_emit_changed (store);
  return TRUE;

fail:
  bb_store_rollback (store);
  return FALSE;
}

gboolean
bb_subsidy_delete (BbStore     *store,
                   const char  *id,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  stmt = bb_store_prepare (store, "DELETE FROM subsidy WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, _("Could not delete the subsidy"), error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

BbRuleset *
bb_subsidy_get_ruleset (BbStore   *store,
                        BbSubsidy *self)
{
  BbRuleset *ruleset;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (BB_IS_SUBSIDY (self), NULL);

  ruleset = bb_ruleset_lookup (store, self->ruleset_id, NULL);
  if (ruleset == NULL)
    ruleset = bb_ruleset_get_builtin (BB_RULESET_ID_MUNICIPAL);
  return ruleset;
}

BbReportContent
bb_subsidy_get_required_content (BbStore   *store,
                                 BbSubsidy *self)
{
  g_autoptr(BbRuleset) ruleset = bb_subsidy_get_ruleset (store, self);

  return bb_ruleset_required_content (ruleset, self->granted_cents);
}

char *
bb_subsidy_compute_deadline (BbStore   *store,
                             BbSubsidy *self)
{
  g_autoptr(BbRuleset) ruleset = bb_subsidy_get_ruleset (store, self);

  return bb_ruleset_compute_deadline (ruleset, self->period_end, NULL);
}
