/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Budget posts and budget versus actual. Every figure is integer cents;
 * the only division is the percentage, rounded once at the end.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bb-budget.h"
#include "bb-money.h"
#include "bb-money-private.h"
#include "bb-ruleset.h"
#include "bb-subsidy.h"

G_DEFINE_QUARK (bb-budget-error-quark, bb_budget_error)

G_DEFINE_FINAL_TYPE (BbBudgetPost, bb_budget_post, G_TYPE_OBJECT)

/* The typical posts of a wijkraad budget (issue 6). */
static const char * const template_expense[] = {
  N_("Activities"),
  N_("Neighbourhood paper printing and delivery"),
  N_("Communication and website"),
  N_("Volunteers"),
  N_("Room hire"),
  N_("Insurance"),
  N_("Bank charges"),
  N_("Meeting costs"),
  N_("Small purchases"),
  N_("Contingencies"),
  NULL
};

static const char * const template_income[] = {
  N_("Subsidy"),
  N_("Own contributions"),
  N_("Advertisements"),
  N_("Sponsorship"),
  NULL
};

const char *
bb_post_kind_to_string (BbPostKind kind)
{
  return kind == BB_POST_INCOME ? "income" : "expense";
}

gboolean
bb_post_kind_from_string (const char *text,
                          BbPostKind *out_kind)
{
  if (g_strcmp0 (text, "expense") == 0)
    *out_kind = BB_POST_EXPENSE;
  else if (g_strcmp0 (text, "income") == 0)
    *out_kind = BB_POST_INCOME;
  else
    return FALSE;
  return TRUE;
}

static void
bb_budget_post_finalize (GObject *object)
{
  BbBudgetPost *self = (BbBudgetPost *)object;

  g_free (self->id);
  g_free (self->subsidy_id);
  g_free (self->name);
  g_free (self->explanation);

  G_OBJECT_CLASS (bb_budget_post_parent_class)->finalize (object);
}

static void
bb_budget_post_class_init (BbBudgetPostClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_budget_post_finalize;
}

static void
bb_budget_post_init (BbBudgetPost *self)
{
  self->id = g_strdup ("");
  self->subsidy_id = g_strdup ("");
  self->name = g_strdup ("");
  self->explanation = g_strdup ("");
}

BbBudgetPost *
bb_budget_post_new (const char *subsidy_id,
                    BbPostKind  kind,
                    const char *name,
                    gint64      planned_cents)
{
  BbBudgetPost *self = g_object_new (BB_TYPE_BUDGET_POST, NULL);

  g_free (self->subsidy_id);
  self->subsidy_id = g_strdup (subsidy_id ? subsidy_id : "");
  self->kind = kind;
  g_free (self->name);
  self->name = g_strdup (name ? name : "");
  self->planned_cents = planned_cents;
  return self;
}

#define POST_COLUMNS "id, subsidy_id, kind, name, planned_cents, explanation, position"

static BbBudgetPost *
post_from_row (sqlite3_stmt *stmt)
{
  BbBudgetPost *self = g_object_new (BB_TYPE_BUDGET_POST, NULL);

  g_free (self->id);
  self->id = g_strdup (bb_money_column_text (stmt, 0));
  g_free (self->subsidy_id);
  self->subsidy_id = g_strdup (bb_money_column_text (stmt, 1));
  bb_post_kind_from_string (bb_money_column_text (stmt, 2), &self->kind);
  g_free (self->name);
  self->name = g_strdup (bb_money_column_text (stmt, 3));
  self->planned_cents = sqlite3_column_int64 (stmt, 4);
  g_free (self->explanation);
  self->explanation = g_strdup (bb_money_column_text (stmt, 5));
  self->position = sqlite3_column_int (stmt, 6);
  return self;
}

GPtrArray *
bb_budget_list_posts (BbStore     *store,
                      const char  *subsidy_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (subsidy_id != NULL, NULL);

  stmt = bb_store_prepare (store,
                           "SELECT " POST_COLUMNS " FROM budget_post WHERE subsidy_id = ?1"
                           " ORDER BY kind = 'income', position, name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, subsidy_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, post_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the budget"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

BbBudgetPost *
bb_budget_load_post (BbStore     *store,
                     const char  *id,
                     GError     **error)
{
  BbBudgetPost *post = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = bb_store_prepare (store, "SELECT " POST_COLUMNS " FROM budget_post WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    post = post_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BB_BUDGET_ERROR, BB_BUDGET_ERROR_NOT_FOUND,
                 _("There is no budget post “%s”."), id);
  else if (rc != SQLITE_ROW)
    bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the budget"));
  return post;
}

static gboolean
insert_or_update_post (BbStore       *store,
                       BbBudgetPost  *post,
                       GError       **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *id = NULL;

  g_strstrip (post->name);
  g_strstrip (post->explanation);
  if (*post->name == '\0')
    {
      g_set_error (error, BB_BUDGET_ERROR, BB_BUDGET_ERROR_NAME,
                   _("A budget post needs a name."));
      return FALSE;
    }
  if (post->planned_cents < 0 || post->planned_cents > BB_MONEY_MAX_CENTS)
    {
      g_set_error (error, BB_BUDGET_ERROR, BB_BUDGET_ERROR_AMOUNT,
                   _("The planned amount of “%s” cannot be negative."), post->name);
      return FALSE;
    }

  id = *post->id != '\0' ? g_strdup (post->id) : bb_store_new_id ();
  if (*post->id == '\0' && post->position == 0)
    {
      /* New posts go last in their group. */
      stmt = bb_store_prepare (store,
                               "SELECT COALESCE (MAX (position) + 1, 0) FROM budget_post"
                               " WHERE subsidy_id = ?1 AND kind = ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, post->subsidy_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, bb_post_kind_to_string (post->kind), -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        post->position = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }

  stmt = bb_store_prepare (store,
                           "INSERT INTO budget_post (" POST_COLUMNS ")"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                           " ON CONFLICT (id) DO UPDATE SET kind = ?3, name = ?4,"
                           " planned_cents = ?5, explanation = ?6, position = ?7", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, post->subsidy_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, bb_post_kind_to_string (post->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, post->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, post->planned_cents);
  sqlite3_bind_text (stmt, 6, post->explanation, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 7, post->position);
  if (!bb_money_step_done (store, stmt, _("Could not save the budget post"), error))
    return FALSE;

  g_free (post->id);
  post->id = g_steal_pointer (&id);
  return TRUE;
}

gboolean
bb_budget_save_post (BbStore       *store,
                     BbBudgetPost  *post,
                     GError       **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_BUDGET_POST (post), FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;
  if (!insert_or_update_post (store, post, error))
    {
      bb_store_rollback (store);
      return FALSE;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_budget_delete_post (BbStore     *store,
                       const char  *id,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  stmt = bb_store_prepare (store, "DELETE FROM budget_post WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, _("Could not delete the budget post"), error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_budget_set_explanation (BbStore     *store,
                           const char  *post_id,
                           const char  *explanation,
                           GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (explanation ? explanation : ""));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (post_id != NULL, FALSE);

  stmt = bb_store_prepare (store, "UPDATE budget_post SET explanation = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, post_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, _("Could not save the explanation"), error))
    return FALSE;
  if (sqlite3_changes (bb_store_get_db (store)) == 0)
    {
      g_set_error (error, BB_BUDGET_ERROR, BB_BUDGET_ERROR_NOT_FOUND,
                   _("There is no budget post “%s”."), post_id);
      return FALSE;
    }
  bb_store_emit_changed (store);
  return TRUE;
}

void
bb_budget_get_template (const char * const **out_expense,
                        const char * const **out_income)
{
  if (out_expense != NULL)
    *out_expense = template_expense;
  if (out_income != NULL)
    *out_income = template_income;
}

gboolean
bb_budget_apply_template (BbStore     *store,
                          const char  *subsidy_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const *lists[] = { template_expense, template_income };

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (subsidy_id != NULL, FALSE);

  existing = bb_budget_list_posts (store, subsidy_id, error);
  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < existing->len; i++)
    g_hash_table_add (names, ((BbBudgetPost *)g_ptr_array_index (existing, i))->name);

  if (!bb_store_begin (store, error))
    return FALSE;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l][i] != NULL; i++)
      {
        const char *name = _(lists[l][i]);
        g_autoptr(BbBudgetPost) post = NULL;

        if (g_hash_table_contains (names, name))
          continue;
        post = bb_budget_post_new (subsidy_id, l == 0 ? BB_POST_EXPENSE : BB_POST_INCOME, name, 0);
        if (!insert_or_update_post (store, post, error))
          {
            bb_store_rollback (store);
            return FALSE;
          }
      }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;
}

static void
budget_line_free (gpointer data)
{
  BbBudgetLine *line = data;

  g_clear_object (&line->post);
  g_free (line);
}

void
bb_budget_actual_free (BbBudgetActual *self)
{
  if (self == NULL)
    return;
  g_free (self->subsidy_id);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_free (self);
}

/* Basis points of @part in @whole, rounded half away from zero. */
static gint64
basis_points (gint64 part,
              gint64 whole)
{
  gint64 magnitude = part < 0 ? -part : part;
  gint64 bp = (magnitude * 20000 + whole) / (2 * whole);

  return part < 0 ? -bp : bp;
}

BbBudgetActual *
bb_budget_actual_compute (BbStore     *store,
                          const char  *subsidy_id,
                          GError     **error)
{
  g_autoptr(BbSubsidy) subsidy = NULL;
  g_autoptr(BbRuleset) ruleset = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(BbBudgetActual) self = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (subsidy_id != NULL, NULL);

  subsidy = bb_subsidy_load (store, subsidy_id, error);
  if (subsidy == NULL)
    return NULL;
  posts = bb_budget_list_posts (store, subsidy_id, error);
  if (posts == NULL)
    return NULL;
  ruleset = bb_subsidy_get_ruleset (store, subsidy);

  self = g_new0 (BbBudgetActual, 1);
  self->subsidy_id = g_strdup (subsidy_id);
  self->lines = g_ptr_array_new_with_free_func (budget_line_free);
  self->granted_cents = subsidy->granted_cents;
  self->advances_cents = bb_subsidy_get_advances_total (subsidy);

  for (guint i = 0; i < posts->len; i++)
    {
      BbBudgetLine *line = g_new0 (BbBudgetLine, 1);

      line->post = g_object_ref (g_ptr_array_index (posts, i));
      line->planned_cents = line->post->planned_cents;
      g_ptr_array_add (self->lines, line);
      g_hash_table_insert (by_id, line->post->id, line);
    }

  stmt = bb_store_prepare (store,
                           "SELECT s.post_id, SUM (s.amount_cents), COUNT (DISTINCT t.id),"
                           "  COUNT (DISTINCT CASE WHEN NOT EXISTS (SELECT 1 FROM ledger_receipt r"
                           "    WHERE r.transaction_id = t.id) THEN t.id END)"
                           " FROM ledger_split s"
                           " JOIN budget_post p ON p.id = s.post_id"
                           " JOIN ledger_transaction t ON t.id = s.transaction_id"
                           " WHERE p.subsidy_id = ?1 AND t.date BETWEEN ?2 AND ?3"
                           " GROUP BY s.post_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, subsidy_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, subsidy->period_start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, subsidy->period_end, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbBudgetLine *line = g_hash_table_lookup (by_id, bb_money_column_text (stmt, 0));
      gint64 sum = sqlite3_column_int64 (stmt, 1);

      g_assert (line != NULL);
      /* Spending is negative in the ledger, positive on an expense post. */
      line->actual_cents = line->post->kind == BB_POST_EXPENSE ? -sum : sum;
      line->n_transactions = sqlite3_column_int (stmt, 2);
      line->n_missing_receipts = sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
      return NULL;
    }

  for (guint i = 0; i < self->lines->len; i++)
    {
      BbBudgetLine *line = g_ptr_array_index (self->lines, i);

      line->difference_cents = line->actual_cents - line->planned_cents;
      line->has_percent = line->planned_cents != 0;
      if (line->has_percent)
        line->difference_bp = basis_points (line->difference_cents, line->planned_cents);
      line->explanation_required = bb_ruleset_explanation_required (ruleset, line->planned_cents,
                                                                    line->actual_cents);
      line->explanation_missing = line->explanation_required && *line->post->explanation == '\0';
      if (line->explanation_missing)
        self->n_explanations_missing++;

      if (line->post->kind == BB_POST_EXPENSE)
        {
          self->planned_expense_cents += line->planned_cents;
          self->actual_expense_cents += line->actual_cents;
        }
      else
        {
          self->planned_income_cents += line->planned_cents;
          self->actual_income_cents += line->actual_cents;
        }
    }

  self->result_cents = self->actual_income_cents - self->actual_expense_cents;
  self->eligible_spending_cents = self->actual_expense_cents;
  self->payback_cents = MAX (0, self->granted_cents - self->eligible_spending_cents);

  return g_steal_pointer (&self);
}

char *
bb_budget_format_percent (gint64 basis_points_value)
{
  gint64 magnitude = basis_points_value < 0 ? -basis_points_value : basis_points_value;
  /* One decimal, rounded half away from zero, Dutch decimal comma. */
  gint64 tenths = (magnitude + 5) / 10;

  return g_strdup_printf ("%s%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "%%",
                          basis_points_value < 0 ? "−" : "",
                          tenths / 10, tenths % 10);
}
