/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The dot rule: a dot between groups of exactly three digits is a thousands
 * separator ("1.234", "1.234,56"), and only in an amount without a comma may a
 * single dot followed by one or two digits be the decimal point, as in bank
 * exports ("1234.56", "3.5").
 *
 * A comma is always the decimal separator. Amounts are parsed without any
 * floating point and without the C library's locale: what a Dutch volunteer
 * types must mean the same on every computer.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bb-money.h"

G_DEFINE_QUARK (bb-money-error-quark, bb_money_error)

/* Error messages quote what was typed; a pasted page of text must not
 * turn into a page-long message. */
#define QUOTE_MAX_CHARS 40

#define MAX_EUROS (BB_MONEY_MAX_CENTS / 100)

static gboolean
is_digit (gunichar c)
{
  return c >= '0' && c <= '9';
}

static gboolean
is_sign (gunichar c)
{
  return c == '-' || c == '+' || c == 0x2212; /* MINUS SIGN */
}

static gboolean
is_negative_sign (gunichar c)
{
  return c == '-' || c == 0x2212;
}

/* Only the spaces people (and word processors) put between groups of
 * three digits; a tab or a newline in the middle of a number is a mistake. */
static gboolean
is_group_space (gunichar c)
{
  return c == ' ' ||
         c == 0x00A0 ||  /* NO-BREAK SPACE */
         c == 0x2009 ||  /* THIN SPACE */
         c == 0x202F;    /* NARROW NO-BREAK SPACE */
}

/* The dash of the whole-euro notation "12,-"; word processors turn it into
 * an en dash, which reads the same to the person who typed it. */
static gboolean
is_whole_euro_dash (gunichar c)
{
  return c == '-' || c == 0x2013 || c == 0x2014;
}

static gboolean
is_ascii_letter (gunichar c,
                 char     upper)
{
  return c < 0x80 && g_ascii_toupper ((char) c) == upper;
}

/* Returns the number of characters of a currency mark at @pos, or 0. */
static glong
currency_length (const gunichar *chars,
                 glong           pos,
                 glong           end)
{
  if (pos < end && chars[pos] == 0x20AC) /* EURO SIGN */
    return 1;

  if (end - pos >= 3 &&
      is_ascii_letter (chars[pos], 'E') &&
      is_ascii_letter (chars[pos + 1], 'U') &&
      is_ascii_letter (chars[pos + 2], 'R'))
    return 3;

  return 0;
}

static glong
skip_spaces (const gunichar *chars,
             glong           pos,
             glong           end)
{
  while (pos < end && g_unichar_isspace (chars[pos]))
    pos++;
  return pos;
}

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

static void
set_error (GError       **error,
           BbMoneyError   code,
           const char    *text)
{
  g_autofree char *quoted = quote_for_message (text);
  g_autofree char *max_amount = NULL;

  switch (code)
    {
    case BB_MONEY_ERROR_EMPTY:
      g_set_error_literal (error, BB_MONEY_ERROR, code,
                           _("Type an amount, for example 12,50."));
      break;

    case BB_MONEY_ERROR_TOO_MANY_DECIMALS:
      g_set_error (error, BB_MONEY_ERROR, code,
                   /* Translators: %s is what the user typed */
                   _("“%s” has more than two digits after the comma. Type whole cents, like 12,50."),
                   quoted);
      break;

    case BB_MONEY_ERROR_GROUPING:
      g_set_error (error, BB_MONEY_ERROR, code,
                   /* Translators: %s is what the user typed */
                   _("“%s” has a dot or space in the wrong place. Write thousands in groups of three digits, like 1.234,56."),
                   quoted);
      break;

    case BB_MONEY_ERROR_OUT_OF_RANGE:
      max_amount = bb_money_format (BB_MONEY_MAX_CENTS);
      g_set_error (error, BB_MONEY_ERROR, code,
                   /* Translators: the first %s is what the user typed, the
                    * second the largest amount, "€ 99.999.999.999,99" */
                   _("“%s” is too large. An amount can be at most %s."),
                   quoted, max_amount);
      break;

    case BB_MONEY_ERROR_INVALID:
    default:
      g_set_error (error, BB_MONEY_ERROR, BB_MONEY_ERROR_INVALID,
                   /* Translators: %s is what the user typed */
                   _("“%s” is not an amount. Type an amount like 12,50 or € 1.234,56."),
                   quoted);
      break;
    }
}

/* Checks the whole-euro part of an amount, where the groups may be
 * separated by dots or by spaces (one kind, not both). @part holds only
 * digits, '.' and ' '. */
static gboolean
check_whole_part (const char   *part,
                  BbMoneyError *code)
{
  gboolean has_dot = strchr (part, '.') != NULL;
  gboolean has_space = strchr (part, ' ') != NULL;
  g_auto(GStrv) groups = NULL;

  if (!has_dot && !has_space)
    return TRUE;

  if (has_dot && has_space)
    {
      *code = BB_MONEY_ERROR_GROUPING;
      return FALSE;
    }

  groups = g_strsplit (part, has_dot ? "." : " ", -1);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (groups[i][0] == '\0')
        {
          /* "1..2" or ".5.000": not a misplaced group but no amount at all */
          *code = BB_MONEY_ERROR_INVALID;
          return FALSE;
        }
    }

  for (guint i = 0; groups[i] != NULL; i++)
    {
      gsize len = strlen (groups[i]);
      gboolean ok;

      /* A leading zero does not start a thousands group: "0.500" is not
       * five hundred euros to anyone typing it. */
      if (i == 0)
        ok = len <= 3 && groups[i][0] != '0';
      else
        ok = len == 3;

      if (!ok)
        {
          *code = BB_MONEY_ERROR_GROUPING;
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
is_dot_grouped (const char *number)
{
  BbMoneyError ignored;

  return strchr (number, '.') != NULL &&
         strchr (number, ' ') == NULL &&
         check_whole_part (number, &ignored);
}

/* @number holds only digits, '.', ',' and ' ' (a single space between two
 * digits). @whole_euros is set for "12,-", where @number ends in the comma. */
static gboolean
parse_number (const char   *number,
              gboolean      whole_euros,
              gint64       *out_cents,
              BbMoneyError *code)
{
  g_autofree char *whole = NULL;
  const char *fraction = NULL;
  const char *comma = strchr (number, ',');
  gint64 euros = 0;
  gint64 cents = 0;

  if (comma != NULL)
    {
      if (strchr (comma + 1, ',') != NULL)
        {
          *code = BB_MONEY_ERROR_INVALID;
          return FALSE;
        }
      whole = g_strndup (number, comma - number);
      fraction = comma + 1;
    }
  else if (strchr (number, '.') == NULL || is_dot_grouped (number))
    {
      whole = g_strdup (number);
    }
  else
    {
      const char *dot = strchr (number, '.');

      if (strrchr (number, '.') != dot)
        {
          /* Several dots that are not thousands separators */
          if (strstr (number, "..") != NULL || number[0] == '.' ||
              g_str_has_suffix (number, "."))
            *code = BB_MONEY_ERROR_INVALID;
          else
            *code = BB_MONEY_ERROR_GROUPING;
          return FALSE;
        }

      whole = g_strndup (number, dot - number);
      fraction = dot + 1;
    }

  if (fraction != NULL && !whole_euros)
    {
      gsize len = strlen (fraction);

      if (len == 0 || strspn (fraction, "0123456789") != len)
        {
          *code = BB_MONEY_ERROR_INVALID;
          return FALSE;
        }

      if (len > 2)
        {
          *code = BB_MONEY_ERROR_TOO_MANY_DECIMALS;
          return FALSE;
        }

      cents = (fraction[0] - '0') * 10;
      if (len == 2)
        cents += fraction[1] - '0';
    }

  if (!check_whole_part (whole, code))
    return FALSE;

  for (const char *p = whole; *p != '\0'; p++)
    {
      if (*p == '.' || *p == ' ')
        continue;

      g_assert (g_ascii_isdigit (*p));

      /* Checked before multiplying, so forty digits cannot overflow;
       * leading zeros keep euros at 0 and are harmless. */
      euros = euros * 10 + (*p - '0');
      if (euros > MAX_EUROS)
        {
          *code = BB_MONEY_ERROR_OUT_OF_RANGE;
          return FALSE;
        }
    }

  *out_cents = euros * 100 + cents;
  g_assert (*out_cents <= BB_MONEY_MAX_CENTS);

  return TRUE;
}

/**
 * bb_money_parse:
 * @text: what the user typed
 * @out_cents: (out) (optional): the amount in euro cents
 * @error: return location for a #BB_MONEY_ERROR
 *
 * Parses an amount as Dutch users type it: "12,50", "€ 1.234,56",
 * "-€ 12,50", "12,-", "1234.56" from a bank export. See the dot rule at
 * the top of this file.
 *
 * Returns: %TRUE if @text is an amount within ±%BB_MONEY_MAX_CENTS
 */
gboolean
bb_money_parse (const char  *text,
                gint64      *out_cents,
                GError     **error)
{
  g_autofree gunichar *chars = NULL;
  g_autoptr(GString) number = NULL;
  glong n_chars = 0;
  glong start, end, pos, number_start;
  gboolean have_sign = FALSE;
  gboolean negative = FALSE;
  gboolean have_currency = FALSE;
  gboolean have_digit = FALSE;
  gboolean whole_euros = FALSE;
  BbMoneyError code = BB_MONEY_ERROR_INVALID;
  gint64 cents = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  chars = g_utf8_to_ucs4 (text, -1, NULL, &n_chars, NULL);
  if (chars == NULL)
    {
      set_error (error, BB_MONEY_ERROR_INVALID, text);
      return FALSE;
    }

  start = skip_spaces (chars, 0, n_chars);
  end = n_chars;
  while (end > start && g_unichar_isspace (chars[end - 1]))
    end--;

  if (start == end)
    {
      set_error (error, BB_MONEY_ERROR_EMPTY, text);
      return FALSE;
    }

  /* Sign and currency in either order: "-€ 12,50", "€ -12,50", "- 12,50" */
  pos = start;
  for (;;)
    {
      glong len;

      if (!have_sign && pos < end && is_sign (chars[pos]))
        {
          have_sign = TRUE;
          negative = is_negative_sign (chars[pos]);
          pos++;
        }
      else if (!have_currency && (len = currency_length (chars, pos, end)) > 0)
        {
          have_currency = TRUE;
          pos += len;
        }
      else
        break;

      pos = skip_spaces (chars, pos, end);
    }

  number = g_string_new (NULL);
  number_start = pos;
  while (pos < end)
    {
      gunichar c = chars[pos];

      if (is_digit (c) || c == '.' || c == ',')
        {
          have_digit |= is_digit (c);
          g_string_append_c (number, (char) c);
        }
      else if (is_group_space (c) &&
               pos > number_start && is_digit (chars[pos - 1]) &&
               pos + 1 < end && is_digit (chars[pos + 1]))
        g_string_append_c (number, ' ');
      else
        break;

      pos++;
    }

  if (number->len > 0 && number->str[number->len - 1] == ',' &&
      pos < end && is_whole_euro_dash (chars[pos]))
    {
      whole_euros = TRUE;
      pos++;
      if (pos < end && chars[pos] == '-')
        pos++;
    }

  pos = skip_spaces (chars, pos, end);
  if (!have_currency)
    {
      glong len = currency_length (chars, pos, end);

      if (len > 0)
        pos = skip_spaces (chars, pos + len, end);
    }

  if (pos != end || !have_digit)
    {
      set_error (error, BB_MONEY_ERROR_INVALID, text);
      return FALSE;
    }

  if (!parse_number (number->str, whole_euros, &cents, &code))
    {
      set_error (error, code, text);
      return FALSE;
    }

  if (out_cents != NULL)
    *out_cents = negative ? -cents : cents;

  return TRUE;
}

/**
 * bb_money_format_plain:
 * @cents: an amount in euro cents
 *
 * Formats @cents without the euro sign, for putting an amount back into an
 * entry: "1.234,56", "-0,05". Every #gint64 is formatted exactly, but only
 * amounts within ±%BB_MONEY_MAX_CENTS parse back.
 *
 * Returns: (transfer full): the amount
 */
char *
bb_money_format_plain (gint64 cents)
{
  /* -(G_MININT64) does not exist in a gint64, so negate in two steps */
  guint64 magnitude = cents < 0 ? (guint64) -(cents + 1) + 1 : (guint64) cents;
  char digits[24];
  gsize n_digits;
  GString *str;

  n_digits = (gsize) g_snprintf (digits, sizeof digits,
                                 "%" G_GUINT64_FORMAT, magnitude / 100);

  str = g_string_sized_new (n_digits + n_digits / 3 + 5);
  if (cents < 0)
    g_string_append_c (str, '-');

  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append_c (str, '.');
      g_string_append_c (str, digits[i]);
    }

  g_string_append_printf (str, ",%02u", (guint) (magnitude % 100));

  return g_string_free (str, FALSE);
}

/**
 * bb_money_format:
 * @cents: an amount in euro cents
 *
 * Formats @cents for display, the Dutch way: "€ 1.234,56", "€ -1.234,56".
 *
 * Returns: (transfer full): the amount
 */
char *
bb_money_format (gint64 cents)
{
  g_autofree char *plain = bb_money_format_plain (cents);

  return g_strconcat ("€ ", plain, NULL);
}
