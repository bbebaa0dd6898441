/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Money page in a real window under Xvfb: create a subsidy with a
 * budget, add transactions and see budget versus actual follow. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "bb-budget.h"
#include "bb-ledger.h"
#include "bb-ledger-rows.h"
#include "bb-money-page.h"
#include "bb-ruleset-dialog.h"
#include "bb-subsidy.h"
#include "bb-transaction-dialog.h"
#include "bb-test-util.h"

static void
settle (void)
{
  for (int i = 0; i < 50; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

typedef gboolean (*Match) (GtkWidget *widget, const char *text);

static GtkWidget *
find (GtkWidget  *root,
      Match       match,
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

static gboolean
is_row_titled (GtkWidget  *widget,
               const char *title)
{
  return ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_button_labelled (GtkWidget  *widget,
                    const char *label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_label_with (GtkWidget  *widget,
               const char *text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
is_view_stack (GtkWidget  *widget,
               const char *unused)
{
  return ADW_IS_VIEW_STACK (widget);
}

static gboolean
is_thumbnail (GtkWidget  *widget,
              const char *unused)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_get_mapped (widget) &&
         gtk_image_get_storage_type (GTK_IMAGE (widget)) == GTK_IMAGE_PAINTABLE &&
         GDK_IS_TEXTURE (gtk_image_get_paintable (GTK_IMAGE (widget)));
}

static gboolean
is_label_exact (GtkWidget  *widget,
                const char *text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_search_entry (GtkWidget  *widget,
                 const char *unused)
{
  return GTK_IS_SEARCH_ENTRY (widget) && gtk_widget_get_mapped (widget);
}

/* BB_MONEY_SCREENSHOT=DIR saves what the window shows, for a person to look at. */
static void
maybe_screenshot (GtkWidget  *window,
                  const char *name)
{
  const char *dir = g_getenv ("BB_MONEY_SCREENSHOT");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_texture_save_to_png (texture, path);
}

static GtkWidget *
row (GtkWidget  *page,
     const char *title)
{
  GtkWidget *found = find (page, is_row_titled, title);

  if (found == NULL)
    g_error ("no row “%s”", title);
  return found;
}

static void
click (GtkWidget  *page,
       const char *label)
{
  GtkWidget *button = find (page, is_button_labelled, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  settle ();
}

static void
type (GtkWidget  *page,
      const char *title,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row (page, title)), text);
}

static void
show_tab (GtkWidget  *page,
          const char *name)
{
  GtkWidget *views = find (page, is_view_stack, NULL);

  g_assert_nonnull (views);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (views), name);
  settle ();
}

static const char *
subtitle (GtkWidget  *page,
          const char *title)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row (page, title)));
}

static BbTransactionDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (BB_IS_TRANSACTION_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return BB_TRANSACTION_DIALOG (window);
    }
  return NULL;
}

static gboolean
is_button_with_tooltip (GtkWidget  *widget,
                        const char *tooltip)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

static gboolean
is_mapped_list_view (GtkWidget  *widget,
                     const char *unused)
{
  return GTK_IS_LIST_VIEW (widget) && gtk_widget_get_mapped (widget);
}

/* Through the dialog, as a treasurer does: + , fill in, one line on
 * post @post_index for the whole amount, Save. */
static void
add_transaction (GtkWidget  *page,
                 const char *date,
                 const char *amount,
                 const char *description,
                 guint       post_index)
{
  GtkWidget *button = find (page, is_button_with_tooltip, "New transaction, divided over posts");
  BbTransactionDialog *dialog;
  const char *unsigned_amount = amount[0] == '-' ? amount + 1 : amount;

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  settle ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  type (GTK_WIDGET (dialog), "Date (YYYY-MM-DD)", date);
  type (GTK_WIDGET (dialog), "Amount (€, negative for an expense)", amount);
  type (GTK_WIDGET (dialog), "Description", description);
  if (post_index > 0)
    bb_transaction_dialog_add_line (dialog, post_index, unsigned_amount);
  g_assert_true (bb_transaction_dialog_save (dialog));
  settle ();
  g_assert_null (find_dialog ());
}

/* Opens the editor of the ledger row showing @description. */
static void
activate_ledger_row (GtkWidget  *page,
                     const char *description)
{
  GtkWidget *view = find (page, is_mapped_list_view, NULL);
  GListModel *model;

  g_assert_nonnull (view);
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view)));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BbLedgerRow) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (item->description, description) == 0)
        {
          gtk_widget_activate_action (view, "list.activate-item", "u", i);
          settle ();
          return;
        }
    }
  g_error ("no ledger row “%s”", description);
}

static void
test_subsidy_budget_actual (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-ui-money-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Geld.buurtboek", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) subsidies = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GtkWidget *window;
  GtkWidget *page;

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 900);
  page = g_object_new (BB_TYPE_MONEY_PAGE, "store", store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  settle ();

  /* Empty council: the status page invites a first subsidy. */
  g_assert_nonnull (find (page, is_label_with, "No Subsidies Yet"));
  maybe_screenshot (window, "money-empty");
  click (page, "_Add Subsidy");

  /* A malformed amount is refused inline and saves nothing. */
  type (page, "Grantor", "Gemeente Valkenswaard");
  type (page, "Amount granted (€)", "12,5,0");
  click (page, "_Save Subsidy");
  g_assert_true (gtk_widget_has_css_class (row (page, "Amount granted (€)"), "error"));
  g_assert_nonnull (find (page, is_label_with, "Amount granted:"));
  subsidies = bb_subsidy_list (store, &error);
  g_assert_cmpuint (subsidies->len, ==, 0);
  g_clear_pointer (&subsidies, g_ptr_array_unref);

  type (page, "Amount granted (€)", "12.500");
  type (page, "Scheme", "Sociale cohesie");
  click (page, "_Save Subsidy");
  subsidies = bb_subsidy_list (store, &error);
  g_assert_cmpuint (subsidies->len, ==, 1);
  g_assert_cmpint (((BbSubsidy *)g_ptr_array_index (subsidies, 0))->granted_cents, ==, 1250000);
  posts = bb_budget_list_posts (store, ((BbSubsidy *)g_ptr_array_index (subsidies, 0))->id, &error);
  g_assert_cmpuint (posts->len, ==, 14);   /* the template */
  g_assert_cmpstr (subtitle (page, "Required content"), ==, "Activity and financial report");

  /* Plan € 1.000 on Activities. */
  type (page, "Activities (expense)", "1.000");
  g_signal_emit_by_name (row (page, "Activities (expense)"), "apply");
  settle ();
  g_assert_nonnull (strstr (subtitle (page, "Activities"), "Planned € 1.000,00 · actual € 0,00"));

  /* Two expenses on Activities in the ledger, added through the editor. */
  show_tab (page, "ledger");
  g_assert_nonnull (find (page, is_label_with, "No Transactions"));
  add_transaction (page, today, "-1.234,56", "Paaseieren zoeken", 1);
  g_assert_nonnull (find (page, is_label_with, "Paaseieren zoeken"));
  /* Right-aligned in tabular figures. */
  {
    GtkWidget *amount = find (page, is_label_exact, "€ -1.234,56");

    g_assert_nonnull (amount);
    g_assert_true (gtk_widget_has_css_class (amount, "numeric"));
    g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (amount)), ==, 1.0);
  }
  /* A second one, € 45,00, makes the post 27,9% over budget. */
  add_transaction (page, today, "-45", "Koffie vrijwilligers", 1);
  /* A third without a post does not count on any post. */
  add_transaction (page, today, "-10", "Postzegels", 0);

  /* Bad amount: the editor says so inline and adds nothing. */
  {
    BbTransactionDialog *dialog;
    g_autoptr(GPtrArray) all = NULL;

    g_signal_emit_by_name (find (page, is_button_with_tooltip, "New transaction, divided over posts"), "clicked");
    settle ();
    dialog = find_dialog ();
    type (GTK_WIDGET (dialog), "Amount (€, negative for an expense)", "twaalf");
    g_assert_false (bb_transaction_dialog_save (dialog));
    g_assert_nonnull (strstr (bb_transaction_dialog_get_error (dialog), "Amount:"));
    gtk_window_close (GTK_WINDOW (dialog));
    settle ();
    all = bb_ledger_query (store, NULL, &error);
    g_assert_cmpuint (all->len, ==, 3);
  }

  /* Search as one types: folded, every word, also the amount. */
  gtk_editable_set_text (GTK_EDITABLE (find (page, is_search_entry, NULL)), "KOFFIE");
  g_signal_emit_by_name (find (page, is_search_entry, NULL), "search-changed");
  settle ();
  g_assert_nonnull (find (page, is_label_with, "Koffie vrijwilligers"));
  g_assert_null (find (page, is_label_with, "Paaseieren zoeken"));
  gtk_editable_set_text (GTK_EDITABLE (find (page, is_search_entry, NULL)), "1.234,56");
  g_signal_emit_by_name (find (page, is_search_entry, NULL), "search-changed");
  settle ();
  g_assert_nonnull (find (page, is_label_with, "Paaseieren zoeken"));
  g_assert_null (find (page, is_label_with, "Koffie vrijwilligers"));
  gtk_editable_set_text (GTK_EDITABLE (find (page, is_search_entry, NULL)), "kerstpakket");
  g_signal_emit_by_name (find (page, is_search_entry, NULL), "search-changed");
  settle ();
  g_assert_nonnull (find (page, is_label_with, "No Matching Transactions"));
  gtk_editable_set_text (GTK_EDITABLE (find (page, is_search_entry, NULL)), "");
  g_signal_emit_by_name (find (page, is_search_entry, NULL), "search-changed");
  settle ();

  show_tab (page, "subsidy");
  /* 1.234,56 + 45,00 = 1.279,56 on 1.000,00 planned: +279,56, 27,956% */
  g_assert_nonnull (strstr (subtitle (page, "Activities"),
                            "Planned € 1.000,00 · actual € 1.279,56 · difference € 279,56 (28,0%)"));
  /* Over the 10% threshold: the explanation is asked for and marked. */
  g_assert_true (gtk_widget_has_css_class (row (page, "Explanation for “Activities” (required)"), "warning"));
  type (page, "Explanation for “Activities” (required)", "Meer kinderen dan verwacht");
  g_signal_emit_by_name (row (page, "Explanation for “Activities” (required)"), "apply");
  settle ();
  g_assert_nonnull (find (page, is_row_titled, "Explanation for “Activities”"));

  /* Totals: pay-back = 12.500,00 − 1.279,56 */
  g_assert_nonnull (find (row (page, "Actual expenses"), is_label_with, "€ 1.279,56"));
  g_assert_nonnull (find (row (page, "To pay back"), is_label_with, "€ 11.220,44"));

  maybe_screenshot (window, "money-budget");
  show_tab (page, "ledger");
  maybe_screenshot (window, "money-ledger");
  show_tab (page, "missing");
  g_assert_nonnull (find (page, is_label_with, "Postzegels"));

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_assert_true (bb_store_close (store, NULL));
  bb_test_remove_tree (dir);
}

static gboolean
is_entry_with_text (GtkWidget  *widget,
                    const char *text)
{
  return GTK_IS_ENTRY (widget) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), text) == 0;
}

/* The transaction editor: divide an expense over two posts, see what is
 * still to divide, be stopped when the lines do not add up; then delete
 * it and take that back with the toast's Undo. */
static void
test_split_delete_undo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-ui-money-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Geld.buurtboek", NULL);
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbTransaction) t = bb_transaction_new ();
  g_autoptr(BbTransaction) saved = NULL;
  g_autoptr(BbTransaction) back = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GBytes) receipt = g_bytes_new_static ("%PDF-1.4\n% bon\n", 15);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *receipt_id = NULL;
  BbTransactionDialog *dialog;
  BbTransaction *gone;
  GtkWidget *window, *page, *entry;

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (path, council, NULL, &error);
  g_assert_no_error (error);
  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (subsidy->period_start);
  subsidy->period_start = g_date_time_format (now, "%Y-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_date_time_format (now, "%Y-12-31");
  subsidy->granted_cents = 1250000;
  g_assert_true (bb_subsidy_save (store, subsidy, &error));
  g_assert_true (bb_budget_apply_template (store, subsidy->id, &error));
  g_assert_no_error (error);
  posts = bb_budget_list_posts (store, subsidy->id, &error);

  g_free (t->date);
  t->date = g_date_time_format (now, "%Y-%m-%d");
  t->amount_cents = -10000;
  g_free (t->description);
  t->description = g_strdup ("Boodschappen zomerfeest");
  g_assert_true (bb_ledger_save (store, t, &error));
  receipt_id = bb_ledger_attach_receipt (store, t->id, receipt, NULL, "bon.pdf", &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 900);
  page = g_object_new (BB_TYPE_MONEY_PAGE, "store", store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  settle ();

  /* A photo receipt on another transaction: its thumbnail is decoded in
   * a thread once the row is on screen. */
  {
    g_autoptr(BbTransaction) photo = bb_transaction_new ();
    g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 60, 80);
    g_autofree char *png = NULL;
    g_autoptr(GBytes) bytes = NULL;
    gsize png_size = 0;
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    gdk_pixbuf_fill (pixbuf, 0xeeeeeeff);
    g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", &error, NULL));
    bytes = g_bytes_new (png, png_size);
    g_free (photo->date);
    photo->date = g_date_time_format (now, "%Y-%m-%d");
    photo->amount_cents = -2500;
    g_free (photo->description);
    photo->description = g_strdup ("Bloemen vrijwilliger");
    g_assert_true (bb_ledger_save (store, photo, &error));
    g_free (bb_ledger_attach_receipt (store, photo->id, bytes, NULL, "bon.png", &error));
    g_assert_no_error (error);
    show_tab (page, "ledger");
    while (find (page, is_thumbnail, NULL) == NULL && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    g_assert_nonnull (find (page, is_thumbnail, NULL));
  }

  /* Opening the row opens the editor */
  activate_ledger_row (page, "Boodschappen zomerfeest");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (bb_transaction_dialog_get_remaining_text (dialog), ==,
                   "Not divided over posts. Add a line per post.");

  /* € 60 on the first post (Activities): € 40 still to divide */
  bb_transaction_dialog_add_line (dialog, 1, "60");
  g_assert_cmpstr (bb_transaction_dialog_get_remaining_text (dialog), ==, "Still to divide: € 40,00");
  /* € 50 on the second is € 10 too much, and cannot be saved */
  bb_transaction_dialog_add_line (dialog, 2, "50");
  g_assert_cmpstr (bb_transaction_dialog_get_remaining_text (dialog), ==,
                   "The lines are € 10,00 more than the amount.");
  settle ();
  maybe_screenshot (GTK_WIDGET (dialog), "money-split-editor");
  g_assert_false (bb_transaction_dialog_save (dialog));
  g_assert_nonnull (strstr (bb_transaction_dialog_get_error (dialog), "add up to"));
  saved = bb_ledger_load (store, t->id, &error);
  g_assert_cmpuint (saved->splits->len, ==, 0);
  g_clear_object (&saved);

  /* Corrected to € 40: they add up, and it is saved as two lines */
  entry = find (GTK_WIDGET (dialog), is_entry_with_text, "50");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "40");
  g_assert_cmpstr (bb_transaction_dialog_get_remaining_text (dialog), ==, "The lines add up to the amount.");
  g_assert_true (bb_transaction_dialog_save (dialog));
  settle ();
  g_assert_null (find_dialog ());
  saved = bb_ledger_load (store, t->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->splits->len, ==, 2);
  g_assert_cmpstr (g_array_index (saved->splits, BbSplit, 0).post_id, ==, ((BbBudgetPost *)posts->pdata[0])->id);
  g_assert_cmpint (g_array_index (saved->splits, BbSplit, 0).amount_cents, ==, -6000);
  g_assert_cmpstr (g_array_index (saved->splits, BbSplit, 1).post_id, ==, ((BbBudgetPost *)posts->pdata[1])->id);
  g_assert_cmpint (g_array_index (saved->splits, BbSplit, 1).amount_cents, ==, -4000);
  g_assert_nonnull (find (page, is_label_with, "split over posts"));

  /* Delete from the editor … */
  activate_ledger_row (page, "Boodschappen zomerfeest");
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  click (GTK_WIDGET (dialog), "_Delete Transaction");
  gone = bb_ledger_load (store, t->id, &error);
  g_assert_null (gone);
  g_assert_error (error, BB_LEDGER_ERROR, BB_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (find (page, is_label_exact, "Boodschappen zomerfeest"));
  maybe_screenshot (window, "money-deleted-toast");

  /* … and undo: the same transaction, lines and receipt */
  click (window, "_Undo");
  back = bb_ledger_load (store, t->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->splits->len, ==, 2);
  g_assert_cmpuint (back->n_receipts, ==, 1);
  g_assert_nonnull (find (page, is_label_exact, "Boodschappen zomerfeest"));

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_assert_true (bb_store_close (store, NULL));
  bb_test_remove_tree (dir);
}


static gboolean
is_dropdown (GtkWidget  *widget,
             const char *unused)
{
  return GTK_IS_DROP_DOWN (widget);
}

/* Copy the national model, be stopped by a tier lower than the one
 * before and by a wrong percentage, save it, and let a subsidy follow
 * the copy. */
static void
test_rulesets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-ui-money-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Geld.buurtboek", NULL);
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbSubsidy) saved = NULL;
  g_autoptr(BbRuleset) copy = NULL;
  g_autoptr(GPtrArray) rulesets = NULL;
  g_autofree char *copy_id = NULL;
  BbRulesetDialog *dialog;
  GtkWidget *window, *page, *dropdown;
  guint copy_index = 0;

  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (path, council, NULL, &error);
  g_assert_no_error (error);
  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Fonds Leefbaarheid");
  g_free (subsidy->period_start);
  subsidy->period_start = g_strdup ("2025-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_strdup ("2025-12-31");
  subsidy->granted_cents = 3000000;
  g_assert_true (bb_subsidy_save (store, subsidy, &error));

  dialog = bb_ruleset_dialog_new (NULL, store, BB_RULESET_ID_NATIONAL);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 900);
  gtk_window_present (GTK_WINDOW (dialog));
  settle ();
  /* A built-in one is shown, not saved. */
  g_assert_cmpstr (bb_ruleset_dialog_get_ruleset_id (dialog), ==, BB_RULESET_ID_NATIONAL);
  g_assert_false (bb_ruleset_dialog_save (dialog));

  g_assert_true (bb_ruleset_dialog_copy (dialog));
  settle ();
  copy_id = g_strdup (bb_ruleset_dialog_get_ruleset_id (dialog));
  g_assert_cmpstr (copy_id, !=, BB_RULESET_ID_NATIONAL);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row (GTK_WIDGET (dialog), "Name"))), ==, "Name");
  g_assert_nonnull (strstr (gtk_editable_get_text (GTK_EDITABLE (row (GTK_WIDGET (dialog), "Name"))), "(copy)"));

  /* The second tier below the first: said inline, nothing stored. */
  type (GTK_WIDGET (dialog), "Name", "Fonds Leefbaarheid");
  gtk_editable_set_text (bb_ruleset_dialog_get_tier_entry (dialog, 1), "20.000");
  g_assert_false (bb_ruleset_dialog_save (dialog));
  g_assert_nonnull (strstr (bb_ruleset_dialog_get_error (dialog), "Tier 2 must go higher than the tier before it"));
  maybe_screenshot (GTK_WIDGET (dialog), "money-ruleset-error");
  copy = bb_ruleset_lookup (store, copy_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (copy->tiers, BbRulesetTier, 1).up_to_cents, ==, 12500000);
  g_clear_object (&copy);

  /* Then a percentage that is not one. */
  gtk_editable_set_text (bb_ruleset_dialog_get_tier_entry (dialog, 1), "40.000");
  type (GTK_WIDGET (dialog), "Explain differences above (%)", "zeven");
  g_assert_false (bb_ruleset_dialog_save (dialog));
  g_assert_nonnull (strstr (bb_ruleset_dialog_get_error (dialog), "not a percentage"));
  g_assert_true (gtk_widget_has_css_class (row (GTK_WIDGET (dialog), "Explain differences above (%)"), "error"));

  type (GTK_WIDGET (dialog), "Explain differences above (%)", "7,5");
  g_assert_true (bb_ruleset_dialog_save (dialog));
  g_assert_null (bb_ruleset_dialog_get_error (dialog));
  copy = bb_ruleset_lookup (store, copy_id, &error);
  g_assert_cmpstr (copy->name, ==, "Fonds Leefbaarheid");
  g_assert_cmpint (g_array_index (copy->tiers, BbRulesetTier, 1).up_to_cents, ==, 4000000);
  g_assert_cmpuint (copy->variance_threshold_bp, ==, 750);
  gtk_window_destroy (GTK_WINDOW (dialog));
  settle ();

  /* The subsidy picks the copy: € 30.000 is now at most € 40.000, an
   * activity report (the national model would stop there too), but the
   * name and threshold are the council's. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 900);
  page = g_object_new (BB_TYPE_MONEY_PAGE, "store", store, NULL);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  settle ();
  rulesets = bb_ruleset_list (store, &error);
  for (guint i = 0; i < rulesets->len; i++)
    if (g_strcmp0 (((BbRuleset *)rulesets->pdata[i])->id, copy_id) == 0)
      copy_index = i;
  dropdown = find (row (page, "Rule set"), is_dropdown, NULL);
  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), copy_index);
  click (page, "_Save Subsidy");
  saved = bb_subsidy_load (store, subsidy->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->ruleset_id, ==, copy_id);
  g_assert_cmpstr (subtitle (page, "Required content"), ==, "Activity report");
  g_assert_cmpstr (subtitle (page, "Deadline"), ==, "2026-04-01");   /* 13 weeks, kept from the model */

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_assert_true (bb_store_close (store, NULL));
  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/bb/ui/money/subsidy-budget-actual", test_subsidy_budget_actual);
  g_test_add_func ("/bb/ui/money/split-delete-undo", test_split_delete_undo);
  g_test_add_func ("/bb/ui/money/rulesets", test_rulesets);

  return g_test_run ();
}
