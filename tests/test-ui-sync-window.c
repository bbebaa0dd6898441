/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Automatic sync belongs to the window, not to the Sharing page: with a
 * peer (an in-process peer endpoint on 127.0.0.1) the header status shows
 * the sync and then "Up to date" while the Sharing page has never been
 * built; a sync started on the Sharing page shows in the header too; and
 * the scheduler goes away with the window. Runs the real application
 * window under Xvfb. */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "bb-application.h"
#include "bb-council.h"
#include "bb-lazy-page.h"
#include "bb-replica.h"
#include "bb-sync-page.h"
#include "bb-sync-peers.h"
#include "bb-sync-scheduler.h"
#include "bb-sync-server.h"
#include "bb-sync-status.h"
#include "bb-test-util.h"
#include "bb-window.h"

static BbApplication *app;

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static JsonObject *
practice (const char *id,
          const char *title)
{
  JsonObject *doc = json_object_new ();
  JsonObject *origin = json_object_new ();
  JsonObject *revisions = json_object_new ();
  JsonArray *ids = json_array_new ();

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "_rev", "1-0123456789abcdef0123456789abcdef");
  json_array_add_string_element (ids, "0123456789abcdef0123456789abcdef");
  json_object_set_int_member (revisions, "start", 1);
  json_object_set_array_member (revisions, "ids", ids);
  json_object_set_object_member (doc, "_revisions", revisions);
  json_object_set_string_member (doc, "format", "buurtboek-library/1");
  json_object_set_string_member (doc, "type", "practice");
  json_object_set_string_member (doc, "title", title);
  json_object_set_string_member (doc, "summary", "Zo doet Zuid het.");
  json_object_set_string_member (doc, "body", "# Draaiboek");
  json_object_set_string_member (doc, "updated_at", "2026-05-01T10:00:00Z");
  json_object_set_string_member (origin, "council_id", "zuid");
  json_object_set_string_member (origin, "council_name", "Wijkraad Zuid");
  json_object_set_string_member (origin, "municipality", "Valkenswaard");
  json_object_set_object_member (doc, "origin", origin);
  return doc;
}

static void
put_practice (BbStore    *store,
              const char *id,
              const char *title)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (docs, practice (id, title));
  g_assert_true (bb_replica_put_revisions (store, docs, NULL, &errors, &error));
  g_assert_no_error (error);
  g_assert_true (errors == NULL || errors->len == 0);
}

static gboolean
has_doc (BbStore    *store,
         const char *id)
{
  g_autoptr(JsonObject) doc = bb_replica_get (store, id, NULL, BB_REPLICA_GET_NONE, NULL);

  return doc != NULL;
}

static BbStore *
make_store (const char *dir,
            const char *name)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *file = g_strdup_printf ("%s.buurtboek", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  BbStore *store;

  bb_council_set_name (council, name);
  store = bb_store_create (path, council, dir, &error);
  g_assert_no_error (error);
  return store;
}

/* BB_TEST_SHOT=prefix: pictures of the window, for looking at it. */
static void
maybe_screenshot (GtkWidget  *widget,
                  const char *name)
{
  const char *prefix = g_getenv ("BB_TEST_SHOT");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (prefix == NULL)
    return;
  /* Let the window get its size and draw */
  {
    gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  path = g_strdup_printf ("%s-%s.png", prefix, name);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_test_message ("Nothing drawn for %s", path);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  gdk_texture_save_to_png (texture, path);
}

typedef struct {
  BbSyncStatus *status;
  guint         progress_seen;
  guint         syncing_seen;     /* progress while the header said so */
  guint         finished;
  gboolean      last_ok;
} Watch;

/* Connected after the header status's own handler, so it sees what the
 * header shows at that moment. */
static void
on_progress_cb (BbSyncScheduler *scheduler,
                const char      *url,
                gint64           done,
                gint64           total,
                Watch           *watch)
{
  watch->progress_seen++;
  if (bb_sync_status_get_state (watch->status) == BB_SYNC_STATUS_SYNCING &&
      g_str_has_prefix (bb_sync_status_get_text (watch->status), "Syncing"))
    watch->syncing_seen++;
}

static void
on_finished_cb (BbSyncScheduler *scheduler,
                const char      *url,
                gboolean         ok,
                gboolean         needs_credentials,
                const char      *message,
                Watch           *watch)
{
  if (!ok)
    g_test_message ("sync failed: %s", message);
  watch->last_ok = ok;
  watch->finished++;
}

static gboolean
finished_twice (gpointer data)
{
  return ((Watch *) data)->finished >= 2;
}

static gboolean
finished_once (gpointer data)
{
  return ((Watch *) data)->finished >= 1;
}

static gboolean
switcher_shown (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && !adw_view_switcher_title_get_title_visible (data);
}

static gboolean
status_up_to_date (gpointer data)
{
  return bb_sync_status_get_state (data) == BB_SYNC_STATUS_UP_TO_DATE;
}

static gboolean
page_built (gpointer data)
{
  return bb_lazy_page_get_page (data) != NULL;
}

static void
test_window_sync (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bb-test-ui-sync-window-XXXXXX", &error);
  g_autoptr(BbStore) zuid = make_store (dir, "Wijkraad Zuid");
  g_autoptr(BbStore) noord = make_store (dir, "Wijkraad Noord");
  g_autoptr(BbSyncServer) server = bb_sync_server_new (zuid);
  g_autoptr(BbSyncPeer) peer = NULL;
  g_autofree char *url = NULL;
  BbWindow *window;
  BbSyncStatus *status;
  AdwViewStack *sections;
  BbLazyPage *sync_page;
  BbSyncScheduler *scheduler = NULL;
  GtkWidget *page;
  GObject *button;
  Watch watch = { 0 };

  put_practice (zuid, "burendag", "Burendag");
  put_practice (zuid, "snoeidag", "Snoeidag");
  /* Passwords live in the keyring, which the test has not: an open peer */
  bb_sync_server_set_credentials (server, NULL, NULL);
  g_assert_true (bb_sync_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/library", bb_sync_server_get_port (server));
  peer = bb_sync_peer_new ("Wijkraad Zuid", url);
  g_assert_true (bb_sync_peers_save (noord, peer, &error));
  g_assert_no_error (error);

  window = bb_window_new (app);
  g_object_set (window, "sync-start-delay", 0, NULL);
  /* A normal laptop window, with minimize, maximize and close buttons:
   * the header must keep the section switcher beside the sync status */
  gtk_window_set_default_size (GTK_WINDOW (window),
                               g_getenv ("BB_TEST_WIDTH") != NULL ? atoi (g_getenv ("BB_TEST_WIDTH")) : 900, 600);
  if (g_getenv ("BB_TEST_DECORATION") != NULL)
    g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", g_getenv ("BB_TEST_DECORATION"), NULL);
  gtk_window_present (GTK_WINDOW (window));
  bb_window_set_store (window, noord);

  status = BB_SYNC_STATUS (gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "sync_status"));
  sections = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "sections"));
  sync_page = BB_LAZY_PAGE (adw_view_stack_get_child_by_name (sections, "sharing"));
  watch.status = status;

  /* The window made the scheduler and handed it to the header */
  g_object_get (status, "scheduler", &scheduler, NULL);
  g_assert_nonnull (scheduler);
  g_signal_connect (scheduler, "progress", G_CALLBACK (on_progress_cb), &watch);
  g_signal_connect (scheduler, "finished", G_CALLBACK (on_finished_cb), &watch);

  /* It syncs on its own, and the header follows */
  g_assert_true (wait_for (finished_once, &watch));
  g_assert_true (watch.last_ok);
  g_assert_cmpuint (watch.progress_seen, >, 0);
  g_assert_cmpuint (watch.syncing_seen, ==, watch.progress_seen);
  g_assert_true (wait_for (status_up_to_date, status));
  g_assert_cmpstr (bb_sync_status_get_text (status), ==, "Up to date");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  maybe_screenshot (GTK_WIDGET (window), "up-to-date");
  if (g_getenv ("BB_TEST_WIDTH") == NULL)
    {
      AdwViewSwitcherTitle *title = ADW_VIEW_SWITCHER_TITLE (
        gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "switcher_title"));

      g_assert_true (wait_for (switcher_shown, title));
    }
  g_assert_true (has_doc (noord, "burendag"));
  g_assert_true (has_doc (noord, "snoeidag"));
  /* … without anyone opening Sharing */
  g_assert_null (bb_lazy_page_get_page (sync_page));

  /* Opening Sharing gives the page the same scheduler; its "Sync Now"
   * shows in the header */
  put_practice (zuid, "repaircafe", "Repair Café");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "sharing");
  g_assert_true (wait_for (page_built, sync_page));
  page = bb_lazy_page_get_page (sync_page);
  {
    g_autoptr(BbSyncScheduler) page_scheduler = NULL;

    g_object_get (page, "scheduler", &page_scheduler, NULL);
    g_assert_true (page_scheduler == scheduler);
  }
  watch.progress_seen = watch.syncing_seen = 0;
  button = gtk_widget_get_template_child (page, BB_TYPE_SYNC_PAGE, "sync_all_button");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (wait_for (finished_twice, &watch));
  g_assert_true (watch.last_ok);
  g_assert_cmpuint (watch.progress_seen, >, 0);
  g_assert_cmpuint (watch.syncing_seen, ==, watch.progress_seen);
  g_assert_true (wait_for (status_up_to_date, status));
  g_assert_true (has_doc (noord, "repaircafe"));

  /* Closing the window stops and drops the scheduler */
  g_object_add_weak_pointer (G_OBJECT (scheduler), (gpointer *) &scheduler);
  g_signal_handlers_disconnect_by_data (scheduler, &watch);
  g_object_unref (scheduler);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (scheduler);

  bb_sync_server_stop (server);
  g_assert_true (bb_store_close (zuid, &error));
  g_assert_no_error (error);
  bb_test_remove_tree (dir);
}

/* A council without automatic peers: the scheduler exists (for "Sync
 * Now") but the header stays hidden and nothing syncs. */
static void
test_window_no_peers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bb-test-ui-sync-window-XXXXXX", &error);
  g_autoptr(BbStore) noord = make_store (dir, "Wijkraad Noord");
  BbWindow *window = bb_window_new (app);
  BbSyncStatus *status;
  g_autoptr(BbSyncScheduler) scheduler = NULL;
  g_autoptr(BbStore) other = make_store (dir, "Wijkraad West");
  g_autoptr(BbSyncScheduler) other_scheduler = NULL;
  gint64 end;

  g_object_set (window, "sync-start-delay", 0, NULL);
  gtk_window_present (GTK_WINDOW (window));
  bb_window_set_store (window, noord);
  status = BB_SYNC_STATUS (gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW, "sync_status"));
  g_object_get (status, "scheduler", &scheduler, NULL);
  g_assert_nonnull (scheduler);

  end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (bb_sync_scheduler_get_current (scheduler));
  g_assert_cmpint (bb_sync_status_get_state (status), ==, BB_SYNC_STATUS_HIDDEN);

  /* Another council in the window gets its own scheduler */
  bb_window_set_store (window, other);
  g_object_get (status, "scheduler", &other_scheduler, NULL);
  g_assert_nonnull (other_scheduler);
  g_assert_true (other_scheduler != scheduler);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  int ret;

  /* GLib's plain monitor says "online": the test must not depend on the
   * machine having a default route. */
  g_setenv ("GIO_USE_NETWORK_MONITOR", "base", TRUE);
  home = g_dir_make_tmp ("bb-test-ui-sync-window-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("BUURTBOEK_BACKUP_DIR", home, TRUE);
  g_unsetenv ("LANGUAGE");

  gtk_test_init (&argc, &argv, NULL);

  app = bb_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/bb/ui/sync-window/automatic", test_window_sync);
  g_test_add_func ("/bb/ui/sync-window/no-peers", test_window_no_peers);

  ret = g_test_run ();

  g_object_unref (app);
  bb_test_remove_tree (home);
  return ret;
}
