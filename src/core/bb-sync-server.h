/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The library as a CouchDB-compatible database named "library", served
 * over HTTP with SoupServer, so peers (another Buurtboek, PouchDB, CouchDB's
 * replicator) replicate with http(s)://ADDRESS:PORT/library. Nothing but the
 * replica store (bb-replica.h) is reachable. Runs on the thread that owns
 * the store (the main context). */

#include <gio/gio.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* Limits against bad or hostile clients. */
#define BB_SYNC_SERVER_MAX_BODY      (32 * 1024 * 1024)
#define BB_SYNC_SERVER_MAX_DOCS      2000
/* One document's JSON without its attachments; each attachment may be
 * up to BB_LIBRARY_MAX_ATTACHMENT decoded. A larger one is refused on its
 * own ("too_large"), the rest of a _bulk_docs is stored. */
#define BB_SYNC_SERVER_MAX_DOC       (8 * 1024 * 1024)
#define BB_SYNC_SERVER_MAX_LONGPOLL  64
/* The longest a longpoll _changes waits, in milliseconds. */
#define BB_SYNC_SERVER_MAX_TIMEOUT   60000
/* Connections open at once; one more gets 503 "service_unavailable". */
#define BB_SYNC_SERVER_MAX_CONNECTIONS 32
/* Seconds a client may take to send a whole request (headers and body),
 * and to wait idle between requests on a kept-alive connection. */
#define BB_SYNC_SERVER_TIMEOUT       30

#define BB_TYPE_SYNC_SERVER (bb_sync_server_get_type ())
G_DECLARE_FINAL_TYPE (BbSyncServer, bb_sync_server, BB, SYNC_SERVER, GObject)

BbSyncServer *bb_sync_server_new             (BbStore       *store);

/* HTTP Basic credentials every request must carry; NULL @password lets
 * anyone in (only for tests and trusted machines). Set before listening. */
void          bb_sync_server_set_credentials (BbSyncServer  *self,
                                              const char    *user,
                                              const char    *password);
/* Peers may read but not write the library (their _local checkpoints are
 * still kept). */
void          bb_sync_server_set_read_only   (BbSyncServer  *self,
                                              gboolean       read_only);
gboolean      bb_sync_server_get_read_only   (BbSyncServer  *self);

/* Serves https with @certificate (with its private key; see bb-sync-tls.h
 * for a self-signed one) instead of http; NULL for plain http. Set before
 * listening. */
void          bb_sync_server_set_tls_certificate (BbSyncServer    *self,
                                                  GTlsCertificate *certificate);
GTlsCertificate *bb_sync_server_get_tls_certificate (BbSyncServer *self);

/* Properties "max-connections" and "timeout" (seconds), the limits above
 * by default; tests make them small. A client slower than the timeout is
 * cut off, whatever it sent so far is dropped unread. */
void          bb_sync_server_set_limits      (BbSyncServer  *self,
                                              guint          max_connections,
                                              guint          timeout_seconds);

/* @address: NULL or "127.0.0.1" for this machine only, "0.0.0.0" or "::"
 * for the network, or any literal address. @port 0 picks a free port. */
gboolean      bb_sync_server_listen          (BbSyncServer  *self,
                                              const char    *address,
                                              guint          port,
                                              GError       **error);
void          bb_sync_server_stop            (BbSyncServer  *self);
gboolean      bb_sync_server_is_listening    (BbSyncServer  *self);
guint         bb_sync_server_get_port        (BbSyncServer  *self);
/* The database URLs peers can type ("http://192.168.1.20:5984/library"),
 * one per address of this machine when listening on all of them. */
GStrv         bb_sync_server_dup_urls        (BbSyncServer  *self);
/* Addresses of the clients seen in the last ten minutes, newest first. */
GStrv         bb_sync_server_dup_clients     (BbSyncServer  *self);

/* signal "clients-changed": a new client address was seen. */

G_END_DECLS
