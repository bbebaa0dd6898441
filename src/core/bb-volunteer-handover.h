/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* The "volunteers" section of the handover document
 * (docs/handover-format.md): the register with skills and consents, the
 * council's own skills and allowance caps, the payments and the hours,
 * anonymous ones included. Hooked into bb-handover.c's feature_sections[]. */

gboolean bb_volunteer_handover_export (BbStore      *store,
                                       JsonBuilder  *builder,
                                       GError      **error);
gboolean bb_volunteer_handover_import (BbStore      *store,
                                       JsonNode     *node,
                                       GError      **error);

G_END_DECLS
