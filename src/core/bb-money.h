/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Money is always an integer number of euro cents (gint64), never a double. */

#define BB_MONEY_ERROR (bb_money_error_quark ())

typedef enum {
  BB_MONEY_ERROR_EMPTY,             /* nothing but whitespace */
  BB_MONEY_ERROR_INVALID,           /* letters, stray signs, two decimal commas … */
  BB_MONEY_ERROR_TOO_MANY_DECIMALS, /* "12,345": amounts have at most cents */
  BB_MONEY_ERROR_GROUPING,          /* "1.23.456": thousands groups must be three digits */
  BB_MONEY_ERROR_OUT_OF_RANGE,      /* beyond ±BB_MONEY_MAX_CENTS */
} BbMoneyError;

/* € 99.999.999.999,99: far above any council budget, far below gint64 overflow. */
#define BB_MONEY_MAX_CENTS G_GINT64_CONSTANT (9999999999999)

GQuark    bb_money_error_quark (void);

gboolean  bb_money_parse       (const char  *text,
                                gint64      *out_cents,
                                GError     **error);
char     *bb_money_format      (gint64       cents);
char     *bb_money_format_plain (gint64      cents);

G_END_DECLS
