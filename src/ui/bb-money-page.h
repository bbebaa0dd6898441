/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_MONEY_PAGE (bb_money_page_get_type ())
G_DECLARE_FINAL_TYPE (BbMoneyPage, bb_money_page, BB, MONEY_PAGE, AdwBin)

/* The "Money" section: subsidies, budget versus actual, ledger, receipts,
 * bank import. The verantwoording is reached through the "Report…" button,
 * which activates "win.report" with the selected subsidy's id as a string
 * parameter: the report dialog installs that action on the window. */

void        bb_money_page_set_store            (BbMoneyPage *self,
                                                BbStore     *store);
/* Loads now (normally done when the page is first shown). */
void        bb_money_page_reload               (BbMoneyPage *self);
/* The id of the subsidy shown, or NULL. */
const char *bb_money_page_get_subsidy_id       (BbMoneyPage *self);

G_END_DECLS
