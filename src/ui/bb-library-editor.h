/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-library.h"
#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_LIBRARY_EDITOR (bb_library_editor_get_type ())
G_DECLARE_FINAL_TYPE (BbLibraryEditor, bb_library_editor, BB, LIBRARY_EDITOR, GtkWidget)

/* Starts editing @doc (a document read for editing, or a new one) in
 * @store. The editor changes @doc only when the user saves; then it emits
 * "done" with the saved document, or with NULL when the user cancels. */
void        bb_library_editor_edit              (BbLibraryEditor   *self,
                                                 BbStore           *store,
                                                 BbLibraryDocument *doc);
/* Stops editing without saving and without emitting "done". */
void        bb_library_editor_clear             (BbLibraryEditor   *self);
BbLibraryDocument *bb_library_editor_get_document (BbLibraryEditor *self);

/* The licences the editor offers, and the name to show for a licence id
 * (an unknown id is shown as it is). */
const char *bb_library_licence_get_label        (const char        *licence_id);

G_END_DECLS
