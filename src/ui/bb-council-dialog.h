/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-council.h"

G_BEGIN_DECLS

#define BB_TYPE_COUNCIL_DIALOG (bb_council_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbCouncilDialog, bb_council_dialog, BB, COUNCIL_DIALOG, AdwWindow)

/* With @council NULL the dialog creates a new council in @folder; else it
 * edits a copy of @council. Either way it emits "submit" with a validated
 * council and stays open until the receiver closes it, so a failure (a
 * file that cannot be written) can be shown in the dialog. */
BbCouncilDialog *bb_council_dialog_new        (GtkWindow       *parent,
                                               BbCouncil       *council,
                                               GFile           *folder);
GFile           *bb_council_dialog_dup_folder (BbCouncilDialog *self);
void             bb_council_dialog_show_error (BbCouncilDialog *self,
                                               const GError    *error);

G_END_DECLS
