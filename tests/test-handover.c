/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bb-handover.h"
#include "bb-store.h"
#include "bb-test-util.h"

typedef struct {
  char *tmp;
  char *backup_root;
  char *path;
  char *dest;
  char *json;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp = g_dir_make_tmp ("bb-test-handover-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->backup_root = g_build_filename (fixture->tmp, "backups", NULL);
  fixture->path = g_build_filename (fixture->tmp, "council" BB_STORE_FILE_SUFFIX, NULL);
  fixture->dest = g_build_filename (fixture->tmp, "imported" BB_STORE_FILE_SUFFIX, NULL);
  fixture->json = g_build_filename (fixture->tmp, "handover.json", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  bb_test_remove_tree (fixture->tmp);
  g_free (fixture->json);
  g_free (fixture->dest);
  g_free (fixture->path);
  g_free (fixture->backup_root);
  g_free (fixture->tmp);
}

static void
close_store (BbStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);
}

static BbCouncil *
new_full_council (void)
{
  BbCouncil *council = bb_council_new ();

  bb_council_set_name (council, "Wijkraad Ëlsendonk – ’t Hof");
  bb_council_set_municipality (council, "’s-Hertogenbosch");
  bb_council_set_legal_form (council, BB_LEGAL_FORM_VERENIGING);
  bb_council_set_kvk_number (council, "87654321");
  bb_council_set_iban (council, "NL91ABNA0417164300");
  bb_council_set_contact_name (council, "Çiğdem Öztürk-van der Heijden");
  bb_council_set_email (council, "secretaris@elsendonk.nl");
  bb_council_set_phone (council, "+31 6 1234 5678");
  bb_council_set_residents (council, 12345);
  return council;
}

static BbStore *
create_full_store (Fixture *fixture)
{
  g_autoptr(BbCouncil) council = new_full_council ();
  g_autoptr(GError) error = NULL;
  BbStore *store;

  store = bb_store_create (fixture->path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static JsonNode *
parse_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

static void
assert_no_file (const char *path)
{
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  BbStore *store = create_full_store (fixture);
  g_autofree char *json2 = g_build_filename (fixture->tmp, "again.json", NULL);
  g_autoptr(BbCouncil) original = bb_store_dup_council (store);
  g_autoptr(BbCouncil) imported_council = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) in_memory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *raw = NULL;
  JsonObject *root;
  JsonObject *council;
  BbStore *imported;
  GStatBuf st;

  in_memory = bb_handover_export (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (in_memory);

  g_assert_true (bb_handover_export_file (store, fixture->json, &error));
  g_assert_no_error (error);
  close_store (store);

  /* Readable by the user only; one document ending in a newline */
  g_assert_no_errno (g_stat (fixture->json, &st));
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_true (g_file_get_contents (fixture->json, &raw, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (raw, "}\n"));

  first = parse_file (fixture->json);
  root = json_node_get_object (first);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "buurtboek-handover");
  g_assert_cmpint (json_object_get_int_member (root, "format_version"), ==, BB_HANDOVER_FORMAT_VERSION);
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==, BB_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (json_object_get_string_member (root, "exported_by"), ==, "Buurtboek " PACKAGE_VERSION);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "exported_at"), "Z"));
  council = json_object_get_object_member (root, "council");
  g_assert_cmpstr (json_object_get_string_member (council, "name"), ==, "Wijkraad Ëlsendonk – ’t Hof");
  g_assert_cmpstr (json_object_get_string_member (council, "legal_form"), ==, "vereniging");
  g_assert_cmpint (json_object_get_int_member (council, "residents"), ==, 12345);
  g_assert_cmpstr (json_object_get_string_member (council, "id"), ==, bb_council_get_id (original));

  imported = bb_handover_import_file (fixture->json, fixture->dest, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);

  imported_council = bb_store_dup_council (imported);
  g_assert_cmpstr (bb_council_get_id (imported_council), ==, bb_council_get_id (original));
  g_assert_cmpstr (bb_council_get_created_at (imported_council), ==, bb_council_get_created_at (original));
  g_assert_cmpstr (bb_council_get_updated_at (imported_council), ==, bb_council_get_updated_at (original));
  g_assert_cmpstr (bb_council_get_contact_name (imported_council), ==, "Çiğdem Öztürk-van der Heijden");
  g_assert_cmpstr (bb_council_get_municipality (imported_council), ==, "’s-Hertogenbosch");

  g_assert_true (bb_handover_export_file (imported, json2, &error));
  g_assert_no_error (error);
  close_store (imported);

  second = parse_file (json2);
  json_object_remove_member (json_node_get_object (first), "exported_at");
  json_object_remove_member (json_node_get_object (second), "exported_at");
  json_object_remove_member (json_node_get_object (in_memory), "exported_at");
  g_assert_true (json_node_equal (first, second));
  g_assert_true (json_node_equal (first, in_memory));

  first_text = to_string (first);
  second_text = to_string (second);
  g_assert_cmpstr (first_text, ==, second_text);
}

static void
test_import_node (Fixture       *fixture,
                  gconstpointer  data)
{
  BbStore *store = create_full_store (fixture);
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) error = NULL;
  BbStore *imported;

  document = bb_handover_export (store, &error);
  g_assert_no_error (error);
  close_store (store);

  /* The file exists already */
  g_assert_null (bb_handover_import (document, fixture->path, fixture->backup_root, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  imported = bb_handover_import (document, fixture->dest, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);
  g_assert_false (bb_store_is_read_only (imported));
  close_store (imported);
}

static void
test_fixture_v1 (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = fixture_path ("handover-v1.json");
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) error = NULL;
  BbStore *store;

  store = bb_handover_import_file (path, fixture->dest, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  council = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_id (council), ==, "5f0c6e8a-2d7b-4c1e-9a33-1b2f4d6e8a90");
  g_assert_cmpstr (bb_store_get_council_id (store), ==, "5f0c6e8a-2d7b-4c1e-9a33-1b2f4d6e8a90");
  g_assert_cmpstr (bb_council_get_name (council), ==, "Wijkraad Ëlsendonk – ’t Hof");
  g_assert_cmpstr (bb_council_get_municipality (council), ==, "Eindhoven");
  g_assert_cmpint (bb_council_get_legal_form (council), ==, BB_LEGAL_FORM_STICHTING);
  g_assert_cmpstr (bb_council_get_kvk_number (council), ==, "12345678");
  g_assert_cmpstr (bb_council_get_iban (council), ==, "NL91ABNA0417164300");
  g_assert_cmpstr (bb_council_get_contact_name (council), ==, "Anneke de Vries");
  g_assert_cmpstr (bb_council_get_email (council), ==, "secretariaat@elsendonk.nl");
  g_assert_cmpstr (bb_council_get_phone (council), ==, "040 123 4567");
  g_assert_cmpuint (bb_council_get_residents (council), ==, 4200);
  g_assert_cmpstr (bb_council_get_created_at (council), ==, "2024-01-15T09:30:00Z");
  g_assert_cmpstr (bb_council_get_updated_at (council), ==, "2026-11-20T19:45:12Z");
  close_store (store);

  /* A second import to the same place is refused, the first file stays */
  g_assert_null (bb_handover_import_file (path, fixture->dest, fixture->backup_root, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS);
  g_assert_true (g_file_test (fixture->dest, G_FILE_TEST_IS_REGULAR));
}

static void
test_broken_fixtures (Fixture       *fixture,
                      gconstpointer  data)
{
  const struct {
    const char *name;
    int         code;
    const char *mentions;
  } cases[] = {
    { "handover-truncated.json",    BB_HANDOVER_ERROR_INVALID, NULL },
    { "handover-wrong-format.json", BB_HANDOVER_ERROR_INVALID, NULL },
    { "handover-version-99.json",   BB_HANDOVER_ERROR_TOO_NEW, "99" },
    { "handover-wrong-types.json",  BB_HANDOVER_ERROR_DATA,    "council.residents" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture_path (cases[i].name);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].name);
      g_assert_null (bb_handover_import_file (path, fixture->dest, fixture->backup_root, &error));
      g_assert_error (error, BB_HANDOVER_ERROR, cases[i].code);
      if (cases[i].mentions != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].mentions));
      assert_no_file (fixture->dest);
    }
}

/* Replaces @from by @to in the valid fixture, once */
static char *
edit_fixture (const char *from,
              const char *to)
{
  g_autofree char *path = fixture_path ("handover-v1.json");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) edited = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, from));
  edited = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (edited, from, to, 1), ==, 1);
  return g_string_free (g_steal_pointer (&edited), FALSE);
}

static void
assert_import_fails (Fixture    *fixture,
                     const char *text,
                     gssize      length,
                     int         code,
                     const char *mentions)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (fixture->json, text, length, &error));
  g_assert_no_error (error);
  g_assert_null (bb_handover_import_file (fixture->json, fixture->dest, fixture->backup_root, &error));
  g_assert_error (error, BB_HANDOVER_ERROR, code);
  if (mentions != NULL)
    g_assert_nonnull (strstr (error->message, mentions));
  assert_no_file (fixture->dest);
}

static void
assert_edit_fails (Fixture    *fixture,
                   const char *from,
                   const char *to,
                   int         code,
                   const char *mentions)
{
  g_autofree char *text = edit_fixture (from, to);

  g_test_message ("%s → %s", from, to);
  assert_import_fails (fixture, text, -1, code, mentions);
}

static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new ("{\"format\": \"buurtboek-handover\", \"junk\": ");
  g_autoptr(GString) deep_objects = g_string_new (NULL);

  /* Not a handover document at all */
  assert_import_fails (fixture, "", 0, BB_HANDOVER_ERROR_INVALID, NULL);
  assert_import_fails (fixture, "   \n", -1, BB_HANDOVER_ERROR_INVALID, NULL);
  assert_import_fails (fixture, "[1, 2, 3]", -1, BB_HANDOVER_ERROR_INVALID, NULL);
  assert_import_fails (fixture, "\"buurtboek-handover\"", -1, BB_HANDOVER_ERROR_INVALID, NULL);
  assert_import_fails (fixture, "null", -1, BB_HANDOVER_ERROR_INVALID, NULL);
  assert_import_fails (fixture, "{}", -1, BB_HANDOVER_ERROR_INVALID, NULL);
  assert_import_fails (fixture, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, BB_HANDOVER_ERROR_INVALID, NULL);
  assert_import_fails (fixture, "{\"format\": \"buurtboek-\xff\"}", -1, BB_HANDOVER_ERROR_INVALID, NULL);

  /* Deeply nested junk must not reach the recursive parser */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  assert_import_fails (fixture, deep->str, deep->len, BB_HANDOVER_ERROR_INVALID, NULL);

  for (guint i = 0; i < 100000; i++)
    g_string_append (deep_objects, "{\"a\":");
  assert_import_fails (fixture, deep_objects->str, deep_objects->len, BB_HANDOVER_ERROR_INVALID, NULL);

  /* Brackets hidden from a naive scan behind comments or single quotes */
  assert_import_fails (fixture, "['\"', [[[[[[]]]]]]]", -1, BB_HANDOVER_ERROR_INVALID, NULL);
  assert_import_fails (fixture, "/* \" */ {\"format\": 1}", -1, BB_HANDOVER_ERROR_INVALID, NULL);

  /* Format and version */
  assert_edit_fails (fixture, "\"format_version\" : 1", "\"format_version\" : 0",
                     BB_HANDOVER_ERROR_INVALID, NULL);
  assert_edit_fails (fixture, "\"format_version\" : 1", "\"format_version\" : \"1\"",
                     BB_HANDOVER_ERROR_INVALID, NULL);
  assert_edit_fails (fixture, "\"format_version\" : 1", "\"format_version\" : 1.5",
                     BB_HANDOVER_ERROR_INVALID, NULL);
  assert_edit_fails (fixture, "\"format_version\" : 1", "\"format_version\" : 2",
                     BB_HANDOVER_ERROR_TOO_NEW, NULL);
  assert_edit_fails (fixture, "\"format_version\" : 1", "\"format_version\" : 99999999999999999999",
                     BB_HANDOVER_ERROR_INVALID, NULL);
  assert_edit_fails (fixture, "\"format\" : \"buurtboek-handover\",", "",
                     BB_HANDOVER_ERROR_INVALID, NULL);

  /* Huge and negative numbers */
  assert_edit_fails (fixture, "4200", "-1", BB_HANDOVER_ERROR_DATA, "council.residents");
  assert_edit_fails (fixture, "4200", "4294967296", BB_HANDOVER_ERROR_DATA, "council.residents");
  assert_edit_fails (fixture, "4200", "9223372036854775807", BB_HANDOVER_ERROR_DATA, "council.residents");
  assert_edit_fails (fixture, "4200", "18446744073709551617", BB_HANDOVER_ERROR_INVALID, NULL);
  assert_edit_fails (fixture, "4200", "-99999999999999999999", BB_HANDOVER_ERROR_INVALID, NULL);
  assert_edit_fails (fixture, "4200", "1e999", BB_HANDOVER_ERROR_DATA, "council.residents");
  assert_edit_fails (fixture, "4200", "4200.0", BB_HANDOVER_ERROR_DATA, "council.residents");
  assert_edit_fails (fixture, "4200", "2000000", BB_HANDOVER_ERROR_DATA, "council.residents");

  /* Wrong types and values */
  assert_edit_fails (fixture, "\"Eindhoven\"", "42", BB_HANDOVER_ERROR_DATA, "council.municipality");
  assert_edit_fails (fixture, "\"Eindhoven\"", "[\"Eindhoven\"]", BB_HANDOVER_ERROR_DATA, "council.municipality");
  assert_edit_fails (fixture, "\"stichting\"", "\"coöperatie\"", BB_HANDOVER_ERROR_DATA, "council.legal_form");
  assert_edit_fails (fixture, "\"12345678\"", "\"1234\"", BB_HANDOVER_ERROR_DATA, "council.kvk_number");
  assert_edit_fails (fixture, "\"NL91ABNA0417164300\"", "\"NL91ABNA0417164301\"", BB_HANDOVER_ERROR_DATA, "council.iban");
  assert_edit_fails (fixture, "\"secretariaat@elsendonk.nl\"", "\"secretariaat\"", BB_HANDOVER_ERROR_DATA, "council.email");
  assert_edit_fails (fixture, "\"Wijkraad Ëlsendonk – ’t Hof\"", "\"  \"", BB_HANDOVER_ERROR_DATA, "council.name");
  assert_edit_fails (fixture, "\"Wijkraad Ëlsendonk – ’t Hof\"", "null", BB_HANDOVER_ERROR_DATA, "council.name");
  assert_edit_fails (fixture, "\"5f0c6e8a-2d7b-4c1e-9a33-1b2f4d6e8a90\"", "\"../../etc\"", BB_HANDOVER_ERROR_DATA, "council.id");
  assert_edit_fails (fixture, "\"2024-01-15T09:30:00Z\"", "\"15-01-2024\"", BB_HANDOVER_ERROR_DATA, "council.created_at");
  assert_edit_fails (fixture, "\"2024-01-15T09:30:00Z\"", "\"2024-01-15T09:30:00\"", BB_HANDOVER_ERROR_DATA, "council.created_at");
  assert_edit_fails (fixture, "\"2026-11-22T14:52:03Z\"", "1700000000", BB_HANDOVER_ERROR_DATA, "exported_at");
  assert_edit_fails (fixture, "\"schema_version\" : 2", "\"schema_version\" : -2", BB_HANDOVER_ERROR_DATA, "schema_version");
  assert_edit_fails (fixture, "\"exported_by\" : \"Buurtboek 0.1.0\",", "", BB_HANDOVER_ERROR_DATA, "exported_by");

  /* Missing or unknown parts: nothing is dropped silently */
  assert_edit_fails (fixture, "\"council\" : {", "\"councils\" : {", BB_HANDOVER_ERROR_DATA, "councils");
  assert_edit_fails (fixture, "\"phone\" :", "\"telefoon\" :", BB_HANDOVER_ERROR_DATA, "council.telefoon");
  assert_edit_fails (fixture, "\"residents\" : 4200,", "", BB_HANDOVER_ERROR_DATA, "council.residents");
  assert_edit_fails (fixture, "\"schema_version\" : 2,", "\"schema_version\" : 2, \"activities\" : [],",
                     BB_HANDOVER_ERROR_DATA, "activities");
  {
    g_autofree char *no_council = g_strdup ("{\"format\": \"buurtboek-handover\", \"format_version\": 1, "
                                            "\"exported_at\": \"2026-11-22T14:52:03Z\", "
                                            "\"exported_by\": \"Buurtboek 0.1.0\", \"schema_version\": 2}");
    assert_import_fails (fixture, no_council, -1, BB_HANDOVER_ERROR_DATA, "council");
  }
  assert_edit_fails (fixture, "\"council\" : {", "\"council\" : [ ], \"old\" : {", BB_HANDOVER_ERROR_DATA, "old");
}

static void
test_optional_fields (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autofree char *text = NULL;
  BbStore *store;

  /* Leaving out what is optional, or writing null, means "not set" */
  text = g_strdup ("\xEF\xBB\xBF{\"format\": \"buurtboek-handover\", \"format_version\": 1,\n"
                   " \"exported_at\": \"2026-11-22T15:52:03+01:00\", \"exported_by\": \"hand\",\n"
                   " \"schema_version\": 1, \"council\": {\n"
                   "  \"id\": \"0b1e0f3c-58a4-4b39-8a55-2f6f1c1e9d77\", \"name\": \"Buurtcomité Zuid\",\n"
                   "  \"legal_form\": \"informal\", \"residents\": 0, \"email\": null,\n"
                   "  \"created_at\": \"2025-03-01T10:00:00+01:00\", \"updated_at\": \"2025-03-01T10:00:00+01:00\"}}\n");
  g_assert_true (g_file_set_contents (fixture->json, text, -1, &error));
  g_assert_no_error (error);

  store = bb_handover_import_file (fixture->json, fixture->dest, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  council = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (council), ==, "Buurtcomité Zuid");
  g_assert_cmpstr (bb_council_get_email (council), ==, "");
  g_assert_cmpstr (bb_council_get_iban (council), ==, "");
  g_assert_cmpint (bb_council_get_legal_form (council), ==, BB_LEGAL_FORM_INFORMAL);
  g_assert_cmpuint (bb_council_get_residents (council), ==, 0);
  g_assert_cmpstr (bb_council_get_created_at (council), ==, "2025-03-01T10:00:00+01:00");
  close_store (store);
}

static void
test_missing_source (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (bb_handover_import_file (fixture->json, fixture->dest, fixture->backup_root, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  assert_no_file (fixture->dest);
}

/* The save dialog lets a user choose any name: an export must never turn
 * the council file (or another one) into a JSON text. */
static void
test_export_refuses_council_files (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_full_store (fixture);
  g_autoptr(BbStore) other = NULL;
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = g_build_filename (fixture->tmp, "Andere wijkraad.buurtboek", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;

  g_assert_true (g_file_get_contents (fixture->path, &before, &before_len, NULL));
  g_assert_false (bb_handover_export_file (store, fixture->path, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (fixture->path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);

  bb_council_set_name (council, "Andere wijkraad");
  other = bb_store_create (other_path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_false (bb_handover_export_file (store, other_path, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  /* An earlier export may be replaced: that is what "Replace" means. */
  g_assert_true (bb_handover_export_file (store, fixture->json, &error));
  g_assert_no_error (error);
  g_assert_true (bb_handover_export_file (store, fixture->json, &error));
  g_assert_no_error (error);
}

/* The app imports into a folder: the file is named after the council. */
static void
test_import_into_folder (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_full_store (fixture);
  g_autoptr(BbStore) first = NULL;
  g_autoptr(BbStore) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (fixture->tmp, "nieuw", NULL);
  g_autofree char *first_name = NULL;
  g_autofree char *second_name = NULL;

  g_assert_true (bb_handover_export_file (store, fixture->json, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);

  first = bb_handover_import_into_folder (fixture->json, folder, fixture->backup_root, &error);
  g_assert_no_error (error);
  second = bb_handover_import_into_folder (fixture->json, folder, fixture->backup_root, &error);
  g_assert_no_error (error);

  first_name = g_path_get_basename (bb_store_get_path (first));
  second_name = g_path_get_basename (bb_store_get_path (second));
  g_assert_true (g_str_has_suffix (first_name, ".buurtboek"));
  g_assert_cmpstr (first_name, !=, second_name);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bb/handover/round-trip", Fixture, NULL,
              fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/bb/handover/import-node", Fixture, NULL,
              fixture_setup, test_import_node, fixture_teardown);
  g_test_add ("/bb/handover/fixture-v1", Fixture, NULL,
              fixture_setup, test_fixture_v1, fixture_teardown);
  g_test_add ("/bb/handover/broken-fixtures", Fixture, NULL,
              fixture_setup, test_broken_fixtures, fixture_teardown);
  g_test_add ("/bb/handover/hostile", Fixture, NULL,
              fixture_setup, test_hostile, fixture_teardown);
  g_test_add ("/bb/handover/optional-fields", Fixture, NULL,
              fixture_setup, test_optional_fields, fixture_teardown);
  g_test_add ("/bb/handover/missing-source", Fixture, NULL,
              fixture_setup, test_missing_source, fixture_teardown);

  g_test_add ("/bb/handover/export-refuses-council-files", Fixture, NULL,
              fixture_setup, test_export_refuses_council_files, fixture_teardown);
  g_test_add ("/bb/handover/import-into-folder", Fixture, NULL,
              fixture_setup, test_import_into_folder, fixture_teardown);

  return g_test_run ();
}
