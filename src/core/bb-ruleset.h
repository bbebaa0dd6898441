/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* A grantor's accountability rules, kept as data (JSON):
 *
 *   { "name": "Gemeente X",
 *     "tiers": [ { "up_to_cents": 500000, "content": "none" },
 *                { "content": "activity-financial" } ],
 *     "deadline": { "type": "weeks-after-end", "weeks": 13 }
 *              or { "type": "fixed", "month": 5, "day": 1 }
 *              or { "type": "date", "date": "2026-04-01" },
 *     "variance_threshold_percent": 10,
 *     "required_attachments": [ "Bankafschriften" ] }
 *
 * Tiers are ordered by up_to_cents (inclusive); the last has no upper
 * bound. A "fixed" deadline is that day and month on the first such date
 * after the period's end. Two rule sets ship built in (ids
 * BB_RULESET_ID_NATIONAL and BB_RULESET_ID_MUNICIPAL); the user copies and
 * edits them into the council file (table money_ruleset). */

#define BB_RULESET_ID_NATIONAL  "builtin-national"
#define BB_RULESET_ID_MUNICIPAL "builtin-municipal"

#define BB_RULESET_ERROR (bb_ruleset_error_quark ())

typedef enum {
  BB_RULESET_ERROR_INVALID,    /* the JSON is not a rule set; message names the field */
  BB_RULESET_ERROR_NOT_FOUND,
  BB_RULESET_ERROR_BUILTIN,    /* built-in rule sets cannot be changed or deleted */
} BbRulesetError;

/* What the report to the grantor must contain; ordered by weight. */
typedef enum {
  BB_REPORT_CONTENT_NONE,
  BB_REPORT_CONTENT_ACTIVITY,            /* activity report */
  BB_REPORT_CONTENT_ACTIVITY_FINANCIAL,  /* activity and financial report */
  BB_REPORT_CONTENT_AUDITOR,             /* … with an auditor statement */
} BbReportContent;

typedef enum {
  BB_DEADLINE_WEEKS_AFTER_END,
  BB_DEADLINE_FIXED,        /* month and day after the period's end */
  BB_DEADLINE_DATE,         /* one absolute date */
} BbDeadlineKind;

typedef struct {
  gint64          up_to_cents;   /* inclusive; -1 for the last tier (no bound) */
  BbReportContent content;
} BbRulesetTier;

#define BB_TYPE_RULESET (bb_ruleset_get_type ())
G_DECLARE_FINAL_TYPE (BbRuleset, bb_ruleset, BB, RULESET, GObject)

/* Fields are public for reading; write them only on a copy you own. */
struct _BbRuleset
{
  GObject         parent_instance;

  char           *id;
  char           *name;
  gboolean        builtin;
  GArray         *tiers;              /* BbRulesetTier, ascending */
  BbDeadlineKind  deadline_kind;
  guint           deadline_weeks;     /* WEEKS_AFTER_END */
  guint           deadline_month;     /* FIXED: 1–12 */
  guint           deadline_day;       /* FIXED: 1–31 */
  char           *deadline_date;      /* DATE: ISO 8601 */
  guint           variance_threshold_bp;  /* basis points: 1000 = 10% */
  GStrv           required_attachments;
};

/* Which part of a rule set a form should mark as wrong. */
typedef enum {
  BB_RULESET_FIELD_NAME,
  BB_RULESET_FIELD_TIERS,
  BB_RULESET_FIELD_DEADLINE,
  BB_RULESET_FIELD_VARIANCE,
  BB_RULESET_FIELD_ATTACHMENTS,
} BbRulesetField;

GQuark           bb_ruleset_error_quark        (void);

const char      *bb_report_content_to_string   (BbReportContent content);  /* "none", "activity", "activity-financial", "auditor" */
gboolean         bb_report_content_from_string (const char      *text,
                                                BbReportContent *out_content);
const char      *bb_report_content_get_label   (BbReportContent content);  /* translated */

BbRuleset       *bb_ruleset_from_json          (const char      *json,
                                                GError         **error);
char            *bb_ruleset_to_json            (BbRuleset       *self);
/* A user-owned copy with a new id and @name (NULL keeps the name). */
BbRuleset       *bb_ruleset_copy               (BbRuleset       *self,
                                                const char      *name);

/* For editors: checks the fields as set on @self with messages a
 * treasurer understands (the tier, the bound, the day), naming the part
 * in @out_field (may be NULL). */
gboolean         bb_ruleset_validate           (BbRuleset       *self,
                                                BbRulesetField  *out_field,
                                                GError         **error);
/* "10", "7,5", "12.5 %" → basis points (1000 = 10%); 0–1000%. */
gboolean         bb_ruleset_parse_percent      (const char      *text,
                                                guint           *out_bp,
                                                GError         **error);
char            *bb_ruleset_format_percent     (guint            bp);   /* "10", "7,5" */

BbReportContent  bb_ruleset_required_content   (BbRuleset       *self,
                                                gint64           granted_cents);
/* ISO date of the report deadline for a period ending on @period_end (ISO). */
char            *bb_ruleset_compute_deadline   (BbRuleset       *self,
                                                const char      *period_end,
                                                GError         **error);
/* |actual − planned| > threshold × planned; any difference when planned is 0. */
gboolean         bb_ruleset_explanation_required (BbRuleset     *self,
                                                gint64           planned_cents,
                                                gint64           actual_cents);

/* Built-ins first, then the council's own, by name. */
GPtrArray       *bb_ruleset_list               (BbStore         *store,
                                                GError         **error);
BbRuleset       *bb_ruleset_lookup             (BbStore         *store,
                                                const char      *id,
                                                GError         **error);
BbRuleset       *bb_ruleset_get_builtin        (const char      *id);
gboolean         bb_ruleset_save               (BbStore         *store,
                                                BbRuleset       *ruleset,
                                                GError         **error);
/* Subsidies using it fall back to the municipal built-in. */
gboolean         bb_ruleset_delete             (BbStore         *store,
                                                const char      *id,
                                                GError         **error);

G_END_DECLS
