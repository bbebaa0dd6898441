/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-store.h"

G_BEGIN_DECLS

#define BB_BUDGET_ERROR (bb_budget_error_quark ())

typedef enum {
  BB_BUDGET_ERROR_NAME,
  BB_BUDGET_ERROR_AMOUNT,
  BB_BUDGET_ERROR_NOT_FOUND,
} BbBudgetError;

typedef enum {
  BB_POST_EXPENSE,
  BB_POST_INCOME,
} BbPostKind;

const char *bb_post_kind_to_string   (BbPostKind   kind);   /* "expense", "income" */
gboolean    bb_post_kind_from_string (const char  *text,
                                      BbPostKind  *out_kind);

#define BB_TYPE_BUDGET_POST (bb_budget_post_get_type ())
G_DECLARE_FINAL_TYPE (BbBudgetPost, bb_budget_post, BB, BUDGET_POST, GObject)

struct _BbBudgetPost
{
  GObject     parent_instance;

  char       *id;
  char       *subsidy_id;
  BbPostKind  kind;
  char       *name;
  gint64      planned_cents;   /* >= 0 */
  char       *explanation;     /* of the difference with the actual amount */
  int         position;
};

GQuark        bb_budget_error_quark  (void);

BbBudgetPost *bb_budget_post_new     (const char   *subsidy_id,
                                      BbPostKind    kind,
                                      const char   *name,
                                      gint64        planned_cents);

/* Expense posts first, then income, each by position. */
GPtrArray    *bb_budget_list_posts   (BbStore      *store,
                                      const char   *subsidy_id,
                                      GError      **error);
BbBudgetPost *bb_budget_load_post    (BbStore      *store,
                                      const char   *id,
                                      GError      **error);
/* Inserts (empty id) or updates; emits "changed". */
gboolean      bb_budget_save_post    (BbStore      *store,
                                      BbBudgetPost *post,
                                      GError      **error);
/* Split lines on it become uncategorised. */
gboolean      bb_budget_delete_post  (BbStore      *store,
                                      const char   *id,
                                      GError      **error);
gboolean      bb_budget_set_explanation (BbStore   *store,
                                      const char   *post_id,
                                      const char   *explanation,
                                      GError      **error);
/* Adds the typical posts of a council budget (planned 0) that the subsidy
 * does not have yet, in one transaction. */
gboolean      bb_budget_apply_template (BbStore    *store,
                                      const char   *subsidy_id,
                                      GError      **error);
/* The template's names as msgids (pass each through gettext), expense
 * posts then income posts, each NULL-terminated. */
void          bb_budget_get_template (const char * const **out_expense,
                                      const char * const **out_income);

/* Budget versus actual for one subsidy. Realised amounts are the split
 * lines on each post of transactions dated inside the subsidy's period:
 * for an expense post the money spent (−Σ splits), for an income post the
 * money received (+Σ splits). */
typedef struct {
  BbBudgetPost *post;
  gint64        planned_cents;
  gint64        actual_cents;
  gint64        difference_cents;      /* actual − planned */
  gboolean      has_percent;           /* FALSE when planned is 0 */
  gint64        difference_bp;         /* basis points of planned, rounded half away from 0 */
  gboolean      explanation_required;
  gboolean      explanation_missing;   /* required and empty */
  guint         n_transactions;
  guint         n_missing_receipts;
} BbBudgetLine;

typedef struct {
  char      *subsidy_id;
  GPtrArray *lines;                  /* BbBudgetLine*, in bb_budget_list_posts() order */
  gint64     planned_expense_cents;
  gint64     actual_expense_cents;
  gint64     planned_income_cents;
  gint64     actual_income_cents;
  gint64     result_cents;           /* actual income − actual expense */
  gint64     granted_cents;
  gint64     advances_cents;
  gint64     eligible_spending_cents;  /* actual expense */
  gint64     payback_cents;          /* max (0, granted − eligible spending) */
  guint      n_explanations_missing;
} BbBudgetActual;

BbBudgetActual *bb_budget_actual_compute (BbStore       *store,
                                          const char    *subsidy_id,
                                          GError       **error);
void            bb_budget_actual_free    (BbBudgetActual *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbBudgetActual, bb_budget_actual_free)

/* "12,8%" / "−3,5%" from basis points. */
char           *bb_budget_format_percent (gint64         basis_points);

G_END_DECLS
