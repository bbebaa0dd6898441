/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bb-activity.h"
#include "bb-allowance.h"
#include "bb-compat.h"
#include "bb-date.h"
#include "bb-form.h"
#include "bb-hours.h"
#include "bb-money.h"
#include "bb-validate.h"
#include "bb-volunteer-import.h"
#include "bb-volunteer-inzage.h"
#include "bb-volunteer-row.h"
#include "bb-volunteers-page.h"

/* How many hours lines the detail shows; the inzage has them all. */
#define MAX_HOURS_SHOWN 25

struct _BbVolunteersPage
{
  AdwBin              parent_instance;

  AdwLeaflet         *leaflet;
  GtkLabel           *count_label;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *show_filter;
  GtkDropDown        *skill_filter;
  GtkDropDown        *time_filter;
  GtkStack           *list_stack;
  GtkGridView        *list_view;
  GtkStack           *detail_stack;
  GtkBox             *detail_box;
  GtkWidget          *detail_pane;
  GtkWidget          *detail_scroll;

  BbStore            *store;
  gulong              changed_handler;
  gboolean            loaded;

  GListModel         *volunteers;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  GtkStringList      *skills;
  GStrv               search_words;     /* folded, as bb_volunteer_fold() */
  char               *search_text;      /* folded, as last filtered */
  guint               show_shown;       /* the drop-down entries last filtered by */
  guint               skill_shown;
  guint               time_shown;
  GDate               today;
  guint               vog_years;
  guint               erase_months;

  BbVolunteer        *selected;
};

G_DEFINE_FINAL_TYPE (BbVolunteersPage, bb_volunteers_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The "which volunteers" filter */
enum {
  SHOW_ALL,
  SHOW_REGISTERED,
  SHOW_ACTIVE,
  SHOW_STOPPED,
  SHOW_VOG_DUE,
  SHOW_FOR_ERASURE,
};

static void reload (BbVolunteersPage *self);
static void show_volunteer (BbVolunteersPage *self, BbVolunteer *volunteer);

static GtkWindow *
parent_window (BbVolunteersPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (BbVolunteersPage *self,
            const char       *heading,
            const GError     *error)
{
  bb_compat_show_message (parent_window (self), heading, error->message);
}

static void
set_today (BbVolunteersPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (&self->today, 1);
  g_date_set_dmy (&self->today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
}

static char *
format_iso_date (const char *iso)
{
  GDate date;

  if (iso == NULL || !bb_date_parse (iso, &date, NULL))
    return NULL;
  return bb_date_format_long (&date);
}

/* What a date field shows: "22-11-2026", as it is typed. */
static char *
date_for_entry (const char *iso)
{
  GDate date;

  if (iso == NULL || !bb_date_parse (iso, &date, NULL))
    return g_strdup ("");
  return g_strdup_printf ("%02u-%02u-%04u", g_date_get_day (&date), g_date_get_month (&date),
                          g_date_get_year (&date));
}

static gboolean
vog_due (BbVolunteersPage *self,
         BbVolunteer      *volunteer)
{
  return bb_volunteer_vog_is_due (volunteer, &self->today, self->vog_years, NULL);
}

/* ---- Filtering ---- */

static gboolean
filter_volunteer (gpointer item,
                  gpointer user_data)
{
  BbVolunteersPage *self = user_data;
  BbVolunteer *volunteer = item;
  /* The choices as last told to the filter, read once per change rather
   * than from the drop-downs for each of 10,000 volunteers. */
  guint show = self->show_shown;
  guint skill = self->skill_shown;
  guint when = self->time_shown;

  switch (show)
    {
    case SHOW_REGISTERED:
      if (bb_volunteer_get_status (volunteer) != BB_VOLUNTEER_STATUS_REGISTERED)
        return FALSE;
      break;
    case SHOW_ACTIVE:
      if (bb_volunteer_get_status (volunteer) != BB_VOLUNTEER_STATUS_ACTIVE)
        return FALSE;
      break;
    case SHOW_STOPPED:
      if (bb_volunteer_get_status (volunteer) != BB_VOLUNTEER_STATUS_STOPPED)
        return FALSE;
      break;
    case SHOW_VOG_DUE:
      if (!vog_due (self, volunteer))
        return FALSE;
      break;
    case SHOW_FOR_ERASURE:
      if (!bb_volunteer_is_for_erasure (volunteer, &self->today, self->erase_months))
        return FALSE;
      break;
    default:
      break;
    }

  if (skill != GTK_INVALID_LIST_POSITION && skill > 0 &&
      !bb_volunteer_has_skill (volunteer, gtk_string_list_get_string (self->skills, skill)))
    return FALSE;

  if (when != GTK_INVALID_LIST_POSITION && when > 0 &&
      !bb_volunteer_is_available (volunteer, (GDateWeekday) ((when - 1) / BB_N_DAY_PARTS + 1),
                                  (BbDayPart) ((when - 1) % BB_N_DAY_PARTS)))
    return FALSE;

  return self->search_words == NULL ||
         bb_volunteer_matches_folded (volunteer, (const char * const *) self->search_words);
}

static void
update_list_stack (BbVolunteersPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->volunteers));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *count = NULL;

  if (total == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "list");

  if (shown == total)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u volunteer", "%u volunteers", total), total);
  else
    /* Translators: "12 of 40 volunteers", after a search or filter. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u volunteer", "%u of %u volunteers", total),
                             shown, total);
  gtk_label_set_label (self->count_label, count);
}

static void
refilter_with (BbVolunteersPage *self,
               GtkFilterChange   change)
{
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_list_stack (self);
}

static void
on_search_changed_cb (GtkSearchEntry   *entry,
                      BbVolunteersPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *folded = bb_volunteer_fold (text);
  g_autofree char *previous = g_steal_pointer (&self->search_text);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  /* Typing on only narrows the list and deleting only widens it, so the
   * filter model need not look at every volunteer again. */
  if (previous != NULL && g_str_equal (previous, folded))
    {
      self->search_text = g_steal_pointer (&previous);
      return;
    }
  if (previous != NULL && g_str_has_prefix (folded, previous))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (previous != NULL && g_str_has_prefix (previous, folded))
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_clear_pointer (&self->search_words, g_strfreev);
  if (folded[0] != '\0')
    self->search_words = g_strsplit_set (folded, " \t", -1);
  self->search_text = g_steal_pointer (&folded);
  refilter_with (self, change);
}

/* Which entry of each drop-down the list was last filtered by */
static guint *
shown_choice (BbVolunteersPage *self,
              GObject          *drop_down)
{
  if (drop_down == G_OBJECT (self->show_filter))
    return &self->show_shown;
  if (drop_down == G_OBJECT (self->skill_filter))
    return &self->skill_shown;
  return &self->time_shown;
}

static void
on_filter_selected_cb (GObject          *drop_down,
                       GParamSpec       *pspec,
                       BbVolunteersPage *self)
{
  guint *before = shown_choice (self, drop_down);
  guint now = gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down));
  gboolean was_all = *before == 0 || *before == GTK_INVALID_LIST_POSITION;
  gboolean is_all = now == 0 || now == GTK_INVALID_LIST_POSITION;

  if (now == *before)
    return;
  *before = now;
  /* From "All" to one choice only narrows the list, back to "All" only
   * widens it: the rows that stay keep their widgets. */
  if (was_all && is_all)
    return;
  refilter_with (self, was_all ? GTK_FILTER_CHANGE_MORE_STRICT
                               : is_all ? GTK_FILTER_CHANGE_LESS_STRICT : GTK_FILTER_CHANGE_DIFFERENT);
}

/* ---- Rows ---- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              BbVolunteersPage         *self)
{
  gtk_list_item_set_child (item, bb_volunteer_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             BbVolunteersPage         *self)
{
  BbVolunteer *volunteer = gtk_list_item_get_item (item);
  const char * const *skills = bb_volunteer_get_skills (volunteer);
  GString *line = g_string_new (bb_volunteer_status_get_label (bb_volunteer_get_status (volunteer)));

  if (vog_due (self, volunteer))
    g_string_append_printf (line, " · %s", _("VOG missing or due"));
  for (guint i = 0; skills[i] != NULL; i++)
    g_string_append_printf (line, i == 0 ? " · %s" : ", %s", skills[i]);

  bb_volunteer_row_set (BB_VOLUNTEER_ROW (gtk_list_item_get_child (item)),
                        bb_volunteer_get_display_name (volunteer), line->str);
  g_string_free (line, TRUE);
}

static void
on_row_activated_cb (GtkGridView      *view,
                     guint             position,
                     BbVolunteersPage *self)
{
  g_autoptr(BbVolunteer) row = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  /* The list holds the light rows: the detail reads the whole volunteer. */
  bb_volunteers_page_select (self, bb_volunteer_get_id (row));
}

/* ---- Loading ---- */

static void
reload_skills (BbVolunteersPage *self)
{
  g_auto(GStrv) skills = bb_volunteer_list_skills (self->store, NULL);
  g_autofree char *keep = NULL;
  guint position = gtk_drop_down_get_selected (self->skill_filter);

  if (position != GTK_INVALID_LIST_POSITION && position > 0)
    keep = g_strdup (gtk_string_list_get_string (self->skills, position));

  g_signal_handlers_block_by_func (self->skill_filter, on_filter_selected_cb, self);
  gtk_string_list_splice (self->skills, 1, g_list_model_get_n_items (G_LIST_MODEL (self->skills)) - 1,
                          (const char * const *) skills);
  gtk_drop_down_set_selected (self->skill_filter, 0);
  for (guint i = 0; keep != NULL && skills != NULL && skills[i] != NULL; i++)
    if (g_str_equal (skills[i], keep))
      gtk_drop_down_set_selected (self->skill_filter, i + 1);
  self->skill_shown = gtk_drop_down_get_selected (self->skill_filter);
  g_signal_handlers_unblock_by_func (self->skill_filter, on_filter_selected_cb, self);
}

static void
reload (BbVolunteersPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(BbVolunteer) again = NULL;

  if (self->store == NULL)
    return;

  self->loaded = TRUE;
  set_today (self);
  self->vog_years = bb_volunteer_get_vog_rerequest_years (self->store);
  self->erase_months = bb_volunteer_get_erase_after_months (self->store);

  all = bb_volunteer_list_rows (self->store, &error);
  if (all == NULL)
    {
      show_error (self, _("Could Not Read the Volunteers"), error);
      return;
    }

  /* The register as read becomes the list's model in one step, so the
   * filter and the list view run once. */
  reload_skills (self);
  g_set_object (&self->volunteers, G_LIST_MODEL (all));
  gtk_filter_list_model_set_model (self->filtered, self->volunteers);
  update_list_stack (self);

  /* The detail shows the same volunteer again, as they are now. */
  if (self->selected != NULL)
    {
      again = bb_volunteer_get (self->store, bb_volunteer_get_id (self->selected), NULL);
      show_volunteer (self, again);
    }
}

static void
on_store_changed_cb (BbStore          *store,
                     BbVolunteersPage *self)
{
  /* A hidden page reads the file again when it is shown. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  else
    self->loaded = FALSE;
}

static void
on_map_cb (GtkWidget        *widget,
           BbVolunteersPage *self)
{
  if (!self->loaded)
    reload (self);
}

static void
set_store (BbVolunteersPage *self,
           BbStore          *store)
{
  if (self->store == store)
    return;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_set_object (&self->store, store);
  g_clear_object (&self->selected);
  g_set_object (&self->volunteers, G_LIST_MODEL (g_list_store_new (BB_TYPE_VOLUNTEER)));
  g_object_unref (self->volunteers);
  gtk_filter_list_model_set_model (self->filtered, self->volunteers);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  self->loaded = FALSE;

  if (store != NULL)
    {
      self->changed_handler = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        reload (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/* ---- Form helpers ---- */

static guint
form_selected (GtkWidget  *form,
               const char *name)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (bb_form_find (form, name)));
}

static gboolean
form_active (GtkWidget  *form,
             const char *name)
{
  GtkWidget *widget = bb_form_find (form, name);

  if (GTK_IS_SWITCH (widget))
    return gtk_switch_get_active (GTK_SWITCH (widget));
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (widget));
}

static GtkWidget *
new_group (GtkWidget  *box,
           const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (GTK_BOX (box), group);
  return group;
}

/* ---- Availability grid ---- */

static char *
availability_name (guint day,
                   guint part)
{
  return g_strdup_printf ("available-%u-%u", day, part);
}

/* Seven columns (ma–zo) by three day parts of toggles named
 * "available-DAY-PART" (DAY 1 = Monday). */
static GtkWidget *
availability_grid (guint32 mask)
{
  static const char * const day_abbrevs[] = {
    N_("Mo"), N_("Tu"), N_("We"), N_("Th"), N_("Fr"), N_("Sa"), N_("Su"),
  };
  static const char * const day_names[] = {
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"),
  };
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 4);
  gtk_widget_set_halign (grid, GTK_ALIGN_START);

  for (guint d = 0; d < 7; d++)
    {
      GtkWidget *label = gtk_label_new (_(day_abbrevs[d]));

      gtk_widget_add_css_class (label, "caption-heading");
      gtk_grid_attach (GTK_GRID (grid), label, (int) d + 1, 0, 1, 1);
    }
  for (guint p = 0; p < BB_N_DAY_PARTS; p++)
    {
      GtkWidget *label = gtk_label_new (bb_day_part_get_label ((BbDayPart) p));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "caption");
      gtk_grid_attach (GTK_GRID (grid), label, 0, (int) p + 1, 1, 1);
      for (guint d = 0; d < 7; d++)
        {
          GtkWidget *toggle = gtk_check_button_new ();
          g_autofree char *name = availability_name (d + 1, p);
          /* Translators: the accessible name of a toggle, "Monday Morning". */
          g_autofree char *label_text = g_strdup_printf (C_("availability toggle", "%s %s"),
                                                         _(day_names[d]),
                                                         bb_day_part_get_label ((BbDayPart) p));

          gtk_widget_set_name (toggle, name);
          gtk_widget_set_halign (toggle, GTK_ALIGN_CENTER);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle),
                                        (mask & (1u << (d * BB_N_DAY_PARTS + p))) != 0);
          gtk_widget_set_tooltip_text (toggle, label_text);
          gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          label_text, -1);
          gtk_grid_attach (GTK_GRID (grid), toggle, (int) d + 1, (int) p + 1, 1, 1);
        }
    }
  return grid;
}

static guint32
availability_from_grid (GtkWidget *root)
{
  guint32 mask = 0;

  for (guint d = 0; d < 7; d++)
    for (guint p = 0; p < BB_N_DAY_PARTS; p++)
      {
        g_autofree char *name = availability_name (d + 1, p);
        GtkWidget *toggle = bb_form_find (root, name);

        if (toggle != NULL && gtk_check_button_get_active (GTK_CHECK_BUTTON (toggle)))
          mask |= 1u << (d * BB_N_DAY_PARTS + p);
      }
  return mask;
}

/* ---- The volunteer dialog ---- */

static const BbAgeBand age_bands[] = { BB_AGE_BAND_UNKNOWN, BB_AGE_BAND_UNDER_21, BB_AGE_BAND_21_PLUS };
static const BbVogStatus vog_statuses[] = { BB_VOG_NOT_NEEDED, BB_VOG_REQUESTED, BB_VOG_RECEIVED };
static const BbAllowanceKind allowance_kinds[] = {
  BB_ALLOWANCE_KIND_NONE, BB_ALLOWANCE_KIND_HOURLY, BB_ALLOWANCE_KIND_FIXED, BB_ALLOWANCE_KIND_EXPENSES,
};

static gboolean
form_error (GError     **error,
            const char  *message)
{
  g_set_error_literal (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_DATE, message);
  return FALSE;
}

/* An optional date field: "" gives NULL. */
static gboolean
read_date_field (GtkWidget   *form,
                 const char  *name,
                 const char  *what,
                 char       **out_iso,
                 GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (bb_form_text (form, name)));
  GDate date;

  *out_iso = NULL;
  if (text[0] == '\0')
    return TRUE;
  if (!bb_date_parse (text, &date, NULL))
    {
      /* Translators: %s names the date field, e.g. "Start date". */
      g_autofree char *message = g_strdup_printf (_("%s: type a date such as 22-11-2026."), what);

      return form_error (error, message);
    }
  *out_iso = bb_date_to_iso (&date);
  return TRUE;
}

/* Reads the dialog into @volunteer; FALSE with a message naming what is
 * wrong. */
static gboolean
read_volunteer_form (BbVolunteersPage  *self,
                     GtkWidget         *form,
                     BbVolunteer       *volunteer,
                     GError           **error)
{
  const char * const *known = g_object_get_data (G_OBJECT (form), "skills");
  g_autofree char *email = g_strstrip (g_strdup (bb_form_text (form, "email")));
  g_autoptr(GStrvBuilder) skills = g_strv_builder_new ();
  g_auto(GStrv) chosen = NULL;
  g_auto(GStrv) own = NULL;
  g_autofree char *start = NULL;
  g_autofree char *vog_date = NULL;
  g_autofree char *birth_text = g_strstrip (g_strdup (bb_form_text (form, "birth-year")));
  g_autofree char *amount_text = g_strstrip (g_strdup (bb_form_text (form, "allowance-amount")));
  BbAllowanceKind kind = allowance_kinds[form_selected (form, "allowance-kind")];
  guint status = form_selected (form, "status");
  gint64 cents = 0;
  guint64 birth_year = 0;

  bb_volunteer_set_first_name (volunteer, bb_form_text (form, "first-name"));
  bb_volunteer_set_last_name (volunteer, bb_form_text (form, "last-name"));
  bb_volunteer_set_email (volunteer, email);
  bb_volunteer_set_phone (volunteer, bb_form_text (form, "phone"));
  bb_volunteer_set_address (volunteer, bb_form_text (form, "address"));
  bb_volunteer_set_roles (volunteer, bb_form_text (form, "roles"));
  bb_volunteer_set_emergency_contact (volunteer, bb_form_text (form, "emergency"));
  bb_volunteer_set_notes (volunteer, bb_form_text (form, "notes"));
  bb_volunteer_set_iban (volunteer, bb_form_text (form, "iban"));
  bb_volunteer_set_age_band (volunteer, age_bands[form_selected (form, "age-band")]);
  bb_volunteer_set_vog_needed (volunteer, form_active (form, "vog-needed"));
  bb_volunteer_set_vog_status (volunteer, vog_statuses[form_selected (form, "vog-status")]);
  bb_volunteer_set_allowance_kind (volunteer, kind);
  bb_volunteer_set_availability (volunteer, availability_from_grid (form));
  /* Stopping has its own dialog, with a reason. */
  if (bb_volunteer_get_status (volunteer) != BB_VOLUNTEER_STATUS_STOPPED)
    bb_volunteer_set_status (volunteer, status == 1 ? BB_VOLUNTEER_STATUS_ACTIVE : BB_VOLUNTEER_STATUS_REGISTERED);

  for (guint i = 0; known != NULL && known[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat ("skill:", known[i], NULL);

      if (form_active (form, name))
        g_strv_builder_add (skills, known[i]);
    }
  own = g_strsplit (bb_form_text (form, "own-skills"), ",", -1);
  for (guint i = 0; own[i] != NULL; i++)
    g_strv_builder_add (skills, g_strstrip (own[i]));
  chosen = g_strv_builder_end (skills);
  bb_volunteer_set_skills (volunteer, (const char * const *) chosen);

  if (birth_text[0] != '\0' &&
      !g_ascii_string_to_unsigned (birth_text, 10, 1900, 2200, &birth_year, NULL))
    {
      g_set_error_literal (error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_BIRTH_YEAR,
                           _("The birth year must be a year such as 1987."));
      return FALSE;
    }
  bb_volunteer_set_birth_year (volunteer, (guint) birth_year);

  if (!read_date_field (form, "start-date", _("Start date"), &start, error) ||
      !read_date_field (form, "vog-date", _("VOG issue date"), &vog_date, error))
    return FALSE;
  bb_volunteer_set_start_date (volunteer, start);
  bb_volunteer_set_vog_date (volunteer, vog_date);

  if ((kind == BB_ALLOWANCE_KIND_HOURLY || kind == BB_ALLOWANCE_KIND_FIXED) &&
      !bb_money_parse (amount_text, &cents, NULL))
    return form_error (error, kind == BB_ALLOWANCE_KIND_HOURLY
                                ? _("Type the allowance per hour, such as 4,50.")
                                : _("Type the allowance per month, such as 150,00."));
  bb_volunteer_set_allowance_cents (volunteer, cents);

  return bb_volunteer_validate (volunteer, error);
}

static void
update_volunteer_form (BbVolunteersPage *self,
                       GtkWidget        *form)
{
  g_autoptr(BbVolunteer) scratch = bb_volunteer_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog = gtk_widget_get_ancestor (form, ADW_TYPE_MESSAGE_DIALOG);
  BbAllowanceKind kind = allowance_kinds[form_selected (form, "allowance-kind")];
  gboolean ok = read_volunteer_form (self, form, scratch, &error);

  gtk_widget_set_visible (bb_form_find (form, "allowance-amount"),
                          kind == BB_ALLOWANCE_KIND_HOURLY || kind == BB_ALLOWANCE_KIND_FIXED);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (bb_form_find (form, "allowance-amount")),
                                 kind == BB_ALLOWANCE_KIND_HOURLY ? _("Amount per hour (€)")
                                                                   : _("Amount per month (€)"));
  bb_form_set_message (form, "error", ok ? NULL : error->message);
  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", ok);
}

static void
on_volunteer_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          BbVolunteersPage *self)
{
  GtkWidget *form = g_object_get_data (G_OBJECT (dialog), "form");
  BbVolunteer *volunteer = g_object_get_data (G_OBJECT (dialog), "volunteer");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save") || self->store == NULL)
    return;

  if (!read_volunteer_form (self, form, volunteer, &error) ||
      !bb_volunteer_save (self->store, volunteer, &error))
    {
      show_error (self, _("Could Not Save the Volunteer"), error);
      return;
    }

  bb_volunteers_page_select (self, bb_volunteer_get_id (volunteer));
}

static void
open_volunteer_dialog (BbVolunteersPage *self,
                       BbVolunteer      *existing)
{
  g_autoptr(BbVolunteer) volunteer = existing != NULL ? bb_volunteer_copy (existing) : bb_volunteer_new ();
  g_auto(GStrv) known = bb_volunteer_list_skills (self->store, NULL);
  g_autoptr(GStrvBuilder) own = g_strv_builder_new ();
  g_auto(GStrv) own_list = NULL;
  g_autofree char *own_text = NULL;
  g_autofree char *start = NULL;
  g_autofree char *vog_date = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *amount = NULL;
  const char *band_items[] = { _("Unknown"), _("Under 21"), _("21 or over"), NULL };
  const char *status_items[] = {
    bb_volunteer_status_get_label (BB_VOLUNTEER_STATUS_REGISTERED),
    bb_volunteer_status_get_label (BB_VOLUNTEER_STATUS_ACTIVE), NULL
  };
  const char *vog_items[] = {
    bb_vog_status_get_label (BB_VOG_NOT_NEEDED), bb_vog_status_get_label (BB_VOG_REQUESTED),
    bb_vog_status_get_label (BB_VOG_RECEIVED), NULL
  };
  const char *allowance_items[] = {
    bb_allowance_kind_get_label (BB_ALLOWANCE_KIND_NONE), bb_allowance_kind_get_label (BB_ALLOWANCE_KIND_HOURLY),
    bb_allowance_kind_get_label (BB_ALLOWANCE_KIND_FIXED), bb_allowance_kind_get_label (BB_ALLOWANCE_KIND_EXPENSES),
    NULL
  };
  GtkWidget *dialog, *box, *group, *flow, *grid_row;
  guint kind_index = 0;

  if (self->store == NULL)
    return;

  dialog = bb_form_dialog_new (parent_window (self), existing != NULL ? _("Edit Volunteer") : _("New Volunteer"),
                               "save", existing != NULL ? _("_Save") : _("_Add"), &box);
  g_object_set_data_full (G_OBJECT (dialog), "volunteer", g_object_ref (volunteer), g_object_unref);
  g_object_set_data_full (G_OBJECT (box), "skills", g_strdupv (known), (GDestroyNotify) g_strfreev);

  group = new_group (box, NULL);
  bb_form_entry_row (group, "first-name", _("First name"), bb_volunteer_get_first_name (volunteer));
  bb_form_entry_row (group, "last-name", _("Last name"), bb_volunteer_get_last_name (volunteer));
  bb_form_entry_row (group, "email", _("E-mail"), bb_volunteer_get_email (volunteer));
  bb_form_entry_row (group, "phone", _("Phone"), bb_volunteer_get_phone (volunteer));
  bb_form_entry_row (group, "address", _("Address (optional)"), bb_volunteer_get_address (volunteer));
  if (bb_volunteer_get_birth_year (volunteer) != 0)
    birth = g_strdup_printf ("%u", bb_volunteer_get_birth_year (volunteer));
  bb_form_entry_row (group, "birth-year", _("Birth year (optional)"), birth);
  bb_form_combo_row (group, "age-band", _("Age (for the allowance)"), band_items, bb_volunteer_get_age_band (volunteer));
  bb_form_entry_row (group, "emergency", _("Emergency contact (optional)"), bb_volunteer_get_emergency_contact (volunteer));

  group = new_group (box, _("Work"));
  bb_form_combo_row (group, "status", _("Status"), status_items,
                     bb_volunteer_get_status (volunteer) == BB_VOLUNTEER_STATUS_ACTIVE ? 1 : 0);
  start = date_for_entry (bb_volunteer_get_start_date (volunteer));
  bb_form_entry_row (group, "start-date", _("Start date"), start);
  bb_form_entry_row (group, "roles", _("Roles"), bb_volunteer_get_roles (volunteer));
  bb_form_entry_row (group, "notes", _("Notes"), bb_volunteer_get_notes (volunteer));

  group = new_group (box, _("Skills"));
  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  for (guint i = 0; known != NULL && known[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (known[i]);
      g_autofree char *name = g_strconcat ("skill:", known[i], NULL);

      gtk_widget_set_name (check, name);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), bb_volunteer_has_skill (volunteer, known[i]));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), check);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), flow);
  for (const char * const *s = bb_volunteer_get_skills (volunteer); *s != NULL; s++)
    if (known == NULL || !g_strv_contains ((const char * const *) known, *s))
      g_strv_builder_add (own, *s);
  own_list = g_strv_builder_end (own);
  own_text = g_strjoinv (", ", own_list);
  bb_form_entry_row (group, "own-skills", _("Other skills, separated by commas"), own_text);

  group = new_group (box, _("Availability"));
  grid_row = availability_grid (bb_volunteer_get_availability (volunteer));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), grid_row);

  group = new_group (box, _("VOG"));
  bb_form_switch_row (group, "vog-needed", _("Their roles need a VOG"), bb_volunteer_get_vog_needed (volunteer));
  bb_form_combo_row (group, "vog-status", _("VOG status"), vog_items, bb_volunteer_get_vog_status (volunteer));
  vog_date = date_for_entry (bb_volunteer_get_vog_date (volunteer));
  bb_form_entry_row (group, "vog-date", _("VOG issue date"), vog_date);

  group = new_group (box, _("Allowance"));
  for (guint i = 0; i < G_N_ELEMENTS (allowance_kinds); i++)
    if (allowance_kinds[i] == bb_volunteer_get_allowance_kind (volunteer))
      kind_index = i;
  bb_form_combo_row (group, "allowance-kind", _("Agreement"), allowance_items, kind_index);
  if (bb_volunteer_get_allowance_cents (volunteer) > 0)
    amount = bb_money_format_plain (bb_volunteer_get_allowance_cents (volunteer));
  bb_form_entry_row (group, "allowance-amount", _("Amount per hour (€)"), amount);
  bb_form_entry_row (group, "iban", _("IBAN for payments"), bb_volunteer_get_iban (volunteer));

  bb_form_message_label (box, "error", "error");

  g_signal_connect (dialog, "response", G_CALLBACK (on_volunteer_response_cb), self);
  bb_form_watch (box, (BbFormUpdateFunc) update_volunteer_form, self);
  update_volunteer_form (self, box);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Stop and erase ---- */

static void
on_stop_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BbVolunteersPage *self)
{
  GtkWidget *form = g_object_get_data (G_OBJECT (dialog), "form");
  BbVolunteer *volunteer = g_object_get_data (G_OBJECT (dialog), "volunteer");
  g_autoptr(GError) error = NULL;
  g_autofree char *end = NULL;
  g_autofree char *reason = NULL;

  if (!g_str_equal (response, "stop") || self->store == NULL)
    return;
  reason = g_strstrip (g_strdup (bb_form_text (form, "reason")));
  if (!read_date_field (form, "end-date", _("End date"), &end, &error) ||
      !bb_volunteer_stop (self->store, bb_volunteer_get_id (volunteer), end, reason, &error))
    show_error (self, _("Could Not Stop the Volunteer"), error);
}

static void
update_stop_form (BbVolunteersPage *self,
                  GtkWidget        *form)
{
  g_autofree char *end = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog = gtk_widget_get_ancestor (form, ADW_TYPE_MESSAGE_DIALOG);
  gboolean ok = read_date_field (form, "end-date", _("End date"), &end, &error);

  if (ok && end == NULL)
    {
      ok = FALSE;
      g_set_error_literal (&error, BB_VOLUNTEER_ERROR, BB_VOLUNTEER_ERROR_DATE, _("Type the date they stopped."));
    }
  bb_form_set_message (form, "error", ok ? NULL : error->message);
  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "stop", ok);
}

static void
open_stop_dialog (BbVolunteersPage *self)
{
  g_autofree char *today = g_strdup_printf ("%02u-%02u-%04u", g_date_get_day (&self->today),
                                            g_date_get_month (&self->today), g_date_get_year (&self->today));
  GtkWidget *dialog, *box, *group;

  dialog = bb_form_dialog_new (parent_window (self), _("Stop Volunteer?"), "stop", _("_Stop"), &box);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("Their details and hours stay. After the erase term they are listed for erasure."));
  g_object_set_data_full (G_OBJECT (dialog), "volunteer", g_object_ref (self->selected), g_object_unref);
  group = new_group (box, NULL);
  bb_form_entry_row (group, "end-date", _("End date"), today);
  bb_form_entry_row (group, "reason", _("Reason (optional)"), "");
  bb_form_message_label (box, "error", "error");
  g_signal_connect (dialog, "response", G_CALLBACK (on_stop_response_cb), self);
  bb_form_watch (box, (BbFormUpdateFunc) update_stop_form, self);
  update_stop_form (self, box);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_erase_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      BbVolunteersPage *self)
{
  BbVolunteer *volunteer = g_object_get_data (G_OBJECT (dialog), "volunteer");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "erase") || self->store == NULL)
    return;
  g_clear_object (&self->selected);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  if (!bb_volunteer_erase (self->store, bb_volunteer_get_id (volunteer), &error))
    show_error (self, _("Could Not Erase the Volunteer"), error);
}

static void
open_erase_dialog (BbVolunteersPage *self)
{
  g_autofree char *body = g_strdup_printf (_("All personal data of %s is removed from the council file. "
                                             "Their hours and payments stay, without a name, so reports stay right. "
                                             "This cannot be undone."),
                                           bb_volunteer_get_display_name (self->selected));
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), _("Erase Volunteer?"), body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "erase", _("_Erase"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "volunteer", g_object_ref (self->selected), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_erase_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Hours ---- */

/* "2:30", "2,5", "2.5" or "2" → minutes, at most @max_hours. */
static gboolean
parse_hours (const char *text,
             guint       max_hours,
             guint      *out_minutes)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  guint64 hours = 0, minutes = 0;
  char *colon = strchr (copy, ':');
  char *comma = strpbrk (copy, ",.");

  if (copy[0] == '\0')
    return FALSE;
  if (colon != NULL)
    {
      *colon = '\0';
      if (!g_ascii_string_to_unsigned (copy, 10, 0, max_hours, &hours, NULL) ||
          !g_ascii_string_to_unsigned (colon + 1, 10, 0, 59, &minutes, NULL) || strlen (colon + 1) != 2)
        return FALSE;
    }
  else if (comma != NULL)
    {
      g_autofree char *fraction = NULL;
      guint64 digits;

      *comma = '\0';
      fraction = g_strndup (comma + 1, 2);
      if ((copy[0] != '\0' && !g_ascii_string_to_unsigned (copy, 10, 0, max_hours, &hours, NULL)) ||
          !g_ascii_string_to_unsigned (fraction, 10, 0, 99, &digits, NULL) || strlen (comma + 1) > 2)
        return FALSE;
      minutes = strlen (fraction) == 1 ? digits * 6 : (digits * 60 + 50) / 100;
    }
  else if (!g_ascii_string_to_unsigned (copy, 10, 0, max_hours, &hours, NULL))
    return FALSE;

  *out_minutes = (guint) (hours * 60 + minutes);
  return *out_minutes > 0 && *out_minutes <= max_hours * 60;
}

static gboolean
read_hours_form (GtkWidget  *form,
                 char      **out_date,
                 guint      *out_minutes,
                 GError    **error)
{
  if (!read_date_field (form, "date", _("Date"), out_date, error))
    return FALSE;
  if (*out_date == NULL)
    return form_error (error, _("Type the date the work was done."));
  if (!parse_hours (bb_form_text (form, "hours"), 24, out_minutes))
    return form_error (error, _("Type the hours as 2:30 or 2,5 (at most 24)."));
  return TRUE;
}

static void
update_hours_form (BbVolunteersPage *self,
                   GtkWidget        *form)
{
  g_autofree char *date = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog = gtk_widget_get_ancestor (form, ADW_TYPE_MESSAGE_DIALOG);
  guint minutes = 0;
  gboolean ok = read_hours_form (form, &date, &minutes, &error);

  bb_form_set_message (form, "error", ok ? NULL : error->message);
  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "log", ok);
}

static void
on_hours_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      BbVolunteersPage *self)
{
  GtkWidget *form = g_object_get_data (G_OBJECT (dialog), "form");
  BbVolunteer *volunteer = g_object_get_data (G_OBJECT (dialog), "volunteer");
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *note = NULL;
  guint minutes = 0;

  if (!g_str_equal (response, "log") || self->store == NULL)
    return;
  note = g_strstrip (g_strdup (bb_form_text (form, "note")));
  if (!read_hours_form (form, &date, &minutes, &error) ||
      !bb_hours_add_manual (self->store, bb_volunteer_get_id (volunteer), NULL, date, minutes, note, NULL, &error))
    show_error (self, _("Could Not Log the Hours"), error);
}

static void
open_hours_dialog (BbVolunteersPage *self)
{
  g_autofree char *today = g_strdup_printf ("%02u-%02u-%04u", g_date_get_day (&self->today),
                                            g_date_get_month (&self->today), g_date_get_year (&self->today));
  GtkWidget *dialog, *box, *group;

  dialog = bb_form_dialog_new (parent_window (self), _("Log Hours"), "log", _("_Log"), &box);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), bb_volunteer_get_display_name (self->selected));
  g_object_set_data_full (G_OBJECT (dialog), "volunteer", g_object_ref (self->selected), g_object_unref);
  group = new_group (box, NULL);
  bb_form_entry_row (group, "date", _("Date"), today);
  bb_form_entry_row (group, "hours", _("Hours (such as 2:30)"), "");
  bb_form_entry_row (group, "note", _("What was done (optional)"), "");
  bb_form_message_label (box, "error", "error");
  g_signal_connect (dialog, "response", G_CALLBACK (on_hours_response_cb), self);
  bb_form_watch (box, (BbFormUpdateFunc) update_hours_form, self);
  update_hours_form (self, box);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Payments ---- */

static gboolean
read_payment_form (GtkWidget           *form,
                   BbAllowancePayment  *payment,
                   GError             **error)
{
  g_autofree char *hours_text = g_strstrip (g_strdup (bb_form_text (form, "paid-hours")));

  g_clear_pointer (&payment->date, g_free);
  payment->kind = form_selected (form, "kind") == 0 ? BB_PAYMENT_ALLOWANCE : BB_PAYMENT_EXPENSE;
  if (!read_date_field (form, "date", _("Date"), &payment->date, error))
    return FALSE;
  if (payment->date == NULL)
    return form_error (error, _("Type the date of the payment."));
  if (!bb_money_parse (bb_form_text (form, "amount"), &payment->amount_cents, NULL) || payment->amount_cents <= 0)
    return form_error (error, _("Type an amount such as 25,00."));
  payment->minutes = 0;
  if (payment->kind == BB_PAYMENT_ALLOWANCE && hours_text[0] != '\0' &&
      !parse_hours (hours_text, 1000, &payment->minutes))
    return form_error (error, _("Type the hours paid for as 2:30 or 2,5, or leave them empty."));
  g_free (payment->note);
  payment->note = g_strstrip (g_strdup (bb_form_text (form, "note")));
  return TRUE;
}

static void
update_payment_form (BbVolunteersPage *self,
                     GtkWidget        *form)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_widget_get_ancestor (form, ADW_TYPE_MESSAGE_DIALOG));
  BbAllowancePayment *payment = g_object_get_data (G_OBJECT (dialog), "payment");
  g_autoptr(GError) error = NULL;
  BbAllowanceBreach broken = BB_CAP_NONE;
  gboolean ok = read_payment_form (form, payment, &error);

  gtk_widget_set_visible (bb_form_find (form, "paid-hours"), payment->kind == BB_PAYMENT_ALLOWANCE);
  bb_form_set_message (form, "error", ok ? NULL : error->message);
  bb_form_set_message (form, "warning", NULL);
  g_object_set_data (G_OBJECT (dialog), "broken", GUINT_TO_POINTER (BB_CAP_NONE));

  /* Warn before the payment is made: one broken cap makes the whole
   * year's allowance taxable. */
  if (ok && payment->kind == BB_PAYMENT_ALLOWANCE)
    {
      g_autoptr(GError) check_error = NULL;

      if (!bb_allowance_check_payment (self->store, payment, &broken, &check_error))
        bb_form_set_message (form, "warning", check_error->message);
      else if (broken != BB_CAP_NONE)
        {
          g_autoptr(BbVolunteer) volunteer = bb_volunteer_get (self->store, payment->volunteer_id, NULL);
          BbAllowanceCaps caps;
          GDate date;

          bb_date_parse (payment->date, &date, NULL);
          if (volunteer != NULL && bb_allowance_get_caps (self->store, g_date_get_year (&date), &caps, NULL))
            {
              g_autofree char *why = bb_allowance_describe_breach (broken, &caps,
                                                                   bb_volunteer_get_age_band_on (volunteer, &date));

              bb_form_set_message (form, "warning", why);
            }
          g_object_set_data (G_OBJECT (dialog), "broken", GUINT_TO_POINTER (broken));
        }
    }
  adw_message_dialog_set_response_enabled (dialog, "pay", ok);
  adw_message_dialog_set_response_label (dialog, "pay", broken != BB_CAP_NONE ? _("_Record Anyway") : _("_Record"));
  adw_message_dialog_set_response_appearance (dialog, "pay", broken != BB_CAP_NONE ? ADW_RESPONSE_DESTRUCTIVE
                                                                                    : ADW_RESPONSE_SUGGESTED);
}

static void
on_payment_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        BbVolunteersPage *self)
{
  GtkWidget *form = g_object_get_data (G_OBJECT (dialog), "form");
  BbAllowancePayment *payment = g_object_get_data (G_OBJECT (dialog), "payment");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "pay") || self->store == NULL)
    return;
  if (!read_payment_form (form, payment, &error) ||
      !bb_allowance_add_payment (self->store, payment, NULL, &error))
    show_error (self, _("Could Not Record the Payment"), error);
}

static void
open_payment_dialog (BbVolunteersPage *self)
{
  g_autofree char *today = g_strdup_printf ("%02u-%02u-%04u", g_date_get_day (&self->today),
                                            g_date_get_month (&self->today), g_date_get_year (&self->today));
  const char *kinds[] = { _("Volunteer allowance"), _("Expenses against a receipt"), NULL };
  BbAllowancePayment *payment = bb_allowance_payment_new ();
  GtkWidget *dialog, *box, *group;

  payment->volunteer_id = g_strdup (bb_volunteer_get_id (self->selected));
  dialog = bb_form_dialog_new (parent_window (self), _("Record Payment"), "pay", _("_Record"), &box);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), bb_volunteer_get_display_name (self->selected));
  g_object_set_data_full (G_OBJECT (dialog), "payment", payment, (GDestroyNotify) bb_allowance_payment_free);
  group = new_group (box, NULL);
  bb_form_combo_row (group, "kind", _("Kind"),
                     kinds, bb_volunteer_get_allowance_kind (self->selected) == BB_ALLOWANCE_KIND_EXPENSES ? 1 : 0);
  bb_form_entry_row (group, "date", _("Date"), today);
  bb_form_entry_row (group, "amount", _("Amount (€)"), "");
  bb_form_entry_row (group, "paid-hours", _("Hours paid for (optional)"), "");
  bb_form_entry_row (group, "note", _("Note (optional)"), "");
  bb_form_message_label (box, "warning", "warning");
  bb_form_message_label (box, "error", "error");
  g_signal_connect (dialog, "response", G_CALLBACK (on_payment_response_cb), self);
  bb_form_watch (box, (BbFormUpdateFunc) update_payment_form, self);
  update_payment_form (self, box);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Consents ---- */

static void
on_consent_toggled_cb (GtkSwitch        *toggle,
                       GParamSpec       *pspec,
                       BbVolunteersPage *self)
{
  BbConsentKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "kind"));
  g_autofree char *today = bb_date_to_iso (&self->today);
  g_autoptr(GError) error = NULL;

  if (self->selected == NULL || self->store == NULL)
    return;
  if (!bb_volunteer_record_consent (self->store, bb_volunteer_get_id (self->selected), kind,
                                    gtk_switch_get_active (toggle), today, &error))
    show_error (self, _("Could Not Save the Consent"), error);
}

static void
on_availability_toggled_cb (GtkCheckButton   *toggle,
                            GParamSpec       *pspec,
                            BbVolunteersPage *self)
{
  GtkWidget *grid = gtk_widget_get_parent (GTK_WIDGET (toggle));
  g_autoptr(BbVolunteer) changed = NULL;
  g_autoptr(GError) error = NULL;

  if (self->selected == NULL || self->store == NULL)
    return;
  changed = bb_volunteer_copy (self->selected);
  bb_volunteer_set_availability (changed, availability_from_grid (grid));
  if (!bb_volunteer_save (self->store, changed, &error))
    show_error (self, _("Could Not Save the Volunteer"), error);
}

/* ---- Inzage and CSV export ---- */

static void
on_inzage_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  g_autoptr(BbVolunteersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = g_object_steal_data (G_OBJECT (self), "inzage-id");

  if (file == NULL || self->store == NULL || id == NULL)
    return;
  path = g_file_get_path (file);
  if (!bb_volunteer_inzage_write (self->store, id, path, &error))
    show_error (self, _("Could Not Write the Inzage"), error);
}

static void
export_inzage (BbVolunteersPage *self)
{
  g_autofree char *base = bb_volunteer_fold (bb_volunteer_get_display_name (self->selected));
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_strdelimit (base, " /\\:", '-');
  /* Translators: the suggested file name of an inzage export; %s is the
   * volunteer's name. Keep the .json ending. */
  name = g_strdup_printf (_("inzage-%s.json"), base);
  gtk_file_filter_set_name (filter, _("JSON (a readable HTML page is written beside it)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  g_object_set_data_full (G_OBJECT (self), "inzage-id", g_strdup (bb_volunteer_get_id (self->selected)), g_free);
  bb_compat_choose_file (parent_window (self), BB_FILE_CHOOSE_SAVE, _("Export Inzage"), _("_Export"),
                         NULL, name, filter, on_inzage_chosen_cb, g_object_ref (self));
}

static void
on_export_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  g_autoptr(BbVolunteersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  if (file == NULL || self->store == NULL)
    return;
  csv = bb_volunteer_export_csv (self->store, &error);
  if (csv == NULL ||
      !g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, NULL, &error))
    show_error (self, _("Could Not Export the Volunteers"), error);
}

/* ---- CSV import ---- */

typedef struct {
  BbVolunteersPage  *self;
  BbVolunteerImport *import;
  GtkWidget         *dialog;
  GtkWidget         *summary;
  GtkWidget         *preview;
  GtkWidget         *problems;
} ImportDialog;

static void
import_dialog_free (ImportDialog *state)
{
  g_clear_pointer (&state->import, bb_volunteer_import_free);
  g_object_unref (state->self);
  g_free (state);
}

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void
add_plain_row (GtkWidget  *list,
               const char *title,
               const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

static void
refresh_import (ImportDialog *state)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *valid, *problems;
  g_autofree char *summary = NULL;
  g_autofree char *importable = NULL;
  g_autofree char *skipped = NULL;
  g_autofree char *accept = NULL;

  clear_list (state->preview);
  clear_list (state->problems);

  if (!bb_volunteer_import_prepare (state->import, state->self->store, &error))
    {
      gtk_label_set_label (GTK_LABEL (state->summary), error->message);
      gtk_widget_add_css_class (state->summary, "error");
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (state->dialog), "import", FALSE);
      return;
    }
  gtk_widget_remove_css_class (state->summary, "error");

  valid = bb_volunteer_import_get_valid (state->import);
  problems = bb_volunteer_import_get_problems (state->import);
  for (guint i = 0; i < valid->len && i < 8; i++)
    {
      BbVolunteer *v = g_ptr_array_index (valid, i);
      g_autofree char *line = g_strdup_printf (_("Line %u"), bb_volunteer_import_get_line (state->import, i));
      g_autofree char *subtitle = g_strjoin (" · ", line, bb_volunteer_get_email (v), NULL);

      add_plain_row (state->preview, bb_volunteer_get_display_name (v), subtitle);
    }
  for (guint i = 0; i < problems->len; i++)
    {
      BbImportProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *line = g_strdup_printf (_("Line %u"), problem->line);

      add_plain_row (state->problems, line, problem->message);
    }
  gtk_widget_set_visible (gtk_widget_get_parent (state->problems), problems->len > 0);
  gtk_widget_set_visible (gtk_widget_get_parent (state->preview), valid->len > 0);

  /* Two sentences, so each number picks its own plural form. */
  importable = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u volunteer can be imported.",
                                             "%u volunteers can be imported.",
                                             valid->len),
                                valid->len);
  skipped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u line has a problem and is skipped.",
                                          "%u lines have a problem and are skipped.",
                                          problems->len),
                             problems->len);
  summary = problems->len > 0 ? g_strconcat (importable, " ", skipped, NULL) : g_strdup (importable);
  gtk_label_set_label (GTK_LABEL (state->summary), summary);
  accept = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Import %u Volunteer", "_Import %u Volunteers",
                                         valid->len), valid->len);
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (state->dialog), "import", accept);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (state->dialog), "import", valid->len > 0);
}

static void
on_mapping_changed_cb (AdwComboRow  *row,
                       GParamSpec   *pspec,
                       ImportDialog *state)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));

  bb_volunteer_import_set_mapping (state->import, column, (BbVolunteerField) adw_combo_row_get_selected (row));
  refresh_import (state);
}

static void
on_import_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       ImportDialog     *state)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!g_str_equal (response, "import") || state->self->store == NULL)
    return;
  if (!bb_volunteer_import_commit (state->import, state->self->store, &n, &error))
    show_error (state->self, _("Could Not Import the Volunteers"), error);
}

static GtkWidget *
boxed_list_in_group (GtkWidget  *box,
                     const char *title)
{
  GtkWidget *group = new_group (box, title);
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  return list;
}

static void
open_import_dialog (BbVolunteersPage  *self,
                    BbVolunteerImport *import)
{
  ImportDialog *state = g_new0 (ImportDialog, 1);
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  g_autofree char *body = NULL;
  GtkWidget *box, *group;

  state->self = g_object_ref (self);
  state->import = import;
  for (guint f = 0; f < BB_N_VOLUNTEER_FIELDS; f++)
    gtk_string_list_append (fields, bb_volunteer_field_get_label ((BbVolunteerField) f));

  state->dialog = bb_form_dialog_new (parent_window (self), _("Import Volunteers"), "import", _("_Import"), &box);
  /* Translators: %c is the separator (“;” or “,”), %s the text encoding. */
  body = g_strdup_printf (_("Check which column holds what. Nothing is imported until you confirm. "
                            "Columns separated by “%c”, text in %s."),
                          bb_volunteer_import_get_separator (import), bb_volunteer_import_get_encoding (import));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (state->dialog), body);

  group = new_group (box, _("Columns"));
  for (guint c = 0; c < bb_volunteer_import_get_n_columns (import); c++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autofree char *name = g_strdup_printf ("column-%u", c);
      const char *header = bb_volunteer_import_get_header (import, c);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), header != NULL && header[0] != '\0' ? header : name);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (fields));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), bb_volunteer_import_get_mapping (import, c));
      g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (c));
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_mapping_changed_cb), state);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  state->summary = gtk_label_new (NULL);
  gtk_widget_set_name (state->summary, "summary");
  gtk_label_set_wrap (GTK_LABEL (state->summary), TRUE);
  gtk_label_set_xalign (GTK_LABEL (state->summary), 0);
  gtk_box_append (GTK_BOX (box), state->summary);
  state->preview = boxed_list_in_group (box, _("Preview"));
  gtk_widget_set_name (state->preview, "preview");
  state->problems = boxed_list_in_group (box, _("Lines with a problem"));
  gtk_widget_set_name (state->problems, "problems");

  g_signal_connect_data (state->dialog, "response", G_CALLBACK (on_import_response_cb), state,
                         (GClosureNotify) (void (*) (void)) import_dialog_free, 0);
  refresh_import (state);
  gtk_window_present (GTK_WINDOW (state->dialog));
}

static void
on_import_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  g_autoptr(BbVolunteersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  BbVolunteerImport *import;

  if (file == NULL || self->store == NULL)
    return;
  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  import = bytes != NULL ? bb_volunteer_import_new (bytes, &error) : NULL;
  if (import == NULL)
    {
      show_error (self, _("Could Not Read the Spreadsheet"), error);
      return;
    }
  open_import_dialog (self, import);
}

/* ---- Detail ---- */

static GtkWidget *
info_row (GtkWidget  *group,
          const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL && value[0] != '\0' ? value : _("Not filled in"));
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
on_detail_button_clicked_cb (GtkButton        *button,
                             BbVolunteersPage *self)
{
  const char *what = gtk_widget_get_name (GTK_WIDGET (button));

  if (self->selected == NULL)
    return;
  if (g_str_equal (what, "edit"))
    open_volunteer_dialog (self, self->selected);
  else if (g_str_equal (what, "log-hours"))
    open_hours_dialog (self);
  else if (g_str_equal (what, "add-payment"))
    open_payment_dialog (self);
  else if (g_str_equal (what, "inzage"))
    export_inzage (self);
  else if (g_str_equal (what, "stop"))
    open_stop_dialog (self);
  else if (g_str_equal (what, "erase"))
    open_erase_dialog (self);
}

static GtkWidget *
detail_button (BbVolunteersPage *self,
               GtkWidget        *box,
               const char       *name,
               const char       *label,
               const char       *css_class)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  g_signal_connect (button, "clicked", G_CALLBACK (on_detail_button_clicked_cb), self);
  gtk_flow_box_append (GTK_FLOW_BOX (box), button);
  return button;
}

static void
add_vog (BbVolunteersPage *self,
         BbVolunteer      *v)
{
  GtkWidget *group = new_group (GTK_WIDGET (self->detail_box), _("VOG"));
  g_autofree char *issued = format_iso_date (bb_volunteer_get_vog_date (v));
  GDate due;
  gboolean is_due = bb_volunteer_vog_is_due (v, &self->today, self->vog_years, &due);
  GtkWidget *row;

  if (!bb_volunteer_get_vog_needed (v))
    {
      info_row (group, _("Needed"), _("No, their roles do not need one"));
      return;
    }
  info_row (group, _("Status"), bb_vog_status_get_label (bb_volunteer_get_vog_status (v)));
  info_row (group, _("Issue date"), issued);
  if (g_date_valid (&due))
    {
      g_autofree char *when = bb_date_format_long (&due);

      row = info_row (group, _("Request again on"), when);
    }
  else
    row = NULL;
  if (is_due)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      if (row == NULL)
        row = info_row (group, _("Request again on"), _("Now: the VOG is missing"));
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, _("VOG missing or due"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
    }
}

static void
add_consents (BbVolunteersPage *self,
              BbVolunteer      *v)
{
  GtkWidget *group = new_group (GTK_WIDGET (self->detail_box), _("Consents"));

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Each change is kept with today’s date."));
  for (guint k = 0; k < BB_N_CONSENT_KINDS; k++)
    {
      g_autofree char *date = NULL;
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      gboolean given = FALSE;
      gboolean known = bb_volunteer_get_consent (self->store, bb_volunteer_get_id (v), (BbConsentKind) k,
                                                 &given, &date, NULL);
      GtkWidget *toggle;
      char name[32];

      when = format_iso_date (date);
      if (!known)
        subtitle = g_strdup (_("Never asked"));
      else if (given)
        /* Translators: %s is a date. */
        subtitle = g_strdup_printf (_("Given on %s"), when);
      else
        subtitle = g_strdup_printf (_("Withdrawn on %s"), when);

      g_snprintf (name, sizeof name, "consent-%u", k);
      toggle = bb_form_switch_row (group, name, bb_consent_kind_get_label ((BbConsentKind) k), given);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (toggle, ADW_TYPE_ACTION_ROW)),
                                   subtitle);
      g_object_set_data (G_OBJECT (toggle), "kind", GUINT_TO_POINTER (k));
      g_signal_connect (toggle, "notify::active", G_CALLBACK (on_consent_toggled_cb), self);
    }
}

static void
add_allowance (BbVolunteersPage *self,
               BbVolunteer      *v)
{
  GtkWidget *group = new_group (GTK_WIDGET (self->detail_box), _("Allowance"));
  g_autoptr(GPtrArray) payments = bb_allowance_list_payments (self->store, bb_volunteer_get_id (v), 0, NULL);
  BbAllowanceKind kind = bb_volunteer_get_allowance_kind (v);
  BbAllowanceOverview overview;
  int year = g_date_get_year (&self->today);
  g_autofree char *agreement = NULL;
  g_autofree char *year_title = NULL;

  if (kind == BB_ALLOWANCE_KIND_HOURLY || kind == BB_ALLOWANCE_KIND_FIXED)
    {
      g_autofree char *amount = bb_money_format (bb_volunteer_get_allowance_cents (v));

      /* Translators: "Per hour: € 4,50". */
      agreement = g_strdup_printf (_("%s: %s"), bb_allowance_kind_get_label (kind), amount);
    }
  info_row (group, _("Agreement"), agreement != NULL ? agreement : bb_allowance_kind_get_label (kind));
  if (bb_volunteer_get_iban (v)[0] != '\0')
    {
      g_autofree char *iban = bb_iban_format (bb_volunteer_get_iban (v));

      info_row (group, _("IBAN"), iban);
    }

  /* Translators: %d is a year. */
  year_title = g_strdup_printf (_("Allowance in %d"), year);
  if (bb_allowance_year_overview (self->store, bb_volunteer_get_id (v), year, &overview, NULL))
    {
      g_autofree char *paid = bb_money_format (overview.year_cents);
      g_autofree char *month = bb_money_format (overview.month_cents[g_date_get_month (&self->today) - 1]);
      g_autofree char *expenses = bb_money_format (overview.expenses_cents);
      g_autofree char *year_line = NULL;
      g_autofree char *month_line = NULL;
      GtkWidget *row;

      if (overview.has_caps)
        {
          g_autofree char *year_cap = bb_money_format (overview.caps.year_cents);
          g_autofree char *month_cap = bb_money_format (overview.caps.month_cents);

          /* Translators: "€ 1.500,00 of at most € 2.200,00". */
          year_line = g_strdup_printf (_("%s of at most %s"), paid, year_cap);
          month_line = g_strdup_printf (_("%s of at most %s"), month, month_cap);
        }
      else
        {
          /* Translators: %s is an amount; %d a year without known limits. */
          year_line = g_strdup_printf (_("%s (no allowance limits known for %d)"), paid, year);
          month_line = g_strdup (month);
        }
      row = info_row (group, year_title, year_line);
      if (overview.broken != BB_CAP_NONE)
        {
          g_autofree char *why = bb_allowance_describe_breach (overview.broken, &overview.caps, overview.band);
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_widget_add_css_class (icon, "error");
          gtk_widget_set_tooltip_text (icon, why);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
          info_row (group, _("Limit broken"), why);
        }
      info_row (group, _("This month"), month_line);
      info_row (group, _("Expenses this year (not limited)"), expenses);
    }

  for (guint i = payments != NULL ? payments->len : 0; i > 0 && i + 10 > payments->len; i--)
    {
      BbAllowancePayment *p = g_ptr_array_index (payments, i - 1);
      g_autofree char *when = format_iso_date (p->date);
      g_autofree char *amount = bb_money_format (p->amount_cents);
      g_autofree char *title = g_strdup_printf ("%s · %s", when, amount);
      const char *what = p->kind == BB_PAYMENT_EXPENSE ? _("Expenses") : _("Allowance");
      g_autofree char *subtitle = p->note != NULL && p->note[0] != '\0'
                                    ? g_strdup_printf ("%s · %s", what, p->note) : g_strdup (what);

      info_row (group, title, subtitle);
    }
}

static void
add_hours (BbVolunteersPage *self,
           BbVolunteer      *v)
{
  GtkWidget *group = new_group (GTK_WIDGET (self->detail_box), _("Hours"));
  g_autoptr(GPtrArray) hours = bb_hours_list_for_volunteer (self->store, bb_volunteer_get_id (v), NULL);
  g_autoptr(GHashTable) titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  int year = g_date_get_year (&self->today);
  gint64 this_year = bb_hours_total_for_volunteer (self->store, bb_volunteer_get_id (v), year, NULL);
  gint64 all = bb_hours_total_for_volunteer (self->store, bb_volunteer_get_id (v), 0, NULL);
  g_autofree char *this_text = bb_hours_format_minutes (this_year);
  g_autofree char *all_text = bb_hours_format_minutes (all);
  g_autofree char *year_title = g_strdup_printf (_("Hours in %d"), year);
  GtkWidget *row;

  row = info_row (group, year_title, this_text);
  gtk_widget_set_name (row, "hours-this-year");
  info_row (group, _("All hours"), all_text);

  for (guint i = 0; hours != NULL && i < hours->len && i < MAX_HOURS_SHOWN; i++)
    {
      BbHoursEntry *entry = g_ptr_array_index (hours, i);
      g_autofree char *when = format_iso_date (entry->date);
      g_autofree char *amount = bb_hours_format_minutes (entry->minutes);
      g_autofree char *title = g_strdup_printf ("%s · %s", when, amount);
      const char *what = entry->note;

      if (entry->activity_id != NULL)
        {
          if (!g_hash_table_contains (titles, entry->activity_id))
            {
              g_autoptr(BbActivity) activity = bb_programme_get_activity (self->store, entry->activity_id, NULL);

              g_hash_table_insert (titles, g_strdup (entry->activity_id),
                                   g_strdup (activity != NULL ? bb_activity_get_title (activity) : ""));
            }
          what = g_hash_table_lookup (titles, entry->activity_id);
        }
      info_row (group, title, what != NULL && what[0] != '\0' ? what
                : entry->source == BB_HOURS_SOURCE_CONFIRMED ? _("Confirmed after an activity") : _("Logged by hand"));
    }
}

static void
clear_detail (BbVolunteersPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
}

static void
show_volunteer (BbVolunteersPage *self,
                BbVolunteer      *volunteer)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *skills = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *born = NULL;
  GtkWidget *title, *label, *buttons, *group, *grid, *avail_group;
  BbVolunteer *v;
  const char *band = NULL;

  if (volunteer == NULL)
    {
      g_clear_object (&self->selected);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }
  /* @volunteer may be self->selected itself */
  g_object_ref (volunteer);
  g_clear_object (&self->selected);
  self->selected = volunteer;
  v = volunteer;
  clear_detail (self);

  title = gtk_label_new (bb_volunteer_get_display_name (v));
  gtk_widget_set_name (title, "name");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-2");
  gtk_box_append (self->detail_box, title);

  subtitle = bb_volunteer_get_status (v) == BB_VOLUNTEER_STATUS_STOPPED &&
             bb_volunteer_get_stop_reason (v)[0] != '\0'
               ? g_strdup_printf ("%s · %s", bb_volunteer_status_get_label (bb_volunteer_get_status (v)),
                                  bb_volunteer_get_stop_reason (v))
               : g_strdup (bb_volunteer_status_get_label (bb_volunteer_get_status (v)));
  label = gtk_label_new (subtitle);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (self->detail_box, label);

  if (bb_volunteer_is_for_erasure (v, &self->today, self->erase_months))
    {
      GtkWidget *banner = gtk_label_new (_("Stopped longer ago than the erase term: erase their personal data."));

      gtk_label_set_wrap (GTK_LABEL (banner), TRUE);
      gtk_label_set_xalign (GTK_LABEL (banner), 0);
      gtk_widget_add_css_class (banner, "warning");
      gtk_box_append (self->detail_box, banner);
    }

  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  detail_button (self, buttons, "edit", _("_Edit"), NULL);
  detail_button (self, buttons, "log-hours", _("_Log Hours"), NULL);
  detail_button (self, buttons, "add-payment", _("Record _Payment"), NULL);
  detail_button (self, buttons, "inzage", _("_Inzage…"), NULL);
  if (bb_volunteer_get_status (v) != BB_VOLUNTEER_STATUS_STOPPED)
    detail_button (self, buttons, "stop", _("_Stop…"), NULL);
  detail_button (self, buttons, "erase", _("E_rase…"), "destructive-action");
  gtk_box_append (self->detail_box, buttons);

  group = new_group (GTK_WIDGET (self->detail_box), _("Contact"));
  info_row (group, _("E-mail"), bb_volunteer_get_email (v));
  info_row (group, _("Phone"), bb_volunteer_get_phone (v));
  info_row (group, _("Address"), bb_volunteer_get_address (v));
  info_row (group, _("Emergency contact"), bb_volunteer_get_emergency_contact (v));
  switch (bb_volunteer_get_age_band (v))
    {
    case BB_AGE_BAND_UNDER_21: band = _("Under 21"); break;
    case BB_AGE_BAND_21_PLUS: band = _("21 or over"); break;
    case BB_AGE_BAND_UNKNOWN:
    default: band = NULL; break;
    }
  if (bb_volunteer_get_birth_year (v) != 0)
    /* Translators: %u is a year. */
    born = g_strdup_printf (_("Born in %u"), bb_volunteer_get_birth_year (v));
  info_row (group, _("Age"), born != NULL ? born : band);

  group = new_group (GTK_WIDGET (self->detail_box), _("Work"));
  skills = g_strjoinv (", ", (GStrv) bb_volunteer_get_skills (v));
  info_row (group, _("Skills"), skills);
  info_row (group, _("Roles"), bb_volunteer_get_roles (v));
  start = format_iso_date (bb_volunteer_get_start_date (v));
  info_row (group, _("Start date"), start);
  if (bb_volunteer_get_end_date (v) != NULL)
    {
      end = format_iso_date (bb_volunteer_get_end_date (v));
      info_row (group, _("End date"), end);
    }
  info_row (group, _("Notes"), bb_volunteer_get_notes (v));

  avail_group = new_group (GTK_WIDGET (self->detail_box), _("Availability"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (avail_group),
                                         _("When they can usually help; a change is saved at once."));
  grid = availability_grid (bb_volunteer_get_availability (v));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (avail_group), grid);
  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_CHECK_BUTTON (child))
      g_signal_connect (child, "notify::active", G_CALLBACK (on_availability_toggled_cb), self);

  add_vog (self, v);
  add_consents (self, v);
  add_allowance (self, v);
  add_hours (self, v);

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
}

/* ---- Actions ---- */

static void
bb_volunteers_page_add_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  open_volunteer_dialog (BB_VOLUNTEERS_PAGE (widget), NULL);
}

static void
bb_volunteers_page_back_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  BbVolunteersPage *self = BB_VOLUNTEERS_PAGE (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
bb_volunteers_page_import_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  BbVolunteersPage *self = BB_VOLUNTEERS_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Spreadsheet as CSV"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  gtk_file_filter_add_pattern (filter, "*.txt");
  bb_compat_choose_file (parent_window (self), BB_FILE_CHOOSE_OPEN, _("Import Volunteers"), _("_Open"),
                         NULL, NULL, filter, on_import_chosen_cb, g_object_ref (self));
}

static void
bb_volunteers_page_export_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  BbVolunteersPage *self = BB_VOLUNTEERS_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Spreadsheet as CSV"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  /* Translators: the suggested file name of the volunteer export. */
  bb_compat_choose_file (parent_window (self), BB_FILE_CHOOSE_SAVE, _("Export Volunteers"), _("_Export"),
                         NULL, _("volunteers.csv"), filter, on_export_chosen_cb, g_object_ref (self));
}

/* ---- Object ---- */

static void
bb_volunteers_page_dispose (GObject *object)
{
  BbVolunteersPage *self = BB_VOLUNTEERS_PAGE (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->store);
  g_clear_object (&self->selected);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_VOLUNTEERS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->volunteers);
  g_clear_object (&self->skills);

  G_OBJECT_CLASS (bb_volunteers_page_parent_class)->dispose (object);
}

static void
bb_volunteers_page_finalize (GObject *object)
{
  BbVolunteersPage *self = BB_VOLUNTEERS_PAGE (object);

  g_strfreev (self->search_words);
  g_free (self->search_text);

  G_OBJECT_CLASS (bb_volunteers_page_parent_class)->finalize (object);
}

static void
bb_volunteers_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BbVolunteersPage *self = BB_VOLUNTEERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_volunteers_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BbVolunteersPage *self = BB_VOLUNTEERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_volunteers_page_class_init (BbVolunteersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_volunteers_page_dispose;
  object_class->finalize = bb_volunteers_page_finalize;
  object_class->get_property = bb_volunteers_page_get_property;
  object_class->set_property = bb_volunteers_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-volunteers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, show_filter);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, skill_filter);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, time_filter);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, detail_pane);
  gtk_widget_class_bind_template_child (widget_class, BbVolunteersPage, detail_scroll);

  gtk_widget_class_install_action (widget_class, "volunteers.add", NULL, bb_volunteers_page_add_action);
  gtk_widget_class_install_action (widget_class, "volunteers.back", NULL, bb_volunteers_page_back_action);
  gtk_widget_class_install_action (widget_class, "volunteers.import", NULL, bb_volunteers_page_import_action);
  gtk_widget_class_install_action (widget_class, "volunteers.export", NULL, bb_volunteers_page_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "volunteers.add", NULL);
}

static void
bb_volunteers_page_init (BbVolunteersPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkStringList) shows = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) times = gtk_string_list_new (NULL);
  static const char * const day_names[] = {
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"),
  };
  const char *all_skills[] = { _("All skills"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a bound template child: AdwBin unparents its own child, and a
   * bound direct child would be unparented twice. */
  self->leaflet = ADW_LEAFLET (adw_bin_get_child (ADW_BIN (self)));
  set_today (self);
  self->vog_years = 3;
  self->erase_months = 24;

  self->volunteers = G_LIST_MODEL (g_list_store_new (BB_TYPE_VOLUNTEER));
  self->filter = gtk_custom_filter_new (filter_volunteer, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->volunteers)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  gtk_string_list_append (shows, _("All volunteers"));
  gtk_string_list_append (shows, bb_volunteer_status_get_label (BB_VOLUNTEER_STATUS_REGISTERED));
  gtk_string_list_append (shows, bb_volunteer_status_get_label (BB_VOLUNTEER_STATUS_ACTIVE));
  gtk_string_list_append (shows, bb_volunteer_status_get_label (BB_VOLUNTEER_STATUS_STOPPED));
  gtk_string_list_append (shows, _("VOG missing or due"));
  gtk_string_list_append (shows, _("For erasure"));
  gtk_drop_down_set_model (self->show_filter, G_LIST_MODEL (shows));

  self->skills = gtk_string_list_new (all_skills);
  gtk_drop_down_set_model (self->skill_filter, G_LIST_MODEL (self->skills));
  gtk_drop_down_set_expression (self->skill_filter,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));

  gtk_string_list_append (times, _("Any time"));
  for (guint d = 0; d < 7; d++)
    for (guint p = 0; p < BB_N_DAY_PARTS; p++)
      {
        g_autofree char *label = g_strdup_printf (C_("availability toggle", "%s %s"), _(day_names[d]),
                                                  bb_day_part_get_label ((BbDayPart) p));

        gtk_string_list_append (times, label);
      }
  gtk_drop_down_set_model (self->time_filter, G_LIST_MODEL (times));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_grid_view_set_factory (self->list_view, factory);
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_row_activated_cb), self);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect (self->show_filter, "notify::selected", G_CALLBACK (on_filter_selected_cb), self);
  g_signal_connect (self->skill_filter, "notify::selected", G_CALLBACK (on_filter_selected_cb), self);
  g_signal_connect (self->time_filter, "notify::selected", G_CALLBACK (on_filter_selected_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), self);
  update_list_stack (self);
}

/* ---- Public API ---- */

void
bb_volunteers_page_load (BbVolunteersPage *self)
{
  g_return_if_fail (BB_IS_VOLUNTEERS_PAGE (self));

  if (!self->loaded)
    reload (self);
}

GListModel *
bb_volunteers_page_get_model (BbVolunteersPage *self)
{
  g_return_val_if_fail (BB_IS_VOLUNTEERS_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

void
bb_volunteers_page_set_search (BbVolunteersPage *self,
                               const char       *text)
{
  g_return_if_fail (BB_IS_VOLUNTEERS_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* The entry waits a moment before it says "search-changed"; a caller
   * (a test, the benchmark) wants the list filtered now. */
  on_search_changed_cb (self->search_entry, self);
}

void
bb_volunteers_page_select (BbVolunteersPage *self,
                           const char       *volunteer_id)
{
  g_autoptr(BbVolunteer) volunteer = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BB_IS_VOLUNTEERS_PAGE (self));
  g_return_if_fail (volunteer_id != NULL);

  volunteer = bb_volunteer_get (self->store, volunteer_id, &error);
  if (volunteer == NULL)
    {
      show_error (self, _("Could Not Read the Volunteers"), error);
      return;
    }
  show_volunteer (self, volunteer);
}

BbVolunteer *
bb_volunteers_page_get_selected (BbVolunteersPage *self)
{
  g_return_val_if_fail (BB_IS_VOLUNTEERS_PAGE (self), NULL);
  return self->selected;
}
