/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bb-ledger.h"

G_BEGIN_DECLS

/* Deleting a transaction so that an "Undo" can put it back: the same id,
 * split lines, links and receipts (their bytes kept in memory). */
typedef struct _BbLedgerUndo BbLedgerUndo;

/* Deletes like bb_ledger_delete() and returns what is needed to undo it. */
BbLedgerUndo  *bb_ledger_delete_for_undo (BbStore       *store,
                                          const char    *id,
                                          GError       **error);
/* Puts the transaction back in one transaction; emits "changed". Fails
 * when a post or link it had is gone meanwhile (nothing is written). */
gboolean       bb_ledger_undo_delete     (BbStore       *store,
                                          BbLedgerUndo  *undo,
                                          GError       **error);
const char    *bb_ledger_undo_get_description (BbLedgerUndo *undo);
void           bb_ledger_undo_free       (BbLedgerUndo  *undo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbLedgerUndo, bb_ledger_undo_free)

G_END_DECLS
