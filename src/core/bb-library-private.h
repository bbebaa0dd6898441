/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Between the replica (bb-replica.c) and the library (bb-library.c). */

#include <json-glib/json-glib.h>

#include "bb-library.h"
#include "bb-replica.h"
#include "bb-store.h"

G_BEGIN_DECLS

/* Called by every replica write, inside its transaction, when the winner
 * of a document changed: brings the search index and the list index in
 * step with the new winner. @rev_key 0 (a tombstone winner or a document
 * that is not a library document) removes the document from the indexes.
 * @body: (nullable): the winner's parsed body when the caller has it,
 * else it is read. */
gboolean  bb_library_index_winner  (BbStore     *store,
                                    gint64       doc_key,
                                    gint64       rev_key,
                                    JsonObject  *body,
                                    GError     **error);

/* Tombstones on every live leaf in @leaves (element-type BbReplicaLeaf)
 * of @doc_id, in one transaction. @out_rev: (optional) the tombstone on
 * the first live leaf (the winner when @leaves is in leaf order). */
gboolean  bb_replica_delete_leaves (BbStore     *store,
                                    const char  *doc_id,
                                    GPtrArray   *leaves,
                                    char       **out_rev,
                                    GError     **error);

G_END_DECLS
