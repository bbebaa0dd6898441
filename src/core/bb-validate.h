/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BB_VALIDATE_ERROR (bb_validate_error_quark ())

typedef enum {
  BB_VALIDATE_ERROR_REQUIRED,
  BB_VALIDATE_ERROR_KVK,
  BB_VALIDATE_ERROR_IBAN_FORMAT,
  BB_VALIDATE_ERROR_IBAN_CHECKSUM,
  BB_VALIDATE_ERROR_IBAN_COUNTRY,
  BB_VALIDATE_ERROR_EMAIL,
} BbValidateError;

GQuark    bb_validate_error_quark (void);

gboolean  bb_validate_kvk    (const char  *text,
                              char       **out_normalized,
                              GError     **error);
gboolean  bb_validate_iban   (const char  *text,
                              char       **out_normalized,
                              GError     **error);
char     *bb_iban_format     (const char  *normalized);
gboolean  bb_validate_email  (const char  *text,
                              GError     **error);

G_END_DECLS
