/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The ledger as light list rows. bb_ledger_query() gives whole
 * transactions with their split lines, which an editor needs; a list of
 * twenty thousand rows only needs what one row shows, so this reads that
 * with one statement and folds a search key per row once, so filtering
 * as the treasurer types is a substring test per row and no SQL.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bb-ledger-rows.h"
#include "bb-money.h"
#include "bb-money-private.h"

G_DEFINE_FINAL_TYPE (BbLedgerRow, bb_ledger_row, G_TYPE_OBJECT)

static void
bb_ledger_row_finalize (GObject *object)
{
  BbLedgerRow *self = (BbLedgerRow *)object;

  g_free (self->id);
  g_free (self->date);
  g_free (self->description);
  g_free (self->counterparty);
  g_free (self->post_id);
  g_free (self->receipt_id);
  g_free (self->receipt_type);
  g_free (self->search_key);

  G_OBJECT_CLASS (bb_ledger_row_parent_class)->finalize (object);
}

static void
bb_ledger_row_class_init (BbLedgerRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_ledger_row_finalize;
}

static void
bb_ledger_row_init (BbLedgerRow *self)
{
}

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p >= 0x80)
        return FALSE;
    }
  return TRUE;
}

char *
bb_ledger_fold_search (const char *text)
{
  g_autofree char *normal = NULL;
  g_autofree char *ascii = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  /* Most descriptions and counterparties are plain ASCII, which the steps
   * below leave as it is: only lower it. This runs for every row when the
   * ledger loads. */
  if (is_ascii (text))
    return g_ascii_strdown (text, -1);
  /* Decompose first so that accents become separate marks that the
   * ASCII conversion drops ("é" → "e", not "?"). */
  normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  ascii = g_str_to_ascii (normal != NULL ? normal : text, "C");
  return g_ascii_strdown (ascii, -1);
}

gboolean
bb_ledger_row_matches (BbLedgerRow *row,
                       const char  *folded_query)
{
  const char *p;

  g_return_val_if_fail (BB_IS_LEDGER_ROW (row), FALSE);

  if (folded_query == NULL)
    return TRUE;
  p = folded_query;
  while (*p != '\0')
    {
      const char *end;
      g_autofree char *word = NULL;

      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      end = strchr (p, ' ');
      if (end == NULL)
        end = p + strlen (p);
      word = g_strndup (p, end - p);
      if (strstr (row->search_key, word) == NULL)
        return FALSE;
      p = end;
    }
  return TRUE;
}

static char *
search_key (const char *description,
            const char *counterparty,
            const char *iban,
            const char *date,
            gint64      amount_cents)
{
  g_autofree char *plain = bb_money_format_plain (amount_cents);
  g_autofree char *joined = g_strjoin (" ", description, counterparty, iban, date, plain, NULL);

  return bb_ledger_fold_search (joined);
}

GListStore *
bb_ledger_list_rows (BbStore               *store,
                     const BbLedgerFilter  *filter,
                     GError               **error)
{
  static const BbLedgerFilter all = BB_LEDGER_FILTER_INIT;
  g_autoptr(GListStore) rows = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  if (filter == NULL)
    filter = &all;
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
                           "SELECT t.id, t.date, t.amount_cents, t.description, t.counterparty,"
                           " t.counterparty_iban, t.account,"
                           " (SELECT COUNT (*) FROM ledger_split s WHERE s.transaction_id = t.id),"
                           " (SELECT s.post_id FROM ledger_split s WHERE s.transaction_id = t.id"
                           "   ORDER BY s.position LIMIT 1),"
                           " (SELECT COUNT (*) FROM ledger_receipt r WHERE r.transaction_id = t.id),"
                           " (SELECT r.receipt_id FROM ledger_receipt r WHERE r.transaction_id = t.id"
                           "   ORDER BY r.position, r.receipt_id LIMIT 1),"
                           " (SELECT c.content_type FROM ledger_receipt r JOIN receipt c ON c.id = r.receipt_id"
                           "   WHERE r.transaction_id = t.id ORDER BY r.position, r.receipt_id LIMIT 1)"
                           " FROM ledger_transaction t"
                           " WHERE (?1 IS NULL OR t.date >= ?1)"
                           " AND (?2 IS NULL OR t.date <= ?2)"
                           " AND (?3 IS NULL OR t.account = ?3)"
                           " AND (?4 = 0 OR NOT EXISTS (SELECT 1 FROM ledger_receipt r"
                           "      WHERE r.transaction_id = t.id))"
                           " ORDER BY t.date, t.created_at, t.id LIMIT ?5", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_TRANSIENT);
  if (filter->account >= 0)
    sqlite3_bind_text (stmt, 3, bb_account_to_string (filter->account), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, filter->missing_receipt ? 1 : 0);
  sqlite3_bind_int64 (stmt, 5, filter->limit > 0 ? (gint64)filter->limit : -1);

  batch = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbLedgerRow *row = g_object_new (BB_TYPE_LEDGER_ROW, NULL);

      row->id = g_strdup (bb_money_column_text (stmt, 0));
      row->date = g_strdup (bb_money_column_text (stmt, 1));
      row->amount_cents = sqlite3_column_int64 (stmt, 2);
      row->description = g_strdup (bb_money_column_text (stmt, 3));
      row->counterparty = g_strdup (bb_money_column_text (stmt, 4));
      bb_account_from_string (bb_money_column_text (stmt, 6), &row->account);
      row->n_splits = sqlite3_column_int (stmt, 7);
      row->post_id = bb_money_column_dup_nullable (stmt, 8);
      row->n_receipts = sqlite3_column_int (stmt, 9);
      row->receipt_id = bb_money_column_dup_nullable (stmt, 10);
      row->receipt_type = bb_money_column_dup_nullable (stmt, 11);
      row->search_key = search_key (row->description, row->counterparty,
                                    bb_money_column_text (stmt, 5), row->date, row->amount_cents);
      g_ptr_array_add (batch, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the ledger"));
      return NULL;
    }

  rows = g_list_store_new (BB_TYPE_LEDGER_ROW);
  g_list_store_splice (rows, 0, 0, batch->pdata, batch->len);
  return g_steal_pointer (&rows);
}
