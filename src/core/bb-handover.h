/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_HANDOVER_ERROR (bb_handover_error_quark ())

typedef enum {
  BB_HANDOVER_ERROR_INVALID,   /* not JSON, or not a Buurtboek handover document */
  BB_HANDOVER_ERROR_TOO_NEW,   /* format version newer than this build reads */
  BB_HANDOVER_ERROR_DATA,      /* a record is missing a field or has a wrong value */
} BbHandoverError;

/* The format version this build writes; docs/handover-format.md. */
#define BB_HANDOVER_FORMAT_VERSION 1

GQuark     bb_handover_error_quark  (void);

JsonNode  *bb_handover_export       (BbStore     *store,
                                     GError     **error);
gboolean   bb_handover_export_file  (BbStore     *store,
                                     const char  *path,
                                     GError     **error);

/* Creates a new council file at @dest_path (which must not exist) from a
 * handover document, in one transaction: on any error no file is left. */
BbStore   *bb_handover_import       (JsonNode    *document,
                                     const char  *dest_path,
                                     const char  *backup_root,
                                     GError     **error);
BbStore   *bb_handover_import_file  (const char  *json_path,
                                     const char  *dest_path,
                                     const char  *backup_root,
                                     GError     **error);

/* As bb_handover_import_file(), into a new file in @folder named after the
 * council (bb_council_suggest_path()), as the app does it. */
BbStore   *bb_handover_import_into_folder (const char  *json_path,
                                           const char  *folder,
                                           const char  *backup_root,
                                           GError     **error);

G_END_DECLS
