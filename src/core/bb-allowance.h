/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-store.h"
#include "bb-volunteer.h"

G_BEGIN_DECLS

/* Volunteer allowance (vrijwilligersvergoeding): payments per volunteer
 * (table volunteer_payment) checked against the tax-free caps of the year.
 * The caps are data: bb-allowance-caps.json (shipped) and the council's
 * own allowance_cap table, which wins for a year it has.
 * All three caps (per hour by age band, per month, per year) must hold;
 * when one breaks, the whole amount becomes taxable. Expense
 * reimbursements against receipts are separate and never capped. */

#define BB_ALLOWANCE_ERROR (bb_allowance_error_quark ())

typedef enum {
  BB_ALLOWANCE_ERROR_NO_CAPS,     /* no figures for that year */
  BB_ALLOWANCE_ERROR_AMOUNT,
  BB_ALLOWANCE_ERROR_DATE,
  BB_ALLOWANCE_ERROR_VOLUNTEER,
  BB_ALLOWANCE_ERROR_DATA,        /* the caps data is broken */
} BbAllowanceError;

GQuark bb_allowance_error_quark (void);

typedef struct {
  int    year;
  gint64 hour_21_plus_cents;
  gint64 hour_under_21_cents;
  gint64 month_cents;
  gint64 year_cents;
} BbAllowanceCaps;

typedef enum {
  BB_PAYMENT_ALLOWANCE,
  BB_PAYMENT_EXPENSE,
} BbPaymentKind;

const char *bb_payment_kind_to_string   (BbPaymentKind kind);   /* "allowance", "expense" */
gboolean    bb_payment_kind_from_string (const char *text, BbPaymentKind *out);

typedef struct {
  char          *id;
  char          *volunteer_id;   /* NULL: anonymous (erased volunteer) */
  char          *date;           /* YYYY-MM-DD */
  BbPaymentKind  kind;
  gint64         amount_cents;
  guint          minutes;        /* hours paid for; 0 = not per hour */
  char          *note;
  char          *created_at;
} BbAllowancePayment;

#define BB_TYPE_ALLOWANCE_PAYMENT (bb_allowance_payment_get_type ())
GType               bb_allowance_payment_get_type (void) G_GNUC_CONST;
BbAllowancePayment *bb_allowance_payment_new      (void);
BbAllowancePayment *bb_allowance_payment_copy     (const BbAllowancePayment *payment);
void                bb_allowance_payment_free     (BbAllowancePayment       *payment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbAllowancePayment, bb_allowance_payment_free)

typedef enum {
  BB_CAP_NONE  = 0,
  BB_CAP_HOUR  = 1 << 0,
  BB_CAP_MONTH = 1 << 1,
  BB_CAP_YEAR  = 1 << 2,
} BbAllowanceBreach;

/* Caps of @year: from @store (nullable) when it has them, else shipped.
 * BB_ALLOWANCE_ERROR_NO_CAPS with a clear message when neither has. */
gboolean  bb_allowance_get_caps       (BbStore                  *store,
                                       int                       year,
                                       BbAllowanceCaps          *out_caps,
                                       GError                  **error);
/* The years with figures, ascending (shipped and the council's own). */
GArray   *bb_allowance_list_cap_years (BbStore                  *store);
/* The council's own figures for a year (e.g. next year's, before an
 * update of Buurtboek ships them). */
gboolean  bb_allowance_set_caps       (BbStore                  *store,
                                       const BbAllowanceCaps    *caps,
                                       GError                  **error);

/* The hourly cap that applies: unknown age counts as 21 or over. */
gint64    bb_allowance_caps_hourly    (const BbAllowanceCaps    *caps,
                                       BbAgeBand                 band);

/* Pure check: which caps @payment breaks given the volunteer's other
 * payments of that year (@existing, BbAllowancePayment; expenses and
 * other years ignored). An expense breaks nothing. */
BbAllowanceBreach bb_allowance_check  (const BbAllowanceCaps    *caps,
                                       BbAgeBand                 band,
                                       GPtrArray                *existing,
                                       const BbAllowancePayment *payment);
/* A translated sentence naming each broken cap and its figure. */
char     *bb_allowance_describe_breach (BbAllowanceBreach        broken,
                                       const BbAllowanceCaps    *caps,
                                       BbAgeBand                 band);

/* Checks @payment against the stored payments of its volunteer; call it
 * before bb_allowance_add_payment() to warn. */
gboolean  bb_allowance_check_payment  (BbStore                  *store,
                                       const BbAllowancePayment *payment,
                                       BbAllowanceBreach        *out_broken,
                                       GError                  **error);
/* Validates and stores (a breach is allowed: the user was warned). */
gboolean  bb_allowance_add_payment    (BbStore                  *store,
                                       const BbAllowancePayment *payment,
                                       char                    **out_id,
                                       GError                  **error);
gboolean  bb_allowance_delete_payment (BbStore                  *store,
                                       const char               *id,
                                       GError                  **error);
/* Array of BbAllowancePayment, by date. @volunteer_id NULL = everyone;
 * @year 0 = every year. */
GPtrArray *bb_allowance_list_payments (BbStore                  *store,
                                       const char               *volunteer_id,
                                       int                       year,
                                       GError                  **error);

typedef struct {
  int               year;
  gboolean          has_caps;
  BbAllowanceCaps   caps;
  BbAgeBand         band;
  gint64            month_cents[12];   /* allowances only */
  gint64            year_cents;
  gint64            expenses_cents;
  guint             n_payments;
  BbAllowanceBreach broken;            /* by the year's payments so far */
} BbAllowanceOverview;

/* A year without figures is not an error here: has_caps is FALSE. */
gboolean  bb_allowance_year_overview  (BbStore                  *store,
                                       const char               *volunteer_id,
                                       int                       year,
                                       BbAllowanceOverview      *out,
                                       GError                  **error);

G_END_DECLS
