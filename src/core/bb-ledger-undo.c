/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-ledger-undo.h"
#include "bb-money-private.h"

typedef struct {
  BbReceiptInfo *info;
  GBytes        *data;
} KeptReceipt;

struct _BbLedgerUndo
{
  BbTransaction *transaction;
  GPtrArray     *receipts;   /* KeptReceipt*, in their order */
};

static void
kept_receipt_free (gpointer data)
{
  KeptReceipt *kept = data;

  bb_receipt_info_free (kept->info);
  g_bytes_unref (kept->data);
  g_free (kept);
}

void
bb_ledger_undo_free (BbLedgerUndo *undo)
{
  if (undo == NULL)
    return;
  g_clear_object (&undo->transaction);
  g_clear_pointer (&undo->receipts, g_ptr_array_unref);
  g_free (undo);
}

const char *
bb_ledger_undo_get_description (BbLedgerUndo *undo)
{
  g_return_val_if_fail (undo != NULL, NULL);

  return *undo->transaction->description != '\0' ? undo->transaction->description
                                                 : undo->transaction->counterparty;
}

BbLedgerUndo *
bb_ledger_delete_for_undo (BbStore     *store,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(BbLedgerUndo) undo = g_new0 (BbLedgerUndo, 1);
  g_autoptr(GPtrArray) infos = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  undo->transaction = bb_ledger_load (store, id, error);
  if (undo->transaction == NULL)
    return NULL;
  infos = bb_ledger_list_receipts (store, id, error);
  if (infos == NULL)
    return NULL;
  undo->receipts = g_ptr_array_new_with_free_func (kept_receipt_free);
  for (guint i = 0; i < infos->len; i++)
    {
      KeptReceipt *kept = g_new0 (KeptReceipt, 1);

      kept->info = g_steal_pointer (&infos->pdata[i]);
      g_ptr_array_add (undo->receipts, kept);
      kept->data = bb_ledger_get_receipt_data (store, kept->info->id, error);
      if (kept->data == NULL)
        return NULL;
    }

  if (!bb_ledger_delete (store, id, error))
    return NULL;

  return g_steal_pointer (&undo);
}

gboolean
bb_ledger_undo_delete (BbStore       *store,
                       BbLedgerUndo  *undo,
                       GError       **error)
{
  g_autoptr(BbTransaction) copy = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  /* bb_ledger_write() normalises what it is given; keep ours as it was */
  copy = bb_transaction_copy (undo->transaction);
  if (!bb_store_begin (store, error))
    return FALSE;
  if (!bb_ledger_write (store, copy, FALSE, NULL, error))
    goto fail;
  for (guint i = 0; i < undo->receipts->len; i++)
    {
      KeptReceipt *kept = g_ptr_array_index (undo->receipts, i);
      g_autofree char *receipt_id = bb_ledger_write_receipt (store, copy->id, kept->data,
                                                             kept->info->content_type,
                                                             kept->info->filename, error);

      if (receipt_id == NULL)
        goto fail;
    }
  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;

fail:
  bb_store_rollback (store);
  return FALSE;
}
