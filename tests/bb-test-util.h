/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path and everything below it (read-only folders included, so
 * tests of permission errors clean up too), without following symbolic
 * links. A path that does not exist is fine; anything left behind fails
 * the test. */
void bb_test_remove_tree (const char *path);

/* Runs $BUURTBOEK_CLI with the NULL-terminated arguments in @env, collects
 * standard output and error into @out and @err (logged with
 * g_test_message) and returns the exit status. */
int  bb_test_run_cli     (char       **env,
                          char       **out,
                          char       **err,
                          ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
