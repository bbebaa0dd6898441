/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Replaces the children of @box (a vertical GtkBox) with the blocks of a
 * CommonMark document (bb-markdown.h): selectable labels, links opened in
 * the browser only when clicked, and only http, https and mailto ones. */
void bb_markdown_view_fill (GtkBox     *box,
                            const char *commonmark);

G_END_DECLS
