/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "bb-hours.h"
#include "bb-volunteer.h"

G_BEGIN_DECLS

/* Shared by the volunteer files (hours, allowance, import, handover). */

/* Keys of the settings in the council file's meta table. */
#define BB_VOLUNTEER_META_VOG_YEARS "volunteers.vog_rerequest_years"
#define BB_VOLUNTEER_META_ERASE_MONTHS "volunteers.erase_after_months"

/* Strict YYYY-MM-DD. */
gboolean   bb_volunteer_parse_iso_date  (const char         *text,
                                         GDate              *out_date);
/* Array of BbVolunteer, sorted by name, skills loaded. */
GPtrArray *bb_volunteer_list_array      (BbStore            *store,
                                         GError            **error);
/* FALSE with BB_VOLUNTEER_ERROR_NOT_FOUND when absent. */
gboolean   bb_volunteer_exists          (BbStore            *store,
                                         const char         *id,
                                         GError            **error);

/* Array of BbHoursEntry, oldest first (handover, inzage). */
GPtrArray *bb_hours_list_all            (BbStore            *store,
                                         GError            **error);
/* One CSV field, quoted (RFC 4180) when it needs to be; with
 * @guard_formula a leading = + - @ is kept from being read as a formula.
 * Also the verantwoording's CSV writer. */
void       bb_hours_csv_append_field    (GString            *out,
                                         const char         *field,
                                         char                separator,
                                         gboolean            guard_formula);

G_END_DECLS
