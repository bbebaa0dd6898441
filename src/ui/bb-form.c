/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-form.h"

GtkWidget *
bb_form_dialog_new (GtkWindow   *parent,
                    const char  *heading,
                    const char  *accept_id,
                    const char  *accept_label,
                    GtkWidget  **out_box)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  if (accept_id != NULL)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), accept_id, accept_label);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), accept_id,
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), accept_id);
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 480);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  g_object_set_data (G_OBJECT (dialog), "form", box);

  *out_box = box;
  return dialog;
}

GtkWidget *
bb_form_find (GtkWidget  *root,
              const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bb_form_find (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

const char *
bb_form_text (GtkWidget  *form,
              const char *name)
{
  GtkWidget *widget = bb_form_find (form, name);

  return widget != NULL ? gtk_editable_get_text (GTK_EDITABLE (widget)) : "";
}

GtkWidget *
bb_form_entry_row (GtkWidget  *group,
                   const char *name,
                   const char *title,
                   const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

GtkWidget *
bb_form_switch_row (GtkWidget  *group,
                    const char *name,
                    const char *title,
                    gboolean    active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_name (toggle, name);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return toggle;
}

GtkWidget *
bb_form_combo_row (GtkWidget          *group,
                   const char         *name,
                   const char         *title,
                   const char * const *items,
                   guint               selected)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

GtkWidget *
bb_form_message_label (GtkWidget  *box,
                       const char *name,
                       const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, name);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_visible (label, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

void
bb_form_set_message (GtkWidget  *form,
                     const char *name,
                     const char *message)
{
  GtkWidget *label = bb_form_find (form, name);

  gtk_label_set_label (GTK_LABEL (label), message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
}

static void
on_form_changed_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    owner)
{
  GtkWidget *form = g_object_get_data (object, "form");
  BbFormUpdateFunc update = g_object_get_data (G_OBJECT (form), "update");

  update (owner, form);
}

static void
watch_children (GtkWidget *form,
                GtkWidget *root,
                gpointer   owner)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *signal = NULL;

      if (ADW_IS_ENTRY_ROW (child))
        signal = "notify::text";
      else if (GTK_IS_SWITCH (child) || GTK_IS_CHECK_BUTTON (child) || GTK_IS_TOGGLE_BUTTON (child))
        signal = "notify::active";
      else if (ADW_IS_COMBO_ROW (child))
        signal = "notify::selected";
      else if (GTK_IS_SPIN_BUTTON (child))
        signal = "notify::value";

      if (signal != NULL)
        {
          g_object_set_data (G_OBJECT (child), "form", form);
          g_signal_connect_object (child, signal, G_CALLBACK (on_form_changed_cb), owner, 0);
        }
      if (!ADW_IS_ENTRY_ROW (child))
        watch_children (form, child, owner);
    }
}

void
bb_form_watch (GtkWidget        *form,
               BbFormUpdateFunc  update,
               gpointer          owner)
{
  g_return_if_fail (GTK_IS_WIDGET (form));
  g_return_if_fail (update != NULL);
  g_return_if_fail (G_IS_OBJECT (owner));

  g_object_set_data (G_OBJECT (form), "update", update);
  watch_children (form, form, owner);
}
