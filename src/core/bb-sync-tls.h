/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* TLS for the peer endpoint without a certificate authority: each council
 * gets its own self-signed certificate (ECDSA P-256, ten years), made once
 * and kept beside the user's settings, never in the council file (which is
 * backed up, handed over and copied). The other laptop checks it by its
 * SHA-256 fingerprint, read out at the meeting and pinned for that peer. */

#include <gio/gio.h>

G_BEGIN_DECLS

/* Bytes in a SHA-256 fingerprint, and the length of its text form
 * ("AB:CD:…", 32 pairs of hex digits with 31 colons). */
#define BB_SYNC_TLS_FINGERPRINT_BYTES 32
#define BB_SYNC_TLS_FINGERPRINT_LENGTH (BB_SYNC_TLS_FINGERPRINT_BYTES * 3 - 1)
/* The short form the UI shows big: the first 8 bytes. */
#define BB_SYNC_TLS_SHORT_BYTES 8

/* g_get_user_config_dir()/buurtboek/tls/<council id>.pem
 * Returns: (transfer full) */
char            *bb_sync_tls_certificate_path  (const char       *council_id);

/* Loads the certificate and key kept at @path, or, when there is no file
 * yet, makes a new self-signed one for @common_name (the council's name;
 * NULL or empty for "Buurtboek") and writes it there with mode 0600 (its
 * folder 0700). A file that cannot be read is an error naming the file, and
 * is left alone: replacing it would change the fingerprint peers pinned.
 * Returns: (transfer full) */
GTlsCertificate *bb_sync_tls_load_or_create    (const char       *path,
                                                const char       *common_name,
                                                GError          **error);

/* The SHA-256 fingerprint of the certificate's DER form, in upper-case
 * pairs separated by colons, as `openssl x509 -fingerprint -sha256` and
 * browsers show it. Returns: (transfer full) */
char            *bb_sync_tls_fingerprint       (GTlsCertificate  *certificate);

/* The first BB_SYNC_TLS_SHORT_BYTES pairs of a fingerprint in its text
 * form ("AB:CD:EF:01:23:45:67:89"). Returns: (transfer full) */
char            *bb_sync_tls_fingerprint_short (const char       *fingerprint);

/* The fingerprint to read aloud: its pairs in groups of four with spaces
 * between ("96:B2:EA:CD 93:AE:57:EF …"), so a line can break there.
 * bb_sync_tls_parse_fingerprint() reads it back. Returns: (transfer full) */
char            *bb_sync_tls_fingerprint_grouped (const char     *fingerprint);

/* A fingerprint as a person typed or pasted it: hex digits in either case,
 * pairs separated by colons, spaces, dashes or nothing, optionally after
 * "SHA256:" or "sha256 Fingerprint=". NULL with BB_SYNC_ERROR_INVALID and a
 * message naming what is wrong when it is not 32 bytes of hex.
 * Returns: (transfer full) the text form. */
char            *bb_sync_tls_parse_fingerprint (const char       *text,
                                                GError          **error);

G_END_DECLS
