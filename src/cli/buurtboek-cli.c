/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buurtboek-cli: the council file without the window, for scripts, cron
 * jobs and the person who keeps the books on a server. Everything real
 * happens in the core; this file only parses arguments, guards the files
 * it is asked to write and prints results. */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bb-backup.h"
#include "bb-council.h"
#include "bb-date.h"
#include "bb-demo.h"
#include "bb-handover.h"
#include "bb-library.h"
#include "bb-store.h"
#include "bb-validate.h"

#include "bb-cli.h"

G_DEFINE_QUARK (bb-cli-error-quark, bb_cli_error)

/* ---------------------------------------------------------------------- */
/* Small helpers                                                          */

char *
bb_cli_display_path (const char *path)
{
  return g_filename_display_name (path);
}

gboolean
bb_cli_is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

gboolean
bb_cli_path_exists (const char *path)
{
  GStatBuf st;

  /* lstat, so that a dangling symbolic link counts as "there" as well. */
  return g_lstat (path, &st) == 0;
}

/* Two names for one file (a hard link, "./x" and "x", a symbolic link). */
static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf st_a;
  GStatBuf st_b;

  if (g_stat (a, &st_a) != 0 || g_stat (b, &st_b) != 0)
    return FALSE;

  return st_a.st_dev == st_b.st_dev && st_a.st_ino == st_b.st_ino;
}

gboolean
bb_cli_refuse_same_file (const char  *source,
                  const char  *dest,
                  GError     **error)
{
  g_autofree char *shown = NULL;

  if (!same_file (source, dest))
    return TRUE;

  shown = bb_cli_display_path (dest);
  g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
               _("“%s” is the file being read; choose another destination"),
               shown);
  return FALSE;
}

BbStore *
bb_cli_open_read_only (BbCli         *cli,
                const char  *path,
                GError     **error)
{
  return bb_store_open (path, BB_STORE_OPEN_READ_ONLY, cli->backup_root, error);
}

BbStore *
bb_cli_open_writable (BbCli       *cli,
                      const char  *path,
                      GError     **error)
{
  return bb_store_open (path, BB_STORE_OPEN_NONE, cli->backup_root, error);
}

/* Closing makes the closing backup of a written file, which can fail. */
gboolean
bb_cli_close_store (BbStore  *store,
             GError  **error)
{
  /* Revisions stored from a peer (demo, sync) leave their text to be
   * indexed from the main loop, which a verb does not run for long:
   * index it now, so a later read-only search finds it. The file is
   * sound without it, so a failure only delays the indexing. */
  if (!bb_store_is_read_only (store))
    {
      g_autoptr(GError) local_error = NULL;

      if (bb_library_flush_index (store, 0, &local_error) < 0)
        g_debug ("The library's search index is not up to date: %s", local_error->message);
    }

  return bb_store_close (store, error);
}

/* ---------------------------------------------------------------------- */
/* Writing a destination                                                  */

/* Every verb that writes a file goes through an BbCliOutput. When the
 * destination does not exist yet, the core writes it directly (the core
 * refuses to write over a file). With --force over an existing file, the
 * new file is made complete in a private folder beside the destination and
 * renamed over it at the end, so the old file is never lost half-way. */

static void
remove_tmp_dir (const char *tmp_dir)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (tmp_dir, 0, NULL);
  if (dir != NULL)
    {
      /* Only the file and SQLite's companions (-wal, -shm, -journal) can be
       * in there: the folder was made by us, mode 0700. */
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (tmp_dir, name, NULL);

          g_unlink (child);
        }
    }

  g_rmdir (tmp_dir);
}

void
bb_cli_output_clear (BbCliOutput *out)
{
  if (out->tmp_dir != NULL)
    remove_tmp_dir (out->tmp_dir);

  g_clear_pointer (&out->dest, g_free);
  g_clear_pointer (&out->tmp_dir, g_free);
  g_clear_pointer (&out->target, g_free);
}


/* SQLite keeps unfinished work next to the file. Were the destination
 * replaced while such a companion exists, SQLite would apply the old
 * file's journal to the new file and damage it. */
static gboolean
check_not_in_use (const char  *dest,
                  GError     **error)
{
  static const char *const suffixes[] = { "-wal", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *companion = g_strconcat (dest, suffixes[i], NULL);

      if (bb_cli_path_exists (companion))
        {
          g_autofree char *shown = bb_cli_display_path (dest);

          g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                       _("“%s” is open in another program or was not closed properly; "
                         "close it or open it once in Buurtboek, then try again"),
                       shown);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
bb_cli_output_begin (BbCliOutput      *out,
              const char  *dest,
              gboolean     force,
              GError     **error)
{
  g_autofree char *dir_name = NULL;
  g_autofree char *base_name = NULL;
  g_autofree char *template = NULL;
  g_autofree char *shown = NULL;

  g_assert (out->dest == NULL);

  out->dest = g_strdup (dest);

  if (!bb_cli_path_exists (dest))
    {
      out->target = g_strdup (dest);
      return TRUE;
    }

  shown = bb_cli_display_path (dest);

  if (!force)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_EXISTS,
                   _("“%s” already exists; use --force to replace it"), shown);
      return FALSE;
    }

  if (g_file_test (dest, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   _("“%s” is a folder, not a file"), shown);
      return FALSE;
    }

  if (!check_not_in_use (dest, error))
    return FALSE;

  /* In the destination's own folder, so that the final rename stays on one
   * file system and is atomic. */
  dir_name = g_path_get_dirname (dest);
  base_name = g_path_get_basename (dest);
  template = g_strdup_printf ("%s%c.%s.XXXXXX", dir_name, G_DIR_SEPARATOR, base_name);

  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not make a temporary folder beside “%s”: %s"),
                   shown, g_strerror (saved_errno));
      return FALSE;
    }

  out->tmp_dir = g_steal_pointer (&template);
  out->target = g_build_filename (out->tmp_dir, base_name, NULL);

  return TRUE;
}

gboolean
bb_cli_output_commit (BbCliOutput  *out,
               GError **error)
{
  GStatBuf st;

  if (out->tmp_dir == NULL)
    return TRUE;

  /* The replaced file may have been private (0600) on purpose: it can hold
   * volunteers' personal data. Keep its permissions. */
  if (g_stat (out->dest, &st) == 0)
    g_chmod (out->target, st.st_mode & 07777);

  if (!check_not_in_use (out->dest, error))
    return FALSE;

  /* --force replaces a council file only after a backup of it is kept,
   * so a mistyped destination can still be undone. */
  {
    g_autoptr(BbStore) old = bb_store_open (out->dest, BB_STORE_OPEN_READ_ONLY, NULL, NULL);

    if (old != NULL)
      {
        g_autofree char *backup_path = NULL;

        if (!bb_backup_make (old, BB_BACKUP_REASON_BEFORE_RESTORE, &backup_path, error))
          {
            g_prefix_error (error, _("Not replaced, because no backup of it could be made: "));
            return FALSE;
          }
        /* Translators: %s is the path of a backup file. */
        g_print (_("The replaced council file is kept as a backup: %s\n"), backup_path);
        bb_store_close (old, NULL);
      }
  }

  if (g_rename (out->target, out->dest) != 0)
    {
      int saved_errno = errno;
      g_autofree char *shown = bb_cli_display_path (out->dest);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not replace “%s”: %s"), shown, g_strerror (saved_errno));
      return FALSE;
    }

  remove_tmp_dir (out->tmp_dir);
  g_clear_pointer (&out->tmp_dir, g_free);

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Arguments                                                              */

/* Parses a verb's own options (@entries plus --help) out of @args, where
 * (*args)[0] is the verb. What stays in @args are the positional
 * arguments. *out_help tells that the help was printed instead. */
gboolean
bb_cli_parse_verb_options (BbCli          *cli,
                    GOptionEntry *entries,
                    char       ***args,
                    gboolean     *out_help,
                    GError      **error)
{
  g_autoptr(GOptionContext) context = NULL;
  gboolean help = FALSE;
  GOptionEntry help_entries[] = {
    { "help", 'h', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &help,
      N_("Show this help"), NULL },
    G_OPTION_ENTRY_NULL
  };

  context = g_option_context_new (cli->verb->parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, cli->verb->summary);
  if (cli->verb->description != NULL)
    g_option_context_set_description (context, cli->verb->description);
  /* Our own --help, so that printing it returns here instead of exiting. */
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, help_entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, args, error))
    return FALSE;

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", text);
    }

  *out_help = help;
  return TRUE;
}

/* Checks that @args holds exactly one positional argument, @name (N_()),
 * or none when @name is NULL, and returns it borrowed from @args. */
gboolean
bb_cli_take_arguments (char        **args,
                const char   *name,
                const char  **out_value,
                GError      **error)
{
  guint n_args = g_strv_length (args);

  /* args[0] is the verb. */
  if (name == NULL)
    {
      if (n_args > 1)
        {
          g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                       _("Unexpected argument “%s”"), args[1]);
          return FALSE;
        }
      return TRUE;
    }

  if (n_args < 2 || bb_cli_is_blank (args[1]))
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("Missing argument: %s"), _(name));
      return FALSE;
    }

  if (n_args > 2)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("Unexpected argument “%s”"), args[2]);
      return FALSE;
    }

  *out_value = args[1];
  return TRUE;
}

gboolean
bb_cli_require_option (const char  *value,
                const char  *option,
                GError     **error)
{
  if (!bb_cli_is_blank (value))
    return TRUE;

  g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
               _("Missing option %s"), option);
  return FALSE;
}

/* The verb's --file, else the global one, else $BUURTBOEK_FILE. */
const char *
bb_cli_council_file (BbCli         *cli,
              const char  *verb_file,
              GError     **error)
{
  const char *env;

  if (!bb_cli_is_blank (verb_file))
    return verb_file;
  if (!bb_cli_is_blank (cli->file))
    return cli->file;

  env = g_getenv ("BUURTBOEK_FILE");
  if (!bb_cli_is_blank (env))
    return env;

  g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
               _("No council file given: use --file PATH or set BUURTBOEK_FILE"));
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* init                                                                   */

static gboolean
verb_init (BbCli      *cli,
           char   ***args,
           GError  **error)
{
  g_autofree char *file = NULL;
  g_autofree char *name = NULL;
  g_autofree char *municipality = NULL;
  g_autofree char *legal_form = NULL;
  g_autofree char *kvk = NULL;
  g_autofree char *iban = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *shown = NULL;
  int residents = 0;
  gboolean force = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file to create (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "name", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &name,
      N_("The council’s name (required)"), N_("NAME") },
    { "municipality", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &municipality,
      N_("The municipality the council works in"), N_("NAME") },
    { "legal-form", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &legal_form,
      N_("informal, stichting or vereniging (default: informal)"), N_("FORM") },
    { "kvk", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &kvk,
      N_("The Chamber of Commerce (KvK) number"), N_("NUMBER") },
    { "iban", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &iban,
      N_("The council’s bank account"), N_("IBAN") },
    { "contact", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &contact,
      N_("The contact person"), N_("NAME") },
    { "email", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &email,
      N_("The council’s email address"), N_("ADDRESS") },
    { "phone", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &phone,
      N_("The council’s phone number"), N_("NUMBER") },
    { "residents", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &residents,
      N_("How many residents live in the neighbourhood"), N_("N") },
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(BbCliOutput) out = { 0 };
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(BbStore) store = NULL;
  BbLegalForm form = BB_LEGAL_FORM_INFORMAL;
  const char *path;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;

  if (!bb_cli_take_arguments (*args, NULL, NULL, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL ||
      !bb_cli_require_option (name, "--name", error))
    return FALSE;

  if (legal_form != NULL && !bb_legal_form_from_string (legal_form, &form))
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("Unknown legal form “%s”: use informal, stichting or vereniging"),
                   legal_form);
      return FALSE;
    }

  if (residents < 0)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("The number of residents cannot be negative"));
      return FALSE;
    }

  council = bb_council_new ();
  bb_council_set_name (council, name);
  bb_council_set_municipality (council, municipality);
  bb_council_set_legal_form (council, form);
  bb_council_set_kvk_number (council, kvk);
  bb_council_set_iban (council, iban);
  bb_council_set_contact_name (council, contact);
  bb_council_set_email (council, email);
  bb_council_set_phone (council, phone);
  bb_council_set_residents (council, (guint) residents);

  if (bb_cli_is_blank (bb_council_get_id (council)))
    {
      g_autofree char *id = bb_store_new_id ();

      bb_council_set_id (council, id);
    }

  /* Before anything is written: a wrong IBAN must not leave a file. */
  if (!bb_council_validate (council, error))
    return FALSE;

  if (!bb_cli_output_begin (&out, path, force, error))
    return FALSE;

  store = bb_store_create (out.target, council, cli->backup_root, error);
  if (store == NULL ||
      !bb_cli_close_store (store, error) ||
      !bb_cli_output_commit (&out, error))
    return FALSE;

  shown = bb_cli_display_path (path);
  g_print (_("Created “%s” in %s\n"), bb_council_get_name (council), shown);

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* info                                                                   */

typedef struct {
  const char *label;    /* translated */
  char       *value;    /* owned, nullable */
} InfoRow;

static void
print_rows (InfoRow *rows,
            guint    n_rows)
{
  glong width = 0;

  for (guint i = 0; i < n_rows; i++)
    width = MAX (width, g_utf8_strlen (rows[i].label, -1));

  for (guint i = 0; i < n_rows; i++)
    {
      glong pad = width - g_utf8_strlen (rows[i].label, -1) + 2;

      g_print ("%s%*s%s\n", rows[i].label, (int) pad, "",
               bb_cli_is_blank (rows[i].value) ? "—" : rows[i].value);
      g_free (rows[i].value);
    }
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *key,
                   const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (bb_cli_is_blank (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
print_info_json (BbCouncil    *council,
                 const char   *id,
                 const char   *path,
                 goffset       size,
                 int           schema_version,
                 BbBackupInfo *latest,
                 const char   *backup_dir)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *shown_path = bb_cli_display_path (path);
  g_autofree char *shown_dir = bb_cli_display_path (backup_dir);
  g_autofree char *last_backup = NULL;
  g_autofree char *text = NULL;

  if (latest != NULL)
    last_backup = bb_date_time_to_iso (latest->created);

  json_builder_begin_object (builder);
  add_string_member (builder, "name", bb_council_get_name (council));
  add_string_member (builder, "municipality", bb_council_get_municipality (council));
  add_string_member (builder, "legal_form",
                     bb_legal_form_to_string (bb_council_get_legal_form (council)));
  add_string_member (builder, "kvk_number", bb_council_get_kvk_number (council));
  add_string_member (builder, "iban", bb_council_get_iban (council));
  add_string_member (builder, "contact_name", bb_council_get_contact_name (council));
  add_string_member (builder, "email", bb_council_get_email (council));
  add_string_member (builder, "phone", bb_council_get_phone (council));
  json_builder_set_member_name (builder, "residents");
  json_builder_add_int_value (builder, bb_council_get_residents (council));
  add_string_member (builder, "id", id);
  add_string_member (builder, "path", shown_path);
  json_builder_set_member_name (builder, "size_bytes");
  json_builder_add_int_value (builder, size);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, schema_version);
  add_string_member (builder, "last_backup", last_backup);
  add_string_member (builder, "backup_dir", shown_dir);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);

  g_print ("%s\n", text);
}

static gboolean
verb_info (BbCli      *cli,
           char   ***args,
           GError  **error)
{
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON object with fixed English keys"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autoptr(BbBackupInfo) latest = NULL;
  g_autofree char *backup_dir = NULL;
  const char *path;
  const char *id;
  g_autofree char *absolute = NULL;
  GStatBuf st;
  goffset size = 0;
  int schema_version;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;

  if (!bb_cli_take_arguments (*args, NULL, NULL, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;

  /* A path that still means something when printed in a log. */
  absolute = g_canonicalize_filename (path, NULL);
  council = bb_store_dup_council (store);
  id = bb_store_get_council_id (store);
  schema_version = bb_store_get_opened_version (store);
  if (g_stat (path, &st) == 0)
    size = st.st_size;
  latest = bb_backup_get_latest (cli->backup_root, id);
  backup_dir = bb_backup_get_dir (cli->backup_root, id);

  if (json)
    {
      print_info_json (council, id, absolute, size, schema_version, latest, backup_dir);
    }
  else
    {
      const char *iban = bb_council_get_iban (council);
      guint residents = bb_council_get_residents (council);
      InfoRow rows[] = {
        { _("Name:"), g_strdup (bb_council_get_name (council)) },
        { _("Municipality:"), g_strdup (bb_council_get_municipality (council)) },
        { _("Legal form:"), g_strdup (bb_legal_form_get_label (bb_council_get_legal_form (council))) },
        { _("KvK number:"), g_strdup (bb_council_get_kvk_number (council)) },
        { _("IBAN:"), bb_cli_is_blank (iban) ? NULL : bb_iban_format (iban) },
        { _("Contact:"), g_strdup (bb_council_get_contact_name (council)) },
        { _("Email:"), g_strdup (bb_council_get_email (council)) },
        { _("Phone:"), g_strdup (bb_council_get_phone (council)) },
        { _("Residents:"), residents > 0 ? g_strdup_printf ("%u", residents) : NULL },
        { _("Council id:"), g_strdup (id) },
        { _("File:"), bb_cli_display_path (absolute) },
        { _("Size:"), g_format_size_full (size, G_FORMAT_SIZE_LONG_FORMAT) },
        { _("Schema version:"), g_strdup_printf ("%d", schema_version) },
        { _("Last backup:"), latest != NULL ? bb_date_time_format_long (latest->created)
                                            : g_strdup (_("none")) },
        { _("Backup folder:"), bb_cli_display_path (backup_dir) },
      };

      print_rows (rows, G_N_ELEMENTS (rows));
    }

  return bb_cli_close_store (store, error);
}

/* ---------------------------------------------------------------------- */
/* check                                                                  */

static gboolean
verb_check (BbCli      *cli,
            char   ***args,
            GError  **error)
{
  g_autofree char *file = NULL;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autofree char *shown = NULL;
  const char *path;
  guint n_problems;
  gboolean ok;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;

  if (!bb_cli_take_arguments (*args, NULL, NULL, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;

  ok = bb_store_check (store, &problems, &local_error);

  /* The problems go to standard output, one per line, so that standard
   * error keeps its single summary line. */
  n_problems = problems != NULL ? g_strv_length (problems) : 0;
  for (guint i = 0; i < n_problems; i++)
    g_print ("%s\n", problems[i]);

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!bb_cli_close_store (store, error))
    return FALSE;

  shown = bb_cli_display_path (path);

  if (n_problems > 0)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   ngettext ("“%s” has %u problem", "“%s” has %u problems", n_problems),
                   shown, n_problems);
      return FALSE;
    }

  g_print (_("“%s” is sound: no problems found\n"), shown);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* backup and export                                                      */

/* bb_store_copy_to() and bb_handover_export_file() */
typedef gboolean (*CouncilWriter) (BbStore     *store,
                                   const char  *dest,
                                   GError     **error);

/* Both verbs read the council (never changing it) and write one new file
 * from it, through the same --force rules. Gives the council's name and
 * the destination as shown to the user. */
static gboolean
write_from_council (BbCli            *cli,
                    char         ***args,
                    const char     *dest_name,
                    CouncilWriter   write,
                    gboolean       *out_help,
                    char          **out_council_name,
                    char          **out_shown,
                    GError        **error)
{
  g_autofree char *file = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(BbCliOutput) out = { 0 };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  const char *path;
  const char *dest = NULL;

  if (!bb_cli_parse_verb_options (cli, entries, args, out_help, error))
    return FALSE;
  if (*out_help)
    return TRUE;

  if (!bb_cli_take_arguments (*args, dest_name, &dest, error) ||
      (path = bb_cli_council_file (cli, file, error)) == NULL)
    return FALSE;

  /* --force must never turn the council file itself into its copy. */
  if (!bb_cli_refuse_same_file (path, dest, error))
    return FALSE;

  if (!bb_cli_output_begin (&out, dest, force, error))
    return FALSE;

  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL ||
      !write (store, out.target, error) ||
      !bb_cli_output_commit (&out, error))
    return FALSE;

  council = bb_store_dup_council (store);
  if (!bb_cli_close_store (store, error))
    return FALSE;

  *out_council_name = g_strdup (bb_council_get_name (council));
  *out_shown = bb_cli_display_path (dest);

  return TRUE;
}

static gboolean
verb_backup (BbCli      *cli,
             char   ***args,
             GError  **error)
{
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  gboolean help = FALSE;

  if (!write_from_council (cli, args, N_("OUT"), bb_store_copy_to, &help, &name, &shown, error))
    return FALSE;
  if (!help)
    g_print (_("Copied “%s” to %s\n"), name, shown);

  return TRUE;
}

static gboolean
verb_export (BbCli      *cli,
             char   ***args,
             GError  **error)
{
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  gboolean help = FALSE;

  if (!write_from_council (cli, args, N_("OUT.json"), bb_handover_export_file, &help, &name, &shown, error))
    return FALSE;
  if (!help)
    g_print (_("Exported “%s” to %s\n"), name, shown);

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* restore                                                                */

static gboolean
verb_restore (BbCli      *cli,
              char   ***args,
              GError  **error)
{
  g_autofree char *to = NULL;
  gboolean force = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "to", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &to,
      N_("The council file to create (required)"), N_("PATH") },
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(BbCliOutput) out = { 0 };
  g_autofree char *shown_backup = NULL;
  g_autofree char *shown_dest = NULL;
  const char *backup = NULL;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;

  if (!bb_cli_take_arguments (*args, N_("BACKUP"), &backup, error) ||
      !bb_cli_require_option (to, "--to", error))
    return FALSE;

  if (!bb_cli_refuse_same_file (backup, to, error))
    return FALSE;

  if (!bb_cli_output_begin (&out, to, force, error) ||
      !bb_backup_restore_to_path (backup, out.target, error) ||
      !bb_cli_output_commit (&out, error))
    return FALSE;

  shown_backup = bb_cli_display_path (backup);
  shown_dest = bb_cli_display_path (to);
  g_print (_("Restored %s to %s\n"), shown_backup, shown_dest);

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* import                                                                 */

static gboolean
verb_import (BbCli      *cli,
             char   ***args,
             GError  **error)
{
  g_autofree char *to = NULL;
  gboolean force = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "to", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &to,
      N_("The council file to create (required)"), N_("PATH") },
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(BbCliOutput) out = { 0 };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autofree char *shown = NULL;
  const char *source = NULL;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;

  if (!bb_cli_take_arguments (*args, N_("IN.json"), &source, error) ||
      !bb_cli_require_option (to, "--to", error))
    return FALSE;

  if (!bb_cli_refuse_same_file (source, to, error))
    return FALSE;

  if (!bb_cli_output_begin (&out, to, force, error))
    return FALSE;

  store = bb_handover_import_file (source, out.target, cli->backup_root, error);
  if (store == NULL)
    return FALSE;

  council = bb_store_dup_council (store);
  if (!bb_cli_close_store (store, error) ||
      !bb_cli_output_commit (&out, error))
    return FALSE;

  shown = bb_cli_display_path (to);
  g_print (_("Imported “%s” to %s\n"), bb_council_get_name (council), shown);

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* demo                                                                   */

static gboolean
verb_demo (BbCli      *cli,
           char   ***args,
           GError  **error)
{
  gboolean force = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing file"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(BbCliOutput) out = { 0 };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbCouncil) council = NULL;
  g_autofree char *shown = NULL;
  const char *dest = NULL;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;

  if (!bb_cli_take_arguments (*args, N_("PATH"), &dest, error) ||
      !bb_cli_output_begin (&out, dest, force, error))
    return FALSE;

  store = bb_demo_create (out.target, cli->backup_root, error);
  if (store == NULL)
    return FALSE;

  council = bb_store_dup_council (store);
  if (!bb_cli_close_store (store, error) ||
      !bb_cli_output_commit (&out, error))
    return FALSE;

  shown = bb_cli_display_path (dest);
  g_print (_("Created the demo council “%s” in %s\n"), bb_council_get_name (council), shown);

  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* main                                                                   */

static const BbCliVerb verbs[] = {
  { "init", NULL,
    N_("Create a new council file"),
    N_("The file is given with --file or BUURTBOEK_FILE. The details are checked "
       "as in the app: a wrong KvK number, IBAN or email address creates nothing."),
    verb_init },
  { "info", NULL,
    N_("Show the council’s details and the state of its file"),
    N_("The file is opened read-only: nothing is written and no backup is made."),
    verb_info },
  { "check", NULL,
    N_("Check the file for damage and broken links between records"),
    N_("Exits with status 0 when the file is sound and 1 when problems were found; "
       "the problems are printed one per line."),
    verb_check },
  { "backup", N_("OUT"),
    N_("Write a consistent copy of the council file"),
    N_("The copy is safe to make while the council is open in Buurtboek."),
    verb_backup },
  { "restore", N_("BACKUP --to PATH"),
    N_("Turn a backup into a new council file"),
    N_("The backup is checked before anything is written."),
    verb_restore },
  { "export", N_("OUT.json"),
    N_("Export the council as a handover document (JSON)"),
    N_("The document holds the council’s details and can be imported by "
       "another Buurtboek."),
    verb_export },
  { "import", N_("IN.json --to PATH"),
    N_("Create a council file from a handover document"),
    N_("On any error no file is left behind."),
    verb_import },
  { "demo", N_("PATH"),
    N_("Create the demo council “Wijkraad De Dommelhoek”"),
    NULL,
    verb_demo },
};

/* The verbs of the features, each in its own bb-cli-FEATURE.c; one line
 * per feature. */
typedef struct {
  const BbCliVerb *verbs;
  gsize            n_verbs;
} VerbGroup;

static const VerbGroup verb_groups[] = {
  { verbs, G_N_ELEMENTS (verbs) },
  { bb_cli_programme_verbs, G_N_ELEMENTS (bb_cli_programme_verbs) },
  { bb_cli_money_verbs, G_N_ELEMENTS (bb_cli_money_verbs) },
  { bb_cli_volunteer_verbs, G_N_ELEMENTS (bb_cli_volunteer_verbs) },
  { bb_cli_report_verbs, G_N_ELEMENTS (bb_cli_report_verbs) },
  { bb_cli_sync_verbs, G_N_ELEMENTS (bb_cli_sync_verbs) },
  { bb_cli_library_verbs, G_N_ELEMENTS (bb_cli_library_verbs) },
};

static const BbCliVerb *
lookup_verb (const char *name)
{
  for (guint g = 0; g < G_N_ELEMENTS (verb_groups); g++)
    {
      for (gsize i = 0; i < verb_groups[g].n_verbs; i++)
        {
          if (g_str_equal (verb_groups[g].verbs[i].name, name))
            return &verb_groups[g].verbs[i];
        }
    }

  return NULL;
}

/* A two-word verb ("library add") is looked up before a one-word one;
 * *out_words says how many words of @args the verb's name took. */
static const BbCliVerb *
find_verb (char  **args,
           guint  *out_words)
{
  const BbCliVerb *verb;

  if (args[0] != NULL && args[1] != NULL)
    {
      g_autofree char *two = g_strconcat (args[0], " ", args[1], NULL);

      verb = lookup_verb (two);
      if (verb != NULL)
        {
          *out_words = 2;
          return verb;
        }
    }

  *out_words = 1;
  return lookup_verb (args[0]);
}

static char *
describe_verbs (void)
{
  GString *text = g_string_new (_("Verbs:"));

  g_string_append_c (text, '\n');
  for (guint g = 0; g < G_N_ELEMENTS (verb_groups); g++)
    {
      for (gsize i = 0; i < verb_groups[g].n_verbs; i++)
        g_string_append_printf (text, "  %-24s %s\n", verb_groups[g].verbs[i].name,
                                _(verb_groups[g].verbs[i].summary));
    }
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Run “%s VERB --help” to see a verb’s options."), CLI_NAME);
  g_string_append_c (text, '\n');

  return g_string_free (text, FALSE);
}

static void
print_error_line (const char *message)
{
  g_autofree char *line = g_strdup (message);

  /* Exactly one line on standard error, whatever the message holds. */
  g_strdelimit (line, "\r\n", ' ');
  g_printerr ("%s: %s\n", CLI_NAME, g_strstrip (line));
}

static gboolean
is_usage_error (const GError *error)
{
  return error->domain == G_OPTION_ERROR ||
         g_error_matches (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE);
}

static int
report_error (const BbCliVerb   *verb,
              const GError *error)
{
  print_error_line (error->message);

  if (!is_usage_error (error))
    return EXIT_STATUS_FAILURE;

  if (verb != NULL)
    g_printerr (_("Try “%s %s --help” for more information.\n"), CLI_NAME, verb->name);
  else
    g_printerr (_("Try “%s --help” for more information.\n"), CLI_NAME);

  return EXIT_STATUS_USAGE;
}

static void
setup_i18n (void)
{
  const char *localedir = g_getenv ("BUURTBOEK_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* Running from the build tree (build-aux/run) points at the catalogue
   * built there. */
  bindtextdomain (GETTEXT_PACKAGE, !bb_cli_is_blank (localedir) ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *file = NULL;
  g_autofree char *verbs_text = NULL;
  g_autofree char *prgname = NULL;
  gboolean version = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    { "help", 'h', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &help,
      N_("Show this help and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  BbCli cli = { 0 };
  guint verb_words = 1;
  int status;

  setup_i18n ();
  g_set_prgname (CLI_NAME);

  verbs_text = describe_verbs ();

  context = g_option_context_new (N_("VERB [ARGUMENT…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                N_("Work with a Buurtboek council file without the window."));
  /* Already translated: the verb list is built at run time. */
  g_option_context_set_description (context, verbs_text);
  g_option_context_set_help_enabled (context, FALSE);
  /* Options after the verb belong to the verb. */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    return report_error (NULL, error);

  if (version)
    {
      g_print ("%s %s\n", CLI_NAME, PACKAGE_VERSION);
      return EXIT_STATUS_OK;
    }

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", text);
      return EXIT_STATUS_OK;
    }

  if (g_strv_length (args) < 2)
    {
      g_set_error (&error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE, _("No verb given"));
      return report_error (NULL, error);
    }

  cli.verb = find_verb (args + 1, &verb_words);
  if (cli.verb == NULL)
    {
      g_set_error (&error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("Unknown verb “%s”"), args[1]);
      return report_error (NULL, error);
    }

  /* The verb's help reads "Usage: buurtboek-cli VERB …". */
  prgname = g_strdup_printf ("%s %s", CLI_NAME, cli.verb->name);
  g_set_prgname (prgname);

  cli.file = g_steal_pointer (&file);
  cli.backup_root = bb_store_get_default_backup_root ();

  {
    /* The verb sees itself as args[0]. */
    g_auto(GStrv) verb_args = g_strdupv (args + verb_words);

    if (cli.verb->run (&cli, &verb_args, &error))
      status = EXIT_STATUS_OK;
    else
      status = report_error (cli.verb, error);
  }

  g_free (cli.file);
  g_free (cli.backup_root);

  return status;
}
