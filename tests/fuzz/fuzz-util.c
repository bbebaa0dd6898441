/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdlib.h>

#include "bb-council.h"
#include "bb-sync.h"
#include "bb-test-util.h"
#include "fuzz-util.h"

#define INPUTS_PER_STORE 5000

static char *dir;
static BbStore *store;
static guint inputs;

static void
drop_store (void)
{
  if (store != NULL)
    {
      bb_store_close (store, NULL);
      g_clear_object (&store);
    }
  if (dir != NULL)
    bb_test_remove_tree (dir);
  g_clear_pointer (&dir, g_free);
}

/* abort(), not G_BREAKPOINT's trap: libFuzzer saves the input on abort */
static void
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  g_log_default_handler (log_domain, log_level, message, user_data);
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
}

BbStore *
fuzz_store (void)
{
  static gboolean initialised;
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;

  if (!initialised)
    {
      initialised = TRUE;
      g_log_set_default_handler (fatal_log_cb, NULL);
      atexit (drop_store);
    }

  if (store != NULL && ++inputs % INPUTS_PER_STORE == 0)
    drop_store ();
  if (store != NULL)
    return store;

  dir = g_dir_make_tmp ("buurtboek-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "fuzz.buurtboek", NULL);
  backups = g_build_filename (dir, "backups", NULL);
  council = bb_council_new ();
  bb_council_set_name (council, "Wijkraad Fuzz");
  store = bb_store_create (path, council, backups, &error);
  g_assert_no_error (error);
  return store;
}

void
fuzz_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

JsonNode *
fuzz_parse_json (const uint8_t *data,
                 size_t         size)
{
  return bb_sync_parse_json ((const char *) data, size, NULL);
}
