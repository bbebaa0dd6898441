/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_LEDGER_ERROR (bb_ledger_error_quark ())

typedef enum {
  BB_LEDGER_ERROR_DATE,
  BB_LEDGER_ERROR_AMOUNT,       /* zero or out of range */
  BB_LEDGER_ERROR_SPLIT,        /* split lines do not add up to the amount */
  BB_LEDGER_ERROR_NOT_FOUND,
  BB_LEDGER_ERROR_DUPLICATE,    /* same bank reference / dedupe key */
  BB_LEDGER_ERROR_RECEIPT,      /* empty or unknown receipt file */
} BbLedgerError;

typedef enum {
  BB_ACCOUNT_BANK,
  BB_ACCOUNT_CASH,
} BbAccount;

const char *bb_account_to_string   (BbAccount   account);   /* "bank", "cash" */
gboolean    bb_account_from_string (const char *text,
                                    BbAccount  *out_account);
const char *bb_account_get_label   (BbAccount   account);   /* translated */

/* One part of a transaction booked on a budget post. */
typedef struct {
  char   *post_id;        /* NULL: not categorised */
  gint64  amount_cents;   /* same sign as the transaction */
} BbSplit;

#define BB_TYPE_TRANSACTION (bb_transaction_get_type ())
G_DECLARE_FINAL_TYPE (BbTransaction, bb_transaction, BB, TRANSACTION, GObject)

/* Fields are public; strings are never NULL except activity_id,
 * volunteer_id and dedupe_key. */
struct _BbTransaction
{
  GObject    parent_instance;

  char      *id;
  char      *date;               /* ISO 8601 date */
  gint64     amount_cents;       /* signed: income > 0, expense < 0 */
  char      *description;
  char      *counterparty;
  char      *counterparty_iban;
  BbAccount  account;
  char      *activity_id;        /* programme's activity, nullable */
  char      *volunteer_id;       /* volunteers' volunteer, nullable */
  char      *bank_reference;     /* e.g. AcctSvcrRef */
  char      *dedupe_key;         /* set by the bank import */
  GArray    *splits;             /* BbSplit; empty: not categorised */
  guint      n_receipts;         /* filled by load/query */
};

GQuark         bb_ledger_error_quark    (void);

BbTransaction *bb_transaction_new       (void);
BbTransaction *bb_transaction_copy      (BbTransaction *self);
/* @post_id NULL: uncategorised part. */
void           bb_transaction_add_split (BbTransaction *self,
                                         const char    *post_id,
                                         gint64         amount_cents);
void           bb_transaction_clear_splits (BbTransaction *self);
/* For split editors: the amount minus the split lines so far (0 when
 * they add up), and a typed line amount with the transaction's sign (a
 * treasurer types "12,50" for a part of an expense). */
gint64         bb_transaction_get_unassigned_cents (BbTransaction *self);
gint64         bb_split_cents_for_transaction (gint64        transaction_cents,
                                         gint64         typed_cents);
/* Date, amount, splits summing to the amount. */
gboolean       bb_transaction_validate  (BbTransaction *self,
                                         GError       **error);

typedef struct {
  const char *search;          /* in description, counterparty, IBAN; NULL: all */
  const char *from;            /* ISO date, inclusive; NULL: no bound */
  const char *to;              /* ISO date, inclusive */
  int         year;            /* 0: any */
  int         account;         /* -1: any, else BbAccount */
  const char *post_id;         /* only transactions with a split on it */
  const char *subsidy_id;      /* only those with a split on one of its posts */
  gboolean    uncategorised;   /* only those with no post at all */
  gboolean    missing_receipt; /* only those without a receipt */
  guint       limit;           /* 0: no limit */
} BbLedgerFilter;

#define BB_LEDGER_FILTER_INIT { NULL, NULL, NULL, 0, -1, NULL, NULL, FALSE, FALSE, 0 }

/* BbTransaction*, by date then creation, oldest first. @filter may be NULL. */
GPtrArray     *bb_ledger_query          (BbStore              *store,
                                         const BbLedgerFilter *filter,
                                         GError              **error);
BbTransaction *bb_ledger_load           (BbStore              *store,
                                         const char           *id,
                                         GError              **error);
/* Inserts (empty id) or updates, splits included, in one transaction;
 * emits "changed". */
gboolean       bb_ledger_save           (BbStore              *store,
                                         BbTransaction        *transaction,
                                         GError              **error);
gboolean       bb_ledger_delete         (BbStore              *store,
                                         const char           *id,
                                         GError              **error);
/* Sum of all transactions of @account dated on or before @until (NULL: all). */
gboolean       bb_ledger_get_balance    (BbStore              *store,
                                         BbAccount             account,
                                         const char           *until,
                                         gint64               *out_cents,
                                         GError              **error);
/* The post a counterparty (by IBAN, else by name) was booked on last,
 * mapped by post name onto a post of the subsidy whose period holds
 * @date. NULL when nothing fits (not an error). */
char          *bb_ledger_suggest_post   (BbStore              *store,
                                         const char           *counterparty,
                                         const char           *counterparty_iban,
                                         const char           *date,
                                         GError              **error);

/* Receipts: photos and PDFs stored in the council file once per content
 * (sha256), linked to any number of transactions. */
typedef struct {
  char   *id;
  char   *sha256;
  char   *content_type;   /* "image/png", "application/pdf" … */
  char   *filename;
  gint64  size;
} BbReceiptInfo;

void           bb_receipt_info_free     (BbReceiptInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbReceiptInfo, bb_receipt_info_free)

/* Stores @data (or finds the same bytes already stored) and links it;
 * @content_type NULL: guessed. Returns the receipt id. */
char          *bb_ledger_attach_receipt (BbStore              *store,
                                         const char           *transaction_id,
                                         GBytes               *data,
                                         const char           *content_type,
                                         const char           *filename,
                                         GError              **error);
/* Unlinks; the stored bytes go when nothing links them any more. */
gboolean       bb_ledger_detach_receipt (BbStore              *store,
                                         const char           *transaction_id,
                                         const char           *receipt_id,
                                         GError              **error);
/* BbReceiptInfo* of one transaction. */
GPtrArray     *bb_ledger_list_receipts  (BbStore              *store,
                                         const char           *transaction_id,
                                         GError              **error);
GBytes        *bb_ledger_get_receipt_data (BbStore            *store,
                                         const char           *receipt_id,
                                         GError              **error);

G_END_DECLS
