/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-application.h"
#include "bb-backup.h"
#include "bb-compat.h"
#include "bb-demo.h"
#include "bb-handover.h"
#include "bb-overview-page.h"
#include "bb-window.h"
#include "bb-ui-resources.h"

struct _BbApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *backup_root;
  gboolean        open_demo;
};

G_DEFINE_FINAL_TYPE (BbApplication, bb_application, ADW_TYPE_APPLICATION)

static BbWindow *
find_window_for_path (BbApplication *self,
                      const char    *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      BbStore *store;

      if (!BB_IS_WINDOW (l->data))
        continue;

      store = bb_window_get_store (l->data);
      if (store != NULL && g_strcmp0 (bb_store_get_path (store), path) == 0)
        return l->data;
    }

  return NULL;
}

static BbWindow *
find_empty_window (BbApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (BB_IS_WINDOW (active) && bb_window_get_store (BB_WINDOW (active)) == NULL)
    return BB_WINDOW (active);

  return NULL;
}

static BbWindow *
get_window_for_new_content (BbApplication *self,
                            GtkWindow     *preferred)
{
  BbWindow *window = NULL;

  if (BB_IS_WINDOW (preferred) &&
      !gtk_widget_in_destruction (GTK_WIDGET (preferred)) &&
      g_list_find (gtk_application_get_windows (GTK_APPLICATION (self)), preferred) != NULL &&
      bb_window_get_store (BB_WINDOW (preferred)) == NULL)
    window = BB_WINDOW (preferred);
  else
    window = find_empty_window (self);

  if (window == NULL)
    window = bb_window_new (self);

  return window;
}

typedef struct {
  BbWindow *window;   /* weak */
  BbStore  *store;
} OpenBackup;

static void
open_backup_free (OpenBackup *backup)
{
  g_clear_weak_pointer (&backup->window);
  g_clear_object (&backup->store);
  g_free (backup);
}

static gboolean
make_open_backup_cb (gpointer data)
{
  OpenBackup *backup = data;
  g_autoptr(GError) error = NULL;

  /* Saving something meanwhile made it already (bb_store_begin()). */
  if (!bb_store_needs_open_backup (backup->store))
    return G_SOURCE_REMOVE;

  if (!bb_backup_make (backup->store, BB_BACKUP_REASON_OPEN, NULL, &error))
    {
      if (backup->window != NULL)
        bb_compat_show_message (GTK_WINDOW (backup->window),
                                _("Could Not Back Up the Council File"),
                                error->message);
      return G_SOURCE_REMOVE;
    }

  /* The overview says when the last backup was made. */
  if (backup->window != NULL && bb_window_get_store (backup->window) == backup->store)
    bb_overview_page_refresh (BB_OVERVIEW_PAGE (gtk_widget_get_template_child (GTK_WIDGET (backup->window),
                                                                                BB_TYPE_WINDOW,
                                                                                "overview_page")));

  return G_SOURCE_REMOVE;
}

static void
on_first_frame_cb (GdkFrameClock *clock,
                   OpenBackup    *backup)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_cb, backup);
  /* Before any input is handled, so nothing is saved without it. */
  g_idle_add_full (G_PRIORITY_HIGH, make_open_backup_cb, backup,
                   (GDestroyNotify) open_backup_free);
}

/* Makes the backup on opening that bb_store_open() left undone right
 * after @window has painted its first frame. */
static void
back_up_after_first_frame (BbWindow *window,
                           BbStore  *store)
{
  OpenBackup *backup = g_new0 (OpenBackup, 1);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  g_set_weak_pointer (&backup->window, window);
  backup->store = g_object_ref (store);
  if (clock == NULL)
    {
      g_idle_add_full (G_PRIORITY_HIGH, make_open_backup_cb, backup,
                       (GDestroyNotify) open_backup_free);
      return;
    }
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_frame_cb), backup);
}

static void
open_demo (BbApplication *self,
           GtkWindow     *preferred)
{
  g_autofree char *path = bb_application_dup_demo_path (self);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbStore) store = NULL;
      g_autofree char *folder = g_path_get_dirname (path);
      BbWindow *window;

      g_mkdir_with_parents (folder, 0700);
      store = bb_demo_create (path, self->backup_root, &error);
      window = get_window_for_new_content (self, preferred);
      if (store == NULL)
        {
          gtk_window_present (GTK_WINDOW (window));
          bb_window_show_open_error (window, path, error);
          return;
        }

      bb_window_set_store (window, store);
      gtk_window_present (GTK_WINDOW (window));
      bb_application_add_recent (self, path);
      return;
    }

  bb_application_open_file (self, file, preferred);
}

static void
on_open_chosen_cb (GFile    *file,
                   gpointer  user_data)
{
  g_autoptr(GtkWindow) window = user_data;
  BbApplication *self = BB_APPLICATION (g_application_get_default ());
  g_autoptr(GFile) folder = NULL;

  if (file == NULL)
    return;

  folder = g_file_get_parent (file);
  if (folder != NULL)
    bb_application_set_last_folder (self, folder);
  bb_application_open_file (self, file, window);
}

static void
bb_application_open_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GFile) folder = bb_application_dup_default_folder (self);

  gtk_file_filter_set_name (filter, _("Council files"));
  gtk_file_filter_add_mime_type (filter, "application/x-buurtboek");
  gtk_file_filter_add_suffix (filter, "buurtboek");

  bb_compat_choose_file (parent, BB_FILE_CHOOSE_OPEN,
                         _("Open Council File"), _("_Open"),
                         folder, NULL, filter,
                         on_open_chosen_cb,
                         parent ? g_object_ref (parent) : NULL);
}

static void
on_import_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  BbApplication *self = BB_APPLICATION (g_application_get_default ());
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *folder_path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  BbWindow *window;

  if (file == NULL)
    return;

  json_path = g_file_get_path (file);
  folder = bb_application_dup_default_folder (self);
  folder_path = g_file_get_path (folder);
  g_mkdir_with_parents (folder_path, 0700);

  if (json_path == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("Buurtboek can only import files on this computer."));
  else
    store = bb_handover_import_into_folder (json_path, folder_path, self->backup_root, &error);

  window = get_window_for_new_content (self, parent);
  gtk_window_present (GTK_WINDOW (window));
  if (store == NULL)
    {
      bb_compat_show_message (GTK_WINDOW (window), _("Could Not Import the Handover File"), error->message);
      return;
    }

  bb_window_set_store (window, store);
  bb_application_add_recent (self, bb_store_get_path (store));
  name = g_path_get_basename (bb_store_get_path (store));
  /* Translators: %s is the name of the new council file. */
  text = g_strdup_printf (_("Imported into the new council file “%s”"), name);
  bb_window_add_toast (window, text);
}

static void
bb_application_import_handover_action (GSimpleAction *action,
                                       GVariant      *param,
                                       gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Handover files (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");

  bb_compat_choose_file (parent, BB_FILE_CHOOSE_OPEN,
                         _("Import Handover File"), _("_Import"),
                         NULL, NULL, filter,
                         on_import_chosen_cb,
                         parent ? g_object_ref (parent) : NULL);
}

static void
bb_application_open_recent_action (GSimpleAction *action,
                                   GVariant      *param,
                                   gpointer       user_data)
{
  BbApplication *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  bb_application_open_file (self, file, gtk_application_get_active_window (GTK_APPLICATION (self)));
}

static void
bb_application_remove_recent_action (GSimpleAction *action,
                                     GVariant      *param,
                                     gpointer       user_data)
{
  bb_application_remove_recent (user_data, g_variant_get_string (param, NULL));
}

static void
bb_application_open_demo_action (GSimpleAction *action,
                                 GVariant      *param,
                                 gpointer       user_data)
{
  BbApplication *self = user_data;

  open_demo (self, gtk_application_get_active_window (GTK_APPLICATION (self)));
}

static void
bb_application_new_council_action (GSimpleAction *action,
                                   GVariant      *param,
                                   gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  BbWindow *window = get_window_for_new_content (self, active);

  gtk_window_present (GTK_WINDOW (window));
  bb_window_new_council (window);
}

static void
bb_application_new_window_action (GSimpleAction *action,
                                  GVariant      *param,
                                  gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (bb_window_new (user_data)));
}

static void
bb_application_about_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  BbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "Buurtboek contributors", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Buurtboek"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("Buurtboek contributors"),
                         "developers", developers,
                         "comments", _("Programme, volunteers and subsidy accountability for neighbourhood councils, on your own computer."),
                         "website", "https://buurtboek.nl",
                         "issue-url", "https://buurtboek.nl/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 Buurtboek contributors",
                         /* Translators: your names, one per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
bb_application_quit_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  BbApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window makes its closing backup. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static const GActionEntry app_actions[] = {
  { "new-council", bb_application_new_council_action },
  { "new-window", bb_application_new_window_action },
  { "open", bb_application_open_action },
  { "open-demo", bb_application_open_demo_action },
  { "import-handover", bb_application_import_handover_action },
  { "open-recent", bb_application_open_recent_action, "s" },
  { "remove-recent", bb_application_remove_recent_action, "s" },
  { "about", bb_application_about_action },
  { "quit", bb_application_quit_action },
};

static void
bb_application_startup (GApplication *app)
{
  BbApplication *self = BB_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *new_window_accels[] = { "<Control><Shift>n", NULL };

  /* The resource is compiled into a static library: nothing would pull it
   * in before GtkApplication looks for the shortcuts window and CSS. */
  g_resources_register (bb_ui_get_resource ());

  G_APPLICATION_CLASS (bb_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-council", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window", new_window_accels);
}

static void
bb_application_activate (GApplication *app)
{
  BbApplication *self = BB_APPLICATION (app);
  GtkWindow *window;

  if (self->open_demo)
    {
      self->open_demo = FALSE;
      open_demo (self, NULL);
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (bb_window_new (self));

  gtk_window_present (window);
}

static void
bb_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  BbApplication *self = BB_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    bb_application_open_file (self, files[i], NULL);
}

static int
bb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  BbApplication *self = BB_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "buurtboek", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    self->open_demo = TRUE;

  return -1;
}

static void
bb_application_dispose (GObject *object)
{
  BbApplication *self = BB_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bb_application_parent_class)->dispose (object);
}

static void
bb_application_finalize (GObject *object)
{
  BbApplication *self = BB_APPLICATION (object);

  g_free (self->backup_root);

  G_OBJECT_CLASS (bb_application_parent_class)->finalize (object);
}

static void
bb_application_class_init (BbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = bb_application_dispose;
  object_class->finalize = bb_application_finalize;

  app_class->startup = bb_application_startup;
  app_class->activate = bb_application_activate;
  app_class->open = bb_application_open;
  app_class->handle_local_options = bb_application_handle_local_options;
}

static void
bb_application_init (BbApplication *self)
{
  static const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the demo council"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  self->settings = g_settings_new (APP_ID);
  self->backup_root = bb_store_get_default_backup_root ();

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[COUNCIL-FILE…]"));
}

BbApplication *
bb_application_new (void)
{
  return g_object_new (BB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/nl/buurtboek/Buurtboek",
                       NULL);
}

GSettings *
bb_application_get_settings (BbApplication *self)
{
  g_return_val_if_fail (BB_IS_APPLICATION (self), NULL);

  return self->settings;
}

const char *
bb_application_get_backup_root (BbApplication *self)
{
  g_return_val_if_fail (BB_IS_APPLICATION (self), NULL);

  return self->backup_root;
}

GFile *
bb_application_dup_default_folder (BbApplication *self)
{
  g_autofree char *last = NULL;
  const char *documents;

  g_return_val_if_fail (BB_IS_APPLICATION (self), NULL);

  last = g_settings_get_string (self->settings, "last-folder");
  if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (last);

  documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  if (documents == NULL)
    return g_file_new_build_filename (g_get_home_dir (), "Buurtboek", NULL);

  /* Translators: the folder inside Documents where council files go. */
  return g_file_new_build_filename (documents, C_("folder name", "Buurtboek"), NULL);
}

void
bb_application_set_last_folder (BbApplication *self,
                                GFile         *folder)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BB_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (folder));

  path = g_file_get_path (folder);
  if (path != NULL)
    g_settings_set_string (self->settings, "last-folder", path);
}

char *
bb_application_dup_demo_path (BbApplication *self)
{
  /* The demo lives with the application's data, not among the user's own
   * documents, so trying it out leaves no file behind in Documents. */
  return g_build_filename (g_get_user_data_dir (), "buurtboek", "demo",
                           "Wijkraad De Dommelhoek.buurtboek", NULL);
}

void
bb_application_add_recent (BbApplication *self,
                           const char    *path)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_return_if_fail (BB_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  old = g_settings_get_strv (self->settings, "recent-files");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < BB_RECENT_FILES_MAX; i++)
    {
      if (g_strcmp0 (old[i], path) == 0)
        continue;
      g_strv_builder_add (builder, old[i]);
      n++;
    }

  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-files", (const char * const *) recent);
}

void
bb_application_remove_recent (BbApplication *self,
                              const char    *path)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) recent = NULL;

  g_return_if_fail (BB_IS_APPLICATION (self));

  old = g_settings_get_strv (self->settings, "recent-files");
  builder = g_strv_builder_new ();
  for (guint i = 0; old[i] != NULL; i++)
    if (g_strcmp0 (old[i], path) != 0)
      g_strv_builder_add (builder, old[i]);

  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-files", (const char * const *) recent);
}

void
bb_application_open_file (BbApplication *self,
                          GFile         *file,
                          GtkWindow     *preferred)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autofree char *path = NULL;
  BbWindow *window;

  g_return_if_fail (BB_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path != NULL)
    {
      char *canonical = g_canonicalize_filename (path, NULL);

      g_free (path);
      path = canonical;
    }
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      window = get_window_for_new_content (self, preferred);
      gtk_window_present (GTK_WINDOW (window));
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Buurtboek can only open council files on this computer."));
      bb_window_show_open_error (window, uri, error);
      return;
    }

  window = find_window_for_path (self, path);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  /* Open before presenting, so a window that will show the council does
   * not first lay out and paint the welcome page. The backup on opening
   * waits until the window has painted, when opening changes nothing. */
  store = bb_store_open (path, BB_STORE_OPEN_DEFER_BACKUP, self->backup_root, &error);
  window = get_window_for_new_content (self, preferred);
  if (store == NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      bb_window_show_open_error (window, path, error);
      return;
    }

  bb_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  if (bb_store_needs_open_backup (store))
    back_up_after_first_frame (window, store);
  bb_application_add_recent (self, bb_store_get_path (store));
}
