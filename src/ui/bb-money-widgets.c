/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Small pieces the Money page and its dialogs share, so that they fit a
 * phone-sized window (360 px) whatever the names in them. */

#include "config.h"

#include "bb-money-widgets.h"

/* A dropdown's button shows its choice ellipsized, so a long subsidy or
 * post name does not make the page wider than a phone; the popup shows
 * the names whole. */
static void
on_ellipsized_setup_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (ellipsize))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      /* Natural width too: a row title beside it keeps its room. */
      gtk_label_set_max_width_chars (GTK_LABEL (label), 18);
    }
  else
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
    }
  gtk_list_item_set_child (item, label);
}

static void
on_string_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  unused)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
}

static GtkListItemFactory *
string_factory (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_ellipsized_setup_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (on_string_bind_cb), NULL);
  return factory;
}

void
bb_money_dropdown_make_narrow (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) button = string_factory (TRUE);
  g_autoptr(GtkListItemFactory) list = string_factory (FALSE);

  gtk_drop_down_set_factory (dropdown, button);
  gtk_drop_down_set_list_factory (dropdown, list);
}

