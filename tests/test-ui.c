/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Starts the real application with a fresh data folder under Xvfb and
 * drives it through its widgets and actions, as a user would. */

#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "bb-application.h"
#include "bb-backup.h"
#include "bb-council-dialog.h"
#include "bb-overview-page.h"
#include "bb-property-row.h"
#include "bb-restore-dialog.h"
#include "bb-window.h"
#include "bb-test-util.h"

static BbApplication *app;
static char *tmp_home;

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  /* Let pending layout and redraws run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return TRUE;
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
has_toplevel (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
no_toplevel (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

static gboolean
window_has_store (gpointer window)
{
  return bb_window_get_store (window) != NULL;
}

static void
close_all_windows (void)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (GList *l = windows; l; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static BbWindow *
open_fresh_window (void)
{
  BbWindow *window = bb_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for ((Condition) gtk_widget_get_mapped, window));

  return window;
}

static void
set_row_text (GtkWidget  *dialog,
              const char *name,
              const char *text)
{
  g_autofree char *row_name = g_strdup_printf ("%s_row", name);
  GObject *row = gtk_widget_get_template_child (dialog, BB_TYPE_COUNCIL_DIALOG, row_name);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
row_shows_error (GtkWidget  *dialog,
                 const char *name)
{
  g_autofree char *error_row_name = g_strdup_printf ("%s_error_row", name);
  GObject *error_row = gtk_widget_get_template_child (dialog, BB_TYPE_COUNCIL_DIALOG, error_row_name);
  g_autofree char *row_name = g_strdup_printf ("%s_row", name);
  GObject *row = gtk_widget_get_template_child (dialog, BB_TYPE_COUNCIL_DIALOG, row_name);

  return gtk_widget_get_visible (GTK_WIDGET (error_row)) &&
         gtk_widget_has_css_class (GTK_WIDGET (row), "error");
}

static void
test_create_council (void)
{
  BbWindow *window = open_fresh_window ();
  GtkWidget *dialog;
  GObject *stack, *title;
  BbStore *store;
  g_autofree char *folder = NULL;
  g_auto(GStrv) recent = NULL;
  GtkWidget *overview;
  GObject *name_row;

  /* No council yet: the welcome page shows. */
  stack = gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "welcome");
  /* Council actions are off until a council is open: they are found but
   * not run. Were one run, its handler's check for an open council would
   * raise a critical, which is fatal in this test (G_DEBUG). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.backup-now", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.council-details", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-handover", NULL));
  g_assert_null (find_toplevel (BB_TYPE_COUNCIL_DIALOG));

  /* The welcome page's first button starts a new council. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.new-council", NULL));
  g_assert_true (wait_for (has_toplevel, GSIZE_TO_POINTER (BB_TYPE_COUNCIL_DIALOG)));
  dialog = find_toplevel (BB_TYPE_COUNCIL_DIALOG);

  /* Nothing filled in: the name is required, and the dialog says so. */
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.submit", NULL));
  g_assert_true (row_shows_error (dialog, "name"));
  g_assert_null (bb_window_get_store (window));

  /* A mistyped IBAN and a seven-digit KvK number are refused inline. */
  set_row_text (dialog, "name", "Wijkraad ’t Hofke");
  set_row_text (dialog, "municipality", "Eindhoven");
  set_row_text (dialog, "kvk", "1234567");
  set_row_text (dialog, "iban", "NL91 ABNA 0417 1643 01");
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.submit", NULL));
  g_assert_false (row_shows_error (dialog, "name"));
  g_assert_true (row_shows_error (dialog, "kvk"));
  g_assert_true (row_shows_error (dialog, "iban"));
  g_assert_null (bb_window_get_store (window));

  /* Mending them clears the messages as the user types. */
  set_row_text (dialog, "kvk", "1234 5678");
  set_row_text (dialog, "iban", "nl91 abna 0417 1643 00");
  g_assert_false (row_shows_error (dialog, "kvk"));
  g_assert_false (row_shows_error (dialog, "iban"));

  g_assert_true (gtk_widget_activate_action (dialog, "dialog.submit", NULL));
  g_assert_true (wait_for (window_has_store, window));
  g_assert_true (wait_for (no_toplevel, GSIZE_TO_POINTER (BB_TYPE_COUNCIL_DIALOG)));

  /* The main window shows the new council. */
  store = bb_window_get_store (window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "council");
  title = gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "switcher_title");
  g_assert_cmpstr (adw_view_switcher_title_get_title (ADW_VIEW_SWITCHER_TITLE (title)), ==, "Wijkraad ’t Hofke");
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (ADW_VIEW_SWITCHER_TITLE (title)), ==, "Eindhoven");

  overview = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "overview_page"));
  name_row = gtk_widget_get_template_child (overview, BB_TYPE_OVERVIEW_PAGE, "name_row");
  g_assert_cmpstr (bb_property_row_get_value (BB_PROPERTY_ROW (name_row)), ==, "Wijkraad ’t Hofke");

  /* The file is where the dialog said, with normalised numbers. */
  g_assert_true (g_file_test (bb_store_get_path (store), G_FILE_TEST_IS_REGULAR));
  folder = g_path_get_dirname (bb_store_get_path (store));
  g_assert_true (g_str_has_prefix (folder, tmp_home));
  {
    g_autoptr(BbCouncil) council = bb_store_dup_council (store);

    g_assert_cmpstr (bb_council_get_kvk_number (council), ==, "12345678");
    g_assert_cmpstr (bb_council_get_iban (council), ==, "NL91ABNA0417164300");
  }

  /* It is the first recent file now. */
  recent = g_settings_get_strv (bb_application_get_settings (app), "recent-files");
  g_assert_nonnull (recent[0]);
  g_assert_cmpstr (recent[0], ==, bb_store_get_path (store));

  close_all_windows ();
}

static void
test_open_not_a_council (void)
{
  BbWindow *window = open_fresh_window ();
  g_autofree char *path = g_build_filename (tmp_home, "boodschappen.buurtboek", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *after = NULL;
  AdwMessageDialog *dialog;
  const char *text = "melk, eieren, brood\n";

  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  bb_application_open_file (app, file, GTK_WINDOW (window));
  g_assert_true (wait_for (has_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Not a Council File");
  g_assert_null (bb_window_get_store (window));

  /* The file is left exactly as it was. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);

  gtk_window_destroy (GTK_WINDOW (dialog));
  close_all_windows ();
}

static void
test_open_demo (void)
{
  BbWindow *window = open_fresh_window ();
  GObject *title;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.open-demo", NULL));
  g_assert_true (wait_for (window_has_store, window));

  title = gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "switcher_title");
  g_assert_cmpstr (adw_view_switcher_title_get_title (ADW_VIEW_SWITCHER_TITLE (title)), ==, "Wijkraad De Dommelhoek");
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (ADW_VIEW_SWITCHER_TITLE (title)), ==, "Valkenswaard");

  /* The same file twice shows the window that has it, not a second one. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (bb_store_get_path (bb_window_get_store (window)));
    guint before = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));

    bb_application_open_file (app, file, NULL);
    g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, before);
  }

  close_all_windows ();
}

static gboolean
title_is (gpointer data)
{
  const char **expected = data;
  BbWindow *window = BB_WINDOW ((gpointer) expected[0]);
  GObject *title = gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "switcher_title");

  return g_strcmp0 (adw_view_switcher_title_get_title (ADW_VIEW_SWITCHER_TITLE (title)), expected[1]) == 0;
}

static void
rename_council (BbStore    *store,
                const char *name)
{
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);
  g_autoptr(GError) error = NULL;

  bb_council_set_name (council, name);
  bb_store_update_council (store, council, &error);
  g_assert_no_error (error);
}

static void
test_backup_and_restore (void)
{
  BbWindow *window = open_fresh_window ();
  g_autoptr(GPtrArray) backups = NULL;
  g_autofree char *wanted = NULL;
  const char *expect_restored[] = { (const char *) window, "Wijkraad Na De Reservekopie" };
  const char *expect_changed[] = { (const char *) window, "Een Vergissing" };
  BbRestoreDialog *restore;
  AdwMessageDialog *confirm;
  BbStore *store;
  guint n_before;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.open-demo", NULL));
  g_assert_true (wait_for (window_has_store, window));
  store = bb_window_get_store (window);

  /* "Back Up Now" keeps the state the treasurer wants to go back to. */
  rename_council (store, "Wijkraad Na De Reservekopie");
  backups = bb_backup_list (bb_store_get_backup_root (store), bb_store_get_council_id (store), NULL);
  n_before = backups->len;
  g_clear_pointer (&backups, g_ptr_array_unref);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.backup-now", NULL));
  backups = bb_backup_list (bb_store_get_backup_root (store), bb_store_get_council_id (store), NULL);
  g_assert_cmpuint (backups->len, ==, n_before + 1);
  wanted = g_strdup (((BbBackupInfo *) g_ptr_array_index (backups, 0))->path);

  /* A mistake afterwards shows in the header at once. */
  rename_council (store, "Een Vergissing");
  g_assert_true (wait_for (title_is, expect_changed));

  /* Restore: the dialog lists the backups, asks, then puts it back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.restore", NULL));
  g_assert_true (wait_for (has_toplevel, GSIZE_TO_POINTER (BB_TYPE_RESTORE_DIALOG)));
  restore = find_toplevel (BB_TYPE_RESTORE_DIALOG);
  bb_restore_dialog_restore (restore, wanted);
  g_assert_true (wait_for (has_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)));
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  /* Cancelling changes nothing. */
  adw_message_dialog_response (confirm, "cancel");
  g_assert_true (title_is (expect_changed));

  bb_restore_dialog_restore (restore, wanted);
  g_assert_true (wait_for (has_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)));
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (confirm, "restore");
  g_assert_true (wait_for (title_is, expect_restored));
  g_assert_true (wait_for (no_toplevel, GSIZE_TO_POINTER (BB_TYPE_RESTORE_DIALOG)));

  /* The replaced state was itself kept as a backup. */
  g_clear_pointer (&backups, g_ptr_array_unref);
  backups = bb_backup_list (bb_store_get_backup_root (store), bb_store_get_council_id (store), NULL);
  g_assert_cmpint (((BbBackupInfo *) g_ptr_array_index (backups, 0))->reason, ==, BB_BACKUP_REASON_BEFORE_RESTORE);

  close_all_windows ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* A fresh home before GLib reads any of these. */
  tmp_home = g_dir_make_tmp ("buurtboek-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", tmp_home, TRUE);
  g_setenv ("XDG_DATA_HOME", tmp_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmp_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", tmp_home, TRUE);
  g_setenv ("BUURTBOEK_BACKUP_DIR", tmp_home, TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");

  gtk_test_init (&argc, &argv, NULL);

  app = bb_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/bb/ui/create-council", test_create_council);
  g_test_add_func ("/bb/ui/open-not-a-council", test_open_not_a_council);
  g_test_add_func ("/bb/ui/open-demo", test_open_demo);
  g_test_add_func ("/bb/ui/backup-and-restore", test_backup_and_restore);

  ret = g_test_run ();

  g_object_unref (app);
  bb_test_remove_tree (tmp_home);
  g_free (tmp_home);

  return ret;
}
