/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One row of the Volunteers list: the name with a dimmed line below it
 * (status, VOG, skills).
 *
 * A single widget that lays its texts out only when drawn and asks for
 * a height worked out once per font, not from its texts: a typed letter
 * in the search replaces most of the rows on screen, and measuring two
 * labels per row shaped every text several times. */

#define BB_TYPE_VOLUNTEER_ROW (bb_volunteer_row_get_type ())
G_DECLARE_FINAL_TYPE (BbVolunteerRow, bb_volunteer_row, BB, VOLUNTEER_ROW, GtkWidget)

GtkWidget  *bb_volunteer_row_new       (void);
/* Both texts at once; @details may be empty. */
void        bb_volunteer_row_set       (BbVolunteerRow *self,
                                        const char     *title,
                                        const char     *details);
const char *bb_volunteer_row_get_title (BbVolunteerRow *self);

G_END_DECLS
