/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dialog that edits a sync peer (see bb-sync-peer-dialog.h). The
 * checks are core's (bb_sync_peers_save); the password never goes into
 * the council file. */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-sync-peer-dialog.h"

struct _BbSyncPeerDialog
{
  AdwWindow    parent_instance;

  GtkWidget   *name_entry;
  GtkWidget   *url_entry;
  GtkWidget   *fingerprint_entry;
  GtkWidget   *user_entry;
  GtkWidget   *password_entry;
  GtkWidget   *remember_switch;
  GtkWidget   *direction_row;
  GtkWidget   *automatic_switch;
  GtkWidget   *error_label;

  BbStore     *store;
  BbSyncPeer  *peer;   /* as it was */
};

G_DEFINE_FINAL_TYPE (BbSyncPeerDialog, bb_sync_peer_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
add_entry (GtkWidget  *list,
           GtkWidget  *row,
           const char *title,
           const char *text)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static GtkWidget *
add_switch (GtkWidget  *list,
            const char *title,
            const char *subtitle,
            gboolean    active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return toggle;
}

gboolean
bb_sync_peer_dialog_save (BbSyncPeerDialog *self)
{
  g_autoptr(BbSyncPeer) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *user;
  const char *password;

  g_return_val_if_fail (BB_IS_SYNC_PEER_DIALOG (self), FALSE);

  peer = bb_sync_peer_copy (self->peer);
  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));
  user = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  g_free (peer->name);
  peer->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  g_free (peer->url);
  peer->url = g_steal_pointer (&url);
  g_free (peer->username);
  peer->username = user[0] != '\0' ? g_strdup (user) : NULL;
  g_free (peer->fingerprint);
  peer->fingerprint = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->fingerprint_entry)));
  peer->direction = (BbSyncDirection) adw_combo_row_get_selected (ADW_COMBO_ROW (self->direction_row));
  peer->automatic = gtk_switch_get_active (GTK_SWITCH (self->automatic_switch));

  if (!bb_sync_peers_save (self->store, peer, &error))
    {
      gtk_label_set_text (GTK_LABEL (self->error_label), error->message);
      gtk_widget_set_visible (self->error_label, TRUE);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->peer, peer,
                 password[0] != '\0' ? password : NULL,
                 gtk_switch_get_active (GTK_SWITCH (self->remember_switch)));
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
on_save_clicked_cb (BbSyncPeerDialog *self)
{
  bb_sync_peer_dialog_save (self);
}

/* libadwaita 1.2's entry rows warn (reading freed memory) when their
 * window goes while they have the focus */
static gboolean
bb_sync_peer_dialog_close_request (GtkWindow *window)
{
  gtk_window_set_focus (window, NULL);
  return GTK_WINDOW_CLASS (bb_sync_peer_dialog_parent_class)->close_request (window);
}

static void
bb_sync_peer_dialog_dispose (GObject *object)
{
  BbSyncPeerDialog *self = BB_SYNC_PEER_DIALOG (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (bb_sync_peer_dialog_parent_class)->dispose (object);
}

static void
bb_sync_peer_dialog_finalize (GObject *object)
{
  BbSyncPeerDialog *self = BB_SYNC_PEER_DIALOG (object);

  g_clear_pointer (&self->peer, bb_sync_peer_free);

  G_OBJECT_CLASS (bb_sync_peer_dialog_parent_class)->finalize (object);
}

static void
bb_sync_peer_dialog_class_init (BbSyncPeerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_sync_peer_dialog_dispose;
  object_class->finalize = bb_sync_peer_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = bb_sync_peer_dialog_close_request;

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_POINTER, G_TYPE_POINTER, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_sync_peer_dialog_init (BbSyncPeerDialog *self)
{
}

BbSyncPeerDialog *
bb_sync_peer_dialog_new (GtkWindow        *parent,
                         BbStore          *store,
                         const BbSyncPeer *peer)
{
  BbSyncPeerDialog *self;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save_button = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *options = gtk_list_box_new ();
  g_autoptr(GtkStringList) directions = NULL;
  const char *direction_names[] = {
    /* Translators: a peer's sync direction */
    _("Both ways"), _("Pull only"), _("Push only"), NULL,
  };

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (peer != NULL && peer->id != NULL, NULL);

  self = g_object_new (BB_TYPE_SYNC_PEER_DIALOG,
                       "modal", TRUE,
                       "transient-for", parent,
                       "title", _("Edit Peer"),
                       "default-width", 480,
                       "default-height", 640,
                       NULL);
  self->store = g_object_ref (store);
  self->peer = bb_sync_peer_copy (peer);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel_button, "clicked", G_CALLBACK (gtk_window_close), self);
  gtk_widget_add_css_class (save_button, "suggested-action");
  g_signal_connect_swapped (save_button, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save_button);
  gtk_window_set_default_widget (GTK_WINDOW (self), save_button);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  self->name_entry = add_entry (list, adw_entry_row_new (), _("_Name"), peer->name);
  self->url_entry = add_entry (list, adw_entry_row_new (), _("_Address"), peer->url);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->url_entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("e.g. http://192.168.1.20:5984/library"), -1);
  self->fingerprint_entry = add_entry (list, adw_entry_row_new (), _("_Fingerprint (https from another laptop)"),
                                       peer->fingerprint);
  self->user_entry = add_entry (list, adw_entry_row_new (), _("_User name (empty: buurtboek)"), peer->username);
  /* Rows, not GtkPasswordEntry: see ask_credentials() in bb-sync-page.c */
  self->password_entry = add_entry (list, adw_password_entry_row_new (),
                                    _("New _password or access code (empty: keep)"), NULL);
  self->remember_switch = add_switch (list, _("_Remember in the keyring"),
                                      _("Kept in this computer’s keyring for automatic syncs, never in the council file"),
                                      FALSE);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (options), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (options, "boxed-list");
  directions = gtk_string_list_new (direction_names);
  self->direction_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->direction_row), _("_Direction"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->direction_row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->direction_row), G_LIST_MODEL (directions));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->direction_row), (guint) peer->direction);
  gtk_list_box_append (GTK_LIST_BOX (options), self->direction_row);
  self->automatic_switch = add_switch (options, _("Au_tomatic"),
                                       _("Syncs when the network comes up and every 15 minutes"),
                                       peer->automatic);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);

  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_box_append (GTK_BOX (content), list);
  gtk_box_append (GTK_BOX (content), options);
  gtk_box_append (GTK_BOX (content), self->error_label);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (self), box);

  return self;
}
