/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-backup.h"
#include "bb-compat.h"
#include "bb-date.h"
#include "bb-restore-dialog.h"

struct _BbRestoreDialog
{
  AdwWindow   parent_instance;

  GtkStack   *stack;
  GtkListBox *list;

  BbStore    *store;
  GPtrArray  *backups;   /* BbBackupInfo, newest first, as listed */
};

G_DEFINE_FINAL_TYPE (BbRestoreDialog, bb_restore_dialog, ADW_TYPE_WINDOW)

enum {
  RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
reload (BbRestoreDialog *self)
{
  GPtrArray *backups;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  g_clear_pointer (&self->backups, g_ptr_array_unref);
  self->backups = bb_backup_list (bb_store_get_backup_root (self->store),
                                  bb_store_get_council_id (self->store), NULL);
  backups = self->backups;
  if (backups == NULL || backups->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  for (guint i = 0; i < backups->len; i++)
    {
      BbBackupInfo *info = g_ptr_array_index (backups, i);
      g_autofree char *when = bb_date_time_format_long (info->created);
      g_autofree char *size = g_format_size ((guint64) info->size);
      g_autofree char *details = NULL;
      g_autofree char *escaped_when = g_markup_escape_text (when, -1);
      g_autofree char *escaped_details = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore…"));

      /* Translators: "<why the backup was made> · <file size>". */
      details = g_strdup_printf (_("%s · %s"), bb_backup_reason_get_label (info->reason), size);
      escaped_details = g_markup_escape_text (details, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_when);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_details);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "restore.restore");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", info->path);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->list, row);
    }

  gtk_stack_set_visible_child_name (self->stack, "list");
}

typedef struct {
  BbRestoreDialog *self;
  char            *path;
  char            *when;
} ConfirmData;

static void
confirm_data_free (gpointer data)
{
  ConfirmData *confirm = data;

  g_object_unref (confirm->self);
  g_free (confirm->path);
  g_free (confirm->when);
  g_free (confirm);
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  ConfirmData *confirm = user_data;
  BbRestoreDialog *self = confirm->self;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "restore") != 0)
    return;

  if (!bb_backup_restore (self->store, confirm->path, &error))
    {
      bb_compat_show_message (GTK_WINDOW (self), _("Could Not Restore the Backup"), error->message);
      reload (self);
      return;
    }

  g_signal_emit (self, signals[RESTORED], 0, confirm->when);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
bb_restore_dialog_restore_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  bb_restore_dialog_restore (BB_RESTORE_DIALOG (widget), g_variant_get_string (param, NULL));
}

static void
bb_restore_dialog_dispose (GObject *object)
{
  BbRestoreDialog *self = BB_RESTORE_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->backups, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_RESTORE_DIALOG);

  G_OBJECT_CLASS (bb_restore_dialog_parent_class)->dispose (object);
}

static void
bb_restore_dialog_class_init (BbRestoreDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_restore_dialog_dispose;

  signals[RESTORED] =
    g_signal_new ("restored",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-restore-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BbRestoreDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, BbRestoreDialog, list);

  gtk_widget_class_install_action (widget_class, "restore.restore", "s", bb_restore_dialog_restore_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_restore_dialog_init (BbRestoreDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BbRestoreDialog *
bb_restore_dialog_new (GtkWindow *parent,
                       BbStore   *store)
{
  BbRestoreDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  self = g_object_new (BB_TYPE_RESTORE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  reload (self);

  return self;
}

void
bb_restore_dialog_restore (BbRestoreDialog *self,
                           const char      *path)
{
  g_autofree char *when = NULL;
  g_autofree char *body = NULL;
  ConfirmData *confirm;
  GtkWidget *dialog;

  g_return_if_fail (BB_IS_RESTORE_DIALOG (self));
  g_return_if_fail (path != NULL);

  /* The list the user is looking at already has the date. */
  for (guint i = 0; self->backups != NULL && i < self->backups->len; i++)
    {
      BbBackupInfo *info = g_ptr_array_index (self->backups, i);

      if (g_strcmp0 (info->path, path) == 0)
        when = bb_date_time_format_long (info->created);
    }
  if (when == NULL)
    when = g_path_get_basename (path);

  /* Translators: %s is the date and time of a backup. */
  body = g_strdup_printf (_("The council file will be as it was on %s. What is in it now is kept as a backup first."), when);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Restore This Backup?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  confirm = g_new0 (ConfirmData, 1);
  confirm->self = g_object_ref (self);
  confirm->path = g_strdup (path);
  confirm->when = g_steal_pointer (&when);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_confirm_response_cb),
                         confirm, (GClosureNotify) (void (*) (void)) confirm_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
