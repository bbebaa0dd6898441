/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The peer endpoint's handling of request bodies without a connection:
 * what tests/fuzz/fuzz-server.c feeds hostile bodies to. Private to the
 * core and its tests. */

#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

typedef enum {
  BB_SYNC_SERVER_REVS_DIFF,
  BB_SYNC_SERVER_BULK_GET,
  BB_SYNC_SERVER_BULK_DOCS,
  BB_SYNC_SERVER_ALL_DOCS,
} BbSyncServerEndpoint;

/* Answers a POST of @data (JSON, @length bytes) to @endpoint of the
 * library in @store as a writable BbSyncServer does, with @query's
 * parameters (nullable). @out_reply: (transfer full): the JSON reply,
 * {"error", "reason"} when the status is not 2xx.
 *
 * Returns: the HTTP status. */
guint      bb_sync_server_answer_body    (BbStore               *store,
                                          BbSyncServerEndpoint   endpoint,
                                          GHashTable            *query,
                                          const char            *data,
                                          gsize                  length,
                                          JsonNode             **out_reply);

G_END_DECLS
