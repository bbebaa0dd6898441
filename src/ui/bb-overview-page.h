/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_OVERVIEW_PAGE (bb_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (BbOverviewPage, bb_overview_page, BB, OVERVIEW_PAGE, AdwBin)

void bb_overview_page_set_store (BbOverviewPage *self,
                                 BbStore        *store);
/* Reads the facts again: after a backup, a restore or an edit. */
void bb_overview_page_refresh   (BbOverviewPage *self);

G_END_DECLS
