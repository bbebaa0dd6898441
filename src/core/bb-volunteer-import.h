/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bb-store.h"
#include "bb-volunteer.h"

G_BEGIN_DECLS

/* Volunteers from a spreadsheet (CSV as councils have it: comma or
 * semicolon, with or without a BOM, UTF-8 or Windows-1252, RFC 4180 quotes
 * with embedded line breaks), and back out as CSV with each id.
 *
 * Read → map columns (guessed from Dutch or English headers) → prepare
 * (valid rows and problems per line, duplicates found) → commit in one
 * transaction. Nothing is written before commit. */

typedef enum {
  BB_VOLUNTEER_FIELD_IGNORE,
  BB_VOLUNTEER_FIELD_ID,
  BB_VOLUNTEER_FIELD_FIRST_NAME,
  BB_VOLUNTEER_FIELD_LAST_NAME,
  BB_VOLUNTEER_FIELD_FULL_NAME,
  BB_VOLUNTEER_FIELD_EMAIL,
  BB_VOLUNTEER_FIELD_PHONE,
  BB_VOLUNTEER_FIELD_ADDRESS,
  BB_VOLUNTEER_FIELD_BIRTH_YEAR,
  BB_VOLUNTEER_FIELD_AGE_BAND,
  BB_VOLUNTEER_FIELD_SKILLS,
  BB_VOLUNTEER_FIELD_ROLES,
  BB_VOLUNTEER_FIELD_STATUS,
  BB_VOLUNTEER_FIELD_START_DATE,
  BB_VOLUNTEER_FIELD_END_DATE,
  BB_VOLUNTEER_FIELD_EMERGENCY_CONTACT,
  BB_VOLUNTEER_FIELD_NOTES,
  BB_VOLUNTEER_FIELD_IBAN,
  BB_N_VOLUNTEER_FIELDS
} BbVolunteerField;

/* "first_name", "email", … ("ignore"); the --map names of the CLI. */
const char *bb_volunteer_field_to_string   (BbVolunteerField field);
gboolean    bb_volunteer_field_from_string (const char *text, BbVolunteerField *out);
const char *bb_volunteer_field_get_label   (BbVolunteerField field);   /* translated */

#define BB_VOLUNTEER_IMPORT_ERROR (bb_volunteer_import_error_quark ())

typedef enum {
  BB_VOLUNTEER_IMPORT_ERROR_EMPTY,        /* no header or no rows */
  BB_VOLUNTEER_IMPORT_ERROR_ENCODING,
  BB_VOLUNTEER_IMPORT_ERROR_SYNTAX,       /* an unterminated quote */
  BB_VOLUNTEER_IMPORT_ERROR_MAPPING,      /* no name column, a bad --map */
  BB_VOLUNTEER_IMPORT_ERROR_NOTHING,      /* no valid row to import */
} BbVolunteerImportError;

GQuark bb_volunteer_import_error_quark (void);

typedef struct {
  guint  line;      /* 1-based line in the file where the record starts */
  char  *message;   /* translated reason */
} BbImportProblem;

typedef struct _BbVolunteerImport BbVolunteerImport;

BbVolunteerImport *bb_volunteer_import_new        (GBytes             *data,
                                                   GError            **error);
void               bb_volunteer_import_free       (BbVolunteerImport  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbVolunteerImport, bb_volunteer_import_free)

/* What was detected. */
char               bb_volunteer_import_get_separator (BbVolunteerImport *self);
const char        *bb_volunteer_import_get_encoding  (BbVolunteerImport *self);  /* "UTF-8", "WINDOWS-1252" */
guint              bb_volunteer_import_get_n_columns (BbVolunteerImport *self);
const char        *bb_volunteer_import_get_header    (BbVolunteerImport *self,
                                                      guint              column);
guint              bb_volunteer_import_get_n_records (BbVolunteerImport *self);
BbVolunteerField   bb_volunteer_import_get_mapping   (BbVolunteerImport *self,
                                                      guint              column);
void               bb_volunteer_import_set_mapping   (BbVolunteerImport *self,
                                                      guint              column,
                                                      BbVolunteerField   field);
/* "COLUMN=FIELD": COLUMN is a header (case-insensitive) or a 1-based
 * number; FIELD a bb_volunteer_field_to_string() name. */
gboolean           bb_volunteer_import_map           (BbVolunteerImport *self,
                                                      const char        *spec,
                                                      GError           **error);

/* Builds the preview against @store (for duplicates). Fails only when the
 * mapping cannot work (no name column); bad rows become problems. */
gboolean           bb_volunteer_import_prepare       (BbVolunteerImport *self,
                                                      BbStore           *store,
                                                      GError           **error);
/* After prepare: BbVolunteer to add (or update, when an id column names
 * an existing volunteer), and BbImportProblem by line. Owned by @self. */
GPtrArray         *bb_volunteer_import_get_valid     (BbVolunteerImport *self);
GPtrArray         *bb_volunteer_import_get_problems  (BbVolunteerImport *self);
guint              bb_volunteer_import_get_line      (BbVolunteerImport *self,
                                                      guint              valid_index);

/* Writes the valid rows in one transaction and emits "changed". */
gboolean           bb_volunteer_import_commit        (BbVolunteerImport *self,
                                                      BbStore           *store,
                                                      guint             *out_n_imported,
                                                      GError           **error);

/* Every volunteer as CSV (comma, UTF-8, RFC 4180, with id and a header row
 * of field names that the import maps back automatically). */
char              *bb_volunteer_export_csv           (BbStore           *store,
                                                      GError           **error);

G_END_DECLS
