/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Revision ids and revision paths: the first line is a rev ("N-hash"),
 * the rest JSON. An object is a _revs_diff request and also the
 * "_revisions" of a document stored under that rev (with a revs limit
 * from the first byte, so stemming runs); an array is an open_revs list.
 * Then the document's history is read back. */

#include "config.h"

#include <string.h>

#include "bb-replica.h"
#include "fuzz-util.h"

#define DOC_ID "fuzz-doc"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  BbStore *store = fuzz_store ();
  const uint8_t *newline = memchr (data, '\n', size);
  size_t rev_length = newline != NULL ? (size_t) (newline - data) : size;
  g_autofree char *rev = g_strndup ((const char *) data, rev_length);
  g_autoptr(JsonNode) root = NULL;
  gint64 pos = 0;
  const char *hash = NULL;
  JsonObject *got;

  if (!g_utf8_validate (rev, -1, NULL))
    return 0;
  bb_replica_parse_rev (rev, &pos, &hash);
  if (newline != NULL)
    root = fuzz_parse_json (newline + 1, size - rev_length - 1);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr(JsonObject) diff = bb_replica_revs_diff (store, json_node_get_object (root), NULL);
      g_autoptr(JsonObject) doc = json_object_new ();
      g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GPtrArray) errors = NULL;

      bb_replica_set_revs_limit (store, 1 + (guint) data[0] % 8, NULL);
      json_object_set_string_member (doc, "_id", DOC_ID);
      json_object_set_string_member (doc, "_rev", rev);
      json_object_set_member (doc, "_revisions", json_node_ref (root));
      json_object_set_string_member (doc, "title", "Fuzz");
      if (data[0] & 1)
        json_object_set_boolean_member (doc, "_deleted", TRUE);
      g_ptr_array_add (docs, json_object_ref (doc));
      bb_replica_put_revisions (store, docs, NULL, &errors, NULL);
      fuzz_idle ();
    }
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      g_autoptr(GPtrArray) revs = g_ptr_array_new ();
      JsonArray *open_revs;

      for (guint i = 0; i < json_array_get_length (array) && i < 64; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (revs, (gpointer) json_node_get_string (element));
        }
      g_ptr_array_add (revs, NULL);
      open_revs = bb_replica_get_open_revs (store, DOC_ID, (const char * const *) revs->pdata,
                                            BB_REPLICA_GET_LATEST | BB_REPLICA_GET_REVS, NULL);
      g_clear_pointer (&open_revs, json_array_unref);
    }

  got = bb_replica_get (store, DOC_ID, rev,
                        BB_REPLICA_GET_REVS | BB_REPLICA_GET_REVS_INFO | BB_REPLICA_GET_LATEST |
                        BB_REPLICA_GET_CONFLICTS | BB_REPLICA_GET_DELETED_CONFLICTS, NULL);
  g_clear_pointer (&got, json_object_unref);
  got = bb_replica_get (store, DOC_ID, NULL, BB_REPLICA_GET_REVS | BB_REPLICA_GET_REVS_INFO, NULL);
  g_clear_pointer (&got, json_object_unref);
  return 0;
}
