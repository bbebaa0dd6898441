/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bb-compat.h"
#include "bb-date.h"
#include "bb-library.h"
#include "bb-library-editor.h"
#include "bb-library-page.h"
#include "bb-markdown.h"
#include "bb-markdown-view.h"

/* How many search results the list shows; the best come first. */
#define SEARCH_LIMIT 40
#define SNIPPET_CHARS 140
/* A GtkListBox row per document gets slow in the thousands; past this the
 * list says how many more there are, and search or a filter finds them. */
#define LIST_LIMIT 100

struct _BbLibraryPage
{
  AdwBin               parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *main_stack;
  AdwLeaflet          *leaflet;
  GtkWidget           *sidebar;
  GtkSearchEntry      *search_entry;
  GtkMenuButton       *filter_button;
  GtkDropDown         *type_dropdown;
  GtkDropDown         *theme_dropdown;
  GtkDropDown         *origin_dropdown;
  GtkStack            *list_stack;
  GtkListBox          *list_box;
  AdwStatusPage       *no_results_status;
  GtkWidget           *content;
  GtkWidget           *back_button;
  GtkWidget           *use_button;
  GtkWidget           *edit_button;
  GtkWidget           *delete_button;
  GtkStack            *content_stack;
  GtkScrolledWindow   *reader_scroller;
  GtkLabel            *title_label;
  GtkLabel            *origin_label;
  GtkLabel            *summary_label;
  GtkFlowBox          *pills_box;
  GtkLabel            *licence_label;
  GtkBox              *body_box;
  AdwPreferencesGroup *attachments_group;
  BbStore             *store;
  BbLibraryEditor     *editor;         /* made on first use */
  gulong               changed_handler;
  /* Read the library the next time the page is shown. */
  gboolean             stale;
  gboolean             updating_filters;
  BbLibraryDocument   *current;
  GPtrArray           *theme_ids;      /* char*, index 0 = every theme */
  GPtrArray           *origin_ids;     /* char*, index 0 = every council */
  GPtrArray           *attachment_rows;
  char                *open_dir;       /* where opened attachments are written */
};

G_DEFINE_FINAL_TYPE (BbLibraryPage, bb_library_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh_list (BbLibraryPage *self);

static GtkWindow *
get_window (BbLibraryPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
add_toast (BbLibraryPage *self,
           const char    *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
show_error (BbLibraryPage *self,
            const char    *heading,
            const GError  *error)
{
  bb_compat_show_message (get_window (self), heading, error->message);
}

static gboolean
is_editing (BbLibraryPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "editor") == 0;
}

static void
update_actions (BbLibraryPage *self)
{
  gboolean editing = is_editing (self);
  gboolean reading = self->current != NULL && !editing;
  gboolean own = reading && bb_library_document_get_is_own (self->current);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "library.edit", own);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "library.delete", reading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "library.use-as-own", reading && !own);
  gtk_widget_set_visible (self->edit_button, reading && own);
  gtk_widget_set_visible (self->use_button, reading && !own);
  gtk_widget_set_visible (self->delete_button, reading);
  /* The editor has its own Cancel. */
  gtk_widget_set_visible (gtk_widget_get_parent (self->back_button), !editing);
}

/* ------------------------------------------------------------------ */
/* Filters */

static void
set_dropdown_strings (GtkDropDown *dropdown,
                      GPtrArray   *labels,
                      guint        selected)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    gtk_string_list_append (model, g_ptr_array_index (labels, i));
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (dropdown, selected);
}

static guint
find_id (GPtrArray  *ids,
         const char *id)
{
  for (guint i = 1; id != NULL && i < ids->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (ids, i), id) == 0)
        return i;
    }

  return 0;
}

static void
fill_filters (BbLibraryPage *self,
              GPtrArray     *origins)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) themes = bb_library_list_themes (self->store, NULL);
  g_autofree char *theme_id = NULL;
  g_autofree char *origin_id = NULL;
  guint type = gtk_drop_down_get_selected (self->type_dropdown);
  const char *own_id = bb_store_get_council_id (self->store);

  theme_id = g_strdup (g_ptr_array_index (self->theme_ids, MIN (gtk_drop_down_get_selected (self->theme_dropdown), self->theme_ids->len - 1)));
  origin_id = g_strdup (g_ptr_array_index (self->origin_ids, MIN (gtk_drop_down_get_selected (self->origin_dropdown), self->origin_ids->len - 1)));

  self->updating_filters = TRUE;

  g_ptr_array_add (labels, g_strdup (_("All types")));
  for (int t = BB_LIBRARY_DOC_PRACTICE; t <= BB_LIBRARY_DOC_RULE_SET; t++)
    g_ptr_array_add (labels, g_strdup (bb_library_doc_type_get_label ((BbLibraryDocType) t)));
  set_dropdown_strings (self->type_dropdown, labels, type == GTK_INVALID_LIST_POSITION ? 0 : type);

  g_ptr_array_set_size (labels, 0);
  g_ptr_array_set_size (self->theme_ids, 1);
  g_ptr_array_add (labels, g_strdup (_("All themes")));
  for (guint i = 0; themes != NULL && i < themes->len; i++)
    {
      BbLibraryTheme *theme = g_ptr_array_index (themes, i);

      g_ptr_array_add (labels, g_strdup (theme->label));
      g_ptr_array_add (self->theme_ids, g_strdup (theme->id));
    }
  set_dropdown_strings (self->theme_dropdown, labels, find_id (self->theme_ids, theme_id));

  /* The councils the library holds documents from, the own one first. */
  g_ptr_array_set_size (labels, 0);
  g_ptr_array_set_size (self->origin_ids, 1);
  g_ptr_array_add (labels, g_strdup (_("All councils")));
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; origins != NULL && i < origins->len; i++)
        {
          BbLibraryOrigin *origin = g_ptr_array_index (origins, i);
          gboolean own = g_strcmp0 (origin->council_id, own_id) == 0;

          if ((pass == 0) != own)
            continue;

          g_ptr_array_add (self->origin_ids, g_strdup (origin->council_id));
          if (own)
            /* Translators: the filter entry for the documents of the council itself. */
            g_ptr_array_add (labels, g_strdup_printf (_("%s (own)"), origin->name ? origin->name : ""));
          else
            g_ptr_array_add (labels, g_strdup (origin->name && origin->name[0] ? origin->name : origin->council_id));
        }
    }
  set_dropdown_strings (self->origin_dropdown, labels, find_id (self->origin_ids, origin_id));

  self->updating_filters = FALSE;
}

static void
get_filter (BbLibraryPage   *self,
            BbLibraryFilter *filter)
{
  guint type = gtk_drop_down_get_selected (self->type_dropdown);
  guint theme = gtk_drop_down_get_selected (self->theme_dropdown);
  guint origin = gtk_drop_down_get_selected (self->origin_dropdown);

  *filter = (BbLibraryFilter) BB_LIBRARY_FILTER_INIT;
  if (type != GTK_INVALID_LIST_POSITION && type > 0)
    {
      filter->any_type = FALSE;
      filter->type = (BbLibraryDocType) (type - 1);
    }
  if (theme != GTK_INVALID_LIST_POSITION && theme > 0 && theme < self->theme_ids->len)
    filter->theme = g_ptr_array_index (self->theme_ids, theme);
  if (origin != GTK_INVALID_LIST_POSITION && origin > 0 && origin < self->origin_ids->len)
    filter->origin_council = g_ptr_array_index (self->origin_ids, origin);
}

static gboolean
filter_active (const BbLibraryFilter *filter)
{
  return !filter->any_type || filter->theme != NULL || filter->origin_council != NULL;
}

static void
on_filter_changed_cb (BbLibraryPage *self)
{
  if (!self->updating_filters)
    refresh_list (self);
}

/* ------------------------------------------------------------------ */
/* The list */

/* Search results come as text with each match between
 * BB_LIBRARY_MATCH_START and BB_LIBRARY_MATCH_END. Everything is escaped;
 * a match gets a highlight that shows in a bold title too. */
static char *
marked_to_markup (const char *marked)
{
  g_autofree char *valid = g_utf8_make_valid (marked ? marked : "", -1);
  g_autoptr(GString) markup = g_string_new (NULL);
  gboolean inside = FALSE;
  const char *p = valid;

  while (*p != '\0')
    {
      gsize len = strcspn (p, BB_LIBRARY_MATCH_START BB_LIBRARY_MATCH_END);
      g_autofree char *escaped = g_markup_escape_text (p, (gssize) len);

      g_string_append (markup, escaped);
      p += len;
      if (*p == '\0')
        break;

      if (*p == BB_LIBRARY_MATCH_START[0] && !inside)
        g_string_append (markup, "<span weight=\"bold\" background=\"#f8e45c\" bgalpha=\"45%\">");
      else if (*p == BB_LIBRARY_MATCH_END[0] && inside)
        g_string_append (markup, "</span>");
      inside = (*p == BB_LIBRARY_MATCH_START[0]) ? TRUE : (*p == BB_LIBRARY_MATCH_END[0]) ? FALSE : inside;
      p++;
    }

  if (inside)
    g_string_append (markup, "</span>");

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

static GtkWidget *
make_row (BbLibraryDocument *doc,
          const char        *title_markup,
          const char        *subtitle_markup)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *meta = gtk_label_new (NULL);
  g_autofree char *meta_text = NULL;
  g_autofree char *plain_title = NULL;
  const char *type = bb_library_doc_type_get_label (bb_library_document_get_doc_type (doc));

  gtk_label_set_markup (GTK_LABEL (title), title_markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  /* Keeps the list's natural width modest so the reader gets the room. */
  gtk_label_set_max_width_chars (GTK_LABEL (title), 32);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  if (subtitle_markup != NULL && subtitle_markup[0] != '\0')
    {
      /* One line: wrapped labels cost several measurements each, and a
       * search refills the whole list on every pause in typing. */
      gtk_label_set_markup (GTK_LABEL (subtitle), subtitle_markup);
      gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
      gtk_label_set_single_line_mode (GTK_LABEL (subtitle), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 40);
      gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (subtitle, "caption");
      gtk_box_append (GTK_BOX (box), subtitle);
    }
  else
    {
      g_object_ref_sink (subtitle);
      g_object_unref (subtitle);
    }

  if (bb_library_document_get_is_own (doc))
    meta_text = g_strdup (type);
  else
    /* Translators: in the document list: "<type> · <council it comes from>". */
    meta_text = g_strdup_printf (_("%s · %s"), type,
                                 bb_library_document_get_origin_council_name (doc) ?: "");
  gtk_label_set_text (GTK_LABEL (meta), meta_text);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (meta), 40);
  gtk_widget_add_css_class (meta, "caption");
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_box_append (GTK_BOX (box), meta);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "doc-id",
                          g_strdup (bb_library_document_get_id (doc)), g_free);

  plain_title = g_strdup (bb_library_document_get_title (doc));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, plain_title ? plain_title : "",
                                  -1);

  return row;
}

static void
remove_all_rows (GtkListBox *list_box)
{
  GtkWidget *row;

  /* gtk_list_box_remove_all() is GTK 4.12. */
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (list_box))) != NULL)
    gtk_list_box_remove (list_box, row);
}

static void
select_current_row (BbLibraryPage *self)
{
  const char *id = self->current ? bb_library_document_get_id (self->current) : NULL;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (id != NULL && g_strcmp0 (g_object_get_data (G_OBJECT (row), "doc-id"), id) == 0)
        {
          gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (row));
          return;
        }
    }

  gtk_list_box_unselect_all (self->list_box);
}

static void
refresh_list (BbLibraryPage *self)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_autoptr(GListModel) items = NULL;
  g_autoptr(GError) error = NULL;
  BbLibraryFilter filter;
  gboolean searching = query[0] != '\0';
  guint total = 0;
  guint n;

  if (self->store == NULL)
    return;

  get_filter (self, &filter);
  if (filter_active (&filter))
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");

  remove_all_rows (self->list_box);

  if (searching)
    items = bb_library_search (self->store, query, &filter, SEARCH_LIMIT, &error);
  else
    items = bb_library_list_limited (self->store, &filter, LIST_LIMIT, &total, &error);

  if (items == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The library could not be read: %s"), error->message);

      adw_status_page_set_title (self->no_results_status, _("Library Not Available"));
      adw_status_page_set_description (self->no_results_status, message);
      gtk_stack_set_visible_child_name (self->list_stack, "no-results");
      return;
    }

  n = g_list_model_get_n_items (items);
  if (searching)
    total = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      BbLibraryDocument *doc;

      if (searching)
        {
          BbLibrarySearchResult *result = BB_LIBRARY_SEARCH_RESULT (item);
          g_autofree char *snippet = NULL;

          doc = bb_library_search_result_get_document (result);
          title = marked_to_markup (bb_library_search_result_get_title (result));
          /* The snippet is a piece of the CommonMark source: show it as
           * the reader would see it, without the syntax. */
          snippet = bb_markdown_to_plain_text (bb_library_search_result_get_snippet (result), 0);
          subtitle = marked_to_markup (snippet);
        }
      else
        {
          const char *summary;
          g_autofree char *plain = NULL;

          doc = BB_LIBRARY_DOCUMENT (item);
          summary = bb_library_document_get_summary (doc);
          title = g_markup_escape_text (bb_library_document_get_title (doc) ?: "", -1);
          if (summary != NULL && summary[0] != '\0')
            plain = g_strdup (summary);
          else
            plain = bb_markdown_to_plain_text (bb_library_document_get_body (doc), SNIPPET_CHARS);
          subtitle = g_markup_escape_text (plain, -1);
        }

      gtk_list_box_append (self->list_box, make_row (doc, title, subtitle));
    }

  if (total > n)
    {
      guint more = total - n;
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more document: search or filter to find it",
                                                            "%u more documents: search or filter to find them",
                                                            more), more);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->list_box, row);
    }

  if (n == 0)
    {
      g_autofree char *description = NULL;

      if (searching)
        /* Translators: %s is what the user searched for. */
        description = g_strdup_printf (_("No document matches “%s”. Try fewer or shorter words."), query);
      else
        description = g_strdup (_("No document matches the filter."));

      adw_status_page_set_title (self->no_results_status, _("No Results"));
      adw_status_page_set_description (self->no_results_status, description);
      gtk_stack_set_visible_child_name (self->list_stack, "no-results");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      select_current_row (self);
    }
}

/* Reads everything again: the filters' choices, the list, the reader. */
static void
reload (BbLibraryPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) none = NULL;
  g_autoptr(GPtrArray) origins = NULL;
  guint total = 0;

  if (self->store == NULL)
    return;

  self->stale = FALSE;
  none = bb_library_list_limited (self->store, NULL, 0, &total, &error);
  if (none == NULL)
    {
      g_warning ("Could not read the library: %s", error->message);
      return;
    }

  origins = bb_library_list_origins (self->store, NULL);
  fill_filters (self, origins);

  if (total == 0 && !is_editing (self))
    {
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      g_clear_object (&self->current);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->main_stack, "library");
    }

  /* The document shown may have changed or gone (a sync, an undo). */
  if (self->current != NULL && !is_editing (self))
    {
      g_autofree char *id = g_strdup (bb_library_document_get_id (self->current));

      if (!bb_library_page_show_document (self, id))
        {
          g_clear_object (&self->current);
          gtk_stack_set_visible_child_name (self->content_stack, "none");
        }
    }

  refresh_list (self);
  update_actions (self);
}

static void
on_store_changed_cb (BbStore       *store,
                     BbLibraryPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  else
    self->stale = TRUE;
}

static void
on_search_entry_search_changed_cb (BbLibraryPage *self)
{
  refresh_list (self);
}

static void
on_search_entry_activate_cb (BbLibraryPage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->list_box, 0);

  /* Enter opens the best match. */
  if (first != NULL)
    g_signal_emit_by_name (self->list_box, "row-activated", first);
}

static void
on_search_entry_stop_search_cb (BbLibraryPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_list_box_row_activated_cb (BbLibraryPage *self,
                              GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "doc-id");

  if (is_editing (self))
    return;

  if (id != NULL && bb_library_page_show_document (self, id))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* ------------------------------------------------------------------ */
/* The reader */

static GtkWidget *
make_pill (const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_widget_add_css_class (label, "library-pill");
  gtk_widget_add_css_class (label, style);

  return label;
}

static char *
format_updated (const char *iso)
{
  g_autoptr(GDateTime) datetime = iso ? bb_date_time_from_iso (iso) : NULL;
  g_autoptr(GDateTime) local = NULL;
  GDate date;

  if (datetime == NULL)
    return NULL;

  local = g_date_time_to_local (datetime);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));

  return bb_date_format_long (&date);
}

static char *
make_licence_markup (BbLibraryPage     *self,
                     BbLibraryDocument *doc)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autofree char *updated = format_updated (bb_library_document_get_updated_at (doc));
  g_autofree char *licence = g_markup_escape_text (bb_library_licence_get_label (bb_library_document_get_licence (doc)), -1);
  const char *derived_id = bb_library_document_get_derived_from_id (doc);

  /* Translators: %s is the name of a licence, such as "CC BY 4.0". */
  g_string_append_printf (markup, _("Licence: %s"), licence);

  if (updated != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (updated, -1);

      g_string_append (markup, " · ");
      /* Translators: %s is a date like "22 November 2026". */
      g_string_append_printf (markup, _("Updated %s"), escaped);
    }

  if (derived_id != NULL)
    {
      g_autoptr(BbLibraryDocument) original = bb_library_get (self->store, derived_id, NULL);
      g_autofree char *council = g_markup_escape_text (bb_library_document_get_derived_from_council (doc) ?: "", -1);
      g_autofree char *original_licence = g_markup_escape_text (bb_library_licence_get_label (bb_library_document_get_derived_from_licence (doc)), -1);

      g_string_append_c (markup, '\n');
      if (original != NULL)
        {
          g_autofree char *title = g_markup_escape_text (bb_library_document_get_title (original) ?: "", -1);

          /* Translators: attribution of a reused document: "Based on
           * “<original title>” by <council> (<licence>)". */
          g_string_append_printf (markup, _("Based on “%s” by %s (%s)"), title, council, original_licence);
        }
      else
        {
          /* Translators: attribution of a reused document whose original
           * is not in this library: "Based on a document by <council> (<licence>)". */
          g_string_append_printf (markup, _("Based on a document by %s (%s)"), council, original_licence);
        }
    }

  if (bb_library_document_get_has_conflicts (doc))
    {
      g_string_append_c (markup, '\n');
      g_string_append_printf (markup, "<b>%s</b>",
                              _("This document was changed in two places at once; the newest version is shown."));
    }

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

static void
fill_attachments (BbLibraryPage     *self,
                  BbLibraryDocument *doc)
{
  GListModel *attachments = bb_library_document_get_attachments (doc);
  guint n = g_list_model_get_n_items (attachments);

  for (guint i = 0; i < self->attachment_rows->len; i++)
    adw_preferences_group_remove (self->attachments_group, g_ptr_array_index (self->attachment_rows, i));
  g_ptr_array_set_size (self->attachment_rows, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->attachments_group), n > 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (attachments, i);
      const char *name = bb_library_attachment_get_name (attachment);
      const char *content_type = bb_library_attachment_get_content_type (attachment);
      g_autofree char *title = g_markup_escape_text (name, -1);
      g_autofree char *size = g_format_size ((guint64) MAX (bb_library_attachment_get_length (attachment), 0));
      g_autofree char *description = content_type ? g_content_type_get_description (content_type) : NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));
      GtkWidget *save = gtk_button_new_from_icon_name ("document-save-as-symbolic");

      if (description != NULL)
        {
          g_autofree char *text = g_strdup_printf ("%s · %s", size, description);

          subtitle = g_markup_escape_text (text, -1);
        }
      else
        {
          subtitle = g_strdup (size);
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("mail-attachment-symbolic"));

      gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "library.open-attachment");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);

      gtk_widget_set_valign (save, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (save, _("Save As…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "library.save-attachment");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (save), "s", name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), save);

      adw_preferences_group_add (self->attachments_group, row);
      g_ptr_array_add (self->attachment_rows, row);
    }
}

static void
fill_reader (BbLibraryPage     *self,
             BbLibraryDocument *doc)
{
  const char * const *themes = bb_library_document_get_themes (doc);
  const char * const *tags = bb_library_document_get_tags (doc);
  const char *summary = bb_library_document_get_summary (doc);
  const char *municipality = bb_library_document_get_origin_municipality (doc);
  const char *council = bb_library_document_get_origin_council_name (doc);
  const char *type = bb_library_doc_type_get_label (bb_library_document_get_doc_type (doc));
  g_autofree char *origin = NULL;
  g_autofree char *licence = make_licence_markup (self, doc);
  GtkWidget *child;

  gtk_label_set_text (self->title_label, bb_library_document_get_title (doc));

  if (municipality != NULL && municipality[0] != '\0')
    /* Translators: "<type> · <council>, <municipality>". */
    origin = g_strdup_printf (_("%s · %s, %s"), type, council ?: "", municipality);
  else
    /* Translators: "<type> · <council>". */
    origin = g_strdup_printf (_("%s · %s"), type, council ?: "");
  gtk_label_set_text (self->origin_label, origin);

  gtk_label_set_text (self->summary_label, summary ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary != NULL && summary[0] != '\0');

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pills_box))) != NULL)
    gtk_flow_box_remove (self->pills_box, child);
  for (guint i = 0; themes[i] != NULL; i++)
    {
      g_autofree char *label = bb_library_get_theme_label (self->store, themes[i]);

      gtk_flow_box_append (self->pills_box, make_pill (label, "library-theme"));
    }
  for (guint i = 0; tags[i] != NULL; i++)
    {
      /* Translators: a tag as shown on a document, "#burendag". */
      g_autofree char *label = g_strdup_printf (_("#%s"), tags[i]);

      gtk_flow_box_append (self->pills_box, make_pill (label, "library-tag"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->pills_box), themes[0] != NULL || tags[0] != NULL);

  gtk_label_set_markup (self->licence_label, licence);
  bb_markdown_view_fill (self->body_box, bb_library_document_get_body (doc));
  fill_attachments (self, doc);
}

gboolean
bb_library_page_show_document (BbLibraryPage *self,
                               const char    *id)
{
  g_autoptr(BbLibraryDocument) doc = NULL;
  gboolean same;

  g_return_val_if_fail (BB_IS_LIBRARY_PAGE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->store == NULL)
    return FALSE;

  doc = bb_library_get (self->store, id, NULL);
  if (doc == NULL)
    return FALSE;

  same = self->current != NULL &&
         g_strcmp0 (bb_library_document_get_id (self->current), id) == 0;
  g_set_object (&self->current, doc);
  fill_reader (self, doc);
  gtk_stack_set_visible_child_name (self->content_stack, "reader");
  if (!same)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->reader_scroller), 0);
  select_current_row (self);
  update_actions (self);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Actions */

static void on_editor_done_cb (BbLibraryPage     *self,
                               BbLibraryDocument *saved);

static void
start_editing (BbLibraryPage     *self,
               BbLibraryDocument *doc)
{
  if (self->editor == NULL)
    {
      self->editor = g_object_new (BB_TYPE_LIBRARY_EDITOR, NULL);
      g_signal_connect_swapped (self->editor, "done", G_CALLBACK (on_editor_done_cb), self);
      gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->editor), "editor");
    }

  gtk_stack_set_visible_child_name (self->main_stack, "library");
  gtk_stack_set_visible_child_name (self->content_stack, "editor");
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  bb_library_editor_edit (self->editor, self->store, doc);
  update_actions (self);
}

static void
on_editor_done_cb (BbLibraryPage     *self,
                   BbLibraryDocument *saved)
{
  gtk_stack_set_visible_child_name (self->content_stack, "none");

  if (saved != NULL)
    {
      g_autofree char *id = g_strdup (bb_library_document_get_id (saved));

      add_toast (self, _("Document saved"));
      reload (self);
      bb_library_page_show_document (self, id);
    }
  else
    {
      if (self->current != NULL)
        {
          g_autofree char *id = g_strdup (bb_library_document_get_id (self->current));

          if (!bb_library_page_show_document (self, id))
            g_clear_object (&self->current);
        }
      reload (self);
      if (self->current == NULL)
        adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
    }

  update_actions (self);
}

static void
bb_library_page_new_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);
  g_autoptr(BbLibraryDocument) doc = NULL;

  if (self->store == NULL || is_editing (self))
    return;

  doc = bb_library_document_new ();
  start_editing (self, doc);
}

static void
bb_library_page_edit_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);
  g_autoptr(BbLibraryDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  if (self->current == NULL || is_editing (self))
    return;

  /* A fresh copy: cancelling leaves the one on screen untouched. */
  doc = bb_library_get (self->store, bb_library_document_get_id (self->current), &error);
  if (doc == NULL)
    {
      show_error (self, _("Could Not Open the Document"), error);
      return;
    }

  start_editing (self, doc);
}

static void
bb_library_page_delete_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);
  g_autoptr(BbLibraryDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self->current == NULL || is_editing (self))
    return;

  doc = g_object_ref (self->current);
  if (!bb_library_delete (self->store, bb_library_document_get_id (doc), NULL, &error))
    {
      show_error (self, _("Could Not Delete the Document"), error);
      return;
    }

  g_clear_object (&self->current);
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  reload (self);

  /* Translators: %s is a document title. */
  title = g_strdup_printf (_("“%s” deleted"), bb_library_document_get_title (doc));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "library.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (bb_library_document_get_id (doc)));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
bb_library_page_undo_delete_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);
  const char *id = g_variant_get_string (param, NULL);
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;

  if (!bb_library_undelete (self->store, id, NULL, &error))
    {
      show_error (self, _("Could Not Restore the Document"), error);
      return;
    }

  reload (self);
  if (!is_editing (self) && bb_library_page_show_document (self, id))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
bb_library_page_use_as_own_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);
  g_autoptr(BbLibraryDocument) copy = NULL;
  g_autoptr(GError) error = NULL;

  if (self->current == NULL || is_editing (self))
    return;

  copy = bb_library_use_as_own (self->store, bb_library_document_get_id (self->current), &error);
  if (copy == NULL)
    {
      show_error (self, _("Could Not Copy the Document"), error);
      return;
    }

  /* The copy is saved; the user adapts it to the own council now. */
  g_set_object (&self->current, copy);
  add_toast (self, _("Copied into your own library"));
  start_editing (self, copy);
}

static void
bb_library_page_back_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
bb_library_page_search_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "library") != 0 || is_editing (self))
    return;

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* A file name that stays inside the folder it is written to, whatever a
 * peer's attachment is called. */
static char *
safe_file_name (const char *name)
{
  GString *safe = g_string_new (NULL);

  for (const char *p = name; p != NULL && *p != '\0'; p++)
    g_string_append_c (safe, (*p == '/' || *p == '\\' || g_ascii_iscntrl (*p)) ? '_' : *p);
  while (safe->len > 0 && safe->str[0] == '.')
    g_string_erase (safe, 0, 1);
  if (safe->len == 0)
    g_string_append (safe, "attachment");

  return g_string_free (safe, FALSE);
}

static BbLibraryAttachment *
find_attachment (BbLibraryPage *self,
                 const char    *name)
{
  GListModel *attachments = bb_library_document_get_attachments (self->current);

  for (guint i = 0; i < g_list_model_get_n_items (attachments); i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (attachments, i);

      if (g_strcmp0 (bb_library_attachment_get_name (attachment), name) == 0)
        return g_steal_pointer (&attachment);
    }

  return NULL;
}

static void
bb_library_page_open_attachment_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);
  g_autoptr(BbLibraryAttachment) attachment = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *uri = NULL;
  const char *content_type;

  if (self->current == NULL || (attachment = find_attachment (self, name)) == NULL)
    return;

  /* A program or script from another council is never started by a
   * click: it can only be saved, and the user decides what to do with it. */
  content_type = bb_library_attachment_get_content_type (attachment);
  if (content_type != NULL && g_content_type_can_be_executable (content_type) &&
      !g_content_type_is_a (content_type, "text/plain"))
    {
      bb_compat_show_message (get_window (self), _("This File Is Not Opened"),
                              _("It could be a program. Save it with “Save As…” if you trust it."));
      return;
    }

  if (self->open_dir == NULL)
    {
      self->open_dir = g_dir_make_tmp ("buurtboek-XXXXXX", &error);
      if (self->open_dir == NULL)
        {
          show_error (self, _("Could Not Open the Attachment"), error);
          return;
        }
    }

  file_name = safe_file_name (name);
  file = g_file_new_build_filename (self->open_dir, file_name, NULL);
  if (!bb_library_save_attachment_to (self->store,
                                      bb_library_document_get_id (self->current),
                                      bb_library_document_get_rev (self->current),
                                      name, file, TRUE, NULL, &error))
    {
      show_error (self, _("Could Not Open the Attachment"), error);
      return;
    }

  uri = g_file_get_uri (file);
  gtk_show_uri (get_window (self), uri, GDK_CURRENT_TIME);
}

typedef struct {
  BbLibraryPage *self;
  char          *id;
  char          *rev;
  char          *name;
} SaveAttachmentData;

static void
save_attachment_data_free (SaveAttachmentData *data)
{
  g_object_unref (data->self);
  g_free (data->id);
  g_free (data->rev);
  g_free (data->name);
  g_free (data);
}

static void
on_save_attachment_chosen_cb (GFile    *file,
                              gpointer  user_data)
{
  SaveAttachmentData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (file != NULL && data->self->store != NULL)
    {
      /* The chooser has asked before replacing a file. */
      if (bb_library_save_attachment_to (data->self->store, data->id, data->rev, data->name,
                                         file, TRUE, NULL, &error))
        {
          g_autofree char *basename = g_file_get_basename (file);
          /* Translators: %s is a file name. */
          g_autofree char *text = g_strdup_printf (_("Saved as %s"), basename);

          add_toast (data->self, text);
        }
      else
        {
          show_error (data->self, _("Could Not Save the Attachment"), error);
        }
    }

  save_attachment_data_free (data);
}

static void
bb_library_page_save_attachment_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);
  g_autofree char *file_name = NULL;
  SaveAttachmentData *data;

  if (self->current == NULL)
    return;

  data = g_new0 (SaveAttachmentData, 1);
  data->self = g_object_ref (self);
  data->id = g_strdup (bb_library_document_get_id (self->current));
  data->rev = g_strdup (bb_library_document_get_rev (self->current));
  data->name = g_strdup (name);
  file_name = safe_file_name (name);

  bb_compat_choose_file (get_window (self), BB_FILE_CHOOSE_SAVE,
                         _("Save the Attachment"), _("_Save"),
                         NULL, file_name, NULL,
                         on_save_attachment_chosen_cb, data);
}

/* ------------------------------------------------------------------ */

static void
bb_library_page_map (GtkWidget *widget)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (widget);

  GTK_WIDGET_CLASS (bb_library_page_parent_class)->map (widget);

  /* Read lazily: opening a council does not pay for the library. */
  if (self->stale)
    reload (self);

  /* Documents a peer sent before the file was last closed may still wait
   * for the search index: catch up in the background, not in a search. */
  if (self->store != NULL && !bb_store_is_read_only (self->store))
    bb_library_schedule_index_flush (self->store);
}

static void
bb_library_page_dispose (GObject *object)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->store);
  g_clear_object (&self->current);
  /* The bin's child is a bound template child: let go of it once, here,
   * not again in AdwBin's dispose. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_LIBRARY_PAGE);
  /* It lived in the content stack, gone with the template. */
  self->editor = NULL;

  G_OBJECT_CLASS (bb_library_page_parent_class)->dispose (object);
}

static void
bb_library_page_finalize (GObject *object)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (object);

  g_ptr_array_unref (self->theme_ids);
  g_ptr_array_unref (self->origin_ids);
  g_ptr_array_unref (self->attachment_rows);
  g_free (self->open_dir);

  G_OBJECT_CLASS (bb_library_page_parent_class)->finalize (object);
}

static void
bb_library_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (object);

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
bb_library_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BbLibraryPage *self = BB_LIBRARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      bb_library_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_library_page_class_init (BbLibraryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_library_page_dispose;
  object_class->finalize = bb_library_page_finalize;
  object_class->get_property = bb_library_page_get_property;
  object_class->set_property = bb_library_page_set_property;
  widget_class->map = bb_library_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BB_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-library-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, sidebar);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, theme_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, origin_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, no_results_status);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, content);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, use_button);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, reader_scroller);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, origin_label);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, pills_box);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, licence_label);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, body_box);
  gtk_widget_class_bind_template_child (widget_class, BbLibraryPage, attachments_group);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_box_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "library.new", NULL, bb_library_page_new_action);
  gtk_widget_class_install_action (widget_class, "library.edit", NULL, bb_library_page_edit_action);
  gtk_widget_class_install_action (widget_class, "library.delete", NULL, bb_library_page_delete_action);
  gtk_widget_class_install_action (widget_class, "library.undo-delete", "s", bb_library_page_undo_delete_action);
  gtk_widget_class_install_action (widget_class, "library.use-as-own", NULL, bb_library_page_use_as_own_action);
  gtk_widget_class_install_action (widget_class, "library.back", NULL, bb_library_page_back_action);
  gtk_widget_class_install_action (widget_class, "library.search", NULL, bb_library_page_search_action);
  gtk_widget_class_install_action (widget_class, "library.open-attachment", "s", bb_library_page_open_attachment_action);
  gtk_widget_class_install_action (widget_class, "library.save-attachment", "s", bb_library_page_save_attachment_action);
}

static void
bb_library_page_init (BbLibraryPage *self)
{
  GtkEventController *shortcuts;

  self->theme_ids = g_ptr_array_new_with_free_func (g_free);
  self->origin_ids = g_ptr_array_new_with_free_func (g_free);
  self->attachment_rows = g_ptr_array_new ();
  g_ptr_array_add (self->theme_ids, NULL);
  g_ptr_array_add (self->origin_ids, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Ctrl+F and Ctrl+N work while this page is the one shown, wherever the
   * focus is in the window (the view switcher, say); "managed" shortcuts
   * of a page that is not shown do not fire. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>f"),
                                                          gtk_named_action_new ("library.search")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>n"),
                                                          gtk_named_action_new ("library.new")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_swapped (self->type_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->theme_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->origin_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);

  gtk_stack_set_visible_child_name (self->main_stack, "library");
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  update_actions (self);
}

void
bb_library_page_set_store (BbLibraryPage *self,
                           BbStore       *store)
{
  g_return_if_fail (BB_IS_LIBRARY_PAGE (self));
  g_return_if_fail (!store || BB_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  if (self->editor != NULL && is_editing (self))
    bb_library_editor_clear (self->editor);

  g_set_object (&self->store, store);
  g_clear_object (&self->current);
  remove_all_rows (self->list_box);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_stack_set_visible_child_name (self->content_stack, "none");

  if (store != NULL)
    {
      self->changed_handler = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
      self->stale = TRUE;
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        reload (self);
    }

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}
