/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* AVG "inzage": everything the council file holds about one volunteer
 * (register fields, skills, consent history, hours, payments). */

/* Pretty-printed JSON. */
char     *bb_volunteer_inzage_json  (BbStore     *store,
                                     const char  *volunteer_id,
                                     GError     **error);
/* A readable, self-contained HTML page (translated headings). */
char     *bb_volunteer_inzage_html  (BbStore     *store,
                                     const char  *volunteer_id,
                                     GError     **error);
/* Writes @path: JSON when it ends in ".json", else HTML; and, for
 * "NAME.json", also "NAME.html" beside it. */
gboolean  bb_volunteer_inzage_write (BbStore     *store,
                                     const char  *volunteer_id,
                                     const char  *path,
                                     GError     **error);

G_END_DECLS
