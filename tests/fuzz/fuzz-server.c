/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a client may POST to the peer endpoint: the first byte chooses the
 * endpoint (its two low bits: _revs_diff, _bulk_get, _bulk_docs,
 * _all_docs) and the query flags (the next five bits: revs, attachments,
 * include_docs, conflicts, latest); the rest is the body, decoded and
 * answered as BbSyncServer does (bb-sync-server-private.h) against one
 * council file, so that written documents are there for later inputs.
 *
 * Checked: every answer is JSON with a status; an error answer is
 * CouchDB-shaped ({"error", "reason"} strings); a refused request
 * (4xx) wrote nothing. */

#include "config.h"

#include "bb-replica.h"
#include "bb-sync-replies.h"
#include "bb-sync-server-private.h"
#include "fuzz-util.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const flags[] = { "revs", "attachments", "include_docs", "conflicts", "latest" };
  BbStore *store;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(JsonNode) reply = NULL;
  gint64 seq;
  guint status;

  if (size < 1)
    return 0;

  store = fuzz_store ();
  query = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (data[0] & (4u << i))
      g_hash_table_insert (query, (gpointer) flags[i], (gpointer) "true");

  seq = bb_replica_get_update_seq (store);
  status = bb_sync_server_answer_body (store, (BbSyncServerEndpoint) (data[0] & 3), query,
                                       (const char *) data + 1, size - 1, &reply);
  fuzz_idle ();

  g_assert_nonnull (reply);
  /* FUZZ_VERBOSE=1 replay-server FILE: what the endpoint answered */
  if (g_getenv ("FUZZ_VERBOSE") != NULL)
    {
      g_autofree char *text = json_to_string (reply, FALSE);

      g_printerr ("%u %s\n", status, text);
    }
  g_assert_cmpuint (status, >=, 200);
  g_assert_cmpuint (status, <, 500);
  if (status >= 400)
    {
      g_assert_true (JSON_NODE_HOLDS_OBJECT (reply));
      g_assert_nonnull (bb_sync_member_string (json_node_get_object (reply), "error"));
      g_assert_nonnull (bb_sync_member_string (json_node_get_object (reply), "reason"));
      g_assert_cmpint (bb_replica_get_update_seq (store), ==, seq);
    }
  return 0;
}
