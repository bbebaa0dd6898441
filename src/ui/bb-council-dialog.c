/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-compat.h"
#include "bb-council-dialog.h"
#include "bb-validate.h"

struct _BbCouncilDialog
{
  AdwWindow            parent_instance;

  GtkButton           *submit_button;
  GtkLabel            *general_error_label;
  AdwEntryRow         *name_row;
  AdwPreferencesRow   *name_error_row;
  GtkLabel            *name_error_label;
  AdwEntryRow         *municipality_row;
  AdwComboRow         *legal_form_row;
  AdwEntryRow         *residents_row;
  AdwPreferencesRow   *residents_error_row;
  GtkLabel            *residents_error_label;
  AdwEntryRow         *kvk_row;
  AdwPreferencesRow   *kvk_error_row;
  GtkLabel            *kvk_error_label;
  AdwEntryRow         *iban_row;
  AdwPreferencesRow   *iban_error_row;
  GtkLabel            *iban_error_label;
  AdwEntryRow         *contact_name_row;
  AdwEntryRow         *email_row;
  AdwPreferencesRow   *email_error_row;
  GtkLabel            *email_error_label;
  AdwEntryRow         *phone_row;
  AdwPreferencesGroup *folder_group;
  AdwActionRow        *folder_row;

  BbCouncil           *council;   /* the copy being edited, or a new one */
  GFile               *folder;
  gboolean             creating;
  /* After the first attempt to submit, fields are checked as they change,
   * so a message goes away as soon as the mistake is mended. */
  gboolean             validate_live;
};

G_DEFINE_FINAL_TYPE (BbCouncilDialog, bb_council_dialog, ADW_TYPE_WINDOW)

enum {
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_field_error (AdwEntryRow       *row,
                 AdwPreferencesRow *error_row,
                 GtkLabel          *error_label,
                 const char        *message)
{
  gboolean has_error = message != NULL;

  gtk_label_set_text (error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (error_row), has_error);
  if (has_error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");

  /* A screen reader announces the message with the field. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message ? message : "",
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               has_error ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
check_name (BbCouncilDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (row_text (self->name_row)));
  gboolean ok = name[0] != '\0';

  set_field_error (self->name_row, self->name_error_row, self->name_error_label,
                   ok ? NULL : _("Every council needs a name, for example “Wijkraad De Dommelhoek”."));
  if (ok)
    bb_council_set_name (self->council, name);

  return ok;
}

static gboolean
check_residents (BbCouncilDialog *self)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *text = row_text (self->residents_row);
  guint64 value = 0;
  gboolean ok = TRUE;

  /* "4.500" and "4 500" are how people write it. */
  for (const char *p = text; *p != '\0'; p++)
    if (*p != '.' && *p != ' ')
      g_string_append_c (digits, *p);

  if (digits->len > 0)
    ok = g_ascii_string_to_unsigned (digits->str, 10, 0, 10000000, &value, NULL);

  set_field_error (self->residents_row, self->residents_error_row, self->residents_error_label,
                   ok ? NULL : _("Type the number of residents as a whole number, for example 4500."));
  if (ok)
    bb_council_set_residents (self->council, (guint) value);

  return ok;
}

static gboolean
check_kvk (BbCouncilDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  gboolean ok = bb_validate_kvk (row_text (self->kvk_row), &normalized, &error);

  set_field_error (self->kvk_row, self->kvk_error_row, self->kvk_error_label,
                   ok ? NULL : error->message);
  if (ok)
    bb_council_set_kvk_number (self->council, normalized);

  return ok;
}

static gboolean
check_iban (BbCouncilDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  gboolean ok = bb_validate_iban (row_text (self->iban_row), &normalized, &error);

  set_field_error (self->iban_row, self->iban_error_row, self->iban_error_label,
                   ok ? NULL : error->message);
  if (ok)
    bb_council_set_iban (self->council, normalized);

  return ok;
}

static gboolean
check_email (BbCouncilDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strstrip (g_strdup (row_text (self->email_row)));
  gboolean ok = bb_validate_email (email, &error);

  set_field_error (self->email_row, self->email_error_row, self->email_error_label,
                   ok ? NULL : error->message);
  if (ok)
    bb_council_set_email (self->council, email);

  return ok;
}

static void
copy_plain_fields (BbCouncilDialog *self)
{
  g_autofree char *municipality = g_strstrip (g_strdup (row_text (self->municipality_row)));
  g_autofree char *contact = g_strstrip (g_strdup (row_text (self->contact_name_row)));
  g_autofree char *phone = g_strstrip (g_strdup (row_text (self->phone_row)));
  static const BbLegalForm forms[] = {
    BB_LEGAL_FORM_INFORMAL, BB_LEGAL_FORM_STICHTING, BB_LEGAL_FORM_VERENIGING,
  };
  guint selected = adw_combo_row_get_selected (self->legal_form_row);

  bb_council_set_municipality (self->council, municipality);
  bb_council_set_contact_name (self->council, contact);
  bb_council_set_phone (self->council, phone);
  if (selected < G_N_ELEMENTS (forms))
    bb_council_set_legal_form (self->council, forms[selected]);
}

static void
on_row_changed_cb (GtkEditable     *editable,
                   BbCouncilDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->general_error_label), FALSE);

  if (!self->validate_live)
    return;

  if (editable == GTK_EDITABLE (self->name_row))
    check_name (self);
  else if (editable == GTK_EDITABLE (self->residents_row))
    check_residents (self);
  else if (editable == GTK_EDITABLE (self->kvk_row))
    check_kvk (self);
  else if (editable == GTK_EDITABLE (self->iban_row))
    check_iban (self);
  else if (editable == GTK_EDITABLE (self->email_row))
    check_email (self);
}

static void
bb_council_dialog_submit_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  BbCouncilDialog *self = BB_COUNCIL_DIALOG (widget);
  g_autoptr(BbCouncil) council = NULL;
  GtkWidget *first_invalid = NULL;

  self->validate_live = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->general_error_label), FALSE);

  /* Check every field, so all mistakes show at once. */
  if (!check_name (self))
    first_invalid = GTK_WIDGET (self->name_row);
  if (!check_residents (self) && first_invalid == NULL)
    first_invalid = GTK_WIDGET (self->residents_row);
  if (!check_kvk (self) && first_invalid == NULL)
    first_invalid = GTK_WIDGET (self->kvk_row);
  if (!check_iban (self) && first_invalid == NULL)
    first_invalid = GTK_WIDGET (self->iban_row);
  if (!check_email (self) && first_invalid == NULL)
    first_invalid = GTK_WIDGET (self->email_row);

  if (first_invalid != NULL)
    {
      gtk_widget_grab_focus (first_invalid);
      return;
    }

  copy_plain_fields (self);

  council = bb_council_copy (self->council);
  g_signal_emit (self, signals[SUBMIT], 0, council);
}

static void
update_folder_row (BbCouncilDialog *self)
{
  g_autofree char *path = self->folder ? g_file_get_path (self->folder) : NULL;
  g_autofree char *escaped = g_markup_escape_text (path ? path : "", -1);

  adw_action_row_set_subtitle (self->folder_row, escaped);
}

static void
on_folder_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  g_autoptr(BbCouncilDialog) self = user_data;

  if (file == NULL)
    return;

  g_set_object (&self->folder, file);
  update_folder_row (self);
}

static void
bb_council_dialog_choose_folder_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  BbCouncilDialog *self = BB_COUNCIL_DIALOG (widget);

  bb_compat_choose_file (GTK_WINDOW (self), BB_FILE_CHOOSE_FOLDER,
                         _("Choose a Folder for the Council File"), _("_Select"),
                         self->folder, NULL, NULL,
                         on_folder_chosen_cb, g_object_ref (self));
}

static void
load_council (BbCouncilDialog *self)
{
  g_autofree char *iban = NULL;
  guint residents = bb_council_get_residents (self->council);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), bb_council_get_name (self->council));
  gtk_editable_set_text (GTK_EDITABLE (self->municipality_row), bb_council_get_municipality (self->council));
  adw_combo_row_set_selected (self->legal_form_row, bb_council_get_legal_form (self->council));
  if (residents > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", residents);

      gtk_editable_set_text (GTK_EDITABLE (self->residents_row), text);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->kvk_row), bb_council_get_kvk_number (self->council));
  iban = bb_iban_format (bb_council_get_iban (self->council));
  gtk_editable_set_text (GTK_EDITABLE (self->iban_row), iban);
  gtk_editable_set_text (GTK_EDITABLE (self->contact_name_row), bb_council_get_contact_name (self->council));
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), bb_council_get_email (self->council));
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), bb_council_get_phone (self->council));
}

static void
bb_council_dialog_dispose (GObject *object)
{
  BbCouncilDialog *self = BB_COUNCIL_DIALOG (object);

  g_clear_object (&self->council);
  g_clear_object (&self->folder);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_COUNCIL_DIALOG);

  G_OBJECT_CLASS (bb_council_dialog_parent_class)->dispose (object);
}

static void
bb_council_dialog_class_init (BbCouncilDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_council_dialog_dispose;

  signals[SUBMIT] =
    g_signal_new ("submit",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BB_TYPE_COUNCIL);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-council-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, submit_button);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, general_error_label);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, name_error_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, municipality_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, legal_form_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, residents_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, residents_error_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, residents_error_label);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, kvk_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, kvk_error_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, kvk_error_label);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, iban_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, iban_error_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, iban_error_label);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, contact_name_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, email_error_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, email_error_label);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, folder_group);
  gtk_widget_class_bind_template_child (widget_class, BbCouncilDialog, folder_row);

  gtk_widget_class_install_action (widget_class, "dialog.submit", NULL, bb_council_dialog_submit_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose-folder", NULL, bb_council_dialog_choose_folder_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "dialog.submit", NULL);
}

static void
bb_council_dialog_init (BbCouncilDialog *self)
{
  AdwEntryRow *rows[5];

  gtk_widget_init_template (GTK_WIDGET (self));

  rows[0] = self->name_row;
  rows[1] = self->residents_row;
  rows[2] = self->kvk_row;
  rows[3] = self->iban_row;
  rows[4] = self->email_row;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_signal_connect (rows[i], "changed", G_CALLBACK (on_row_changed_cb), self);
}

BbCouncilDialog *
bb_council_dialog_new (GtkWindow *parent,
                       BbCouncil *council,
                       GFile     *folder)
{
  BbCouncilDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (!council || BB_IS_COUNCIL (council), NULL);
  g_return_val_if_fail (council || G_IS_FILE (folder), NULL);

  self = g_object_new (BB_TYPE_COUNCIL_DIALOG,
                       "transient-for", parent,
                       NULL);

  self->creating = council == NULL;
  self->council = council ? bb_council_copy (council) : bb_council_new ();
  if (folder != NULL)
    self->folder = g_object_ref (folder);

  if (self->creating)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Council"));
      gtk_button_set_label (self->submit_button, _("C_reate"));
      update_folder_row (self);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Council Details"));
      gtk_button_set_label (self->submit_button, _("_Save"));
      gtk_widget_set_visible (GTK_WIDGET (self->folder_group), FALSE);
      load_council (self);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));

  return self;
}

GFile *
bb_council_dialog_dup_folder (BbCouncilDialog *self)
{
  g_return_val_if_fail (BB_IS_COUNCIL_DIALOG (self), NULL);

  return self->folder ? g_object_ref (self->folder) : NULL;
}

void
bb_council_dialog_show_error (BbCouncilDialog *self,
                              const GError    *error)
{
  g_return_if_fail (BB_IS_COUNCIL_DIALOG (self));
  g_return_if_fail (error != NULL);

  if (error->domain == BB_COUNCIL_ERROR)
    {
      switch ((BbCouncilError) error->code)
        {
        case BB_COUNCIL_ERROR_NAME:
          set_field_error (self->name_row, self->name_error_row, self->name_error_label, error->message);
          return;
        case BB_COUNCIL_ERROR_KVK:
          set_field_error (self->kvk_row, self->kvk_error_row, self->kvk_error_label, error->message);
          return;
        case BB_COUNCIL_ERROR_IBAN:
          set_field_error (self->iban_row, self->iban_error_row, self->iban_error_label, error->message);
          return;
        case BB_COUNCIL_ERROR_EMAIL:
          set_field_error (self->email_row, self->email_error_row, self->email_error_label, error->message);
          return;
        case BB_COUNCIL_ERROR_RESIDENTS:
          set_field_error (self->residents_row, self->residents_error_row, self->residents_error_label, error->message);
          return;
        default:
          break;
        }
    }

  gtk_label_set_text (self->general_error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->general_error_label), TRUE);
}
