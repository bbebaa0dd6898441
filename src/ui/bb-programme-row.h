/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One row of the Programme list: an optional month heading above the
 * date, the title with the time and place below it, and the status.
 *
 * A single widget that lays its texts out only when it is drawn, and
 * asks for a height worked out from the font, not from its texts: a list
 * of 5,000 activities keeps some thirty rows alive and replaces most of
 * them when a letter is typed in the search, and measuring five labels
 * per row was most of a keystroke's time. */

#define BB_TYPE_PROGRAMME_ROW (bb_programme_row_get_type ())
G_DECLARE_FINAL_TYPE (BbProgrammeRow, bb_programme_row, BB, PROGRAMME_ROW, GtkWidget)

/* The status's colour. */
typedef enum {
  BB_PROGRAMME_ROW_TONE_DIM,
  BB_PROGRAMME_ROW_TONE_ACCENT,
  BB_PROGRAMME_ROW_TONE_SUCCESS,
  BB_PROGRAMME_ROW_TONE_ERROR,
} BbProgrammeRowTone;

GtkWidget  *bb_programme_row_new         (void);
/* All texts at once; @subtitle and @status may be empty. */
void        bb_programme_row_set         (BbProgrammeRow     *self,
                                          const char         *date,
                                          const char         *title,
                                          const char         *subtitle,
                                          const char         *status,
                                          BbProgrammeRowTone  tone);
/* The month heading above the row, NULL for none. */
void        bb_programme_row_set_heading (BbProgrammeRow     *self,
                                          const char         *heading);
const char *bb_programme_row_get_heading (BbProgrammeRow     *self);
const char *bb_programme_row_get_title   (BbProgrammeRow     *self);

G_END_DECLS
