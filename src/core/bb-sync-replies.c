/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "bb-sync.h"
#include "bb-sync-replies.h"

const char *
bb_sync_member_string (JsonObject *object,
                       const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
bb_sync_member_string_or (JsonObject *object,
                          const char *name,
                          const char *default_value)
{
  const char *value = bb_sync_member_string (object, name);

  return value != NULL ? value : default_value;
}

const char *
bb_sync_element_string (JsonArray *array,
                        guint      index)
{
  JsonNode *node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
bb_sync_member_int (JsonObject *object,
                    const char *name,
                    gint64      default_value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) == G_TYPE_STRING)
    return default_value;
  return json_node_get_int (node);
}

gboolean
bb_sync_member_bool (JsonObject *object,
                     const char *name,
                     gboolean    default_value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

JsonObject *
bb_sync_member_object (JsonObject *object,
                       const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
bb_sync_member_array (JsonObject *object,
                      const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
bb_sync_member_is_type (JsonObject *object,
                        const char *name,
                        GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (type == JSON_TYPE_OBJECT)
    return JSON_NODE_HOLDS_OBJECT (node);
  if (type == JSON_TYPE_ARRAY)
    return JSON_NODE_HOLDS_ARRAY (node);
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
bb_sync_read_changes_reply (JsonNode    *reply,
                            JsonObject  *request,
                            guint       *out_rows,
                            gint64      *out_pending,
                            JsonNode   **out_last_seq)
{
  JsonObject *object;
  JsonNode *results;
  JsonArray *rows;

  g_return_val_if_fail (request != NULL, FALSE);

  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    return FALSE;
  object = json_node_get_object (reply);
  results = json_object_get_member (object, "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results) || !json_object_has_member (object, "last_seq"))
    return FALSE;
  rows = json_node_get_array (results);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      JsonObject *row;
      JsonNode *changes;
      const char *id;
      JsonArray *revs;

      if (!JSON_NODE_HOLDS_OBJECT (row_node))
        continue;
      row = json_node_get_object (row_node);
      id = bb_sync_member_string (row, "id");
      changes = json_object_get_member (row, "changes");
      /* Design documents and ids the library cannot hold are left out */
      if (id == NULL || !bb_sync_doc_id_is_valid (id) || changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
        continue;

      revs = json_array_new ();
      for (guint j = 0; j < json_array_get_length (json_node_get_array (changes)); j++)
        {
          JsonNode *change = json_array_get_element (json_node_get_array (changes), j);
          const char *rev = JSON_NODE_HOLDS_OBJECT (change)
                            ? bb_sync_member_string (json_node_get_object (change), "rev")
                            : NULL;

          if (rev != NULL)
            json_array_add_string_element (revs, rev);
        }
      json_object_set_array_member (request, id, revs);
    }

  *out_rows = json_array_get_length (rows);
  *out_pending = bb_sync_member_int (object, "pending", 0);
  *out_last_seq = json_node_copy (json_object_get_member (object, "last_seq"));
  return TRUE;
}

gboolean
bb_sync_read_open_revs_reply (JsonNode  *reply,
                              GPtrArray *docs)
{
  JsonArray *array;

  g_return_val_if_fail (docs != NULL, FALSE);

  if (reply == NULL || !JSON_NODE_HOLDS_ARRAY (reply))
    return FALSE;
  array = json_node_get_array (reply);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *ok;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      ok = json_object_get_member (json_node_get_object (element), "ok");
      if (ok != NULL && JSON_NODE_HOLDS_OBJECT (ok))
        g_ptr_array_add (docs, json_object_ref (json_node_get_object (ok)));
    }
  return TRUE;
}

gboolean
bb_sync_read_bulk_get_reply (JsonNode  *reply,
                             GPtrArray *docs)
{
  JsonNode *results;
  JsonArray *array;

  g_return_val_if_fail (docs != NULL, FALSE);

  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    return FALSE;
  results = json_object_get_member (json_node_get_object (reply), "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    return FALSE;
  array = json_node_get_array (results);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *result = json_array_get_element (array, i);
      JsonNode *result_docs;

      if (!JSON_NODE_HOLDS_OBJECT (result))
        continue;
      result_docs = json_object_get_member (json_node_get_object (result), "docs");
      if (result_docs != NULL)
        bb_sync_read_open_revs_reply (result_docs, docs);
    }
  return TRUE;
}
