/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A peer's replies as the replicator reads them: bytes → JSON → the
 * _changes, _bulk_get and open_revs readers (bb-sync-replies), and what
 * the replicator does next with the result: _revs_diff on the changes,
 * bb_replica_put_revisions() of the documents. */

#include "config.h"

#include "bb-replica.h"
#include "bb-sync-replies.h"
#include "fuzz-util.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  BbStore *store = fuzz_store ();
  g_autoptr(JsonNode) root = fuzz_parse_json (data, size);
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonNode) last_seq = NULL;
  guint rows = 0;
  gint64 pending = 0;

  if (root == NULL)
    return 0;

  if (bb_sync_read_changes_reply (root, request, &rows, &pending, &last_seq))
    {
      g_autoptr(JsonObject) diff = NULL;

      g_assert_nonnull (last_seq);
      g_assert_cmpuint (json_object_get_size (request), <=, rows);
      diff = bb_replica_revs_diff (store, request, NULL);
    }

  if (!bb_sync_read_bulk_get_reply (root, docs))
    bb_sync_read_open_revs_reply (root, docs);
  if (docs->len > 0)
    {
      g_autoptr(GPtrArray) errors = NULL;

      bb_replica_put_revisions (store, docs, NULL, &errors, NULL);
      fuzz_idle ();
    }
  return 0;
}
