/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path and everything below it (read-only folders included, so
 * tests of permission errors clean up too), without following symbolic
 * links. A path that does not exist is fine; anything left behind fails
 * the test. */
void bb_test_remove_tree (const char *path);

G_END_DECLS
