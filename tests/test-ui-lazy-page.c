/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The section pages of a real window under Xvfb are built only when first
 * shown (BbLazyPage), and still behave as before once built: they get the
 * window's council, follow it when another council is opened, and the
 * window actions they use (win.report) reach the window. */

#include "config.h"

#include <gtk/gtk.h>

#include "bb-application.h"
#include "bb-demo.h"
#include "bb-lazy-page.h"
#include "bb-library-page.h"
#include "bb-money-page.h"
#include "bb-overview-page.h"
#include "bb-programme-page.h"
#include "bb-report-dialog.h"
#include "bb-sync-page.h"
#include "bb-sync-scheduler.h"
#include "bb-test-util.h"
#include "bb-volunteers-page.h"
#include "bb-window.h"

static BbApplication *app;
static char *tmp_home;

static const char *lazy_sections[] = { "programme", "volunteers", "money", "library", "sharing" };

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
has_report_dialog (gpointer data)
{
  return find_toplevel (BB_TYPE_REPORT_DIALOG) != NULL;
}

static AdwViewStack *
get_sections (BbWindow *window)
{
  GObject *sections = gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "sections");

  g_assert_true (ADW_IS_VIEW_STACK (sections));
  return ADW_VIEW_STACK (sections);
}

static BbLazyPage *
get_lazy (BbWindow   *window,
          const char *name)
{
  GtkWidget *child = adw_view_stack_get_child_by_name (get_sections (window), name);

  g_assert_true (BB_IS_LAZY_PAGE (child));
  return BB_LAZY_PAGE (child);
}

static BbStore *
page_store (GtkWidget *page)
{
  g_autoptr(BbStore) store = NULL;

  g_object_get (page, "store", &store, NULL);
  /* The window keeps it alive; only its identity matters here. */
  return store;
}

/* Shows @name and returns the real page it built. */
static GtkWidget *
show_section (BbWindow   *window,
              const char *name)
{
  BbLazyPage *lazy = get_lazy (window, name);
  GtkWidget *page;

  adw_view_stack_set_visible_child_name (get_sections (window), name);
  page = bb_lazy_page_get_page (lazy);
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_get_parent (page) == GTK_WIDGET (lazy));
  g_assert_true (wait_for ((Condition) gtk_widget_get_mapped, page));

  return page;
}

static BbStore *
open_demo_copy (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_home, name, NULL);
  BbStore *store;

  store = bb_demo_create (path, tmp_home, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

static BbWindow *
present_window (BbStore *store)
{
  BbWindow *window = bb_window_new (app);

  bb_window_set_store (window, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for ((Condition) gtk_widget_get_mapped, window));

  return window;
}

static void
close_window (BbWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Opening a council builds the overview only; a section is built when it
 * is first shown, with the window's council, and the others stay unbuilt. */
static void
test_built_when_shown (void)
{
  g_autoptr(BbStore) store = open_demo_copy ("lazy-built.buurtboek");
  BbWindow *window = present_window (store);
  GObject *overview = gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "overview_page");
  struct { const char *name; GType type; } expected[] = {
    { "programme", BB_TYPE_PROGRAMME_PAGE },
    { "volunteers", BB_TYPE_VOLUNTEERS_PAGE },
    { "money", BB_TYPE_MONEY_PAGE },
    { "library", BB_TYPE_LIBRARY_PAGE },
    { "sharing", BB_TYPE_SYNC_PAGE },
  };

  g_assert_true (BB_IS_OVERVIEW_PAGE (overview));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (overview)));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_sections (window)), ==, "overview");

  for (guint i = 0; i < G_N_ELEMENTS (lazy_sections); i++)
    {
      BbLazyPage *lazy = get_lazy (window, lazy_sections[i]);

      g_assert_null (bb_lazy_page_get_page (lazy));
      g_assert_null (gtk_widget_get_first_child (GTK_WIDGET (lazy)));
      /* It holds the council for when it is built. */
      g_assert_true (bb_lazy_page_get_store (lazy) == store);
    }

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GtkWidget *page = show_section (window, expected[i].name);

      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (page, expected[i].type));
      g_assert_true (page_store (page) == store);

      /* Shown once, built once: coming back keeps the same page. */
      adw_view_stack_set_visible_child_name (get_sections (window), "overview");
      g_assert_true (show_section (window, expected[i].name) == page);

      /* The sections after this one are still not built. */
      for (guint j = i + 1; j < G_N_ELEMENTS (expected); j++)
        g_assert_null (bb_lazy_page_get_page (get_lazy (window, expected[j].name)));
    }

  close_window (window);
}

/* Opening another council in the same window reaches the built pages at
 * once, and the unbuilt ones when they are built. */
static void
test_follows_the_council (void)
{
  g_autoptr(BbStore) first = open_demo_copy ("lazy-first.buurtboek");
  g_autoptr(BbStore) second = open_demo_copy ("lazy-second.buurtboek");
  BbWindow *window = present_window (first);
  GtkWidget *money = show_section (window, "money");

  g_assert_true (page_store (money) == first);
  g_assert_null (bb_lazy_page_get_page (get_lazy (window, "library")));

  bb_window_set_store (window, second);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (page_store (money) == second);
  g_assert_true (bb_lazy_page_get_store (get_lazy (window, "library")) == second);
  g_assert_null (bb_lazy_page_get_page (get_lazy (window, "library")));
  g_assert_true (page_store (show_section (window, "library")) == second);

  /* Closing the council empties every page, built or not. */
  bb_window_set_store (window, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (page_store (money));
  g_assert_null (bb_lazy_page_get_store (get_lazy (window, "volunteers")));

  close_window (window);
}

static gboolean
find_report_button (GtkWidget  *widget,
                    GtkWidget **out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), "win.report") == 0)
        {
          *out = child;
          return TRUE;
        }
      if (find_report_button (child, out))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_is_sensitive (widget);
}

/* The Money page's Report button asks the window for the verantwoording
 * (win.report): the page, built later inside a BbLazyPage, still reaches
 * the window's action. */
static void
test_report_from_money (void)
{
  g_autoptr(BbStore) store = open_demo_copy ("lazy-report.buurtboek");
  BbWindow *window = present_window (store);
  GtkWidget *money = show_section (window, "money");
  GtkWidget *button = NULL;
  GtkWindow *dialog;

  g_assert_true (find_report_button (money, &button));
  /* The demo has a subsidy, which the page shows once it has read it. */
  g_assert_true (wait_for (is_sensitive, button));
  g_assert_null (find_toplevel (BB_TYPE_REPORT_DIALOG));

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (wait_for (has_report_dialog, NULL));
  dialog = find_toplevel (BB_TYPE_REPORT_DIALOG);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));

  gtk_window_destroy (dialog);
  close_window (window);
}

static BbSyncScheduler *
page_scheduler (GtkWidget *page)
{
  g_autoptr(BbSyncScheduler) scheduler = NULL;

  g_object_get (page, "scheduler", &scheduler, NULL);
  return scheduler;
}

/* Other object properties reach the page (the window's sync scheduler
 * for Sharing): given before it is built or after, and left alone for a
 * page type without that property. */
static void
test_page_objects (void)
{
  g_autoptr(BbStore) store = open_demo_copy ("lazy-objects.buurtboek");
  g_autoptr(BbSyncScheduler) first = bb_sync_scheduler_new (store);
  g_autoptr(BbSyncScheduler) second = bb_sync_scheduler_new (store);
  g_autoptr(GtkWidget) sharing = g_object_ref_sink (bb_lazy_page_new ("BbSyncPage"));
  g_autoptr(GtkWidget) library = g_object_ref_sink (bb_lazy_page_new ("BbLibraryPage"));
  GtkWidget *page;

  bb_lazy_page_set_store (BB_LAZY_PAGE (sharing), store);
  bb_lazy_page_set_page_object (BB_LAZY_PAGE (sharing), "scheduler", first);
  g_assert_null (bb_lazy_page_get_page (BB_LAZY_PAGE (sharing)));
  page = bb_lazy_page_ensure_page (BB_LAZY_PAGE (sharing));
  g_assert_true (page_scheduler (page) == first);
  g_assert_true (page_store (page) == store);

  bb_lazy_page_set_page_object (BB_LAZY_PAGE (sharing), "scheduler", second);
  g_assert_true (page_scheduler (page) == second);
  bb_lazy_page_set_page_object (BB_LAZY_PAGE (sharing), "scheduler", NULL);
  g_assert_null (page_scheduler (page));

  /* The library page has no scheduler: nothing is set, nothing warns */
  bb_lazy_page_set_store (BB_LAZY_PAGE (library), store);
  bb_lazy_page_set_page_object (BB_LAZY_PAGE (library), "scheduler", first);
  g_assert_nonnull (bb_lazy_page_ensure_page (BB_LAZY_PAGE (library)));

  bb_lazy_page_set_store (BB_LAZY_PAGE (sharing), NULL);
  bb_lazy_page_set_store (BB_LAZY_PAGE (library), NULL);
  g_assert_true (bb_store_close (store, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_home = g_dir_make_tmp ("buurtboek-ui-lazy-XXXXXX", &error);
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

  g_test_add_func ("/bb/ui/lazy-page/built-when-shown", test_built_when_shown);
  g_test_add_func ("/bb/ui/lazy-page/follows-the-council", test_follows_the_council);
  g_test_add_func ("/bb/ui/lazy-page/report-from-money", test_report_from_money);
  g_test_add_func ("/bb/ui/lazy-page/page-objects", test_page_objects);

  ret = g_test_run ();

  g_object_unref (app);
  bb_test_remove_tree (tmp_home);
  g_free (tmp_home);

  return ret;
}
