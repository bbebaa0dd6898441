/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "bb-validate.h"

/* Inputs may hold invalid UTF-8 on purpose; TAP output must not. */
#define CHECKING(text) \
  do { \
    g_autofree char *escaped_ = g_strescape ((text), NULL); \
    g_test_message ("checking '%s'", escaped_); \
  } while (0)

typedef struct {
  const char *text;
  const char *normalized;
} ValidCase;

typedef struct {
  const char *text;
  BbValidateError code;
} ErrorCase;

static const char * const valid_ibans[] = {
  "NL91ABNA0417164300",
  "NL02ABNA0123456789",
  "BE68539007547034",
  "DE89370400440532013000",
  "GB29NWBK60161331926819",
};

static void
test_kvk (void)
{
  static const ValidCase valid[] = {
    { "12345678", "12345678" },
    { "1234 5678", "12345678" },
    { "1234.5678", "12345678" },
    { "12.34.56.78", "12345678" },
    { " 12 34 56 78 ", "12345678" },
    { "\u00a012345678\u202f", "12345678" },
    { "00000001", "00000001" },
    /* optional: empty means "not filled in" */
    { "", "" },
    { "   ", "" },
    { "\t\u00a0", "" },
  };
  static const char * const invalid[] = {
    "1234567",
    "123456789",
    "1234567a",
    "abcdefgh",
    "12-345678",
    "1234_5678",
    "KvK 12345678",
    ".",
    "١٢٣٤٥٦٧٨",
    "\xff" "12345678",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;

      CHECKING (valid[i].text);
      g_assert_true (bb_validate_kvk (valid[i].text, &normalized, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, valid[i].normalized);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;

      CHECKING (invalid[i]);
      g_assert_false (bb_validate_kvk (invalid[i], &normalized, &error));
      g_assert_error (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_KVK);
      g_assert_null (normalized);
    }

  g_assert_true (bb_validate_kvk ("12345678", NULL, NULL));
}

static void
test_iban_valid (void)
{
  static const ValidCase cases[] = {
    { "NL91ABNA0417164300", "NL91ABNA0417164300" },
    { "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300" },
    { "nl91 abna 0417 1643 00", "NL91ABNA0417164300" },
    { "  NL02ABNA0123456789\n", "NL02ABNA0123456789" },
    { "NL02\u00a0ABNA\u00a00123\u00a04567\u00a089", "NL02ABNA0123456789" },
    { "BE68 5390 0754 7034", "BE68539007547034" },
    { "DE89 3704 0044 0532 0130 00", "DE89370400440532013000" },
    { "GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819" },
    { "FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606" },
    { "CH93 0076 2011 6238 5295 7", "CH9300762011623852957" },
    { "NO93 8601 1117 947", "NO9386011117947" },
    /* not in the length table: only the general bounds and the check digits */
    { "CZ65 0800 0000 1920 0014 5399", "CZ6508000000192000145399" },
    /* optional: empty means "not filled in" */
    { "", "" },
    { "  ", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;

      CHECKING (cases[i].text);
      g_assert_true (bb_validate_iban (cases[i].text, &normalized, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, cases[i].normalized);
    }

  g_assert_true (bb_validate_iban ("NL91ABNA0417164300", NULL, NULL));
}

static void
test_iban_errors (void)
{
  static const ErrorCase cases[] = {
    { "NL91-ABNA-0417-1643-00", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "NL91.ABNA.0417.1643.00", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "NL91ÄBNA0417164300", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "\xff" "NL91ABNA0417164300", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "N", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "NL9", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "1291ABNA0417164300", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "N191ABNA0417164300", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "NLA1ABNA0417164300", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "0417164300", BB_VALIDATE_ERROR_IBAN_FORMAT },
    /* wrong length for the country */
    { "NL91ABNA041716430", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "NL91ABNA04171643000", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "BE6853900754703", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "DE8937040044053201300", BB_VALIDATE_ERROR_IBAN_FORMAT },
    { "NL91", BB_VALIDATE_ERROR_IBAN_FORMAT },
    /* unknown country and impossible length */
    { "XX12345", BB_VALIDATE_ERROR_IBAN_COUNTRY },
    { "XX1234567890123", BB_VALIDATE_ERROR_IBAN_CHECKSUM },
    { "ZZ12345678901234567890123456789012345", BB_VALIDATE_ERROR_IBAN_COUNTRY },
    /* check digits */
    { "NL00ABNA0417164300", BB_VALIDATE_ERROR_IBAN_CHECKSUM },
    { "NL99ABNA0417164300", BB_VALIDATE_ERROR_IBAN_CHECKSUM },
    { "NL92ABNA0417164300", BB_VALIDATE_ERROR_IBAN_CHECKSUM },
    { "NL91ABNB0417164300", BB_VALIDATE_ERROR_IBAN_CHECKSUM },
    { "BE91ABNA0417164300", BB_VALIDATE_ERROR_IBAN_FORMAT },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;

      CHECKING (cases[i].text);
      g_assert_false (bb_validate_iban (cases[i].text, &normalized, &error));
      g_assert_error (error, BB_VALIDATE_ERROR, (int) cases[i].code);
      g_assert_null (normalized);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
assert_iban_checksum_error (const char *iban)
{
  g_autoptr(GError) error = NULL;

  CHECKING (iban);
  g_assert_false (bb_validate_iban (iban, NULL, &error));
  g_assert_error (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_IBAN_CHECKSUM);
}

static void
test_iban_typos (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (valid_ibans); i++)
    {
      gsize len = strlen (valid_ibans[i]);
      guint n_typos = 0;
      guint n_swaps = 0;

      for (gsize pos = 0; pos < len; pos++)
        {
          g_autofree char *typo = g_strdup (valid_ibans[i]);

          if (!g_ascii_isdigit (typo[pos]))
            continue;

          /* Every other digit in this place */
          for (char digit = '0'; digit <= '9'; digit++)
            {
              if (digit == valid_ibans[i][pos])
                continue;
              typo[pos] = digit;
              assert_iban_checksum_error (typo);
              n_typos++;
            }
        }

      for (gsize pos = 0; pos + 1 < len; pos++)
        {
          g_autofree char *swap = g_strdup (valid_ibans[i]);
          char c = swap[pos];

          if (!g_ascii_isdigit (swap[pos]) || !g_ascii_isdigit (swap[pos + 1]) ||
              swap[pos] == swap[pos + 1])
            continue;

          swap[pos] = swap[pos + 1];
          swap[pos + 1] = c;
          assert_iban_checksum_error (swap);
          n_swaps++;
        }

      g_assert_cmpuint (n_typos, >, 0);
      g_assert_cmpuint (n_swaps, >, 0);
    }
}

static void
test_iban_format (void)
{
  static const ValidCase cases[] = {
    { "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00" },
    { "BE68539007547034", "BE68 5390 0754 7034" },
    { "DE89370400440532013000", "DE89 3704 0044 0532 0130 00" },
    { "GB29NWBK60161331926819", "GB29 NWBK 6016 1331 9268 19" },
    { "NL91 ABNA 0417 1643 00", "NL91 ABNA 0417 1643 00" },
    { "NL9", "NL9" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = bb_iban_format (cases[i].text);

      g_assert_cmpstr (formatted, ==, cases[i].normalized);
    }

  /* What the user sees validates back to the same account */
  for (gsize i = 0; i < G_N_ELEMENTS (valid_ibans); i++)
    {
      g_autofree char *formatted = bb_iban_format (valid_ibans[i]);
      g_autofree char *normalized = NULL;

      g_assert_true (bb_validate_iban (formatted, &normalized, NULL));
      g_assert_cmpstr (normalized, ==, valid_ibans[i]);
    }
}

static void
test_email (void)
{
  static const char * const valid[] = {
    "",
    "   ",
    "\u00a0",
    "jan@example.org",
    "secretaris@wijkraad-oost.nl",
    "a.b+c@sub.domain.nl",
    "  jan@example.org  ",
    "jan@example.org\u00a0",
    "jöran@voorbeeld.nl",
    "JAN@EXAMPLE.ORG",
  };
  static const char * const invalid[] = {
    "jan",
    "jan@",
    "@example.org",
    "jan@example",
    "jan@@example.org",
    "jan@ex@ample.org",
    "jan @example.org",
    "jan@example .org",
    "jan@exam\u00a0ple.org",
    "jan@.example.org",
    "jan@example.org.",
    "jan@example..org",
    "jan\t@example.org",
    "jan\x01@example.org",
    "Jan <jan@example.org>",
    "jan@example.org, piet@example.org",
    "\xff" "jan@example.org",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      CHECKING (valid[i]);
      g_assert_true (bb_validate_email (valid[i], &error));
      g_assert_no_error (error);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      CHECKING (invalid[i]);
      g_assert_false (bb_validate_email (invalid[i], &error));
      g_assert_error (error, BB_VALIDATE_ERROR, BB_VALIDATE_ERROR_EMAIL);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_validate_kvk ("1234", NULL, &error));
  g_assert_nonnull (strstr (error->message, "8"));
  g_clear_error (&error);

  g_assert_false (bb_validate_iban ("NL91ABNA041716430", NULL, &error));
  g_assert_nonnull (strstr (error->message, "NL"));
  g_assert_nonnull (strstr (error->message, "18"));
  g_assert_nonnull (strstr (error->message, "17"));
  g_clear_error (&error);

  g_assert_false (bb_validate_email (" jan@example ", &error));
  g_assert_nonnull (strstr (error->message, "“jan@example”"));
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/validate/kvk", test_kvk);
  g_test_add_func ("/bb/validate/iban/valid", test_iban_valid);
  g_test_add_func ("/bb/validate/iban/errors", test_iban_errors);
  g_test_add_func ("/bb/validate/iban/typos", test_iban_typos);
  g_test_add_func ("/bb/validate/iban/format", test_iban_format);
  g_test_add_func ("/bb/validate/email", test_email);
  g_test_add_func ("/bb/validate/messages", test_messages);

  return g_test_run ();
}
