/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "bb-backup.h"
#include "bb-compat.h"
#include "bb-council-dialog.h"
#include "bb-date.h"
#include "bb-handover.h"
#include "bb-lazy-page.h"
#include "bb-library-page.h"
#include "bb-money-page.h"
#include "bb-overview-page.h"
#include "bb-programme-page.h"
#include "bb-report-dialog.h"
#include "bb-restore-dialog.h"
#include "bb-sync-page.h"
#include "bb-sync-peers.h"
#include "bb-sync-scheduler.h"
#include "bb-sync-status.h"
#include "bb-volunteers-page.h"
#include "bb-welcome-page.h"
#include "bb-window.h"

struct _BbWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkMenuButton        *primary_menu_button;
  GMenuModel           *primary_menu;
  GtkStack             *stack;
  BbWelcomePage        *welcome_page;
  AdwViewStack         *sections;
  BbSyncStatus         *sync_status;
  BbOverviewPage       *overview_page;

  BbStore              *store;
  gulong                changed_handler;
  gboolean              closing_confirmed;

  /* Automatic sync of the open council's library, whether or not the
   * Sharing page was ever shown; see start_sync_cb(). */
  BbSyncScheduler      *scheduler;
  guint                 sync_start_id;
  gulong                sync_peers_handler;
  guint                 sync_start_delay;
};

#define SYNC_START_DELAY_SECONDS 10

G_DEFINE_FINAL_TYPE (BbWindow, bb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC_START_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static BbApplication *
get_application (BbWindow *self)
{
  return BB_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
update_title (BbWindow *self)
{
  g_autoptr(BbCouncil) council = self->store ? bb_store_dup_council (self->store) : NULL;

  if (council != NULL)
    {
      const char *municipality = bb_council_get_municipality (council);
      g_autofree char *title = NULL;

      adw_view_switcher_title_set_title (self->switcher_title, bb_council_get_name (council));
      adw_view_switcher_title_set_subtitle (self->switcher_title, municipality);
      /* Translators: the window title in the task switcher: council name. */
      title = g_strdup_printf (_("%s — Buurtboek"), bb_council_get_name (council));
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    {
      adw_view_switcher_title_set_title (self->switcher_title, _("Buurtboek"));
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Buurtboek"));
    }
}

static void
show_welcome (BbWindow *self)
{
  if (self->welcome_page == NULL)
    {
      self->welcome_page = g_object_new (BB_TYPE_WELCOME_PAGE, NULL);
      bb_welcome_page_set_settings (self->welcome_page,
                                    bb_application_get_settings (get_application (self)));
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->welcome_page), "welcome");
    }

  gtk_stack_set_visible_child_name (self->stack, "welcome");
}

/* Hands the store to every section page; see bb-window.ui. */
static void
set_sections_store (BbWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->sections);
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      g_object_set (adw_view_stack_page_get_child (page), "store", self->store, NULL);
    }

  g_object_set (self->sync_status, "store", self->store, NULL);

  /* A council opens on its overview; the switcher only when there is one. */
  adw_view_stack_set_visible_child_name (self->sections, "overview");
  adw_view_switcher_title_set_stack (self->switcher_title,
                                     self->store != NULL ? self->sections : NULL);
}

/* Hands the scheduler (or NULL) to the header status and to the pages
 * that have a "scheduler" property, built or not. */
static void
set_sections_scheduler (BbWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->sections);
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);

      if (BB_IS_LAZY_PAGE (child))
        bb_lazy_page_set_page_object (BB_LAZY_PAGE (child), "scheduler", self->scheduler);
      else if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "scheduler") != NULL)
        g_object_set (child, "scheduler", self->scheduler, NULL);
    }

  bb_sync_status_set_scheduler (self->sync_status, self->scheduler);
}

static gboolean
has_automatic_peer (BbStore *store)
{
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GError) error = NULL;

  peers = bb_sync_peers_list (store, &error);
  if (peers == NULL)
    {
      g_debug ("Cannot read the sync peers: %s", error->message);
      return FALSE;
    }
  for (guint i = 0; i < peers->len; i++)
    if (((BbSyncPeer *) g_ptr_array_index (peers, i))->automatic)
      return TRUE;
  return FALSE;
}

static void start_sync_cb (gpointer user_data);

/* A peer was maybe added: look again when idle. */
static void
on_sync_peers_changed_cb (BbStore  *store,
                          BbWindow *self)
{
  if (self->sync_start_id == 0)
    self->sync_start_id = g_idle_add_once (start_sync_cb, self);
}

/* The scheduler watches the network and the clock only for a council
 * with automatic peers, and only a while after the window is up: the
 * peers are read and the network monitor made here, never while the
 * council opens (start-up time is measured). */
static void
start_sync_cb (gpointer user_data)
{
  BbWindow *self = user_data;

  self->sync_start_id = 0;
  if (self->scheduler == NULL || self->store == NULL)
    return;

  if (!has_automatic_peer (self->store))
    {
      if (self->sync_peers_handler == 0)
        self->sync_peers_handler = g_signal_connect (self->store, "changed",
                                                     G_CALLBACK (on_sync_peers_changed_cb), self);
      return;
    }

  g_clear_signal_handler (&self->sync_peers_handler, self->store);
  bb_sync_scheduler_start (self->scheduler);
}

static void
drop_scheduler (BbWindow *self)
{
  g_clear_handle_id (&self->sync_start_id, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->sync_peers_handler, self->store);
  if (self->scheduler == NULL)
    return;

  bb_sync_scheduler_stop (self->scheduler);
  g_clear_object (&self->scheduler);
  set_sections_scheduler (self);
}

static void
update_actions (BbWindow *self)
{
  gboolean has_store = self->store != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.backup-now", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-handover", has_store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.council-details", has_store);
}

static void
on_store_changed_cb (BbStore  *store,
                     BbWindow *self)
{
  update_title (self);
  bb_overview_page_refresh (self->overview_page);
}

static gboolean
close_store (BbWindow  *self,
             GError   **error)
{
  gboolean ret = TRUE;

  if (self->store == NULL)
    return TRUE;

  drop_scheduler (self);
  g_clear_signal_handler (&self->changed_handler, self->store);
  ret = bb_store_close (self->store, error);
  g_clear_object (&self->store);

  return ret;
}

static void
save_window_state (BbWindow *self)
{
  GSettings *settings = bb_application_get_settings (get_application (self));
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
}

static void
on_close_anyway_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             BbWindow         *self)
{
  if (g_strcmp0 (response, "close") == 0)
    {
      self->closing_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static gboolean
bb_window_close_request (GtkWindow *window)
{
  BbWindow *self = BB_WINDOW (window);
  g_autoptr(GError) error = NULL;

  if (get_application (self) != NULL)
    save_window_state (self);

  /* Make the closing backup while the council is still open, so that if it
   * fails the user can keep working and try again. */
  if (self->store != NULL && !self->closing_confirmed &&
      bb_store_has_unsaved_changes (self->store) &&
      !bb_backup_make (self->store, BB_BACKUP_REASON_CLOSE, NULL, &error))
    {
      GtkWidget *dialog;
      g_autofree char *body = NULL;

      /* Translators: %s says why the backup failed. */
      body = g_strdup_printf (_("%s\n\nEvery change is saved in the council file itself; only the extra copy is missing."),
                              error->message);
      dialog = adw_message_dialog_new (window, _("Backup on Closing Failed"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Keep Open"),
                                        "close", _("_Close Anyway"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect (dialog, "response", G_CALLBACK (on_close_anyway_response_cb), self);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  if (!close_store (self, &error))
    g_debug ("Closing the council file: %s", error->message);

  return GTK_WINDOW_CLASS (bb_window_parent_class)->close_request (window);
}

static void
bb_window_show_help_overlay_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  /* Built when asked for, not with every window as GtkApplication's
   * automatic help overlay would: it is a large tree few people open. */
  builder = gtk_builder_new_from_resource ("/nl/buurtboek/Buurtboek/bb-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  gtk_window_present (shortcuts);
}

static void
bb_window_backup_now_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BbWindow *self = BB_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->store != NULL);

  if (!bb_backup_make (self->store, BB_BACKUP_REASON_MANUAL, NULL, &error))
    {
      bb_compat_show_message (GTK_WINDOW (self), _("Could Not Make a Backup"), error->message);
      return;
    }

  bb_overview_page_refresh (self->overview_page);
  bb_window_add_toast (self, _("Backup made"));
}

static void
on_restore_done_cb (BbRestoreDialog *dialog,
                    const char      *label,
                    BbWindow        *self)
{
  g_autofree char *text = NULL;

  /* Translators: %s is the date and time of the backup. */
  text = g_strdup_printf (_("Restored the backup of %s"), label);
  bb_overview_page_refresh (self->overview_page);
  update_title (self);
  bb_window_add_toast (self, text);
}

static void
bb_window_restore_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  BbWindow *self = BB_WINDOW (widget);
  BbRestoreDialog *dialog;

  g_return_if_fail (self->store != NULL);

  dialog = bb_restore_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect_object (dialog, "restored", G_CALLBACK (on_restore_done_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_export_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  g_autoptr(BbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  if (file == NULL || self->store == NULL)
    return;

  path = g_file_get_path (file);
  name = g_file_get_basename (file);
  if (path == NULL)
    return;

  if (!bb_handover_export_file (self->store, path, &error))
    {
      bb_compat_show_message (GTK_WINDOW (self), _("Could Not Export"), error->message);
      return;
    }

  /* Translators: %s is a file name. */
  text = g_strdup_printf (_("Exported to “%s”"), name);
  bb_window_add_toast (self, text);
}

static void
bb_window_export_handover_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  BbWindow *self = BB_WINDOW (widget);
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;
  g_autofree char *folder_path = NULL;
  g_autoptr(GFile) folder = NULL;

  g_return_if_fail (self->store != NULL);

  council = bb_store_dup_council (self->store);
  /* Translators: file name of the handover export: council name, date. */
  name = g_strdup_printf (_("%s handover %s.json"), bb_council_get_name (council), date);
  g_strdelimit (name, "/\\:", '-');
  folder_path = g_path_get_dirname (bb_store_get_path (self->store));
  folder = g_file_new_for_path (folder_path);

  gtk_file_filter_set_name (filter, _("Handover files (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");

  bb_compat_choose_file (GTK_WINDOW (self), BB_FILE_CHOOSE_SAVE,
                         _("Export for Handover"), _("_Export"),
                         folder, name, filter,
                         on_export_chosen_cb, g_object_ref (self));
}

static void
on_details_submit_cb (BbCouncilDialog *dialog,
                      BbCouncil       *council,
                      BbWindow        *self)
{
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;

  if (!bb_store_update_council (self->store, council, &error))
    {
      bb_council_dialog_show_error (dialog, error);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
  bb_window_add_toast (self, _("Council details saved"));
}

static void
bb_window_council_details_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  BbWindow *self = BB_WINDOW (widget);
  g_autoptr(BbCouncil) council = NULL;
  BbCouncilDialog *dialog;

  g_return_if_fail (self->store != NULL);

  council = bb_store_dup_council (self->store);
  dialog = bb_council_dialog_new (GTK_WINDOW (self), council, NULL);
  g_signal_connect_object (dialog, "submit", G_CALLBACK (on_details_submit_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The money page asks for the verantwoording of a subsidy by its id. */
static void
bb_window_show_section_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BbWindow *self = BB_WINDOW (widget);

  if (self->store != NULL)
    adw_view_stack_set_visible_child_name (self->sections, g_variant_get_string (param, NULL));
}

static void
bb_window_report_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  BbWindow *self = BB_WINDOW (widget);
  BbReportDialog *dialog;

  if (self->store == NULL || *g_variant_get_string (param, NULL) == '\0')
    return;
  dialog = bb_report_dialog_new (GTK_WINDOW (self), self->store, g_variant_get_string (param, NULL));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_create_submit_cb (BbCouncilDialog *dialog,
                     BbCouncil       *council,
                     BbWindow        *self)
{
  BbApplication *app = get_application (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GFile) folder = bb_council_dialog_dup_folder (dialog);
  g_autofree char *folder_path = g_file_get_path (folder);
  g_autofree char *path = NULL;

  if (g_mkdir_with_parents (folder_path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not make the folder “%s”: %s"), folder_path, g_strerror (saved_errno));
      bb_council_dialog_show_error (dialog, error);
      return;
    }

  path = bb_council_suggest_path (folder_path, bb_council_get_name (council));
  store = bb_store_create (path, council, bb_application_get_backup_root (app), &error);
  if (store == NULL)
    {
      bb_council_dialog_show_error (dialog, error);
      return;
    }

  bb_application_set_last_folder (app, folder);
  bb_application_add_recent (app, bb_store_get_path (store));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Another window may have been given this one's place meanwhile; a new
   * council always shows in the window that asked for it when it is free. */
  if (self->store == NULL)
    {
      bb_window_set_store (self, store);
    }
  else
    {
      BbWindow *window = bb_window_new (app);

      bb_window_set_store (window, store);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
bb_window_dispose (GObject *object)
{
  BbWindow *self = BB_WINDOW (object);

  if (self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!close_store (self, &error))
        g_debug ("Closing the council file: %s", error->message);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_WINDOW);

  G_OBJECT_CLASS (bb_window_parent_class)->dispose (object);
}

static void
bb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BbWindow *self = BB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC_START_DELAY:
      g_value_set_uint (value, self->sync_start_delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BbWindow *self = BB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      bb_window_set_store (self, g_value_get_object (value));
      break;
    case PROP_SYNC_START_DELAY:
      self->sync_start_delay = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The primary menu's popover is built when it is first opened, not with
 * every window. */
static void
create_primary_menu_cb (GtkMenuButton *button,
                        gpointer       user_data)
{
  BbWindow *self = BB_WINDOW (user_data);

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

/* The bottom switcher gets the sections when the window is first narrow
 * enough to reveal it. */
static void
on_title_visible_cb (AdwViewSwitcherTitle *title,
                     GParamSpec           *pspec,
                     BbWindow             *self)
{
  if (adw_view_switcher_title_get_title_visible (title) &&
      adw_view_switcher_bar_get_stack (self->switcher_bar) == NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, self->sections);
}

static void
bb_window_map (GtkWidget *widget)
{
  BbWindow *self = BB_WINDOW (widget);

  /* A window opened without a council welcomes the user; a window that
   * opens a council never builds the welcome page. */
  if (self->store == NULL)
    show_welcome (self);

  GTK_WIDGET_CLASS (bb_window_parent_class)->map (widget);
}

static void
bb_window_class_init (BbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bb_window_dispose;
  object_class->get_property = bb_window_get_property;
  object_class->set_property = bb_window_set_property;

  widget_class->map = bb_window_map;
  window_class->close_request = bb_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BB_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  /* Seconds from opening a council to its first automatic sync; tests
   * make it 0. Applies to the next store set. */
  properties[PROP_SYNC_START_DELAY] =
    g_param_spec_uint ("sync-start-delay", NULL, NULL,
                       0, G_MAXUINT, SYNC_START_DELAY_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BB_TYPE_WELCOME_PAGE);
  g_type_ensure (BB_TYPE_OVERVIEW_PAGE);
  /* The other sections are built by a BbLazyPage from their type name when
   * first shown, so their types must exist before then. */
  g_type_ensure (BB_TYPE_LAZY_PAGE);
  g_type_ensure (BB_TYPE_PROGRAMME_PAGE);
  g_type_ensure (BB_TYPE_VOLUNTEERS_PAGE);
  g_type_ensure (BB_TYPE_LIBRARY_PAGE);
  g_type_ensure (BB_TYPE_MONEY_PAGE);
  g_type_ensure (BB_TYPE_SYNC_PAGE);
  g_type_ensure (BB_TYPE_SYNC_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, sections);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, overview_page);

  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, bb_window_show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.backup-now", NULL, bb_window_backup_now_action);
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, bb_window_restore_action);
  gtk_widget_class_install_action (widget_class, "win.export-handover", NULL, bb_window_export_handover_action);
  gtk_widget_class_install_action (widget_class, "win.council-details", NULL, bb_window_council_details_action);
  gtk_widget_class_install_action (widget_class, "win.report", "s", bb_window_report_action);
  gtk_widget_class_install_action (widget_class, "win.show-section", "s", bb_window_show_section_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.backup-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export-handover", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK, "win.council-details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
bb_window_init (BbWindow *self)
{
  self->sync_start_delay = SYNC_START_DELAY_SECONDS;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->primary_menu_button, create_primary_menu_cb, self, NULL);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (on_title_visible_cb), self, 0);
  update_actions (self);
}

BbWindow *
bb_window_new (BbApplication *application)
{
  BbWindow *self;
  GSettings *settings;

  g_return_val_if_fail (BB_IS_APPLICATION (application), NULL);

  self = g_object_new (BB_TYPE_WINDOW, "application", application, NULL);

  settings = bb_application_get_settings (application);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  return self;
}

BbStore *
bb_window_get_store (BbWindow *self)
{
  g_return_val_if_fail (BB_IS_WINDOW (self), NULL);

  return self->store;
}

void
bb_window_set_store (BbWindow *self,
                     BbStore  *store)
{
  g_return_if_fail (BB_IS_WINDOW (self));
  g_return_if_fail (!store || BB_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!close_store (self, &error))
        bb_compat_show_message (GTK_WINDOW (self), _("Backup on Closing Failed"), error->message);
    }

  if (store != NULL)
    {
      self->store = g_object_ref (store);
      self->changed_handler = g_signal_connect (store, "changed",
                                                G_CALLBACK (on_store_changed_cb), self);
      /* Made now (a bare object), started later */
      self->scheduler = bb_sync_scheduler_new (store);
      set_sections_scheduler (self);
      self->sync_start_id = g_timeout_add_once (self->sync_start_delay * 1000, start_sync_cb, self);
    }

  set_sections_store (self);
  if (self->store != NULL)
    gtk_stack_set_visible_child_name (self->stack, "council");
  else
    show_welcome (self);
  update_title (self);
  update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
bb_window_add_toast (BbWindow   *self,
                     const char *text)
{
  g_return_if_fail (BB_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
bb_window_show_open_error (BbWindow     *self,
                           const char   *path,
                           const GError *error)
{
  const char *heading = _("Could Not Open the Council File");
  g_autofree char *body = NULL;

  g_return_if_fail (BB_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  if (error->domain == BB_STORE_ERROR)
    {
      switch ((BbStoreError) error->code)
        {
        case BB_STORE_ERROR_NOT_FOUND:
          heading = _("File Not Found");
          break;
        case BB_STORE_ERROR_NOT_COUNCIL:
          heading = _("Not a Council File");
          break;
        case BB_STORE_ERROR_TOO_NEW:
          heading = _("Made by a Newer Version of Buurtboek");
          break;
        case BB_STORE_ERROR_LOCKED:
          heading = _("Council File in Use");
          break;
        case BB_STORE_ERROR_CORRUPT:
          heading = _("Council File Is Damaged");
          break;
        case BB_STORE_ERROR_READ_ONLY:
          heading = _("Council File Cannot Be Changed");
          break;
        case BB_STORE_ERROR_EXISTS:
        case BB_STORE_ERROR_FAILED:
        default:
          break;
        }
    }

  if (error->domain == BB_STORE_ERROR && error->code != BB_STORE_ERROR_FAILED &&
      error->code != BB_STORE_ERROR_NOT_FOUND)
    /* Translators: an error message, then a reassurance on its own line. */
    body = g_strdup_printf (_("%s\n\nBuurtboek has not changed the file."), error->message);
  else
    body = g_strdup (error->message);
  bb_compat_show_message (GTK_WINDOW (self), heading, body);
}

GtkWindow *
bb_window_new_council (BbWindow *self)
{
  BbCouncilDialog *dialog;
  g_autoptr(GFile) folder = NULL;

  g_return_val_if_fail (BB_IS_WINDOW (self), NULL);

  folder = bb_application_dup_default_folder (get_application (self));
  dialog = bb_council_dialog_new (GTK_WINDOW (self), NULL, folder);
  g_signal_connect_object (dialog, "submit", G_CALLBACK (on_create_submit_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}
