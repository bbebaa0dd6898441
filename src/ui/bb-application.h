/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_RECENT_FILES_MAX 10

#define BB_TYPE_APPLICATION (bb_application_get_type ())
G_DECLARE_FINAL_TYPE (BbApplication, bb_application, BB, APPLICATION, AdwApplication)

BbApplication *bb_application_new                (void);
GSettings     *bb_application_get_settings       (BbApplication *self);
const char    *bb_application_get_backup_root    (BbApplication *self);
/* The folder a new council file goes to: the last one used, else
 * Documents/Buurtboek. */
GFile         *bb_application_dup_default_folder (BbApplication *self);
void           bb_application_set_last_folder    (BbApplication *self,
                                                  GFile         *folder);

/* Opens @file in a window: the window that already shows it, else
 * @window when it shows no council, else a new window. Errors are shown
 * in a dialog over that window. */
void           bb_application_open_file          (BbApplication *self,
                                                  GFile         *file,
                                                  GtkWindow     *window);
void           bb_application_add_recent         (BbApplication *self,
                                                  const char    *path);
void           bb_application_remove_recent      (BbApplication *self,
                                                  const char    *path);
/* Path of the demo council in the user's data folder (made on first use). */
char          *bb_application_dup_demo_path      (BbApplication *self);

G_END_DECLS
