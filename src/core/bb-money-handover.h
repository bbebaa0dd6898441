/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* The "money" section of the handover document (docs/handover-format.md):
 * the council's own rule sets, subsidies with advances and budget posts,
 * the ledger with split lines, and receipts (their bytes in base64).
 * Hooked into bb-handover.c's feature_sections[]; it must come after the
 * programme's and the volunteers' sections, because transactions refer to
 * activities and volunteers. */

gboolean bb_money_handover_export (BbStore      *store,
                                   JsonBuilder  *builder,
                                   GError      **error);
gboolean bb_money_handover_import (BbStore      *store,
                                   JsonNode     *node,
                                   GError      **error);

G_END_DECLS
