/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificate is made with GnuTLS (the library GLib's own TLS backend,
 * glib-networking, uses) and then handed to GIO as PEM: the certificate and
 * its PKCS #8 key in one file that g_tls_certificate_new_from_file() reads. */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "bb-sync.h"
#include "bb-sync-tls.h"

#define VALIDITY_DAYS (10 * 365)
/* X.520's upper bound for a common name, in characters. */
#define MAX_COMMON_NAME 64

char *
bb_sync_tls_certificate_path (const char *council_id)
{
  g_autofree char *basename = NULL;

  g_return_val_if_fail (council_id != NULL && *council_id != '\0', NULL);
  g_return_val_if_fail (strchr (council_id, G_DIR_SEPARATOR) == NULL, NULL);

  basename = g_strconcat (council_id, ".pem", NULL);
  return g_build_filename (g_get_user_config_dir (), "buurtboek", "tls", basename, NULL);
}

static gboolean
gnutls_failed (int       rc,
               GError  **error)
{
  if (rc >= 0)
    return FALSE;
  g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_FAILED,
               _("Cannot make a certificate for sharing: %s"), gnutls_strerror (rc));
  return TRUE;
}

/* The certificate and its key as PEM text, certificate first. */
static char *
make_certificate_pem (const char  *common_name,
                      GError     **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t crt_pem = { NULL, 0 };
  gnutls_datum_t key_pem = { NULL, 0 };
  g_autofree char *name = NULL;
  guint8 serial[16];
  time_t now = time (NULL);
  char *pem = NULL;

  if (common_name == NULL || *common_name == '\0' || !g_utf8_validate (common_name, -1, NULL))
    common_name = "Buurtboek";
  name = g_utf8_substring (common_name, 0, MIN (g_utf8_strlen (common_name, -1), MAX_COMMON_NAME));

  for (gsize i = 0; i < sizeof serial; i++)
    serial[i] = (guint8) g_random_int_range (0, 256);
  serial[0] = (serial[0] & 0x7f) | 0x40;   /* positive, and 16 bytes long */

  if (gnutls_failed (gnutls_x509_privkey_init (&key), error) ||
      gnutls_failed (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
                     error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), error) ||
      gnutls_failed (gnutls_x509_crt_set_version (crt, 3), error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), error) ||
      /* A day early, for a peer whose clock is a little behind */
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, now - 24 * 60 * 60), error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, now + (time_t) VALIDITY_DAYS * 24 * 60 * 60),
                     error) ||
      gnutls_failed (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    name, (unsigned int) strlen (name)),
                     error) ||
      gnutls_failed (gnutls_x509_crt_set_key (crt, key), error) ||
      gnutls_failed (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), error) ||
      gnutls_failed (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), error) ||
      gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), error) ||
      gnutls_failed (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), error) ||
      gnutls_failed (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem), error) ||
      gnutls_failed (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &key_pem),
                     error))
    goto out;

  pem = g_strdup_printf ("%.*s%.*s", (int) crt_pem.size, (const char *) crt_pem.data,
                         (int) key_pem.size, (const char *) key_pem.data);

out:
  if (key_pem.data != NULL)
    {
      /* The key's text is not left behind in freed memory */
      memset (key_pem.data, 0, key_pem.size);
      gnutls_free (key_pem.data);
    }
  gnutls_free (crt_pem.data);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return pem;
}

GTlsCertificate *
bb_sync_tls_load_or_create (const char  *path,
                            const char  *common_name,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *pem = NULL;
  GTlsCertificate *certificate;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      certificate = g_tls_certificate_new_from_file (path, &local_error);
      if (certificate == NULL)
        g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_FAILED,
                     _("Cannot read the sharing certificate “%s”: %s. Remove the file to make a new "
                       "certificate; peers will then need its new fingerprint."),
                     path, local_error->message);
      return certificate;
    }

  pem = make_certificate_pem (common_name, error);
  if (pem == NULL)
    return NULL;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_FAILED,
                   _("Cannot make the folder “%s” for the sharing certificate: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  /* Load before writing, so a certificate GIO cannot use is never kept */
  certificate = g_tls_certificate_new_from_pem (pem, -1, &local_error);
  if (certificate == NULL ||
      !g_file_set_contents_full (path, pem, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                 0600, &local_error))
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_FAILED,
                   _("Cannot keep the sharing certificate in “%s”: %s"), path, local_error->message);
      g_clear_object (&certificate);
    }

  memset (pem, 0, strlen (pem));
  return certificate;
}

static char *
format_fingerprint (const guint8 *bytes,
                    gsize         n_bytes)
{
  GString *text = g_string_sized_new (n_bytes * 3);

  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : ":%02X", bytes[i]);
  return g_string_free (text, FALSE);
}

char *
bb_sync_tls_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[BB_SYNC_TLS_FINGERPRINT_BYTES];
  gsize length = sizeof digest;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  g_return_val_if_fail (der != NULL, NULL);

  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &length);
  return format_fingerprint (digest, length);
}

char *
bb_sync_tls_fingerprint_short (const char *fingerprint)
{
  g_return_val_if_fail (fingerprint != NULL, NULL);

  return g_strndup (fingerprint, MIN (strlen (fingerprint), BB_SYNC_TLS_SHORT_BYTES * 3 - 1));
}

char *
bb_sync_tls_fingerprint_grouped (const char *fingerprint)
{
  g_auto(GStrv) pairs = NULL;
  GString *text;

  g_return_val_if_fail (fingerprint != NULL, NULL);

  pairs = g_strsplit (fingerprint, ":", -1);
  text = g_string_sized_new (strlen (fingerprint));
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (text, i % 4 == 0 ? ' ' : ':');
      g_string_append (text, pairs[i]);
    }
  return g_string_free (text, FALSE);
}

char *
bb_sync_tls_parse_fingerprint (const char  *text,
                               GError     **error)
{
  static const char * const prefixes[] = { "sha256 fingerprint=", "sha-256:", "sha256:", "sha256" };
  guint8 bytes[BB_SYNC_TLS_FINGERPRINT_BYTES];
  gsize n_digits = 0;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  p = text;
  while (g_ascii_isspace (*p))
    p++;
  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_ascii_strncasecmp (p, prefixes[i], strlen (prefixes[i])) == 0)
      {
        p += strlen (prefixes[i]);
        break;
      }

  for (; *p != '\0'; p++)
    {
      int value = g_ascii_xdigit_value (*p);

      if (value >= 0)
        {
          if (n_digits >= 2 * G_N_ELEMENTS (bytes))
            ;   /* too long: only counted, for the message */
          else if (n_digits % 2 == 0)
            bytes[n_digits / 2] = (guint8) (value << 4);
          else
            bytes[n_digits / 2] |= (guint8) value;
          n_digits++;
        }
      else if (*p == ':' || *p == ' ' || *p == '-' || *p == '\t' || *p == '\n' || *p == '\r')
        continue;
      else
        {
          g_autofree char *shown = g_utf8_validate (p, -1, NULL)
                                   ? g_utf8_substring (p, 0, 1) : g_strdup ("?");

          g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                       _("A fingerprint has only the digits 0–9 and letters A–F, not “%s”."), shown);
          return NULL;
        }
    }

  if (n_digits != 2 * G_N_ELEMENTS (bytes))
    {
      g_set_error (error, BB_SYNC_ERROR, BB_SYNC_ERROR_INVALID,
                   _("A SHA-256 fingerprint has 64 hexadecimal digits (32 pairs such as AB:CD), not %u."),
                   (guint) n_digits);
      return NULL;
    }

  return format_fingerprint (bytes, sizeof bytes);
}
