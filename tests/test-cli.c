/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the built buurtboek-cli as a real process, the way a script would,
 * and checks exit statuses, output and what is left on disk. */

#include "config.h"
#include "bb-test-util.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct {
  char  *tmp_dir;
  char **env;
} Fixture;

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static const char *
cli_path (void)
{
  const char *path = g_getenv ("BUURTBOEK_CLI");

  g_assert_nonnull (path);
  return path;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = NULL;

  f->tmp_dir = g_dir_make_tmp ("buurtboek-cli-XXXXXX", &error);
  g_assert_no_error (error);

  backups = g_build_filename (f->tmp_dir, "backups", NULL);

  f->env = g_get_environ ();
  f->env = g_environ_setenv (f->env, "BUURTBOEK_BACKUP_DIR", backups, TRUE);
  f->env = g_environ_setenv (f->env, "LC_ALL", "C.UTF-8", TRUE);
  f->env = g_environ_unsetenv (f->env, "LANGUAGE");
  f->env = g_environ_unsetenv (f->env, "BUURTBOEK_FILE");
  f->env = g_environ_unsetenv (f->env, "BUURTBOEK_LOCALEDIR");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  bb_test_remove_tree (f->tmp_dir);
  g_clear_pointer (&f->tmp_dir, g_free);
  g_clear_pointer (&f->env, g_strfreev);
}

static char *
tmp_path (Fixture    *f,
          const char *name)
{
  return g_build_filename (f->tmp_dir, name, NULL);
}

/* Runs the CLI with @env and the NULL-terminated arguments in @args. */
static void
run_cli_envv (char        **env,
              Run          *run,
              const char  **args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_test_message ("buurtboek-cli %s → %d\nstdout: %s\nstderr: %s",
                  args[0] != NULL ? args[0] : "", run->status, run->out, run->err);
}

#define run_cli(f, run, ...) \
  G_STMT_START { \
    const char *run_args_[] = { __VA_ARGS__, NULL }; \
    run_cli_envv ((f)->env, (run), run_args_); \
  } G_STMT_END

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        n++;
    }

  return n;
}

/* A failure is exit status 1 and exactly one line on standard error. */
static void
assert_failure (Run *run)
{
  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "buurtboek-cli: "));
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_cmpuint (count_lines (run->err), ==, 1);
}

/* A usage error is exit status 2: the message, then a hint to --help. */
static void
assert_usage_error (Run *run)
{
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run->status, ==, 2);
  g_assert_true (g_str_has_prefix (run->err, "buurtboek-cli: "));
  g_assert_cmpuint (count_lines (run->err), ==, 2);
  lines = g_strsplit (run->err, "\n", -1);
  g_assert_nonnull (strstr (lines[1], "--help"));
  g_assert_cmpstr (run->out, ==, "");
}

static void
assert_success (Run *run)
{
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
info_json (Fixture    *f,
           const char *path)
{
  g_auto(Run) run = { 0 };

  run_cli (f, &run, "--file", path, "info", "--json");
  assert_success (&run);

  return parse_object (run.out);
}

static void
init_council (Fixture    *f,
              const char *path,
              const char *name)
{
  g_auto(Run) run = { 0 };

  run_cli (f, &run, "--file", path, "init", "--name", name);
  assert_success (&run);
}

static void
make_demo (Fixture    *f,
           const char *path)
{
  g_auto(Run) run = { 0 };

  run_cli (f, &run, "demo", path);
  assert_success (&run);
}

/* ---------------------------------------------------------------------- */

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  run_cli (f, &run, "--version");
  assert_success (&run);
  g_assert_cmpstr (run.out, ==, "buurtboek-cli " PACKAGE_VERSION "\n");
}

static const char *const all_verbs[] = {
  "init", "info", "check", "backup", "restore", "export", "import", "demo",
};

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  run_cli (f, &run, "--help");
  assert_success (&run);

  g_assert_nonnull (strstr (run.out, "--file"));
  g_assert_nonnull (strstr (run.out, "--version"));
  for (guint i = 0; i < G_N_ELEMENTS (all_verbs); i++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %s ", all_verbs[i]);

      g_assert_nonnull (strstr (run.out, line));
    }
}

static void
test_verb_help (Fixture       *f,
                gconstpointer  data)
{
  static const struct {
    const char *verb;
    const char *options[5];
  } cases[] = {
    { "init", { "--file", "--name", "--legal-form", "--iban", "--force" } },
    { "info", { "--file", "--json" } },
    { "check", { "--file" } },
    { "backup", { "--file", "--force", "OUT" } },
    { "restore", { "--to", "--force", "BACKUP" } },
    { "export", { "--file", "--force", "OUT.json" } },
    { "import", { "--to", "--force", "IN.json" } },
    { "demo", { "--force", "PATH" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      g_autofree char *usage = g_strdup_printf ("buurtboek-cli %s ", cases[i].verb);

      run_cli (f, &run, cases[i].verb, "--help");
      assert_success (&run);
      g_assert_nonnull (strstr (run.out, usage));
      g_assert_nonnull (strstr (run.out, "--help"));

      for (guint j = 0; j < G_N_ELEMENTS (cases[i].options) && cases[i].options[j]; j++)
        g_assert_nonnull (strstr (run.out, cases[i].options[j]));
    }
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Wijkraad.buurtboek");

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "frobnicate");
    assert_usage_error (&run);
    g_assert_nonnull (strstr (run.err, "frobnicate"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--no-such-option", "info");
    assert_usage_error (&run);
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "info", "--no-such-option");
    assert_usage_error (&run);
    g_assert_nonnull (strstr (run.err, "buurtboek-cli info --help"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "demo");
    assert_usage_error (&run);
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "init");
    assert_usage_error (&run);
    g_assert_nonnull (strstr (run.err, "--name"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "init", "--name", "Wijkraad", "--legal-form", "bv");
    assert_usage_error (&run);
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "restore", path);
    assert_usage_error (&run);
    g_assert_nonnull (strstr (run.err, "--to"));
  }
  {
    g_auto(Run) run = { 0 };
    const char *no_args[] = { NULL };

    run_cli_envv (f->env, &run, no_args);
    assert_usage_error (&run);
  }

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out = tmp_path (f, "uit.buurtboek");
  const char *cases[][4] = {
    { "info", NULL },
    { "check", NULL },
    { "init", "--name", "Wijkraad", NULL },
    { "backup", out, NULL },
    { "export", out, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli_envv (f->env, &run, cases[i]);
      assert_usage_error (&run);
      g_assert_nonnull (strstr (run.err, "--file"));
      g_assert_nonnull (strstr (run.err, "BUURTBOEK_FILE"));
    }

  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_env_file (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Omgeving.buurtboek");
  g_auto(GStrv) env = g_strdupv (f->env);
  g_auto(Run) run = { 0 };
  g_auto(Run) info = { 0 };
  const char *init_args[] = { "init", "--name", "Wijkraad Omgeving", NULL };
  const char *info_args[] = { "info", NULL };

  env = g_environ_setenv (env, "BUURTBOEK_FILE", path, TRUE);

  run_cli_envv (env, &run, init_args);
  assert_success (&run);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  run_cli_envv (env, &info, info_args);
  assert_success (&info);
  g_assert_nonnull (strstr (info.out, "Wijkraad Omgeving"));
}

static void
test_init (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Wijkraad Noord.buurtboek");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(JsonObject) info = NULL;

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "init",
             "--name", "Wijkraad Noord",
             "--municipality", "Eindhoven",
             "--legal-form", "stichting",
             "--kvk", "12345678",
             "--iban", "nl91 abna 0417 1643 00");
    assert_success (&run);
    g_assert_nonnull (strstr (run.out, "Created “Wijkraad Noord” in "));
    g_assert_nonnull (strstr (run.out, path));
  }

  info = info_json (f, path);
  g_assert_cmpstr (json_object_get_string_member (info, "name"), ==, "Wijkraad Noord");
  g_assert_cmpstr (json_object_get_string_member (info, "municipality"), ==, "Eindhoven");
  g_assert_cmpstr (json_object_get_string_member (info, "legal_form"), ==, "stichting");
  g_assert_cmpstr (json_object_get_string_member (info, "kvk_number"), ==, "12345678");
  g_assert_cmpstr (json_object_get_string_member (info, "iban"), ==, "NL91ABNA0417164300");

  /* A second init refuses and leaves the file as it was. */
  before = read_bytes (path);
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "init", "--name", "Wijkraad Zuid");
    assert_failure (&run);
    g_assert_nonnull (strstr (run.err, "--force"));
  }
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));

  /* --force replaces it, and leaves no temporary files behind. */
  {
    g_auto(Run) run = { 0 };
    g_autoptr(JsonObject) replaced = NULL;
    g_autoptr(GDir) dir = NULL;
    const char *name;

    run_cli (f, &run, "--file", path, "init", "--name", "Wijkraad Zuid", "--force");
    assert_success (&run);

    replaced = info_json (f, path);
    g_assert_cmpstr (json_object_get_string_member (replaced, "name"), ==, "Wijkraad Zuid");
    g_assert_cmpstr (json_object_get_string_member (replaced, "id"), !=,
                     json_object_get_string_member (info, "id"));

    dir = g_dir_open (f->tmp_dir, 0, NULL);
    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_true (g_str_equal (name, "Wijkraad Noord.buurtboek") ||
                     g_str_equal (name, "backups"));

    /* The replaced council was kept as a backup first, and says where. */
    {
      g_autofree char *old_backups = g_build_filename (f->tmp_dir, "backups",
                                                        json_object_get_string_member (info, "id"),
                                                        NULL);
      g_autoptr(GDir) backup_dir = g_dir_open (old_backups, 0, NULL);

      g_assert_nonnull (backup_dir);
      g_assert_nonnull (g_dir_read_name (backup_dir));
      g_assert_nonnull (strstr (run.out, old_backups));
    }
  }
}

static void
test_init_bad_iban (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Fout.buurtboek");
  g_auto(Run) run = { 0 };

  run_cli (f, &run, "--file", path, "init",
           "--name", "Wijkraad Fout", "--iban", "NL91ABNA0417164301");
  assert_failure (&run);
  g_assert_nonnull (strstr (run.err, "IBAN"));
  g_assert_cmpstr (run.out, ==, "");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_info (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Info.buurtboek");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_auto(Run) run = { 0 };

  {
    g_auto(Run) init = { 0 };

    run_cli (f, &init, "--file", path, "init", "--name", "Wijkraad Info",
             "--iban", "NL91ABNA0417164300", "--residents", "1800");
    assert_success (&init);
  }

  before = read_bytes (path);

  run_cli (f, &run, "--file", path, "info");
  assert_success (&run);
  g_assert_nonnull (strstr (run.out, "Wijkraad Info"));
  g_assert_nonnull (strstr (run.out, "NL91 ABNA 0417 1643 00"));
  g_assert_nonnull (strstr (run.out, "1800"));
  g_assert_nonnull (strstr (run.out, path));

  /* Read-only: the file is not touched. */
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_info_json (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Json.buurtboek");
  g_autoptr(JsonObject) info = NULL;
  static const char *const keys[] = {
    "name", "municipality", "legal_form", "kvk_number", "iban", "contact_name",
    "email", "phone", "residents", "id", "path", "size_bytes", "schema_version",
    "last_backup", "backup_dir",
  };
  g_autofree char *backups = tmp_path (f, "backups");
  GStatBuf st;

  {
    g_auto(Run) init = { 0 };

    run_cli (f, &init, "--file", path, "init", "--name", "Wijkraad Json",
             "--municipality", "Valkenswaard", "--email", "info@example.org",
             "--residents", "2400");
    assert_success (&init);
  }

  info = info_json (f, path);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (info, keys[i]));
  g_assert_cmpuint (json_object_get_size (info), ==, G_N_ELEMENTS (keys));

  g_assert_cmpstr (json_object_get_string_member (info, "name"), ==, "Wijkraad Json");
  g_assert_cmpstr (json_object_get_string_member (info, "municipality"), ==, "Valkenswaard");
  g_assert_cmpstr (json_object_get_string_member (info, "legal_form"), ==, "informal");
  g_assert_cmpstr (json_object_get_string_member (info, "email"), ==, "info@example.org");
  g_assert_cmpint (json_object_get_int_member (info, "residents"), ==, 2400);
  g_assert_cmpstr (json_object_get_string_member (info, "path"), ==, path);
  g_assert_cmpint (json_object_get_int_member (info, "schema_version"), >=, 1);
  g_assert_true (strlen (json_object_get_string_member (info, "id")) > 0);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (json_object_get_int_member (info, "size_bytes"), ==, st.st_size);

  g_assert_true (g_str_has_prefix (json_object_get_string_member (info, "backup_dir"), backups));

  /* A member without a value is null, never a translated placeholder. */
  g_assert_true (json_object_get_null_member (info, "kvk_number"));
  g_assert_true (json_object_get_null_member (info, "iban"));
}

static void
test_info_not_council (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "notes.txt");
  const char *text = "Dit is geen wijkraad, maar een boodschappenlijst.\n";
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  run_cli (f, &run, "--file", path, "info");
  assert_failure (&run);
  g_assert_cmpstr (run.out, ==, "");

  after = read_bytes (path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after),
                   text, strlen (text));

  {
    g_auto(Run) check = { 0 };

    run_cli (f, &check, "--file", path, "check");
    assert_failure (&check);
  }

  {
    g_autofree char *missing = tmp_path (f, "missing.buurtboek");
    g_auto(Run) absent = { 0 };

    run_cli (f, &absent, "--file", missing, "info");
    assert_failure (&absent);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Check.buurtboek");
  g_auto(Run) run = { 0 };

  make_demo (f, path);

  run_cli (f, &run, "--file", path, "check");
  assert_success (&run);
  g_assert_nonnull (strstr (run.out, "no problems"));
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Demo.buurtboek");
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "demo", path);
    assert_success (&run);
    g_assert_nonnull (strstr (run.out, "Wijkraad De Dommelhoek"));
  }

  info = info_json (f, path);
  g_assert_cmpstr (json_object_get_string_member (info, "name"), ==, "Wijkraad De Dommelhoek");
  g_assert_cmpstr (json_object_get_string_member (info, "municipality"), ==, "Valkenswaard");

  before = read_bytes (path);
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "demo", path);
    assert_failure (&run);
  }
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "demo", "--force", path);
    assert_success (&run);
  }
}

static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Bron.buurtboek");
  g_autofree char *out = tmp_path (f, "Kopie.buurtboek");
  g_autoptr(JsonObject) source_info = NULL;
  g_autoptr(JsonObject) copy_info = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  make_demo (f, path);

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "backup", out);
    assert_success (&run);
    g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  }

  source_info = info_json (f, path);
  copy_info = info_json (f, out);
  g_assert_cmpstr (json_object_get_string_member (copy_info, "name"), ==, "Wijkraad De Dommelhoek");
  g_assert_cmpstr (json_object_get_string_member (copy_info, "id"), ==,
                   json_object_get_string_member (source_info, "id"));

  {
    g_auto(Run) check = { 0 };

    run_cli (f, &check, "--file", out, "check");
    assert_success (&check);
  }

  /* An existing OUT is refused and left alone. */
  before = read_bytes (out);
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "backup", out);
    assert_failure (&run);
  }
  after = read_bytes (out);
  g_assert_true (g_bytes_equal (before, after));

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "backup", "--force", out);
    assert_success (&run);
  }

  /* Never over the council file itself. */
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "backup", "--force", path);
    assert_failure (&run);
  }
}

static void
test_export_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Origineel.buurtboek");
  g_autofree char *json = tmp_path (f, "overdracht.json");
  g_autofree char *copy = tmp_path (f, "Overgedragen.buurtboek");
  g_autoptr(JsonObject) original = NULL;
  g_autoptr(JsonObject) imported = NULL;
  g_autoptr(JsonNode) original_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) imported_node = json_node_new (JSON_NODE_OBJECT);
  static const char *const varying[] = { "path", "size_bytes", "last_backup", "backup_dir" };

  make_demo (f, path);

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "export", json);
    assert_success (&run);
    g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "export", json);
    assert_failure (&run);
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "import", json, "--to", copy);
    assert_success (&run);
    g_assert_nonnull (strstr (run.out, "Wijkraad De Dommelhoek"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "import", json, "--to", copy);
    assert_failure (&run);
  }

  original = info_json (f, path);
  imported = info_json (f, copy);
  for (guint i = 0; i < G_N_ELEMENTS (varying); i++)
    {
      json_object_remove_member (original, varying[i]);
      json_object_remove_member (imported, varying[i]);
    }

  json_node_set_object (original_node, original);
  json_node_set_object (imported_node, imported);
  g_assert_true (json_node_equal (original_node, imported_node));
}

static void
test_import_broken (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *json = tmp_path (f, "kapot.json");
  g_autofree char *dest = tmp_path (f, "Kapot.buurtboek");
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  g_file_set_contents (json, "{ \"format\": 1, \"council\": { \"name\": ", -1, &error);
  g_assert_no_error (error);

  run_cli (f, &run, "import", json, "--to", dest);
  assert_failure (&run);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
}

static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "Wijkraad.buurtboek");
  g_autofree char *backup = tmp_path (f, "Reservekopie.buurtboek");
  g_autofree char *restored = tmp_path (f, "Hersteld.buurtboek");
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  init_council (f, path, "Wijkraad Herstel");

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "--file", path, "backup", backup);
    assert_success (&run);
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "restore", backup, "--to", restored);
    assert_success (&run);
  }

  info = info_json (f, restored);
  g_assert_cmpstr (json_object_get_string_member (info, "name"), ==, "Wijkraad Herstel");

  before = read_bytes (restored);
  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "restore", backup, "--to", restored);
    assert_failure (&run);
  }
  after = read_bytes (restored);
  g_assert_true (g_bytes_equal (before, after));
  g_clear_pointer (&after, g_bytes_unref);

  /* SQLite's journal beside the destination means it is in use: replacing
   * the file then would let SQLite apply the old journal to the new file. */
  {
    g_auto(Run) run = { 0 };
    g_autofree char *wal = g_strconcat (restored, "-wal", NULL);
    g_autoptr(GError) error = NULL;

    g_file_set_contents (wal, "", 0, &error);
    g_assert_no_error (error);

    run_cli (f, &run, "restore", "--force", backup, "--to", restored);
    assert_failure (&run);
    g_assert_nonnull (strstr (run.err, "another program"));

    g_assert_cmpint (g_unlink (wal), ==, 0);
  }
  after = read_bytes (restored);
  g_assert_true (g_bytes_equal (before, after));

  {
    g_auto(Run) run = { 0 };

    run_cli (f, &run, "restore", "--force", backup, "--to", restored);
    assert_success (&run);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/cli/version", test_version);
  ADD ("/cli/help", test_help);
  ADD ("/cli/verb-help", test_verb_help);
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/missing-file", test_missing_file);
  ADD ("/cli/env-file", test_env_file);
  ADD ("/cli/init", test_init);
  ADD ("/cli/init-bad-iban", test_init_bad_iban);
  ADD ("/cli/info", test_info);
  ADD ("/cli/info-json", test_info_json);
  ADD ("/cli/info-not-council", test_info_not_council);
  ADD ("/cli/check", test_check);
  ADD ("/cli/demo", test_demo);
  ADD ("/cli/backup", test_backup);
  ADD ("/cli/export-import", test_export_import);
  ADD ("/cli/import-broken", test_import_broken);
  ADD ("/cli/restore", test_restore);

#undef ADD

  return g_test_run ();
}
