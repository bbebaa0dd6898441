/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Checks for the identifiers a council fills in: its KvK number, its bank
 * account and e-mail addresses. Each optional field accepts an empty value,
 * so callers can tell "not filled in" (TRUE with "") from "mistyped".
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bb-validate.h"

G_DEFINE_QUARK (bb-validate-error-quark, bb_validate_error)

#define KVK_LENGTH 8
#define IBAN_MIN_LENGTH 15
#define IBAN_MAX_LENGTH 34

/* Error messages quote what was typed; keep a pasted paragraph short. */
#define QUOTE_MAX_CHARS 40

/* IBAN lengths from the ISO 13616 registry for the countries a Dutch
 * council pays to or is paid from; other countries only get the general
 * length bounds and the check digits. */
static const struct {
  char country[3];
  guint length;
} iban_lengths[] = {
  { "AT", 20 },
  { "BE", 16 },
  { "CH", 21 },
  { "DE", 22 },
  { "DK", 18 },
  { "ES", 24 },
  { "FI", 18 },
  { "FR", 27 },
  { "GB", 22 },
  { "IE", 22 },
  { "IT", 27 },
  { "LU", 20 },
  { "NL", 18 },
  { "NO", 15 },
  { "PL", 28 },
  { "PT", 25 },
  { "SE", 24 },
};

static char *
quote_for_message (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  char *stripped = g_strstrip (valid);

  if (g_utf8_strlen (stripped, -1) > QUOTE_MAX_CHARS)
    {
      g_autofree char *head = g_utf8_substring (stripped, 0, QUOTE_MAX_CHARS);
      return g_strconcat (head, "…", NULL);
    }

  return g_strdup (stripped);
}

/* Copies @text without any Unicode white space (numbers are often copied
 * from letters or web pages with no-break spaces between the groups) and
 * without the characters in @also_drop. Returns NULL for invalid UTF-8. */
static char *
remove_spaces (const char *text,
               const char *also_drop)
{
  GString *str;

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  str = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        continue;
      if (c < 0x80 && strchr (also_drop, (char) c) != NULL)
        continue;

      g_string_append_unichar (str, c);
    }

  return g_string_free (str, FALSE);
}

/* Trims Unicode white space; g_strstrip() only knows ASCII. @text must be
 * valid UTF-8. */
static char *
strip_unicode (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

/**
 * bb_validate_kvk:
 * @text: what the user typed
 * @out_normalized: (out) (transfer full) (optional): the eight digits, or
 *   "" when @text is empty
 * @error: return location for a #BB_VALIDATE_ERROR
 *
 * Checks a Dutch Chamber of Commerce (KvK) number: eight digits, possibly
 * written with spaces or dots ("1234 5678"). The number is optional for an
 * informal group, so empty text is valid.
 *
 * Returns: %TRUE if @text is empty or a KvK number
 */
gboolean
bb_validate_kvk (const char  *text,
                 char       **out_normalized,
                 GError     **error)
{
  g_autofree char *digits = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  digits = remove_spaces (text, "");
  if (digits != NULL && digits[0] == '\0')
    {
      if (out_normalized != NULL)
        *out_normalized = g_steal_pointer (&digits);
      return TRUE;
    }

  g_clear_pointer (&digits, g_free);
  digits = remove_spaces (text, ".");

  /* The KvK dropped its check digit, so the length is all there is to check */
  if (digits == NULL ||
      strlen (digits) != KVK_LENGTH ||
      strspn (digits, "0123456789") != KVK_LENGTH)
    {
      g_set_error_literal (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_KVK,
                           _("A KvK number has exactly 8 digits, for example 12345678."));
      return FALSE;
    }

  if (out_normalized != NULL)
    *out_normalized = g_steal_pointer (&digits);

  return TRUE;
}

static guint
iban_length_for_country (const char *iban)
{
  for (guint i = 0; i < G_N_ELEMENTS (iban_lengths); i++)
    {
      if (strncmp (iban, iban_lengths[i].country, 2) == 0)
        return iban_lengths[i].length;
    }

  return 0;
}

/* ISO 7064 MOD 97-10 over the IBAN with its first four characters moved to
 * the end and every letter read as two digits (A = 10 … Z = 35). The
 * remainder is carried digit by digit, so no big numbers are needed. */
static guint
iban_remainder (const char *iban)
{
  gsize len = strlen (iban);
  guint remainder = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = iban[(i + 4) % len];

      if (g_ascii_isdigit (c))
        remainder = (remainder * 10 + (guint) (c - '0')) % 97;
      else
        remainder = (remainder * 100 + (guint) (c - 'A' + 10)) % 97;
    }

  return remainder;
}

/**
 * bb_validate_iban:
 * @text: what the user typed
 * @out_normalized: (out) (transfer full) (optional): the IBAN in capitals
 *   without spaces, or "" when @text is empty
 * @error: return location for a #BB_VALIDATE_ERROR
 *
 * Checks an international bank account number (ISO 13616): the characters,
 * the length for the country and the check digits, which catch every single
 * typo and every swap of two neighbouring characters. Empty text is valid.
 *
 * Returns: %TRUE if @text is empty or an IBAN
 */
gboolean
bb_validate_iban (const char  *text,
                  char       **out_normalized,
                  GError     **error)
{
  g_autofree char *iban = NULL;
  gsize len;
  guint expected_length;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iban = remove_spaces (text, "");
  if (iban != NULL)
    {
      char *upper = g_ascii_strup (iban, -1);

      g_free (iban);
      iban = upper;
    }

  if (iban == NULL || strspn (iban, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen (iban))
    {
      g_set_error_literal (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_IBAN_FORMAT,
                           _("An IBAN has only letters and digits, for example NL91 ABNA 0417 1643 00."));
      return FALSE;
    }

  len = strlen (iban);
  if (len == 0)
    {
      if (out_normalized != NULL)
        *out_normalized = g_steal_pointer (&iban);
      return TRUE;
    }

  if (len < 4 ||
      !g_ascii_isupper (iban[0]) || !g_ascii_isupper (iban[1]) ||
      !g_ascii_isdigit (iban[2]) || !g_ascii_isdigit (iban[3]))
    {
      g_set_error_literal (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_IBAN_FORMAT,
                           _("An IBAN starts with two letters for the country and two digits, for example NL91 ABNA 0417 1643 00."));
      return FALSE;
    }

  expected_length = iban_length_for_country (iban);
  if (expected_length != 0 && len != expected_length)
    {
      g_autofree char *country = g_strndup (iban, 2);

      g_set_error (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_IBAN_FORMAT,
                   /* Translators: %s is a country code like NL, the first %u
                    * the length of an IBAN from that country, the second the
                    * length of what the user typed */
                   _("An IBAN starting with %s has %u characters, but this one has %u. Check for a missing or extra character."),
                   country, expected_length, (guint) len);
      return FALSE;
    }

  if (expected_length == 0 && (len < IBAN_MIN_LENGTH || len > IBAN_MAX_LENGTH))
    {
      g_set_error_literal (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_IBAN_COUNTRY,
                           _("This IBAN does not start with a known country code, or it is too short or too long. A Dutch IBAN looks like NL91 ABNA 0417 1643 00."));
      return FALSE;
    }

  /* Check digits 00, 01 and 99 are never issued; 00 and 01 would still
   * pass the remainder test where 97 and 98 belong. */
  if (strncmp (iban + 2, "00", 2) == 0 ||
      strncmp (iban + 2, "01", 2) == 0 ||
      strncmp (iban + 2, "99", 2) == 0 ||
      iban_remainder (iban) != 1)
    {
      g_set_error_literal (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_IBAN_CHECKSUM,
                           _("This IBAN has a typing error: the check digits do not match. Check it against a bank statement."));
      return FALSE;
    }

  if (out_normalized != NULL)
    *out_normalized = g_steal_pointer (&iban);

  return TRUE;
}

/**
 * bb_iban_format:
 * @normalized: an IBAN as returned by bb_validate_iban()
 *
 * Returns: (transfer full): the IBAN in groups of four, as printed on a bank
 *   card: "NL91 ABNA 0417 1643 00"
 */
char *
bb_iban_format (const char *normalized)
{
  GString *str;
  guint n = 0;

  g_return_val_if_fail (normalized != NULL, NULL);

  str = g_string_sized_new (strlen (normalized) + strlen (normalized) / 4);
  for (const char *p = normalized; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        continue;
      if (n > 0 && n % 4 == 0)
        g_string_append_c (str, ' ');
      g_string_append_c (str, *p);
      n++;
    }

  return g_string_free (str, FALSE);
}

/**
 * bb_validate_email:
 * @text: what the user typed
 * @error: return location for a #BB_VALIDATE_ERROR
 *
 * Checks that @text looks like an e-mail address: one "@", something before
 * it, a domain with a dot after it, and no spaces. Only delivery proves an
 * address, so this catches typos, not every invalid address. White space
 * around the address is ignored (store it stripped); empty text is valid.
 *
 * Returns: %TRUE if @text is empty or looks like an e-mail address
 */
gboolean
bb_validate_email (const char  *text,
                   GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *compact = NULL;
  const char *at;
  const char *domain;
  gboolean ok;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    goto not_an_address;

  stripped = strip_unicode (text);
  if (stripped[0] == '\0')
    return TRUE;

  compact = remove_spaces (stripped, "");
  at = strchr (stripped, '@');
  domain = at != NULL ? at + 1 : NULL;

  ok = strcmp (compact, stripped) == 0 &&
       at != NULL && at != stripped &&
       strchr (domain, '@') == NULL &&
       strchr (domain, '.') != NULL &&
       domain[0] != '.' &&
       !g_str_has_suffix (domain, ".") &&
       strstr (domain, "..") == NULL;

  for (const char *p = stripped; ok && *p != '\0'; p = g_utf8_next_char (p))
    ok = !g_unichar_iscntrl (g_utf8_get_char (p));

  if (ok)
    return TRUE;

not_an_address:
  {
    g_autofree char *quoted = quote_for_message (text);

    g_set_error (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_EMAIL,
                 /* Translators: %s is what the user typed */
                 _("“%s” is not an e-mail address. An e-mail address looks like name@example.org."),
                 quoted);
  }
  return FALSE;
}
