/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-ruleset.h"
#include "bb-store.h"

G_BEGIN_DECLS

#define BB_SUBSIDY_ERROR (bb_subsidy_error_quark ())

/* Which field is wrong, so a form can put the message beside it. */
typedef enum {
  BB_SUBSIDY_ERROR_GRANTOR,
  BB_SUBSIDY_ERROR_PERIOD,
  BB_SUBSIDY_ERROR_AMOUNT,
  BB_SUBSIDY_ERROR_DATE,
  BB_SUBSIDY_ERROR_ADVANCE,
  BB_SUBSIDY_ERROR_NOT_FOUND,
} BbSubsidyError;

typedef struct {
  char   *id;
  char   *date;           /* ISO 8601 date */
  gint64  amount_cents;   /* > 0 */
} BbSubsidyAdvance;

#define BB_TYPE_SUBSIDY (bb_subsidy_get_type ())
G_DECLARE_FINAL_TYPE (BbSubsidy, bb_subsidy, BB, SUBSIDY, GObject)

/* Fields are public; strings are never NULL (empty when unset). */
struct _BbSubsidy
{
  GObject    parent_instance;

  char      *id;
  char      *grantor;             /* "Gemeente Valkenswaard" */
  char      *scheme;              /* "Subsidie sociale cohesie" */
  char      *beschikking_number;
  char      *beschikking_date;    /* ISO date or "" */
  char      *period_start;        /* ISO date */
  char      *period_end;          /* ISO date, inclusive */
  gint64     requested_cents;
  gint64     granted_cents;
  char      *ruleset_id;          /* BB_RULESET_ID_* or a money_ruleset id */
  char      *notes;
  GPtrArray *advances;            /* BbSubsidyAdvance*, by date */
};

GQuark      bb_subsidy_error_quark   (void);

BbSubsidy  *bb_subsidy_new           (void);
void        bb_subsidy_add_advance   (BbSubsidy   *self,
                                      const char  *date,
                                      gint64       amount_cents);
gint64      bb_subsidy_get_advances_total (BbSubsidy *self);
/* Checks every field; a BB_SUBSIDY_ERROR names the wrong one. */
gboolean    bb_subsidy_validate      (BbSubsidy   *self,
                                      GError     **error);

/* Ordered by period start, newest first. */
GPtrArray  *bb_subsidy_list          (BbStore     *store,
                                      GError     **error);
BbSubsidy  *bb_subsidy_load          (BbStore     *store,
                                      const char  *id,
                                      GError     **error);
/* Inserts or updates (an empty id gets a new one), advances included, in
 * one transaction; emits "changed". */
gboolean    bb_subsidy_save          (BbStore     *store,
                                      BbSubsidy   *subsidy,
                                      GError     **error);
/* Deletes its advances and budget posts too; split lines lose their post. */
gboolean    bb_subsidy_delete        (BbStore     *store,
                                      const char  *id,
                                      GError     **error);

/* From the subsidy's rule set (the municipal built-in when it is gone). */
BbRuleset      *bb_subsidy_get_ruleset          (BbStore    *store,
                                                 BbSubsidy  *self);
BbReportContent bb_subsidy_get_required_content (BbStore    *store,
                                                 BbSubsidy  *self);
char           *bb_subsidy_compute_deadline     (BbStore    *store,
                                                 BbSubsidy  *self);   /* ISO date */

G_END_DECLS
