/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BB_TYPE_WELCOME_PAGE (bb_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (BbWelcomePage, bb_welcome_page, BB, WELCOME_PAGE, AdwBin)

/* The settings hold the recent files the page lists. */
void bb_welcome_page_set_settings (BbWelcomePage *self,
                                   GSettings     *settings);

G_END_DECLS
