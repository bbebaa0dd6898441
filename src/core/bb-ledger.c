/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "bb-date.h"
#include "bb-ledger.h"
#include "bb-money.h"
#include "bb-money-private.h"

G_DEFINE_QUARK (bb-ledger-error-quark, bb_ledger_error)

G_DEFINE_FINAL_TYPE (BbTransaction, bb_transaction, G_TYPE_OBJECT)

/* Phone photos of a receipt are a few MB; a 50 MB "receipt" is a mistake. */
#define RECEIPT_MAX_BYTES (25 * 1024 * 1024)

const char *
bb_account_to_string (BbAccount account)
{
  return account == BB_ACCOUNT_CASH ? "cash" : "bank";
}

gboolean
bb_account_from_string (const char *text,
                        BbAccount  *out_account)
{
  if (g_strcmp0 (text, "bank") == 0)
    *out_account = BB_ACCOUNT_BANK;
  else if (g_strcmp0 (text, "cash") == 0)
    *out_account = BB_ACCOUNT_CASH;
  else
    return FALSE;
  return TRUE;
}

const char *
bb_account_get_label (BbAccount account)
{
  return account == BB_ACCOUNT_CASH ? _("Cash") : _("Bank");
}

static void
split_clear (gpointer data)
{
  BbSplit *split = data;

  g_clear_pointer (&split->post_id, g_free);
}

static void
bb_transaction_finalize (GObject *object)
{
  BbTransaction *self = (BbTransaction *)object;

  g_free (self->id);
  g_free (self->date);
  g_free (self->description);
  g_free (self->counterparty);
  g_free (self->counterparty_iban);
  g_free (self->activity_id);
  g_free (self->volunteer_id);
  g_free (self->bank_reference);
  g_free (self->dedupe_key);
  g_clear_pointer (&self->splits, g_array_unref);

  G_OBJECT_CLASS (bb_transaction_parent_class)->finalize (object);
}

static void
bb_transaction_class_init (BbTransactionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_transaction_finalize;
}

static void
bb_transaction_init (BbTransaction *self)
{
  self->id = g_strdup ("");
  self->date = g_strdup ("");
  self->description = g_strdup ("");
  self->counterparty = g_strdup ("");
  self->counterparty_iban = g_strdup ("");
  self->bank_reference = g_strdup ("");
  self->splits = g_array_new (FALSE, TRUE, sizeof (BbSplit));
  g_array_set_clear_func (self->splits, split_clear);
}

BbTransaction *
bb_transaction_new (void)
{
  return g_object_new (BB_TYPE_TRANSACTION, NULL);
}

BbTransaction *
bb_transaction_copy (BbTransaction *self)
{
  BbTransaction *copy;

  g_return_val_if_fail (BB_IS_TRANSACTION (self), NULL);

  copy = bb_transaction_new ();
#define DUP(field) g_free (copy->field); copy->field = g_strdup (self->field)
  DUP (id);
  DUP (date);
  DUP (description);
  DUP (counterparty);
  DUP (counterparty_iban);
  DUP (activity_id);
  DUP (volunteer_id);
  DUP (bank_reference);
  DUP (dedupe_key);
#undef DUP
  copy->amount_cents = self->amount_cents;
  copy->account = self->account;
  copy->n_receipts = self->n_receipts;
  for (guint i = 0; i < self->splits->len; i++)
    {
      const BbSplit *split = &g_array_index (self->splits, BbSplit, i);

      bb_transaction_add_split (copy, split->post_id, split->amount_cents);
    }
  return copy;
}

void
bb_transaction_add_split (BbTransaction *self,
                          const char    *post_id,
                          gint64         amount_cents)
{
  BbSplit split = { NULL, amount_cents };

  g_return_if_fail (BB_IS_TRANSACTION (self));

  split.post_id = post_id != NULL && *post_id != '\0' ? g_strdup (post_id) : NULL;
  g_array_append_val (self->splits, split);
}

void
bb_transaction_clear_splits (BbTransaction *self)
{
  g_return_if_fail (BB_IS_TRANSACTION (self));

  g_array_set_size (self->splits, 0);
}

static void
normalise_nullable (char **field)
{
  if (*field != NULL)
    {
      g_strstrip (*field);
      if (**field == '\0')
        g_clear_pointer (field, g_free);
    }
}

gint64
bb_transaction_get_unassigned_cents (BbTransaction *self)
{
  gint64 rest;

  g_return_val_if_fail (BB_IS_TRANSACTION (self), 0);

  rest = self->amount_cents;
  for (guint i = 0; i < self->splits->len; i++)
    rest -= g_array_index (self->splits, BbSplit, i).amount_cents;
  return rest;
}

gint64
bb_split_cents_for_transaction (gint64 transaction_cents,
                                gint64 typed_cents)
{
  gint64 magnitude = typed_cents < 0 ? -typed_cents : typed_cents;

  return transaction_cents < 0 ? -magnitude : magnitude;
}

gboolean
bb_transaction_validate (BbTransaction  *self,
                         GError        **error)
{
  gint64 sum = 0;

  g_return_val_if_fail (BB_IS_TRANSACTION (self), FALSE);

  g_strstrip (self->description);
  g_strstrip (self->counterparty);
  g_strstrip (self->bank_reference);
  /* IBANs are compared, so store them one way: no spaces, capitals. */
  {
    GString *iban = g_string_new (NULL);

    for (const char *p = self->counterparty_iban; *p != '\0'; p++)
      if (!g_ascii_isspace (*p))
        g_string_append_c (iban, g_ascii_toupper (*p));
    g_free (self->counterparty_iban);
    self->counterparty_iban = g_string_free (iban, FALSE);
  }
  normalise_nullable (&self->activity_id);
  normalise_nullable (&self->volunteer_id);
  normalise_nullable (&self->dedupe_key);

  if (!bb_money_check_date (&self->date))
    {
      g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_DATE,
                   _("The transaction needs a valid date, for example 14-3-2025."));
      return FALSE;
    }
  if (self->amount_cents == 0 ||
      self->amount_cents > BB_MONEY_MAX_CENTS || self->amount_cents < -BB_MONEY_MAX_CENTS)
    {
      g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_AMOUNT,
                   _("The transaction needs an amount other than zero."));
      return FALSE;
    }

  for (guint i = 0; i < self->splits->len; i++)
    {
      const BbSplit *split = &g_array_index (self->splits, BbSplit, i);

      if (split->amount_cents == 0 ||
          split->amount_cents > BB_MONEY_MAX_CENTS || split->amount_cents < -BB_MONEY_MAX_CENTS)
        {
          g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_SPLIT,
                       _("Split line %u needs an amount other than zero."), i + 1);
          return FALSE;
        }
      sum += split->amount_cents;
    }
  if (self->splits->len > 0 && sum != self->amount_cents)
    {
      g_autofree char *total = bb_money_format (self->amount_cents);
      g_autofree char *parts = bb_money_format (sum);

      g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_SPLIT,
                   _("The split lines add up to %s, but the transaction is %s."), parts, total);
      return FALSE;
    }
  return TRUE;
}

#define TRANSACTION_COLUMNS \
  "t.id, t.date, t.amount_cents, t.description, t.counterparty, t.counterparty_iban," \
  " t.account, t.activity_id, t.volunteer_id, t.bank_reference, t.dedupe_key," \
  " (SELECT COUNT (*) FROM ledger_receipt r WHERE r.transaction_id = t.id)"

static BbTransaction *
transaction_from_row (sqlite3_stmt *stmt)
{
  BbTransaction *self = bb_transaction_new ();

#define SET(field, col) g_free (self->field); self->field = g_strdup (bb_money_column_text (stmt, col))
  SET (id, 0);
  SET (date, 1);
  SET (description, 3);
  SET (counterparty, 4);
  SET (counterparty_iban, 5);
  SET (bank_reference, 9);
#undef SET
  self->amount_cents = sqlite3_column_int64 (stmt, 2);
  bb_account_from_string (bb_money_column_text (stmt, 6), &self->account);
  self->activity_id = bb_money_column_dup_nullable (stmt, 7);
  self->volunteer_id = bb_money_column_dup_nullable (stmt, 8);
  self->dedupe_key = bb_money_column_dup_nullable (stmt, 10);
  self->n_receipts = sqlite3_column_int (stmt, 11);
  return self;
}

static gboolean
load_splits (BbStore    *store,
             GPtrArray  *transactions,
             GError    **error)
{
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  if (transactions->len > 64)
    {
      /* Many at once (a year, a report): one pass over all split lines is
       * faster than a query per transaction. */
      g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < transactions->len; i++)
        {
          BbTransaction *t = g_ptr_array_index (transactions, i);
          g_hash_table_insert (by_id, t->id, t);
        }
      stmt = bb_store_prepare (store,
                               "SELECT transaction_id, post_id, amount_cents FROM ledger_split"
                               " ORDER BY transaction_id, position", error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          BbTransaction *t = g_hash_table_lookup (by_id, bb_money_column_text (stmt, 0));

          if (t != NULL)
            bb_transaction_add_split (t, (const char *)sqlite3_column_text (stmt, 1),
                                      sqlite3_column_int64 (stmt, 2));
        }
      sqlite3_reset (stmt);
    }
  else
    {
      for (guint i = 0; i < transactions->len && (rc == SQLITE_DONE); i++)
        {
          BbTransaction *t = g_ptr_array_index (transactions, i);

          stmt = bb_store_prepare (store,
                                   "SELECT post_id, amount_cents FROM ledger_split"
                                   " WHERE transaction_id = ?1 ORDER BY position", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, t->id, -1, SQLITE_TRANSIENT);
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            bb_transaction_add_split (t, (const char *)sqlite3_column_text (stmt, 0),
                                      sqlite3_column_int64 (stmt, 1));
          sqlite3_reset (stmt);
        }
    }

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
      return FALSE;
    }
  return TRUE;
}

static char *
like_pattern (const char *search)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = search; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

GPtrArray *
bb_ledger_query (BbStore               *store,
                 const BbLedgerFilter  *filter,
                 GError               **error)
{
  static const BbLedgerFilter all = BB_LEDGER_FILTER_INIT;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *pattern = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  if (filter == NULL)
    filter = &all;

  if (filter->search != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (filter->search));

      if (*trimmed != '\0')
        pattern = like_pattern (trimmed);
    }
  from = g_strdup (filter->from);
  to = g_strdup (filter->to);
  if (filter->year > 0)
    {
      g_autofree char *year_from = g_strdup_printf ("%04d-01-01", filter->year);
      g_autofree char *year_to = g_strdup_printf ("%04d-12-31", filter->year);

      if (from == NULL || strcmp (year_from, from) > 0)
        {
          g_free (from);
          from = g_steal_pointer (&year_from);
        }
      if (to == NULL || strcmp (year_to, to) < 0)
        {
          g_free (to);
          to = g_steal_pointer (&year_to);
        }
    }

  stmt = bb_store_prepare (store,
                           "SELECT " TRANSACTION_COLUMNS " FROM ledger_transaction t"
                           " WHERE (?1 IS NULL OR t.description LIKE ?1 ESCAPE '\\'"
                           "        OR t.counterparty LIKE ?1 ESCAPE '\\'"
                           "        OR t.counterparty_iban LIKE ?1 ESCAPE '\\')"
                           " AND (?2 IS NULL OR t.date >= ?2)"
                           " AND (?3 IS NULL OR t.date <= ?3)"
                           " AND (?4 IS NULL OR t.account = ?4)"
                           " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM ledger_split s"
                           "      WHERE s.transaction_id = t.id AND s.post_id = ?5))"
                           " AND (?6 IS NULL OR EXISTS (SELECT 1 FROM ledger_split s"
                           "      JOIN budget_post p ON p.id = s.post_id"
                           "      WHERE s.transaction_id = t.id AND p.subsidy_id = ?6))"
                           " AND (?7 = 0 OR NOT EXISTS (SELECT 1 FROM ledger_split s"
                           "      WHERE s.transaction_id = t.id AND s.post_id IS NOT NULL))"
                           " AND (?8 = 0 OR NOT EXISTS (SELECT 1 FROM ledger_receipt r"
                           "      WHERE r.transaction_id = t.id))"
                           " ORDER BY t.date, t.created_at, t.id LIMIT ?9", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to, -1, SQLITE_TRANSIENT);
  if (filter->account >= 0)
    sqlite3_bind_text (stmt, 4, bb_account_to_string (filter->account), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, filter->post_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, filter->subsidy_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 7, filter->uncategorised ? 1 : 0);
  sqlite3_bind_int (stmt, 8, filter->missing_receipt ? 1 : 0);
  sqlite3_bind_int64 (stmt, 9, filter->limit > 0 ? (gint64)filter->limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, transaction_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
      return NULL;
    }
  if (!load_splits (store, list, error))
    return NULL;
  return g_steal_pointer (&list);
}

BbTransaction *
bb_ledger_load (BbStore     *store,
                const char  *id,
                GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = bb_store_prepare (store,
                           "SELECT " TRANSACTION_COLUMNS " FROM ledger_transaction t WHERE t.id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    g_ptr_array_add (list, transaction_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_NOT_FOUND,
                   _("There is no transaction “%s”."), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
      return NULL;
    }
  if (!load_splits (store, list, error))
    return NULL;
  return g_object_ref (g_ptr_array_index (list, 0));
}

gboolean
bb_ledger_write (BbStore        *store,
                 BbTransaction  *transaction,
                 gboolean        skip_duplicate,
                 gboolean       *out_inserted,
                 GError        **error)
{
  const char *what = _("Could not save the transaction");
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (out_inserted != NULL)
    *out_inserted = FALSE;
  if (!bb_transaction_validate (transaction, error))
    return FALSE;

  if (skip_duplicate && transaction->dedupe_key != NULL)
    {
      gboolean exists;

      stmt = bb_store_prepare (store, "SELECT 1 FROM ledger_transaction WHERE dedupe_key = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, transaction->dedupe_key, -1, SQLITE_TRANSIENT);
      exists = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (exists)
        return TRUE;
    }

  id = *transaction->id != '\0' ? g_strdup (transaction->id) : bb_store_new_id ();
  now = bb_date_time_now_iso ();

  stmt = bb_store_prepare (store,
                           "INSERT INTO ledger_transaction (id, date, amount_cents, description,"
                           " counterparty, counterparty_iban, account, activity_id, volunteer_id,"
                           " bank_reference, dedupe_key, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"
                           " ON CONFLICT (id) DO UPDATE SET date = ?2, amount_cents = ?3,"
                           " description = ?4, counterparty = ?5, counterparty_iban = ?6,"
                           " account = ?7, activity_id = ?8, volunteer_id = ?9,"
                           " bank_reference = ?10, dedupe_key = ?11, updated_at = ?12", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, transaction->date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, transaction->amount_cents);
  sqlite3_bind_text (stmt, 4, transaction->description, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, transaction->counterparty, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, transaction->counterparty_iban, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, bb_account_to_string (transaction->account), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, transaction->activity_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, transaction->volunteer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, transaction->bank_reference, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, transaction->dedupe_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (bb_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_DUPLICATE,
                     _("This bank transaction is already in the ledger."));
      else if (sqlite3_extended_errcode (bb_store_get_db (store)) == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_NOT_FOUND,
                     _("The linked activity or volunteer no longer exists."));
      else
        bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, what);
      return FALSE;
    }

  stmt = bb_store_prepare (store, "DELETE FROM ledger_split WHERE transaction_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, what, error))
    return FALSE;

  for (guint i = 0; i < transaction->splits->len; i++)
    {
      const BbSplit *split = &g_array_index (transaction->splits, BbSplit, i);
      g_autofree char *split_id = bb_store_new_id ();

      stmt = bb_store_prepare (store,
                               "INSERT INTO ledger_split (id, transaction_id, post_id, amount_cents, position)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, split_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, split->post_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, split->amount_cents);
      sqlite3_bind_int (stmt, 5, (int)i);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          if (sqlite3_extended_errcode (bb_store_get_db (store)) == SQLITE_CONSTRAINT_FOREIGNKEY)
            g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_SPLIT,
                         _("Split line %u is booked on a budget post that no longer exists."), i + 1);
          else
            bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, what);
          return FALSE;
        }
    }

  g_free (transaction->id);
  transaction->id = g_steal_pointer (&id);
  if (out_inserted != NULL)
    *out_inserted = TRUE;
  return TRUE;
}

gboolean
bb_ledger_save (BbStore        *store,
                BbTransaction  *transaction,
                GError        **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_TRANSACTION (transaction), FALSE);

  if (!bb_transaction_validate (transaction, error))
    return FALSE;
  if (!bb_store_begin (store, error))
    return FALSE;
  if (!bb_ledger_write (store, transaction, FALSE, NULL, error))
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
bb_ledger_delete (BbStore     *store,
                  const char  *id,
                  GError     **error)
{
  const char *what = _("Could not delete the transaction");
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store, "DELETE FROM ledger_transaction WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, what, error))
    goto fail;
  /* Receipts no other transaction uses go with it. */
  stmt = bb_store_prepare (store,
                           "DELETE FROM receipt WHERE NOT EXISTS"
                           " (SELECT 1 FROM ledger_receipt l WHERE l.receipt_id = receipt.id)", error);
  if (stmt == NULL)
    goto fail;
  if (!bb_money_step_done (store, stmt, what, error))
    goto fail;
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;

fail:
  bb_store_rollback (store);
  return FALSE;
}

gboolean
bb_ledger_get_balance (BbStore     *store,
                       BbAccount    account,
                       const char  *until,
                       gint64      *out_cents,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_cents != NULL, FALSE);

  stmt = bb_store_prepare (store,
                           "SELECT COALESCE (SUM (amount_cents), 0) FROM ledger_transaction"
                           " WHERE account = ?1 AND (?2 IS NULL OR date <= ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bb_account_to_string (account), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, until, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_cents = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
      return FALSE;
    }
  return TRUE;
}

char *
bb_ledger_suggest_post (BbStore     *store,
                        const char  *counterparty,
                        const char  *counterparty_iban,
                        const char  *date,
                        GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *kind = NULL;
  char *post_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  if ((counterparty == NULL || *counterparty == '\0') &&
      (counterparty_iban == NULL || *counterparty_iban == '\0'))
    return NULL;

  /* The same IBAN is the surest match; the same name will do. */
  stmt = bb_store_prepare (store,
                           "SELECT p.name, p.kind FROM ledger_transaction t"
                           " JOIN ledger_split s ON s.transaction_id = t.id"
                           " JOIN budget_post p ON p.id = s.post_id"
                           " WHERE (?1 <> '' AND t.counterparty_iban = ?1)"
                           "    OR (?2 <> '' AND t.counterparty = ?2 COLLATE NOCASE)"
                           " ORDER BY (?1 <> '' AND t.counterparty_iban = ?1) DESC,"
                           "  t.date DESC, t.created_at DESC, s.position LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, counterparty_iban ? counterparty_iban : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, counterparty ? counterparty : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      name = g_strdup (bb_money_column_text (stmt, 0));
      kind = g_strdup (bb_money_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
      return NULL;
    }
  if (name == NULL)
    return NULL;

  /* Posts belong to one subsidy year: find the same post in the subsidy
   * that covers this transaction's date. */
  stmt = bb_store_prepare (store,
                           "SELECT p.id FROM budget_post p JOIN subsidy su ON su.id = p.subsidy_id"
                           " WHERE p.name = ?1 AND p.kind = ?2"
                           " AND (?3 IS NULL OR ?3 BETWEEN su.period_start AND su.period_end)"
                           " ORDER BY su.period_start DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, date, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    post_id = g_strdup (bb_money_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
  return post_id;
}

/* Receipts */

void
bb_receipt_info_free (BbReceiptInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->sha256);
  g_free (info->content_type);
  g_free (info->filename);
  g_free (info);
}

/* Only what a receipt can be: a photo or a PDF, recognised by its bytes. */
static char *
sniff_receipt_type (GBytes *data)
{
  gsize size;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  if (size >= 8 && memcmp (bytes, "\x89PNG\r\n\x1a\n", 8) == 0)
    return g_strdup ("image/png");
  if (size >= 3 && memcmp (bytes, "\xff\xd8\xff", 3) == 0)
    return g_strdup ("image/jpeg");
  if (size >= 5 && memcmp (bytes, "%PDF-", 5) == 0)
    return g_strdup ("application/pdf");
  if (size >= 12 && memcmp (bytes, "RIFF", 4) == 0 && memcmp (bytes + 8, "WEBP", 4) == 0)
    return g_strdup ("image/webp");
  if (size >= 12 && memcmp (bytes + 4, "ftyp", 4) == 0 &&
      (memcmp (bytes + 8, "heic", 4) == 0 || memcmp (bytes + 8, "heix", 4) == 0 ||
       memcmp (bytes + 8, "mif1", 4) == 0))
    return g_strdup ("image/heic");
  if (size >= 4 && (memcmp (bytes, "II*\0", 4) == 0 || memcmp (bytes, "MM\0*", 4) == 0))
    return g_strdup ("image/tiff");
  return NULL;
}

char *
bb_ledger_write_receipt (BbStore     *store,
                         const char  *transaction_id,
                         GBytes      *data,
                         const char  *content_type,
                         const char  *filename,
                         GError     **error)
{
  const char *what = _("Could not store the receipt");
  g_autofree char *sha256 = NULL;
  g_autofree char *sniffed = NULL;
  g_autofree char *receipt_id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *base = NULL;
  sqlite3_stmt *stmt;
  gsize size;
  int rc;

  size = g_bytes_get_size (data);
  if (size == 0)
    {
      g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_RECEIPT,
                   _("The receipt file is empty."));
      return NULL;
    }
  if (size > RECEIPT_MAX_BYTES)
    {
      g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_RECEIPT,
                   _("The receipt file is larger than 25 MB; scan or photograph it at a lower resolution."));
      return NULL;
    }
  sniffed = sniff_receipt_type (data);
  if (sniffed == NULL)
    {
      g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_RECEIPT,
                   _("“%s” is not a photo or PDF; a receipt must be a PNG, JPEG, WebP, HEIC, TIFF or PDF file."),
                   filename != NULL ? filename : "");
      return NULL;
    }
  /* The bytes decide; a caller's type only refines an image subtype. */
  if (content_type == NULL || !g_str_has_prefix (content_type, g_str_has_prefix (sniffed, "image/") ? "image/" : sniffed))
    content_type = sniffed;

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  base = filename != NULL ? g_path_get_basename (filename) : g_strdup ("");

  stmt = bb_store_prepare (store, "SELECT id FROM receipt WHERE sha256 = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    receipt_id = g_strdup (bb_money_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (receipt_id == NULL)
    {
      receipt_id = bb_store_new_id ();
      now = bb_date_time_now_iso ();
      stmt = bb_store_prepare (store,
                               "INSERT INTO receipt (id, sha256, content_type, filename, size, data, created_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, receipt_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, content_type, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, strcmp (base, ".") == 0 ? "" : base, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, (gint64)size);
      sqlite3_bind_blob64 (stmt, 6, g_bytes_get_data (data, NULL), size, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
      if (!bb_money_step_done (store, stmt, what, error))
        return NULL;
    }

  stmt = bb_store_prepare (store,
                           "INSERT INTO ledger_receipt (transaction_id, receipt_id, position)"
                           " VALUES (?1, ?2, (SELECT COUNT (*) FROM ledger_receipt WHERE transaction_id = ?1))"
                           " ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, transaction_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, receipt_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (bb_store_get_db (store)) == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_NOT_FOUND,
                     _("There is no transaction “%s”."), transaction_id);
      else
        bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, what);
      return NULL;
    }
  return g_steal_pointer (&receipt_id);
}

char *
bb_ledger_attach_receipt (BbStore     *store,
                          const char  *transaction_id,
                          GBytes      *data,
                          const char  *content_type,
                          const char  *filename,
                          GError     **error)
{
  g_autofree char *receipt_id = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (transaction_id != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!bb_store_begin (store, error))
    return NULL;
  receipt_id = bb_ledger_write_receipt (store, transaction_id, data, content_type, filename, error);
  if (receipt_id == NULL)
    {
      bb_store_rollback (store);
      return NULL;
    }
  if (!bb_store_commit (store, error))
    return NULL;
  bb_store_emit_changed (store);
  return g_steal_pointer (&receipt_id);
}

gboolean
bb_ledger_detach_receipt (BbStore     *store,
                          const char  *transaction_id,
                          const char  *receipt_id,
                          GError     **error)
{
  const char *what = _("Could not remove the receipt");
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (transaction_id != NULL && receipt_id != NULL, FALSE);

  if (!bb_store_begin (store, error))
    return FALSE;
  stmt = bb_store_prepare (store,
                           "DELETE FROM ledger_receipt WHERE transaction_id = ?1 AND receipt_id = ?2", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, transaction_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, receipt_id, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, what, error))
    goto fail;
  stmt = bb_store_prepare (store,
                           "DELETE FROM receipt WHERE id = ?1 AND NOT EXISTS"
                           " (SELECT 1 FROM ledger_receipt WHERE receipt_id = ?1)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, receipt_id, -1, SQLITE_TRANSIENT);
  if (!bb_money_step_done (store, stmt, what, error))
    goto fail;
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;

fail:
  bb_store_rollback (store);
  return FALSE;
}

GPtrArray *
bb_ledger_list_receipts (BbStore     *store,
                         const char  *transaction_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)bb_receipt_info_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (transaction_id != NULL, NULL);

  stmt = bb_store_prepare (store,
                           "SELECT r.id, r.sha256, r.content_type, r.filename, r.size"
                           " FROM ledger_receipt l JOIN receipt r ON r.id = l.receipt_id"
                           " WHERE l.transaction_id = ?1 ORDER BY l.position, r.created_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, transaction_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbReceiptInfo *info = g_new0 (BbReceiptInfo, 1);

      info->id = g_strdup (bb_money_column_text (stmt, 0));
      info->sha256 = g_strdup (bb_money_column_text (stmt, 1));
      info->content_type = g_strdup (bb_money_column_text (stmt, 2));
      info->filename = g_strdup (bb_money_column_text (stmt, 3));
      info->size = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the receipts"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

GBytes *
bb_ledger_get_receipt_data (BbStore     *store,
                            const char  *receipt_id,
                            GError     **error)
{
  GBytes *bytes = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (receipt_id != NULL, NULL);

  stmt = bb_store_prepare (store, "SELECT data FROM receipt WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, receipt_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_NOT_FOUND,
                 _("There is no receipt “%s”."), receipt_id);
  else if (rc != SQLITE_ROW)
    bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the receipts"));
  return bytes;
}
