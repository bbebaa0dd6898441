/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-compat.h"
#include "bb-money.h"
#include "bb-report-dialog.h"

/* More pages than this are left out of the preview (the export has all):
 * a drawing area per page of a 5,000-page receipts index is no use. */
#define MAX_PREVIEW_PAGES 60

struct _BbReportDialog
{
  AdwWindow          parent_instance;

  AdwToastOverlay   *toast_overlay;
  GtkStack          *preview_stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *error_page;
  GtkLabel          *summary_label;
  GtkBox            *pages_box;
  GtkTextView       *goals_view;
  GtkTextView       *results_view;
  GtkTextView       *deviations_view;
  AdwEntryRow       *place_row;
  AdwViewStackPage  *missing_page;
  GtkStack          *missing_stack;
  GtkListBox        *missing_list;

  BbStore           *store;
  char              *subsidy_id;
  gulong             changed_handler;
  GCancellable      *cancellable;
  BbVerantwoording  *report;
  BbPdfDocument     *document;
  guint              n_preview_pages;
  gboolean           texts_loaded;
};

G_DEFINE_FINAL_TYPE (BbReportDialog, bb_report_dialog, ADW_TYPE_WINDOW)

/* Building in a thread */

typedef struct {
  char             *path;
  char             *backup_root;
  char             *subsidy_id;
  BbVerantwoording *report;
  BbPdfDocument    *document;
} BuildData;

static void
build_data_free (gpointer data)
{
  BuildData *build = data;

  g_free (build->path);
  g_free (build->backup_root);
  g_free (build->subsidy_id);
  g_clear_pointer (&build->report, bb_verantwoording_free);
  g_clear_pointer (&build->document, bb_pdf_document_free);
  g_free (build);
}

static void
build_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *build = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) store = NULL;

  /* A connection of its own: SQLite connections are not shared between
   * threads, and reading never blocks the window's writes. */
  store = bb_store_open (build->path, BB_STORE_OPEN_READ_ONLY, build->backup_root, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  build->report = bb_verantwoording_build (store, build->subsidy_id, &error);
  bb_store_close (store, NULL);
  if (build->report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The page layout too, so the main thread only draws. */
  build->document = bb_verantwoording_to_pdf (build->report);
  bb_pdf_document_get_n_pages (build->document);
  g_task_return_boolean (task, TRUE);
}

static void
draw_page_cb (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  BbReportDialog *self = user_data;
  guint page = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "page"));
  double scale = width / BB_PDF_PAGE_WIDTH;

  if (self->document == NULL)
    return;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  bb_pdf_document_render_page (self->document, cr, page);
}

static void
on_page_resize_cb (GtkDrawingArea *area,
                   int             width,
                   int             height,
                   gpointer        user_data)
{
  int wanted = (int) (width * BB_PDF_PAGE_HEIGHT / BB_PDF_PAGE_WIDTH);

  /* A4 at whatever width the window gives. */
  if (wanted != gtk_drawing_area_get_content_height (area))
    gtk_drawing_area_set_content_height (area, wanted);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
fill_missing (BbReportDialog *self)
{
  g_auto(GStrv) lines = bb_verantwoording_describe_missing (self->report);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->missing_list))) != NULL)
    gtk_list_box_remove (self->missing_list, child);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lines[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      gtk_list_box_append (self->missing_list, row);
    }
  gtk_stack_set_visible_child_name (self->missing_stack, lines[0] != NULL ? "list" : "none");
  adw_view_stack_page_set_needs_attention (self->missing_page, lines[0] != NULL);
  adw_view_stack_page_set_badge_number (self->missing_page, g_strv_length (lines));
}

static void
set_text (GtkTextView *view,
          const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static char *
get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
show_report (BbReportDialog *self)
{
  g_autofree char *payback = bb_money_format (self->report->payback_cents);
  g_autofree char *expense = bb_money_format (self->report->actual_expense_cents);
  g_autofree char *summary = NULL;
  guint n_pages = bb_pdf_document_get_n_pages (self->document);

  clear_box (self->pages_box);
  self->n_preview_pages = MIN (n_pages, MAX_PREVIEW_PAGES);
  for (guint i = 0; i < self->n_preview_pages; i++)
    {
      GtkWidget *area = gtk_drawing_area_new ();
      g_autofree char *label = g_strdup_printf (_("Page %u of %u"), i + 1, n_pages);

      g_object_set_data (G_OBJECT (area), "page", GUINT_TO_POINTER (i));
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_page_cb, self, NULL);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 400);
      gtk_widget_set_hexpand (area, TRUE);
      gtk_widget_add_css_class (area, "card");
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect (area, "resize", G_CALLBACK (on_page_resize_cb), NULL);
      gtk_box_append (self->pages_box, area);
    }

  /* TRANSLATORS: under the header of the preview; the amounts are € 1.234,56 */
  summary = g_strdup_printf (_("Spent %s; to pay back %s."), expense, payback);
  if (n_pages > self->n_preview_pages)
    {
      g_autofree char *more = g_strdup_printf (ngettext ("The preview shows the first %u page of %u; the export has them all.",
                                                         "The preview shows the first %u pages of %u; the export has them all.",
                                                         self->n_preview_pages),
                                               self->n_preview_pages, n_pages);
      g_autofree char *both = g_strconcat (summary, " ", more, NULL);

      g_free (summary);
      summary = g_steal_pointer (&both);
    }
  gtk_label_set_text (self->summary_label, summary);

  if (!self->texts_loaded)
    {
      set_text (self->goals_view, self->report->goals);
      set_text (self->results_view, self->report->results);
      set_text (self->deviations_view, self->report->deviations);
      gtk_editable_set_text (GTK_EDITABLE (self->place_row), self->report->signing_place);
      self->texts_loaded = TRUE;
    }
  fill_missing (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.save-texts", TRUE);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->preview_stack, "pages");
}

static void
build_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BbReportDialog *self = BB_REPORT_DIALOG (source);
  BuildData *build = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_spinner_stop (self->spinner);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
      return;
    }

  g_clear_pointer (&self->report, bb_verantwoording_free);
  g_clear_pointer (&self->document, bb_pdf_document_free);
  self->report = g_steal_pointer (&build->report);
  self->document = g_steal_pointer (&build->document);
  show_report (self);
}

static void
reload (BbReportDialog *self)
{
  g_autoptr(GTask) task = NULL;
  BuildData *build;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->report == NULL)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->preview_stack, "loading");
    }

  build = g_new0 (BuildData, 1);
  build->path = g_strdup (bb_store_get_path (self->store));
  build->backup_root = g_strdup (bb_store_get_backup_root (self->store));
  build->subsidy_id = g_strdup (self->subsidy_id);
  task = g_task_new (self, self->cancellable, build_done_cb, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, build, build_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, build_thread);
}

static void
on_store_changed_cb (BbStore        *store,
                     BbReportDialog *self)
{
  reload (self);
}

/* Export */

typedef struct {
  BbReportDialog         *self;
  BbVerantwoordingFormat  format;
} ExportData;

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  ExportData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (file != NULL)
    {
      if (bb_report_dialog_export_to (data->self, data->format, file, &error))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *title = g_strdup_printf (_("Saved “%s”"), name);

          adw_toast_overlay_add_toast (data->self->toast_overlay, adw_toast_new (title));
        }
      else
        bb_compat_show_message (GTK_WINDOW (data->self), _("Could Not Export the Report"), error->message);
    }
  g_object_unref (data->self);
  g_free (data);
}

static void
choose_file (BbReportDialog         *self,
             BbVerantwoordingFormat  format)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  ExportData *data = g_new0 (ExportData, 1);
  const char *extension = bb_verantwoording_format_to_string (format);

  switch (format)
    {
    case BB_VERANTWOORDING_PDF:
      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
      break;
    case BB_VERANTWOORDING_CSV:
      gtk_file_filter_set_name (filter, _("CSV files"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      break;
    case BB_VERANTWOORDING_XLSX:
      gtk_file_filter_set_name (filter, _("Excel workbooks"));
      gtk_file_filter_add_suffix (filter, "xlsx");
      break;
    case BB_VERANTWOORDING_JSON:
    default:
      gtk_file_filter_set_name (filter, _("JSON files"));
      gtk_file_filter_add_mime_type (filter, "application/json");
      break;
    }
  /* TRANSLATORS: a file name: the word for the report, the grantor, the year, the extension */
  name = g_strdup_printf (_("Verantwoording %s %.4s.%s"), self->report->grantor,
                          self->report->period_start, extension);
  g_strdelimit (name, "/\\:", '-');

  data->self = g_object_ref (self);
  data->format = format;
  bb_compat_choose_file (GTK_WINDOW (self), BB_FILE_CHOOSE_SAVE, _("Export Report"), _("_Export"),
                         NULL, name, filter, file_chosen_cb, data);
}

static void
on_missing_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  ExportData *data = user_data;

  if (g_strcmp0 (response, "export") == 0)
    choose_file (data->self, data->format);
  g_object_unref (data->self);
  g_free (data);
}

static void
bb_report_dialog_export_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  BbReportDialog *self = BB_REPORT_DIALOG (widget);
  BbVerantwoordingFormat format;
  g_auto(GStrv) missing = NULL;
  g_autoptr(GString) body = NULL;
  GtkWidget *dialog;
  ExportData *data;
  guint n;

  if (self->report == NULL ||
      !bb_verantwoording_format_from_string (g_variant_get_string (param, NULL), &format))
    return;

  missing = bb_verantwoording_describe_missing (self->report);
  n = g_strv_length (missing);
  if (n == 0)
    {
      choose_file (self, format);
      return;
    }

  /* Warn first: a report with gaps is sent back by the grantor. */
  body = g_string_new (NULL);
  for (guint i = 0; i < MIN (n, 5); i++)
    g_string_append_printf (body, "• %s\n", missing[i]);
  if (n > 5)
    g_string_append_printf (body, ngettext ("… and %u more.", "… and %u more.", n - 5), n - 5);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                     ngettext ("%u Thing Is Missing", "%u Things Are Missing", n), n);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), g_strchomp (body->str));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("_Export Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  data = g_new0 (ExportData, 1);
  data->self = g_object_ref (self);
  data->format = format;
  g_signal_connect (dialog, "response", G_CALLBACK (on_missing_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Print */

static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   BbReportDialog    *self)
{
  gtk_print_operation_set_n_pages (operation, (int) bb_pdf_document_get_n_pages (self->document));
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page,
                 BbReportDialog    *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double scale = gtk_print_context_get_width (context) / BB_PDF_PAGE_WIDTH;

  cairo_scale (cr, scale, scale);
  bb_pdf_document_render_page (self->document, cr, (guint) page);
}

static void
bb_report_dialog_print_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BbReportDialog *self = BB_REPORT_DIALOG (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr(GError) error = NULL;

  if (self->document == NULL)
    return;

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_default_page_setup (operation, setup);
  /* The document has its own margins: draw on the whole sheet. */
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, gtk_window_get_title (GTK_WINDOW (self)));
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), self);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    bb_compat_show_message (GTK_WINDOW (self), _("Could Not Print the Report"), error->message);
}

/* Texts */

static void
bb_report_dialog_save_texts_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  BbReportDialog *self = BB_REPORT_DIALOG (widget);
  g_autofree char *goals = get_text (self->goals_view);
  g_autofree char *results = get_text (self->results_view);
  g_autofree char *deviations = get_text (self->deviations_view);
  g_autofree char *place = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->place_row))));
  g_autoptr(GError) error = NULL;

  /* Emits "changed", which rebuilds the preview. */
  if (!bb_verantwoording_save_texts (self->store, self->subsidy_id, goals, results, deviations,
                                     place, &error))
    {
      bb_compat_show_message (GTK_WINDOW (self), _("Could Not Save the Texts"), error->message);
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Texts saved")));
}

/* Class */

static void
bb_report_dialog_dispose (GObject *object)
{
  BbReportDialog *self = BB_REPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->store);
  g_clear_pointer (&self->report, bb_verantwoording_free);
  g_clear_pointer (&self->document, bb_pdf_document_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_REPORT_DIALOG);

  G_OBJECT_CLASS (bb_report_dialog_parent_class)->dispose (object);
}

static void
bb_report_dialog_finalize (GObject *object)
{
  BbReportDialog *self = BB_REPORT_DIALOG (object);

  g_free (self->subsidy_id);

  G_OBJECT_CLASS (bb_report_dialog_parent_class)->finalize (object);
}

static void
bb_report_dialog_class_init (BbReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_report_dialog_dispose;
  object_class->finalize = bb_report_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-report-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, pages_box);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, goals_view);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, results_view);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, deviations_view);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, place_row);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, missing_page);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, missing_stack);
  gtk_widget_class_bind_template_child (widget_class, BbReportDialog, missing_list);

  gtk_widget_class_install_action (widget_class, "report.export", "s", bb_report_dialog_export_action);
  gtk_widget_class_install_action (widget_class, "report.print", NULL, bb_report_dialog_print_action);
  gtk_widget_class_install_action (widget_class, "report.save-texts", NULL, bb_report_dialog_save_texts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "report.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_report_dialog_init (BbReportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.print", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.save-texts", FALSE);
}

BbReportDialog *
bb_report_dialog_new (GtkWindow  *parent,
                      BbStore    *store,
                      const char *subsidy_id)
{
  BbReportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (subsidy_id != NULL, NULL);

  self = g_object_new (BB_TYPE_REPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->subsidy_id = g_strdup (subsidy_id);
  self->changed_handler = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  reload (self);
  return self;
}

BbVerantwoording *
bb_report_dialog_get_report (BbReportDialog *self)
{
  g_return_val_if_fail (BB_IS_REPORT_DIALOG (self), NULL);
  return self->report;
}

guint
bb_report_dialog_get_n_preview_pages (BbReportDialog *self)
{
  g_return_val_if_fail (BB_IS_REPORT_DIALOG (self), 0);
  return self->n_preview_pages;
}

gboolean
bb_report_dialog_export_to (BbReportDialog          *self,
                            BbVerantwoordingFormat   format,
                            GFile                   *file,
                            GError                 **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (BB_IS_REPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (self->report != NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The report can only be saved in a local folder"));
      return FALSE;
    }
  /* The PDF as previewed; the other formats from the same figures. */
  if (format == BB_VERANTWOORDING_PDF && self->document != NULL)
    return bb_pdf_document_write (self->document, path, error);
  return bb_verantwoording_write (self->report, format, path, error);
}
