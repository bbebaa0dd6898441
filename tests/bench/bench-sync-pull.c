/* SPDX-License-Identifier: GPL-3.0-or-later */

/* One pull into a council file, timed in-process, in three parts: opening
 * the file (its checks and opening backup), the replication itself
 * (BbReplicator, as `buurtboek-cli sync --pull` runs it) and closing it
 * (search index and closing backup). tests/bench/sync runs it for the
 * repeated pull with no changes. Prints key=value figures.
 *
 *   bench-sync-pull FILE URL [USER PASSWORD]
 */

#include "config.h"

#include <locale.h>
#include <sys/resource.h>

#include "bb-library.h"
#include "bb-replicator.h"
#include "bb-store.h"

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static double
ms_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbReplicator) replicator = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const BbSyncStats *stats;
  struct rusage usage;
  double open_ms, pull_ms, close_ms;
  gint64 start;

  setlocale (LC_ALL, "");
  if (argc != 3 && argc != 5)
    {
      g_printerr ("usage: %s FILE URL [USER PASSWORD]\n", argv[0]);
      return 2;
    }

  start = g_get_monotonic_time ();
  store = bb_store_open (argv[1], BB_STORE_OPEN_NONE, NULL, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  open_ms = ms_since (start);

  start = g_get_monotonic_time ();
  replicator = bb_replicator_new (store, argv[2]);
  if (argc == 5)
    bb_replicator_set_credentials (replicator, argv[3], argv[4]);
  bb_replicator_run_async (replicator, BB_SYNC_DIRECTION_PULL, NULL, on_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!bb_replicator_run_finish (replicator, result, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  pull_ms = ms_since (start);
  stats = bb_replicator_get_stats (replicator, FALSE);

  /* What `buurtboek-cli` does on closing a written file */
  start = g_get_monotonic_time ();
  if (bb_library_flush_index (store, 0, &error) < 0 ||
      !bb_store_close (store, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  close_ms = ms_since (start);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("open_ms=%.1f\npull_ms=%.1f\nclose_ms=%.1f\ndocs_written=%" G_GINT64_FORMAT "\npeak_rss_kib=%ld\n",
           open_ms, pull_ms, close_ms, stats->docs_written, usage.ru_maxrss);
  return 0;
}
