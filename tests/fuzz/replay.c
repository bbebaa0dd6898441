/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs a fuzz target's LLVMFuzzerTestOneInput on every file of the
 * corpus folders (or files) given, so the corpus and every crash input
 * saved there run as a test under the ordinary compiler and ASan. */

#include "config.h"

#include <stdio.h>

#include <glib.h>

#include "fuzz-util.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gboolean
replay_file (const char *path,
             guint      *count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  printf ("# %s\n", path);
  fflush (stdout);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  (*count)++;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          const char *name;

          if (dir == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          while ((name = g_dir_read_name (dir)) != NULL)
            g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
          /* The same order on every run */
          g_ptr_array_sort (names, compare_paths);
          for (guint j = 0; j < names->len; j++)
            if (!replay_file (g_ptr_array_index (names, j), &count))
              return 1;
        }
      else if (!replay_file (argv[i], &count))
        return 1;
    }

  if (count == 0)
    {
      g_printerr ("No inputs: give corpus folders or files.\n");
      return 1;
    }
  printf ("%u inputs replayed\n", count);
  return 0;
}
