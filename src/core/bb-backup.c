/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "bb-backup.h"
#include "bb-store-private.h"

/* A backup is named "YYYYMMDD-HHMMSS-mmm-<reason>[-N].buurtboek", the time
 * in UTC. The name alone orders the backups and says why each was made, so
 * listing a folder needs no database and survives copying the folder. */
#define STAMP_LEN 19    /* "YYYYMMDD-HHMMSS-mmm" */
#define COUNCIL_ID_MAX 64

static const char * const reason_words[] = {
  [BB_BACKUP_REASON_OPEN]             = "open",
  [BB_BACKUP_REASON_CLOSE]            = "close",
  [BB_BACKUP_REASON_MANUAL]           = "manual",
  [BB_BACKUP_REASON_BEFORE_RESTORE]   = "before-restore",
  [BB_BACKUP_REASON_BEFORE_MIGRATION] = "before-migration",
};

/* What the name of a backup says; sorted on (stamp, seq). */
typedef struct {
  char            stamp[STAMP_LEN + 1];
  guint           seq;                   /* 1 when the name has no "-N" */
  BbBackupReason  reason;
} BackupName;

void
bb_backup_info_free (BbBackupInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->path);
  g_clear_pointer (&info->created, g_date_time_unref);
  g_free (info);
}

const char *
bb_backup_reason_get_label (BbBackupReason reason)
{
  switch (reason)
    {
    case BB_BACKUP_REASON_OPEN:
      return _("When opened");
    case BB_BACKUP_REASON_CLOSE:
      return _("When closed");
    case BB_BACKUP_REASON_MANUAL:
      return _("Made by hand");
    case BB_BACKUP_REASON_BEFORE_RESTORE:
      return _("Before a restore");
    case BB_BACKUP_REASON_BEFORE_MIGRATION:
      return _("Before an update of the file format");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The council id becomes a folder name, so it must never be able to point
 * outside the backup root, whatever a damaged or hostile file contains. */
static gboolean
council_id_is_safe (const char *council_id)
{
  gsize len;

  if (council_id == NULL)
    return FALSE;

  len = strlen (council_id);
  if (len == 0 || len > COUNCIL_ID_MAX)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (council_id[i]) && council_id[i] != '-')
        return FALSE;
    }

  return TRUE;
}

char *
bb_backup_get_dir (const char *backup_root,
                   const char *council_id)
{
  g_return_val_if_fail (backup_root != NULL, NULL);

  if (!council_id_is_safe (council_id))
    return NULL;

  return g_build_filename (backup_root, council_id, NULL);
}

static char *
get_dir_or_error (const char  *backup_root,
                  const char  *council_id,
                  GError     **error)
{
  char *dir = bb_backup_get_dir (backup_root, council_id);

  if (dir == NULL)
    g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_FAILED,
                 _("The council id “%s” cannot be used as a backup folder name."),
                 council_id != NULL ? council_id : "");

  return dir;
}

static gboolean
all_digits (const char *text,
            gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_reason_word (const char     *word,
                   gsize           len,
                   BbBackupReason *out_reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (reason_words); i++)
    {
      if (strlen (reason_words[i]) == len && strncmp (word, reason_words[i], len) == 0)
        {
          *out_reason = (BbBackupReason) i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
parse_backup_name (const char *name,
                   BackupName *out)
{
  gsize len = strlen (name);
  gsize suffix_len = strlen (BB_STORE_FILE_SUFFIX);
  const char *rest;
  gsize rest_len;
  const char *dash;

  if (len <= STAMP_LEN + 1 + suffix_len || !g_str_has_suffix (name, BB_STORE_FILE_SUFFIX))
    return FALSE;

  if (!all_digits (name, 8) || name[8] != '-' ||
      !all_digits (name + 9, 6) || name[15] != '-' ||
      !all_digits (name + 16, 3) || name[STAMP_LEN] != '-')
    return FALSE;

  memcpy (out->stamp, name, STAMP_LEN);
  out->stamp[STAMP_LEN] = '\0';

  rest = name + STAMP_LEN + 1;
  rest_len = len - STAMP_LEN - 1 - suffix_len;

  if (parse_reason_word (rest, rest_len, &out->reason))
    {
      out->seq = 1;
      return TRUE;
    }

  /* "<reason>-N" with N ≥ 2 and no leading zero, as bb_backup_make writes it */
  dash = g_strrstr_len (rest, rest_len, "-");
  if (dash != NULL)
    {
      gsize word_len = dash - rest;
      const char *num = dash + 1;
      gsize num_len = rest_len - word_len - 1;
      guint64 seq;
      g_autofree char *num_str = NULL;

      if (num_len == 0 || num_len > 6 || num[0] == '0' || !all_digits (num, num_len))
        return FALSE;

      num_str = g_strndup (num, num_len);
      seq = g_ascii_strtoull (num_str, NULL, 10);
      if (seq < 2)
        return FALSE;

      if (parse_reason_word (rest, word_len, &out->reason))
        {
          out->seq = (guint) seq;
          return TRUE;
        }
    }

  return FALSE;
}

static GDateTime *
stamp_to_local (const char *stamp)
{
  g_autoptr(GDateTime) utc = NULL;
  int year, month, day, hour, minute, second, milli;

  if (sscanf (stamp, "%4d%2d%2d-%2d%2d%2d-%3d",
              &year, &month, &day, &hour, &minute, &second, &milli) != 7)
    return NULL;

  /* g_date_time_new_utc() checks the ranges and returns NULL when wrong */
  utc = g_date_time_new_utc (year, month, day, hour, minute, second + milli / 1000.0);
  if (utc == NULL)
    return NULL;

  return g_date_time_to_local (utc);
}

typedef struct {
  BbBackupInfo *info;
  BackupName    name;
} ListEntry;

static void
list_entry_free (gpointer data)
{
  ListEntry *entry = data;

  bb_backup_info_free (entry->info);
  g_free (entry);
}

static int
compare_entries_newest_first (gconstpointer a,
                              gconstpointer b)
{
  const ListEntry *ea = *(const ListEntry * const *) a;
  const ListEntry *eb = *(const ListEntry * const *) b;
  int cmp = strcmp (eb->name.stamp, ea->name.stamp);

  if (cmp != 0)
    return cmp;
  if (ea->name.seq != eb->name.seq)
    return ea->name.seq < eb->name.seq ? 1 : -1;
  return strcmp (eb->info->path, ea->info->path);
}

/* Every backup in @dir, newest first, as ListEntry. */
static GPtrArray *
list_entries (const char  *dir,
              GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (list_entry_free);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) local_error = NULL;

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          NULL, &local_error);
  if (enumerator == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_steal_pointer (&entries);

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the backup folder: "));
      return NULL;
    }

  for (;;)
    {
      GFileInfo *file_info = NULL;
      ListEntry *entry;
      BackupName name;
      GDateTime *created;

      if (!g_file_enumerator_iterate (enumerator, &file_info, NULL, NULL, &local_error))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Could not read the backup folder: "));
          return NULL;
        }
      if (file_info == NULL)
        break;

      if (g_file_info_get_file_type (file_info) != G_FILE_TYPE_REGULAR)
        continue;
      if (!parse_backup_name (g_file_info_get_name (file_info), &name))
        continue;
      created = stamp_to_local (name.stamp);
      if (created == NULL)
        continue;

      entry = g_new0 (ListEntry, 1);
      entry->name = name;
      entry->info = g_new0 (BbBackupInfo, 1);
      entry->info->path = g_build_filename (dir, g_file_info_get_name (file_info), NULL);
      entry->info->created = created;
      entry->info->size = g_file_info_get_size (file_info);
      entry->info->reason = name.reason;
      g_ptr_array_add (entries, entry);
    }

  g_ptr_array_sort (entries, compare_entries_newest_first);

  return g_steal_pointer (&entries);
}

GPtrArray *
bb_backup_list (const char  *backup_root,
                const char  *council_id,
                GError     **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *result;

  g_return_val_if_fail (backup_root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = get_dir_or_error (backup_root, council_id, error);
  if (dir == NULL)
    return NULL;

  entries = list_entries (dir, error);
  if (entries == NULL)
    return NULL;

  result = g_ptr_array_new_full (entries->len, (GDestroyNotify) bb_backup_info_free);
  for (guint i = 0; i < entries->len; i++)
    {
      ListEntry *entry = g_ptr_array_index (entries, i);
      g_ptr_array_add (result, g_steal_pointer (&entry->info));
    }

  return result;
}

BbBackupInfo *
bb_backup_get_latest (const char *backup_root,
                      const char *council_id)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (backup_root != NULL, NULL);

  list = bb_backup_list (backup_root, council_id, NULL);
  if (list == NULL || list->len == 0)
    return NULL;

  return g_ptr_array_steal_index (list, 0);
}

/* Whether @new_path holds the same bytes as @old_path, in @out_same. Only
 * reading @new_path can fail; an @old_path that cannot be read differs.
 * Compared directly rather than by checksums: files of different sizes
 * differ without being read, and equal ones are read once each. */
static gboolean
same_contents (const char  *new_path,
               const char  *old_path,
               gboolean    *out_same,
               GError     **error)
{
  g_autoptr(GFile) new_file = g_file_new_for_path (new_path);
  g_autoptr(GFile) old_file = g_file_new_for_path (old_path);
  g_autoptr(GFileInputStream) new_stream = NULL;
  g_autoptr(GFileInputStream) old_stream = NULL;
  g_autofree guint8 *new_buffer = NULL;
  g_autofree guint8 *old_buffer = NULL;
  GStatBuf new_st;
  GStatBuf old_st;

  *out_same = FALSE;

  new_stream = g_file_read (new_file, NULL, error);
  if (new_stream == NULL)
    return FALSE;

  if (g_stat (new_path, &new_st) != 0 || g_stat (old_path, &old_st) != 0 ||
      new_st.st_size != old_st.st_size)
    return TRUE;

  old_stream = g_file_read (old_file, NULL, NULL);
  if (old_stream == NULL)
    return TRUE;

  new_buffer = g_malloc (64 * 1024);
  old_buffer = g_malloc (64 * 1024);
  for (;;)
    {
      gsize new_n = 0;
      gsize old_n = 0;

      if (!g_input_stream_read_all (G_INPUT_STREAM (new_stream), new_buffer, 64 * 1024,
                                    &new_n, NULL, error))
        return FALSE;
      if (!g_input_stream_read_all (G_INPUT_STREAM (old_stream), old_buffer, 64 * 1024,
                                    &old_n, NULL, NULL) ||
          new_n != old_n || memcmp (new_buffer, old_buffer, new_n) != 0)
        return TRUE;
      if (new_n == 0)
        break;
    }

  *out_same = TRUE;
  return TRUE;
}

/* A name that sorts after every backup already in the folder made in the
 * same millisecond, whatever their reason, so the order stays exact. */
static char *
new_backup_path (const char     *dir,
                 BbBackupReason  reason,
                 GPtrArray      *entries)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *stamp = g_strdup_printf ("%s-%03d", seconds,
                                            g_date_time_get_microsecond (now) / 1000);
  guint seq = 1;

  for (guint i = 0; i < entries->len; i++)
    {
      const ListEntry *entry = g_ptr_array_index (entries, i);

      if (strcmp (entry->name.stamp, stamp) == 0 && entry->name.seq >= seq)
        seq = entry->name.seq + 1;
    }

  for (;;)
    {
      g_autofree char *name = NULL;
      char *path;

      if (seq == 1)
        name = g_strdup_printf ("%s-%s%s", stamp, reason_words[reason], BB_STORE_FILE_SUFFIX);
      else
        name = g_strdup_printf ("%s-%s-%u%s", stamp, reason_words[reason], seq, BB_STORE_FILE_SUFFIX);

      path = g_build_filename (dir, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;

      g_free (path);
      seq++;
    }
}

static gboolean
same_file_name (const char *a,
                const char *b)
{
  g_autofree char *canonical_a = NULL;
  g_autofree char *canonical_b = NULL;

  if (a == NULL || b == NULL)
    return FALSE;

  canonical_a = g_canonicalize_filename (a, NULL);
  canonical_b = g_canonicalize_filename (b, NULL);
  return strcmp (canonical_a, canonical_b) == 0;
}

/* Keeps @new_path, @protected_path (when it is one of them) and the newest
 * others, BB_BACKUP_KEEP in all; other files in the folder are not ours. */
static void
rotate (GPtrArray  *entries,
        const char *new_path,
        const char *protected_path)
{
  guint kept = 1;

  for (guint i = 0; i < entries->len; i++)
    {
      const ListEntry *entry = g_ptr_array_index (entries, i);

      if (same_file_name (entry->info->path, protected_path))
        kept++;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const ListEntry *entry = g_ptr_array_index (entries, i);
      const char *path = entry->info->path;

      if (same_file_name (path, new_path) || same_file_name (path, protected_path))
        continue;

      if (kept < BB_BACKUP_KEEP)
        {
          kept++;
          continue;
        }

      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Could not remove the old backup %s: %s", path, g_strerror (errno));
    }
}

static gboolean
make_backup (BbStore         *store,
             BbBackupReason   reason,
             const char      *protected_path,
             char           **out_path,
             GError         **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *default_root = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *backup_root = bb_store_get_backup_root (store);
  const char *result_path;

  if (backup_root == NULL)
    backup_root = default_root = bb_store_get_default_backup_root ();

  dir = get_dir_or_error (backup_root, bb_store_get_council_id (store), error);
  if (dir == NULL)
    return FALSE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the backup folder “%s”: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  entries = list_entries (dir, error);
  if (entries == NULL)
    return FALSE;

  path = new_backup_path (dir, reason, entries);
  if (!bb_store_copy_to (store, path, error))
    {
      g_prefix_error (error, _("Could not make a backup: "));
      return FALSE;
    }

  /* The folder may be shared with other users of the computer; the books
   * and the volunteers' details are not theirs to read. */
  if (g_chmod (path, 0600) != 0)
    g_debug ("Could not restrict the permissions of %s: %s", path, g_strerror (errno));

  result_path = path;

  if (entries->len > 0)
    {
      const ListEntry *newest = g_ptr_array_index (entries, 0);
      gboolean same = FALSE;

      /* An unreadable older backup is no reason to fail this one; they are
       * then simply not the same. */
      if (!same_contents (path, newest->info->path, &same, error))
        {
          g_prefix_error (error, _("Could not read the new backup: "));
          g_unlink (path);
          return FALSE;
        }

      if (same)
        {
          if (g_unlink (path) != 0)
            {
              int saved_errno = errno;
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           _("Could not remove the duplicate backup “%s”: %s"),
                           path, g_strerror (saved_errno));
              return FALSE;
            }
          result_path = newest->info->path;
        }
    }

  if (result_path == path)
    rotate (entries, path, protected_path);

  bb_store_mark_backed_up (store);

  if (out_path != NULL)
    *out_path = g_strdup (result_path);

  return TRUE;
}

gboolean
bb_backup_make (BbStore         *store,
                BbBackupReason   reason,
                char           **out_path,
                GError         **error)
{
  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (reason <= BB_BACKUP_REASON_BEFORE_MIGRATION, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return make_backup (store, reason, NULL, out_path, error);
}

/* Opens @backup_path read-only and makes sure it can replace a council
 * file: a council file of a Buurtboek no newer than this one, undamaged. */
static BbStore *
open_checked (const char  *backup_path,
              const char  *backup_root,
              GError     **error)
{
  g_autoptr(BbStore) backup = NULL;
  g_auto(GStrv) problems = NULL;

  backup = bb_store_open (backup_path, BB_STORE_OPEN_READ_ONLY, backup_root, error);
  if (backup == NULL)
    return NULL;

  if (!bb_store_check (backup, &problems, error))
    {
      bb_store_close (backup, NULL);
      return NULL;
    }

  if (problems != NULL && problems[0] != NULL)
    {
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_CORRUPT,
                   _("The backup is damaged (%s)."), problems[0]);
      bb_store_close (backup, NULL);
      return NULL;
    }

  return g_steal_pointer (&backup);
}

gboolean
bb_backup_restore (BbStore     *store,
                   const char  *backup_path,
                   GError     **error)
{
  g_autoptr(BbStore) backup = NULL;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (bb_store_is_read_only (store))
    {
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_READ_ONLY,
                   _("The council file is open read-only, so no backup can be restored into it."));
      return FALSE;
    }

  backup = open_checked (backup_path, bb_store_get_backup_root (store), error);
  if (backup == NULL)
    return FALSE;

  if (g_strcmp0 (bb_store_get_council_id (backup), bb_store_get_council_id (store)) != 0)
    {
      bb_store_close (backup, NULL);
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_NOT_COUNCIL,
                   _("This backup belongs to another council."));
      return FALSE;
    }

  if (!bb_store_close (backup, error))
    return FALSE;

  /* Keep what is about to be replaced; the backup being restored must
   * survive the rotation of this very call even when it is the oldest. */
  if (!make_backup (store, BB_BACKUP_REASON_BEFORE_RESTORE, backup_path, NULL, error))
    return FALSE;

  /* Migrates a backup from before an update of the file format, and
   * emits "changed" so every view reloads */
  return bb_store_replace_from (store, backup_path, error);
}

gboolean
bb_backup_restore_to_path (const char  *backup_path,
                           const char  *dest_path,
                           GError     **error)
{
  g_autoptr(BbStore) backup = NULL;
  g_autofree char *backup_root = NULL;

  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_file_test (dest_path, G_FILE_TEST_EXISTS) ||
      g_file_test (dest_path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autofree char *name = g_filename_display_basename (dest_path);
      g_set_error (error, BB_STORE_ERROR, BB_STORE_ERROR_EXISTS,
                   _("“%s” already exists. Choose another name."), name);
      return FALSE;
    }

  /* A read-only store makes no backups, so where they would go is moot;
   * it is given so the store does not look up the default. */
  backup_root = g_path_get_dirname (backup_path);
  backup = open_checked (backup_path, backup_root, error);
  if (backup == NULL)
    return FALSE;

  if (!bb_store_copy_to (backup, dest_path, error))
    {
      bb_store_close (backup, NULL);
      return FALSE;
    }

  return bb_store_close (backup, error);
}
