/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The conflicts view: documents changed on two sides before they synced.
 * Versions are shown side by side (stacked when the window is narrow)
 * with their origin council and time; the user keeps one or merges by
 * editing. The resolution itself is bb-sync-conflicts in core. */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-conflicts-dialog.h"
#include "bb-date.h"
#include "bb-sync-conflicts.h"

struct _BbConflictsDialog
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkWidget       *back_button;
  GtkStack        *stack;
  GtkWidget       *empty_page;
  GtkListBox      *list_box;
  GtkBox          *versions_box;
  GtkLabel        *versions_error;
  AdwEntryRow     *merge_title;
  AdwEntryRow     *merge_summary;
  GtkTextView     *merge_body;
  GtkLabel        *merge_error;

  BbStore         *store;
  char            *doc_id;
  char            *doc_title;
  char            *merge_base;
};

G_DEFINE_FINAL_TYPE (BbConflictsDialog, bb_conflicts_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_versions (BbConflictsDialog *self,
                           const char        *doc_id,
                           const char        *title);

static void
show_error (GtkLabel *label,
            GError   *error)
{
  gtk_label_set_text (label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
}

static void
on_conflict_row_activated_cb (GtkListBox        *box,
                              GtkListBoxRow     *row,
                              BbConflictsDialog *self)
{
  show_versions (self,
                 g_object_get_data (G_OBJECT (row), "doc-id"),
                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
}

static void
show_list (BbConflictsDialog *self)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  g_clear_pointer (&self->doc_id, g_free);
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_widget_set_visible (self->back_button, FALSE);

  conflicts = bb_sync_conflicts_list (self->store, &error);
  if (conflicts == NULL)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), _("Cannot Read the Library"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page), error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  if (conflicts->len == 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), _("No Conflicts"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                       _("Every document in the library has one current version."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  for (guint i = 0; i < conflicts->len; i++)
    {
      BbSyncConflict *conflict = g_ptr_array_index (conflicts, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      /* Translators: how many versions a conflicted document has */
      subtitle = g_strdup_printf (ngettext ("%u version", "%u versions", conflict->n_versions),
                                  conflict->n_versions);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), conflict->title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "doc-id", g_strdup (conflict->doc_id), g_free);
      gtk_list_box_append (self->list_box, row);
    }
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
on_keep_clicked_cb (GtkButton         *button,
                    BbConflictsDialog *self)
{
  const char *rev = g_object_get_data (G_OBJECT (button), "rev");
  g_autoptr(GError) error = NULL;

  if (!bb_sync_conflicts_keep (self->store, self->doc_id, rev, &error))
    {
      show_error (self->versions_error, error);
      return;
    }
  show_list (self);
}

static void
on_merge_clicked_cb (GtkButton         *button,
                     BbConflictsDialog *self)
{
  const char *title = g_object_get_data (G_OBJECT (button), "title");
  const char *summary = g_object_get_data (G_OBJECT (button), "summary");
  const char *body = g_object_get_data (G_OBJECT (button), "body");

  g_free (self->merge_base);
  self->merge_base = g_strdup (g_object_get_data (G_OBJECT (button), "rev"));
  gtk_editable_set_text (GTK_EDITABLE (self->merge_title), title);
  gtk_editable_set_text (GTK_EDITABLE (self->merge_summary), summary);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->merge_body), body, -1);
  show_error (self->merge_error, NULL);
  gtk_stack_set_visible_child_name (self->stack, "merge");
  gtk_widget_grab_focus (GTK_WIDGET (self->merge_title));
}

static void
on_save_merge_clicked_cb (BbConflictsDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->merge_body);
  GtkTextIter start, end;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!bb_sync_conflicts_merge (self->store, self->doc_id, self->merge_base,
                                gtk_editable_get_text (GTK_EDITABLE (self->merge_title)),
                                gtk_editable_get_text (GTK_EDITABLE (self->merge_summary)),
                                body, NULL, &error))
    {
      show_error (self->merge_error, error);
      return;
    }
  show_list (self);
}

static GtkWidget *
make_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Wrapped labels ask for their whole text as natural width; a bound
   * lets two versions share a line when the window is wide */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
make_version_card (BbConflictsDialog     *self,
                   BbSyncConflictVersion *v)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *keep = gtk_button_new_with_mnemonic (_("_Keep This Version"));
  GtkWidget *merge = gtk_button_new_with_mnemonic (_("_Merge From This…"));
  g_autoptr(GDateTime) when = bb_date_time_from_iso (v->updated_at);
  g_autofree char *when_text = when != NULL ? bb_date_time_format_long (when) : g_strdup (_("unknown time"));
  g_autofree char *origin = NULL;
  g_autofree char *changed = NULL;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_size_request (card, 280, -1);
  gtk_widget_set_hexpand (card, TRUE);
  gtk_widget_set_valign (card, GTK_ALIGN_START);
  gtk_widget_set_margin_start (card, 6);
  gtk_widget_set_margin_end (card, 6);

  if (v->council_name[0] == '\0')
    origin = g_strdup (_("Unknown council"));
  else if (v->municipality[0] == '\0')
    origin = g_strdup (v->council_name);
  else
    /* Translators: origin of a version: council name, municipality */
    origin = g_strdup_printf (_("%s, %s"), v->council_name, v->municipality);
  /* Translators: %s is a date and time */
  changed = g_strdup_printf (_("Changed %s"), when_text);

  {
    GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

    gtk_widget_set_margin_top (inner, 12);
    gtk_widget_set_margin_bottom (inner, 12);
    gtk_widget_set_margin_start (inner, 12);
    gtk_widget_set_margin_end (inner, 12);
    gtk_box_append (GTK_BOX (card), inner);

    if (v->winner)
      gtk_box_append (GTK_BOX (inner), make_label (_("Shown until you choose"), "accent"));
    gtk_box_append (GTK_BOX (inner), make_label (v->title[0] != '\0' ? v->title : _("(no title)"), "title-3"));
    gtk_box_append (GTK_BOX (inner), make_label (origin, "heading"));
    gtk_box_append (GTK_BOX (inner), make_label (changed, "dim-label"));
    if (v->summary[0] != '\0')
      gtk_box_append (GTK_BOX (inner), make_label (v->summary, NULL));
    gtk_box_append (GTK_BOX (inner), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
    gtk_box_append (GTK_BOX (inner), make_label (v->body, "monospace"));
    if (v->attachments[0] != NULL)
      {
        g_autofree char *names = g_strjoinv (", ", v->attachments);
        /* Translators: %s is a list of file names */
        g_autofree char *text = g_strdup_printf (_("Attachments: %s"), names);

        gtk_box_append (GTK_BOX (inner), make_label (text, "dim-label"));
      }

    gtk_widget_add_css_class (keep, "suggested-action");
    g_object_set_data_full (G_OBJECT (keep), "rev", g_strdup (v->rev), g_free);
    g_signal_connect (keep, "clicked", G_CALLBACK (on_keep_clicked_cb), self);
    g_object_set_data_full (G_OBJECT (merge), "rev", g_strdup (v->rev), g_free);
    g_object_set_data_full (G_OBJECT (merge), "title", g_strdup (v->title), g_free);
    g_object_set_data_full (G_OBJECT (merge), "summary", g_strdup (v->summary), g_free);
    g_object_set_data_full (G_OBJECT (merge), "body", g_strdup (v->body), g_free);
    g_signal_connect (merge, "clicked", G_CALLBACK (on_merge_clicked_cb), self);
    gtk_widget_set_margin_top (buttons, 6);
    gtk_box_append (GTK_BOX (buttons), keep);
    gtk_box_append (GTK_BOX (buttons), merge);
    gtk_box_append (GTK_BOX (inner), buttons);
    /* The card says whose version the buttons act on */
    gtk_accessible_update_property (GTK_ACCESSIBLE (card),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, origin, -1);
  }
  return card;
}

static void
show_versions (BbConflictsDialog *self,
               const char        *doc_id,
               const char        *title)
{
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_free (self->doc_id);
  self->doc_id = g_strdup (doc_id);
  g_free (self->doc_title);
  self->doc_title = g_strdup (title);
  adw_window_title_set_subtitle (self->window_title, title);
  gtk_widget_set_visible (self->back_button, TRUE);
  show_error (self->versions_error, NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->versions_box))) != NULL)
    gtk_box_remove (self->versions_box, child);

  versions = bb_sync_conflicts_get_versions (self->store, doc_id, &error);
  if (versions == NULL)
    {
      show_error (self->versions_error, error);
    }
  else
    {
      for (guint i = 0; i < versions->len; i++)
        gtk_box_append (self->versions_box, make_version_card (self, g_ptr_array_index (versions, i)));
    }
  gtk_stack_set_visible_child_name (self->stack, "versions");
}

static void
on_back_clicked_cb (BbConflictsDialog *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "merge") == 0)
    {
      g_autofree char *id = g_strdup (self->doc_id);
      g_autofree char *title = g_strdup (self->doc_title);

      show_versions (self, id, title);
    }
  else
    show_list (self);
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *sw = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1200);
  adw_clamp_set_child (ADW_CLAMP (clamp), child);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (sw), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (sw), clamp);
  gtk_widget_set_vexpand (sw, TRUE);
  return sw;
}

static GtkWidget *
build_merge_page (BbConflictsDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *body_sw = gtk_scrolled_window_new ();
  GtkWidget *body_label = gtk_label_new_with_mnemonic (_("_Text (CommonMark)"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Merged Version"));
  GtkWidget *hint = make_label (_("Saving replaces every version of this document with the merged one, "
                                  "here and, after the next sync, at your peers."), "dim-label");

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  self->merge_title = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->merge_title), _("Title"));
  self->merge_summary = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->merge_summary), _("Summary"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->merge_title));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->merge_summary));
  gtk_box_append (GTK_BOX (box), list);

  gtk_label_set_xalign (GTK_LABEL (body_label), 0);
  gtk_widget_add_css_class (body_label, "heading");
  gtk_box_append (GTK_BOX (box), body_label);
  self->merge_body = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->merge_body, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_monospace (self->merge_body, TRUE);
  gtk_text_view_set_top_margin (self->merge_body, 6);
  gtk_text_view_set_bottom_margin (self->merge_body, 6);
  gtk_text_view_set_left_margin (self->merge_body, 6);
  gtk_text_view_set_right_margin (self->merge_body, 6);
  gtk_label_set_mnemonic_widget (GTK_LABEL (body_label), GTK_WIDGET (self->merge_body));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (body_sw), GTK_WIDGET (self->merge_body));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (body_sw), 240);
  gtk_frame_set_child (GTK_FRAME (frame), body_sw);
  gtk_box_append (GTK_BOX (box), frame);

  self->merge_error = GTK_LABEL (make_label ("", "error"));
  gtk_widget_set_visible (GTK_WIDGET (self->merge_error), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->merge_error));
  gtk_box_append (GTK_BOX (box), hint);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_add_css_class (save, "pill");
  gtk_widget_set_halign (save, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_merge_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), save);

  return scrolled (box);
}

static void
bb_conflicts_dialog_constructed (GObject *object)
{
  BbConflictsDialog *self = BB_CONFLICTS_DIALOG (object);

  G_OBJECT_CLASS (bb_conflicts_dialog_parent_class)->constructed (object);
  g_assert (BB_IS_STORE (self->store));
  show_list (self);
}

static void
bb_conflicts_dialog_dispose (GObject *object)
{
  BbConflictsDialog *self = BB_CONFLICTS_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->doc_id, g_free);
  g_clear_pointer (&self->doc_title, g_free);
  g_clear_pointer (&self->merge_base, g_free);

  G_OBJECT_CLASS (bb_conflicts_dialog_parent_class)->dispose (object);
}

static void
bb_conflicts_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BbConflictsDialog *self = BB_CONFLICTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_conflicts_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BbConflictsDialog *self = BB_CONFLICTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_conflicts_dialog_class_init (BbConflictsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bb_conflicts_dialog_constructed;
  object_class->dispose = bb_conflicts_dialog_dispose;
  object_class->get_property = bb_conflicts_dialog_get_property;
  object_class->set_property = bb_conflicts_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_conflicts_dialog_init (BbConflictsDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *list_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *intro = make_label (_("These documents were changed in two places before they were synced. "
                                   "Choose one to see its versions side by side."), "dim-label");
  GtkWidget *versions_page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *versions_intro = make_label (_("Keep one version, or merge them: start from one and edit it. "
                                            "The other versions are deleted here and, after the next sync, "
                                            "at your peers."), "dim-label");

  gtk_window_set_title (GTK_WINDOW (self), _("Conflicts"));
  gtk_window_set_default_size (GTK_WINDOW (self), 900, 640);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  self->window_title = ADW_WINDOW_TITLE (adw_window_title_new (_("Conflicts"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->window_title));
  self->back_button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (self->back_button, _("Back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->back_button);
  gtk_box_append (GTK_BOX (content), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->stack));

  self->empty_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty_page), "emblem-ok-symbolic");
  gtk_stack_add_named (self->stack, self->empty_page, "empty");

  gtk_widget_set_margin_top (list_page, 12);
  gtk_widget_set_margin_bottom (list_page, 12);
  gtk_widget_set_margin_start (list_page, 12);
  gtk_widget_set_margin_end (list_page, 12);
  gtk_box_append (GTK_BOX (list_page), intro);
  self->list_box = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list_box, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_box), "boxed-list");
  g_signal_connect (self->list_box, "row-activated", G_CALLBACK (on_conflict_row_activated_cb), self);
  gtk_box_append (GTK_BOX (list_page), GTK_WIDGET (self->list_box));
  gtk_stack_add_named (self->stack, scrolled (list_page), "list");

  gtk_widget_set_margin_top (versions_page, 12);
  gtk_widget_set_margin_bottom (versions_page, 12);
  gtk_widget_set_margin_start (versions_page, 6);
  gtk_widget_set_margin_end (versions_page, 6);
  gtk_widget_set_margin_start (versions_intro, 6);
  gtk_widget_set_margin_end (versions_intro, 6);
  gtk_box_append (GTK_BOX (versions_page), versions_intro);
  self->versions_error = GTK_LABEL (make_label ("", "error"));
  gtk_widget_set_visible (GTK_WIDGET (self->versions_error), FALSE);
  gtk_box_append (GTK_BOX (versions_page), GTK_WIDGET (self->versions_error));
  /* Side by side; a narrow window scrolls sideways through them, the
   * explanation above stays put */
  self->versions_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
  gtk_box_set_homogeneous (self->versions_box, TRUE);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->versions_box), 12);
  {
    GtkWidget *sw = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (sw), GTK_WIDGET (self->versions_box));
    gtk_widget_set_vexpand (sw, TRUE);
    gtk_box_append (GTK_BOX (versions_page), sw);
    gtk_widget_set_margin_bottom (versions_page, 0);
    gtk_stack_add_named (self->stack, versions_page, "versions");
  }

  gtk_stack_add_named (self->stack, build_merge_page (self), "merge");

  adw_window_set_content (ADW_WINDOW (self), content);
}

GtkWidget *
bb_conflicts_dialog_new (GtkWindow *parent,
                         BbStore   *store)
{
  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  return g_object_new (BB_TYPE_CONFLICTS_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}
