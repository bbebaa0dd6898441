/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-application.h"
#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_WINDOW (bb_window_get_type ())
G_DECLARE_FINAL_TYPE (BbWindow, bb_window, BB, WINDOW, AdwApplicationWindow)

BbWindow *bb_window_new              (BbApplication *application);
BbStore  *bb_window_get_store        (BbWindow      *self);
/* Shows @store in this window; the window owns it and closes it (with the
 * closing backup) when the window closes. */
void      bb_window_set_store        (BbWindow      *self,
                                      BbStore       *store);
void      bb_window_show_open_error  (BbWindow      *self,
                                      const char    *path,
                                      const GError  *error);
void      bb_window_add_toast        (BbWindow      *self,
                                      const char    *text);
GtkWindow *bb_window_new_council     (BbWindow      *self);

G_END_DECLS
