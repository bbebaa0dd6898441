/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "bb-money.h"

/* Inputs may hold invalid UTF-8 on purpose; TAP output must not. */
#define PARSING(text) \
  do { \
    g_autofree char *escaped_ = g_strescape ((text), NULL); \
    g_test_message ("parsing '%s'", escaped_); \
  } while (0)

typedef struct {
  const char *text;
  gint64 cents;
} ParseCase;

typedef struct {
  const char *text;
  BbMoneyError code;
} ErrorCase;

static void
check_parses (const ParseCase *cases,
              gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 cents = G_MININT64;

      PARSING (cases[i].text);
      g_assert_true (bb_money_parse (cases[i].text, &cents, &error));
      g_assert_no_error (error);
      g_assert_cmpint (cents, ==, cases[i].cents);
    }
}

static void
check_errors (const ErrorCase *cases,
              gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 cents = 0;

      PARSING (cases[i].text);
      g_assert_false (bb_money_parse (cases[i].text, &cents, &error));
      g_assert_error (error, BB_MONEY_ERROR, (int) cases[i].code);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_parse_dutch (void)
{
  static const ParseCase cases[] = {
    { "12,50", 1250 },
    { "12", 1200 },
    { "0", 0 },
    { "0,5", 50 },
    { ",50", 50 },
    { ",5", 50 },
    { "0,05", 5 },
    { "007", 700 },
    { "1.234,56", 123456 },
    { "12.345,67", 1234567 },
    { "1.234.567,89", 123456789 },
    { "1.234,-", 123400 },
    { "12,-", 1200 },
    { "12,--", 1200 },
    { "12,–", 1200 },
    { "1 234,56", 123456 },
    { "1 234 567,00", 123456700 },
    { "1\u00a0234,56", 123456 },
    { "1\u202f234,56", 123456 },
    { "-0", 0 },
    { "-0,00", 0 },
    { "+0", 0 },
  };

  check_parses (cases, G_N_ELEMENTS (cases));
}

static void
test_parse_dot (void)
{
  static const ParseCase cases[] = {
    /* groups of three: thousands */
    { "1.234", 123400 },
    { "123.456", 12345600 },
    { "1.234.567", 123456700 },
    { "€ 1.000.000", 100000000 },
    { "-1.000", -100000 },
    /* otherwise one dot with one or two digits: decimals, as in bank exports */
    { "1234.56", 123456 },
    { "-1234.56", -123456 },
    { "3.5", 350 },
    { "0.05", 5 },
    { "12.50", 1250 },
    { ".50", 50 },
    { "1 234.56", 123456 },
  };

  check_parses (cases, G_N_ELEMENTS (cases));
}

static void
test_parse_sign_currency (void)
{
  static const ParseCase cases[] = {
    { "€ 12,50", 1250 },
    { "€12,50", 1250 },
    { "12,50 €", 1250 },
    { "12,50€", 1250 },
    { "EUR 12,50", 1250 },
    { "12,50 EUR", 1250 },
    { "eur 12", 1200 },
    { "-€ 12,50", -1250 },
    { "- € 12,50", -1250 },
    { "€ -12,50", -1250 },
    { "€-12,50", -1250 },
    { "- 12,50", -1250 },
    { "-12,50", -1250 },
    { "-12,50 €", -1250 },
    { "+12,50", 1250 },
    { "€ +12,50", 1250 },
    { "−12,50", -1250 },
    { "€ −1.234,56", -123456 },
    { "−€ 12,50", -1250 },
    { "EUR -1.234,56", -123456 },
    { "-12,-", -1200 },
  };

  check_parses (cases, G_N_ELEMENTS (cases));
}

static void
test_parse_whitespace (void)
{
  static const ParseCase cases[] = {
    { "  12,50  ", 1250 },
    { "\t12,50\n", 1250 },
    { "\u00a012,50\u00a0", 1250 },
    { "\u202f€\u202f12,50\u202f", 1250 },
    { " € 1.234,56 ", 123456 },
  };

  check_parses (cases, G_N_ELEMENTS (cases));
}

static void
test_parse_range (void)
{
  static const ParseCase cases[] = {
    { "€ 99.999.999.999,99", BB_MONEY_MAX_CENTS },
    { "-€ 99.999.999.999,99", -BB_MONEY_MAX_CENTS },
    { "99999999999,99", BB_MONEY_MAX_CENTS },
    { "0000000000000000000000000000000000000001,00", 100 },
  };
  static const ErrorCase errors[] = {
    { "100.000.000.000", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "€ 100000000000", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "-100000000000,00", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "9223372036854775807", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "9223372036854775808", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "-9223372036854775808", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "99999999999999999999", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "1234567890123456789012345678901234567890", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "-1234567890123456789012345678901234567890,00", BB_MONEY_ERROR_OUT_OF_RANGE },
    { "1.234.567.890.123.456.789.012.345.678.901.234.567.890", BB_MONEY_ERROR_OUT_OF_RANGE },
  };

  check_parses (cases, G_N_ELEMENTS (cases));
  check_errors (errors, G_N_ELEMENTS (errors));
}

static void
test_parse_errors (void)
{
  static const ErrorCase cases[] = {
    { "", BB_MONEY_ERROR_EMPTY },
    { "   ", BB_MONEY_ERROR_EMPTY },
    { "\t\n", BB_MONEY_ERROR_EMPTY },
    { "\u00a0\u202f", BB_MONEY_ERROR_EMPTY },

    { "abc", BB_MONEY_ERROR_INVALID },
    { "12a", BB_MONEY_ERROR_INVALID },
    { "12,50,3", BB_MONEY_ERROR_INVALID },
    { "1..2", BB_MONEY_ERROR_INVALID },
    { "1.234.", BB_MONEY_ERROR_INVALID },
    { "--5", BB_MONEY_ERROR_INVALID },
    { "+-5", BB_MONEY_ERROR_INVALID },
    { "-", BB_MONEY_ERROR_INVALID },
    { "€", BB_MONEY_ERROR_INVALID },
    { "EUR", BB_MONEY_ERROR_INVALID },
    { "€ -", BB_MONEY_ERROR_INVALID },
    { ",", BB_MONEY_ERROR_INVALID },
    { ".", BB_MONEY_ERROR_INVALID },
    { ",-", BB_MONEY_ERROR_INVALID },
    { "1e3", BB_MONEY_ERROR_INVALID },
    { "0x10", BB_MONEY_ERROR_INVALID },
    { "12,", BB_MONEY_ERROR_INVALID },
    { "12.", BB_MONEY_ERROR_INVALID },
    { "12,---", BB_MONEY_ERROR_INVALID },
    { "12,50-", BB_MONEY_ERROR_INVALID },
    { "5 -", BB_MONEY_ERROR_INVALID },
    { "€ € 12", BB_MONEY_ERROR_INVALID },
    { "€ 12,50 €", BB_MONEY_ERROR_INVALID },
    { "€ 12,50 EUR", BB_MONEY_ERROR_INVALID },
    { "12 euro", BB_MONEY_ERROR_INVALID },
    { "1,2.3", BB_MONEY_ERROR_INVALID },
    { "1,234.56", BB_MONEY_ERROR_INVALID },
    { "1  234", BB_MONEY_ERROR_INVALID },
    { "1\t234", BB_MONEY_ERROR_INVALID },
    { "12,5 0", BB_MONEY_ERROR_INVALID },
    { "\xff" "12", BB_MONEY_ERROR_INVALID },
    { "12\xc3", BB_MONEY_ERROR_INVALID },
    { "١٢", BB_MONEY_ERROR_INVALID },

    { "12,345", BB_MONEY_ERROR_TOO_MANY_DECIMALS },
    { "0,001", BB_MONEY_ERROR_TOO_MANY_DECIMALS },
    { "1.234,567", BB_MONEY_ERROR_TOO_MANY_DECIMALS },
    { "1.2345", BB_MONEY_ERROR_TOO_MANY_DECIMALS },
    { "1234.567", BB_MONEY_ERROR_TOO_MANY_DECIMALS },
    { "0.500", BB_MONEY_ERROR_TOO_MANY_DECIMALS },

    { "1.23,45", BB_MONEY_ERROR_GROUPING },
    { "1.2345,00", BB_MONEY_ERROR_GROUPING },
    { "1234.567,00", BB_MONEY_ERROR_GROUPING },
    { "0.123,45", BB_MONEY_ERROR_GROUPING },
    { "12 50", BB_MONEY_ERROR_GROUPING },
    { "1 23,45", BB_MONEY_ERROR_GROUPING },
    { "1234 567", BB_MONEY_ERROR_GROUPING },
    { "12.50.3", BB_MONEY_ERROR_GROUPING },
    { "1.234.5", BB_MONEY_ERROR_GROUPING },
    { "12.345.67", BB_MONEY_ERROR_GROUPING },
    { "1.234 567,00", BB_MONEY_ERROR_GROUPING },
  };

  check_errors (cases, G_N_ELEMENTS (cases));
}

static void
test_parse_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_text = NULL;

  g_assert_false (bb_money_parse ("  twaalf  ", NULL, &error));
  g_assert_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID);
  /* The message quotes what was typed, without the surrounding spaces */
  g_assert_nonnull (strstr (error->message, "“twaalf”"));
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("12,345", NULL, &error));
  g_assert_nonnull (strstr (error->message, "“12,345”"));
  g_clear_error (&error);

  g_assert_false (bb_money_parse ("100.000.000.000", NULL, &error));
  g_assert_nonnull (strstr (error->message, "€ 99.999.999.999,99"));
  g_clear_error (&error);

  /* A pasted paragraph is not repeated in full */
  long_text = g_strnfill (1000, 'x');
  g_assert_false (bb_money_parse (long_text, NULL, &error));
  g_assert_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID);
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_clear_error (&error);

  /* Invalid UTF-8 still gives a valid message */
  g_assert_false (bb_money_parse ("\xff\xfe", NULL, &error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  /* The result is optional when only checking */
  g_assert_true (bb_money_parse ("12,50", NULL, NULL));
  g_assert_false (bb_money_parse ("12,5,0", NULL, NULL));
}

typedef struct {
  gint64 cents;
  const char *formatted;
  const char *plain;
} FormatCase;

static void
test_format (void)
{
  static const FormatCase cases[] = {
    { 0, "€ 0,00", "0,00" },
    { 5, "€ 0,05", "0,05" },
    { 50, "€ 0,50", "0,50" },
    { -5, "€ -0,05", "-0,05" },
    { 100, "€ 1,00", "1,00" },
    { 1250, "€ 12,50", "12,50" },
    { 99999, "€ 999,99", "999,99" },
    { 100000, "€ 1.000,00", "1.000,00" },
    { 123456, "€ 1.234,56", "1.234,56" },
    { -123456, "€ -1.234,56", "-1.234,56" },
    { 12345678, "€ 123.456,78", "123.456,78" },
    { 123456789, "€ 1.234.567,89", "1.234.567,89" },
    { BB_MONEY_MAX_CENTS, "€ 99.999.999.999,99", "99.999.999.999,99" },
    { -BB_MONEY_MAX_CENTS, "€ -99.999.999.999,99", "-99.999.999.999,99" },
    { G_MAXINT64, "€ 92.233.720.368.547.758,07", "92.233.720.368.547.758,07" },
    { G_MININT64, "€ -92.233.720.368.547.758,08", "-92.233.720.368.547.758,08" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = bb_money_format (cases[i].cents);
      g_autofree char *plain = bb_money_format_plain (cases[i].cents);

      g_assert_cmpstr (formatted, ==, cases[i].formatted);
      g_assert_cmpstr (plain, ==, cases[i].plain);
    }
}

static void
check_round_trip (gint64 cents)
{
  g_autofree char *formatted = bb_money_format (cents);
  g_autofree char *plain = bb_money_format_plain (cents);
  g_autoptr(GError) error = NULL;
  gint64 parsed = G_MININT64;

  g_assert_true (bb_money_parse (formatted, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parsed, ==, cents);

  parsed = G_MININT64;
  g_assert_true (bb_money_parse (plain, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parsed, ==, cents);
}

static gint64
random_cents (void)
{
  guint64 bits = ((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
  /* A random number of digits, so small amounts are as common as huge ones */
  guint n_digits = (guint) g_test_rand_int_range (1, 14);
  guint64 limit = 1;
  gint64 cents;

  for (guint i = 0; i < n_digits; i++)
    limit *= 10;

  cents = (gint64) (bits % limit);
  cents = MIN (cents, BB_MONEY_MAX_CENTS);

  return g_test_rand_bit () ? -cents : cents;
}

static void
test_round_trip (void)
{
  static const gint64 values[] = {
    0, 1, -1, 5, 10, 99, 100, 101, 999, 1000, 99999, 100000, 100001,
    123456, -123456, 99999999, 100000000, 123456789012,
    BB_MONEY_MAX_CENTS, -BB_MONEY_MAX_CENTS,
    BB_MONEY_MAX_CENTS - 1, -BB_MONEY_MAX_CENTS + 1,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    check_round_trip (values[i]);

  for (guint i = 0; i < 20000; i++)
    check_round_trip (random_cents ());
}

static void
test_format_out_of_range (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = bb_money_format (BB_MONEY_MAX_CENTS + 1);

  /* Shown exactly, but refused when typed back */
  g_assert_cmpstr (formatted, ==, "€ 100.000.000.000,00");
  g_assert_false (bb_money_parse (formatted, NULL, &error));
  g_assert_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_OUT_OF_RANGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/money/parse/dutch", test_parse_dutch);
  g_test_add_func ("/bb/money/parse/dot", test_parse_dot);
  g_test_add_func ("/bb/money/parse/sign-currency", test_parse_sign_currency);
  g_test_add_func ("/bb/money/parse/whitespace", test_parse_whitespace);
  g_test_add_func ("/bb/money/parse/range", test_parse_range);
  g_test_add_func ("/bb/money/parse/errors", test_parse_errors);
  g_test_add_func ("/bb/money/parse/messages", test_parse_messages);
  g_test_add_func ("/bb/money/format", test_format);
  g_test_add_func ("/bb/money/format/out-of-range", test_format_out_of_range);
  g_test_add_func ("/bb/money/round-trip", test_round_trip);

  return g_test_run ();
}
