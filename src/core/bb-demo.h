/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bb-store.h"

G_BEGIN_DECLS

/* Creates the demo council "Wijkraad De Dommelhoek" (Valkenswaard) at
 * @path, which must not exist. */
BbStore *bb_demo_create (const char  *path,
                         const char  *backup_root,
                         GError     **error);

G_END_DECLS
