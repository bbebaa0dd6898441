/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-compat.h"

typedef struct {
  BbFileChosenFunc func;
  gpointer         user_data;
} ChooseData;

static void
on_native_response_cb (GtkNativeDialog *native,
                       int              response,
                       gpointer         user_data)
{
  ChooseData *data = user_data;

  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

  /* Called on cancel too (with NULL), so the callback can release what
   * it was given. */
  data->func (file, data->user_data);

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_free (data);
}

void
bb_compat_choose_file (GtkWindow        *parent,
                       BbFileChooseMode  mode,
                       const char       *title,
                       const char       *accept_label,
                       GFile            *initial_folder,
                       const char       *initial_name,
                       GtkFileFilter    *filter,
                       BbFileChosenFunc  func,
                       gpointer          user_data)
{
  GtkFileChooserNative *native;
  GtkFileChooserAction action;
  ChooseData *data;

  g_return_if_fail (func != NULL);

  /* GtkFileDialog (GTK 4.10) replaces this on newer runtimes; the native
   * chooser still goes through the portal there. */
  switch (mode)
    {
    case BB_FILE_CHOOSE_SAVE:
      action = GTK_FILE_CHOOSER_ACTION_SAVE;
      break;
    case BB_FILE_CHOOSE_FOLDER:
      action = GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER;
      break;
    case BB_FILE_CHOOSE_OPEN:
    default:
      action = GTK_FILE_CHOOSER_ACTION_OPEN;
      break;
    }

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  native = gtk_file_chooser_native_new (title, parent, action, accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  if (initial_folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), initial_folder, NULL);
  if (initial_name != NULL && mode == BB_FILE_CHOOSE_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), initial_name);
  if (filter != NULL)
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  G_GNUC_END_IGNORE_DEPRECATIONS

  data = g_new0 (ChooseData, 1);
  data->func = func;
  data->user_data = user_data;
  g_signal_connect (native, "response", G_CALLBACK (on_native_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

GtkWidget *
bb_compat_show_message (GtkWindow  *parent,
                        const char *heading,
                        const char *body)
{
  GtkWidget *dialog;

  /* AdwAlertDialog (libadwaita 1.5) on newer runtimes. */
  dialog = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

void
bb_compat_show_folder (GtkWindow *parent,
                       GFile     *folder)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (G_IS_FILE (folder));

  /* GtkFileLauncher (GTK 4.10) would use the OpenURI portal directly. */
  uri = g_file_get_uri (folder);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
  G_GNUC_END_IGNORE_DEPRECATIONS
}
