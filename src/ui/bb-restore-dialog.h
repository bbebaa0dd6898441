/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_RESTORE_DIALOG (bb_restore_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbRestoreDialog, bb_restore_dialog, BB, RESTORE_DIALOG, AdwWindow)

/* Lists the backups of @store's council with date, reason and size; after
 * the user confirms, restores one and emits "restored" with its date. */
BbRestoreDialog *bb_restore_dialog_new     (GtkWindow       *parent,
                                            BbStore         *store);
/* Restores @path after the same confirmation a click asks for. */
void             bb_restore_dialog_restore (BbRestoreDialog *self,
                                            const char      *path);

G_END_DECLS
