/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bb-ledger.h"

G_BEGIN_DECLS

/* Light rows for showing a ledger of any size in a list: what a row shows,
 * the first receipt to draw as a thumbnail and a folded search key, read
 * with one query (no split lines, no receipt bytes). */

#define BB_TYPE_LEDGER_ROW (bb_ledger_row_get_type ())
G_DECLARE_FINAL_TYPE (BbLedgerRow, bb_ledger_row, BB, LEDGER_ROW, GObject)

/* Fields are public for reading; strings are never NULL except post_id,
 * receipt_id and receipt_type. */
struct _BbLedgerRow
{
  GObject    parent_instance;

  char      *id;
  char      *date;            /* ISO 8601 date */
  gint64     amount_cents;    /* signed */
  char      *description;
  char      *counterparty;
  BbAccount  account;
  guint      n_splits;
  char      *post_id;         /* of the first split line; NULL: none or uncategorised */
  guint      n_receipts;
  char      *receipt_id;      /* the first receipt attached, NULL: none */
  char      *receipt_type;    /* its content type */
  char      *search_key;      /* bb_ledger_fold_search() of description, counterparty, IBAN, date, amount */
};

/* Lower case without accents ("Café" and "CAFE" both give "cafe"), for
 * matching what a treasurer types against bb_ledger_row search keys. */
char       *bb_ledger_fold_search   (const char           *text);
/* Every word of @folded_query (already folded) occurs in the row's key;
 * an empty query matches every row. */
gboolean    bb_ledger_row_matches   (BbLedgerRow          *row,
                                     const char           *folded_query);

/* BbLedgerRow items in ledger order (date, then creation). Of @filter the
 * period (from, to, year), account, missing_receipt and limit apply;
 * search is for the caller to do on the keys. @filter may be NULL. */
GListStore *bb_ledger_list_rows     (BbStore              *store,
                                     const BbLedgerFilter *filter,
                                     GError              **error);

G_END_DECLS
