/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-core-enums.h"

G_BEGIN_DECLS

typedef enum {
  BB_LEGAL_FORM_INFORMAL,   /* a group of residents without legal personality */
  BB_LEGAL_FORM_STICHTING,
  BB_LEGAL_FORM_VERENIGING,
} BbLegalForm;

const char  *bb_legal_form_to_string    (BbLegalForm  form);   /* "informal", "stichting", "vereniging" */
gboolean     bb_legal_form_from_string  (const char  *text,
                                         BbLegalForm *out_form);
const char  *bb_legal_form_get_label    (BbLegalForm  form);   /* translated, for display */

#define BB_COUNCIL_ERROR (bb_council_error_quark ())

/* Which field is wrong, so a form can put the message beside it. */
typedef enum {
  BB_COUNCIL_ERROR_NAME,
  BB_COUNCIL_ERROR_KVK,
  BB_COUNCIL_ERROR_IBAN,
  BB_COUNCIL_ERROR_EMAIL,
  BB_COUNCIL_ERROR_RESIDENTS,
} BbCouncilError;

GQuark bb_council_error_quark (void);

/* bb_council_validate() refuses more residents than this. */
#define BB_COUNCIL_MAX_RESIDENTS 1000000

#define BB_TYPE_COUNCIL (bb_council_get_type ())
G_DECLARE_FINAL_TYPE (BbCouncil, bb_council, BB, COUNCIL, GObject)

BbCouncil   *bb_council_new               (void);
BbCouncil   *bb_council_copy              (BbCouncil   *self);

const char  *bb_council_get_id            (BbCouncil   *self);
void         bb_council_set_id            (BbCouncil   *self,
                                           const char  *id);
const char  *bb_council_get_name          (BbCouncil   *self);
void         bb_council_set_name          (BbCouncil   *self,
                                           const char  *name);
const char  *bb_council_get_municipality  (BbCouncil   *self);
void         bb_council_set_municipality  (BbCouncil   *self,
                                           const char  *municipality);
BbLegalForm  bb_council_get_legal_form    (BbCouncil   *self);
void         bb_council_set_legal_form    (BbCouncil   *self,
                                           BbLegalForm  form);
const char  *bb_council_get_kvk_number    (BbCouncil   *self);
void         bb_council_set_kvk_number    (BbCouncil   *self,
                                           const char  *kvk_number);
const char  *bb_council_get_iban          (BbCouncil   *self);
void         bb_council_set_iban          (BbCouncil   *self,
                                           const char  *iban);
const char  *bb_council_get_contact_name  (BbCouncil   *self);
void         bb_council_set_contact_name  (BbCouncil   *self,
                                           const char  *contact_name);
const char  *bb_council_get_email         (BbCouncil   *self);
void         bb_council_set_email         (BbCouncil   *self,
                                           const char  *email);
const char  *bb_council_get_phone         (BbCouncil   *self);
void         bb_council_set_phone         (BbCouncil   *self,
                                           const char  *phone);
guint        bb_council_get_residents     (BbCouncil   *self);
void         bb_council_set_residents     (BbCouncil   *self,
                                           guint        residents);
const char  *bb_council_get_created_at    (BbCouncil   *self);   /* ISO 8601 UTC */
void         bb_council_set_created_at    (BbCouncil   *self,
                                           const char  *created_at);
const char  *bb_council_get_updated_at    (BbCouncil   *self);
void         bb_council_set_updated_at    (BbCouncil   *self,
                                           const char  *updated_at);

/* Checks every field and normalises KvK and IBAN in place (spaces removed,
 * upper case). The error code says which field is wrong. */
gboolean     bb_council_validate          (BbCouncil   *self,
                                           GError     **error);

/* A file name for a new council in @directory that does not exist yet:
 * "Wijkraad De Dommelhoek.buurtboek", then "… (2).buurtboek". */
char        *bb_council_suggest_path      (const char  *directory,
                                           const char  *council_name);

G_END_DECLS
