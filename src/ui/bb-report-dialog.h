/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"
#include "bb-verantwoording.h"

G_BEGIN_DECLS

#define BB_TYPE_REPORT_DIALOG (bb_report_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbReportDialog, bb_report_dialog, BB, REPORT_DIALOG, AdwWindow)

/* The verantwoording of one subsidy: a preview of its pages, the texts
 * the treasurer writes, what is missing, export and print. The report is
 * built in a thread on a read-only connection of its own. */
BbReportDialog   *bb_report_dialog_new        (GtkWindow      *parent,
                                               BbStore        *store,
                                               const char     *subsidy_id);

/* NULL until the report is built (or when building it failed). */
BbVerantwoording *bb_report_dialog_get_report (BbReportDialog *self);
guint             bb_report_dialog_get_n_preview_pages (BbReportDialog *self);
/* What Export does once a file is chosen (and any warning confirmed). */
gboolean          bb_report_dialog_export_to  (BbReportDialog          *self,
                                               BbVerantwoordingFormat   format,
                                               GFile                   *file,
                                               GError                 **error);

G_END_DECLS
