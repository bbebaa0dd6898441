/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The verantwoording dialog in a real window under Xvfb: open it for a
 * subsidy, see the totals and the missing receipt, save the texts, and
 * export the PDF through the dialog's own path. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "bb-budget.h"
#include "bb-ledger.h"
#include "bb-report-dialog.h"
#include "bb-subsidy.h"
#include "bb-test-util.h"
#include "bb-ui-resources.h"

static gboolean
is_label_with (GtkWidget  *widget,
               const char *text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
is_row_with (GtkWidget  *widget,
             const char *text)
{
  return ADW_IS_ACTION_ROW (widget) &&
         strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) != NULL;
}

static gboolean
is_text_view (GtkWidget  *widget,
              const char *unused)
{
  return GTK_IS_TEXT_VIEW (widget);
}

static GtkWidget *
find (GtkWidget  *root,
      gboolean  (*match) (GtkWidget *, const char *),
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

static void
wait_for_report (BbReportDialog   *dialog,
                 BbVerantwoording *old)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while ((bb_report_dialog_get_report (dialog) == NULL || bb_report_dialog_get_report (dialog) == old) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (bb_report_dialog_get_report (dialog));
  for (int i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

/* BB_TEST_SHOT=file.png: a picture of the dialog, for looking at it. */
static void
maybe_screenshot (GtkWidget *widget)
{
  const char *path = g_getenv ("BB_TEST_SHOT");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;

  if (path == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  gdk_texture_save_to_png (texture, path);
}

static void
test_report_dialog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbSubsidy) subsidy = bb_subsidy_new ();
  g_autoptr(BbBudgetPost) post = NULL;
  g_autoptr(BbTransaction) paper = bb_transaction_new ();
  g_autoptr(BbStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bb-test-ui-report-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "Dommelhoek.buurtboek", NULL);
  g_autofree char *pdf = g_build_filename (dir, "verantwoording.pdf", NULL);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);
  g_autofree char *text = NULL;
  BbReportDialog *dialog;
  BbVerantwoording *report;

  g_assert_no_error (error);
  bb_council_set_name (council, "Wijkraad De Dommelhoek");
  store = bb_store_create (path, council, dir, &error);
  g_assert_no_error (error);
  g_free (subsidy->grantor);
  subsidy->grantor = g_strdup ("Gemeente Valkenswaard");
  g_free (subsidy->period_start);
  subsidy->period_start = g_strdup ("2024-01-01");
  g_free (subsidy->period_end);
  subsidy->period_end = g_strdup ("2024-12-31");
  subsidy->granted_cents = 1250000;
  g_assert_true (bb_subsidy_save (store, subsidy, &error));
  post = bb_budget_post_new (subsidy->id, BB_POST_EXPENSE, "Wijkkrant druk en bezorging", 320000);
  g_assert_true (bb_budget_save_post (store, post, &error));
  g_free (paper->date);
  paper->date = g_strdup ("2024-04-01");
  g_free (paper->description);
  paper->description = g_strdup ("Drukkerij De Wijk");
  paper->amount_cents = -294950;
  bb_transaction_add_split (paper, post->id, -294950);
  g_assert_true (bb_ledger_save (store, paper, &error));
  g_assert_no_error (error);

  dialog = bb_report_dialog_new (NULL, store, subsidy->id);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 400, 700);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for_report (dialog, NULL);

  /* The totals in the preview: spent and to pay back (12.500,00 − 2.949,50). */
  report = bb_report_dialog_get_report (dialog);
  g_assert_cmpint (report->payback_cents, ==, 955050);
  g_assert_nonnull (find (GTK_WIDGET (dialog), is_label_with, "Spent € 2.949,50; to pay back € 9.550,50."));
  g_assert_cmpuint (bb_report_dialog_get_n_preview_pages (dialog), >=, 2);
  /* The payment without a receipt is listed to complete. */
  g_assert_nonnull (find (GTK_WIDGET (dialog), is_row_with, "Drukkerij De Wijk"));
  maybe_screenshot (GTK_WIDGET (dialog));

  /* Texts written in the dialog are saved and come back in the report. */
  {
    GtkWidget *goals_view = find (GTK_WIDGET (dialog), is_text_view, NULL);

    g_assert_nonnull (goals_view);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (goals_view)),
                              "  Ontmoeting in de wijk\n", -1);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "report.save-texts", NULL));
    wait_for_report (dialog, report);
    g_assert_cmpstr (bb_report_dialog_get_report (dialog)->goals, ==, "Ontmoeting in de wijk");
  }

  /* Export: the PDF as previewed. */
  g_assert_true (bb_report_dialog_export_to (dialog, BB_VERANTWOORDING_PDF, pdf_file, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-", NULL };
    int status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL, &status, &error);
    g_assert_no_error (error);
  }
  g_assert_nonnull (strstr (text, "€ 9.550,50"));
  g_assert_nonnull (strstr (text, "Ontmoeting in de wijk"));
  g_assert_nonnull (strstr (text, "Drukkerij De Wijk"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  bb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The application registers them at start-up; this test has none. */
  g_resources_register (bb_ui_get_resource ());

  g_test_add_func ("/bb/ui/report/dialog", test_report_dialog);

  return g_test_run ();
}
