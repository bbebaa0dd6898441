/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the header bar says about syncing. The state is worked out from
 * the peers and the newest entry of each peer's sync log (bb-sync-peers),
 * the network monitor and, when given, the scheduler's progress. The
 * store is read only when idle after it is set or changed, never while
 * the window opens. */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-sync-peers.h"
#include "bb-sync-status.h"

struct _BbSyncStatus
{
  GtkWidget         parent_instance;

  GtkWidget        *button;      /* a GtkMenuButton */
  GtkWidget        *icon;
  GtkWidget        *pie;         /* replaces the icon while syncing */
  GtkWidget        *popover_title;
  GtkWidget        *popover_progress;
  GtkWidget        *peer_list;

  BbStore          *store;
  gulong            changed_handler;
  BbSyncScheduler  *scheduler;
  char             *syncing_url;
  gint64            done;
  gint64            total;
  GNetworkMonitor  *monitor;
  gulong            network_handler;
  guint             refresh_id;

  BbSyncStatusState state;
  char             *text;
};

G_DEFINE_FINAL_TYPE (BbSyncStatus, bb_sync_status, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SCHEDULER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_last_sync (const BbSyncPeer     *peer,
                  const BbSyncLogEntry *entry)
{
  g_autofree char *time = NULL;

  if (entry == NULL)
    /* Translators: a peer in the sync status tooltip */
    return g_strdup_printf (_("%s: never synced"), peer->name);

  time = bb_sync_log_entry_format_time (entry);
  if (g_strcmp0 (entry->status, "ok") == 0)
    /* Translators: a peer and when it last synced, e.g. "Wijkraad Zuid: synced 3 May 2025 14:02" */
    return g_strdup_printf (_("%s: synced %s"), peer->name, time);
  if (g_strcmp0 (entry->status, "credentials") == 0)
    return g_strdup_printf (_("%s: needs a user name and password (%s)"), peer->name, time);
  return g_strdup_printf (_("%s: failed %s"), peer->name, time);
}

/* The popover's line under a peer's name */
static char *
format_peer_state (const BbSyncPeer     *peer,
                   const BbSyncLogEntry *entry)
{
  g_autofree char *time = NULL;

  if (entry == NULL)
    return g_strdup (_("Never synced"));

  time = bb_sync_log_entry_format_time (entry);
  if (g_strcmp0 (entry->status, "ok") == 0)
    /* Translators: under a peer's name in the sync status popover */
    return g_strdup_printf (_("Synced %s"), time);
  if (g_strcmp0 (entry->status, "credentials") == 0)
    return g_strdup_printf (_("Needs a user name and password (%s)"), time);
  if (g_strcmp0 (entry->status, "cancelled") == 0)
    return g_strdup_printf (_("Cancelled %s"), time);
  return g_strdup_printf (_("Failed %s"), time);
}

/* The share of the documents done while syncing, 0 while the total is unknown */
static double
done_fraction (BbSyncStatus *self)
{
  return self->total > 0 ? CLAMP ((double) self->done / (double) self->total, 0.0, 1.0) : 0.0;
}

/* A pie of the documents done while syncing: small enough to keep the
 * header's switcher at a normal window width */
static void
draw_pie (GtkDrawingArea *area,
          cairo_t        *cr,
          int             width,
          int             height,
          gpointer        user_data)
{
  BbSyncStatus *self = user_data;
  GdkRGBA color;
  double radius = MIN (width, height) / 2.0 - 1.0;
  double fraction = done_fraction (self);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cairo_set_line_width (cr, 1.5);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_stroke (cr);
  if (fraction > 0)
    {
      cairo_move_to (cr, width / 2.0, height / 2.0);
      cairo_arc (cr, width / 2.0, height / 2.0, radius - 2.0, -G_PI / 2, -G_PI / 2 + fraction * 2 * G_PI);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

static void
add_peer_line (BbSyncStatus *self,
               const char   *name,
               const char   *state)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *subtitle = gtk_label_new (state);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 32);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 32);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_box_append (GTK_BOX (self->peer_list), box);
}

/* The tooltip would cover the popover, which says more */
static void
update_has_tooltip (BbSyncStatus *self)
{
  gtk_widget_set_has_tooltip (self->button,
                              !gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->button)))));
}

static void
show (BbSyncStatus      *self,
      BbSyncStatusState  state,
      const char        *text,
      const char        *icon_name,
      const char        *tooltip)
{
  g_autofree char *tooltip_text = NULL;
  /* Translators: the accessible name of the header's sync status, e.g. "Sync: Up to date" */
  g_autofree char *accessible = g_strdup_printf (_("Sync: %s"), text);

  self->state = state;
  g_free (self->text);
  self->text = g_strdup (text);

  gtk_widget_set_visible (GTK_WIDGET (self), state != BB_SYNC_STATUS_HIDDEN);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), icon_name);
  /* The pie while the total is known, the icon otherwise */
  gtk_widget_set_visible (self->pie, state == BB_SYNC_STATUS_SYNCING && self->total > 0);
  gtk_widget_set_visible (self->icon, !gtk_widget_get_visible (self->pie));
  gtk_widget_queue_draw (self->pie);
  /* The state, then each peer's last sync */
  tooltip_text = tooltip != NULL && tooltip[0] != '\0' ? g_strconcat (text, "\n", tooltip, NULL) : g_strdup (text);
  gtk_widget_set_tooltip_text (self->button, tooltip_text);
  update_has_tooltip (self);
  gtk_label_set_text (GTK_LABEL (self->popover_title), text);
  gtk_widget_set_visible (self->popover_progress, state == BB_SYNC_STATUS_SYNCING && self->total > 0);
  if (self->total > 0)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->popover_progress), done_fraction (self));
  if (state == BB_SYNC_STATUS_ATTENTION)
    gtk_widget_add_css_class (self->button, "warning");
  else
    gtk_widget_remove_css_class (self->button, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip != NULL ? tooltip : "",
                                  -1);
}

static void on_changed_cb (gpointer instance, BbSyncStatus *self);

void
bb_sync_status_refresh (BbSyncStatus *self)
{
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GString) tooltip = g_string_new (NULL);
  g_autofree char *progress = NULL;
  gboolean attention = FALSE;
  gboolean never = FALSE;

  g_return_if_fail (BB_IS_SYNC_STATUS (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  if (self->store != NULL)
    peers = bb_sync_peers_list (self->store, NULL);
  for (GtkWidget *child = gtk_widget_get_first_child (self->peer_list); child != NULL;
       child = gtk_widget_get_first_child (self->peer_list))
    gtk_box_remove (GTK_BOX (self->peer_list), child);
  if (peers == NULL || peers->len == 0)
    {
      show (self, BB_SYNC_STATUS_HIDDEN, "", "emblem-ok-symbolic", NULL);
      return;
    }

  /* The default monitor is made (and its GIO module loaded) only once
   * there is a peer to report on, not while the window opens. */
  if (self->monitor == NULL)
    {
      self->monitor = g_network_monitor_get_default ();
      self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                                G_CALLBACK (on_changed_cb), self);
    }

  for (guint i = 0; i < peers->len; i++)
    {
      const BbSyncPeer *peer = g_ptr_array_index (peers, i);
      g_autoptr(GPtrArray) log = bb_sync_log_list (self->store, peer->url, 1, NULL);
      const BbSyncLogEntry *entry = log != NULL && log->len > 0 ? g_ptr_array_index (log, 0) : NULL;
      g_autofree char *line = format_last_sync (peer, entry);
      g_autofree char *state = format_peer_state (peer, entry);

      add_peer_line (self, peer->name[0] != '\0' ? peer->name : peer->url, state);
      if (entry == NULL)
        never = TRUE;
      else if (g_strcmp0 (entry->status, "failed") == 0 || g_strcmp0 (entry->status, "credentials") == 0)
        attention = TRUE;
      if (tooltip->len > 0)
        g_string_append_c (tooltip, '\n');
      g_string_append (tooltip, line);
    }

  if (self->syncing_url != NULL)
    {
      if (self->total > 0)
        /* Translators: documents done of total while syncing */
        progress = g_strdup_printf (_("Syncing %d/%d"),
                                    (int) MIN (self->done, G_MAXINT), (int) MIN (self->total, G_MAXINT));
      show (self, BB_SYNC_STATUS_SYNCING, progress != NULL ? progress : _("Syncing"),
            "emblem-synchronizing-symbolic", tooltip->str);
    }
  else if (attention)
    show (self, BB_SYNC_STATUS_ATTENTION, _("Needs attention"), "dialog-warning-symbolic", tooltip->str);
  else if (!g_network_monitor_get_network_available (self->monitor))
    show (self, BB_SYNC_STATUS_OFFLINE, _("Offline"), "network-offline-symbolic", tooltip->str);
  else if (never)
    show (self, BB_SYNC_STATUS_NEVER, _("Not synced yet"), "emblem-synchronizing-symbolic", tooltip->str);
  else
    show (self, BB_SYNC_STATUS_UP_TO_DATE, _("Up to date"), "emblem-ok-symbolic", tooltip->str);
}

static gboolean
refresh_cb (gpointer user_data)
{
  BbSyncStatus *self = user_data;

  self->refresh_id = 0;
  bb_sync_status_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (BbSyncStatus *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_full (G_PRIORITY_LOW, 200, refresh_cb, self, NULL);
}

static void
on_changed_cb (gpointer      instance,
               BbSyncStatus *self)
{
  queue_refresh (self);
}

static void
on_progress_cb (BbSyncScheduler *scheduler,
                const char      *url,
                gint64           done,
                gint64           total,
                BbSyncStatus    *self)
{
  g_free (self->syncing_url);
  self->syncing_url = g_strdup (url);
  self->done = done;
  self->total = total;
  bb_sync_status_refresh (self);
}

static void
on_finished_cb (BbSyncScheduler *scheduler,
                const char      *url,
                gboolean         ok,
                gboolean         needs_credentials,
                const char      *message,
                BbSyncStatus    *self)
{
  g_clear_pointer (&self->syncing_url, g_free);
  queue_refresh (self);
}

static void
on_open_sharing_clicked_cb (BbSyncStatus *self)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-section", "s", "sharing");
}

static void
set_store (BbSyncStatus *self,
           BbStore      *store)
{
  if (self->store == store)
    return;

  g_clear_signal_handler (&self->changed_handler, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->changed_handler = g_signal_connect (store, "changed", G_CALLBACK (on_changed_cb), self);

  /* Hidden until the store has been read, when idle */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  self->state = BB_SYNC_STATUS_HIDDEN;
  if (store != NULL)
    queue_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
bb_sync_status_set_scheduler (BbSyncStatus    *self,
                              BbSyncScheduler *scheduler)
{
  g_return_if_fail (BB_IS_SYNC_STATUS (self));

  if (self->scheduler == scheduler)
    return;

  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_set_object (&self->scheduler, scheduler);
  g_clear_pointer (&self->syncing_url, g_free);
  if (scheduler != NULL)
    {
      g_signal_connect (scheduler, "progress", G_CALLBACK (on_progress_cb), self);
      g_signal_connect (scheduler, "finished", G_CALLBACK (on_finished_cb), self);
    }
  queue_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULER]);
}

BbSyncStatusState
bb_sync_status_get_state (BbSyncStatus *self)
{
  g_return_val_if_fail (BB_IS_SYNC_STATUS (self), BB_SYNC_STATUS_HIDDEN);
  return self->state;
}

const char *
bb_sync_status_get_text (BbSyncStatus *self)
{
  g_return_val_if_fail (BB_IS_SYNC_STATUS (self), NULL);
  return self->text;
}

static void
bb_sync_status_dispose (GObject *object)
{
  BbSyncStatus *self = BB_SYNC_STATUS (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  set_store (self, NULL);
  bb_sync_status_set_scheduler (self, NULL);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_signal_handler (&self->network_handler, self->monitor);
  g_clear_pointer (&self->button, gtk_widget_unparent);

  G_OBJECT_CLASS (bb_sync_status_parent_class)->dispose (object);
}

static void
bb_sync_status_finalize (GObject *object)
{
  BbSyncStatus *self = BB_SYNC_STATUS (object);

  g_free (self->syncing_url);
  g_free (self->text);

  G_OBJECT_CLASS (bb_sync_status_parent_class)->finalize (object);
}

static void
bb_sync_status_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BbSyncStatus *self = BB_SYNC_STATUS (object);

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
bb_sync_status_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BbSyncStatus *self = BB_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      set_store (self, g_value_get_object (value));
      break;
    case PROP_SCHEDULER:
      bb_sync_status_set_scheduler (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_sync_status_class_init (BbSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_sync_status_dispose;
  object_class->finalize = bb_sync_status_finalize;
  object_class->get_property = bb_sync_status_get_property;
  object_class->set_property = bb_sync_status_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCHEDULER] =
    g_param_spec_object ("scheduler", NULL, NULL, BB_TYPE_SYNC_SCHEDULER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bb-sync-status");
}

static void
bb_sync_status_init (BbSyncStatus *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *open_button = gtk_button_new_with_mnemonic (_("_Open Sharing"));

  self->icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  self->pie = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->pie), 16);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->pie), 16);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->pie), draw_pie, self, NULL);
  gtk_widget_set_valign (self->pie, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->pie, FALSE);
  gtk_box_append (GTK_BOX (box), self->icon);
  gtk_box_append (GTK_BOX (box), self->pie);

  /* What each peer did last, and the way to the Sharing section */
  self->popover_title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->popover_title), 0);
  gtk_widget_add_css_class (self->popover_title, "title-4");
  self->popover_progress = gtk_progress_bar_new ();
  gtk_widget_set_visible (self->popover_progress, FALSE);
  self->peer_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (open_button, "suggested-action");
  gtk_widget_set_halign (open_button, GTK_ALIGN_END);
  g_signal_connect_swapped (open_button, "clicked", G_CALLBACK (on_open_sharing_clicked_cb), self);
  gtk_widget_set_margin_start (content, 6);
  gtk_widget_set_margin_end (content, 6);
  gtk_widget_set_margin_top (content, 6);
  gtk_widget_set_margin_bottom (content, 6);
  gtk_box_append (GTK_BOX (content), self->popover_title);
  gtk_box_append (GTK_BOX (content), self->popover_progress);
  gtk_box_append (GTK_BOX (content), self->peer_list);
  gtk_box_append (GTK_BOX (content), open_button);
  gtk_popover_set_child (GTK_POPOVER (popover), content);

  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
  gtk_menu_button_set_has_frame (GTK_MENU_BUTTON (self->button), FALSE);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  g_signal_connect_swapped (popover, "notify::visible", G_CALLBACK (update_has_tooltip), self);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
bb_sync_status_get_popover (BbSyncStatus *self)
{
  g_return_val_if_fail (BB_IS_SYNC_STATUS (self), NULL);
  return GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->button)));
}
