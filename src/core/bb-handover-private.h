/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the features that add a section to the handover document
 * (docs/handover-format.md). Each feature writes its section in its own
 * file and adds one line to feature_sections[] in bb-handover.c. */

#include <json-glib/json-glib.h>

#include "bb-handover.h"
#include "bb-store.h"

G_BEGIN_DECLS

/* Writes the section's value (usually an object or array) with @builder;
 * the member name is already set. */
typedef gboolean (*BbHandoverExportFunc) (BbStore      *store,
                                          JsonBuilder  *builder,
                                          GError      **error);

/* Reads the section's value and writes it into @store, which is the new
 * council file with its council row, inside the import's one transaction
 * (use bb-store-private.h's prepared statements; do not begin or commit).
 * Check every field as strictly as bb-handover.c does for the council: an
 * unknown key, a wrong type or a bad value is a BB_HANDOVER_ERROR_DATA error
 * naming the field ("library.documents[3].title"); any error rolls the
 * whole import back and removes the new file. */
typedef gboolean (*BbHandoverImportFunc) (BbStore      *store,
                                          JsonNode     *node,
                                          GError      **error);

typedef struct {
  const char           *key;      /* top-level member, e.g. "library" */
  BbHandoverExportFunc  export_section;
  BbHandoverImportFunc  import_section;
} BbHandoverSection;

/* "prefix.key", or @key when @prefix is NULL. */
char     *bb_handover_field_name     (const char          *prefix,
                                      const char          *key);

/* Fails on a member of @object that is not in @known. */
gboolean  bb_handover_check_keys     (JsonObject          *object,
                                      const char          *prefix,
                                      const char * const  *known,
                                      guint                n_known,
                                      GError             **error);

/* A missing or null member gives NULL when @required is FALSE. */
gboolean  bb_handover_read_string    (JsonObject          *object,
                                      const char          *prefix,
                                      const char          *key,
                                      gboolean             required,
                                      const char         **out_value,
                                      GError             **error);
gboolean  bb_handover_read_int       (JsonObject          *object,
                                      const char          *prefix,
                                      const char          *key,
                                      gint64              *out_value,
                                      GError             **error);
/* ISO 8601 with a time zone. */
gboolean  bb_handover_read_timestamp (JsonObject          *object,
                                      const char          *prefix,
                                      const char          *key,
                                      const char         **out_value,
                                      GError             **error);

G_END_DECLS
