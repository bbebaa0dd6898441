/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-ledger.h"
#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_TRANSACTION_DIALOG (bb_transaction_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbTransactionDialog, bb_transaction_dialog, BB, TRANSACTION_DIALOG, AdwWindow)

/* Edits @transaction (NULL: a new one) with its split lines over @posts
 * (BbBudgetPost*), its activity and volunteer. Saves through the core on
 * "Save" and closes; "Delete" emits ::delete-requested with the id and
 * closes, so the page can offer to undo. */
BbTransactionDialog *bb_transaction_dialog_new         (GtkWindow     *parent,
                                                        BbStore       *store,
                                                        BbTransaction *transaction,
                                                        GPtrArray     *posts);

/* For tests: the split editor. */
void                 bb_transaction_dialog_add_line    (BbTransactionDialog *self,
                                                        guint                post_index,
                                                        const char          *amount);
const char          *bb_transaction_dialog_get_remaining_text (BbTransactionDialog *self);
gboolean             bb_transaction_dialog_save        (BbTransactionDialog *self);
const char          *bb_transaction_dialog_get_error   (BbTransactionDialog *self);

G_END_DECLS
