/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bb-backup.h"
#include "bb-store-private.h"
#include "bb-test-util.h"

/* Every council column after version 1, with the version that added it
 * and the value an older council gets. */
static const struct {
  const char *column;
  int         since;
  const char *default_value;
} added_columns[] = {
  { "contact_name", 2, "" },
  { "email", 2, "" },
  { "phone", 2, "" },
  { "residents", 2, "0" },
};

static const char * const v1_columns[] = {
  "id", "name", "municipality", "legal_form", "kvk_number", "iban",
  "created_at", "updated_at",
};

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

  fixture->dir = g_dir_make_tmp ("buurtboek-migrations-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->backup_root = g_build_filename (fixture->dir, "backups", NULL);
  fixture->path = g_build_filename (fixture->dir, "Oud.buurtboek", NULL);
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

static int
raw_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static int
file_user_version (const char *path)
{
  sqlite3 *db = raw_open (path);
  int version = raw_user_version (db);

  sqlite3_close (db);
  return version;
}

static gboolean
has_column (sqlite3    *db,
            const char *table,
            const char *column)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM pragma_table_info(?1)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    found |= g_str_equal ((const char *) sqlite3_column_text (stmt, 0), column);
  sqlite3_finalize (stmt);

  return found;
}

/* The whole schema as one string, to compare two files. */
static char *
dump_schema (sqlite3 *db)
{
  g_autoptr(GString) dump = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT type, name, tbl_name, sql FROM sqlite_schema"
                                       " ORDER BY type, name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (dump, "%s %s %s\n%s\n",
                            sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1),
                            sqlite3_column_text (stmt, 2),
                            sqlite3_column_text (stmt, 3) != NULL
                              ? (const char *) sqlite3_column_text (stmt, 3) : "");
  sqlite3_finalize (stmt);

  g_string_append_printf (dump, "user_version %d\n", raw_user_version (db));
  return g_string_free (g_steal_pointer (&dump), FALSE);
}

static char *
dump_file_schema (const char *path)
{
  sqlite3 *db = raw_open (path);
  char *dump = dump_schema (db);

  sqlite3_close (db);
  return dump;
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

/* Makes a council file at @path from tests/fixtures/council-vN.sql. */
static void
load_fixture (int         version,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_strdup_printf ("council-v%d.sql", version);
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures", basename, NULL);
  g_autofree char *sql = NULL;
  sqlite3 *db;

  g_file_get_contents (fixture, &sql, NULL, &error);
  g_assert_no_error (error);

  db = raw_open (path);
  raw_exec (db, sql);
  g_assert_cmpint (raw_user_version (db), ==, version);
  sqlite3_close (db);
}

/* The council row's columns as text, keyed by column name. */
static GHashTable *
read_council_row (const char *path)
{
  GHashTable *row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3 *db = raw_open (path);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT * FROM council", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    g_hash_table_insert (row,
                         g_strdup (sqlite3_column_name (stmt, i)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, i)));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return row;
}

static char *
create_current_file (Fixture *fixture)
{
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, "Nieuw.buurtboek", NULL);

  bb_council_set_name (council, "Wijkraad Nieuw");
  store = bb_store_create (path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);

  return path;
}

static BbBackupInfo *
find_backup (GPtrArray      *backups,
             BbBackupReason  reason)
{
  for (guint i = 0; i < backups->len; i++)
    {
      BbBackupInfo *info = g_ptr_array_index (backups, i);

      if (info->reason == reason)
        return info;
    }

  return NULL;
}

/* Tests */

/* A fixture is exactly what the migration steps made at its version,
 * plus data: otherwise the tests below would test a file that never was. */
static void
test_fixture_schema (Fixture       *fixture,
                     gconstpointer  user_data)
{
  int version = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *fresh_path = g_build_filename (fixture->dir, "fresh.db", NULL);
  g_autofree char *fixture_schema = NULL;
  g_autofree char *fresh_schema = NULL;
  sqlite3 *db;

  load_fixture (version, fixture->path);
  fixture_schema = dump_file_schema (fixture->path);

  db = raw_open (fresh_path);
  g_assert_true (bb_store_migrate_db (db, 0, version, &error));
  g_assert_no_error (error);
  fresh_schema = dump_schema (db);
  sqlite3_close (db);

  g_assert_cmpstr (fixture_schema, ==, fresh_schema);
}

static void
test_migrate_on_open (Fixture       *fixture,
                      gconstpointer  user_data)
{
  int version = GPOINTER_TO_INT (user_data);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *council_id = NULL;
  g_autofree char *current_path = NULL;
  g_autofree char *migrated_schema = NULL;
  g_autofree char *current_schema = NULL;
  BbBackupInfo *backup;

  load_fixture (version, fixture->path);
  before = read_council_row (fixture->path);

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (bb_store_get_opened_version (store), ==, version);
  g_assert_cmpint (bb_store_get_schema_version (store), ==, BB_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_user_version (bb_store_get_db (store)), ==, BB_STORE_SCHEMA_VERSION);
  council_id = g_strdup (bb_store_get_council_id (store));
  g_assert_cmpstr (council_id, ==, g_hash_table_lookup (before, "id"));

  /* The data came through, read the way the application reads it. */
  council = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (council), ==, g_hash_table_lookup (before, "name"));
  g_assert_cmpstr (bb_council_get_municipality (council), ==, g_hash_table_lookup (before, "municipality"));
  g_assert_cmpstr (bb_council_get_kvk_number (council), ==, g_hash_table_lookup (before, "kvk_number"));
  g_assert_cmpstr (bb_council_get_iban (council), ==, g_hash_table_lookup (before, "iban"));
  g_assert_cmpstr (bb_council_get_created_at (council), ==, g_hash_table_lookup (before, "created_at"));
  g_assert_cmpstr (bb_legal_form_to_string (bb_council_get_legal_form (council)), ==,
                   g_hash_table_lookup (before, "legal_form"));

  /* A migrated state is new: it is backed up on close. */
  g_assert_true (bb_store_has_unsaved_changes (store));

  /* The backup was taken before the migration, so it has the old format. */
  backups = bb_backup_list (fixture->backup_root, council_id, &error);
  g_assert_no_error (error);
  backup = find_backup (backups, BB_BACKUP_REASON_BEFORE_MIGRATION);
  g_assert_nonnull (backup);
  g_assert_cmpint (file_user_version (backup->path), ==, version);
  {
    g_autoptr(GHashTable) backed_up = read_council_row (backup->path);

    g_assert_cmpstr (g_hash_table_lookup (backed_up, "name"), ==, g_hash_table_lookup (before, "name"));
  }

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  /* Every old column kept its value; every new one has its default. */
  after = read_council_row (fixture->path);
  for (guint i = 0; i < G_N_ELEMENTS (v1_columns); i++)
    g_assert_cmpstr (g_hash_table_lookup (after, v1_columns[i]), ==,
                     g_hash_table_lookup (before, v1_columns[i]));
  for (guint i = 0; i < G_N_ELEMENTS (added_columns); i++)
    {
      const char *column = added_columns[i].column;

      g_assert_true (g_hash_table_contains (after, column));
      if (added_columns[i].since <= version)
        g_assert_cmpstr (g_hash_table_lookup (after, column), ==, g_hash_table_lookup (before, column));
      else
        g_assert_cmpstr (g_hash_table_lookup (after, column), ==, added_columns[i].default_value);
    }

  /* And the schema is the one a new file gets. */
  migrated_schema = dump_file_schema (fixture->path);
  current_path = create_current_file (fixture);
  current_schema = dump_file_schema (current_path);
  g_assert_cmpstr (migrated_schema, ==, current_schema);

  /* Opening again migrates nothing and is an ordinary open. */
  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bb_store_get_opened_version (store), ==, BB_STORE_SCHEMA_VERSION);
  g_assert_false (bb_store_has_unsaved_changes (store));
}

static void
test_migrate_read_only (Fixture       *fixture,
                        gconstpointer  user_data)
{
  int version = GPOINTER_TO_INT (user_data);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *after = NULL;

  load_fixture (version, fixture->path);
  before = read_council_row (fixture->path);
  checksum = file_checksum (fixture->path);

  store = bb_store_open (fixture->path, BB_STORE_OPEN_READ_ONLY, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_true (bb_store_is_read_only (store));
  g_assert_cmpint (bb_store_get_opened_version (store), ==, version);

  /* Read through the current schema, from a private migrated copy. */
  council = bb_store_dup_council (store);
  g_assert_cmpstr (bb_council_get_name (council), ==, g_hash_table_lookup (before, "name"));
  if (version < 2)
    {
      g_assert_cmpstr (bb_council_get_contact_name (council), ==, "");
      g_assert_cmpuint (bb_council_get_residents (council), ==, 0);
    }

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  after = file_checksum (fixture->path);
  g_assert_cmpstr (after, ==, checksum);
  g_assert_cmpint (file_user_version (fixture->path), ==, version);
  g_assert_false (g_file_test (fixture->backup_root, G_FILE_TEST_EXISTS));
}

static void
test_step_by_step (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stepped_path = g_build_filename (fixture->dir, "stepped.db", NULL);
  g_autofree char *direct_path = g_build_filename (fixture->dir, "direct.db", NULL);
  g_autofree char *created_path = NULL;
  g_autofree char *stepped = NULL;
  g_autofree char *direct = NULL;
  g_autofree char *created = NULL;
  sqlite3 *db;

  db = raw_open (stepped_path);
  for (int version = 1; version <= BB_STORE_SCHEMA_VERSION; version++)
    {
      g_assert_true (bb_store_migrate_db (db, version - 1, version, &error));
      g_assert_no_error (error);
      g_assert_cmpint (raw_user_version (db), ==, version);
    }
  stepped = dump_schema (db);
  sqlite3_close (db);

  db = raw_open (direct_path);
  g_assert_true (bb_store_migrate_db (db, 0, BB_STORE_SCHEMA_VERSION, &error));
  g_assert_no_error (error);
  direct = dump_schema (db);
  sqlite3_close (db);

  created_path = create_current_file (fixture);
  created = dump_file_schema (created_path);

  g_assert_cmpstr (stepped, ==, direct);
  g_assert_cmpstr (stepped, ==, created);

  /* Nothing to do is fine too. */
  db = raw_open (direct_path);
  g_assert_true (bb_store_migrate_db (db, BB_STORE_SCHEMA_VERSION, BB_STORE_SCHEMA_VERSION, &error));
  g_assert_no_error (error);
  sqlite3_close (db);
}

static void
test_wrong_start_version (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  load_fixture (1, fixture->path);
  db = raw_open (fixture->path);

  /* The runner trusts the file, not the caller. */
  g_assert_false (bb_store_migrate_db (db, 0, BB_STORE_SCHEMA_VERSION, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED);
  g_assert_cmpint (raw_user_version (db), ==, 1);
  sqlite3_close (db);
}

/* A v1 file that some other tool gave a "phone" column: step 2 adds
 * contact_name and email, then fails on phone. */
static void
make_conflicting_v1 (const char *path)
{
  sqlite3 *db;

  load_fixture (1, path);
  db = raw_open (path);
  raw_exec (db, "ALTER TABLE council ADD COLUMN phone TEXT");
  raw_exec (db, "UPDATE council SET phone = '040 123 4567'");
  sqlite3_close (db);
}

static void
assert_still_v1 (const char *path,
                 const char *schema_before)
{
  g_autoptr(GHashTable) row = read_council_row (path);
  g_autofree char *schema = dump_file_schema (path);
  sqlite3 *db = raw_open (path);

  g_assert_cmpint (raw_user_version (db), ==, 1);
  g_assert_false (has_column (db, "council", "contact_name"));
  g_assert_false (has_column (db, "council", "email"));
  sqlite3_close (db);

  g_assert_cmpstr (schema, ==, schema_before);
  g_assert_cmpstr (g_hash_table_lookup (row, "name"), ==, "Bewonersvereniging 't Hofke");
  g_assert_cmpstr (g_hash_table_lookup (row, "phone"), ==, "040 123 4567");
}

static void
test_failed_step_rolls_back (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *schema_before = NULL;
  sqlite3 *db;

  make_conflicting_v1 (fixture->path);
  schema_before = dump_file_schema (fixture->path);

  db = raw_open (fixture->path);
  g_assert_false (bb_store_migrate_db (db, 1, BB_STORE_SCHEMA_VERSION, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "duplicate column name"));
  /* Not left inside the failed transaction. */
  g_assert_true (sqlite3_get_autocommit (db));
  sqlite3_close (db);

  assert_still_v1 (fixture->path, schema_before);
}

static void
test_failed_open_rolls_back (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) row = NULL;
  g_autofree char *schema_before = NULL;
  BbBackupInfo *backup;

  make_conflicting_v1 (fixture->path);
  schema_before = dump_file_schema (fixture->path);
  row = read_council_row (fixture->path);

  store = bb_store_open (fixture->path, BB_STORE_OPEN_NONE, fixture->backup_root, &error);
  g_assert_null (store);
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);

  assert_still_v1 (fixture->path, schema_before);

  /* The way back exists: the backup made before trying. */
  backups = bb_backup_list (fixture->backup_root, g_hash_table_lookup (row, "id"), NULL);
  g_assert_nonnull (backups);
  backup = find_backup (backups, BB_BACKUP_REASON_BEFORE_MIGRATION);
  g_assert_nonnull (backup);
  g_assert_cmpint (file_user_version (backup->path), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (int version = 1; version < BB_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *schema_name = g_strdup_printf ("/bb/migrations/fixture-schema/v%d", version);
      g_autofree char *open_name = g_strdup_printf ("/bb/migrations/from-v%d", version);
      g_autofree char *read_only_name = g_strdup_printf ("/bb/migrations/read-only/from-v%d", version);

      g_test_add (schema_name, Fixture, GINT_TO_POINTER (version),
                  fixture_setup, test_fixture_schema, fixture_teardown);
      g_test_add (open_name, Fixture, GINT_TO_POINTER (version),
                  fixture_setup, test_migrate_on_open, fixture_teardown);
      g_test_add (read_only_name, Fixture, GINT_TO_POINTER (version),
                  fixture_setup, test_migrate_read_only, fixture_teardown);
    }

  g_test_add ("/bb/migrations/step-by-step", Fixture, NULL,
              fixture_setup, test_step_by_step, fixture_teardown);
  g_test_add ("/bb/migrations/wrong-start-version", Fixture, NULL,
              fixture_setup, test_wrong_start_version, fixture_teardown);
  g_test_add ("/bb/migrations/failure/runner-rolls-back", Fixture, NULL,
              fixture_setup, test_failed_step_rolls_back, fixture_teardown);
  g_test_add ("/bb/migrations/failure/open-rolls-back", Fixture, NULL,
              fixture_setup, test_failed_open_rolls_back, fixture_teardown);

  return g_test_run ();
}
