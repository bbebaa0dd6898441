/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-compat.h"
#include "bb-library-editor.h"
#include "bb-markdown-view.h"

/* Below this width the text and its preview are stacked, not side by side. */
#define SIDE_BY_SIDE_MIN_WIDTH 600
#define PREVIEW_DELAY_MS 150

struct _BbLibraryEditor
{
  GtkWidget            parent_instance;

  GtkLabel            *heading_label;
  AdwEntryRow         *title_row;
  GtkLabel            *title_error_label;
  AdwEntryRow         *summary_row;
  AdwComboRow         *type_row;
  AdwExpanderRow      *themes_row;
  AdwEntryRow         *tags_row;
  AdwComboRow         *licence_row;
  GtkBox              *body_box;
  GtkTextView         *body_view;
  GtkBox              *preview_box;
  AdwPreferencesGroup *attachments_group;
  GtkScrolledWindow   *scroller;

  BbStore             *store;
  BbLibraryDocument   *doc;
  GPtrArray           *theme_rows;      /* AdwActionRow, each with a "theme-id" */
  GPtrArray           *attachment_rows; /* AdwActionRow */
  GPtrArray           *licence_ids;     /* char*, in the order of licence_row */
  gulong               attachments_handler;
  guint                preview_source;
  guint                orientation_source;
};

G_DEFINE_FINAL_TYPE (BbLibraryEditor, bb_library_editor, GTK_TYPE_WIDGET)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct {
  const char *id;
  const char *label;
} licences[] = {
  { "CC-BY-4.0", N_("CC BY 4.0 (reuse with credit)") },
  { "CC-BY-SA-4.0", N_("CC BY-SA 4.0 (reuse with credit, share alike)") },
  { "CC0-1.0", N_("CC0 (no conditions)") },
  { "LicenseRef-All-Rights-Reserved", N_("All rights reserved") },
};

const char *
bb_library_licence_get_label (const char *licence_id)
{
  if (licence_id == NULL || licence_id[0] == '\0')
    return _("No licence given");

  for (gsize i = 0; i < G_N_ELEMENTS (licences); i++)
    {
      if (g_ascii_strcasecmp (licences[i].id, licence_id) == 0)
        return _(licences[i].label);
    }

  return licence_id;
}

static char *
escape (const char *text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

static void
update_preview (BbLibraryEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  bb_markdown_view_fill (self->preview_box, text);
}

static gboolean
preview_timeout_cb (gpointer user_data)
{
  BbLibraryEditor *self = user_data;

  self->preview_source = 0;
  update_preview (self);

  return G_SOURCE_REMOVE;
}

static void
on_body_buffer_changed_cb (BbLibraryEditor *self)
{
  /* Typing stays fluent in a long text: render once the user pauses. */
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

static void
show_title_error (BbLibraryEditor *self,
                  const char      *message)
{
  gtk_widget_set_visible (GTK_WIDGET (self->title_error_label), message != NULL);
  gtk_label_set_text (self->title_error_label, message ? message : "");
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->title_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
    }
}

static void
on_title_row_changed_cb (BbLibraryEditor *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->title_error_label)))
    show_title_error (self, NULL);
}

static void
clear_rows (GPtrArray *rows,
            GFunc      remove,
            gpointer   container)
{
  for (guint i = 0; i < rows->len; i++)
    remove (container, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
remove_expander_row (gpointer container,
                     gpointer row)
{
  adw_expander_row_remove (container, row);
}

static void
remove_group_row (gpointer container,
                  gpointer row)
{
  adw_preferences_group_remove (container, row);
}

static void
update_themes_subtitle (BbLibraryEditor *self)
{
  g_autoptr(GString) labels = g_string_new (NULL);

  for (guint i = 0; i < self->theme_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->theme_rows, i);
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");

      if (!gtk_check_button_get_active (check))
        continue;
      if (labels->len > 0)
        g_string_append (labels, ", ");
      g_string_append (labels, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }

  adw_expander_row_set_subtitle (self->themes_row, labels->len > 0 ? labels->str : _("None chosen"));
}

static void
fill_themes (BbLibraryEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) themes = bb_library_list_themes (self->store, &error);
  const char * const *chosen = bb_library_document_get_themes (self->doc);

  clear_rows (self->theme_rows, remove_expander_row, self->themes_row);

  if (themes == NULL)
    {
      g_warning ("Could not read the themes: %s", error->message);
      return;
    }

  for (guint i = 0; i < themes->len; i++)
    {
      BbLibraryTheme *theme = g_ptr_array_index (themes, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *title = escape (theme->label);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_strv_contains (chosen, theme->id));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data_full (G_OBJECT (row), "theme-id", g_strdup (theme->id), g_free);
      g_object_set_data (G_OBJECT (row), "check", check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_themes_subtitle), self);

      adw_expander_row_add_row (self->themes_row, row);
      g_ptr_array_add (self->theme_rows, row);
    }

  update_themes_subtitle (self);
}

static GStrv
chosen_themes (BbLibraryEditor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->theme_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->theme_rows, i);

      if (gtk_check_button_get_active (g_object_get_data (row, "check")))
        g_strv_builder_add (builder, g_object_get_data (row, "theme-id"));
    }

  return g_strv_builder_end (builder);
}

static void
fill_licences (BbLibraryEditor *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char *current = bb_library_document_get_licence (self->doc);
  guint selected = 0;

  g_ptr_array_set_size (self->licence_ids, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (licences); i++)
    {
      gtk_string_list_append (model, _(licences[i].label));
      g_ptr_array_add (self->licence_ids, g_strdup (licences[i].id));
      if (current != NULL && g_ascii_strcasecmp (current, licences[i].id) == 0)
        selected = i;
    }

  /* A peer's document may carry a licence this list lacks: keep it. */
  if (current != NULL && current[0] != '\0' &&
      g_strcmp0 (bb_library_licence_get_label (current), current) == 0)
    {
      gtk_string_list_append (model, current);
      g_ptr_array_add (self->licence_ids, g_strdup (current));
      selected = self->licence_ids->len - 1;
    }

  adw_combo_row_set_model (self->licence_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->licence_row, selected);
}

static void
bb_library_editor_remove_attachment_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *param)
{
  BbLibraryEditor *self = BB_LIBRARY_EDITOR (widget);

  if (self->doc != NULL)
    bb_library_document_remove_attachment (self->doc, g_variant_get_string (param, NULL));
}

static void
rebuild_attachments (BbLibraryEditor *self)
{
  GListModel *attachments = bb_library_document_get_attachments (self->doc);
  guint n = g_list_model_get_n_items (attachments);

  clear_rows (self->attachment_rows, remove_group_row, self->attachments_group);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (attachments, i);
      const char *name = bb_library_attachment_get_name (attachment);
      g_autofree char *title = escape (name);
      g_autofree char *size = g_format_size ((guint64) MAX (bb_library_attachment_get_length (attachment), 0));
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");
      g_autofree char *tooltip = NULL;

      if (bb_library_attachment_get_pending (attachment))
        /* Translators: the size of an attachment that is not saved yet. */
        subtitle = g_strdup_printf (_("%s, added"), size);
      else
        subtitle = g_strdup (size);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("mail-attachment-symbolic"));

      /* Translators: %s is the file name of an attachment. */
      tooltip = g_strdup_printf (_("Remove %s"), name);
      gtk_widget_set_tooltip_text (remove, tooltip);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "editor.remove-attachment");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_preferences_group_add (self->attachments_group, row);
      g_ptr_array_add (self->attachment_rows, row);
    }
}

static void
on_attachments_items_changed_cb (BbLibraryEditor *self)
{
  rebuild_attachments (self);
}

static gboolean
add_attachment_file (BbLibraryEditor *self,
                     GFile           *file)
{
  g_autoptr(GError) error = NULL;

  if (!bb_library_document_add_attachment_file (self->doc, file, NULL, &error))
    {
      bb_compat_show_message (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                              _("Could Not Add the File"), error->message);
      return FALSE;
    }

  return TRUE;
}

static void
on_attachment_chosen_cb (GFile    *file,
                         gpointer  user_data)
{
  g_autoptr(BbLibraryEditor) self = user_data;

  if (file != NULL && self->doc != NULL)
    add_attachment_file (self, file);
}

static void
bb_library_editor_add_attachment_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *param)
{
  BbLibraryEditor *self = BB_LIBRARY_EDITOR (widget);

  if (self->doc == NULL)
    return;

  bb_compat_choose_file (GTK_WINDOW (gtk_widget_get_root (widget)),
                         BB_FILE_CHOOSE_OPEN,
                         _("Add an Attachment"), _("_Add"),
                         NULL, NULL, NULL,
                         on_attachment_chosen_cb, g_object_ref (self));
}

static gboolean
on_drop_cb (GtkDropTarget   *target,
            const GValue    *value,
            double           x,
            double           y,
            BbLibraryEditor *self)
{
  GSList *files;

  if (self->doc == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    {
      if (!add_attachment_file (self, l->data))
        break;
    }

  return TRUE;
}

static GStrv
split_tags (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }

  return g_strv_builder_end (builder);
}

static void
bb_library_editor_save_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BbLibraryEditor *self = BB_LIBRARY_EDITOR (widget);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_auto(GStrv) themes = NULL;
  g_auto(GStrv) tags = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  guint type, licence;

  if (self->doc == NULL || self->store == NULL)
    return;

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  if (title[0] == '\0')
    {
      show_title_error (self, _("Enter a title: it is how others find the document."));
      return;
    }

  buffer = gtk_text_view_get_buffer (self->body_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  themes = chosen_themes (self);
  tags = split_tags (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)));
  type = adw_combo_row_get_selected (self->type_row);
  licence = adw_combo_row_get_selected (self->licence_row);

  bb_library_document_set_title (self->doc, title);
  bb_library_document_set_summary (self->doc, gtk_editable_get_text (GTK_EDITABLE (self->summary_row)));
  bb_library_document_set_body (self->doc, body);
  bb_library_document_set_themes (self->doc, (const char * const *) themes);
  bb_library_document_set_tags (self->doc, (const char * const *) tags);
  if (type <= BB_LIBRARY_DOC_RULE_SET)
    bb_library_document_set_doc_type (self->doc, (BbLibraryDocType) type);
  if (licence < self->licence_ids->len)
    bb_library_document_set_licence (self->doc, g_ptr_array_index (self->licence_ids, licence));

  if (!bb_library_save (self->store, self->doc, &error))
    {
      if (g_error_matches (error, BB_LIBRARY_ERROR, BB_LIBRARY_ERROR_TITLE))
        show_title_error (self, error->message);
      else
        bb_compat_show_message (GTK_WINDOW (gtk_widget_get_root (widget)),
                                _("Could Not Save the Document"), error->message);
      return;
    }

  {
    g_autoptr(BbLibraryDocument) saved = g_object_ref (self->doc);

    bb_library_editor_clear (self);
    g_signal_emit (self, signals[DONE], 0, saved);
  }
}

static void
bb_library_editor_cancel_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  BbLibraryEditor *self = BB_LIBRARY_EDITOR (widget);

  bb_library_editor_clear (self);
  g_signal_emit (self, signals[DONE], 0, NULL);
}

static gboolean
set_orientation_cb (gpointer user_data)
{
  BbLibraryEditor *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  gboolean side_by_side = width >= SIDE_BY_SIDE_MIN_WIDTH;

  self->orientation_source = 0;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->body_box),
                                  side_by_side ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  gtk_box_set_homogeneous (self->body_box, side_by_side);

  return G_SOURCE_REMOVE;
}

static void
bb_library_editor_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  gtk_widget_measure (child, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
bb_library_editor_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  BbLibraryEditor *self = BB_LIBRARY_EDITOR (widget);
  GtkOrientation wanted = width >= SIDE_BY_SIDE_MIN_WIDTH ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL;

  gtk_widget_allocate (gtk_widget_get_first_child (widget), width, height, baseline, NULL);

  /* libadwaita 1.2 has no breakpoints; changing the layout during
   * allocation would start another, so it waits for the next idle. */
  if (wanted != gtk_orientable_get_orientation (GTK_ORIENTABLE (self->body_box)) &&
      self->orientation_source == 0)
    self->orientation_source = g_idle_add (set_orientation_cb, self);
}

static void
bb_library_editor_dispose (GObject *object)
{
  BbLibraryEditor *self = BB_LIBRARY_EDITOR (object);
  GtkWidget *child;

  bb_library_editor_clear (self);
  g_clear_handle_id (&self->orientation_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_LIBRARY_EDITOR);
  /* A plain GtkWidget unparents its own children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (bb_library_editor_parent_class)->dispose (object);
}

static void
bb_library_editor_finalize (GObject *object)
{
  BbLibraryEditor *self = BB_LIBRARY_EDITOR (object);

  g_ptr_array_unref (self->theme_rows);
  g_ptr_array_unref (self->attachment_rows);
  g_ptr_array_unref (self->licence_ids);

  G_OBJECT_CLASS (bb_library_editor_parent_class)->finalize (object);
}

static void
bb_library_editor_class_init (BbLibraryEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_library_editor_dispose;
  object_class->finalize = bb_library_editor_finalize;
  widget_class->measure = bb_library_editor_measure;
  widget_class->size_allocate = bb_library_editor_size_allocate;

  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BB_TYPE_LIBRARY_DOCUMENT);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-library-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, heading_label);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, title_error_label);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, summary_row);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, type_row);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, themes_row);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, licence_row);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, body_box);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, body_view);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, preview_box);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, attachments_group);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryEditor, scroller);
  gtk_widget_class_bind_template_callback (widget_class, on_title_row_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, bb_library_editor_save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, bb_library_editor_cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.add-attachment", NULL, bb_library_editor_add_attachment_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-attachment", "s", bb_library_editor_remove_attachment_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
bb_library_editor_init (BbLibraryEditor *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkDropTarget *drop;

  self->theme_rows = g_ptr_array_new ();
  self->attachment_rows = g_ptr_array_new ();
  self->licence_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (int type = BB_LIBRARY_DOC_PRACTICE; type <= BB_LIBRARY_DOC_RULE_SET; type++)
    gtk_string_list_append (types, bb_library_doc_type_get_label ((BbLibraryDocType) type));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (types));

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->body_view), "changed",
                            G_CALLBACK (on_body_buffer_changed_cb), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

void
bb_library_editor_edit (BbLibraryEditor   *self,
                        BbStore           *store,
                        BbLibraryDocument *doc)
{
  const char *body;
  g_autofree char *tags = NULL;

  g_return_if_fail (BB_IS_LIBRARY_EDITOR (self));
  g_return_if_fail (BB_IS_STORE (store));
  g_return_if_fail (BB_IS_LIBRARY_DOCUMENT (doc));

  bb_library_editor_clear (self);
  g_set_object (&self->store, store);
  g_set_object (&self->doc, doc);

  gtk_label_set_text (self->heading_label,
                      bb_library_document_get_id (doc) ? _("Edit Document") : _("New Document"));
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), bb_library_document_get_title (doc) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->summary_row), bb_library_document_get_summary (doc) ?: "");
  tags = g_strjoinv (", ", (char **) bb_library_document_get_tags (doc));
  gtk_editable_set_text (GTK_EDITABLE (self->tags_row), tags);
  adw_combo_row_set_selected (self->type_row, (guint) bb_library_document_get_doc_type (doc));
  body = bb_library_document_get_body (doc);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), body ? body : "", -1);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  update_preview (self);
  show_title_error (self, NULL);

  fill_themes (self);
  fill_licences (self);
  self->attachments_handler =
    g_signal_connect_swapped (bb_library_document_get_attachments (doc), "items-changed",
                              G_CALLBACK (on_attachments_items_changed_cb), self);
  rebuild_attachments (self);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

void
bb_library_editor_clear (BbLibraryEditor *self)
{
  g_return_if_fail (BB_IS_LIBRARY_EDITOR (self));

  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->doc != NULL && self->attachments_handler != 0)
    g_signal_handler_disconnect (bb_library_document_get_attachments (self->doc),
                                 self->attachments_handler);
  self->attachments_handler = 0;
  if (self->themes_row != NULL)
    clear_rows (self->theme_rows, remove_expander_row, self->themes_row);
  if (self->attachments_group != NULL)
    clear_rows (self->attachment_rows, remove_group_row, self->attachments_group);
  g_clear_object (&self->doc);
  g_clear_object (&self->store);
}

BbLibraryDocument *
bb_library_editor_get_document (BbLibraryEditor *self)
{
  g_return_val_if_fail (BB_IS_LIBRARY_EDITOR (self), NULL);

  return self->doc;
}
