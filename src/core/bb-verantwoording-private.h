/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The "verantwoording" section of the handover document: the texts the
 * treasurer wrote for each subsidy's report (docs/handover-format.md). */

#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

gboolean bb_verantwoording_handover_export (BbStore      *store,
                                            JsonBuilder  *builder,
                                            GError      **error);
gboolean bb_verantwoording_handover_import (BbStore      *store,
                                            JsonNode     *node,
                                            GError      **error);

G_END_DECLS
