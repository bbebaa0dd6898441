/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Sharing page and the keyring, in a real window under Xvfb against a
 * real Secret Service (tests/run-with-keyring): a peer that answers 401
 * makes the page ask for the password; "Remember in the keyring" stores it
 * there and never in the council file; removing the peer forgets it. */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "bb-council.h"
#include "bb-sync.h"
#include "bb-sync-page.h"
#include "bb-sync-peers.h"
#include "bb-sync-secrets.h"
#include "bb-sync-server.h"
#include "bb-test-util.h"
#include "bb-ui-resources.h"

#define ACCESS_CODE "toegang-8261-dommel"

static gboolean
is_button_with (GtkWidget  *widget,
                const char *text)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  const char *label = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;

  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         (g_strcmp0 (label, text) == 0 || g_strcmp0 (tooltip, text) == 0);
}

static gboolean
is_type (GtkWidget  *widget,
         const char *type_name)
{
  return g_type_is_a (G_OBJECT_TYPE (widget), g_type_from_name (type_name));
}

static GtkWidget *
find (GtkWidget  *root,
      gboolean  (*match) (GtkWidget *, const char *),
      const char *text)
{
  if (match (root, text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, match, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* BB_TEST_SHOT=prefix: pictures, for looking at them. */
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
  path = g_strdup_printf ("%s-%s.png", prefix, name);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  gdk_texture_save_to_png (texture, path);
}

static AdwMessageDialog *
wait_for_dialog (void)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

      for (GList *l = toplevels; l != NULL; l = l->next)
        if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
          return l->data;
      g_main_context_iteration (NULL, TRUE);
    }
  return NULL;
}

static char *
wait_for_keyring (const char       *council_id,
                  const BbSyncPeer *peer,
                  gboolean          present)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GError) error = NULL;
      char *password = bb_sync_secrets_lookup_sync (council_id, peer, NULL, &error);

      g_assert_no_error (error);
      if ((password != NULL) == present)
        return password;
      bb_sync_secrets_free (password);
      settle ();
    }
  return NULL;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize needle_length = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (contents + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static void
test_ask_and_remember (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bb-test-ui-sync-secrets-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Dommelhoek.buurtboek", NULL);
  g_autofree char *other_path = g_build_filename (dir, "Aalst.buurtboek", NULL);
  g_autofree char *url = NULL;
  g_autofree char *council_id = NULL;
  g_autofree char *found = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbStore) other = NULL;
  g_autoptr(BbSyncServer) server = NULL;
  g_autoptr(BbSyncPeer) peer = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *password_entry;
  GtkWidget *remember;
  const char *width = g_getenv ("BB_TEST_WIDTH");

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (path, council, dir, &error);
  g_assert_no_error (error);
  council_id = g_strdup (bb_store_get_council_id (store));
  bb_council_set_name (council, "Wijkraad Aalst");
  other = bb_store_create (other_path, council, dir, &error);
  g_assert_no_error (error);
  server = bb_sync_server_new (other);
  bb_sync_server_set_credentials (server, BB_SYNC_DEFAULT_USER, ACCESS_CODE);
  g_assert_true (bb_sync_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/library", bb_sync_server_get_port (server));

  peer = bb_sync_peer_new ("Laptop van de penningmeester in Aalst", url);
  peer->username = g_strdup (BB_SYNC_DEFAULT_USER);
  peer->automatic = FALSE;
  g_assert_true (bb_sync_peers_save (store, peer, &error));
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), width != NULL ? atoi (width) : 800, 700);
  page = g_object_new (BB_TYPE_SYNC_PAGE, "store", store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  settle ();
  maybe_screenshot (window, "page");

  /* No password anywhere: the peer says 401 and the page asks */
  g_signal_emit_by_name (find (page, is_button_with, "Sync Now"), "clicked");
  dialog = wait_for_dialog ();
  g_assert_nonnull (dialog);
  settle ();
  maybe_screenshot (GTK_WIDGET (dialog), "dialog");

  password_entry = find (GTK_WIDGET (dialog), is_type, "AdwPasswordEntryRow");
  remember = find (GTK_WIDGET (dialog), is_type, "GtkSwitch");
  g_assert_nonnull (password_entry);
  g_assert_nonnull (remember);
  gtk_editable_set_text (GTK_EDITABLE (password_entry), ACCESS_CODE);
  gtk_switch_set_active (GTK_SWITCH (remember), TRUE);
  /* as its Sync button does: respond, then close */
  adw_message_dialog_response (dialog, "sync");
  gtk_window_close (GTK_WINDOW (dialog));

  /* Remembered in the keyring, for this peer */
  found = wait_for_keyring (council_id, peer, TRUE);
  g_assert_cmpstr (found, ==, ACCESS_CODE);
  settle ();
  maybe_screenshot (window, "synced");

  /* Removing the peer forgets it */
  g_signal_emit_by_name (find (page, is_button_with, "Remove Peer"), "clicked");
  g_assert_null (wait_for_keyring (council_id, peer, FALSE));

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  bb_sync_server_stop (server);
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_false (file_contains (path, ACCESS_CODE));

  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (bb_ui_get_resource ());

  g_test_add_func ("/bb/ui/sync-secrets/ask-and-remember", test_ask_and_remember);

  return g_test_run ();
}
