/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bb-backup.h"
#include "bb-demo.h"
#include "bb-store-private.h"
#include "bb-validate.h"
#include "bb-test-util.h"

typedef struct
{
  char *dir;
  char *backup_root;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("buurtboek-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->backup_root = g_build_filename (fixture->dir, "backups", NULL);
  fixture->path = g_build_filename (fixture->dir, "Wijkraad Zuid.buurtboek", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->backup_root);
  g_free (fixture->path);
}

/* Helpers */

static BbCouncil *
make_council (void)
{
  BbCouncil *council = bb_council_new ();

  bb_council_set_name (council, "Wijkraad Zuid");
  bb_council_set_municipality (council, "Tilburg");
  bb_council_set_legal_form (council, BB_LEGAL_FORM_STICHTING);
  bb_council_set_kvk_number (council, "4012 3456");
  bb_council_set_iban (council, "NL64 RABO 0343 2319 48");
  bb_council_set_contact_name (council, "Fatima el Amrani");
  bb_council_set_email (council, "secretariaat@wijkraadzuid.nl");
  bb_council_set_phone (council, "013 555 0123");
  bb_council_set_residents (council, 3200);
  return council;
}

static BbStore *
create_store (Fixture *fixture)
{
  g_autoptr(BbCouncil) council = make_council ();
  g_autoptr(GError) error = NULL;
  BbStore *store;

  store = bb_store_create (fixture->path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Creates a council file at fixture->path and closes it. */
static void
create_council_file (Fixture *fixture)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
}

static char *
file_checksum (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The names in @dir, sorted, one string: to see that nothing appeared. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv ("\n", (char **) names->pdata);
}

static guint
count_backups (Fixture    *fixture,
               const char *council_id)
{
  g_autoptr(GPtrArray) backups = bb_backup_list (fixture->backup_root, council_id, NULL);

  return backups != NULL ? backups->len : 0;
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
raw_query_text (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static sqlite3_int64
raw_query_int (sqlite3    *db,
               const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3_int64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
assert_no_side_files (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (path, suffixes[i], NULL);

      g_assert_false (g_file_test (side, G_FILE_TEST_EXISTS));
    }
}

/* Opening @path fails with @code, both for writing and read-only, and
 * neither attempt changes a byte of it or leaves anything beside it. */
static void
assert_open_refused (Fixture    *fixture,
                     const char *path,
                     int         code)
{
  static const BbStoreOpenFlags modes[] = { BB_STORE_OPEN_NONE, BB_STORE_OPEN_READ_ONLY };
  gboolean exists = g_file_test (path, G_FILE_TEST_IS_REGULAR);
  g_autofree char *checksum = exists ? file_checksum (path) : NULL;
  g_autofree char *listing = list_dir (fixture->dir);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbStore) store = NULL;
      g_autofree char *listing_after = NULL;

      store = bb_store_open (path, modes[i], fixture->backup_root, &error);
      g_assert_null (store);
      g_assert_error (error, BB_STORE_ERROR, code);
      g_assert_cmpstr (error->message, !=, "");
      g_test_message ("%s", error->message);

      if (exists)
        {
          g_autofree char *checksum_after = file_checksum (path);

          g_assert_cmpstr (checksum_after, ==, checksum);
        }

      listing_after = list_dir (fixture->dir);
      g_assert_cmpstr (listing_after, ==, listing);
    }
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
assert_council_equal (BbCouncil *a,
                      BbCouncil *b)
{
  g_assert_cmpstr (bb_council_get_id (a), ==, bb_council_get_id (b));
  g_assert_cmpstr (bb_council_get_name (a), ==, bb_council_get_name (b));
  g_assert_cmpstr (bb_council_get_municipality (a), ==, bb_council_get_municipality (b));
  g_assert_cmpint (bb_council_get_legal_form (a), ==, bb_council_get_legal_form (b));
  g_assert_cmpstr (bb_council_get_kvk_number (a), ==, bb_council_get_kvk_number (b));
  g_assert_cmpstr (bb_council_get_iban (a), ==, bb_council_get_iban (b));
  g_assert_cmpstr (bb_council_get_contact_name (a), ==, bb_council_get_contact_name (b));
  g_assert_cmpstr (bb_council_get_email (a), ==, bb_council_get_email (b));
  g_assert_cmpstr (bb_council_get_phone (a), ==, bb_council_get_phone (b));
  g_assert_cmpuint (bb_council_get_residents (a), ==, bb_council_get_residents (b));
  g_assert_cmpstr (bb_council_get_created_at (a), ==, bb_council_get_created_at (b));
  g_assert_cmpstr (bb_council_get_updated_at (a), ==, bb_council_get_updated_at (b));
}

static void
count_cb (BbStore *store,
          guint   *count)
{
  (*count)++;
}

/* Tests */

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(BbCouncil) council = make_council ();
  g_autoptr(BbCouncil) stored = NULL;
  g_autoptr(BbCouncil) reread = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  store = bb_store_create (fixture->path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  /* Create fills in what the file needs and normalises the rest. */
  g_assert_true (g_uuid_string_is_valid (bb_council_get_id (council)));
  g_assert_cmpstr (bb_store_get_council_id (store), ==, bb_council_get_id (council));
  g_assert_cmpstr (bb_council_get_kvk_number (council), ==, "40123456");
  g_assert_cmpstr (bb_council_get_iban (council), ==, "NL64RABO0343231948");
  g_assert_cmpstr (bb_council_get_created_at (council), !=, "");
  g_assert_cmpstr (bb_council_get_updated_at (council), !=, "");

  g_assert_cmpstr (bb_store_get_path (store), ==, fixture->path);
  g_assert_cmpstr (bb_store_get_backup_root (store), ==, fixture->backup_root);
  g_assert_false (bb_store_is_read_only (store));
  g_assert_cmpint (bb_store_get_opened_version (store), ==, BB_STORE_SCHEMA_VERSION);
  g_assert_cmpint (bb_store_get_schema_version (store), ==, BB_STORE_SCHEMA_VERSION);

  stored = bb_store_dup_council (store);
  assert_council_equal (stored, council);

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Only the council file is left: no temporary or side files. */
  assert_no_side_files (fixture->path);
  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "Wijkraad Zuid.buurtboek\nbackups");

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (bb_store_get_opened_version (store), ==, BB_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (bb_store_get_council_id (store), ==, bb_council_get_id (council));

  reread = bb_store_dup_council (store);
  assert_council_equal (reread, council);

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));
  assert_no_side_files (fixture->path);
}

/* Names with characters that mean something in a URI or need escaping. */
static void
test_awkward_file_name (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(BbCouncil) council = make_council ();
  g_autoptr(BbCouncil) reread = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "Bewoners ’t Hofke #1?%20&x=y.buurtboek", NULL);
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;

  store = bb_store_create (path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_true (bb_store_close (store, &error));
  g_clear_object (&store);

  store = bb_store_open (path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  reread = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (reread), ==, "Wijkraad Zuid");
  g_assert_true (bb_store_close (store, &error));
  g_clear_object (&store);

  checksum = file_checksum (path);
  store = bb_store_open (path, BB_STORE_OPEN_READ_ONLY, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_true (bb_store_close (store, &error));
  after = file_checksum (path);
  g_assert_cmpstr (after, ==, checksum);
  assert_no_side_files (path);
}

static void
test_pragmas (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  sqlite3 *db;

  for (guint round = 0; round < 2; round++)
    {
      db = bb_store_get_db (store);
      g_clear_pointer (&mode, g_free);
      mode = raw_query_text (db, "PRAGMA journal_mode");
      g_assert_cmpstr (mode, ==, "wal");
      g_assert_cmpint (raw_query_int (db, "PRAGMA foreign_keys"), ==, 1);
      g_assert_cmpint (raw_query_int (db, "PRAGMA application_id"), ==, BB_STORE_APPLICATION_ID);
      g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, BB_STORE_SCHEMA_VERSION);
      g_assert_cmpint (raw_query_int (db, "PRAGMA synchronous"), ==, 1);  /* NORMAL */

      g_assert_true (bb_store_close (store, &error));
      g_assert_no_error (error);
      g_clear_object (&store);

      store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
      g_assert_no_error (error);
    }

  {
    g_autofree char *created_by = raw_query_text (bb_store_get_db (store),
                                                  "SELECT value FROM meta WHERE key = 'created_by_version'");

    g_assert_cmpstr (created_by, ==, PACKAGE_VERSION);
  }
}

static void
test_prepare_cache (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *first;
  sqlite3_stmt *again;

  first = bb_store_prepare (store, "SELECT name FROM council WHERE id = ?1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_bind_text (first, 1, bb_store_get_council_id (store), -1, SQLITE_TRANSIENT), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (first), ==, SQLITE_ROW);

  /* Same text, same statement, reset and unbound. */
  again = bb_store_prepare (store, "SELECT name FROM council WHERE id = ?1", &error);
  g_assert_true (again == first);
  g_assert_cmpint (sqlite3_step (again), ==, SQLITE_DONE);
  sqlite3_reset (again);

  g_assert_null (bb_store_prepare (store, "SELECT missing FROM nowhere", &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "no such table"));
}

static void
test_update_council (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);
  g_autoptr(BbCouncil) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created_at = g_strdup (bb_council_get_created_at (council));
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);

  bb_council_set_name (council, "Wijkraad Zuid-Oost");
  bb_council_set_residents (council, 5100);
  bb_council_set_email (council, "info@wijkraadzuidoost.nl");
  bb_council_set_updated_at (council, "2000-01-01T00:00:00Z");
  g_assert_true (bb_store_update_council (store, council, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpstr (bb_council_get_updated_at (council), !=, "2000-01-01T00:00:00Z");
  g_assert_cmpstr (bb_council_get_created_at (council), ==, created_at);

  /* An invalid council is refused with the field's code; nothing changes. */
  bb_council_set_name (council, " ");
  g_assert_false (bb_store_update_council (store, council, &error));
  g_assert_error (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_NAME);
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, 1);

  /* Details of another council do not overwrite this one. */
  bb_council_set_name (council, "Wijkraad Noord");
  bb_council_set_id (council, "00000000-0000-4000-8000-000000000000");
  g_assert_false (bb_store_update_council (store, council, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, 1);

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  reread = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (reread), ==, "Wijkraad Zuid-Oost");
  g_assert_cmpuint (bb_council_get_residents (reread), ==, 5100);
  g_assert_cmpstr (bb_council_get_email (reread), ==, "info@wijkraadzuidoost.nl");
  g_assert_cmpstr (bb_council_get_created_at (reread), ==, created_at);
}

static void
test_create_refuses (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(BbCouncil) council = make_council ();
  g_autoptr(BbCouncil) nameless = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *other = g_build_filename (fixture->dir, "Ander.buurtboek", NULL);

  write_file (fixture->path, "notulen van de vergadering\n", -1);
  checksum = file_checksum (fixture->path);

  store = bb_store_create (fixture->path, council, fixture->backup_root, &error);
  g_assert_null (store);
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  after = file_checksum (fixture->path);
  g_assert_cmpstr (after, ==, checksum);

  /* An invalid council makes no file at all. */
  store = bb_store_create (other, nameless, fixture->backup_root, &error);
  g_assert_null (store);
  g_assert_error (error, BB_COUNCIL_ERROR, BB_COUNCIL_ERROR_NAME);
  g_clear_error (&error);

  /* A folder that does not exist: an error, and nothing left behind. */
  {
    g_autofree char *nowhere = g_build_filename (fixture->dir, "nowhere", "x.buurtboek", NULL);

    store = bb_store_create (nowhere, council, fixture->backup_root, &error);
    g_assert_null (store);
    g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED);
    g_clear_error (&error);
  }

  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "Wijkraad Zuid.buurtboek");
}

static void
test_open_missing (Fixture       *fixture,
                   gconstpointer  user_data)
{
  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_open_text_file (Fixture       *fixture,
                     gconstpointer  user_data)
{
  write_file (fixture->path,
              "Notulen wijkraad 12 maart\n\n1. Opening\n2. Mededelingen\n3. Rondvraag\n", -1);
  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_NOT_COUNCIL);
}

static void
test_open_empty_file (Fixture       *fixture,
                      gconstpointer  user_data)
{
  write_file (fixture->path, "", 0);
  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_NOT_COUNCIL);
}

static void
test_open_random_bytes (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240312);
  g_autofree guint32 *data = g_new (guint32, 4096);

  for (guint i = 0; i < 4096; i++)
    data[i] = g_rand_int (rand);

  write_file (fixture->path, (const char *) data, 4096 * sizeof (guint32));
  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_NOT_COUNCIL);
}

static void
test_open_directory (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_assert_cmpint (g_mkdir (fixture->path, 0700), ==, 0);
  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_NOT_COUNCIL);
}

static void
test_open_foreign_database (Fixture       *fixture,
                            gconstpointer  user_data)
{
  sqlite3 *db = raw_open (fixture->path);

  raw_exec (db,
            "CREATE TABLE contacts (name TEXT, phone TEXT);"
            "INSERT INTO contacts VALUES ('Piet', '06 1111 2222');");
  sqlite3_close (db);

  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_NOT_COUNCIL);
}

static void
test_open_foreign_wal_database (Fixture       *fixture,
                                gconstpointer  user_data)
{
  sqlite3 *db = raw_open (fixture->path);

  /* A WAL file would get "-wal" and "-shm" from a careless look. */
  raw_exec (db,
            "PRAGMA journal_mode = WAL;"
            "CREATE TABLE agenda (day TEXT, what TEXT);"
            "INSERT INTO agenda VALUES ('2024-04-27', 'Koningsdag');");
  sqlite3_close (db);
  assert_no_side_files (fixture->path);

  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_NOT_COUNCIL);
}

static void
test_open_too_new (Fixture       *fixture,
                   gconstpointer  user_data)
{
  sqlite3 *db;

  create_council_file (fixture);
  db = raw_open (fixture->path);
  raw_exec (db, "PRAGMA user_version = 99");
  sqlite3_close (db);
  assert_no_side_files (fixture->path);

  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_TOO_NEW);
}

static void
test_open_truncated (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  create_council_file (fixture);
  g_file_get_contents (fixture->path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 4 * 4096);

  /* Cut after the second page: the schema points at pages that are gone. */
  write_file (fixture->path, contents, 2 * 4096);
  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_CORRUPT);

  /* Cut inside the header: not recognisable as a database at all. */
  write_file (fixture->path, contents, 60);
  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_NOT_COUNCIL);
}

static void
test_open_corrupt_page (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  create_council_file (fixture);
  g_file_get_contents (fixture->path, &contents, &length, &error);
  g_assert_no_error (error);

  /* Scribble over every page but the first (which holds the header and
   * the schema, so the file still looks like a council file). */
  for (gsize i = 4096; i < length; i++)
    contents[i] = (char) (0xa5 ^ (i & 0xff));

  write_file (fixture->path, contents, length);
  assert_open_refused (fixture, fixture->path, BB_STORE_ERROR_CORRUPT);
}

static void
test_open_locked (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;
  sqlite3 *other;

  create_council_file (fixture);
  checksum = file_checksum (fixture->path);

  /* Another program in the middle of writing. */
  other = raw_open (fixture->path);
  raw_exec (other, "BEGIN EXCLUSIVE");

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_null (store);
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_LOCKED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  after = file_checksum (fixture->path);
  g_assert_cmpstr (after, ==, checksum);

  raw_exec (other, "ROLLBACK");
  sqlite3_close (other);
  assert_no_side_files (fixture->path);

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

static void
test_open_read_only_file (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root may write to any file");
      return;
    }

  create_council_file (fixture);
  g_assert_cmpint (g_chmod (fixture->path, 0444), ==, 0);
  checksum = file_checksum (fixture->path);

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_null (store);
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* Read-only is what the message suggests, and it works. */
  store = bb_store_open (fixture->path, BB_STORE_OPEN_READ_ONLY, fixture->backup_root, &error);
  g_assert_no_error (error);
  council = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (council), ==, "Wijkraad Zuid");
  g_assert_true (bb_store_close (store, &error));

  after = file_checksum (fixture->path);
  g_assert_cmpstr (after, ==, checksum);
  assert_no_side_files (fixture->path);
}

static void
test_open_read_only_folder (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (fixture->dir, "archief", NULL);
  g_autofree char *path = g_build_filename (folder, "Wijkraad.buurtboek", NULL);
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root may write to any folder");
      return;
    }

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  {
    g_autoptr(BbCouncil) council = make_council ();

    store = bb_store_create (path, council, fixture->backup_root, &error);
    g_assert_no_error (error);
    g_assert_true (bb_store_close (store, &error));
    g_clear_object (&store);
  }
  checksum = file_checksum (path);
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);

  /* SQLite needs the folder for its journal: writing is refused up front. */
  store = bb_store_open (path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_null (store);
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* Reading works, and leaves no trace. */
  store = bb_store_open (path, BB_STORE_OPEN_READ_ONLY, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_true (bb_store_is_read_only (store));
  g_assert_true (bb_store_close (store, &error));

  after = file_checksum (path);
  g_assert_cmpstr (after, ==, checksum);
  g_chmod (folder, 0700);
}

static void
test_open_read_only_mode (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *after = NULL;
  g_autofree char *listing_after = NULL;
  g_auto(GStrv) problems = NULL;
  guint backups;

  create_council_file (fixture);
  checksum = file_checksum (fixture->path);
  listing = list_dir (fixture->dir);
  {
    g_autoptr(BbStore) probe = bb_store_open (fixture->path, BB_STORE_OPEN_READ_ONLY,
                                              fixture->backup_root, &error);
    g_assert_no_error (error);
    backups = count_backups (fixture, bb_store_get_council_id (probe));
  }

  store = bb_store_open (fixture->path, BB_STORE_OPEN_READ_ONLY, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (bb_store_is_read_only (store));

  council = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (council), ==, "Wijkraad Zuid");
  g_assert_true (bb_store_check (store, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);

  bb_council_set_name (council, "Wijkraad Anders");
  g_assert_false (bb_store_update_council (store, council, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (bb_store_begin (store, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* Even SQL written past the store's API cannot write. */
  g_assert_cmpint (sqlite3_exec (bb_store_get_db (store), "DELETE FROM meta", NULL, NULL, NULL), !=, SQLITE_OK);

  g_assert_false (bb_store_has_unsaved_changes (store));
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));

  after = file_checksum (fixture->path);
  g_assert_cmpstr (after, ==, checksum);
  listing_after = list_dir (fixture->dir);
  g_assert_cmpstr (listing_after, ==, listing);
  assert_no_side_files (fixture->path);
  g_assert_cmpuint (count_backups (fixture, bb_council_get_id (council)), ==, backups);
}

static void
test_check_sound (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;

  g_assert_true (bb_store_check (store, &problems, &error));
  g_assert_no_error (error);
  g_assert_nonnull (problems);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
}

static void
test_copy_to (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(BbStore) copy = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = g_build_filename (fixture->dir, "Overdracht.buurtboek", NULL);
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;
  g_autofree char *listing = NULL;

  g_assert_true (bb_store_copy_to (store, dest, &error));
  g_assert_no_error (error);

  /* Never over an existing file. */
  checksum = file_checksum (dest);
  g_assert_false (bb_store_copy_to (store, dest, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  after = file_checksum (dest);
  g_assert_cmpstr (after, ==, checksum);

  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==, "Overdracht.buurtboek\nWijkraad Zuid.buurtboek\nWijkraad Zuid.buurtboek-shm\nWijkraad Zuid.buurtboek-wal");

  copy = bb_store_open (dest, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_cmpstr (bb_store_get_council_id (copy), ==, bb_store_get_council_id (store));
  council = bb_store_dup_council (copy);
  g_assert_cmpstr (bb_council_get_name (council), ==, "Wijkraad Zuid");
  g_assert_cmpstr (bb_council_get_iban (council), ==, "NL64RABO0343231948");
}

static void
test_unsaved_changes (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = g_build_filename (fixture->dir, "Kopie.buurtboek", NULL);
  g_autofree char *council_id = g_strdup (bb_store_get_council_id (store));

  /* A new council has never been backed up; a copy somewhere else (a USB
   * stick that leaves with its owner) is not a backup that is kept. */
  g_assert_true (bb_store_has_unsaved_changes (store));
  g_assert_true (bb_store_copy_to (store, dest, &error));
  g_assert_no_error (error);
  g_assert_true (bb_store_has_unsaved_changes (store));
  bb_store_mark_backed_up (store);
  g_assert_false (bb_store_has_unsaved_changes (store));

  council = bb_store_dup_council (store);
  bb_council_set_phone (council, "013 555 9999");
  g_assert_true (bb_store_update_council (store, council, &error));
  g_assert_no_error (error);
  g_assert_true (bb_store_has_unsaved_changes (store));

  bb_store_mark_backed_up (store);
  g_assert_false (bb_store_has_unsaved_changes (store));

  bb_council_set_phone (council, "013 555 8888");
  g_assert_true (bb_store_update_council (store, council, &error));
  g_assert_true (bb_store_has_unsaved_changes (store));

  /* Closing backs up what changed. */
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_false (bb_store_has_unsaved_changes (store));
  g_clear_object (&store);

  {
    g_autoptr(BbBackupInfo) latest = bb_backup_get_latest (fixture->backup_root, council_id);
    g_autoptr(BbStore) backup = NULL;
    g_autoptr(BbCouncil) backed_up = NULL;

    g_assert_nonnull (latest);
    g_assert_cmpint (latest->reason, ==, BB_BACKUP_REASON_CLOSE);
    backup = bb_store_open (latest->path, BB_STORE_OPEN_READ_ONLY, fixture->backup_root, &error);
    g_assert_no_error (error);
    backed_up = bb_store_dup_council (backup);
    g_assert_cmpstr (bb_council_get_phone (backed_up), ==, "013 555 8888");
  }

  /* Opening and closing without a change adds no closing backup. */
  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_false (bb_store_has_unsaved_changes (store));
  g_assert_true (bb_store_close (store, &error));
}

static void
test_backup_on_open (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *council_id = g_strdup (bb_store_get_council_id (store));
  g_autofree char *dir = NULL;

  /* Dropped without closing: no closing backup. */
  g_clear_object (&store);
  g_assert_cmpuint (count_backups (fixture, council_id), ==, 0);

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);

  backups = bb_backup_list (fixture->backup_root, council_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (backups->len, ==, 1);
  g_assert_cmpint (((BbBackupInfo *) backups->pdata[0])->reason, ==, BB_BACKUP_REASON_OPEN);

  dir = bb_backup_get_dir (fixture->backup_root, council_id);
  g_assert_true (g_str_has_prefix (((BbBackupInfo *) backups->pdata[0])->path, dir));
}

static void
test_backup_failure_refuses_open (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = g_build_filename (fixture->dir, "geen-map", NULL);
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;

  create_council_file (fixture);
  checksum = file_checksum (fixture->path);

  /* A backup root that is a file: no backup can be made there. */
  write_file (blocker, "", 0);
  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, blocker, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  after = file_checksum (fixture->path);
  g_assert_cmpstr (after, ==, checksum);
  assert_no_side_files (fixture->path);
}

static void
test_replace_from (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(BbStore) store = create_store (fixture);
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);
  g_autoptr(BbCouncil) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *snapshot = g_build_filename (fixture->dir, "Momentopname.buurtboek", NULL);
  g_autofree char *mode = NULL;
  guint changed = 0;

  g_assert_true (bb_store_copy_to (store, snapshot, &error));
  g_assert_no_error (error);

  bb_council_set_name (council, "Wijkraad Zuid (nieuw)");
  g_assert_true (bb_store_update_council (store, council, &error));
  g_assert_no_error (error);

  /* A cached statement left mid-way, holding a read transaction. */
  {
    sqlite3_stmt *stmt = bb_store_prepare (store, "SELECT name FROM council", &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  }

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_true (bb_store_replace_from (store, snapshot, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);

  restored = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (restored), ==, "Wijkraad Zuid");
  g_assert_cmpstr (bb_store_get_council_id (store), ==, bb_council_get_id (restored));

  mode = raw_query_text (bb_store_get_db (store), "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (raw_query_int (bb_store_get_db (store), "PRAGMA foreign_keys"), ==, 1);

  /* Still a working store. */
  bb_council_set_municipality (restored, "Goirle");
  g_assert_true (bb_store_update_council (store, restored, &error));
  g_assert_no_error (error);
  g_assert_true (bb_store_close (store, &error));
  g_clear_object (&store);

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_clear_object (&restored);
  restored = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (restored), ==, "Wijkraad Zuid");
  g_assert_cmpstr (bb_council_get_municipality (restored), ==, "Goirle");
}

static void
test_dispose_without_close (Fixture       *fixture,
                            gconstpointer  user_data)
{
  BbStore *store = create_store (fixture);
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);
  g_autofree char *council_id = g_strdup (bb_store_get_council_id (store));

  g_assert_finalize_object (store);
  assert_no_side_files (fixture->path);
  g_assert_cmpuint (count_backups (fixture, council_id), ==, 0);
}

static void
test_default_backup_root (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("BUURTBOEK_BACKUP_DIR"));
  g_autofree char *from_env = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *expected = NULL;

  g_setenv ("BUURTBOEK_BACKUP_DIR", "/srv/wijkraad/backups", TRUE);
  from_env = bb_store_get_default_backup_root ();
  g_assert_cmpstr (from_env, ==, "/srv/wijkraad/backups");

  g_unsetenv ("BUURTBOEK_BACKUP_DIR");
  fallback = bb_store_get_default_backup_root ();
  expected = g_build_filename (g_get_user_data_dir (), "buurtboek", "backups", NULL);
  g_assert_cmpstr (fallback, ==, expected);

  if (saved != NULL)
    g_setenv ("BUURTBOEK_BACKUP_DIR", saved, TRUE);
}

static void
test_new_id (void)
{
  g_autofree char *a = bb_store_new_id ();
  g_autofree char *b = bb_store_new_id ();

  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_true (g_uuid_string_is_valid (b));
  g_assert_cmpstr (a, !=, b);
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  store = bb_demo_create (fixture->path, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  council = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (council), ==, "Wijkraad De Dommelhoek");
  g_assert_cmpstr (bb_council_get_municipality (council), ==, "Valkenswaard");
  g_assert_cmpint (bb_council_get_legal_form (council), ==, BB_LEGAL_FORM_VERENIGING);
  g_assert_cmpstr (bb_council_get_kvk_number (council), ==, "40123456");
  g_assert_cmpstr (bb_council_get_contact_name (council), ==, "Marieke van den Heuvel");
  g_assert_cmpstr (bb_council_get_email (council), ==, "secretaris@dedommelhoek.nl");
  g_assert_cmpstr (bb_council_get_phone (council), ==, "040 201 4587");
  g_assert_cmpuint (bb_council_get_residents (council), ==, 4500);

  g_assert_true (bb_validate_iban (bb_council_get_iban (council), &normalized, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, "NL64RABO0343231948");
  g_assert_true (g_str_has_prefix (normalized, "NL"));
  g_assert_nonnull (strstr (normalized, "RABO03"));

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* Not over an existing file. */
  store = bb_demo_create (fixture->path, fixture->backup_root, &error);
  g_assert_null (store);
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/bb/store/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("round-trip", test_round_trip);
  ADD ("awkward-file-name", test_awkward_file_name);
  ADD ("pragmas", test_pragmas);
  ADD ("prepare-cache", test_prepare_cache);
  ADD ("update-council", test_update_council);
  ADD ("create/refuses", test_create_refuses);
  ADD ("open/missing", test_open_missing);
  ADD ("open/text-file", test_open_text_file);
  ADD ("open/empty-file", test_open_empty_file);
  ADD ("open/random-bytes", test_open_random_bytes);
  ADD ("open/directory", test_open_directory);
  ADD ("open/foreign-database", test_open_foreign_database);
  ADD ("open/foreign-wal-database", test_open_foreign_wal_database);
  ADD ("open/too-new", test_open_too_new);
  ADD ("open/truncated", test_open_truncated);
  ADD ("open/corrupt-page", test_open_corrupt_page);
  ADD ("open/locked", test_open_locked);
  ADD ("open/read-only-file", test_open_read_only_file);
  ADD ("open/read-only-folder", test_open_read_only_folder);
  ADD ("open/read-only-mode", test_open_read_only_mode);
  ADD ("check", test_check_sound);
  ADD ("copy-to", test_copy_to);
  ADD ("unsaved-changes", test_unsaved_changes);
  ADD ("backup/on-open", test_backup_on_open);
  ADD ("backup/failure-refuses-open", test_backup_failure_refuses_open);
  ADD ("replace-from", test_replace_from);
  ADD ("dispose-without-close", test_dispose_without_close);
  ADD ("demo", test_demo);

#undef ADD

  g_test_add_func ("/bb/store/default-backup-root", test_default_backup_root);
  g_test_add_func ("/bb/store/new-id", test_new_id);

  return g_test_run ();
}
