/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-ledger.h"
#include "bb-store.h"

G_BEGIN_DECLS

#define BB_BANK_IMPORT_ERROR (bb_bank_import_error_quark ())

typedef enum {
  BB_BANK_IMPORT_ERROR_NOT_STATEMENT,  /* not a format Buurtboek knows */
  BB_BANK_IMPORT_ERROR_MALFORMED,      /* a known format with a broken line or element */
  BB_BANK_IMPORT_ERROR_CURRENCY,       /* nothing in euros */
  BB_BANK_IMPORT_ERROR_EMPTY,          /* a statement without transactions */
} BbBankImportError;

typedef enum {
  BB_BANK_FORMAT_CAMT053,
  BB_BANK_FORMAT_ING_CSV,
  BB_BANK_FORMAT_RABOBANK_CSV,
  BB_BANK_FORMAT_ABN_AMRO_TXT,
} BbBankFormat;

const char *bb_bank_format_get_label (BbBankFormat format);

typedef struct {
  BbTransaction *transaction;       /* account bank, dedupe_key set, no splits */
  char          *suggested_post_id; /* from earlier bookings; the UI may clear or change it */
  gboolean       duplicate;         /* already in the ledger: will be skipped */
} BbBankEntry;

typedef struct {
  BbBankFormat  format;
  char         *account_iban;       /* the council's own account, when the file says */
  GPtrArray    *entries;            /* BbBankEntry* in file order */
  GPtrArray    *warnings;           /* char*, translated: statements skipped (other currency) */
} BbBankStatement;

GQuark           bb_bank_import_error_quark (void);

/* Recognises the format from the content (@filename only for messages). */
BbBankStatement *bb_bank_statement_parse   (GBytes          *data,
                                            const char      *filename,
                                            GError         **error);
void             bb_bank_statement_free    (BbBankStatement *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbBankStatement, bb_bank_statement_free)

/* Marks duplicates and fills the suggested posts (read only). */
gboolean         bb_bank_statement_prepare (BbBankStatement *self,
                                            BbStore         *store,
                                            GError         **error);
/* Adds every entry that is not yet in the ledger, booked on its suggested
 * post when it has one, in ONE transaction; emits "changed". */
gboolean         bb_bank_statement_import  (BbBankStatement *self,
                                            BbStore         *store,
                                            guint           *out_added,
                                            guint           *out_skipped,
                                            GError         **error);

G_END_DECLS
