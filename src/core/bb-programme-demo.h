/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bb-store.h"

G_BEGIN_DECLS

/* Adds this year's programme of the demo council: about fifteen
 * activities, tasks, and (when the demo volunteers are there) their
 * assignments and confirmed hours. Call after the volunteers' demo step. */
gboolean bb_programme_add_demo (BbStore  *store,
                                GError  **error);

G_END_DECLS
