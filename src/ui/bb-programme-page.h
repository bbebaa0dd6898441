/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-activity.h"
#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_PROGRAMME_PAGE (bb_programme_page_get_type ())
G_DECLARE_FINAL_TYPE (BbProgrammePage, bb_programme_page, BB, PROGRAMME_PAGE, AdwBin)

/* The year shown (default: this year). */
void          bb_programme_page_set_year          (BbProgrammePage *self,
                                                   int              year);
/* Reads the programme now, if it was not read yet (it is read when the
 * page is first shown). */
void          bb_programme_page_load              (BbProgrammePage *self);
/* The occurrences the list shows after search and filters. */
GListModel   *bb_programme_page_get_model         (BbProgrammePage *self);
/* Shows one occurrence in the detail pane (@recurrence_id NULL for a
 * single activity). */
void          bb_programme_page_select            (BbProgrammePage *self,
                                                   const char      *activity_id,
                                                   GDateTime       *recurrence_id);
BbOccurrence *bb_programme_page_get_selected      (BbProgrammePage *self);

G_END_DECLS
