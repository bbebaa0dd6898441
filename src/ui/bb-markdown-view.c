/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "bb-markdown.h"
#include "bb-markdown-view.h"

/* Indent per list or quote level, in pixels. */
#define INDENT 18

static gboolean
on_label_activate_link_cb (GtkLabel   *label,
                           const char *uri,
                           gpointer    user_data)
{
  /* The renderer only writes safe links; checked again here because this
   * is where a URI leaves the application. */
  if (bb_markdown_is_safe_link (uri))
    gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (label))), uri, GDK_CURRENT_TIME);

  return TRUE;
}

static GtkWidget *
make_label (const char *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  g_signal_connect (label, "activate-link", G_CALLBACK (on_label_activate_link_cb), NULL);

  return label;
}

static GtkWidget *
make_block (const BbMarkdownBlock *block)
{
  static const char * const heading_classes[] = { "title-1", "title-2", "title-3", "title-4", "heading", "heading" };
  GtkWidget *widget;

  switch (block->kind)
    {
    case BB_MARKDOWN_BLOCK_RULE:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_set_margin_top (widget, 6);
      gtk_widget_set_margin_bottom (widget, 6);
      return widget;

    case BB_MARKDOWN_BLOCK_HEADING:
      widget = make_label (block->markup);
      gtk_widget_add_css_class (widget, heading_classes[CLAMP (block->level, 1, 6) - 1]);
      gtk_widget_set_margin_top (widget, 6);
      return widget;

    case BB_MARKDOWN_BLOCK_CODE:
    case BB_MARKDOWN_BLOCK_HTML:
      /* Raw HTML is shown like code: as the text the author typed. */
      widget = make_label (block->markup);
      gtk_label_set_wrap_mode (GTK_LABEL (widget), PANGO_WRAP_CHAR);
      gtk_widget_add_css_class (widget, "monospace");
      gtk_widget_add_css_class (widget, "library-code");
      return widget;

    case BB_MARKDOWN_BLOCK_PARAGRAPH:
    default:
      return make_label (block->markup);
    }
}

void
bb_markdown_view_fill (GtkBox     *box,
                       const char *commonmark)
{
  g_autoptr(GPtrArray) blocks = bb_markdown_render (commonmark);
  GtkWidget *child;

  g_return_if_fail (GTK_IS_BOX (box));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);

  for (guint i = 0; i < blocks->len; i++)
    {
      const BbMarkdownBlock *block = g_ptr_array_index (blocks, i);
      GtkWidget *widget = make_block (block);
      guint indent = block->list_depth + block->quote_depth;

      if (block->list_depth > 0)
        {
          GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
          GtkWidget *marker = gtk_label_new (block->marker ? block->marker : "");

          /* Room for "10." so the texts of a list line up. */
          gtk_label_set_width_chars (GTK_LABEL (marker), 3);
          gtk_label_set_xalign (GTK_LABEL (marker), 1);
          gtk_label_set_yalign (GTK_LABEL (marker), 0);
          gtk_box_append (GTK_BOX (row), marker);
          gtk_box_append (GTK_BOX (row), widget);
          widget = row;
          indent--;
        }

      if (block->quote_depth > 0)
        gtk_widget_add_css_class (widget, "library-quote");

      gtk_widget_set_margin_start (widget, (int) MIN (indent, 12) * INDENT);
      gtk_box_append (box, widget);
    }
}
