/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Small helpers shared by the money files (subsidy, budget, ledger). */

#include "bb-store-private.h"

G_BEGIN_DECLS

/* Steps a prepared statement to SQLITE_DONE and resets it; on failure sets
 * a BB_STORE_ERROR with @what. */
gboolean    bb_money_step_done   (BbStore       *store,
                                  sqlite3_stmt  *stmt,
                                  const char    *what,
                                  GError       **error);
/* The column as a string, "" for NULL. */
const char *bb_money_column_text (sqlite3_stmt  *stmt,
                                  int            column);
/* The column as a string or NULL. */
char       *bb_money_column_dup_nullable (sqlite3_stmt *stmt,
                                  int            column);
/* Whether @text is a valid ISO date; normalises it in place to YYYY-MM-DD. */
gboolean    bb_money_check_date  (char         **text);

G_END_DECLS

#include "bb-ledger.h"

G_BEGIN_DECLS

/* Inside a transaction the caller began: validates and writes @transaction
 * with its splits. With @skip_duplicate a transaction whose dedupe_key is
 * already stored is left out and *@out_inserted is FALSE. */
gboolean    bb_ledger_write      (BbStore       *store,
                                  BbTransaction *transaction,
                                  gboolean       skip_duplicate,
                                  gboolean      *out_inserted,
                                  GError       **error);
/* Inside a transaction the caller began: stores the bytes (once per
 * sha256) and links them to @transaction_id. */
char       *bb_ledger_write_receipt (BbStore    *store,
                                  const char    *transaction_id,
                                  GBytes        *data,
                                  const char    *content_type,
                                  const char    *filename,
                                  GError       **error);

G_END_DECLS
