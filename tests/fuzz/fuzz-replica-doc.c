/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Documents as a peer sends them (_bulk_docs with new_edits=false, or one
 * PUT ?new_edits=false): bytes → JSON → bb_replica_put_revisions() into a
 * council file, then every way of reading them back. */

#include "config.h"

#include "bb-replica.h"
#include "bb-sync-replies.h"
#include "fuzz-util.h"

#define MAX_DOCS 64

static void
read_back (BbStore    *store,
           JsonObject *doc)
{
  const char *id = bb_sync_member_string (doc, "_id");
  JsonObject *got;
  JsonArray *open_revs;
  GPtrArray *list;

  if (id == NULL)
    return;
  got = bb_replica_get (store, id, NULL,
                        BB_REPLICA_GET_REVS | BB_REPLICA_GET_CONFLICTS | BB_REPLICA_GET_DELETED_CONFLICTS |
                        BB_REPLICA_GET_REVS_INFO | BB_REPLICA_GET_ATTACHMENTS | BB_REPLICA_GET_LOCAL_SEQ,
                        NULL);
  g_clear_pointer (&got, json_object_unref);
  open_revs = bb_replica_get_open_revs (store, id, NULL, BB_REPLICA_GET_REVS | BB_REPLICA_GET_ATTACHMENTS, NULL);
  g_clear_pointer (&open_revs, json_array_unref);
  list = bb_replica_get_leaves (store, id, NULL);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bb_replica_list_attachments (store, id, NULL, NULL);
  g_clear_pointer (&list, g_ptr_array_unref);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  BbStore *store = fuzz_store ();
  g_autoptr(JsonNode) root = fuzz_parse_json (data, size);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) errors = NULL;
  JsonArray *array = NULL;

  if (root == NULL)
    return 0;
  /* {"docs": […], "new_edits": false}, one document, or an array of them */
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (root), "docs");

      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        array = json_node_get_array (member);
      else
        g_ptr_array_add (docs, json_object_ref (json_node_get_object (root)));
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);

  for (guint i = 0; array != NULL && i < json_array_get_length (array) && docs->len < MAX_DOCS; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (docs, json_object_ref (json_node_get_object (element)));
    }
  if (docs->len == 0)
    return 0;

  bb_replica_put_revisions (store, docs, NULL, &errors, NULL);
  fuzz_idle ();
  for (guint i = 0; i < docs->len; i++)
    read_back (store, g_ptr_array_index (docs, i));
  return 0;
}
