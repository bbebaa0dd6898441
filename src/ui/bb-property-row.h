/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BB_TYPE_PROPERTY_ROW (bb_property_row_get_type ())
G_DECLARE_FINAL_TYPE (BbPropertyRow, bb_property_row, BB, PROPERTY_ROW, AdwPreferencesRow)

/* A boxed-list row that shows one fact: a field name (the row's "title"),
 * small, above its value, both wrapping, and an optional widget (a
 * button) at the end.
 * It looks like an AdwActionRow with the "property" style, but lays its
 * text out once per width: an AdwActionRow's boxes ask a wrapping label
 * for its width at a given height, which GtkLabel answers by laying the
 * text out again and again, and that made the overview the largest cost
 * of opening a council. */
GtkWidget  *bb_property_row_new              (void);

/* The value as Pango markup, like AdwActionRow's subtitle. */
const char *bb_property_row_get_value        (BbPropertyRow *self);
void        bb_property_row_set_value        (BbPropertyRow *self,
                                              const char    *markup);
GtkWidget  *bb_property_row_get_suffix       (BbPropertyRow *self);
void        bb_property_row_set_suffix       (BbPropertyRow *self,
                                              GtkWidget     *suffix);

G_END_DECLS
