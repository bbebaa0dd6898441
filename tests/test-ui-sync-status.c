/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync status in the header bar: hidden without peers, then what the
 * peers' sync log says, and a popover that
 * lists the peers and asks for the Sharing section. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "bb-council.h"
#include "bb-sync-peers.h"
#include "bb-sync-status.h"
#include "bb-test-util.h"
#include "bb-ui-resources.h"

static void
add_log (BbStore    *store,
         const char *url,
         const char *status)
{
  BbSyncLogEntry entry = { 0 };
  g_autoptr(GError) error = NULL;

  entry.peer_url = (char *) url;
  entry.started_at = (char *) "2026-05-01T10:00:00Z";
  entry.finished_at = (char *) "2026-05-01T10:00:05Z";
  entry.status = (char *) status;
  g_assert_true (bb_sync_log_add (store, &entry, &error));
  g_assert_no_error (error);
}

static void
on_show_section_cb (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  char **section = user_data;

  g_free (*section);
  *section = g_variant_dup_string (param, NULL);
}

/* A label under @root whose text starts with @prefix */
static gboolean
find_label (GtkWidget  *root,
            const char *prefix)
{
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (root)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, prefix))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-status-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Noord.buurtboek", NULL);
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Wijkraad Zuid", "http://192.168.1.20:5984/library");
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("show-section", G_VARIANT_TYPE_STRING);
  g_autofree char *section = NULL;
  GtkWidget *window = gtk_window_new ();
  BbSyncStatus *status = g_object_new (BB_TYPE_SYNC_STATUS, NULL);
  const char *text;
  GtkWidget *popover;
  GtkWidget *open_button;
  int natural = 0;

  bb_council_set_name (council, "Wijkraad Noord");
  store = bb_store_create (path, council, dir, &error);
  g_assert_no_error (error);

  g_signal_connect (action, "activate", G_CALLBACK (on_show_section_cb), &section);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (status));
  gtk_window_present (GTK_WINDOW (window));

  /* A council without peers: nothing to say */
  g_object_set (status, "store", store, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));
  bb_sync_status_refresh (status);
  g_assert_cmpint (bb_sync_status_get_state (status), ==, BB_SYNC_STATUS_HIDDEN);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));

  g_assert_true (bb_sync_peers_save (store, peer, &error));
  g_assert_no_error (error);
  bb_sync_status_refresh (status);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_cmpint (bb_sync_status_get_state (status), ==, BB_SYNC_STATUS_NEVER);

  /* The machine running the test may be offline: then that shows */
  add_log (store, peer->url, "ok");
  bb_sync_status_refresh (status);
  g_assert_cmpint (bb_sync_status_get_state (status), ==,
                   g_network_monitor_get_network_available (g_network_monitor_get_default ())
                   ? BB_SYNC_STATUS_UP_TO_DATE : BB_SYNC_STATUS_OFFLINE);
  text = gtk_widget_get_tooltip_text (gtk_widget_get_first_child (GTK_WIDGET (status)));
  g_assert_nonnull (strstr (text, "Wijkraad Zuid"));
  g_assert_nonnull (strstr (text, "2026"));

  /* A failure needs attention, offline or not */
  add_log (store, peer->url, "credentials");
  bb_sync_status_refresh (status);
  g_assert_cmpint (bb_sync_status_get_state (status), ==, BB_SYNC_STATUS_ATTENTION);
  g_assert_cmpstr (bb_sync_status_get_text (status), ==, "Needs attention");

  /* An icon, not the words: the header keeps its room for the section
   * switcher at a normal window width, whatever the state says */
  gtk_widget_measure (GTK_WIDGET (status), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_assert_cmpint (natural, <, 60);
  text = gtk_widget_get_tooltip_text (gtk_widget_get_first_child (GTK_WIDGET (status)));
  g_assert_true (g_str_has_prefix (text, "Needs attention\n"));

  /* Its popover lists the peer with its state, and goes to the Sharing
   * section */
  popover = bb_sync_status_get_popover (status);
  g_assert_true (find_label (popover, "Wijkraad Zuid"));
  g_assert_true (find_label (popover, "Needs a user name and password"));
  open_button = find_button (popover, "_Open Sharing");
  g_assert_nonnull (open_button);
  g_signal_emit_by_name (open_button, "clicked");
  g_assert_cmpstr (section, ==, "sharing");

  /* Closing the council hides it */
  g_object_set (status, "store", NULL, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));

  gtk_window_destroy (GTK_WINDOW (window));
  bb_store_close (store, NULL);
  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (bb_ui_get_resource ());

  g_test_add_func ("/bb/ui/sync-status", test_status);

  return g_test_run ();
}
