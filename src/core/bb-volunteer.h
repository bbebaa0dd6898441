/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* The volunteer register (issue 5). Tables: volunteer, volunteer_skill,
 * council_skill, volunteer_consent (see bb-store.c, step 3).
 *
 * Other features may reference volunteer(id) (programme's task_assignment,
 * money's ledger links): declare such a foreign key ON DELETE CASCADE or
 * ON DELETE SET NULL, because bb_volunteer_erase() deletes the row. */

typedef enum {
  BB_VOLUNTEER_STATUS_REGISTERED,   /* aangemeld */
  BB_VOLUNTEER_STATUS_ACTIVE,       /* actief */
  BB_VOLUNTEER_STATUS_STOPPED,      /* gestopt, with a reason */
} BbVolunteerStatus;

typedef enum {
  BB_AGE_BAND_UNKNOWN,
  BB_AGE_BAND_UNDER_21,
  BB_AGE_BAND_21_PLUS,
} BbAgeBand;

typedef enum {
  BB_VOG_NOT_NEEDED,
  BB_VOG_REQUESTED,
  BB_VOG_RECEIVED,
} BbVogStatus;

typedef enum {
  BB_ALLOWANCE_KIND_NONE,
  BB_ALLOWANCE_KIND_HOURLY,     /* allowance_cents per hour */
  BB_ALLOWANCE_KIND_FIXED,      /* allowance_cents per month */
  BB_ALLOWANCE_KIND_EXPENSES,   /* only reimbursed costs against receipts */
} BbAllowanceKind;

typedef enum {
  BB_DAY_PART_MORNING,     /* ochtend */
  BB_DAY_PART_AFTERNOON,   /* middag */
  BB_DAY_PART_EVENING,     /* avond */
} BbDayPart;

#define BB_N_DAY_PARTS 3

typedef enum {
  BB_CONSENT_PHOTO,
  BB_CONSENT_NEWSLETTER,
  BB_CONSENT_SHARE_CONTACT,   /* contact details shared with other volunteers */
} BbConsentKind;

#define BB_N_CONSENT_KINDS 3

/* Stable keys as stored and in handover/CSV ("registered", "under-21", …). */
const char *bb_volunteer_status_to_string (BbVolunteerStatus status);
gboolean    bb_volunteer_status_from_string (const char *text, BbVolunteerStatus *out);
const char *bb_volunteer_status_get_label (BbVolunteerStatus status);   /* translated */
const char *bb_age_band_to_string         (BbAgeBand band);
gboolean    bb_age_band_from_string       (const char *text, BbAgeBand *out);
const char *bb_vog_status_to_string       (BbVogStatus status);
gboolean    bb_vog_status_from_string     (const char *text, BbVogStatus *out);
const char *bb_vog_status_get_label       (BbVogStatus status);         /* translated */
const char *bb_allowance_kind_to_string   (BbAllowanceKind kind);
gboolean    bb_allowance_kind_from_string (const char *text, BbAllowanceKind *out);
const char *bb_allowance_kind_get_label   (BbAllowanceKind kind);       /* translated */
const char *bb_consent_kind_to_string     (BbConsentKind kind);
gboolean    bb_consent_kind_from_string   (const char *text, BbConsentKind *out);
const char *bb_consent_kind_get_label     (BbConsentKind kind);         /* translated */
const char *bb_day_part_get_label         (BbDayPart part);             /* translated */

/* The default Dutch skill list (data, not translated). */
const char * const *bb_volunteer_default_skills (void);

#define BB_VOLUNTEER_ERROR (bb_volunteer_error_quark ())

/* Which field is wrong, so a form can put the message beside it. */
typedef enum {
  BB_VOLUNTEER_ERROR_NAME,
  BB_VOLUNTEER_ERROR_EMAIL,
  BB_VOLUNTEER_ERROR_IBAN,
  BB_VOLUNTEER_ERROR_BIRTH_YEAR,
  BB_VOLUNTEER_ERROR_DATE,
  BB_VOLUNTEER_ERROR_SKILL,
  BB_VOLUNTEER_ERROR_NOT_FOUND,
} BbVolunteerError;

GQuark bb_volunteer_error_quark (void);

#define BB_TYPE_VOLUNTEER (bb_volunteer_get_type ())
G_DECLARE_FINAL_TYPE (BbVolunteer, bb_volunteer, BB, VOLUNTEER, GObject)

BbVolunteer      *bb_volunteer_new                (void);
BbVolunteer      *bb_volunteer_copy               (BbVolunteer       *self);

const char       *bb_volunteer_get_id             (BbVolunteer       *self);   /* NULL until saved */
void              bb_volunteer_set_id             (BbVolunteer       *self,
                                                   const char        *id);
const char       *bb_volunteer_get_first_name     (BbVolunteer       *self);
void              bb_volunteer_set_first_name     (BbVolunteer       *self,
                                                   const char        *first_name);
const char       *bb_volunteer_get_last_name      (BbVolunteer       *self);
void              bb_volunteer_set_last_name      (BbVolunteer       *self,
                                                   const char        *last_name);
/* "Anna de Vries"; never empty. */
const char       *bb_volunteer_get_display_name   (BbVolunteer       *self);
const char       *bb_volunteer_get_email          (BbVolunteer       *self);
void              bb_volunteer_set_email          (BbVolunteer       *self,
                                                   const char        *email);
const char       *bb_volunteer_get_phone          (BbVolunteer       *self);
void              bb_volunteer_set_phone          (BbVolunteer       *self,
                                                   const char        *phone);
const char       *bb_volunteer_get_address        (BbVolunteer       *self);
void              bb_volunteer_set_address        (BbVolunteer       *self,
                                                   const char        *address);
BbAgeBand         bb_volunteer_get_age_band       (BbVolunteer       *self);
void              bb_volunteer_set_age_band       (BbVolunteer       *self,
                                                   BbAgeBand          band);
/* 0 = unknown. */
guint             bb_volunteer_get_birth_year     (BbVolunteer       *self);
void              bb_volunteer_set_birth_year     (BbVolunteer       *self,
                                                   guint              birth_year);
/* The age band that applies to the allowance on @date: from the birth year
 * when known (the lower band when the 21st birthday may not have passed
 * yet), else the stored band. */
BbAgeBand         bb_volunteer_get_age_band_on    (BbVolunteer       *self,
                                                   const GDate       *date);

/* Availability: 7 days (G_DATE_MONDAY … G_DATE_SUNDAY) × 3 day parts. */
gboolean          bb_volunteer_is_available       (BbVolunteer       *self,
                                                   GDateWeekday       weekday,
                                                   BbDayPart          part);
void              bb_volunteer_set_available      (BbVolunteer       *self,
                                                   GDateWeekday       weekday,
                                                   BbDayPart          part,
                                                   gboolean           available);
/* Bit (weekday - 1) * 3 + part, as stored. */
guint32           bb_volunteer_get_availability   (BbVolunteer       *self);
void              bb_volunteer_set_availability   (BbVolunteer       *self,
                                                   guint32            mask);

/* Sorted, without duplicates; never NULL. */
const char * const *bb_volunteer_get_skills       (BbVolunteer       *self);
void              bb_volunteer_set_skills         (BbVolunteer       *self,
                                                   const char * const *skills);
gboolean          bb_volunteer_has_skill          (BbVolunteer       *self,
                                                   const char        *skill);
const char       *bb_volunteer_get_roles          (BbVolunteer       *self);
void              bb_volunteer_set_roles          (BbVolunteer       *self,
                                                   const char        *roles);
/* ISO dates (YYYY-MM-DD) or NULL. */
const char       *bb_volunteer_get_start_date     (BbVolunteer       *self);
void              bb_volunteer_set_start_date     (BbVolunteer       *self,
                                                   const char        *date);
const char       *bb_volunteer_get_end_date       (BbVolunteer       *self);
void              bb_volunteer_set_end_date       (BbVolunteer       *self,
                                                   const char        *date);
BbVolunteerStatus bb_volunteer_get_status         (BbVolunteer       *self);
void              bb_volunteer_set_status         (BbVolunteer       *self,
                                                   BbVolunteerStatus  status);
const char       *bb_volunteer_get_stop_reason    (BbVolunteer       *self);
void              bb_volunteer_set_stop_reason    (BbVolunteer       *self,
                                                   const char        *reason);
const char       *bb_volunteer_get_emergency_contact (BbVolunteer    *self);
void              bb_volunteer_set_emergency_contact (BbVolunteer    *self,
                                                   const char        *contact);
const char       *bb_volunteer_get_notes          (BbVolunteer       *self);
void              bb_volunteer_set_notes          (BbVolunteer       *self,
                                                   const char        *notes);
gboolean          bb_volunteer_get_vog_needed     (BbVolunteer       *self);
void              bb_volunteer_set_vog_needed     (BbVolunteer       *self,
                                                   gboolean           needed);
BbVogStatus       bb_volunteer_get_vog_status     (BbVolunteer       *self);
void              bb_volunteer_set_vog_status     (BbVolunteer       *self,
                                                   BbVogStatus        status);
/* Issue date of the VOG (ISO date) or NULL. Never a scan. */
const char       *bb_volunteer_get_vog_date       (BbVolunteer       *self);
void              bb_volunteer_set_vog_date       (BbVolunteer       *self,
                                                   const char        *date);
BbAllowanceKind   bb_volunteer_get_allowance_kind (BbVolunteer       *self);
void              bb_volunteer_set_allowance_kind (BbVolunteer       *self,
                                                   BbAllowanceKind    kind);
/* Per hour (HOURLY) or per month (FIXED), in cents. */
gint64            bb_volunteer_get_allowance_cents (BbVolunteer      *self);
void              bb_volunteer_set_allowance_cents (BbVolunteer      *self,
                                                   gint64             cents);
const char       *bb_volunteer_get_iban           (BbVolunteer       *self);
void              bb_volunteer_set_iban           (BbVolunteer       *self,
                                                   const char        *iban);
const char       *bb_volunteer_get_created_at     (BbVolunteer       *self);
void              bb_volunteer_set_created_at     (BbVolunteer       *self,
                                                   const char        *created_at);
const char       *bb_volunteer_get_updated_at     (BbVolunteer       *self);
void              bb_volunteer_set_updated_at     (BbVolunteer       *self,
                                                   const char        *updated_at);

/* Checks every field; normalises the IBAN and trims names. */
gboolean          bb_volunteer_validate           (BbVolunteer       *self,
                                                   GError           **error);
/* Case- and accent-insensitive match of every word of @query against
 * name, e-mail, phone, skills and roles. An empty query matches. */
gboolean          bb_volunteer_matches            (BbVolunteer       *self,
                                                   const char        *query);
/* Lower case, accents removed: the search key form. */
char             *bb_volunteer_fold               (const char        *text);
/* @folded_words from bb_volunteer_fold() split on spaces: the fast path
 * for a list filter that runs on every keystroke. */
gboolean          bb_volunteer_matches_folded     (BbVolunteer        *self,
                                                   const char * const *folded_words);
/* Stopped with an end date more than @months before @today. */
gboolean          bb_volunteer_is_for_erasure     (BbVolunteer       *self,
                                                   const GDate       *today,
                                                   guint              months);
/* VOG needed and not received, or received more than @rerequest_years
 * before @today. @out_due (nullable) gets the re-request date when known. */
gboolean          bb_volunteer_vog_is_due         (BbVolunteer       *self,
                                                   const GDate       *today,
                                                   guint              rerequest_years,
                                                   GDate             *out_due);

/* Store functions. Every write is one transaction and emits "changed". */

/* All volunteers, sorted by last name, first name (a GListModel of
 * BbVolunteer, skills loaded). */
GListModel  *bb_volunteer_list_all        (BbStore      *store,
                                           GError      **error);
/* The same volunteers in the same order for a list, read lightly: only
 * what a list row shows and its filters and search look at is filled in
 * (id, names, e-mail, phone, roles, skills, availability, status, end
 * date, VOG), the search key is folded at once. Other fields are empty:
 * read the whole volunteer with bb_volunteer_get() before showing or
 * saving them. */
GListModel  *bb_volunteer_list_rows       (BbStore      *store,
                                           GError      **error);
/* NULL with BB_VOLUNTEER_ERROR_NOT_FOUND when there is no such volunteer. */
BbVolunteer *bb_volunteer_get             (BbStore      *store,
                                           const char   *id,
                                           GError      **error);
/* Inserts (a new id when it has none) or updates, with the skills. */
gboolean     bb_volunteer_save            (BbStore      *store,
                                           BbVolunteer  *volunteer,
                                           GError      **error);
/* The same inside a transaction the caller holds (no "changed"). */
gboolean     bb_volunteer_save_in_transaction (BbStore  *store,
                                           BbVolunteer  *volunteer,
                                           GError      **error);
/* Sets status stopped, the end date and the reason. */
gboolean     bb_volunteer_stop            (BbStore      *store,
                                           const char   *id,
                                           const char   *end_date,
                                           const char   *reason,
                                           GError      **error);
/* Removes all personal data (the row, skills, consents); hours and
 * payments stay as anonymous rows (volunteer_id NULL). */
gboolean     bb_volunteer_erase           (BbStore      *store,
                                           const char   *id,
                                           GError      **error);

/* Every skill known: the default list, the council's own and any in use. */
GStrv        bb_volunteer_list_skills     (BbStore      *store,
                                           GError      **error);
gboolean     bb_volunteer_add_council_skill (BbStore    *store,
                                           const char   *skill,
                                           GError      **error);

/* Consents: a history; the latest record of each kind counts. */
gboolean     bb_volunteer_record_consent  (BbStore      *store,
                                           const char   *volunteer_id,
                                           BbConsentKind kind,
                                           gboolean      given,
                                           const char   *date,
                                           GError      **error);
/* FALSE without error when nothing was ever recorded for @kind. */
gboolean     bb_volunteer_get_consent     (BbStore      *store,
                                           const char   *volunteer_id,
                                           BbConsentKind kind,
                                           gboolean     *out_given,
                                           char        **out_date,
                                           GError      **error);

/* Settings kept in the council file (defaults 3 years and 24 months). */
guint        bb_volunteer_get_vog_rerequest_years (BbStore *store);
gboolean     bb_volunteer_set_vog_rerequest_years (BbStore *store,
                                           guint         years,
                                           GError      **error);
guint        bb_volunteer_get_erase_after_months (BbStore  *store);
gboolean     bb_volunteer_set_erase_after_months (BbStore  *store,
                                           guint         months,
                                           GError      **error);

/* Arrays of BbVolunteer. */
GPtrArray   *bb_volunteer_list_vog_due    (BbStore      *store,
                                           const GDate  *today,
                                           GError      **error);
/* Stopped with an end date more than the erase term before @today. */
GPtrArray   *bb_volunteer_list_for_erasure (BbStore     *store,
                                           const GDate  *today,
                                           GError      **error);

/* "Who can help?": volunteers who are not stopped and not in @busy_ids
 * (nullable), best first: having @skill (nullable = any) and being
 * available at @weekday/@part count; ties by name. Those with neither
 * are left out. */
GPtrArray   *bb_volunteer_who_can_help    (BbStore      *store,
                                           const char   *skill,
                                           GDateWeekday  weekday,
                                           BbDayPart     part,
                                           const char * const *busy_ids,
                                           GError      **error);

/* The demo council's volunteers (about 40, with skills, availability, VOGs,
 * consents, allowance agreements and payments within the limits, two who
 * stopped, one of them long ago, and some manual hours), relative to today.
 * A step of bb_demo_create(), before the programme's step. */
gboolean     bb_volunteer_add_demo        (BbStore      *store,
                                           GError      **error);

G_END_DECLS
