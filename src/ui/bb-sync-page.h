/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_SYNC_PAGE (bb_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (BbSyncPage, bb_sync_page, BB, SYNC_PAGE, AdwBin)

G_END_DECLS
