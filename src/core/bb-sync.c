/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-sync.h"

G_DEFINE_QUARK (bb-sync-error-quark, bb_sync_error)

/* JsonParser recurses once per nesting level and silently wraps integers
 * beyond 64 bits, and a peer is not trusted: scan the text before parsing
 * it. Strings are skipped; what is outside them must be JSON. */
static gboolean
check_json_text (const char  *text,
                 gsize        length,
                 GError     **error)
{
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          for (i++; i < length && text[i] != '"'; i++)
            {
              if (text[i] == '\\')
                i++;
              else if ((guchar) text[i] < 0x20)
                goto invalid;
            }
          if (i >= length)
            goto invalid;
          continue;
        }

      switch (c)
        {
        case '{':
        case '[':
          if (++depth > BB_SYNC_MAX_JSON_DEPTH)
            {
              g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                           _("The JSON data is nested too deeply."));
              return FALSE;
            }
          break;

        case '}':
        case ']':
          if (depth == 0)
            goto invalid;
          depth--;
          break;

        case ' ': case '\t': case '\r': case '\n': case ',': case ':':
          break;

        case '-': case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          {
            gsize end = i;
            gboolean is_integer = TRUE;

            while (end < length && (g_ascii_isdigit (text[end]) || strchr ("+-.eE", text[end]) != NULL))
              {
                if (strchr (".eE", text[end]) != NULL)
                  is_integer = FALSE;
                end++;
              }

            if (is_integer)
              {
                g_autofree char *number = g_strndup (text + i, end - i);
                g_autoptr(GError) number_error = NULL;

                if (!g_ascii_string_to_signed (number, 10, G_MININT64, G_MAXINT64,
                                               NULL, &number_error) &&
                    g_error_matches (number_error, G_NUMBER_PARSER_ERROR,
                                     G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
                  {
                    g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                                 _("The JSON data has a number that is too large."));
                    return FALSE;
                  }
              }
            i = end - 1;
          }
          break;

        case 't': case 'f': case 'n':
          {
            static const char * const words[] = { "true", "false", "null" };
            gboolean found = FALSE;

            for (guint w = 0; w < G_N_ELEMENTS (words); w++)
              {
                gsize n = strlen (words[w]);

                if (length - i >= n && strncmp (text + i, words[w], n) == 0)
                  {
                    i += n - 1;
                    found = TRUE;
                    break;
                  }
              }
            if (!found)
              goto invalid;
          }
          break;

        default:
          goto invalid;
        }
    }

  return TRUE;

invalid:
  g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
               _("The data is not valid JSON."));
  return FALSE;
}

JsonNode *
bb_sync_parse_json (const char  *text,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length > BB_SYNC_MAX_JSON_BYTES)
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("The JSON data is too large."));
      return NULL;
    }

  if (!g_utf8_validate_len (text, length, NULL))
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("The JSON data is not valid UTF-8."));
      return NULL;
    }

  if (!check_json_text (text, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("The data is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("The data is not valid JSON: it is empty."));
      return NULL;
    }

  return json_node_copy (root);
}

char *
bb_sync_to_json (JsonNode *node,
                 gsize    *out_length)
{
  char *text = json_to_string (node, FALSE);

  if (out_length != NULL)
    *out_length = strlen (text);
  return text;
}

gboolean
bb_sync_doc_id_is_valid (const char *doc_id)
{
  gsize length;

  if (doc_id == NULL || *doc_id == '\0' || *doc_id == '_')
    return FALSE;

  length = strlen (doc_id);
  if (length > 512 || !g_utf8_validate (doc_id, length, NULL))
    return FALSE;

  for (const char *p = doc_id; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || g_unichar_iscntrl (c))
        return FALSE;
    }

  return TRUE;
}

char *
bb_sync_replication_id (const char *local_uuid,
                        const char *remote_uuid,
                        const char *db_name,
                        gboolean    push)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  /* The version lets a later protocol change start afresh on purpose. */
  g_autofree char *text = g_strdup_printf ("buurtboek-sync-1\n%s\n%s\n%s\n%s",
                                           local_uuid, remote_uuid, db_name,
                                           push ? "push" : "pull");

  g_checksum_update (checksum, (const guchar *) text, -1);
  return g_strdup (g_checksum_get_string (checksum));
}

char *
bb_sync_new_access_code (void)
{
  static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  GString *code = g_string_new (NULL);

  for (guint i = 0; i < 12; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
    }

  return g_string_free (code, FALSE);
}

static GBytes *
convert_all (GConverter  *converter,
             const void  *data,
             gsize        length,
             gsize        max_length,
             GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guchar *in = data;
  gsize in_left = length;

  for (;;)
    {
      guchar buffer[16384];
      gsize read = 0;
      gsize written = 0;
      GConverterResult result;

      result = g_converter_convert (converter, in, in_left, buffer, sizeof buffer,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;

      in += read;
      in_left -= read;
      g_byte_array_append (out, buffer, written);

      if (out->len > max_length)
        {
          g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                       _("The compressed data is too large when unpacked."));
          return NULL;
        }

      if (result == G_CONVERTER_FINISHED)
        break;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
bb_sync_gzip (const void *data,
              gsize       length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);

  return convert_all (G_CONVERTER (compressor), data, length, G_MAXSIZE, NULL);
}

GBytes *
bb_sync_gunzip (GBytes  *data,
                gsize    max_length,
                GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GError) local_error = NULL;
  GBytes *result;
  gsize length;
  const void *bytes = g_bytes_get_data (data, &length);

  result = convert_all (G_CONVERTER (decompressor), bytes, length, max_length, &local_error);
  if (result == NULL)
    {
      if (local_error->domain == BB_SYNC_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                     _("The compressed data is damaged: %s"), local_error->message);
    }

  return result;
}
