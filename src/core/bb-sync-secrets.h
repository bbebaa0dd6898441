/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Peer passwords in the user's keyring (the Secret Service, through
 * libsecret), never in the council file: that file is backed up, handed
 * over and copied. One secret per council and peer, with the schema
 * "nl.buurtboek.Buurtboek.Peer" and the attributes council (the council's
 * uuid), peer (the peer's id), url and user, labelled for Seahorse as
 * "Buurtboek: Wijkraad X → Hub Eindhoven".
 *
 * A lookup matches all four attributes, so a password is never sent to an
 * address or as a user it was not given for. When no keyring can be
 * reached (no D-Bus session, no Secret Service, a locked keyring whose
 * prompt was dismissed) the calls fail with
 * BB_SYNC_SECRETS_ERROR_UNAVAILABLE and a translated message; nothing
 * ever falls back to plain text. Use the _sync variants only in the CLI
 * or a worker thread. */

#include <gio/gio.h>

#include "bb-store.h"
#include "bb-sync-peers.h"

G_BEGIN_DECLS

#define BB_SYNC_SECRETS_SCHEMA_NAME "nl.buurtboek.Buurtboek.Peer"

#define BB_SYNC_SECRETS_ERROR (bb_sync_secrets_error_quark ())

typedef enum {
  BB_SYNC_SECRETS_ERROR_UNAVAILABLE,  /* no keyring reachable or it refused */
} BbSyncSecretsError;

GQuark    bb_sync_secrets_error_quark   (void);

/* "Buurtboek: @council_name → @peer's name (or URL)" */
char     *bb_sync_secrets_label         (const char        *council_name,
                                         const BbSyncPeer  *peer);

/* @peer must have been saved (it has an id). */
void      bb_sync_secrets_store_async   (const char          *council_id,
                                         const char          *council_name,
                                         const BbSyncPeer    *peer,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  bb_sync_secrets_store_finish  (GAsyncResult        *result,
                                         GError             **error);
gboolean  bb_sync_secrets_store_sync    (const char          *council_id,
                                         const char          *council_name,
                                         const BbSyncPeer    *peer,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* Returns: (nullable) the password (free with bb_sync_secrets_free), or
 * NULL without an error when none is remembered for this peer. */
void      bb_sync_secrets_lookup_async  (const char          *council_id,
                                         const BbSyncPeer    *peer,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char     *bb_sync_secrets_lookup_finish (GAsyncResult        *result,
                                         GError             **error);
char     *bb_sync_secrets_lookup_sync   (const char          *council_id,
                                         const BbSyncPeer    *peer,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* Forgets every password of the peer @peer_id of this council (any URL or
 * user). Succeeds when there was none. */
void      bb_sync_secrets_clear_async   (const char          *council_id,
                                         const char          *peer_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  bb_sync_secrets_clear_finish  (GAsyncResult        *result,
                                         GError             **error);
gboolean  bb_sync_secrets_clear_sync    (const char          *council_id,
                                         const char          *peer_id,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* After @old_peer was saved as @new_peer (the same id; its name, URL or
 * user changed): the remembered password follows it. With @password, that
 * one is remembered instead. The old entry is cleared first, so none keeps
 * the old address, user or label. Without @password and nothing
 * remembered, nothing changes. Runs the keyring calls in a thread. */
void      bb_sync_secrets_update_async  (const char          *council_id,
                                         const char          *council_name,
                                         const BbSyncPeer    *old_peer,
                                         const BbSyncPeer    *new_peer,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  bb_sync_secrets_update_finish (GAsyncResult        *result,
                                         GError             **error);
gboolean  bb_sync_secrets_update_sync   (const char          *council_id,
                                         const char          *council_name,
                                         const BbSyncPeer    *old_peer,
                                         const BbSyncPeer    *new_peer,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GError             **error);

/* Wipes and frees a password (secret_password_free). */
void      bb_sync_secrets_free          (char                *password);

/* Passwords an older council file remembered wait in the table
 * sync_peer_password_pending (schema step 11). The number of them. */
gint64    bb_sync_secrets_count_pending (BbStore             *store,
                                         GError             **error);
/* Stores each waiting password in the keyring and deletes its row (with
 * SQLite's secure_delete, so its bytes leave the file) only after the
 * keyring confirmed it. Stops at the first keyring error, leaving that
 * row and the rest in place for the next time. Main thread only.
 * @out_moved: how many were moved, also when it fails. */
void      bb_sync_secrets_move_pending_async  (BbStore             *store,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean  bb_sync_secrets_move_pending_finish (BbStore             *store,
                                               GAsyncResult        *result,
                                               guint               *out_moved,
                                               GError             **error);

G_END_DECLS
