/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bb-backup.h"
#include "bb-store.h"
#include "bb-sync-peers.h"
#include "bb-test-util.h"

typedef struct {
  char *tmp;
  char *backup_root;
  char *path;
} Fixture;

static BbCouncil *
new_council (const char *name,
             guint       residents)
{
  BbCouncil *council = bb_council_new ();

  bb_council_set_name (council, name);
  bb_council_set_municipality (council, "Valkenswaard");
  bb_council_set_legal_form (council, BB_LEGAL_FORM_STICHTING);
  bb_council_set_residents (council, residents);
  return council;
}

static BbStore *
create_store (Fixture    *fixture,
              const char *path,
              const char *name,
              guint       residents)
{
  g_autoptr(BbCouncil) council = new_council (name, residents);
  g_autoptr(GError) error = NULL;
  BbStore *store;

  store = bb_store_create (path, council, fixture->backup_root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp = g_dir_make_tmp ("bb-test-backup-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->backup_root = g_build_filename (fixture->tmp, "backups", NULL);
  fixture->path = g_build_filename (fixture->tmp, "council" BB_STORE_FILE_SUFFIX, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  bb_test_remove_tree (fixture->tmp);
  g_free (fixture->path);
  g_free (fixture->backup_root);
  g_free (fixture->tmp);
}

static GPtrArray *
list_backups (Fixture    *fixture,
              const char *council_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = bb_backup_list (fixture->backup_root, council_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static guint
count_backups (Fixture    *fixture,
               const char *council_id)
{
  g_autoptr(GPtrArray) list = list_backups (fixture, council_id);
  return list->len;
}

static void
set_residents (BbStore *store,
               guint    residents)
{
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);
  g_autoptr(GError) error = NULL;

  bb_council_set_residents (council, residents);
  g_assert_true (bb_store_update_council (store, council, &error));
  g_assert_no_error (error);
}

static guint
get_residents (BbStore *store)
{
  g_autoptr(BbCouncil) council = bb_store_dup_council (store);
  return bb_council_get_residents (council);
}

static char *
make_backup (BbStore        *store,
             BbBackupReason  reason)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;

  g_assert_true (bb_backup_make (store, reason, &path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

static void
close_store (BbStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);
}

static BbStore *
open_store (Fixture          *fixture,
            const char       *path,
            BbStoreOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  BbStore *store = bb_store_open (path, flags, fixture->backup_root, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

/* Removes every backup of the council, so a test starts from none */
static void
clear_backups (Fixture    *fixture,
               const char *council_id)
{
  g_autofree char *dir = bb_backup_get_dir (fixture->backup_root, council_id);
  bb_test_remove_tree (dir);
}

static void
test_dir (void)
{
  g_autofree char *dir = bb_backup_get_dir ("/root", "5f0c6e8a-2d7b-4c1e-9a33-1b2f4d6e8a90");

  g_assert_cmpstr (dir, ==, "/root/5f0c6e8a-2d7b-4c1e-9a33-1b2f4d6e8a90");
  g_assert_null (bb_backup_get_dir ("/root", ".."));
  g_assert_null (bb_backup_get_dir ("/root", "../etc"));
  g_assert_null (bb_backup_get_dir ("/root", "a/b"));
  g_assert_null (bb_backup_get_dir ("/root", ""));
  g_assert_null (bb_backup_get_dir ("/root", NULL));
}

static void
test_labels (void)
{
  for (BbBackupReason reason = BB_BACKUP_REASON_OPEN;
       reason <= BB_BACKUP_REASON_BEFORE_MIGRATION; reason++)
    {
      const char *label = bb_backup_reason_get_label (reason);

      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
    }
  g_assert_cmpstr (bb_backup_reason_get_label (BB_BACKUP_REASON_MANUAL), ==, "Made by hand");
}

static void
test_open_and_close (Fixture       *fixture,
                     gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autoptr(GPtrArray) list = NULL;
  BbBackupInfo *info;

  close_store (store);
  clear_backups (fixture, id);

  /* Opening keeps the state the file was found in */
  store = open_store (fixture, fixture->path, BB_STORE_OPEN_NONE);
  list = list_backups (fixture, id);
  g_assert_cmpuint (list->len, ==, 1);
  info = g_ptr_array_index (list, 0);
  g_assert_cmpint (info->reason, ==, BB_BACKUP_REASON_OPEN);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Closing after a change keeps the new state */
  set_residents (store, 200);
  close_store (store);
  list = list_backups (fixture, id);
  g_assert_cmpuint (list->len, ==, 2);
  info = g_ptr_array_index (list, 0);
  g_assert_cmpint (info->reason, ==, BB_BACKUP_REASON_CLOSE);
  info = g_ptr_array_index (list, 1);
  g_assert_cmpint (info->reason, ==, BB_BACKUP_REASON_OPEN);
}

static void
test_close_unchanged (Fixture       *fixture,
                      gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  guint before;

  close_store (store);
  store = open_store (fixture, fixture->path, BB_STORE_OPEN_NONE);
  g_assert_false (bb_store_has_unsaved_changes (store));
  before = count_backups (fixture, id);
  g_assert_cmpuint (before, >=, 1);

  close_store (store);
  g_assert_cmpuint (count_backups (fixture, id), ==, before);
}

static void
test_manual (Fixture       *fixture,
             gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *dirname = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(BbBackupInfo) latest = NULL;
  GStatBuf st;

  set_residents (store, 300);
  g_assert_true (bb_store_has_unsaved_changes (store));

  path = make_backup (store, BB_BACKUP_REASON_MANUAL);
  g_assert_false (bb_store_has_unsaved_changes (store));

  dir = bb_backup_get_dir (fixture->backup_root, bb_store_get_council_id (store));
  dirname = g_path_get_dirname (path);
  g_assert_cmpstr (dirname, ==, dir);
  basename = g_path_get_basename (path);
  g_assert_true (g_str_has_suffix (basename, "-manual" BB_STORE_FILE_SUFFIX));
  g_assert_cmpuint (strlen (basename), ==, strlen ("YYYYMMDD-HHMMSS-mmm-manual" BB_STORE_FILE_SUFFIX));

  /* Only the user may look into the backups */
  g_assert_no_errno (g_stat (dir, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  latest = bb_backup_get_latest (fixture->backup_root, bb_store_get_council_id (store));
  g_assert_nonnull (latest);
  g_assert_cmpstr (latest->path, ==, path);
  g_assert_cmpint (latest->reason, ==, BB_BACKUP_REASON_MANUAL);

  /* The backup is a council file with the state it was made in */
  close_store (store);
  store = open_store (fixture, path, BB_STORE_OPEN_READ_ONLY);
  g_assert_cmpuint (get_residents (store), ==, 300);
  close_store (store);
}

static void
test_dedupe (Fixture       *fixture,
             gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *older = NULL;
  guint count;

  older = make_backup (store, BB_BACKUP_REASON_MANUAL);
  set_residents (store, 150);

  first = make_backup (store, BB_BACKUP_REASON_MANUAL);
  count = count_backups (fixture, id);
  second = make_backup (store, BB_BACKUP_REASON_MANUAL);
  g_assert_cmpstr (second, ==, first);
  g_assert_cmpuint (count_backups (fixture, id), ==, count);
  g_assert_false (bb_store_has_unsaved_changes (store));
  close_store (store);

  /* Opening the file many times must not push the older state out */
  for (guint i = 0; i < BB_BACKUP_KEEP + 2; i++)
    {
      store = open_store (fixture, fixture->path, BB_STORE_OPEN_NONE);
      close_store (store);
    }
  g_assert_cmpuint (count_backups (fixture, id), ==, count);
  g_assert_true (g_file_test (older, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
}

static void
test_rotation (Fixture       *fixture,
               gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *dir = bb_backup_get_dir (fixture->backup_root, bb_store_get_council_id (store));
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = NULL;
  const char * const foreign[] = {
    "notes.txt",
    "my copy" BB_STORE_FILE_SUFFIX,
    "20200101-000000-000-open.txt",
    "20200101-000000-000-holiday" BB_STORE_FILE_SUFFIX,
    "20200101-000000-000-open-1" BB_STORE_FILE_SUFFIX,
  };
  guint n_made = BB_BACKUP_KEEP + 3;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    {
      g_autofree char *path = g_build_filename (dir, foreign[i], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_set_contents (path, "not a backup", -1, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < n_made; i++)
    {
      set_residents (store, 1000 + i);
      g_ptr_array_add (made, make_backup (store, BB_BACKUP_REASON_MANUAL));
    }

  list = list_backups (fixture, bb_store_get_council_id (store));
  g_assert_cmpuint (list->len, ==, BB_BACKUP_KEEP);
  for (guint i = 0; i < BB_BACKUP_KEEP; i++)
    {
      BbBackupInfo *info = g_ptr_array_index (list, i);
      g_assert_cmpstr (info->path, ==, g_ptr_array_index (made, n_made - 1 - i));
    }
  for (guint i = 0; i < n_made - BB_BACKUP_KEEP; i++)
    g_assert_false (g_file_test (g_ptr_array_index (made, i), G_FILE_TEST_EXISTS));

  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    {
      g_autofree char *path = g_build_filename (dir, foreign[i], NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }

  close_store (store);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  const BbBackupReason reasons[] = {
    BB_BACKUP_REASON_MANUAL,
    BB_BACKUP_REASON_BEFORE_MIGRATION,
    BB_BACKUP_REASON_OPEN,
    BB_BACKUP_REASON_BEFORE_RESTORE,
    BB_BACKUP_REASON_CLOSE,
  };
  g_autoptr(GDateTime) start = g_date_time_new_now_local ();
  g_autoptr(GDateTime) end = NULL;

  clear_backups (fixture, id);

  /* No folder yet: no backups, and no error */
  list = list_backups (fixture, id);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_null (bb_backup_get_latest (fixture->backup_root, id));

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autofree char *path = NULL;

      /* Different sizes too, so sizes cannot match by chance */
      for (guint j = 0; j <= i; j++)
        {
          g_autoptr(BbCouncil) council = bb_store_dup_council (store);
          g_autofree char *contact = g_strnfill (200 * (i + 1), 'x');

          bb_council_set_contact_name (council, contact);
          bb_council_set_residents (council, i * 10 + j);
          g_assert_true (bb_store_update_council (store, council, &error));
          g_assert_no_error (error);
        }
      path = make_backup (store, reasons[i]);
    }
  end = g_date_time_new_now_local ();

  list = list_backups (fixture, id);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (reasons));
  for (guint i = 0; i < list->len; i++)
    {
      BbBackupInfo *info = g_ptr_array_index (list, i);
      GStatBuf st;

      g_assert_cmpint (info->reason, ==, reasons[G_N_ELEMENTS (reasons) - 1 - i]);
      g_assert_no_errno (g_stat (info->path, &st));
      g_assert_cmpint (info->size, ==, st.st_size);
      g_assert_cmpint (info->size, >, 0);

      /* Local time, to the millisecond of the name */
      g_assert_cmpint (g_date_time_get_utc_offset (info->created), ==,
                       g_date_time_get_utc_offset (start));
      g_assert_cmpint (g_date_time_difference (info->created, start), >=, -G_TIME_SPAN_SECOND);
      g_assert_cmpint (g_date_time_difference (end, info->created), >=, 0);

      if (i > 0)
        {
          BbBackupInfo *newer = g_ptr_array_index (list, i - 1);
          g_assert_cmpint (g_date_time_compare (newer->created, info->created), >=, 0);
        }
    }

  /* A name that could lead out of the backup root is refused */
  g_assert_null (bb_backup_list (fixture->backup_root, "../..", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  close_store (store);
}

static void
on_changed_cb (BbStore *store,
               guint   *count)
{
  (*count)++;
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autofree char *old_state = NULL;
  g_autoptr(BbBackupInfo) latest = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;
  BbStore *saved;

  set_residents (store, 111);
  old_state = make_backup (store, BB_BACKUP_REASON_MANUAL);
  set_residents (store, 222);

  g_signal_connect (store, "changed", G_CALLBACK (on_changed_cb), &changed);
  g_assert_true (bb_backup_restore (store, old_state, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (changed, >=, 1);
  g_assert_cmpuint (get_residents (store), ==, 111);
  g_assert_cmpstr (bb_store_get_council_id (store), ==, id);
  g_assert_true (g_file_test (old_state, G_FILE_TEST_IS_REGULAR));

  /* What was replaced is kept */
  latest = bb_backup_get_latest (fixture->backup_root, id);
  g_assert_nonnull (latest);
  g_assert_cmpint (latest->reason, ==, BB_BACKUP_REASON_BEFORE_RESTORE);
  saved = open_store (fixture, latest->path, BB_STORE_OPEN_READ_ONLY);
  g_assert_cmpuint (get_residents (saved), ==, 222);
  close_store (saved);

  /* The file on disk holds the restored state too */
  close_store (store);
  store = open_store (fixture, fixture->path, BB_STORE_OPEN_NONE);
  g_assert_cmpuint (get_residents (store), ==, 111);
  close_store (store);
}

static void
test_restore_oldest_when_full (Fixture       *fixture,
                               gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *oldest = NULL;
  BbBackupInfo *newest;

  clear_backups (fixture, id);
  for (guint i = 0; i < BB_BACKUP_KEEP; i++)
    {
      char *path;

      set_residents (store, 500 + i);
      path = make_backup (store, BB_BACKUP_REASON_MANUAL);
      if (i == 0)
        oldest = path;
      else
        g_free (path);
    }
  set_residents (store, 999);
  g_assert_cmpuint (count_backups (fixture, id), ==, BB_BACKUP_KEEP);

  g_assert_true (bb_backup_restore (store, oldest, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (get_residents (store), ==, 500);

  list = list_backups (fixture, id);
  g_assert_cmpuint (list->len, ==, BB_BACKUP_KEEP);
  newest = g_ptr_array_index (list, 0);
  g_assert_cmpint (newest->reason, ==, BB_BACKUP_REASON_BEFORE_RESTORE);
  g_assert_true (g_file_test (oldest, G_FILE_TEST_IS_REGULAR));

  close_store (store);
}

/* The current file must not change when a restore is refused */
static void
assert_restore_refused (Fixture    *fixture,
                        BbStore    *store,
                        const char *backup_path,
                        int         code)
{
  g_autoptr(GError) error = NULL;
  const char *id = bb_store_get_council_id (store);
  guint residents = get_residents (store);
  guint count = count_backups (fixture, id);

  g_assert_false (bb_backup_restore (store, backup_path, &error));
  g_assert_error (error, BB_STORE_ERROR, code);
  g_assert_cmpuint (get_residents (store), ==, residents);
  g_assert_cmpuint (count_backups (fixture, id), ==, count);
  g_assert_cmpstr (bb_store_get_council_id (store), ==, id);
}

static void
test_restore_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *other_path = g_build_filename (fixture->tmp, "other" BB_STORE_FILE_SUFFIX, NULL);
  g_autofree char *text_path = g_build_filename (fixture->tmp, "notes" BB_STORE_FILE_SUFFIX, NULL);
  g_autofree char *new_path = g_build_filename (fixture->tmp, "new" BB_STORE_FILE_SUFFIX, NULL);
  g_autofree char *own_backup = NULL;
  g_autofree char *missing = g_build_filename (fixture->tmp, "missing" BB_STORE_FILE_SUFFIX, NULL);
  g_autoptr(GError) error = NULL;
  BbStore *other;
  sqlite3 *db = NULL;

  set_residents (store, 321);
  own_backup = make_backup (store, BB_BACKUP_REASON_MANUAL);
  set_residents (store, 654);

  /* Another council's file */
  other = create_store (fixture, other_path, "Bewonersraad Het Witven", 7);
  close_store (other);
  assert_restore_refused (fixture, store, other_path, BB_STORE_ERROR_NOT_COUNCIL);

  /* Not a council file at all */
  g_assert_true (g_file_set_contents (text_path, "Notulen van de vergadering\n", -1, &error));
  g_assert_no_error (error);
  assert_restore_refused (fixture, store, text_path, BB_STORE_ERROR_NOT_COUNCIL);

  /* Nothing there */
  assert_restore_refused (fixture, store, missing, BB_STORE_ERROR_NOT_FOUND);

  /* Written by a newer Buurtboek */
  g_assert_true (bb_backup_restore_to_path (own_backup, new_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (new_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_restore_refused (fixture, store, new_path, BB_STORE_ERROR_TOO_NEW);

  close_store (store);
}

static void
test_restore_to_path (Fixture       *fixture,
                      gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *dest = g_build_filename (fixture->tmp, "copy" BB_STORE_FILE_SUFFIX, NULL);
  g_autofree char *text_path = g_build_filename (fixture->tmp, "notes.txt", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autoptr(GError) error = NULL;
  BbStore *copy;

  set_residents (store, 4321);
  backup = make_backup (store, BB_BACKUP_REASON_MANUAL);
  close_store (store);

  /* Never over an existing file */
  before = read_file (fixture->path);
  g_assert_false (bb_backup_restore_to_path (backup, fixture->path, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  after = read_file (fixture->path);
  g_assert_cmpstr (before, ==, after);

  /* Only council files */
  g_assert_true (g_file_set_contents (text_path, "hallo", -1, &error));
  g_assert_no_error (error);
  g_assert_false (bb_backup_restore_to_path (text_path, dest, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_NOT_COUNCIL);
  g_clear_error (&error);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));

  g_assert_true (bb_backup_restore_to_path (backup, dest, &error));
  g_assert_no_error (error);
  copy = open_store (fixture, dest, BB_STORE_OPEN_READ_ONLY);
  g_assert_cmpstr (bb_store_get_council_id (copy), ==, id);
  g_assert_cmpuint (get_residents (copy), ==, 4321);
  close_store (copy);
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autofree char *path = NULL;
  g_autoptr(BbBackupInfo) latest = NULL;
  g_autoptr(GError) error = NULL;

  close_store (store);
  clear_backups (fixture, id);

  store = open_store (fixture, fixture->path, BB_STORE_OPEN_READ_ONLY);
  g_assert_cmpuint (count_backups (fixture, id), ==, 0);
  path = make_backup (store, BB_BACKUP_REASON_MANUAL);
  latest = bb_backup_get_latest (fixture->backup_root, id);
  g_assert_nonnull (latest);
  g_assert_cmpstr (latest->path, ==, path);

  /* A read-only file cannot take a restore */
  g_assert_false (bb_backup_restore (store, path, &error));
  g_assert_error (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY);
  close_store (store);
}

/* The caller may make the backup on opening after the window shows, but
 * never later than the first change, and closing makes it when nothing
 * did; a file that opening would change is backed up at once. */
static void
test_open_deferred (Fixture       *fixture,
                    gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(BbStore) backup = NULL;
  BbBackupInfo *info;
  sqlite3 *db = NULL;

  close_store (store);
  clear_backups (fixture, id);

  store = open_store (fixture, fixture->path, BB_STORE_OPEN_DEFER_BACKUP);
  g_assert_true (bb_store_needs_open_backup (store));
  g_assert_cmpuint (count_backups (fixture, id), ==, 0);

  /* The first change waits for the backup of the file as it was found */
  set_residents (store, 200);
  g_assert_false (bb_store_needs_open_backup (store));
  list = list_backups (fixture, id);
  g_assert_cmpuint (list->len, ==, 1);
  info = g_ptr_array_index (list, 0);
  g_assert_cmpint (info->reason, ==, BB_BACKUP_REASON_OPEN);
  backup = open_store (fixture, info->path, BB_STORE_OPEN_READ_ONLY);
  g_assert_cmpuint (get_residents (backup), ==, 100);
  close_store (g_steal_pointer (&backup));
  close_store (store);

  /* Opened and closed without a change: closing makes the backup */
  clear_backups (fixture, id);
  store = open_store (fixture, fixture->path, BB_STORE_OPEN_DEFER_BACKUP);
  g_assert_true (bb_store_needs_open_backup (store));
  close_store (store);
  g_assert_cmpuint (count_backups (fixture, id), ==, 1);

  /* A file that opening switches to WAL is backed up before that */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  clear_backups (fixture, id);
  store = open_store (fixture, fixture->path, BB_STORE_OPEN_DEFER_BACKUP);
  g_assert_false (bb_store_needs_open_backup (store));
  g_assert_cmpuint (count_backups (fixture, id), ==, 1);
  close_store (store);
}

/* When the deferred backup on opening fails, nothing may change the file:
 * not through bb_store_begin() (updating the council, saving a sync peer,
 * each of which tries the backup first). Once a backup can be made, it can. */
static void
test_open_deferred_failed (Fixture       *fixture,
                           gconstpointer  data)
{
  BbStore *store = create_store (fixture, fixture->path, "Wijkraad De Dommelhoek", 100);
  g_autofree char *id = g_strdup (bb_store_get_council_id (store));
  g_autofree char *dir = bb_backup_get_dir (fixture->backup_root, id);
  g_autoptr(BbSyncPeer) peer = bb_sync_peer_new ("Wijkraad Hoek", "http://hoek.example:5984/bieb");
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(GError) error = NULL;

  close_store (store);
  clear_backups (fixture, id);
  /* A file where the council's backup folder should be: no backup */
  g_assert_true (g_file_set_contents (dir, "", 0, NULL));

  store = open_store (fixture, fixture->path, BB_STORE_OPEN_DEFER_BACKUP);
  g_assert_true (bb_store_needs_open_backup (store));

  council = bb_store_dup_council (store);
  bb_council_set_residents (council, 200);
  g_assert_false (bb_store_update_council (store, council, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (get_residents (store), ==, 100);

  /* It tries to make the owed backup first, and says why it could not */
  g_assert_false (bb_sync_peers_save (store, peer, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "backup"));
  g_clear_error (&error);
  peers = bb_sync_peers_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 0);
  g_clear_pointer (&peers, g_ptr_array_unref);
  g_assert_true (bb_store_needs_open_backup (store));

  /* The folder can be made again: the first change makes the backup */
  g_assert_cmpint (g_unlink (dir), ==, 0);
  set_residents (store, 200);
  g_assert_false (bb_store_needs_open_backup (store));
  g_assert_cmpuint (count_backups (fixture, id), ==, 1);
  g_assert_true (bb_sync_peers_save (store, peer, &error));
  g_assert_no_error (error);
  peers = bb_sync_peers_list (store, &error);
  g_assert_cmpuint (peers->len, ==, 1);
  close_store (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/backup/dir", test_dir);
  g_test_add_func ("/bb/backup/labels", test_labels);
  g_test_add ("/bb/backup/open-and-close", Fixture, NULL,
              fixture_setup, test_open_and_close, fixture_teardown);
  g_test_add ("/bb/backup/open-deferred", Fixture, NULL,
              fixture_setup, test_open_deferred, fixture_teardown);
  g_test_add ("/bb/backup/open-deferred-failed", Fixture, NULL,
              fixture_setup, test_open_deferred_failed, fixture_teardown);
  g_test_add ("/bb/backup/close-unchanged", Fixture, NULL,
              fixture_setup, test_close_unchanged, fixture_teardown);
  g_test_add ("/bb/backup/manual", Fixture, NULL,
              fixture_setup, test_manual, fixture_teardown);
  g_test_add ("/bb/backup/dedupe", Fixture, NULL,
              fixture_setup, test_dedupe, fixture_teardown);
  g_test_add ("/bb/backup/rotation", Fixture, NULL,
              fixture_setup, test_rotation, fixture_teardown);
  g_test_add ("/bb/backup/list", Fixture, NULL,
              fixture_setup, test_list, fixture_teardown);
  g_test_add ("/bb/backup/restore", Fixture, NULL,
              fixture_setup, test_restore, fixture_teardown);
  g_test_add ("/bb/backup/restore-oldest-when-full", Fixture, NULL,
              fixture_setup, test_restore_oldest_when_full, fixture_teardown);
  g_test_add ("/bb/backup/restore-refused", Fixture, NULL,
              fixture_setup, test_restore_refused, fixture_teardown);
  g_test_add ("/bb/backup/restore-to-path", Fixture, NULL,
              fixture_setup, test_restore_to_path, fixture_teardown);
  g_test_add ("/bb/backup/read-only", Fixture, NULL,
              fixture_setup, test_read_only, fixture_teardown);

  return g_test_run ();
}
