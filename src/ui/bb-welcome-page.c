/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-store.h"
#include "bb-welcome-page.h"

struct _BbWelcomePage
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *recent_group;
  GtkListBox          *recent_list;

  GSettings           *settings;
  gulong               recent_handler;
};

G_DEFINE_FINAL_TYPE (BbWelcomePage, bb_welcome_page, ADW_TYPE_BIN)

static char *
display_folder (const char *folder)
{
  const char *home = g_get_home_dir ();
  gsize len = strlen (home);

  if (g_str_has_prefix (folder, home) && (folder[len] == '/' || folder[len] == '\0'))
    return g_strconcat ("~", folder + len, NULL);

  return g_strdup (folder);
}

static GtkWidget *
create_recent_row (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *shown_folder = display_folder (folder);
  g_autofree char *escaped_title = NULL;
  g_autofree char *escaped_subtitle = NULL;
  gboolean exists = g_file_test (path, G_FILE_TEST_IS_REGULAR);
  GtkWidget *row;
  GtkWidget *remove_button;

  if (g_str_has_suffix (base, BB_STORE_FILE_SUFFIX))
    base[strlen (base) - strlen (BB_STORE_FILE_SUFFIX)] = '\0';

  escaped_title = g_markup_escape_text (base, -1);
  if (exists)
    escaped_subtitle = g_markup_escape_text (shown_folder, -1);
  else
    {
      /* Translators: %s is a folder; the file was moved or deleted. */
      g_autofree char *text = g_strdup_printf (_("Not found in %s"), shown_folder);
      escaped_subtitle = g_markup_escape_text (text, -1);
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_tooltip_text (row, path);

  if (exists)
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.open-recent");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", path);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
    }
  else
    {
      gtk_widget_add_css_class (row, "dim-label");
    }

  remove_button = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (remove_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove_button, _("Remove from This List"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove from This List"),
                                  -1);
  gtk_widget_add_css_class (remove_button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove_button), "app.remove-recent");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove_button), "s", path);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), remove_button);

  return row;
}

static void
reload_recent (BbWelcomePage *self)
{
  g_auto(GStrv) recent = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  if (self->settings == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->recent_group), FALSE);
      return;
    }

  recent = g_settings_get_strv (self->settings, "recent-files");
  for (guint i = 0; recent[i] != NULL; i++)
    gtk_list_box_append (self->recent_list, create_recent_row (recent[i]));

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), recent[0] != NULL);
}

static void
on_recent_changed_cb (GSettings     *settings,
                      const char    *key,
                      BbWelcomePage *self)
{
  reload_recent (self);
}

static void
bb_welcome_page_dispose (GObject *object)
{
  BbWelcomePage *self = BB_WELCOME_PAGE (object);

  g_clear_signal_handler (&self->recent_handler, self->settings);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (bb_welcome_page_parent_class)->dispose (object);
}

static void
bb_welcome_page_class_init (BbWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_welcome_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbWelcomePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, BbWelcomePage, recent_list);
}

static void
bb_welcome_page_init (BbWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
bb_welcome_page_set_settings (BbWelcomePage *self,
                              GSettings     *settings)
{
  g_return_if_fail (BB_IS_WELCOME_PAGE (self));
  g_return_if_fail (!settings || G_IS_SETTINGS (settings));

  g_clear_signal_handler (&self->recent_handler, self->settings);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    self->recent_handler = g_signal_connect (settings, "changed::recent-files",
                                             G_CALLBACK (on_recent_changed_cb), self);
  reload_recent (self);
}
