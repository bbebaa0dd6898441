/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bb-handover-private.h"

G_BEGIN_DECLS

/* The "programme" section of the handover document
 * (docs/handover-format.md): themes, locations, activities, changed
 * dates of series, tasks and assignments. Imported after "volunteers". */
gboolean bb_programme_handover_export (BbStore      *store,
                                       JsonBuilder  *builder,
                                       GError      **error);
gboolean bb_programme_handover_import (BbStore      *store,
                                       JsonNode     *node,
                                       GError      **error);

G_END_DECLS
