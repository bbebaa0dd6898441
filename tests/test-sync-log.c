/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync log is bookkeeping: a sync that changed nothing else leaves a
 * council file that was backed up still counted as backed up, so closing
 * it makes no backup for a log line; after real changes it does. */

#include "config.h"

#include <string.h>

#include "bb-council.h"
#include "bb-store.h"
#include "bb-store-private.h"
#include "bb-sync-peers.h"
#include "bb-test-util.h"

static void
add_log (BbStore *store)
{
  BbSyncLogEntry entry = { 0 };
  g_autoptr(GError) error = NULL;

  entry.peer_url = (char *) "http://127.0.0.1:5984/library";
  entry.started_at = (char *) "2026-03-01T10:00:00Z";
  entry.finished_at = (char *) "2026-03-01T10:00:01Z";
  entry.direction = BB_SYNC_DIRECTION_PULL;
  entry.status = (char *) "ok";
  g_assert_true (bb_sync_log_add (store, &entry, &error));
  g_assert_no_error (error);
}

static void
test_log_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurtboek-sync-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "a.buurtboek", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autoptr(BbCouncil) council = bb_council_new ();
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GPtrArray) log = NULL;

  bb_council_set_name (council, "Noord");
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);

  /* Not backed up yet: the log line does not hide that */
  add_log (store);
  g_assert_true (bb_store_has_unsaved_changes (store));

  bb_store_mark_backed_up (store);
  add_log (store);
  g_assert_false (bb_store_has_unsaved_changes (store));
  log = bb_sync_log_list (store, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 2);

  /* A real change after it still needs a backup, and so does a log line
   * after a real change */
  g_assert_true (bb_store_begin (store, &error));
  g_assert_cmpint (sqlite3_exec (bb_store_get_db (store), "DELETE FROM sync_log", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (bb_store_commit (store, &error));
  g_assert_true (bb_store_has_unsaved_changes (store));
  add_log (store);
  g_assert_true (bb_store_has_unsaved_changes (store));

  g_assert_true (bb_store_close (store, &error));
  g_assert_no_error (error);
  bb_test_remove_tree (dir);
}

/* The Sharing page and the header show when a run ended as people read
 * it, not as the ISO text kept in the file */
static void
test_format_time (void)
{
  BbSyncLogEntry entry = { 0 };
  g_autofree char *ended = NULL;
  g_autofree char *started = NULL;
  g_autofree char *unreadable = NULL;

  g_setenv ("TZ", "Europe/Amsterdam", TRUE);
  entry.started_at = (char *) "2026-11-22T08:59:00Z";
  entry.finished_at = (char *) "2026-11-22T09:10:00Z";
  ended = bb_sync_log_entry_format_time (&entry);
  g_assert_null (strstr (ended, "T09"));
  g_assert_nonnull (strstr (ended, "2026"));
  g_assert_nonnull (strstr (ended, "10:10"));

  entry.finished_at = NULL;
  started = bb_sync_log_entry_format_time (&entry);
  g_assert_nonnull (strstr (started, "09:59"));

  entry.started_at = (char *) "gisteren";
  unreadable = bb_sync_log_entry_format_time (&entry);
  g_assert_cmpstr (unreadable, ==, "?");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/sync-log/log-only", test_log_only);
  g_test_add_func ("/bb/sync-log/format-time", test_format_time);

  return g_test_run ();
}
