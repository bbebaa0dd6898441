/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"
#include "bb-volunteer.h"

G_BEGIN_DECLS

#define BB_TYPE_VOLUNTEERS_PAGE (bb_volunteers_page_get_type ())
G_DECLARE_FINAL_TYPE (BbVolunteersPage, bb_volunteers_page, BB, VOLUNTEERS_PAGE, AdwBin)

/* The Vrijwilligers section: the register with search and filters, one
 * volunteer's details, and the coordinator's lists (VOG missing or due,
 * for erasure). The register is read when the page is first shown. */

/* Reads the register now, if it was not read yet. */
void          bb_volunteers_page_load         (BbVolunteersPage *self);
/* The volunteers the list shows after search and filters. */
GListModel   *bb_volunteers_page_get_model    (BbVolunteersPage *self);
/* Types @text into the search field, as a user would. */
void          bb_volunteers_page_set_search   (BbVolunteersPage *self,
                                               const char       *text);
/* Shows one volunteer in the detail pane. */
void          bb_volunteers_page_select       (BbVolunteersPage *self,
                                               const char       *volunteer_id);
BbVolunteer  *bb_volunteers_page_get_selected (BbVolunteersPage *self);

G_END_DECLS
