/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Edits every field of a sync peer: name, address, fingerprint, user
 * name, a new password with "Remember in the keyring", direction and
 * automatic. Save checks and writes the peer (bb_sync_peers_save); a
 * problem is shown in the dialog, which stays open. After saving it emits
 * "saved" (const BbSyncPeer *before, const BbSyncPeer *after,
 * const char *password or NULL when none was typed, gboolean remember)
 * and closes; keeping the password is the caller's part. */

#include <adwaita.h>

#include "bb-store.h"
#include "bb-sync-peers.h"

G_BEGIN_DECLS

#define BB_TYPE_SYNC_PEER_DIALOG (bb_sync_peer_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbSyncPeerDialog, bb_sync_peer_dialog, BB, SYNC_PEER_DIALOG, AdwWindow)

BbSyncPeerDialog *bb_sync_peer_dialog_new  (GtkWindow        *parent,
                                            BbStore          *store,
                                            const BbSyncPeer *peer);
/* What the Save button does. Returns: TRUE when saved (and closed). */
gboolean          bb_sync_peer_dialog_save (BbSyncPeerDialog *self);

G_END_DECLS
