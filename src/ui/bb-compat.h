/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Every version check between the Debian 12 floor (GTK 4.8, libadwaita 1.2)
 * and newer runtimes lives in bb-compat.c. */

typedef enum {
  BB_FILE_CHOOSE_OPEN,
  BB_FILE_CHOOSE_SAVE,
  BB_FILE_CHOOSE_FOLDER,
} BbFileChooseMode;

typedef void (*BbFileChosenFunc) (GFile    *file,
                                  gpointer  user_data);

/* Shows the platform file chooser (a portal inside Flatpak); calls @func
 * once, with the chosen file or with NULL when the user cancels. */
void        bb_compat_choose_file  (GtkWindow        *parent,
                                    BbFileChooseMode  mode,
                                    const char       *title,
                                    const char       *accept_label,
                                    GFile            *initial_folder,
                                    const char       *initial_name,
                                    GtkFileFilter    *filter,
                                    BbFileChosenFunc  func,
                                    gpointer          user_data);

/* A modal message with one "Close" button. */
GtkWidget  *bb_compat_show_message (GtkWindow        *parent,
                                    const char       *heading,
                                    const char       *body);

/* Opens a folder in the file manager. */
void        bb_compat_show_folder  (GtkWindow        *parent,
                                    GFile            *folder);

G_END_DECLS
