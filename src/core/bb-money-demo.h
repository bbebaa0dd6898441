/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bb-store.h"

G_BEGIN_DECLS

/* Adds the demo council's money: last calendar year's municipal subsidy
 * (Gemeente Valkenswaard, €12,500 granted, one advance) with a budget of
 * the typical posts and about 150 transactions with small generated
 * receipts, some posts over budget with their explanations; and this
 * year's subsidy so far, its activity costs linked to the programme's
 * activities. Transactions for reimbursements and allowances link to the
 * demo volunteers when they are there. Call after the volunteers' and
 * the programme's demo steps. */
gboolean bb_money_add_demo (BbStore  *store,
                            GError  **error);

G_END_DECLS
