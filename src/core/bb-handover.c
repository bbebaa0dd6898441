/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-handover.h"
#include "bb-handover-private.h"
#include "bb-library-private.h"
#include "bb-money-handover.h"
#include "bb-programme-handover.h"
#include "bb-store-private.h"
#include "bb-verantwoording-private.h"
#include "bb-volunteer-handover.h"

/* The document format is described in docs/handover-format.md; a change
 * here is a change there, and any new key raises the format version. */
#define HANDOVER_FORMAT "buurtboek-handover"
/* Deeper than any document this format has; JsonParser recurses per
 * level, so hostile input must be stopped before it reaches the parser. */
#define MAX_DEPTH 64

G_DEFINE_QUARK (bb-handover-error-quark, bb_handover_error)

/* The sections of the features (library, programme, volunteers, money):
 * each is optional in a document, exported after the council, and imported
 * inside the same transaction as the council. Add a line per feature. */
static const BbHandoverSection feature_sections[] = {
  /* Before every section whose records refer to volunteers (programme
   * assignments, ledger links): imported in this order. */
  { "volunteers", bb_volunteer_handover_export, bb_volunteer_handover_import },
  { "programme", bb_programme_handover_export, bb_programme_handover_import },
  { "library", bb_library_handover_export, bb_library_handover_import },
  /* Last: transactions refer to activities and volunteers. */
  { "money", bb_money_handover_export, bb_money_handover_import },
  /* After money: the texts belong to its subsidies. */
  { "verantwoording", bb_verantwoording_handover_export, bb_verantwoording_handover_import },
};

/* What was read from a document before anything is written. */
typedef struct {
  BbCouncil  *council;
  JsonObject *root;      /* the feature sections are read while written */
} ImportState;

static void
import_state_clear (ImportState *state)
{
  g_clear_object (&state->council);
  g_clear_pointer (&state->root, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportState, import_state_clear)

/* One top-level key of the document. A later feature adds its table as
 * one more section: how to write it, how to check and read it, and how to
 * store it in the new council file (inside the import's transaction). */
typedef struct {
  const char *key;
  gboolean    required;
  gboolean  (*export_section) (BbStore      *store,
                               JsonBuilder  *builder,
                               GError      **error);
  gboolean  (*read_section)   (JsonNode     *node,
                               ImportState  *state,
                               GError      **error);
  gboolean  (*write_section)  (BbStore      *store,
                               ImportState  *state,
                               GError      **error);
} Section;

static gboolean export_council (BbStore *store, JsonBuilder *builder, GError **error);
static gboolean read_council   (JsonNode *node, ImportState *state, GError **error);
static gboolean write_council  (BbStore *store, ImportState *state, GError **error);

static const Section sections[] = {
  { "council", TRUE, export_council, read_council, write_council },
};


static const char * const header_keys[] = {
  "format",
  "format_version",
  "exported_at",
  "exported_by",
  "schema_version",
};

/* Reading helpers. @where is the field's dotted name as the documentation
 * spells it ("council.residents"), so a message says exactly what is wrong. */

char *
bb_handover_field_name (const char *prefix,
            const char *key)
{
  if (prefix == NULL)
    return g_strdup (key);
  return g_strconcat (prefix, ".", key, NULL);
}

static gboolean
check_known_keys (JsonObject         *object,
                  const char         *prefix,
                  const char * const *known,
                  guint               n_known,
                  const Section      *known_sections,
                  guint               n_sections,
                  GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      gboolean found = FALSE;

      for (guint i = 0; i < n_known && !found; i++)
        found = strcmp (key, known[i]) == 0;
      for (guint i = 0; i < n_sections && !found; i++)
        found = strcmp (key, known_sections[i].key) == 0;
      /* The feature sections live at the top, beside the council. */
      for (guint i = 0; n_sections > 0 && i < G_N_ELEMENTS (feature_sections) && !found; i++)
        found = strcmp (key, feature_sections[i].key) == 0;

      if (!found)
        {
          g_autofree char *where = bb_handover_field_name (prefix, key);
          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The handover document has an unknown field “%s”."), where);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
bb_handover_check_keys (JsonObject          *object,
                        const char          *prefix,
                        const char * const  *known,
                        guint                n_known,
                        GError             **error)
{
  return check_known_keys (object, prefix, known, n_known, NULL, 0, error);
}

/* The member @key as a string. A missing or null member gives NULL when
 * @required is FALSE. */
gboolean
bb_handover_read_string (JsonObject   *object,
             const char   *prefix,
             const char   *key,
             gboolean      required,
             const char  **out_value,
             GError      **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *where = NULL;

  *out_value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;

      where = bb_handover_field_name (prefix, key);
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” is missing."), where);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      where = bb_handover_field_name (prefix, key);
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be text."), where);
      return FALSE;
    }

  *out_value = json_node_get_string (node);
  return TRUE;
}

gboolean
bb_handover_read_int (JsonObject  *object,
          const char  *prefix,
          const char  *key,
          gint64      *out_value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *where = bb_handover_field_name (prefix, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” is missing."), where);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be a whole number."), where);
      return FALSE;
    }

  *out_value = json_node_get_int (node);
  return TRUE;
}

gboolean
bb_handover_read_timestamp (JsonObject  *object,
                const char  *prefix,
                const char  *key,
                const char **out_value,
                GError     **error)
{
  g_autoptr(GDateTime) parsed = NULL;

  if (!bb_handover_read_string (object, prefix, key, TRUE, out_value, error))
    return FALSE;

  /* No default time zone: a time without one is ambiguous */
  parsed = g_date_time_new_from_iso8601 (*out_value, NULL);
  if (parsed == NULL)
    {
      g_autofree char *where = bb_handover_field_name (prefix, key);
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be a date and time in ISO 8601 with a time zone."),
                   where);
      return FALSE;
    }

  return TRUE;
}

/* The council section */

static const char * const council_keys[] = {
  "id",
  "name",
  "municipality",
  "legal_form",
  "kvk_number",
  "iban",
  "contact_name",
  "email",
  "phone",
  "residents",
  "created_at",
  "updated_at",
};

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *key,
                     const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static gboolean
export_council (BbStore      *store,
                JsonBuilder  *builder,
                GError      **error)
{
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);

  if (council == NULL)
    {
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                   _("The council file has no council details."));
      return FALSE;
    }

  json_builder_begin_object (builder);
  add_nullable_string (builder, "id", bb_council_get_id (council));
  add_nullable_string (builder, "name", bb_council_get_name (council));
  add_nullable_string (builder, "municipality", bb_council_get_municipality (council));
  add_nullable_string (builder, "legal_form",
                       bb_legal_form_to_string (bb_council_get_legal_form (council)));
  add_nullable_string (builder, "kvk_number", bb_council_get_kvk_number (council));
  add_nullable_string (builder, "iban", bb_council_get_iban (council));
  add_nullable_string (builder, "contact_name", bb_council_get_contact_name (council));
  add_nullable_string (builder, "email", bb_council_get_email (council));
  add_nullable_string (builder, "phone", bb_council_get_phone (council));
  json_builder_set_member_name (builder, "residents");
  json_builder_add_int_value (builder, bb_council_get_residents (council));
  add_nullable_string (builder, "created_at", bb_council_get_created_at (council));
  add_nullable_string (builder, "updated_at", bb_council_get_updated_at (council));
  json_builder_end_object (builder);

  return TRUE;
}

/* Ids end up in folder names (backups) and link records across councils;
 * the same shape bb_store_new_id() makes, and nothing that could escape. */
static gboolean
council_id_is_valid (const char *id)
{
  return g_uuid_string_is_valid (id);
}

static const char *
council_error_field (int code)
{
  switch (code)
    {
    case BB_COUNCIL_ERROR_NAME:
      return "council.name";
    case BB_COUNCIL_ERROR_KVK:
      return "council.kvk_number";
    case BB_COUNCIL_ERROR_IBAN:
      return "council.iban";
    case BB_COUNCIL_ERROR_EMAIL:
      return "council.email";
    case BB_COUNCIL_ERROR_RESIDENTS:
      return "council.residents";
    default:
      return "council";
    }
}

static gboolean
read_council (JsonNode     *node,
              ImportState  *state,
              GError      **error)
{
  const char *prefix = "council";
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) invalid = NULL;
  JsonObject *object;
  const char *id, *name, *municipality, *legal_form_text, *kvk_number, *iban;
  const char *contact_name, *email, *phone, *created_at, *updated_at;
  BbLegalForm legal_form;
  gint64 residents;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be an object."), prefix);
      return FALSE;
    }
  object = json_node_get_object (node);

  if (!check_known_keys (object, prefix, council_keys, G_N_ELEMENTS (council_keys),
                         NULL, 0, error))
    return FALSE;

  if (!bb_handover_read_string (object, prefix, "id", TRUE, &id, error) ||
      !bb_handover_read_string (object, prefix, "name", TRUE, &name, error) ||
      !bb_handover_read_string (object, prefix, "municipality", FALSE, &municipality, error) ||
      !bb_handover_read_string (object, prefix, "legal_form", TRUE, &legal_form_text, error) ||
      !bb_handover_read_string (object, prefix, "kvk_number", FALSE, &kvk_number, error) ||
      !bb_handover_read_string (object, prefix, "iban", FALSE, &iban, error) ||
      !bb_handover_read_string (object, prefix, "contact_name", FALSE, &contact_name, error) ||
      !bb_handover_read_string (object, prefix, "email", FALSE, &email, error) ||
      !bb_handover_read_string (object, prefix, "phone", FALSE, &phone, error) ||
      !bb_handover_read_int (object, prefix, "residents", &residents, error) ||
      !bb_handover_read_timestamp (object, prefix, "created_at", &created_at, error) ||
      !bb_handover_read_timestamp (object, prefix, "updated_at", &updated_at, error))
    return FALSE;

  if (!council_id_is_valid (id))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be a UUID."), "council.id");
      return FALSE;
    }

  if (!bb_legal_form_from_string (legal_form_text, &legal_form))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be “informal”, “stichting” or “vereniging”."),
                   "council.legal_form");
      return FALSE;
    }

  /* The upper limit of what makes sense is bb_council_validate()'s */
  if (residents < 0)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must not be negative."), "council.residents");
      return FALSE;
    }
  if (residents > G_MAXUINT)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” is too large."), "council.residents");
      return FALSE;
    }

  council = bb_council_new ();
  bb_council_set_id (council, id);
  bb_council_set_name (council, name);
  bb_council_set_municipality (council, municipality);
  bb_council_set_legal_form (council, legal_form);
  bb_council_set_kvk_number (council, kvk_number);
  bb_council_set_iban (council, iban);
  bb_council_set_contact_name (council, contact_name);
  bb_council_set_email (council, email);
  bb_council_set_phone (council, phone);
  bb_council_set_residents (council, (guint) residents);
  bb_council_set_created_at (council, created_at);
  bb_council_set_updated_at (council, updated_at);

  if (!bb_council_validate (council, &invalid))
    {
      const char *where = invalid->domain == BB_COUNCIL_ERROR
                          ? council_error_field (invalid->code) : prefix;
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” is not valid: %s"), where, invalid->message);
      return FALSE;
    }

  g_set_object (&state->council, council);
  return TRUE;
}

static gboolean
write_council (BbStore      *store,
               ImportState  *state,
               GError      **error)
{
  BbCouncil *council = state->council;
  sqlite3_stmt *stmt;
  int rc;

  /* bb_store_create() wrote the council itself, keeping its id, but it
   * stamps the file with the time of creation; a handed-over council
   * keeps its own history, so the dates are written back exactly. */
  if (g_strcmp0 (bb_store_get_council_id (store), bb_council_get_id (council)) != 0)
    {
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                   _("The new council file did not keep the council’s id."));
      return FALSE;
    }

  stmt = bb_store_prepare (store,
                           "UPDATE council SET created_at = ?1, updated_at = ?2"
                           " WHERE singleton = 1 AND id = ?3",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, bb_council_get_created_at (council), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, bb_council_get_updated_at (council), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, bb_council_get_id (council), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc,
                                 _("Could not save the council’s dates"));
      return FALSE;
    }

  if (sqlite3_changes (bb_store_get_db (store)) != 1)
    {
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                   _("The new council file did not keep the council’s id."));
      return FALSE;
    }

  return TRUE;
}

/* Export */

JsonNode *
bb_handover_export (BbStore  *store,
                    GError  **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *exported_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, HANDOVER_FORMAT);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, BB_HANDOVER_FORMAT_VERSION);
  json_builder_set_member_name (builder, "exported_at");
  json_builder_add_string_value (builder, exported_at);
  json_builder_set_member_name (builder, "exported_by");
  json_builder_add_string_value (builder, PACKAGE_NAME " " PACKAGE_VERSION);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, bb_store_get_schema_version (store));

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      json_builder_set_member_name (builder, sections[i].key);
      if (!sections[i].export_section (store, builder, error))
        return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (feature_sections); i++)
    {
      json_builder_set_member_name (builder, feature_sections[i].key);
      if (!feature_sections[i].export_section (store, builder, error))
        return NULL;
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The save dialog lets a user pick any name, including the council file
 * itself or another one: never replace a database with a JSON text. */
static gboolean
check_not_a_council_file (BbStore     *store,
                          const char  *path,
                          GError     **error)
{
  g_autofree char *name = g_path_get_basename (path);
  GStatBuf dest_st, store_st;
  char header[16] = { 0 };
  FILE *file;
  gboolean is_database = FALSE;

  if (g_stat (path, &dest_st) != 0)
    return TRUE;

  if (g_stat (bb_store_get_path (store), &store_st) == 0 &&
      dest_st.st_dev == store_st.st_dev && dest_st.st_ino == store_st.st_ino)
    is_database = TRUE;

  file = g_fopen (path, "rb");
  if (file != NULL)
    {
      if (fread (header, 1, sizeof header, file) == sizeof header &&
          memcmp (header, "SQLite format 3", sizeof header) == 0)
        is_database = TRUE;
      fclose (file);
    }

  if (is_database)
    {
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS,
                   /* Translators: %s is a file name */
                   _("“%s” is a council file, not a handover file. Choose another name so it is not replaced."),
                   name);
      return FALSE;
    }

  return TRUE;
}

gboolean
bb_handover_export_file (BbStore     *store,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_not_a_council_file (store, path, error))
    return FALSE;

  document = bb_handover_export (store, error);
  if (document == NULL)
    return FALSE;

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, document);
  text = json_generator_to_data (generator, NULL);
  contents = g_strconcat (text, "\n", NULL);

  /* Written to a temporary file and renamed, so an interrupted export
   * never leaves half a document; readable by the user only, as it holds
   * everyone's contact details. */
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Import */

static gboolean
read_header (JsonObject  *root,
             GError     **error)
{
  const char *text;
  gint64 number;

  if (!bb_handover_read_timestamp (root, NULL, "exported_at", &text, error) ||
      !bb_handover_read_string (root, NULL, "exported_by", TRUE, &text, error) ||
      !bb_handover_read_int (root, NULL, "schema_version", &number, error))
    return FALSE;

  if (number < 1)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                   _("The field “%s” must be a positive whole number."), "schema_version");
      return FALSE;
    }

  return TRUE;
}

/* Format and version come first: a newer document may well have keys this
 * build does not know, and must be reported as newer, not as broken. */
static gboolean
check_format (JsonNode  *document,
              GError   **error)
{
  JsonObject *root;
  JsonNode *node;
  gint64 version;

  if (document == NULL || !JSON_NODE_HOLDS_OBJECT (document))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_INVALID,
                   _("This is not a Buurtboek handover document."));
      return FALSE;
    }
  root = json_node_get_object (document);

  node = json_object_get_member (root, "format");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (node), HANDOVER_FORMAT) != 0)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_INVALID,
                   _("This is not a Buurtboek handover document."));
      return FALSE;
    }

  node = json_object_get_member (root, "format_version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 1)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_INVALID,
                   _("The handover document has no valid format version."));
      return FALSE;
    }

  version = json_node_get_int (node);
  if (version > BB_HANDOVER_FORMAT_VERSION)
    {
      g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_TOO_NEW,
                   _("This handover document was made by a newer version of Buurtboek "
                     "(format version %s). Update Buurtboek to import it."),
                   version_text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_document (JsonNode     *document,
               ImportState  *state,
               GError      **error)
{
  JsonObject *root;

  if (!check_format (document, error))
    return FALSE;
  root = json_node_get_object (document);

  if (!check_known_keys (root, NULL, header_keys, G_N_ELEMENTS (header_keys),
                         sections, G_N_ELEMENTS (sections), error))
    return FALSE;

  if (!read_header (root, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      JsonNode *node = json_object_get_member (root, sections[i].key);

      if (node == NULL)
        {
          if (!sections[i].required)
            continue;

          g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_DATA,
                       _("The field “%s” is missing."), sections[i].key);
          return FALSE;
        }

      if (!sections[i].read_section (node, state, error))
        return FALSE;
    }

  state->root = json_object_ref (root);

  return TRUE;
}

/* A dangling symbolic link counts as taken too: creating the file would
 * write wherever it points. */
static gboolean
check_dest_free (const char  *dest_path,
                 GError     **error)
{
  if (g_file_test (dest_path, G_FILE_TEST_EXISTS) ||
      g_file_test (dest_path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autofree char *name = g_filename_display_basename (dest_path);
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS,
                   _("“%s” already exists. Choose another name."), name);
      return FALSE;
    }

  return TRUE;
}

static void
remove_council_file (const char *path)
{
  static const char * const side[] = { "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (side); i++)
    {
      g_autofree char *name = g_strconcat (path, side[i], NULL);
      g_unlink (name);
    }

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_warning ("Could not remove the unfinished council file %s: %s",
               path, g_strerror (errno));
}

static gboolean
write_sections (BbStore      *store,
                ImportState  *state,
                GError      **error)
{
  if (!bb_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      if (!sections[i].write_section (store, state, error))
        {
          bb_store_rollback (store);
          return FALSE;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (feature_sections); i++)
    {
      JsonNode *node = json_object_get_member (state->root, feature_sections[i].key);

      if (node == NULL)
        continue;
      if (!feature_sections[i].import_section (store, node, error))
        {
          bb_store_rollback (store);
          return FALSE;
        }
    }

  return bb_store_commit (store, error);
}

BbStore *
bb_handover_import (JsonNode    *document,
                    const char  *dest_path,
                    const char  *backup_root,
                    GError     **error)
{
  g_auto(ImportState) state = { NULL, };
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (dest_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_dest_free (dest_path, error))
    return NULL;

  /* Everything is checked before the file is made */
  if (!read_document (document, &state, error))
    return NULL;

  /* A copy: bb_store_create() stamps what it is given with today's date */
  council = bb_council_copy (state.council);
  store = bb_store_create (dest_path, council, backup_root, &local_error);
  if (store == NULL)
    {
      /* Someone else's file that appeared meanwhile is not ours to remove */
      if (!g_error_matches (local_error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS))
        remove_council_file (dest_path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!write_sections (store, &state, error))
    {
      /* Nothing of this file is worth a backup on close */
      bb_store_mark_backed_up (store);
      bb_store_close (store, NULL);
      remove_council_file (dest_path);
      return NULL;
    }

  return g_steal_pointer (&store);
}

/* JsonParser recurses once per nesting level and silently wraps integers
 * that do not fit in 64 bits, so the text is checked first: only what JSON
 * allows between values (no comments or single quotes, which JsonParser
 * accepts and which would hide brackets from this scan), limited depth,
 * integers in range. */
static gboolean
check_json_text (const char  *text,
                 gsize        length,
                 GError     **error)
{
  guint depth = 0;
  guint line = 1;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          else if (c == '\n')
            line++;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '{':
        case '[':
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_INVALID,
                           _("The handover document is nested too deeply (line %u)."), line);
              return FALSE;
            }
          break;

        case '}':
        case ']':
          if (depth > 0)
            depth--;
          break;

        case '\n':
          line++;
          break;

        case ' ': case '\t': case '\r': case ',': case ':':
          break;

        case '-': case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          {
            gsize end = i;
            gboolean is_integer = TRUE;

            while (end < length && (g_ascii_isdigit (text[end]) || strchr ("+-.eE", text[end]) != NULL))
              {
                if (strchr (".eE", text[end]) != NULL)
                  is_integer = FALSE;
                end++;
              }

            if (is_integer)
              {
                g_autofree char *number = g_strndup (text + i, end - i);
                g_autoptr(GError) number_error = NULL;

                /* Malformed numbers are left for the parser to report */
                if (!g_ascii_string_to_signed (number, 10, G_MININT64, G_MAXINT64,
                                               NULL, &number_error) &&
                    g_error_matches (number_error, G_NUMBER_PARSER_ERROR,
                                     G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
                  {
                    g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_INVALID,
                                 _("The handover document has a number that is too large (line %u)."),
                                 line);
                    return FALSE;
                  }
              }

            i = end - 1;
          }
          break;

        default:
          if (!g_ascii_isalpha (c))
            {
              g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_INVALID,
                           _("The handover document is not valid JSON: unexpected character on line %u."),
                           line);
              return FALSE;
            }
          break;
        }
    }

  return TRUE;
}

static JsonNode *
load_document (const char  *json_path,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  const char *text;
  gsize length;

  if (!g_file_get_contents (json_path, &contents, &length, error))
    return NULL;

  text = contents;
  /* Some editors start a UTF-8 file with a byte order mark */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  if (!check_json_text (text, length, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_INVALID,
                   _("The handover document is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, BB_HANDOVER_ERROR, BB_HANDOVER_ERROR_INVALID,
                   _("The handover document is empty."));
      return NULL;
    }

  return json_parser_steal_root (parser);
}

BbStore *
bb_handover_import_file (const char  *json_path,
                         const char  *dest_path,
                         const char  *backup_root,
                         GError     **error)
{
  g_autoptr(JsonNode) document = NULL;

  g_return_val_if_fail (json_path != NULL, NULL);
  g_return_val_if_fail (dest_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_dest_free (dest_path, error))
    return NULL;

  document = load_document (json_path, error);
  if (document == NULL)
    return NULL;

  return bb_handover_import (document, dest_path, backup_root, error);
}

BbStore *
bb_handover_import_into_folder (const char  *json_path,
                                const char  *folder,
                                const char  *backup_root,
                                GError     **error)
{
  g_autoptr(JsonNode) document = NULL;
  g_autofree char *dest_path = NULL;
  const char *name = NULL;

  g_return_val_if_fail (json_path != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  document = load_document (json_path, error);
  if (document == NULL)
    return NULL;

  /* Only to name the file; bb_handover_import() checks the document. */
  if (JSON_NODE_HOLDS_OBJECT (document))
    {
      JsonNode *council = json_object_get_member (json_node_get_object (document), "council");

      if (council != NULL && JSON_NODE_HOLDS_OBJECT (council))
        {
          JsonNode *name_node = json_object_get_member (json_node_get_object (council), "name");

          if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
              json_node_get_value_type (name_node) == G_TYPE_STRING)
            name = json_node_get_string (name_node);
        }
    }

  dest_path = bb_council_suggest_path (folder, name != NULL ? name : "");

  return bb_handover_import (document, dest_path, backup_root, error);
}
