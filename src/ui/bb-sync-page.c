/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Sharing" section: share the library on the network (the peer
 * endpoint), the peers to sync with, progress and the log. Everything it
 * does is in core (bb-sync-server, bb-sync-scheduler, bb-sync-peers). */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-conflicts-dialog.h"
#include "bb-council.h"
#include "bb-sync.h"
#include "bb-sync-conflicts.h"
#include "bb-sync-page.h"
#include "bb-sync-peer-dialog.h"
#include "bb-sync-peers.h"
#include "bb-sync-scheduler.h"
#include "bb-sync-secrets.h"
#include "bb-sync-server.h"
#include "bb-sync-tls.h"

#define SHARE_PORT 5984
#define LOG_ROWS 10

struct _BbSyncPage
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *conflicts_group;
  AdwActionRow        *conflicts_row;
  GtkSwitch           *share_switch;
  GtkSwitch           *read_only_switch;
  GtkSwitch           *tls_switch;
  AdwActionRow        *address_row;
  AdwActionRow        *fingerprint_row;
  GtkLabel            *fingerprint_label;
  AdwEntryRow         *fingerprint_entry;
  AdwActionRow        *code_row;
  AdwActionRow        *clients_row;
  AdwPreferencesGroup *peers_group;
  GtkButton           *sync_all_button;
  GtkProgressBar      *progress_bar;
  GtkLabel            *status_label;
  GtkButton           *cancel_button;
  AdwEntryRow         *name_entry;
  AdwEntryRow         *url_entry;
  AdwEntryRow         *user_entry;
  AdwPasswordEntryRow *password_entry;
  GtkSwitch           *remember_switch;
  GtkLabel            *add_error_label;
  AdwPreferencesGroup *log_group;

  BbStore             *store;
  BbSyncServer        *server;
  BbSyncScheduler     *scheduler;
  GPtrArray           *peer_rows;
  GPtrArray           *log_rows;
  GHashTable          *session_passwords;  /* url → password not remembered */
  gboolean             own_scheduler;  /* made by get_scheduler() */
  gboolean             loaded;
};

G_DEFINE_FINAL_TYPE (BbSyncPage, bb_sync_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SCHEDULER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (BbSyncPage *self);
static void set_scheduler (BbSyncPage *self, BbSyncScheduler *scheduler);
static void ask_credentials (BbSyncPage *self, const char *url);

/* The window's scheduler (see bb-window.c), which runs automatic sync
 * whether or not this page was ever shown; a page on its own makes one
 * when first asked to sync. */
static BbSyncScheduler *
get_scheduler (BbSyncPage *self)
{
  if (self->scheduler == NULL && self->store != NULL)
    {
      g_autoptr(BbSyncScheduler) scheduler = bb_sync_scheduler_new (self->store);

      set_scheduler (self, scheduler);
      self->own_scheduler = TRUE;
    }
  return self->scheduler;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "ok") == 0)
    return _("Up to date");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (status, "credentials") == 0)
    return _("Needs a user name and password");
  return _("Failed");
}

static void
on_peer_sync_clicked_cb (GtkButton  *button,
                         BbSyncPage *self)
{
  BbSyncPeer *peer = g_object_get_data (G_OBJECT (button), "peer");

  bb_sync_scheduler_sync_peer (get_scheduler (self), peer,
                               g_hash_table_lookup (self->session_passwords, peer->url));
}

/* Passwords live in the keyring (bb-sync-secrets.h), never in the file */

/* The keyring could not keep a password: say why, and what happens instead */
static void
show_keyring_error (BbSyncPage   *self,
                    const GError *error)
{
  /* Translators: %s says why the keyring cannot be used */
  g_autofree char *text = g_strdup_printf (_("%s The password will be asked for at each sync instead."), error->message);

  gtk_label_set_text (self->status_label, text);
}

static void
on_password_remembered_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(BbSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bb_sync_secrets_store_finish (result, &error))
    show_keyring_error (self, error);
}

static void
remember_password (BbSyncPage       *self,
                   const BbSyncPeer *peer,
                   const char       *password)
{
  g_autoptr(BbCouncil) council = bb_store_dup_council (self->store);

  bb_sync_secrets_store_async (bb_store_get_council_id (self->store),
                               council != NULL ? bb_council_get_name (council) : NULL,
                               peer, password, NULL, on_password_remembered_cb, g_object_ref (self));
}

static void
on_password_forgotten_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(BbSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bb_sync_secrets_clear_finish (result, &error))
    gtk_label_set_text (self->status_label, error->message);
}

static void
on_peer_remove_clicked_cb (GtkButton  *button,
                           BbSyncPage *self)
{
  BbSyncPeer *peer = g_object_get_data (G_OBJECT (button), "peer");
  /* copies: removing reloads the rows, which own the peer */
  g_autofree char *id = g_strdup (peer->id);
  g_autofree char *url = g_strdup (peer->url);
  g_autoptr(GError) error = NULL;

  if (!bb_sync_peers_remove (self->store, id, &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  g_hash_table_remove (self->session_passwords, url);
  bb_sync_secrets_clear_async (bb_store_get_council_id (self->store), id, NULL,
                               on_password_forgotten_cb, g_object_ref (self));
}

/* Editing: the peer is saved by the dialog; its passwords follow it */

static void
on_password_updated_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(BbSyncPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bb_sync_secrets_update_finish (result, &error))
    show_keyring_error (self, error);
}

static void
on_peer_saved_cb (BbSyncPeerDialog *dialog,
                  const BbSyncPeer *before,
                  const BbSyncPeer *after,
                  const char       *password,
                  gboolean          remember,
                  BbSyncPage       *self)
{
  g_autoptr(BbCouncil) council = NULL;
  g_autofree char *old_url = NULL;
  char *session = NULL;

  if (self->store == NULL)
    return;

  /* A password typed this session goes with the peer to its new address */
  if (g_hash_table_steal_extended (self->session_passwords, before->url, (gpointer *) &old_url,
                                   (gpointer *) &session))
    g_hash_table_insert (self->session_passwords, g_strdup (after->url), session);
  if (password != NULL)
    g_hash_table_insert (self->session_passwords, g_strdup (after->url), g_strdup (password));

  council = bb_store_dup_council (self->store);
  if (password != NULL && !remember)
    /* A new password the user does not want remembered: the old one goes */
    bb_sync_secrets_clear_async (bb_store_get_council_id (self->store), after->id, NULL,
                                 on_password_forgotten_cb, g_object_ref (self));
  else if (password != NULL ||
           g_strcmp0 (before->name, after->name) != 0 || g_strcmp0 (before->url, after->url) != 0 ||
           g_strcmp0 (before->username, after->username) != 0)
    bb_sync_secrets_update_async (bb_store_get_council_id (self->store),
                                  council != NULL ? bb_council_get_name (council) : NULL,
                                  before, after, password, NULL,
                                  on_password_updated_cb, g_object_ref (self));
}

static void
edit_peer (BbSyncPage       *self,
           const BbSyncPeer *peer)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BbSyncPeerDialog *dialog;

  dialog = bb_sync_peer_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, peer);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_peer_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_peer_row_activated_cb (AdwActionRow *row,
                          BbSyncPage   *self)
{
  edit_peer (self, g_object_get_data (G_OBJECT (row), "peer"));
}

static void
on_enter_password_clicked_cb (GtkButton  *button,
                              BbSyncPage *self)
{
  BbSyncPeer *peer = g_object_get_data (G_OBJECT (button), "peer");

  ask_credentials (self, peer->url);
}

/* The short fingerprint both laptops show large, in groups of four */
static char *
short_fingerprint_grouped (const char *fingerprint)
{
  g_autofree char *short_form = bb_sync_tls_fingerprint_short (fingerprint);

  return bb_sync_tls_fingerprint_grouped (short_form);
}

/* A refused certificate: the user compares its fingerprint with the one
 * the other laptop shows, then it is pinned on the peer */

static void
on_trust_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      BbSyncPage       *self)
{
  const char *peer_id = g_object_get_data (G_OBJECT (dialog), "peer-id");
  const char *fingerprint = g_object_get_data (G_OBJECT (dialog), "fingerprint");
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "trust") != 0 || self->store == NULL)
    return;

  peers = bb_sync_peers_list (self->store, &error);
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    {
      BbSyncPeer *peer = g_ptr_array_index (peers, i);

      if (g_strcmp0 (peer->id, peer_id) != 0)
        continue;
      g_free (peer->fingerprint);
      peer->fingerprint = g_strdup (fingerprint);
      if (!bb_sync_peers_save (self->store, peer, &error))
        break;
      bb_sync_scheduler_sync_peer (get_scheduler (self), peer,
                                   g_hash_table_lookup (self->session_passwords, peer->url));
      return;
    }
  if (error != NULL)
    gtk_label_set_text (self->status_label, error->message);
}

static void
trust_certificate (BbSyncPage       *self,
                   const BbSyncPeer *peer,
                   const char       *fingerprint)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *grouped = bb_sync_tls_fingerprint_grouped (fingerprint);
  g_autofree char *short_grouped = short_fingerprint_grouped (fingerprint);
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *big = gtk_label_new (short_grouped);
  GtkWidget *full;
  guint spaces = 0;

  /* Two groups of four per line, never broken inside a group */
  for (char *p = grouped; *p != '\0'; p++)
    if (*p == ' ' && ++spaces % 2 == 0)
      *p = '\n';
  full = gtk_label_new (grouped);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Compare the Fingerprint"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Ask the owner of %s to open its Sharing page and read out its fingerprint. "
                                    "Trust this certificate only when it is the same; otherwise someone may be "
                                    "in between."),
                                  peer->name[0] != '\0' ? peer->name : peer->url);
  gtk_widget_add_css_class (big, "title-1");
  gtk_widget_add_css_class (big, "monospace");
  gtk_label_set_selectable (GTK_LABEL (big), TRUE);
  gtk_label_set_wrap (GTK_LABEL (big), TRUE);
  gtk_label_set_justify (GTK_LABEL (big), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (full, "monospace");
  gtk_widget_add_css_class (full, "dim-label");
  gtk_label_set_selectable (GTK_LABEL (full), TRUE);
  gtk_label_set_justify (GTK_LABEL (full), GTK_JUSTIFY_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (big), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Short fingerprint"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (full), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Full fingerprint"), -1);
  gtk_box_append (GTK_BOX (box), big);
  gtk_box_append (GTK_BOX (box), full);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust and Sync"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust", ADW_RESPONSE_SUGGESTED);
  /* Comparing takes a deliberate choice: Enter does not trust */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "peer-id", g_strdup (peer->id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "fingerprint", g_strdup (fingerprint), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_trust_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_trust_clicked_cb (GtkButton  *button,
                     BbSyncPage *self)
{
  BbSyncPeer *peer = g_object_get_data (G_OBJECT (button), "peer");
  const char *fingerprint = self->scheduler != NULL
                            ? bb_sync_scheduler_get_refused_fingerprint (self->scheduler, peer->url) : NULL;

  if (fingerprint != NULL)
    trust_certificate (self, peer, fingerprint);
}

static GtkWidget *
add_row_button (AdwActionRow *row,
                BbSyncPeer   *peer,
                const char   *label,
                GCallback     callback,
                BbSyncPage   *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_object_set_data (G_OBJECT (button), "peer", peer);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", callback, self);
  adw_action_row_add_suffix (row, button);
  return button;
}

static GtkWidget *
make_peer_row (BbSyncPage *self,
               BbSyncPeer *peer)
{
  g_autoptr(GPtrArray) log = bb_sync_log_list (self->store, peer->url, 1, NULL);
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *sync_button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  GtkWidget *remove_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped_url = g_markup_escape_text (peer->url, -1);
  g_autofree char *escaped_name = g_markup_escape_text (peer->name[0] != '\0' ? peer->name : peer->url, -1);
  BbSyncLogEntry *entry = log != NULL && log->len > 0 ? g_ptr_array_index (log, 0) : NULL;
  const char *refused = self->scheduler != NULL
                        ? bb_sync_scheduler_get_refused_fingerprint (self->scheduler, peer->url) : NULL;

  if (entry != NULL)
    {
      g_autofree char *time = bb_sync_log_entry_format_time (entry);

      /* Translators: a peer's address, then its last result and when, e.g.
       * "http://…/library — Up to date (22 November 2026 at 10:00)" */
      subtitle = g_strdup_printf (_("%s — %s (%s)"), escaped_url, status_text (entry->status), time);
    }
  else
    subtitle = g_strdup_printf (_("%s — not synced yet"), escaped_url);
  if (refused != NULL)
    {
      g_autofree char *grouped = bb_sync_tls_fingerprint_grouped (refused);
      /* Translators: under a peer whose certificate was refused; %s is its fingerprint */
      g_autofree char *line = g_markup_printf_escaped (_("Certificate not trusted: %s"), grouped);
      char *joined = g_strconcat (subtitle, "\n", line, NULL);

      g_free (subtitle);
      subtitle = joined;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_name);
  adw_action_row_set_subtitle (row, subtitle);
  adw_action_row_set_subtitle_lines (row, 5);
  /* The whole row edits the peer */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), _("Edit Peer"));
  g_object_set_data (G_OBJECT (row), "peer", peer);
  g_signal_connect (row, "activated", G_CALLBACK (on_peer_row_activated_cb), self);

  if (refused != NULL)
    add_row_button (row, peer, _("_Trust this certificate…"), G_CALLBACK (on_trust_clicked_cb), self);
  else if ((entry != NULL && g_strcmp0 (entry->status, "credentials") == 0) ||
           (self->scheduler != NULL && bb_sync_scheduler_needs_credentials (self->scheduler, peer->url)))
    add_row_button (row, peer, _("_Enter password…"), G_CALLBACK (on_enter_password_clicked_cb), self);

  g_object_set_data_full (G_OBJECT (sync_button), "peer", peer, (GDestroyNotify) bb_sync_peer_free);
  g_object_set_data (G_OBJECT (remove_button), "peer", peer);
  gtk_widget_set_valign (sync_button, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (remove_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (sync_button, "flat");
  gtk_widget_add_css_class (remove_button, "flat");
  gtk_widget_set_tooltip_text (sync_button, _("Sync Now"));
  gtk_widget_set_tooltip_text (remove_button, _("Remove Peer"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (sync_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sync Now"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Peer"), -1);
  g_signal_connect (sync_button, "clicked", G_CALLBACK (on_peer_sync_clicked_cb), self);
  g_signal_connect (remove_button, "clicked", G_CALLBACK (on_peer_remove_clicked_cb), self);
  adw_action_row_add_suffix (row, sync_button);
  adw_action_row_add_suffix (row, remove_button);

  return GTK_WIDGET (row);
}

static void
update_conflicts (BbSyncPage *self)
{
  gint64 n = bb_sync_conflicts_count (self->store, NULL);
  g_autofree char *title = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_group), n > 0);
  if (n <= 0)
    return;
  /* Translators: the conflict banner on the Sharing page */
  title = g_strdup_printf (ngettext ("%u document has conflicting versions",
                                     "%u documents have conflicting versions", (gulong) n),
                           (guint) n);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->conflicts_row), title);
}

static void
on_conflicts_clicked_cb (BbSyncPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->store == NULL)
    return;
  dialog = bb_conflicts_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reload (BbSyncPage *self)
{
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;

  clear_rows (self->peers_group, self->peer_rows);
  clear_rows (self->log_group, self->log_rows);

  peers = bb_sync_peers_list (self->store, &error);
  if (peers == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }

  for (guint i = 0; i < peers->len; i++)
    {
      GtkWidget *row = make_peer_row (self, g_ptr_array_index (peers, i));

      /* the row's button owns the peer now */
      peers->pdata[i] = NULL;
      adw_preferences_group_add (self->peers_group, row);
      g_ptr_array_add (self->peer_rows, row);
    }
  if (peers->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No peers yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Add your region’s hub, or the address another laptop shows on its Sharing page."));
      adw_preferences_group_add (self->peers_group, row);
      g_ptr_array_add (self->peer_rows, row);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_all_button), peers->len > 0);

  update_conflicts (self);

  log = bb_sync_log_list (self->store, NULL, LOG_ROWS, NULL);
  for (guint i = 0; log != NULL && i < log->len; i++)
    {
      BbSyncLogEntry *entry = g_ptr_array_index (log, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *time = bb_sync_log_entry_format_time (entry);
      g_autofree char *title = g_markup_printf_escaped ("%s — %s", time, status_text (entry->status));
      g_autofree char *counts = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: documents read, written and refused in one sync run */
      counts = g_strdup_printf (_("%lld read, %lld written, %lld refused"),
                                (long long) entry->docs_read, (long long) entry->docs_written,
                                (long long) entry->doc_write_failures);
      subtitle = g_markup_printf_escaped ("%s\n%s%s%s", entry->peer_url, counts,
                                          entry->message[0] != '\0' ? "\n" : "", entry->message);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      adw_preferences_group_add (self->log_group, row);
      g_ptr_array_add (self->log_rows, row);
    }
  if (log == NULL || log->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The library has not been synced yet."));
      adw_preferences_group_add (self->log_group, row);
      g_ptr_array_add (self->log_rows, row);
    }
}

static void
on_scheduler_progress_cb (BbSyncScheduler *scheduler,
                          const char      *url,
                          gint64           done,
                          gint64           total,
                          BbSyncPage      *self)
{
  g_autofree char *text = NULL;

  /* Translators: "120 of 5000 documents" */
  text = g_strdup_printf (_("%lld of %lld documents"), (long long) done, (long long) total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / (double) total : 0.0);
  {
    g_autofree char *status = g_strdup_printf (_("Syncing with %s…"), url);

    gtk_label_set_text (self->status_label, status);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
}

static void
on_credentials_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            BbSyncPage       *self)
{
  BbSyncPeer *peer = g_object_get_data (G_OBJECT (dialog), "peer");
  GtkEditable *user_entry = g_object_get_data (G_OBJECT (dialog), "user-entry");
  GtkEditable *password_entry = g_object_get_data (G_OBJECT (dialog), "password-entry");
  GtkSwitch *remember = g_object_get_data (G_OBJECT (dialog), "remember");
  const char *user = gtk_editable_get_text (user_entry);
  g_autofree char *password = g_strdup (gtk_editable_get_text (password_entry));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "sync") != 0 || self->store == NULL)
    return;

  /* a changed user name is kept with the peer; the password never is */
  if (g_strcmp0 (user[0] != '\0' ? user : NULL, peer->username) != 0)
    {
      g_free (peer->username);
      peer->username = user[0] != '\0' ? g_strdup (user) : NULL;
      if (!bb_sync_peers_save (self->store, peer, &error))
        {
          gtk_label_set_text (self->status_label, error->message);
          return;
        }
    }
  g_hash_table_insert (self->session_passwords, g_strdup (peer->url), g_strdup (password));
  if (gtk_switch_get_active (remember))
    remember_password (self, peer, password);
  bb_sync_scheduler_sync_peer (get_scheduler (self), peer, password);
}

/* A peer answered 401/403: ask for its user name and password, once */
static void
ask_credentials (BbSyncPage *self,
                 const char *url)
{
  g_autoptr(GPtrArray) peers = bb_sync_peers_list (self->store, NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BbSyncPeer *peer = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *user_entry;
  GtkWidget *password_entry;
  GtkWidget *remember;
  GtkWidget *remember_switch;

  for (guint i = 0; peers != NULL && i < peers->len && peer == NULL; i++)
    if (g_strcmp0 (((BbSyncPeer *) g_ptr_array_index (peers, i))->url, url) == 0)
      peer = g_ptr_array_steal_index (peers, i);
  if (peer == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("User Name and Password Needed"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s did not accept the user name and password. Enter the ones its owner gave you."),
                                  peer->name[0] != '\0' ? peer->name : peer->url);
  /* Rows, not GtkPasswordEntry: GTK 4.8's password entry warns (and
   * reads freed memory) when its dialog closes while it has the focus */
  box = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (box, "boxed-list");
  user_entry = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (user_entry), _("User name"));
  gtk_editable_set_text (GTK_EDITABLE (user_entry), peer->username != NULL ? peer->username : "");
  password_entry = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (password_entry), _("Password or access code"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (password_entry), TRUE);
  remember = adw_action_row_new ();
  remember_switch = gtk_switch_new ();
  gtk_widget_set_valign (remember_switch, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remember), _("_Remember in the keyring"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (remember), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (remember), remember_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (remember), remember_switch);
  gtk_list_box_append (GTK_LIST_BOX (box), user_entry);
  gtk_list_box_append (GTK_LIST_BOX (box), password_entry);
  gtk_list_box_append (GTK_LIST_BOX (box), remember);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sync", _("_Sync"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sync", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sync");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "peer", peer, (GDestroyNotify) bb_sync_peer_free);
  g_object_set_data (G_OBJECT (dialog), "user-entry", user_entry);
  g_object_set_data (G_OBJECT (dialog), "password-entry", password_entry);
  g_object_set_data (G_OBJECT (dialog), "remember", remember_switch);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_credentials_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (password_entry);
}

static void
on_scheduler_finished_cb (BbSyncScheduler *scheduler,
                          const char      *url,
                          gboolean         ok,
                          gboolean         needs_credentials,
                          const char      *message,
                          BbSyncPage      *self)
{
  g_autofree char *text = NULL;

  if (ok)
    text = g_strdup_printf (_("Synced with %s."), url);
  else if (needs_credentials)
    {
      text = g_strdup_printf (_("%s needs a user name and password."), url);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        ask_credentials (self, url);
    }
  else
    text = g_strdup (message != NULL ? message : _("Sync failed."));

  gtk_label_set_text (self->status_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, ok ? 1.0 : 0.0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button),
                            bb_sync_scheduler_get_current (scheduler) != NULL);
  reload (self);
}

static void
on_sync_all_clicked_cb (BbSyncPage *self)
{
  g_autoptr(GPtrArray) peers = bb_sync_peers_list (self->store, NULL);

  for (guint i = 0; peers != NULL && i < peers->len; i++)
    {
      BbSyncPeer *peer = g_ptr_array_index (peers, i);

      bb_sync_scheduler_sync_peer (get_scheduler (self), peer,
                                   g_hash_table_lookup (self->session_passwords, peer->url));
    }
}

static void
on_cancel_clicked_cb (BbSyncPage *self)
{
  if (self->scheduler != NULL)
    bb_sync_scheduler_cancel (self->scheduler);
}

static void
on_add_clicked_cb (BbSyncPage *self)
{
  g_autoptr(BbSyncPeer) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));
  /* a copy: the entry is cleared below */
  g_autofree char *password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));

  peer = bb_sync_peer_new (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)), url);
  peer->username = user[0] != '\0' ? g_strdup (user) : NULL;
  peer->fingerprint = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->fingerprint_entry)));

  if (!bb_sync_peers_save (self->store, peer, &error))
    {
      gtk_label_set_text (self->add_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }

  if (password[0] != '\0')
    g_hash_table_insert (self->session_passwords, g_strdup (url), g_strdup (password));
  if (password[0] != '\0' && gtk_switch_get_active (self->remember_switch))
    remember_password (self, peer, password);
  gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->fingerprint_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  bb_sync_scheduler_sync_peer (get_scheduler (self), peer, password[0] != '\0' ? password : NULL);
}

static void
on_clients_changed_cb (BbSyncServer *server,
                       BbSyncPage   *self)
{
  g_auto(GStrv) clients = bb_sync_server_dup_clients (server);
  g_autofree char *text = g_strjoinv (", ", clients);

  adw_action_row_set_subtitle (self->clients_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->clients_row), clients[0] != NULL);
}

static void
stop_sharing (BbSyncPage *self)
{
  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      bb_sync_server_stop (self->server);
      g_clear_object (&self->server);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->address_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->clients_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->read_only_switch), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tls_switch), TRUE);
}

static void
on_share_switch_active_cb (BbSyncPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code_text = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_auto(GStrv) urls = NULL;
  g_autofree char *joined = NULL;

  if (!gtk_switch_get_active (self->share_switch))
    {
      stop_sharing (self);
      return;
    }
  if (self->server != NULL || self->store == NULL)
    return;

  if (gtk_switch_get_active (self->tls_switch))
    {
      g_autofree char *path = bb_sync_tls_certificate_path (bb_store_get_council_id (self->store));
      g_autoptr(BbCouncil) council = bb_store_dup_council (self->store);

      /* Made once per council (a few milliseconds), then read */
      certificate = bb_sync_tls_load_or_create (path, bb_council_get_name (council), &error);
      if (certificate == NULL)
        {
          gtk_label_set_text (self->status_label, error->message);
          gtk_switch_set_active (self->share_switch, FALSE);
          return;
        }
    }

  code = bb_sync_new_access_code ();
  self->server = bb_sync_server_new (self->store);
  bb_sync_server_set_tls_certificate (self->server, certificate);
  bb_sync_server_set_credentials (self->server, BB_SYNC_DEFAULT_USER, code);
  bb_sync_server_set_read_only (self->server, gtk_switch_get_active (self->read_only_switch));

  /* CouchDB's port when it is free, so the address is easy to say */
  if (!bb_sync_server_listen (self->server, "0.0.0.0", SHARE_PORT, NULL) &&
      !bb_sync_server_listen (self->server, "0.0.0.0", 0, &error))
    {
      g_clear_object (&self->server);
      gtk_label_set_text (self->status_label, error->message);
      gtk_switch_set_active (self->share_switch, FALSE);
      return;
    }

  g_signal_connect (self->server, "clients-changed", G_CALLBACK (on_clients_changed_cb), self);
  urls = bb_sync_server_dup_urls (self->server);
  joined = urls[0] != NULL ? g_strjoinv ("\n", urls)
                           : g_strdup_printf ("%s://localhost:%u/library", certificate != NULL ? "https" : "http",
                                              bb_sync_server_get_port (self->server));
  adw_action_row_set_subtitle (self->address_row, joined);
  /* Translators: the user name, then the access code to read out */
  code_text = g_strdup_printf (_("%s / %s"), BB_SYNC_DEFAULT_USER, code);
  adw_action_row_set_subtitle (self->code_row, code_text);
  gtk_widget_set_visible (GTK_WIDGET (self->address_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), TRUE);
  if (certificate != NULL)
    {
      g_autofree char *fingerprint = bb_sync_tls_fingerprint (certificate);
      g_autofree char *grouped = bb_sync_tls_fingerprint_grouped (fingerprint);
      g_autofree char *short_grouped = short_fingerprint_grouped (fingerprint);

      adw_action_row_set_subtitle (self->fingerprint_row, grouped);
      /* Breaks between its two groups of four on a narrow window */
      gtk_label_set_text (self->fingerprint_label, short_grouped);
      gtk_widget_set_visible (GTK_WIDGET (self->fingerprint_row), TRUE);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->read_only_switch), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tls_switch), FALSE);
}

static void
on_store_changed_cb (BbStore    *store,
                     BbSyncPage *self)
{
  if (self->loaded)
    reload (self);
}

/* Read only when first shown: start-up time is measured */
static void
bb_sync_page_map (GtkWidget *widget)
{
  BbSyncPage *self = BB_SYNC_PAGE (widget);

  GTK_WIDGET_CLASS (bb_sync_page_parent_class)->map (widget);

  if (!self->loaded && self->store != NULL)
    {
      self->loaded = TRUE;
      reload (self);
    }
}

static void
set_scheduler (BbSyncPage      *self,
               BbSyncScheduler *scheduler)
{
  if (self->scheduler == scheduler)
    return;

  if (self->scheduler != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->scheduler, self);
      if (self->own_scheduler)
        bb_sync_scheduler_stop (self->scheduler);
    }
  self->own_scheduler = FALSE;
  g_set_object (&self->scheduler, scheduler);
  if (scheduler != NULL)
    {
      g_signal_connect (scheduler, "progress", G_CALLBACK (on_scheduler_progress_cb), self);
      g_signal_connect (scheduler, "finished", G_CALLBACK (on_scheduler_finished_cb), self);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button),
                            scheduler != NULL && bb_sync_scheduler_get_current (scheduler) != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULER]);
}

static void
set_store (BbSyncPage *self,
           BbStore    *store)
{
  if (self->store == store)
    return;

  gtk_switch_set_active (self->share_switch, FALSE);
  stop_sharing (self);
  /* The page's own scheduler synced the old council file; the window's
   * is replaced by the window. */
  if (self->own_scheduler)
    set_scheduler (self, NULL);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_hash_table_remove_all (self->session_passwords);
  self->loaded = FALSE;

  if (store != NULL)
    {
      g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        {
          self->loaded = TRUE;
          reload (self);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static void
bb_sync_page_dispose (GObject *object)
{
  BbSyncPage *self = BB_SYNC_PAGE (object);

  set_store (self, NULL);
  set_scheduler (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_SYNC_PAGE);

  G_OBJECT_CLASS (bb_sync_page_parent_class)->dispose (object);
}

static void
bb_sync_page_finalize (GObject *object)
{
  BbSyncPage *self = BB_SYNC_PAGE (object);

  g_ptr_array_unref (self->peer_rows);
  g_ptr_array_unref (self->log_rows);
  g_hash_table_unref (self->session_passwords);

  G_OBJECT_CLASS (bb_sync_page_parent_class)->finalize (object);
}

static void
bb_sync_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BbSyncPage *self = BB_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SCHEDULER:
      g_value_set_object (value, self->scheduler);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_sync_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BbSyncPage *self = BB_SYNC_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      set_store (self, g_value_get_object (value));
      break;
    case PROP_SCHEDULER:
      set_scheduler (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_sync_page_class_init (BbSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_sync_page_dispose;
  object_class->finalize = bb_sync_page_finalize;
  object_class->get_property = bb_sync_page_get_property;
  object_class->set_property = bb_sync_page_set_property;
  widget_class->map = bb_sync_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Set it before or after "store"; a new store drops the old one's. */
  properties[PROP_SCHEDULER] =
    g_param_spec_object ("scheduler", NULL, NULL, BB_TYPE_SYNC_SCHEDULER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, conflicts_row);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, share_switch);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, read_only_switch);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, tls_switch);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, fingerprint_entry);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, clients_row);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, peers_group);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, sync_all_button);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, url_entry);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, user_entry);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, add_error_label);
  gtk_widget_class_bind_template_child (widget_class, BbSyncPage, log_group);
  gtk_widget_class_bind_template_callback (widget_class, on_share_switch_active_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_all_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_conflicts_clicked_cb);
}

static void
bb_sync_page_init (BbSyncPage *self)
{
  self->peer_rows = g_ptr_array_new ();
  self->log_rows = g_ptr_array_new ();
  self->session_passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
