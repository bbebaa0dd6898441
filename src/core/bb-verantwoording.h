/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The verantwoording (subsidy report) of one subsidy over its period: a
 * model computed from the council file, every figure in integer cents,
 * and its outputs (PDF, CSV, XLSX, JSON). Nothing of it is stored except
 * the texts the treasurer writes (goals, results, deviations, place). */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bb-pdf.h"
#include "bb-store.h"

G_BEGIN_DECLS

#define BB_VERANTWOORDING_ERROR (bb_verantwoording_error_quark ())

typedef enum {
  BB_VERANTWOORDING_ERROR_NOT_FOUND,   /* no such subsidy */
  BB_VERANTWOORDING_ERROR_FORMAT,      /* unknown output format */
  BB_VERANTWOORDING_ERROR_WRITE,       /* the output could not be written */
} BbVerantwoordingError;

typedef enum {
  BB_VERANTWOORDING_PDF,
  BB_VERANTWOORDING_CSV,     /* the financial part; ";" and a BOM for Dutch Excel */
  BB_VERANTWOORDING_XLSX,    /* the financial part */
  BB_VERANTWOORDING_JSON,    /* everything, amounts in cents */
} BbVerantwoordingFormat;

/* "pdf", "csv", "xlsx", "json" */
gboolean    bb_verantwoording_format_from_string (const char              *text,
                                                  BbVerantwoordingFormat  *out_format);
const char *bb_verantwoording_format_to_string   (BbVerantwoordingFormat   format);

typedef struct {
  char     *date;               /* ISO 8601 date */
  char     *title;
  gboolean  cancelled;
  char     *cancel_reason;      /* "" unless cancelled */
  int       participants;       /* -1: not known */
  gboolean  estimated;          /* participants estimated, not counted */
  guint     n_volunteers;
  gint64    volunteer_minutes;
} BbVerantwoordingActivity;

/* One line of the receipts index: a transaction's part on a post. */
typedef struct {
  char     *transaction_id;
  char     *date;               /* ISO 8601 date */
  char     *description;        /* description, else counterparty */
  gint64    amount_cents;       /* in the post's direction: spending on an expense post is positive */
  gboolean  has_receipt;
} BbVerantwoordingEntry;

typedef struct {
  char      *post_id;
  char      *name;
  gboolean   income;
  gint64     planned_cents;
  gint64     actual_cents;
  gint64     difference_cents;      /* actual − planned */
  gboolean   has_percent;           /* FALSE when planned is 0 */
  gint64     difference_bp;         /* basis points of planned */
  char      *explanation;
  gboolean   explanation_required;
  GPtrArray *entries;               /* BbVerantwoordingEntry*, by date */
} BbVerantwoordingPost;

typedef enum {
  BB_VERANTWOORDING_MISSING_EXPLANATION,   /* @what: the post */
  BB_VERANTWOORDING_MISSING_RECEIPT,       /* @what: the transaction */
  BB_VERANTWOORDING_MISSING_PARTICIPANTS,  /* @what: the activity */
} BbVerantwoordingMissingKind;

typedef struct {
  BbVerantwoordingMissingKind  kind;
  char                        *id;      /* post, transaction or activity id */
  char                        *what;    /* its name, for the message */
  char                        *date;    /* ISO date of a transaction or activity, else "" */
} BbVerantwoordingMissing;

typedef struct {
  /* 1. Header */
  char      *council_name;
  char      *legal_form;             /* translated label */
  char      *kvk_number;
  char      *iban;
  char      *contact_name;
  char      *contact_email;
  char      *contact_phone;
  char      *municipality;
  char      *subsidy_id;
  char      *grantor;
  char      *scheme;
  char      *beschikking_number;
  char      *beschikking_date;       /* ISO date or "" */
  char      *period_start;
  char      *period_end;
  char      *deadline;               /* ISO date or "" */
  gint64     granted_cents;
  gint64     advances_cents;
  GPtrArray *advances;               /* BbVerantwoordingEntry* (date, amount; no receipt) */

  /* 2. Activity report */
  gboolean   has_programme;          /* FALSE: no activities recorded in the period */
  GPtrArray *activities;             /* BbVerantwoordingActivity*, by date, held and cancelled */
  guint      n_held;
  guint      n_cancelled;
  gint64     participants;           /* of the held ones with a known number */
  gint64     volunteer_minutes;
  char      *goals;
  char      *results;
  char      *deviations;

  /* 3. Financial report */
  GPtrArray *posts;                  /* BbVerantwoordingPost*: expense posts, then income */
  gint64     planned_expense_cents;
  gint64     actual_expense_cents;
  gint64     planned_income_cents;
  gint64     actual_income_cents;
  gint64     result_cents;           /* actual income − actual expense */
  gint64     payback_cents;          /* granted − actual expense, never below 0 */

  /* 4. Receipts index: posts[i]->entries */
  guint      n_entries;
  guint      n_missing_receipts;

  /* 5. Declaration */
  char      *signing_place;

  /* What to warn about before export. */
  GPtrArray *missing;                /* BbVerantwoordingMissing* */
} BbVerantwoording;

GQuark            bb_verantwoording_error_quark (void);

/* Reads everything in one read transaction. */
BbVerantwoording *bb_verantwoording_build       (BbStore          *store,
                                                 const char       *subsidy_id,
                                                 GError          **error);
void              bb_verantwoording_free        (BbVerantwoording *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbVerantwoording, bb_verantwoording_free)

/* One translated line per missing item, for the warning before export. */
GStrv             bb_verantwoording_describe_missing (BbVerantwoording *self);

/* The texts the treasurer writes; "" when none were saved. */
gboolean          bb_verantwoording_load_texts  (BbStore          *store,
                                                 const char       *subsidy_id,
                                                 char            **out_goals,
                                                 char            **out_results,
                                                 char            **out_deviations,
                                                 char            **out_signing_place,
                                                 GError          **error);
/* One transaction; emits "changed". */
gboolean          bb_verantwoording_save_texts  (BbStore          *store,
                                                 const char       *subsidy_id,
                                                 const char       *goals,
                                                 const char       *results,
                                                 const char       *deviations,
                                                 const char       *signing_place,
                                                 GError          **error);

/* Outputs. */
JsonNode         *bb_verantwoording_to_json     (BbVerantwoording *self);
BbPdfDocument    *bb_verantwoording_to_pdf      (BbVerantwoording *self);
/* The financial part: posts with planned, actual, difference, percent,
 * explanation, then the totals. */
GBytes           *bb_verantwoording_to_csv      (BbVerantwoording *self);
gboolean          bb_verantwoording_write_xlsx  (BbVerantwoording *self,
                                                 const char       *path,
                                                 GError          **error);
/* Any format to @path (replaced). */
gboolean          bb_verantwoording_write       (BbVerantwoording       *self,
                                                 BbVerantwoordingFormat  format,
                                                 const char             *path,
                                                 GError                **error);

G_END_DECLS
