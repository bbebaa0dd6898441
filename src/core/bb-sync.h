/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the peer endpoint (bb-sync-server), the replicator
 * (bb-replicator) and the per-peer log share. */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_SYNC_ERROR (bb_sync_error_quark ())

typedef enum {
  BB_SYNC_ERROR_NETWORK,       /* the peer cannot be reached (retried with backoff) */
  BB_SYNC_ERROR_CREDENTIALS,   /* 401/403: ask the user, never retry on our own */
  BB_SYNC_ERROR_NOT_FOUND,     /* the URL has no CouchDB database */
  BB_SYNC_ERROR_PROTOCOL,      /* the peer answered something we cannot use */
  BB_SYNC_ERROR_INVALID,       /* a request or reply is malformed or too large */
  BB_SYNC_ERROR_FAILED,
  BB_SYNC_ERROR_CERTIFICATE,   /* the peer's TLS certificate is not trusted or
                                * not the pinned one: never retried */
} BbSyncError;

GQuark      bb_sync_error_quark        (void);

/* The largest JSON text either side accepts in one request or reply. */
#define BB_SYNC_MAX_JSON_BYTES (64 * 1024 * 1024)
#define BB_SYNC_MAX_JSON_DEPTH 64
/* The fixed user name of the peer endpoint's HTTP Basic credentials. */
#define BB_SYNC_DEFAULT_USER "buurtboek"

/* Parses JSON text from a peer: valid UTF-8, limited nesting, integers in
 * range, at most BB_SYNC_MAX_JSON_BYTES. BB_SYNC_ERROR_INVALID otherwise.
 * Returns: (transfer full) */
JsonNode   *bb_sync_parse_json         (const char   *text,
                                        gsize         length,
                                        GError      **error);
char       *bb_sync_to_json            (JsonNode     *node,
                                        gsize        *out_length);

/* A document id the library serves: non-empty UTF-8 of at most 512 bytes,
 * no control characters, no "/", and not starting with "_". */
gboolean    bb_sync_doc_id_is_valid    (const char   *doc_id);

/* Stable for this council file, the peer's database and the direction,
 * and independent of the peer's network address (laptops change their
 * address between meetings). 32 lowercase hex characters. */
char       *bb_sync_replication_id     (const char   *local_uuid,
                                        const char   *remote_uuid,
                                        const char   *db_name,
                                        gboolean      push);

/* A random pass-code to read out at a meeting: groups of letters and
 * digits without look-alikes (0/O, 1/l/I). */
char       *bb_sync_new_access_code    (void);

/* gzip for replies and requests. */
GBytes     *bb_sync_gzip               (const void   *data,
                                        gsize         length);
/* NULL with BB_SYNC_ERROR_INVALID when the data is not gzip or inflates
 * beyond @max_length. */
GBytes     *bb_sync_gunzip             (GBytes       *data,
                                        gsize         max_length,
                                        GError      **error);

G_END_DECLS
