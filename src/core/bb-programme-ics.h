/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "bb-store.h"

G_BEGIN_DECLS

/* The programme as an RFC 5545 iCalendar (made with libical): one VEVENT
 * per activity (a series with its RRULE, cancelled dates as EXDATE,
 * changed dates as VEVENTs with a RECURRENCE-ID), times with
 * TZID=Europe/Amsterdam and its VTIMEZONE. @year 0 exports everything;
 * otherwise the activities with a date in that year (a series whole). */
char     *bb_programme_ics_build  (BbStore     *store,
                                   int          year,
                                   GError     **error);
/* Writes the calendar to @path (replacing it, through a temporary file). */
gboolean  bb_programme_ics_write  (BbStore     *store,
                                   int          year,
                                   const char  *path,
                                   GError     **error);

/* The one-page year programme for the wijkkrant (A4 PDF, by month). */
gboolean  bb_programme_pdf_write  (BbStore     *store,
                                   int          year,
                                   const char  *path,
                                   GError     **error);

G_END_DECLS
