/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_TYPE_LAZY_PAGE (bb_lazy_page_get_type ())
G_DECLARE_FINAL_TYPE (BbLazyPage, bb_lazy_page, BB, LAZY_PAGE, AdwBin)

/* Stands in for a section page of the window until that page is first
 * shown: only then is the page of type @page_type (a GtkWidget with a
 * writable "store" property) built, and given the store. */
GtkWidget  *bb_lazy_page_new            (const char *page_type);

const char *bb_lazy_page_get_page_type  (BbLazyPage *self);
BbStore    *bb_lazy_page_get_store      (BbLazyPage *self);
void        bb_lazy_page_set_store      (BbLazyPage *self,
                                         BbStore    *store);
/* Sets the object property @property (e.g. "scheduler") of the real page
 * to @object, now if the page is built, else when it is built. Pages of a
 * type without that property are left alone. */
void        bb_lazy_page_set_page_object (BbLazyPage *self,
                                          const char *property,
                                          gpointer    object);
/* The real page, or NULL while it has not been shown yet. */
GtkWidget  *bb_lazy_page_get_page       (BbLazyPage *self);
/* Builds the real page now if it is not built yet, and returns it. */
GtkWidget  *bb_lazy_page_ensure_page    (BbLazyPage *self);

G_END_DECLS
