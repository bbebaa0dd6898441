/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_RULESET_DIALOG (bb_ruleset_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbRulesetDialog, bb_ruleset_dialog, BB, RULESET_DIALOG, AdwWindow)

/* Shows the rule sets (built-in ones read-only), copies one and edits the
 * copy: name, tiers of required content, deadline rule, variance
 * threshold and required attachments, checked by bb_ruleset_validate().
 * @ruleset_id: the one shown first (NULL: the first). */
BbRulesetDialog *bb_ruleset_dialog_new            (GtkWindow       *parent,
                                                   BbStore         *store,
                                                   const char      *ruleset_id);

/* The same as the buttons, for tests. */
const char      *bb_ruleset_dialog_get_ruleset_id (BbRulesetDialog *self);
gboolean         bb_ruleset_dialog_copy           (BbRulesetDialog *self);
gboolean         bb_ruleset_dialog_save           (BbRulesetDialog *self);
const char      *bb_ruleset_dialog_get_error      (BbRulesetDialog *self);
/* Tier @index's upper amount entry (NULL for the last, open tier). */
GtkEditable     *bb_ruleset_dialog_get_tier_entry (BbRulesetDialog *self,
                                                   guint            index);

G_END_DECLS
