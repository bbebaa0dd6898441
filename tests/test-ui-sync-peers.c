/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Sharing page's peers in a real window under Xvfb: sharing with TLS
 * shows the fingerprint bb-sync-tls computes (and keeps its certificate in
 * the test's config folder, not the user's); a peer row opens a dialog that
 * edits every field; a refused certificate is compared and trusted, after
 * which the peer syncs; a peer that wants credentials offers to enter them.
 * The TLS peer is an in-process endpoint on 127.0.0.1. */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "bb-council.h"
#include "bb-sync.h"
#include "bb-sync-page.h"
#include "bb-sync-peer-dialog.h"
#include "bb-sync-peers.h"
#include "bb-sync-server.h"
#include "bb-sync-tls.h"
#include "bb-test-util.h"
#include "bb-ui-resources.h"

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
is_row_with (GtkWidget  *widget,
             const char *text)
{
  return ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) == 0;
}

static gboolean
is_label_with (GtkWidget  *widget,
               const char *text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_error_label (GtkWidget  *widget,
                const char *unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") && gtk_widget_get_visible (widget) &&
         gtk_label_get_text (GTK_LABEL (widget))[0] != '\0';
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
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 4;

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
  settle ();
  path = g_strdup_printf ("%s-%s.png", prefix, name);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* A visible toplevel of @type, waiting for it */
static GtkWidget *
wait_for_window (GType type)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

      for (GList *l = toplevels; l != NULL; l = l->next)
        if (g_type_is_a (G_OBJECT_TYPE (l->data), type) && gtk_widget_get_visible (l->data))
          return l->data;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return NULL;
}

static GtkWidget *
wait_for_widget (GtkWidget  *root,
                 gboolean  (*match) (GtkWidget *, const char *),
                 const char *text)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GtkWidget *found;

  while ((found = find (root, match, text)) == NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return found;
}

typedef struct {
  char    *dir;
  BbStore *store;
  GtkWidget *window;
  GtkWidget *page;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("bb-test-ui-sync-peers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "Dommelhoek.buurtboek", NULL);
  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  fixture->store = bb_store_create (path, council, fixture->dir, &error);
  g_assert_no_error (error);
}

static void
show_page (Fixture *fixture)
{
  const char *width = g_getenv ("BB_TEST_WIDTH");

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width != NULL ? atoi (width) : 800, 900);
  fixture->page = g_object_new (BB_TYPE_SYNC_PAGE, "store", fixture->store, NULL);
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->page);
  gtk_window_present (GTK_WINDOW (fixture->window));
  settle ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != fixture->window)
      gtk_window_destroy (l->data);
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  settle ();
  g_assert_true (bb_store_close (fixture->store, NULL));
  g_clear_object (&fixture->store);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static BbSyncPeer *
peer_by_id (BbStore    *store,
            const char *id)
{
  g_autoptr(GPtrArray) peers = bb_sync_peers_list (store, NULL);

  for (guint i = 0; peers != NULL && i < peers->len; i++)
    if (g_strcmp0 (((BbSyncPeer *) g_ptr_array_index (peers, i))->id, id) == 0)
      return g_ptr_array_steal_index (peers, i);
  return NULL;
}

/* "Encrypted (TLS)" shows the fingerprint of the certificate kept in the
 * (test's) config folder, as bb-sync-tls computes it */
static void
test_tls_fingerprint (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_path = bb_sync_tls_certificate_path (bb_store_get_council_id (fixture->store));
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *short_form = NULL;
  g_autofree char *short_grouped = NULL;
  GObject *tls_switch;
  GObject *share_switch;
  AdwActionRow *fingerprint_row;
  GtkLabel *fingerprint_label;

  /* Never the real user's folder */
  g_assert_nonnull (g_getenv ("XDG_CONFIG_HOME"));
  g_assert_true (g_str_has_prefix (cert_path, g_getenv ("XDG_CONFIG_HOME")));

  show_page (fixture);
  tls_switch = gtk_widget_get_template_child (fixture->page, BB_TYPE_SYNC_PAGE, "tls_switch");
  share_switch = gtk_widget_get_template_child (fixture->page, BB_TYPE_SYNC_PAGE, "share_switch");
  fingerprint_row = ADW_ACTION_ROW (gtk_widget_get_template_child (fixture->page, BB_TYPE_SYNC_PAGE,
                                                                   "fingerprint_row"));
  fingerprint_label = GTK_LABEL (gtk_widget_get_template_child (fixture->page, BB_TYPE_SYNC_PAGE,
                                                                "fingerprint_label"));
  gtk_switch_set_active (GTK_SWITCH (tls_switch), TRUE);
  gtk_switch_set_active (GTK_SWITCH (share_switch), TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fingerprint_row)));

  certificate = bb_sync_tls_load_or_create (cert_path, NULL, &error);
  g_assert_no_error (error);
  fingerprint = bb_sync_tls_fingerprint (certificate);
  grouped = bb_sync_tls_fingerprint_grouped (fingerprint);
  short_form = bb_sync_tls_fingerprint_short (fingerprint);
  short_grouped = bb_sync_tls_fingerprint_grouped (short_form);
  g_assert_cmpstr (adw_action_row_get_subtitle (fingerprint_row), ==, grouped);
  g_assert_cmpstr (gtk_label_get_text (fingerprint_label), ==, short_grouped);
  maybe_screenshot (fixture->window, "sharing-tls");

  gtk_switch_set_active (GTK_SWITCH (share_switch), FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fingerprint_row)));
}

/* A peer row opens a dialog with every field; a bad address is shown there
 * and loses nothing; saving changes the peer */
static void
test_edit_peer (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Wijkraad Zuid", "http://192.168.1.20:5984/library");
  g_autoptr(BbSyncPeer) saved = NULL;
  GtkWidget *row;
  GtkWidget *dialog;
  GtkWidget *error_label;
  GtkWidget *entry;

  peer->username = g_strdup ("zuid");
  g_assert_true (bb_sync_peers_save (fixture->store, peer, &error));
  g_assert_no_error (error);
  show_page (fixture);

  row = find (fixture->page, is_row_with, "Wijkraad Zuid");
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activated");
  dialog = wait_for_window (BB_TYPE_SYNC_PEER_DIALOG);
  g_assert_nonnull (dialog);
  settle ();
  maybe_screenshot (dialog, "edit-peer");

  /* Every field is there, filled in */
  entry = find (dialog, is_row_with, "_Address");
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "http://192.168.1.20:5984/library");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (dialog, is_row_with, "_Name"))), ==, "Wijkraad Zuid");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (dialog, is_row_with, "_User name (empty: buurtboek)"))),
                   ==, "zuid");
  g_assert_nonnull (find (dialog, is_row_with, "_Fingerprint (https from another laptop)"));
  g_assert_nonnull (find (dialog, is_row_with, "New _password or access code (empty: keep)"));
  g_assert_nonnull (find (dialog, is_row_with, "_Remember in the keyring"));
  g_assert_nonnull (find (dialog, is_row_with, "Au_tomatic"));

  /* A bad address: said in the dialog, which stays, nothing saved */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ftp://zuid");
  g_assert_false (bb_sync_peer_dialog_save (BB_SYNC_PEER_DIALOG (dialog)));
  error_label = find (dialog, is_error_label, NULL);
  g_assert_nonnull (error_label);
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_true (gtk_widget_get_visible (dialog));
  saved = peer_by_id (fixture->store, peer->id);
  g_assert_cmpstr (saved->url, ==, "http://192.168.1.20:5984/library");
  g_clear_pointer (&saved, bb_sync_peer_free);

  /* Every field changes */
  gtk_editable_set_text (GTK_EDITABLE (entry), "https://192.168.1.21:5984/library");
  gtk_editable_set_text (GTK_EDITABLE (find (dialog, is_row_with, "_Name")), "Wijkraad Zuid-Oost");
  gtk_editable_set_text (GTK_EDITABLE (find (dialog, is_row_with, "_User name (empty: buurtboek)")), "");
  gtk_editable_set_text (GTK_EDITABLE (find (dialog, is_row_with, "_Fingerprint (https from another laptop)")),
                         "96b2eacd93ae57ef0011223344556677 8899aabbccddeeff0011223344556677");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (dialog, is_row_with, "_Direction")), BB_SYNC_DIRECTION_PULL);
  {
    GtkWidget *automatic = find (dialog, is_row_with, "Au_tomatic");

    gtk_switch_set_active (GTK_SWITCH (find (automatic, is_type, "GtkSwitch")), FALSE);
  }
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (bb_sync_peer_dialog_save (BB_SYNC_PEER_DIALOG (dialog)));
  settle ();
  g_assert_null (dialog);

  saved = peer_by_id (fixture->store, peer->id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->name, ==, "Wijkraad Zuid-Oost");
  g_assert_cmpstr (saved->url, ==, "https://192.168.1.21:5984/library");
  g_assert_null (saved->username);
  g_assert_cmpstr (saved->fingerprint, ==,
                   "96:B2:EA:CD:93:AE:57:EF:00:11:22:33:44:55:66:77:"
                   "88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77");
  g_assert_cmpint (saved->direction, ==, BB_SYNC_DIRECTION_PULL);
  g_assert_false (saved->automatic);

  /* The list follows */
  g_assert_nonnull (wait_for_widget (fixture->page, is_row_with, "Wijkraad Zuid-Oost"));
  g_assert_null (find (fixture->page, is_row_with, "Wijkraad Zuid"));
}

static gboolean
is_synced (BbStore    *store,
           const char *url)
{
  g_autoptr(GPtrArray) log = bb_sync_log_list (store, url, 1, NULL);

  return log != NULL && log->len > 0 &&
         g_strcmp0 (((BbSyncLogEntry *) g_ptr_array_index (log, 0))->status, "ok") == 0;
}

/* A self-signed peer is refused; its row shows the fingerprint seen and
 * "Trust this certificate…", whose dialog shows it short and in full; once
 * trusted it is pinned on the peer and the peer syncs */
static void
test_trust_certificate (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autofree char *other_path = g_build_filename (fixture->dir, "Aalst.buurtboek", NULL);
  g_autofree char *cert_path = g_build_filename (fixture->dir, "aalst.pem", NULL);
  g_autoptr(BbStore) other = NULL;
  g_autoptr(BbSyncServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(BbSyncPeer) peer = NULL;
  g_autoptr(BbSyncPeer) saved = NULL;
  g_autofree char *url = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *short_form = NULL;
  g_autofree char *short_grouped = NULL;
  GtkWidget *row;
  GtkWidget *trust;
  GtkWidget *dialog;
  gint64 end;

  bb_council_set_name (council, "Wijkraad Aalst");
  other = bb_store_create (other_path, council, fixture->dir, &error);
  g_assert_no_error (error);
  certificate = bb_sync_tls_load_or_create (cert_path, "Wijkraad Aalst", &error);
  g_assert_no_error (error);
  fingerprint = bb_sync_tls_fingerprint (certificate);
  grouped = bb_sync_tls_fingerprint_grouped (fingerprint);
  short_form = bb_sync_tls_fingerprint_short (fingerprint);
  short_grouped = bb_sync_tls_fingerprint_grouped (short_form);
  server = bb_sync_server_new (other);
  bb_sync_server_set_tls_certificate (server, certificate);
  bb_sync_server_set_credentials (server, NULL, NULL);
  g_assert_true (bb_sync_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u/library", bb_sync_server_get_port (server));

  peer = bb_sync_peer_new ("Laptop Aalst", url);
  peer->automatic = FALSE;
  g_assert_true (bb_sync_peers_save (fixture->store, peer, &error));
  g_assert_no_error (error);
  show_page (fixture);

  /* Refused: not signed by an authority, and nothing pinned */
  g_signal_emit_by_name (find (fixture->page, is_button_with, "Sync Now"), "clicked");
  trust = wait_for_widget (fixture->page, is_button_with, "_Trust this certificate…");
  g_assert_nonnull (trust);
  g_assert_false (is_synced (fixture->store, url));
  row = find (fixture->page, is_row_with, "Laptop Aalst");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), grouped));
  maybe_screenshot (fixture->window, "refused");

  /* Cancelling pins nothing */
  g_signal_emit_by_name (trust, "clicked");
  dialog = wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (find (dialog, is_label_with, short_grouped));
  {
    /* in full, two groups a line */
    g_autofree char *lines = g_strdup (grouped);
    guint spaces = 0;

    for (char *p = lines; *p != '\0'; p++)
      if (*p == ' ' && ++spaces % 2 == 0)
        *p = '\n';
    g_assert_nonnull (find (dialog, is_label_with, lines));
  }
  settle ();
  maybe_screenshot (dialog, "trust-dialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();
  saved = peer_by_id (fixture->store, peer->id);
  g_assert_null (saved->fingerprint);
  g_clear_pointer (&saved, bb_sync_peer_free);

  /* Trusting pins it and syncs */
  g_signal_emit_by_name (find (fixture->page, is_button_with, "_Trust this certificate…"), "clicked");
  dialog = wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "trust");
  gtk_window_close (GTK_WINDOW (dialog));
  saved = peer_by_id (fixture->store, peer->id);
  g_assert_cmpstr (saved->fingerprint, ==, fingerprint);
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!is_synced (fixture->store, url) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (is_synced (fixture->store, url));
  settle ();
  g_assert_null (find (fixture->page, is_button_with, "_Trust this certificate…"));
}

/* An automatic sync got 401/403 while nobody looked: the peer's row
 * offers to enter the password, which opens the credentials dialog */
static void
test_enter_password (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Hub Eindhoven", "https://hub.example.org/regio");
  BbSyncLogEntry entry = { 0 };
  GtkWidget *button;
  GtkWidget *dialog;

  g_assert_true (bb_sync_peers_save (fixture->store, peer, &error));
  g_assert_no_error (error);
  entry.peer_url = peer->url;
  entry.started_at = (char *) "2026-05-01T10:00:00Z";
  entry.finished_at = (char *) "2026-05-01T10:00:05Z";
  entry.status = (char *) "credentials";
  g_assert_true (bb_sync_log_add (fixture->store, &entry, &error));
  g_assert_no_error (error);
  show_page (fixture);

  button = find (fixture->page, is_button_with, "_Enter password…");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  dialog = wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "User Name and Password Needed");
  /* as a click on its Cancel button does: the focus leaves the password
   * row (libadwaita 1.2's entry rows warn when their window goes while they
   * have it), then respond and close */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_resources_register (bb_ui_get_resource ());

  g_test_add ("/bb/ui/sync-peers/tls-fingerprint", Fixture, NULL,
              fixture_setup, test_tls_fingerprint, fixture_teardown);
  g_test_add ("/bb/ui/sync-peers/edit", Fixture, NULL,
              fixture_setup, test_edit_peer, fixture_teardown);
  g_test_add ("/bb/ui/sync-peers/trust-certificate", Fixture, NULL,
              fixture_setup, test_trust_certificate, fixture_teardown);
  g_test_add ("/bb/ui/sync-peers/enter-password", Fixture, NULL,
              fixture_setup, test_enter_password, fixture_teardown);

  return g_test_run ();
}
