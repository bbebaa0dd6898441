/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_LIBRARY_PAGE (bb_library_page_get_type ())
G_DECLARE_FINAL_TYPE (BbLibraryPage, bb_library_page, BB, LIBRARY_PAGE, AdwBin)

/* The page reads the library when it is first shown, not here. */
void bb_library_page_set_store     (BbLibraryPage *self,
                                    BbStore       *store);
/* Shows a document in the reader (selecting it in the list when listed);
 * FALSE when there is no such live document. */
gboolean bb_library_page_show_document (BbLibraryPage *self,
                                        const char    *id);

G_END_DECLS
