/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BB_DATE_ERROR (bb_date_error_quark ())

typedef enum {
  BB_DATE_ERROR_EMPTY,
  BB_DATE_ERROR_INVALID,
  BB_DATE_ERROR_OUT_OF_RANGE,
} BbDateError;

GQuark     bb_date_error_quark        (void);

gboolean   bb_date_parse              (const char  *text,
                                       GDate       *out_date,
                                       GError     **error);
char      *bb_date_to_iso             (const GDate *date);
char      *bb_date_format_long        (const GDate *date);
char      *bb_date_time_to_iso        (GDateTime   *datetime);
GDateTime *bb_date_time_from_iso      (const char  *text);
char      *bb_date_time_format_long   (GDateTime   *datetime);
char      *bb_date_time_now_iso       (void);

G_END_DECLS
