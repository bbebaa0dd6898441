/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_CONFLICTS_DIALOG (bb_conflicts_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbConflictsDialog, bb_conflicts_dialog, BB, CONFLICTS_DIALOG, AdwWindow)

/* The library documents with conflicting versions: pick one, see the
 * versions side by side, keep one or merge by editing. */
GtkWidget *bb_conflicts_dialog_new (GtkWindow *parent,
                                    BbStore   *store);

G_END_DECLS
