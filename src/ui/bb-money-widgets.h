/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* For a dropdown over a GtkStringList: the button ellipsizes the chosen
 * name, the popup shows every name whole (wrapped). */
void bb_money_dropdown_make_narrow (GtkDropDown *dropdown);

G_END_DECLS
