/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The small forms the section pages show in an AdwMessageDialog: rows
 * are found again by their widget name, so a page reads a form without
 * keeping pointers to its rows. */

/* Called with the owner given to bb_form_watch() and the form's box. */
typedef void (*BbFormUpdateFunc) (gpointer   owner,
                                  GtkWidget *form);

/* A dialog with "Cancel" and, unless @accept_id is NULL, a suggested
 * default response @accept_id; its scrolled box is @out_box, also kept
 * as the dialog's "form" data. */
GtkWidget  *bb_form_dialog_new    (GtkWindow          *parent,
                                   const char         *heading,
                                   const char         *accept_id,
                                   const char         *accept_label,
                                   GtkWidget         **out_box);

/* The widget under @root (or @root) named @name, or NULL. */
GtkWidget  *bb_form_find          (GtkWidget          *root,
                                   const char         *name);
/* The text of the editable named @name, or "" when there is none. */
const char *bb_form_text          (GtkWidget          *form,
                                   const char         *name);

GtkWidget  *bb_form_entry_row     (GtkWidget          *group,
                                   const char         *name,
                                   const char         *title,
                                   const char         *text);
/* Returns the switch, which carries @name. */
GtkWidget  *bb_form_switch_row    (GtkWidget          *group,
                                   const char         *name,
                                   const char         *title,
                                   gboolean            active);
GtkWidget  *bb_form_combo_row     (GtkWidget          *group,
                                   const char         *name,
                                   const char         *title,
                                   const char * const *items,
                                   guint               selected);

/* A hidden wrapping label named @name, shown by bb_form_set_message(). */
GtkWidget  *bb_form_message_label (GtkWidget          *box,
                                   const char         *name,
                                   const char         *css_class);
/* Shows @message in the label named @name, or hides it for NULL. */
void        bb_form_set_message   (GtkWidget          *form,
                                   const char         *name,
                                   const char         *message);

/* Calls @update (@owner, @form) on every change of an entry, switch,
 * check or toggle button, combo row or spin button in @form, so mistakes
 * show while typing. The connections last while @owner does. */
void        bb_form_watch         (GtkWidget          *form,
                                   BbFormUpdateFunc    update,
                                   gpointer            owner);

G_END_DECLS
