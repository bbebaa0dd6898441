/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bb-cli.h"
#include "bb-library.h"
#include "bb-replica.h"

/* The fields "library list" and "library search" print per document. */
static void
add_summary_json (JsonBuilder       *builder,
                  BbLibraryDocument *doc)
{
  const char * const *themes = bb_library_document_get_themes (doc);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, bb_library_document_get_id (doc));
  json_builder_set_member_name (builder, "rev");
  json_builder_add_string_value (builder, bb_library_document_get_rev (doc));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, bb_library_document_get_title (doc));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, bb_library_doc_type_to_string (bb_library_document_get_doc_type (doc)));
  json_builder_set_member_name (builder, "themes");
  json_builder_begin_array (builder);
  for (guint i = 0; themes[i] != NULL; i++)
    json_builder_add_string_value (builder, themes[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "origin");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "council_id");
  json_builder_add_string_value (builder, bb_library_document_get_origin_council_id (doc));
  json_builder_set_member_name (builder, "council_name");
  json_builder_add_string_value (builder, bb_library_document_get_origin_council_name (doc));
  json_builder_set_member_name (builder, "municipality");
  json_builder_add_string_value (builder, bb_library_document_get_origin_municipality (doc));
  json_builder_end_object (builder);
}

static void
print_summary_line (BbLibraryDocument *doc)
{
  const char *origin = bb_library_document_get_origin_council_name (doc);

  g_print ("%s  %-14s  %s", bb_library_document_get_id (doc),
           bb_library_doc_type_get_label (bb_library_document_get_doc_type (doc)),
           bb_library_document_get_title (doc));
  if (!bb_library_document_get_is_own (doc) && origin != NULL && *origin != '\0')
    g_print (" — %s", origin);
  g_print ("\n");
}

static gboolean
parse_type (const char       *text,
            BbLibraryDocType *out_type,
            GError          **error)
{
  g_autofree char *normal = g_strdelimit (g_strdup (text), "-", '_');

  if (bb_library_doc_type_from_string (normal, out_type))
    return TRUE;
  g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
               /* Translators: %s is what the user typed; keep the three words untranslated */
               _("Unknown document type “%s”: use practice, template or rule_set."), text);
  return FALSE;
}

/* Theme ids or labels as typed, to ids. */
static GStrv
resolve_themes (BbStore  *store,
                GStrv     given,
                GError  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; given != NULL && given[i] != NULL; i++)
    {
      g_autofree char *id = bb_library_find_theme (store, given[i]);

      if (id == NULL)
        {
          g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                       /* Translators: %s is what the user typed */
                       _("Unknown theme “%s”. “library list --themes” shows them."), given[i]);
          return NULL;
        }
      g_strv_builder_add (builder, id);
    }
  return g_strv_builder_end (builder);
}

static gboolean
verb_library_add (BbCli      *cli,
                  char     ***args,
                  GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *type_text = NULL;
  g_auto(GStrv) themes = NULL;
  g_auto(GStrv) tags = NULL;
  g_auto(GStrv) attach = NULL;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "title", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &title,
      N_("The document’s title"), N_("TITLE") },
    { "body-file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &body_file,
      N_("A CommonMark file with the text"), N_("FILE") },
    { "summary", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &summary,
      N_("A short summary"), N_("TEXT") },
    { "type", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &type_text,
      N_("practice (default), template or rule_set"), N_("TYPE") },
    { "theme", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &themes,
      N_("A theme, by id or name (repeatable)"), N_("THEME") },
    { "tag", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &tags,
      N_("A free tag (repeatable)"), N_("TAG") },
    { "attach", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, &attach,
      N_("A file to attach (repeatable)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbLibraryDocument) doc = NULL;
  g_autofree char *body = NULL;
  g_auto(GStrv) theme_ids = NULL;
  BbLibraryDocType type = BB_LIBRARY_DOC_PRACTICE;
  const char *path;
  gsize length = 0;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error) ||
      !bb_cli_require_option (title, "--title", error) ||
      !bb_cli_require_option (body_file, "--body-file", error) ||
      (type_text != NULL && !parse_type (type_text, &type, error)))
    return FALSE;

  if (!g_file_get_contents (body_file, &body, &length, error))
    return FALSE;
  if (!g_utf8_validate (body, (gssize) length, NULL) || memchr (body, '\0', length) != NULL)
    {
      g_autofree char *shown = bb_cli_display_path (body_file);

      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   /* Translators: %s is a file name */
                   _("“%s” is not a UTF-8 text file."), shown);
      return FALSE;
    }

  path = bb_cli_council_file (cli, file, error);
  if (path == NULL)
    return FALSE;
  store = bb_cli_open_writable (cli, path, error);
  if (store == NULL)
    return FALSE;

  theme_ids = resolve_themes (store, themes, error);
  if (theme_ids == NULL)
    {
      bb_cli_close_store (store, NULL);
      return FALSE;
    }

  doc = bb_library_document_new ();
  bb_library_document_set_title (doc, title);
  bb_library_document_set_summary (doc, summary);
  bb_library_document_set_body (doc, body);
  bb_library_document_set_doc_type (doc, type);
  bb_library_document_set_themes (doc, (const char * const *) theme_ids);
  bb_library_document_set_tags (doc, (const char * const *) tags);
  for (guint i = 0; attach != NULL && attach[i] != NULL; i++)
    {
      g_autoptr(GFile) attachment = g_file_new_for_commandline_arg (attach[i]);

      if (!bb_library_document_add_attachment_file (doc, attachment, NULL, error))
        {
          bb_cli_close_store (store, NULL);
          return FALSE;
        }
    }

  if (!bb_library_save (store, doc, error))
    {
      bb_cli_close_store (store, NULL);
      return FALSE;
    }

  g_print ("%s\n", bb_library_document_get_id (doc));
  return bb_cli_close_store (store, error);
}

static void
print_themes (BbStore *store)
{
  g_autoptr(GPtrArray) themes = bb_library_list_themes (store, NULL);

  for (guint i = 0; themes != NULL && i < themes->len; i++)
    {
      BbLibraryTheme *theme = g_ptr_array_index (themes, i);

      g_print ("%-32s  %s\n", theme->id, theme->label);
    }
}

static gboolean
verb_library_list (BbCli      *cli,
                   char     ***args,
                   GError    **error)
{
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  gboolean list_themes = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print JSON"), NULL },
    { "themes", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &list_themes,
      N_("List the themes instead of the documents"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GListModel) docs = NULL;
  const char *path;
  guint n;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, NULL, NULL, error))
    return FALSE;

  path = bb_cli_council_file (cli, file, error);
  if (path == NULL)
    return FALSE;
  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;

  if (list_themes)
    {
      print_themes (store);
      return bb_cli_close_store (store, error);
    }

  docs = bb_library_list (store, NULL, error);
  if (docs == NULL)
    return FALSE;
  n = g_list_model_get_n_items (docs);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BbLibraryDocument) doc = g_list_model_get_item (docs, i);

          json_builder_begin_object (builder);
          add_summary_json (builder, doc);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BbLibraryDocument) doc = g_list_model_get_item (docs, i);

          print_summary_line (doc);
        }
      if (n == 0)
        g_print ("%s\n", _("The library is empty."));
    }

  return bb_cli_close_store (store, error);
}

static gboolean
verb_library_search (BbCli      *cli,
                     char     ***args,
                     GError    **error)
{
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  int limit = 20;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print JSON"), NULL },
    { "limit", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &limit,
      N_("At most this many results (default: 20)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(GListModel) results = NULL;
  const char *query = NULL;
  const char *path;
  guint n;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("QUERY"), &query, error))
    return FALSE;
  if (limit < 1 || limit > 1000)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("--limit must be between 1 and 1000."));
      return FALSE;
    }

  path = bb_cli_council_file (cli, file, error);
  if (path == NULL)
    return FALSE;
  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;

  results = bb_library_search (store, query, NULL, limit, error);
  if (results == NULL)
    return FALSE;
  n = g_list_model_get_n_items (results);

  /* The file is open read-only here, so documents from a peer whose text
   * is not indexed yet cannot be; the search left them out. */
  {
    gint64 waiting = bb_library_get_index_pending (store, NULL);

    if (waiting > 0)
      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "Note: %u document received from another council is not in the search index yet;"
                               " open the council file in Buurtboek to add it.\n",
                               "Note: %u documents received from another council are not in the search index yet;"
                               " open the council file in Buurtboek to add them.\n",
                               (gulong) waiting),
                  (guint) waiting);
  }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BbLibrarySearchResult) result = g_list_model_get_item (results, i);
          g_autofree char *snippet = bb_library_marked_to_plain (bb_library_search_result_get_snippet (result));

          json_builder_begin_object (builder);
          add_summary_json (builder, bb_library_search_result_get_document (result));
          json_builder_set_member_name (builder, "snippet");
          json_builder_add_string_value (builder, snippet);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BbLibrarySearchResult) result = g_list_model_get_item (results, i);
          g_autofree char *snippet = bb_library_marked_to_plain (bb_library_search_result_get_snippet (result));

          print_summary_line (bb_library_search_result_get_document (result));
          if (*snippet != '\0')
            g_print ("    %s\n", snippet);
        }
      if (n == 0)
        g_print ("%s\n", _("No documents found."));
    }

  return bb_cli_close_store (store, error);
}

static gboolean
verb_library_show (BbCli      *cli,
                   char     ***args,
                   GError    **error)
{
  g_autofree char *file = NULL;
  gboolean json = FALSE;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &json,
      N_("Print the stored document as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbLibraryDocument) doc = NULL;
  const char *id = NULL;
  const char *path;
  GListModel *attachments;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (!bb_cli_take_arguments (*args, N_("ID"), &id, error))
    return FALSE;

  path = bb_cli_council_file (cli, file, error);
  if (path == NULL)
    return FALSE;
  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonObject) object = bb_replica_get (store, id, NULL, BB_REPLICA_GET_CONFLICTS, error);
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      if (object == NULL)
        return FALSE;
      root = json_node_init_object (json_node_alloc (), object);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
      return bb_cli_close_store (store, error);
    }

  doc = bb_library_get (store, id, error);
  if (doc == NULL)
    return FALSE;

  g_print ("%s\n", bb_library_document_get_title (doc));
  g_print ("%s: %s\n", _("Type"), bb_library_doc_type_get_label (bb_library_document_get_doc_type (doc)));
  if (bb_library_document_get_themes (doc)[0] != NULL)
    {
      const char * const *themes = bb_library_document_get_themes (doc);

      g_print ("%s:", _("Themes"));
      for (guint i = 0; themes[i] != NULL; i++)
        {
          g_autofree char *label = bb_library_get_theme_label (store, themes[i]);

          g_print ("%s %s", i > 0 ? "," : "", label);
        }
      g_print ("\n");
    }
  if (bb_library_document_get_tags (doc)[0] != NULL)
    {
      g_autofree char *tags = g_strjoinv (", ", (GStrv) bb_library_document_get_tags (doc));

      g_print ("%s: %s\n", _("Tags"), tags);
    }
  g_print ("%s: %s", _("Origin"), bb_library_document_get_origin_council_name (doc));
  if (bb_library_document_get_origin_municipality (doc) != NULL &&
      *bb_library_document_get_origin_municipality (doc) != '\0')
    g_print (" (%s)", bb_library_document_get_origin_municipality (doc));
  g_print ("\n%s: %s\n", _("Licence"), bb_library_document_get_licence (doc));
  if (bb_library_document_get_derived_from_id (doc) != NULL)
    /* Translators: attribution of a reused document; %s is a council's name, then a licence */
    g_print (_("Based on a document by %s, licence %s\n"),
             bb_library_document_get_derived_from_council (doc),
             bb_library_document_get_derived_from_licence (doc));
  if (bb_library_document_get_updated_at (doc) != NULL)
    g_print ("%s: %s\n", _("Updated"), bb_library_document_get_updated_at (doc));
  g_print ("%s: %s\n", _("Revision"), bb_library_document_get_rev (doc));
  if (bb_library_document_get_has_conflicts (doc))
    g_print ("%s\n", _("This document has conflicting versions from another council or device."));

  attachments = bb_library_document_get_attachments (doc);
  for (guint i = 0; i < g_list_model_get_n_items (attachments); i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (attachments, i);
      g_autofree char *size = g_format_size ((guint64) bb_library_attachment_get_length (attachment));

      g_print ("%s: %s (%s, %s)\n", _("Attachment"), bb_library_attachment_get_name (attachment),
               bb_library_attachment_get_content_type (attachment), size);
    }
  if (*bb_library_document_get_summary (doc) != '\0')
    g_print ("\n%s\n", bb_library_document_get_summary (doc));
  g_print ("\n%s\n", bb_library_document_get_body (doc));

  return bb_cli_close_store (store, error);
}

/* A name from a document (maybe from another council) as a file name in
 * one folder: no folders, no hidden or empty names. */
static char *
safe_file_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f)
        g_string_append_c (out, '_');
      else
        g_string_append_unichar (out, c);
    }
  while (out->len > 0 && (out->str[0] == '.' || out->str[0] == ' '))
    g_string_erase (out, 0, 1);
  if (out->len == 0)
    g_string_append (out, "document");
  if (out->len > 200)
    g_string_truncate (out, 200);
  if (!g_utf8_validate (out->str, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (out->str, -1);

      g_string_assign (out, valid);
    }
  return g_string_free (out, FALSE);
}

static gboolean
verb_library_export_doc (BbCli      *cli,
                         char     ***args,
                         GError    **error)
{
  g_autofree char *file = NULL;
  gboolean help = FALSE;
  GOptionEntry entries[] = {
    { "file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &file,
      N_("The council file (default: $BUURTBOEK_FILE)"), N_("PATH") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(BbStore) store = NULL;
  g_autoptr(BbLibraryDocument) doc = NULL;
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *title_name = NULL;
  g_autofree char *md_name = NULL;
  const char *id, *dir;
  const char *path;
  GListModel *attachments;
  guint n;

  if (!bb_cli_parse_verb_options (cli, entries, args, &help, error))
    return FALSE;
  if (help)
    return TRUE;
  if (g_strv_length (*args) != 3)
    {
      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_USAGE,
                   _("Give the document’s id and a folder."));
      return FALSE;
    }
  id = (*args)[1];
  dir = (*args)[2];

  path = bb_cli_council_file (cli, file, error);
  if (path == NULL)
    return FALSE;
  store = bb_cli_open_read_only (cli, path, error);
  if (store == NULL)
    return FALSE;
  doc = bb_library_get (store, id, error);
  if (doc == NULL)
    return FALSE;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_autofree char *shown = bb_cli_display_path (dir);

      g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_FAILED,
                   /* Translators: %s is a folder, then the system's reason */
                   _("Could not make the folder “%s”: %s"), shown, g_strerror (saved_errno));
      return FALSE;
    }

  /* Every name first: nothing is written when any file is there. */
  title_name = safe_file_name (bb_library_document_get_title (doc));
  md_name = g_strconcat (title_name, ".md", NULL);
  g_ptr_array_add (targets, g_build_filename (dir, md_name, NULL));
  g_hash_table_add (taken, g_strdup (md_name));
  attachments = bb_library_document_get_attachments (doc);
  n = g_list_model_get_n_items (attachments);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (attachments, i);
      char *name = safe_file_name (bb_library_attachment_get_name (attachment));

      if (g_hash_table_contains (taken, name))
        {
          char *other = g_strdup_printf ("%u-%s", i + 1, name);

          g_free (name);
          name = other;
        }
      g_ptr_array_add (targets, g_build_filename (dir, name, NULL));
      g_hash_table_add (taken, name);
    }
  for (guint i = 0; i < targets->len; i++)
    if (bb_cli_path_exists (g_ptr_array_index (targets, i)))
      {
        g_autofree char *shown = bb_cli_display_path (g_ptr_array_index (targets, i));

        g_set_error (error, BB_CLI_ERROR, BB_CLI_ERROR_EXISTS,
                     /* Translators: %s is a file name */
                     _("“%s” already exists; nothing was written."), shown);
        return FALSE;
      }

  if (!g_file_set_contents (g_ptr_array_index (targets, 0), bb_library_document_get_body (doc), -1, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbLibraryAttachment) attachment = g_list_model_get_item (attachments, i);
      g_autoptr(GFile) dest = g_file_new_for_path (g_ptr_array_index (targets, i + 1));

      if (!bb_library_save_attachment_to (store, bb_library_document_get_id (doc), bb_library_document_get_rev (doc),
                                          bb_library_attachment_get_name (attachment), dest, FALSE, NULL, error))
        return FALSE;
    }

  for (guint i = 0; i < targets->len; i++)
    {
      g_autofree char *shown = bb_cli_display_path (g_ptr_array_index (targets, i));

      g_print ("%s\n", shown);
    }
  return bb_cli_close_store (store, error);
}

const BbCliVerb bb_cli_library_verbs[BB_CLI_LIBRARY_N_VERBS] = {
  { "library add", NULL,
    N_("Add a document to the library"),
    N_("Prints the new document’s id."),
    verb_library_add },
  { "library list", NULL,
    N_("List the library’s documents"),
    NULL,
    verb_library_list },
  { "library search", N_("QUERY"),
    N_("Search the library, best match first"),
    N_("Every word must occur in the title, summary, text, tags or attachment names; "
       "a word also finds longer words it begins, and accents do not matter."),
    verb_library_search },
  { "library show", N_("ID"),
    N_("Show one document"),
    NULL,
    verb_library_show },
  { "library export-doc", N_("ID FOLDER"),
    N_("Write a document’s text (.md) and attachments into a folder"),
    N_("Never replaces a file: when one of them exists, nothing is written."),
    verb_library_export_doc },
};
