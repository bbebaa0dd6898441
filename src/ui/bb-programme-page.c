/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-compat.h"
#include "bb-date.h"
#include "bb-form.h"
#include "bb-hours.h"
#include "bb-programme-ics.h"
#include "bb-programme-page.h"
#include "bb-programme-row.h"
#include "bb-volunteer.h"

struct _BbProgrammePage
{
  AdwBin              parent_instance;

  AdwLeaflet         *leaflet;
  GtkLabel           *year_label;
  GtkToggleButton    *calendar_toggle;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *theme_filter;
  GtkDropDown        *status_filter;
  GtkStack           *list_stack;
  GtkGridView        *list_view;
  GtkCalendar        *calendar;
  GtkListBox         *day_list;
  GtkStack           *detail_stack;
  GtkBox             *detail_box;
  GtkWidget          *detail_pane;

  BbStore            *store;
  gulong              changed_handler;
  gboolean            loaded;
  int                 year;

  GListStore         *occurrences;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  GtkStringList      *themes;
  GPtrArray          *search_words;     /* casefolded */
  guint               theme_shown;      /* the filters the list shows */
  guint               status_shown;
  GDateTime          *now;

  BbOccurrence       *selected;
  GHashTable         *volunteer_names;  /* id → display name, while shown */
  GHashTable         *bound;            /* GtkListItem, the rows on screen */
};

G_DEFINE_FINAL_TYPE (BbProgrammePage, bb_programme_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The status filter's entries, after "All statuses". */
static const BbActivityStatus status_order[] = {
  BB_ACTIVITY_STATUS_PLANNED,
  BB_ACTIVITY_STATUS_CONFIRMED,
  BB_ACTIVITY_STATUS_DONE,
  BB_ACTIVITY_STATUS_CANCELLED,
};

static void show_occurrence (BbProgrammePage *self, BbOccurrence *occurrence);
static void reload (BbProgrammePage *self);

static GtkWindow *
parent_window (BbProgrammePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (BbProgrammePage *self,
            const char      *heading,
            const GError    *error)
{
  bb_compat_show_message (parent_window (self), heading, error->message);
}

static const char *
status_css_class (BbActivityStatus status)
{
  switch (status)
    {
    case BB_ACTIVITY_STATUS_DONE:
      return "success";
    case BB_ACTIVITY_STATUS_CANCELLED:
      return "error";
    case BB_ACTIVITY_STATUS_CONFIRMED:
      return "accent";
    case BB_ACTIVITY_STATUS_PLANNED:
    default:
      return "dim-label";
    }
}

static const char *
volunteer_name (BbProgrammePage *self,
                const char      *id)
{
  const char *name;

  /* The light list rows carry the names: nothing else is needed here. */
  if (self->volunteer_names == NULL)
    {
      g_autoptr(GListModel) all = bb_volunteer_list_rows (self->store, NULL);

      self->volunteer_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; all != NULL && i < g_list_model_get_n_items (all); i++)
        {
          g_autoptr(BbVolunteer) volunteer = g_list_model_get_item (all, i);

          g_hash_table_insert (self->volunteer_names, g_strdup (bb_volunteer_get_id (volunteer)),
                               g_strdup (bb_volunteer_get_display_name (volunteer)));
        }
    }

  name = g_hash_table_lookup (self->volunteer_names, id);
  return name != NULL ? name : _("Unknown volunteer");
}

/* ---- Filtering ---- */

static gboolean
filter_occurrence (gpointer item,
                   gpointer user_data)
{
  BbProgrammePage *self = user_data;
  BbOccurrence *occurrence = item;
  BbActivity *activity = bb_occurrence_get_activity (occurrence);
  guint theme = gtk_drop_down_get_selected (self->theme_filter);
  guint status = gtk_drop_down_get_selected (self->status_filter);
  const char *text;

  if (theme != GTK_INVALID_LIST_POSITION && theme > 0 &&
      g_strcmp0 (gtk_string_list_get_string (self->themes, theme), bb_activity_get_theme (activity)) != 0)
    return FALSE;

  if (status != GTK_INVALID_LIST_POSITION && status > 0 &&
      bb_occurrence_get_status (occurrence) != status_order[status - 1])
    return FALSE;

  if (self->search_words->len == 0)
    return TRUE;

  text = bb_occurrence_get_search_text (occurrence);
  for (guint i = 0; i < self->search_words->len; i++)
    if (strstr (text, g_ptr_array_index (self->search_words, i)) == NULL)
      return FALSE;

  return TRUE;
}

static void
update_list_stack (BbProgrammePage *self)
{
  const char *page;

  if (gtk_toggle_button_get_active (self->calendar_toggle))
    page = "calendar";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->occurrences)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    page = "no-results";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->list_stack, page);
}

static void update_headings (BbProgrammePage *self);

/* Tells the list how the filter changed. A stricter filter only tests
 * the rows still shown and a looser one only those hidden, and the rows
 * that stay keep their widgets: typing a letter costs the rows that go,
 * not the whole list. */
static void
refilter (BbProgrammePage *self,
          GtkFilterChange  change)
{
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_headings (self);
  update_list_stack (self);
}

/* Whether every word of @words occurs inside some word of @within: then
 * text matching all of @within also matches all of @words. */
static gboolean
words_implied (GPtrArray *words,
               GPtrArray *within)
{
  for (guint i = 0; i < words->len; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < within->len && !found; j++)
        found = strstr (g_ptr_array_index (within, j), g_ptr_array_index (words, i)) != NULL;
      if (!found)
        return FALSE;
    }

  return TRUE;
}

static void
on_search_changed_cb (GtkSearchEntry  *entry,
                      BbProgrammePage *self)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *folded = bb_activity_fold_search_text (gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_autoptr(GPtrArray) before = g_steal_pointer (&self->search_words);
  gboolean stricter, looser;

  self->search_words = g_ptr_array_new_with_free_func (g_free);
  words = g_strsplit_set (folded, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (self->search_words, g_strdup (words[i]));

  stricter = words_implied (before, self->search_words);
  looser = words_implied (self->search_words, before);
  if (stricter && looser)
    return;
  refilter (self, stricter ? GTK_FILTER_CHANGE_MORE_STRICT
                           : looser ? GTK_FILTER_CHANGE_LESS_STRICT : GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_filter_selected_cb (GObject         *drop_down,
                       GParamSpec      *pspec,
                       BbProgrammePage *self)
{
  guint *before = drop_down == G_OBJECT (self->theme_filter) ? &self->theme_shown : &self->status_shown;
  guint now = gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down));
  gboolean was_all = *before == 0 || *before == GTK_INVALID_LIST_POSITION;
  gboolean is_all = now == 0 || now == GTK_INVALID_LIST_POSITION;

  if (now == *before)
    return;
  *before = now;
  /* From "All" to one is stricter, from one to "All" looser. */
  refilter (self, was_all ? GTK_FILTER_CHANGE_MORE_STRICT
                          : is_all ? GTK_FILTER_CHANGE_LESS_STRICT : GTK_FILTER_CHANGE_DIFFERENT);
}

/* ---- List rows ---- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              BbProgrammePage          *self)
{
  gtk_list_item_set_child (item, bb_programme_row_new ());
}

static gboolean
is_past (BbProgrammePage *self,
         BbOccurrence    *occurrence)
{
  return g_date_time_compare (bb_occurrence_get_end (occurrence), self->now) < 0;
}

/* "Upcoming" and "Past" split the list; within each, one heading per
 * month: a row has a heading when the row above it is in another part or
 * month. Only the rows on screen are asked, so this costs the same for
 * 5,000 activities as for 5. */
static char *
heading_at (BbProgrammePage *self,
            guint            position)
{
  GListModel *model = G_LIST_MODEL (self->filtered);
  g_autoptr(BbOccurrence) occurrence = g_list_model_get_item (model, position);
  g_autoptr(BbOccurrence) above = position > 0 ? g_list_model_get_item (model, position - 1) : NULL;
  GDateTime *start;
  gboolean past;
  int month;

  if (occurrence == NULL)
    return NULL;

  start = bb_occurrence_get_start (occurrence);
  month = g_date_time_get_month (start);
  past = is_past (self, occurrence);
  if (above != NULL && is_past (self, above) == past)
    {
      GDateTime *above_start = bb_occurrence_get_start (above);

      if (g_date_time_get_month (above_start) == month &&
          g_date_time_get_year (above_start) == g_date_time_get_year (start))
        return NULL;
    }

  return past && (above == NULL || !is_past (self, above))
    /* Translators: heading above the activities that are over; %s is a month */
    ? g_strdup_printf (_("Past · %s"), bb_programme_month_name (month))
    : g_strdup (bb_programme_month_name (month));
}

static void
set_row_heading (BbProgrammePage *self,
                 GtkListItem     *item)
{
  g_autofree char *heading = heading_at (self, gtk_list_item_get_position (item));

  bb_programme_row_set_heading (BB_PROGRAMME_ROW (gtk_list_item_get_child (item)), heading);
}

/* After a filter change the rows that stay are not bound again, but the
 * row above them may be another one now. */
static void
update_headings (BbProgrammePage *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    set_row_heading (self, item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               BbProgrammePage          *self)
{
  g_hash_table_remove (self->bound, item);
}

static BbProgrammeRowTone
status_tone (BbActivityStatus status)
{
  switch (status)
    {
    case BB_ACTIVITY_STATUS_DONE:
      return BB_PROGRAMME_ROW_TONE_SUCCESS;
    case BB_ACTIVITY_STATUS_CANCELLED:
      return BB_PROGRAMME_ROW_TONE_ERROR;
    case BB_ACTIVITY_STATUS_CONFIRMED:
      return BB_PROGRAMME_ROW_TONE_ACCENT;
    case BB_ACTIVITY_STATUS_PLANNED:
    default:
      return BB_PROGRAMME_ROW_TONE_DIM;
    }
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             BbProgrammePage          *self)
{
  BbOccurrence *occurrence = gtk_list_item_get_item (item);
  BbActivity *activity = bb_occurrence_get_activity (occurrence);
  BbActivityStatus st = bb_occurrence_get_status (occurrence);
  g_autofree char *day = bb_programme_format_short_date (bb_occurrence_get_start (occurrence));
  g_autofree char *time = bb_programme_format_time_range (bb_occurrence_get_start (occurrence),
                                                          bb_occurrence_get_end (occurrence),
                                                          bb_activity_get_all_day (activity));
  g_autofree char *sub = bb_activity_get_location (activity)[0] != '\0'
    ? g_strdup_printf ("%s · %s", time, bb_activity_get_location (activity))
    : NULL;

  g_hash_table_add (self->bound, item);
  set_row_heading (self, item);
  bb_programme_row_set (BB_PROGRAMME_ROW (gtk_list_item_get_child (item)), day,
                        bb_activity_get_title (activity), sub != NULL ? sub : time,
                        bb_activity_status_get_label (st), status_tone (st));
}

static void
on_row_activated_cb (GtkGridView     *view,
                     guint            position,
                     BbProgrammePage *self)
{
  g_autoptr(BbOccurrence) occurrence = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (occurrence != NULL)
    show_occurrence (self, occurrence);
}

/* ---- The month calendar ---- */

static void
update_calendar (BbProgrammePage *self)
{
  g_autoptr(GDateTime) shown = gtk_calendar_get_date (self->calendar);
  GtkWidget *child;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  gtk_calendar_clear_marks (self->calendar);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->day_list))) != NULL)
    gtk_list_box_remove (self->day_list, child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BbOccurrence) occurrence = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);
      GDateTime *start = bb_occurrence_get_start (occurrence);

      if (g_date_time_get_year (start) != g_date_time_get_year (shown) ||
          g_date_time_get_month (start) != g_date_time_get_month (shown))
        continue;

      gtk_calendar_mark_day (self->calendar, g_date_time_get_day_of_month (start));
      if (g_date_time_get_day_of_month (start) == g_date_time_get_day_of_month (shown))
        {
          BbActivity *activity = bb_occurrence_get_activity (occurrence);
          GtkWidget *row = adw_action_row_new ();
          g_autofree char *time = bb_programme_format_time_range (start, bb_occurrence_get_end (occurrence),
                                                                  bb_activity_get_all_day (activity));
          g_autofree char *title = g_markup_escape_text (bb_activity_get_title (activity), -1);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), time);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "occurrence", g_object_ref (occurrence), g_object_unref);
          gtk_list_box_append (self->day_list, row);
        }
    }

  if (gtk_widget_get_first_child (GTK_WIDGET (self->day_list)) == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing planned on this day"));
      gtk_list_box_append (self->day_list, row);
    }
}

static void
on_day_row_activated_cb (GtkListBox      *box,
                         GtkListBoxRow   *row,
                         BbProgrammePage *self)
{
  BbOccurrence *occurrence = g_object_get_data (G_OBJECT (row), "occurrence");

  if (occurrence != NULL)
    show_occurrence (self, occurrence);
}

static void
on_calendar_changed_cb (GtkCalendar     *calendar,
                        BbProgrammePage *self)
{
  update_calendar (self);
}

static void
on_calendar_toggled_cb (GtkToggleButton *button,
                        BbProgrammePage *self)
{
  if (gtk_toggle_button_get_active (button))
    update_calendar (self);
  update_list_stack (self);
}

/* ---- Loading ---- */

static void
reload (BbProgrammePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) ordered = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_auto(GStrv) themes = NULL;
  g_autofree char *year_text = NULL;
  g_autofree char *keep_theme = NULL;
  guint theme_index;

  if (self->store == NULL)
    return;

  self->loaded = TRUE;
  g_clear_pointer (&self->volunteer_names, g_hash_table_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_new_now (bb_programme_get_timezone ());

  year_text = g_strdup_printf ("%d", self->year);
  gtk_label_set_label (self->year_label, year_text);

  from = bb_programme_time_new (self->year, 1, 1, 0, 0);
  to = bb_programme_time_new (self->year + 1, 1, 1, 0, 0);
  all = bb_programme_list_occurrences (self->store, from, to, &error);
  if (all == NULL)
    {
      show_error (self, _("Could Not Read the Programme"), error);
      return;
    }

  /* Upcoming first, the past below, both in date order. */
  ordered = g_ptr_array_new_full (all->len, NULL);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < all->len; i++)
      {
        BbOccurrence *occurrence = g_ptr_array_index (all, i);
        gboolean past = g_date_time_compare (bb_occurrence_get_end (occurrence), self->now) < 0;

        if (past == (pass == 1))
          g_ptr_array_add (ordered, occurrence);
      }

  /* The themes, keeping the one chosen. */
  theme_index = gtk_drop_down_get_selected (self->theme_filter);
  if (theme_index != GTK_INVALID_LIST_POSITION && theme_index > 0)
    keep_theme = g_strdup (gtk_string_list_get_string (self->themes, theme_index));
  themes = bb_programme_list_themes (self->store, NULL);
  g_signal_handlers_block_by_func (self->theme_filter, on_filter_selected_cb, self);
  gtk_string_list_splice (self->themes, 1, g_list_model_get_n_items (G_LIST_MODEL (self->themes)) - 1,
                          (const char * const *) themes);
  gtk_drop_down_set_selected (self->theme_filter, 0);
  for (guint i = 0; keep_theme != NULL && themes != NULL && themes[i] != NULL; i++)
    if (g_str_equal (themes[i], keep_theme))
      gtk_drop_down_set_selected (self->theme_filter, i + 1);
  self->theme_shown = gtk_drop_down_get_selected (self->theme_filter);
  g_signal_handlers_unblock_by_func (self->theme_filter, on_filter_selected_cb, self);

  /* The filter model tests the new rows as they come in. */
  g_list_store_splice (self->occurrences, 0, g_list_model_get_n_items (G_LIST_MODEL (self->occurrences)),
                       ordered->pdata, ordered->len);
  update_headings (self);
  update_list_stack (self);
  if (gtk_toggle_button_get_active (self->calendar_toggle))
    update_calendar (self);

  /* The detail shows the same date again, as it is now. */
  if (self->selected != NULL)
    {
      g_autoptr(BbOccurrence) again = NULL;
      BbActivity *activity = bb_occurrence_get_activity (self->selected);

      again = bb_programme_get_occurrence (self->store, bb_activity_get_id (activity),
                                           bb_activity_is_recurring (activity)
                                             ? bb_occurrence_get_recurrence_id (self->selected) : NULL,
                                           NULL);
      show_occurrence (self, again);
    }
}

static void
on_store_changed_cb (BbStore         *store,
                     BbProgrammePage *self)
{
  /* A hidden page reads the file again when it is shown. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  else
    self->loaded = FALSE;
}

static void
on_map_cb (GtkWidget       *widget,
           BbProgrammePage *self)
{
  if (!self->loaded)
    reload (self);
}

static void
set_store (BbProgrammePage *self,
           BbStore         *store)
{
  if (self->store == store)
    return;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_set_object (&self->store, store);
  g_clear_object (&self->selected);
  g_list_store_remove_all (self->occurrences);
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

static GtkWidget *
spin_row (GtkWidget  *group,
          const char *name,
          const char *title,
          double      value,
          double      max,
          double      step,
          guint       digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, step);

  gtk_widget_set_name (spin, name);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return spin;
}

/* "10:00", "9.30", "930" → minutes since midnight. */
static gboolean
parse_clock (const char *text,
             int        *out_hour,
             int        *out_minute)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  int hour = -1, minute = 0;
  char rest;

  if (sscanf (copy, "%d:%d%c", &hour, &minute, &rest) != 2 &&
      sscanf (copy, "%d.%d%c", &hour, &minute, &rest) != 2 &&
      sscanf (copy, "%d%c", &hour, &rest) != 1)
    return FALSE;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return FALSE;
  *out_hour = hour;
  *out_minute = minute;
  return TRUE;
}

/* ---- The activity dialog ---- */

typedef enum {
  REPEAT_NONE,
  REPEAT_WEEKLY,
  REPEAT_FORTNIGHTLY,
  REPEAT_MONTHLY_WEEKDAY,
  REPEAT_MONTHLY_LAST_WEEKDAY,
  REPEAT_MONTHLY_DAY,
  REPEAT_YEARLY,
  REPEAT_KEEP,     /* a rule this dialog cannot make: kept as it is */
} Repeat;

static const char * const ical_days[] = { "", "MO", "TU", "WE", "TH", "FR", "SA", "SU" };

static char *
rule_for (Repeat     repeat,
          GDateTime *start,
          const char *kept)
{
  int weekday = g_date_time_get_day_of_week (start);
  int day = g_date_time_get_day_of_month (start);

  switch (repeat)
    {
    case REPEAT_WEEKLY:
      return g_strdup_printf ("FREQ=WEEKLY;BYDAY=%s", ical_days[weekday]);
    case REPEAT_FORTNIGHTLY:
      return g_strdup_printf ("FREQ=WEEKLY;INTERVAL=2;BYDAY=%s", ical_days[weekday]);
    case REPEAT_MONTHLY_WEEKDAY:
      return g_strdup_printf ("FREQ=MONTHLY;BYDAY=%d%s", MIN ((day - 1) / 7 + 1, 4), ical_days[weekday]);
    case REPEAT_MONTHLY_LAST_WEEKDAY:
      return g_strdup_printf ("FREQ=MONTHLY;BYDAY=-1%s", ical_days[weekday]);
    case REPEAT_MONTHLY_DAY:
      return g_strdup_printf ("FREQ=MONTHLY;BYMONTHDAY=%d", day);
    case REPEAT_YEARLY:
      return g_strdup ("FREQ=YEARLY");
    case REPEAT_KEEP:
      return g_strdup (kept);
    case REPEAT_NONE:
    default:
      return g_strdup ("");
    }
}

/* Reads the form into @activity; FALSE with a message naming the field. */
static gboolean
read_activity_form (BbProgrammePage *self,
                    GtkWidget       *form,
                    BbActivity      *activity,
                    GError         **error)
{
  GDate date;
  int sh = 0, sm = 0, eh = 23, em = 59;
  gboolean all_day = gtk_switch_get_active (GTK_SWITCH (bb_form_find (form, "all-day")));
  AdwComboRow *theme_row = ADW_COMBO_ROW (bb_form_find (form, "theme"));
  AdwComboRow *repeat_row = ADW_COMBO_ROW (bb_form_find (form, "repeat"));
  AdwComboRow *status_row = ADW_COMBO_ROW (bb_form_find (form, "status"));
  const char *own_theme = bb_form_text (form, "own-theme");
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *rule = NULL;
  g_autoptr(GError) local_error = NULL;

  bb_activity_set_title (activity, bb_form_text (form, "title"));

  if (!bb_date_parse (bb_form_text (form, "date"), &date, &local_error))
    {
      g_set_error (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TIMES,
                   /* Translators: %s explains what is wrong with the date */
                   _("Date: %s"), local_error->message);
      return FALSE;
    }
  if (!all_day)
    {
      if (!parse_clock (bb_form_text (form, "start"), &sh, &sm))
        {
          g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TIMES,
                               _("Type the start time as hours and minutes, such as 19:30."));
          return FALSE;
        }
      if (!parse_clock (bb_form_text (form, "end"), &eh, &em))
        {
          g_set_error_literal (error, BB_ACTIVITY_ERROR, BB_ACTIVITY_ERROR_TIMES,
                               _("Type the end time as hours and minutes, such as 22:00."));
          return FALSE;
        }
    }
  else
    sh = sm = 0;

  start = bb_programme_time_new (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), sh, sm);
  end = bb_programme_time_new (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), eh, em);
  bb_activity_set_times (activity, start, end);
  bb_activity_set_all_day (activity, all_day);

  if (own_theme[0] != '\0')
    bb_activity_set_theme (activity, own_theme);
  else
    {
      GtkStringObject *item = adw_combo_row_get_selected_item (theme_row);

      bb_activity_set_theme (activity, item != NULL && adw_combo_row_get_selected (theme_row) > 0
                                         ? gtk_string_object_get_string (item) : "");
    }

  rule = rule_for ((Repeat) adw_combo_row_get_selected (repeat_row), start,
                   g_object_get_data (G_OBJECT (form), "kept-rule"));
  bb_activity_set_rrule (activity, rule);

  bb_activity_set_location (activity, bb_form_text (form, "location"));
  bb_activity_set_target_group (activity, bb_form_text (form, "target-group"));
  bb_activity_set_open_to_all (activity, gtk_switch_get_active (GTK_SWITCH (bb_form_find (form, "open-to-all"))));
  bb_activity_set_partners (activity, bb_form_text (form, "partners"));
  bb_activity_set_expected_participants (activity,
    gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (bb_form_find (form, "expected"))));
  if (bb_activity_get_status (activity) != BB_ACTIVITY_STATUS_DONE &&
      bb_activity_get_status (activity) != BB_ACTIVITY_STATUS_CANCELLED)
    bb_activity_set_status (activity, adw_combo_row_get_selected (status_row) == 1
                                        ? BB_ACTIVITY_STATUS_CONFIRMED : BB_ACTIVITY_STATUS_PLANNED);
  bb_activity_set_description (activity, bb_form_text (form, "description"));
  bb_activity_set_notes (activity, bb_form_text (form, "notes"));

  return bb_activity_validate (activity, error);
}

static void
update_activity_form (BbProgrammePage *self,
                      GtkWidget       *form)
{
  g_autoptr(BbActivity) scratch = bb_activity_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog = gtk_widget_get_ancestor (form, ADW_TYPE_MESSAGE_DIALOG);
  gboolean ok = read_activity_form (self, form, scratch, &error);
  GtkWidget *repeat_row = bb_form_find (form, "repeat");
  g_autofree char *description = bb_recurrence_describe (bb_activity_get_rrule (scratch));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (repeat_row), description != NULL ? description : "");
  gtk_widget_set_sensitive (bb_form_find (form, "start"),
                            !gtk_switch_get_active (GTK_SWITCH (bb_form_find (form, "all-day"))));
  gtk_widget_set_sensitive (bb_form_find (form, "end"),
                            !gtk_switch_get_active (GTK_SWITCH (bb_form_find (form, "all-day"))));
  bb_form_set_message (form, "error", ok ? NULL : error->message);
  if (dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", ok);
}

static void
on_location_chosen_cb (GtkListBox    *box,
                       GtkListBoxRow *row,
                       GtkWidget     *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (box), GTK_TYPE_POPOVER)));
}

static void
add_location_picker (BbProgrammePage *self,
                     GtkWidget       *location_row)
{
  g_auto(GStrv) locations = bb_programme_list_locations (self->store, NULL);
  GtkWidget *button, *popover, *list, *scrolled;

  if (locations == NULL || locations[0] == NULL)
    return;

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  for (guint i = 0; locations[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), locations[i]);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  g_signal_connect (list, "row-activated", G_CALLBACK (on_location_chosen_cb), location_row);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-open-recent-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Locations Used Before"));
  gtk_widget_add_css_class (button, "flat");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (location_row), button);
}

static void
on_activity_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         BbProgrammePage  *self)
{
  GtkWidget *form = g_object_get_data (G_OBJECT (dialog), "form");
  BbActivity *activity = g_object_get_data (G_OBJECT (dialog), "activity");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save") || self->store == NULL)
    return;

  if (!read_activity_form (self, form, activity, &error) ||
      !bb_programme_save_activity (self->store, activity, &error))
    {
      show_error (self, _("Could Not Save the Activity"), error);
      return;
    }

  bb_programme_page_select (self, bb_activity_get_id (activity), NULL);
}

static void
open_activity_dialog (BbProgrammePage *self,
                      BbActivity      *existing)
{
  g_autoptr(BbActivity) activity = existing != NULL ? bb_activity_copy (existing) : bb_activity_new ();
  g_auto(GStrv) themes = bb_programme_list_themes (self->store, NULL);
  g_autoptr(GStrvBuilder) theme_items = g_strv_builder_new ();
  g_auto(GStrv) theme_list = NULL;
  GtkWidget *box, *group, *dialog, *location;
  const char *repeat_items[] = {
    _("Does not repeat"), _("Every week"), _("Every two weeks"),
    _("Every month on the same weekday"), _("Every month on the last such weekday"),
    _("Every month on the same day"), _("Every year"), NULL, NULL
  };
  const char *status_items[] = { C_("activity status", "Planned"), C_("activity status", "Confirmed"), NULL };
  g_autofree char *date = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  guint theme_index = 0;
  Repeat repeat = REPEAT_NONE;

  if (bb_activity_get_start (activity) == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (bb_programme_get_timezone ());
      g_autoptr(GDateTime) s = bb_programme_time_new (self->year, g_date_time_get_month (now),
                                                      MIN (g_date_time_get_day_of_month (now), 28), 19, 30);
      g_autoptr(GDateTime) e = g_date_time_add_hours (s, 2);

      bb_activity_set_times (activity, s, e);
    }
  date = g_date_time_format (bb_activity_get_start (activity), "%d-%m-%Y");
  start = g_date_time_format (bb_activity_get_start (activity), "%H:%M");
  end = g_date_time_format (bb_activity_get_end (activity), "%H:%M");

  g_strv_builder_add (theme_items, _("No theme"));
  for (guint i = 0; themes != NULL && themes[i] != NULL; i++)
    {
      g_strv_builder_add (theme_items, themes[i]);
      if (g_str_equal (themes[i], bb_activity_get_theme (activity)))
        theme_index = i + 1;
    }
  theme_list = g_strv_builder_end (theme_items);

  if (bb_activity_is_recurring (activity))
    {
      repeat = REPEAT_KEEP;
      for (int r = REPEAT_WEEKLY; r <= REPEAT_YEARLY; r++)
        {
          g_autofree char *rule = rule_for ((Repeat) r, bb_activity_get_start (activity), NULL);

          if (g_str_equal (rule, bb_activity_get_rrule (activity)))
            repeat = (Repeat) r;
        }
      if (repeat == REPEAT_KEEP)
        repeat_items[REPEAT_KEEP] = _("As it was set");
    }

  dialog = bb_form_dialog_new (parent_window (self), existing != NULL ? _("Edit Activity") : _("New Activity"),
                               "save", _("_Save"), &box);

  group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (box), group);
  bb_form_entry_row (group, "title", _("Title"), bb_activity_get_title (activity));
  bb_form_entry_row (group, "date", _("Date (dd-mm-yyyy)"), date);
  bb_form_switch_row (group, "all-day", _("All day"), bb_activity_get_all_day (activity));
  bb_form_entry_row (group, "start", _("Starts at"), start);
  bb_form_entry_row (group, "end", _("Ends at"), end);
  bb_form_combo_row (group, "repeat", _("Repeats"), repeat_items, repeat);
  bb_form_combo_row (group, "status", _("Status"), status_items,
                     bb_activity_get_status (activity) == BB_ACTIVITY_STATUS_CONFIRMED ? 1 : 0);

  group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (box), group);
  bb_form_combo_row (group, "theme", _("Theme"), (const char * const *) theme_list, theme_index);
  bb_form_entry_row (group, "own-theme", _("Or a new theme of your own"), "");
  location = bb_form_entry_row (group, "location", _("Location"), bb_activity_get_location (activity));
  add_location_picker (self, location);
  bb_form_entry_row (group, "target-group", _("Target group"), bb_activity_get_target_group (activity));
  bb_form_switch_row (group, "open-to-all", _("Open to all residents"), bb_activity_get_open_to_all (activity));
  bb_form_entry_row (group, "partners", _("Partners"), bb_activity_get_partners (activity));
  spin_row (group, "expected", _("Expected participants"),
            bb_activity_get_expected_participants (activity), 100000, 1, 0);

  group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (box), group);
  bb_form_entry_row (group, "description", _("Description"), bb_activity_get_description (activity));
  bb_form_entry_row (group, "notes", _("Notes"), bb_activity_get_notes (activity));

  bb_form_message_label (box, "error", "error");
  g_object_set_data_full (G_OBJECT (box), "kept-rule", g_strdup (bb_activity_get_rrule (activity)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "activity", g_steal_pointer (&activity), g_object_unref);
  bb_form_watch (box, (BbFormUpdateFunc) update_activity_form, self);
  update_activity_form (self, box);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_activity_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Tasks ---- */

static void
on_task_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BbProgrammePage  *self)
{
  GtkWidget *form = g_object_get_data (G_OBJECT (dialog), "form");
  BbActivity *activity = g_object_get_data (G_OBJECT (dialog), "activity");
  g_autoptr(BbTask) task = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GError) error = NULL;
  int sh, sm, eh, em;

  if (!g_str_equal (response, "save") || self->store == NULL)
    return;

  day = g_date_time_to_timezone (bb_activity_get_start (activity), bb_programme_get_timezone ());
  if (!parse_clock (bb_form_text (form, "task-start"), &sh, &sm) ||
      !parse_clock (bb_form_text (form, "task-end"), &eh, &em))
    {
      bb_compat_show_message (parent_window (self), _("Could Not Add the Task"),
                              _("Type the times as hours and minutes, such as 19:30."));
      return;
    }
  start = bb_programme_time_new (g_date_time_get_year (day), g_date_time_get_month (day),
                                 g_date_time_get_day_of_month (day), sh, sm);
  end = bb_programme_time_new (g_date_time_get_year (day), g_date_time_get_month (day),
                               g_date_time_get_day_of_month (day), eh, em);
  task = bb_task_new (bb_activity_get_id (activity), bb_form_text (form, "role"),
                      gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (bb_form_find (form, "needed"))),
                      start, end);
  if (!bb_programme_save_task (self->store, task, &error))
    show_error (self, _("Could Not Add the Task"), error);
}

static void
on_add_task_clicked_cb (GtkButton       *button,
                        BbProgrammePage *self)
{
  BbActivity *activity;
  GtkWidget *dialog, *box, *group;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  if (self->selected == NULL)
    return;
  activity = bb_occurrence_get_activity (self->selected);
  start = g_date_time_format (bb_activity_get_start (activity), "%H:%M");
  end = g_date_time_format (bb_activity_get_end (activity), "%H:%M");

  dialog = bb_form_dialog_new (parent_window (self), _("New Task"), "save", _("_Add"), &box);
  group = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Such as opbouw, bar, EHBO, kinderactiviteit or afbouw."));
  gtk_box_append (GTK_BOX (box), group);
  bb_form_entry_row (group, "role", _("Role"), "");
  spin_row (group, "needed", _("Volunteers needed"), 1, 1000, 1, 0);
  bb_form_entry_row (group, "task-start", _("From"), start);
  bb_form_entry_row (group, "task-end", _("Until"), end);
  g_object_set_data_full (G_OBJECT (dialog), "activity", g_object_ref (activity), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_task_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_remove_task_clicked_cb (GtkButton       *button,
                           BbProgrammePage *self)
{
  g_autoptr(GError) error = NULL;

  if (!bb_programme_delete_task (self->store, g_object_get_data (G_OBJECT (button), "task-id"), &error))
    show_error (self, _("Could Not Remove the Task"), error);
}

static void
on_unassign_clicked_cb (GtkButton       *button,
                        BbProgrammePage *self)
{
  g_autoptr(GError) error = NULL;

  if (!bb_programme_unassign (self->store, g_object_get_data (G_OBJECT (button), "task-id"),
                              g_object_get_data (G_OBJECT (button), "volunteer-id"), &error))
    show_error (self, _("Could Not Remove the Volunteer"), error);
}

static void
assign_now (BbProgrammePage *self,
            const char      *task_id,
            const char      *volunteer_id)
{
  g_autoptr(GError) error = NULL;

  if (!bb_programme_assign (self->store, task_id, volunteer_id, &error))
    show_error (self, _("Could Not Assign the Volunteer"), error);
}

static void
on_double_booking_response_cb (AdwMessageDialog *dialog,
                               const char       *response,
                               BbProgrammePage  *self)
{
  if (g_str_equal (response, "assign"))
    assign_now (self, g_object_get_data (G_OBJECT (dialog), "task-id"),
                g_object_get_data (G_OBJECT (dialog), "volunteer-id"));
}

/* Assigns, after a warning when the volunteer is already on another task
 * at that time. */
static void
assign_volunteer (BbProgrammePage *self,
                  const char      *task_id,
                  const char      *volunteer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = bb_programme_find_double_bookings (self->store, task_id, volunteer_id, &error);
  GString *body;
  GtkWidget *dialog;

  if (conflicts == NULL || conflicts->len == 0)
    {
      assign_now (self, task_id, volunteer_id);
      return;
    }

  body = g_string_new (NULL);
  /* Translators: %s is a volunteer's name; a list of tasks follows */
  g_string_append_printf (body, _("%s is already on another task at that time:"),
                          volunteer_name (self, volunteer_id));
  for (guint i = 0; i < conflicts->len; i++)
    {
      BbTask *task = g_ptr_array_index (conflicts, i);
      g_autoptr(BbActivity) activity = bb_programme_get_activity (self->store, bb_task_get_activity_id (task), NULL);
      g_autofree char *day = bb_programme_format_short_date (bb_task_get_start (task));
      g_autofree char *time = bb_programme_format_time_range (bb_task_get_start (task), bb_task_get_end (task), FALSE);

      g_string_append_printf (body, "\n• %s, %s (%s %s)", activity != NULL ? bb_activity_get_title (activity) : "",
                              bb_task_get_role (task), day, time);
    }

  dialog = adw_message_dialog_new (parent_window (self), _("Double Booking"), body->str);
  g_string_free (body, TRUE);
  gtk_widget_set_name (dialog, "double-booking");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "assign", _("_Assign Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "assign", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "task-id", g_strdup (task_id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "volunteer-id", g_strdup (volunteer_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_double_booking_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_candidate_activated_cb (GtkListBox      *box,
                           GtkListBoxRow   *row,
                           BbProgrammePage *self)
{
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (box), ADW_TYPE_MESSAGE_DIALOG);
  g_autofree char *task_id = g_strdup (g_object_get_data (G_OBJECT (dialog), "task-id"));
  g_autofree char *volunteer_id = g_strdup (g_object_get_data (G_OBJECT (row), "volunteer-id"));

  gtk_window_close (GTK_WINDOW (dialog));
  assign_volunteer (self, task_id, volunteer_id);
}

static BbDayPart
day_part_of (GDateTime *time)
{
  int hour = g_date_time_get_hour (time);

  return hour < 12 ? BB_DAY_PART_MORNING : hour < 18 ? BB_DAY_PART_AFTERNOON : BB_DAY_PART_EVENING;
}

/* "Who can help?": the volunteers' ranking (skill, available at that day
 * part, not booked then) first, then everyone else who is not stopped. */
static void
on_assign_clicked_cb (GtkButton       *button,
                      BbProgrammePage *self)
{
  BbTask *task = g_object_get_data (G_OBJECT (button), "task");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) booked = NULL;
  g_auto(GStrv) skills = NULL;
  g_autoptr(GPtrArray) ranked = NULL;
  g_autoptr(GListModel) everyone = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) start = g_date_time_to_timezone (bb_task_get_start (task), bb_programme_get_timezone ());
  const char *skill = NULL;
  GtkWidget *dialog, *box, *list;
  g_autofree char *heading = NULL;

  booked = bb_programme_list_booked (self->store, bb_task_get_start (task), bb_task_get_end (task), &error);
  skills = bb_volunteer_list_skills (self->store, NULL);
  for (guint i = 0; skills != NULL && skills[i] != NULL; i++)
    if (g_str_has_prefix (skills[i], bb_task_get_role (task)) ||
        g_str_has_prefix (bb_task_get_role (task), skills[i]))
      skill = skills[i];

  ranked = bb_volunteer_who_can_help (self->store, skill, (GDateWeekday) g_date_time_get_day_of_week (start),
                                      day_part_of (start), (const char * const *) booked, &error);
  everyone = bb_volunteer_list_all (self->store, NULL);
  if (ranked == NULL || everyone == NULL)
    {
      if (error != NULL)
        show_error (self, _("Could Not Read the Volunteers"), error);
      return;
    }

  /* Translators: %s is a task's role, such as "bar" */
  heading = g_strdup_printf (_("Who Can Help with “%s”?"), bb_task_get_role (task));
  dialog = bb_form_dialog_new (parent_window (self), heading, NULL, NULL, &box);
  gtk_widget_set_name (dialog, "assign");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The best match is first: the right skill, free at that time of day and not booked elsewhere."));

  list = gtk_list_box_new ();
  gtk_widget_set_name (list, "candidates");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (box), list);

  for (guint pass = 0; pass < 2; pass++)
    {
      guint n = pass == 0 ? ranked->len : g_list_model_get_n_items (everyone);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BbVolunteer) volunteer = pass == 0 ? g_object_ref (g_ptr_array_index (ranked, i))
                                                       : g_list_model_get_item (everyone, i);
          const char *id = bb_volunteer_get_id (volunteer);
          GtkWidget *row;
          g_autofree char *title = NULL;

          if (g_hash_table_contains (listed, id) ||
              g_strv_contains ((const char * const *) bb_task_get_volunteers (task), id) ||
              (pass == 1 && bb_volunteer_get_status (volunteer) == BB_VOLUNTEER_STATUS_STOPPED))
            continue;
          g_hash_table_add (listed, (gpointer) g_intern_string (id));

          row = adw_action_row_new ();
          title = g_markup_escape_text (bb_volunteer_get_display_name (volunteer), -1);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          if (pass == 0)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Suggested"));
          else if (booked != NULL && g_strv_contains ((const char * const *) booked, id))
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Already booked at that time"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "volunteer-id", g_strdup (id), g_free);
          gtk_list_box_append (GTK_LIST_BOX (list), row);
        }
    }

  if (g_hash_table_size (listed) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No volunteers yet: add them in the Volunteers section."));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  g_signal_connect_object (list, "row-activated", G_CALLBACK (on_candidate_activated_cb), self, 0);
  g_object_set_data_full (G_OBJECT (dialog), "task-id", g_strdup (bb_task_get_id (task)), g_free);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Marking done ---- */

static void
on_done_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BbProgrammePage  *self)
{
  GtkWidget *form = g_object_get_data (G_OBJECT (dialog), "form");
  GPtrArray *lines = g_object_get_data (G_OBJECT (dialog), "lines");
  BbOccurrence *occurrence = g_object_get_data (G_OBJECT (dialog), "occurrence");
  g_autoptr(GError) error = NULL;
  AdwComboRow *method = ADW_COMBO_ROW (bb_form_find (form, "count-method"));

  if (!g_str_equal (response, "done") || self->store == NULL)
    return;

  for (guint i = 0; i < lines->len; i++)
    {
      BbHoursLine *line = g_ptr_array_index (lines, i);
      g_autofree char *name = g_strdup_printf ("hours-%u", i);
      double hours = gtk_spin_button_get_value (GTK_SPIN_BUTTON (bb_form_find (form, name)));

      line->minutes = (int) (hours * 60 + 0.5);
    }

  if (!bb_programme_mark_done (self->store, occurrence,
                               gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (bb_form_find (form, "participants"))),
                               adw_combo_row_get_selected (method) == 0 ? BB_COUNT_METHOD_COUNTED
                                                                        : BB_COUNT_METHOD_ESTIMATED,
                               lines, &error))
    show_error (self, _("Could Not Mark the Activity as Done"), error);
}

static void
open_done_dialog (BbProgrammePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  BbActivity *activity = bb_occurrence_get_activity (self->selected);
  const char *methods[] = { _("Counted"), _("Estimated"), NULL };
  GtkWidget *dialog, *box, *group;
  int participants = bb_occurrence_get_actual_participants (self->selected);

  lines = bb_programme_prefill_hours (self->store, self->selected, &error);
  tasks = bb_programme_list_tasks (self->store, bb_activity_get_id (activity), &error);
  if (lines == NULL || tasks == NULL)
    {
      show_error (self, _("Could Not Read the Tasks"), error);
      return;
    }

  dialog = bb_form_dialog_new (parent_window (self), _("Mark as Done"), "done", _("_Mark as Done"), &box);
  gtk_widget_set_name (dialog, "mark-done");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), bb_activity_get_title (activity));

  group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (box), group);
  spin_row (group, "participants", _("Participants"),
            participants >= 0 ? participants : bb_activity_get_expected_participants (activity), 1000000, 1, 0);
  bb_form_combo_row (group, "count-method", _("How the number was obtained"), methods,
                     bb_occurrence_get_count_method (self->selected) == BB_COUNT_METHOD_ESTIMATED ? 1 : 0);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Volunteer Hours"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         lines->len > 0 ? _("From the task windows; change what differs.")
                                                        : _("Nobody was assigned to a task."));
  gtk_box_append (GTK_BOX (box), group);
  for (guint i = 0; i < lines->len; i++)
    {
      BbHoursLine *line = g_ptr_array_index (lines, i);
      g_autofree char *name = g_strdup_printf ("hours-%u", i);
      g_autofree char *title = NULL;
      const char *role = "";

      for (guint t = 0; t < tasks->len; t++)
        if (g_strcmp0 (bb_task_get_id (g_ptr_array_index (tasks, t)), line->task_id) == 0)
          role = bb_task_get_role (g_ptr_array_index (tasks, t));
      /* Translators: "<volunteer>: <task>, in hours" */
      title = g_strdup_printf (_("%s: %s (hours)"), volunteer_name (self, line->volunteer_id), role);
      spin_row (group, name, title, line->minutes / 60.0, 24, 0.25, 2);
    }

  g_object_set_data_full (G_OBJECT (dialog), "lines", g_steal_pointer (&lines), (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (dialog), "occurrence", g_object_ref (self->selected), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_done_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Cancel, repeat, delete ---- */

static void
on_cancel_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       BbProgrammePage  *self)
{
  GtkWidget *form = g_object_get_data (G_OBJECT (dialog), "form");
  BbOccurrence *occurrence = g_object_get_data (G_OBJECT (dialog), "occurrence");
  BbActivity *activity = bb_occurrence_get_activity (occurrence);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "cancel-activity"))
    return;

  if (!bb_programme_cancel_occurrence (self->store, bb_activity_get_id (activity),
                                       bb_activity_is_recurring (activity)
                                         ? bb_occurrence_get_recurrence_id (occurrence) : NULL,
                                       bb_form_text (form, "reason"), &error))
    show_error (self, _("Could Not Cancel the Activity"), error);
}

static void
open_cancel_dialog (BbProgrammePage *self)
{
  BbActivity *activity = bb_occurrence_get_activity (self->selected);
  GtkWidget *dialog, *box, *group;

  dialog = bb_form_dialog_new (parent_window (self), bb_activity_is_recurring (activity) ? _("Cancel This Date?") : _("Cancel Activity?"),
                               "cancel-activity", _("Cancel _Activity"), &box);
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Keep"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-activity", ADW_RESPONSE_DESTRUCTIVE);
  if (bb_activity_is_recurring (activity))
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), _("The other dates of the series stay as they are."));
  group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (box), group);
  bb_form_entry_row (group, "reason", _("Reason"), "");
  g_object_set_data_full (G_OBJECT (dialog), "occurrence", g_object_ref (self->selected), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       BbProgrammePage  *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  if (!bb_programme_delete_activity (self->store, g_object_get_data (G_OBJECT (dialog), "activity-id"), &error))
    {
      show_error (self, _("Could Not Delete the Activity"), error);
      return;
    }
  g_clear_object (&self->selected);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_detail_button_clicked_cb (GtkButton       *button,
                             BbProgrammePage *self)
{
  const char *what = gtk_widget_get_name (GTK_WIDGET (button));
  BbActivity *activity;
  g_autoptr(GError) error = NULL;

  if (self->selected == NULL)
    return;
  activity = bb_occurrence_get_activity (self->selected);

  if (g_str_equal (what, "edit"))
    open_activity_dialog (self, activity);
  else if (g_str_equal (what, "done"))
    open_done_dialog (self);
  else if (g_str_equal (what, "cancel"))
    open_cancel_dialog (self);
  else if (g_str_equal (what, "restore"))
    {
      if (!bb_programme_restore_occurrence (self->store, bb_activity_get_id (activity),
                                            bb_occurrence_get_recurrence_id (self->selected), &error))
        show_error (self, _("Could Not Restore the Date"), error);
    }
  else if (g_str_equal (what, "repeat"))
    {
      g_autofree char *id = bb_programme_repeat_next_year (self->store, bb_activity_get_id (activity), &error);

      if (id == NULL)
        show_error (self, _("Could Not Repeat the Activity"), error);
      else
        {
          bb_programme_page_set_year (self, self->year + 1);
          bb_programme_page_select (self, id, NULL);
        }
    }
  else if (g_str_equal (what, "delete"))
    {
      GtkWidget *dialog = adw_message_dialog_new (parent_window (self), _("Delete Activity?"),
                                                  bb_activity_is_recurring (activity)
                                                    ? _("Every date of the series and all its tasks are deleted.")
                                                    : _("The activity and its tasks are deleted."));

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                        "delete", _("_Delete"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
      g_object_set_data_full (G_OBJECT (dialog), "activity-id", g_strdup (bb_activity_get_id (activity)), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

/* ---- The detail pane ---- */

static GtkWidget *
info_row (GtkWidget  *group,
          const char *title,
          const char *value)
{
  GtkWidget *row;

  if (value == NULL || value[0] == '\0')
    return NULL;
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkWidget *
detail_button (BbProgrammePage *self,
               GtkWidget       *flow,
               const char      *name,
               const char      *label)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_detail_button_clicked_cb), self, 0);
  gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
  return button;
}

static void
add_tasks (BbProgrammePage *self,
           BbActivity      *activity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = bb_programme_list_tasks (self->store, bb_activity_get_id (activity), &error);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
  guint short_total = 0;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Tasks"));
  gtk_widget_set_name (add, "add-task");
  gtk_widget_set_tooltip_text (add, _("Add Task"));
  gtk_widget_add_css_class (add, "flat");
  g_signal_connect_object (add, "clicked", G_CALLBACK (on_add_task_clicked_cb), self, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);
  gtk_box_append (self->detail_box, group);

  if (tasks == NULL)
    {
      info_row (group, _("Could not read the tasks"), error->message);
      return;
    }
  if (tasks->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("No tasks yet. Add opbouw, bar, EHBO… and assign volunteers."));

  for (guint i = 0; i < tasks->len; i++)
    {
      BbTask *task = g_ptr_array_index (tasks, i);
      GtkWidget *expander = adw_expander_row_new ();
      GtkWidget *assign_row = adw_action_row_new ();
      GtkWidget *assign = gtk_button_new_with_mnemonic (_("_Assign Volunteer…"));
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *time = bb_programme_format_time_range (bb_task_get_start (task), bb_task_get_end (task), FALSE);
      g_autofree char *subtitle = NULL;
      g_autofree char *role = g_markup_escape_text (bb_task_get_role (task), -1);
      guint n_short = bb_task_get_short (task);

      short_total += n_short;
      /* Translators: "09:00–12:00 · 1 of 3 volunteers" */
      subtitle = g_strdup_printf (_("%s · %u of %d volunteers"), time, bb_task_get_n_assigned (task),
                                  bb_task_get_needed (task));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), role);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
      gtk_widget_set_name (expander, "task");

      if (n_short > 0)
        {
          /* Translators: a badge on a task that still needs people */
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "short of %u", "short of %u", n_short),
                                                   n_short);
          GtkWidget *badge = gtk_label_new (text);

          gtk_widget_add_css_class (badge, "warning");
          gtk_widget_add_css_class (badge, "caption-heading");
          gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
          adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), badge);
        }

      for (guint v = 0; v < bb_task_get_n_assigned (task); v++)
        {
          const char *id = bb_task_get_volunteers (task)[v];
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *unassign = gtk_button_new_from_icon_name ("list-remove-symbolic");

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), volunteer_name (self, id));
          gtk_widget_set_tooltip_text (unassign, _("Remove from This Task"));
          gtk_widget_set_valign (unassign, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (unassign, "flat");
          g_object_set_data_full (G_OBJECT (unassign), "task-id", g_strdup (bb_task_get_id (task)), g_free);
          g_object_set_data_full (G_OBJECT (unassign), "volunteer-id", g_strdup (id), g_free);
          g_signal_connect_object (unassign, "clicked", G_CALLBACK (on_unassign_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), unassign);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        }

      gtk_widget_set_name (assign, "assign");
      gtk_widget_set_valign (assign, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (assign), "task", g_object_ref (task), g_object_unref);
      g_signal_connect_object (assign, "clicked", G_CALLBACK (on_assign_clicked_cb), self, 0);
      gtk_widget_set_tooltip_text (remove, _("Remove Task"));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data_full (G_OBJECT (remove), "task-id", g_strdup (bb_task_get_id (task)), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_task_clicked_cb), self, 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (assign_row), assign);
      adw_action_row_add_suffix (ADW_ACTION_ROW (assign_row), remove);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), assign_row);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), n_short > 0);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
    }

  if (short_total > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Still %u volunteer needed",
                                                            "Still %u volunteers needed", short_total),
                                               short_total);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), text);
    }
}

static void
show_occurrence (BbProgrammePage *self,
                 BbOccurrence    *occurrence)
{
  BbActivity *activity;
  BbActivityStatus status;
  GtkWidget *child, *title, *when, *badge, *flow, *group;
  g_autofree char *day = NULL;
  g_autofree char *time = NULL;
  g_autofree char *when_text = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *participants = NULL;
  GDate date;

  if (occurrence != self->selected)
    g_set_object (&self->selected, occurrence);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);

  if (occurrence == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  activity = bb_occurrence_get_activity (occurrence);
  status = bb_occurrence_get_status (occurrence);

  title = gtk_label_new (bb_activity_get_title (activity));
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-1");
  gtk_box_append (self->detail_box, title);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (bb_occurrence_get_start (occurrence)),
                  g_date_time_get_month (bb_occurrence_get_start (occurrence)),
                  g_date_time_get_year (bb_occurrence_get_start (occurrence)));
  day = bb_date_format_long (&date);
  time = bb_programme_format_time_range (bb_occurrence_get_start (occurrence), bb_occurrence_get_end (occurrence),
                                         bb_activity_get_all_day (activity));
  rule = bb_recurrence_describe (bb_activity_get_rrule (activity));
  when_text = rule != NULL ? g_strdup_printf ("%s, %s\n%s", day, time, rule) : g_strdup_printf ("%s, %s", day, time);
  when = gtk_label_new (when_text);
  gtk_label_set_wrap (GTK_LABEL (when), TRUE);
  gtk_label_set_xalign (GTK_LABEL (when), 0);
  gtk_box_append (self->detail_box, when);

  badge = gtk_label_new (status == BB_ACTIVITY_STATUS_CANCELLED && bb_occurrence_get_cancel_reason (occurrence)[0]
                           ? NULL : bb_activity_status_get_label (status));
  if (status == BB_ACTIVITY_STATUS_CANCELLED)
    {
      /* Translators: "Cancelled: <reason>" */
      g_autofree char *text = g_strdup_printf (_("Cancelled: %s"), bb_occurrence_get_cancel_reason (occurrence));

      gtk_label_set_label (GTK_LABEL (badge), text);
    }
  gtk_label_set_xalign (GTK_LABEL (badge), 0);
  gtk_label_set_wrap (GTK_LABEL (badge), TRUE);
  gtk_widget_add_css_class (badge, "heading");
  gtk_widget_add_css_class (badge, status_css_class (status));
  gtk_box_append (self->detail_box, badge);

  flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 6);
  gtk_box_append (self->detail_box, flow);
  detail_button (self, flow, "edit", _("_Edit…"));
  if (status != BB_ACTIVITY_STATUS_CANCELLED)
    gtk_widget_add_css_class (detail_button (self, flow, "done",
                                             status == BB_ACTIVITY_STATUS_DONE ? _("Change _Figures…")
                                                                               : _("Mark as _Done…")),
                              "suggested-action");
  detail_button (self, flow, "repeat", _("Repeat _Next Year"));
  if (status != BB_ACTIVITY_STATUS_CANCELLED && status != BB_ACTIVITY_STATUS_DONE)
    detail_button (self, flow, "cancel", bb_activity_is_recurring (activity) ? _("_Cancel This Date…")
                                                                             : _("_Cancel…"));
  if (bb_occurrence_is_exception (occurrence))
    detail_button (self, flow, "restore", _("_Follow the Series Again"));
  gtk_widget_add_css_class (detail_button (self, flow, "delete", _("De_lete…")), "destructive-action");

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Details"));
  gtk_box_append (self->detail_box, group);
  info_row (group, _("Theme"), bb_activity_get_theme (activity));
  info_row (group, _("Location"), bb_activity_get_location (activity));
  info_row (group, _("Target group"), bb_activity_get_target_group (activity));
  info_row (group, _("Open to all residents"), bb_activity_get_open_to_all (activity) ? _("Yes") : _("No"));
  info_row (group, _("Partners"), bb_activity_get_partners (activity));
  if (bb_occurrence_get_actual_participants (occurrence) >= 0)
    /* Translators: "75 (counted), 80 expected" */
    participants = g_strdup_printf (_("%d (%s), %d expected"), bb_occurrence_get_actual_participants (occurrence),
                                    bb_occurrence_get_count_method (occurrence) == BB_COUNT_METHOD_ESTIMATED
                                      ? _("estimated") : _("counted"),
                                    bb_activity_get_expected_participants (activity));
  else if (bb_activity_get_expected_participants (activity) > 0)
    participants = g_strdup_printf (_("%d expected"), bb_activity_get_expected_participants (activity));
  info_row (group, _("Participants"), participants);
  info_row (group, _("Description"), bb_activity_get_description (activity));
  info_row (group, _("Notes"), bb_occurrence_get_notes (occurrence));

  add_tasks (self, activity);

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  adw_leaflet_set_visible_child (self->leaflet, self->detail_pane);
}

/* ---- Actions ---- */

static void
bb_programme_page_new_activity_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (widget);

  if (self->store != NULL)
    open_activity_dialog (self, NULL);
}

static void
bb_programme_page_year_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (widget);

  bb_programme_page_set_year (self, self->year + (g_str_equal (action_name, "programme.next-year") ? 1 : -1));
}

static void
bb_programme_page_back_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
bb_programme_page_year_overview_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbYearOverview) overview = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *hours = NULL;
  GString *body;
  GtkWidget *dialog;

  if (self->store == NULL)
    return;
  overview = bb_programme_year_overview (self->store, self->year, &error);
  if (overview == NULL)
    {
      show_error (self, _("Could Not Read the Programme"), error);
      return;
    }

  hours = bb_hours_format_minutes (overview->volunteer_minutes);
  body = g_string_new (NULL);
  /* Translators: the year overview; the last %s is hours and minutes ("12:30") */
  g_string_append_printf (body, _("Held: %u\nCancelled: %u\nStill to come: %u\nParticipants: %lld\nVolunteer hours: %s"),
                          overview->held, overview->cancelled, overview->planned,
                          (long long) overview->participants, hours);
  if (overview->themes->len > 0)
    g_string_append_printf (body, "\n\n%s", _("Per theme:"));
  for (guint i = 0; i < overview->themes->len; i++)
    {
      BbThemeFigures *figures = g_ptr_array_index (overview->themes, i);
      g_autofree char *theme_hours = bb_hours_format_minutes (figures->volunteer_minutes);

      /* Translators: "<theme>: 3 held, 1 cancelled, 250 participants, 12:30 hours" */
      g_string_append_printf (body, _("\n• %s: %u held, %u cancelled, %lld participants, %s hours"),
                              figures->theme[0] != '\0' ? figures->theme : _("No theme"),
                              figures->held, figures->cancelled, (long long) figures->participants, theme_hours);
    }

  /* Translators: %d is a year */
  heading = g_strdup_printf (_("The Year %d"), self->year);
  dialog = bb_compat_show_message (parent_window (self), heading, body->str);
  gtk_widget_set_name (dialog, "year-overview");
  g_string_free (body, TRUE);
}

typedef struct {
  BbProgrammePage *self;
  gboolean         pdf;
} ExportData;

static void
on_export_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  ExportData *data = user_data;
  BbProgrammePage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (path != NULL && self->store != NULL)
    {
      gboolean ok = data->pdf ? bb_programme_pdf_write (self->store, self->year, path, &error)
                              : bb_programme_ics_write (self->store, self->year, path, &error);

      if (!ok)
        show_error (self, _("Could Not Export the Programme"), error);
    }

  g_object_unref (data->self);
  g_free (data);
}

static void
bb_programme_page_export_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (widget);
  gboolean pdf = g_str_equal (action_name, "programme.export-pdf");
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  ExportData *data;

  if (self->store == NULL)
    return;

  if (pdf)
    {
      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
      /* Translators: a file name; %d is the year */
      name = g_strdup_printf (_("programme-%d.pdf"), self->year);
    }
  else
    {
      gtk_file_filter_set_name (filter, _("Calendar files"));
      gtk_file_filter_add_mime_type (filter, "text/calendar");
      name = g_strdup_printf (_("programme-%d.ics"), self->year);
    }

  data = g_new0 (ExportData, 1);
  data->self = g_object_ref (self);
  data->pdf = pdf;
  bb_compat_choose_file (parent_window (self), BB_FILE_CHOOSE_SAVE,
                         pdf ? _("Export Year Programme") : _("Export iCalendar"), _("_Export"),
                         NULL, name, filter, on_export_chosen_cb, data);
}

/* ---- GObject ---- */

static void
bb_programme_page_dispose (GObject *object)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->store);
  g_clear_object (&self->selected);
  if (self->list_view != NULL)
    gtk_grid_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->occurrences);
  g_clear_object (&self->themes);
  g_clear_pointer (&self->volunteer_names, g_hash_table_unref);
  g_clear_pointer (&self->now, g_date_time_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_PROGRAMME_PAGE);

  G_OBJECT_CLASS (bb_programme_page_parent_class)->dispose (object);
}

static void
bb_programme_page_finalize (GObject *object)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (object);

  g_ptr_array_unref (self->search_words);
  g_hash_table_unref (self->bound);

  G_OBJECT_CLASS (bb_programme_page_parent_class)->finalize (object);
}

static void
bb_programme_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (object);

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
bb_programme_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BbProgrammePage *self = BB_PROGRAMME_PAGE (object);

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
bb_programme_page_class_init (BbProgrammePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_programme_page_dispose;
  object_class->finalize = bb_programme_page_finalize;
  object_class->get_property = bb_programme_page_get_property;
  object_class->set_property = bb_programme_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-programme-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, year_label);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, calendar_toggle);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, theme_filter);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, list_view);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, calendar);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, day_list);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, BbProgrammePage, detail_pane);

  gtk_widget_class_install_action (widget_class, "programme.new-activity", NULL,
                                   bb_programme_page_new_activity_action);
  gtk_widget_class_install_action (widget_class, "programme.previous-year", NULL, bb_programme_page_year_action);
  gtk_widget_class_install_action (widget_class, "programme.next-year", NULL, bb_programme_page_year_action);
  gtk_widget_class_install_action (widget_class, "programme.back", NULL, bb_programme_page_back_action);
  gtk_widget_class_install_action (widget_class, "programme.year-overview", NULL,
                                   bb_programme_page_year_overview_action);
  gtk_widget_class_install_action (widget_class, "programme.export-ics", NULL, bb_programme_page_export_action);
  gtk_widget_class_install_action (widget_class, "programme.export-pdf", NULL, bb_programme_page_export_action);
}

static void
bb_programme_page_init (BbProgrammePage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (bb_programme_get_timezone ());
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkStringList) statuses = NULL;
  const char *all_themes[] = { _("All themes"), NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a bound template child: AdwBin unparents its own child, and a
   * bound direct child would be unparented twice. */
  self->leaflet = ADW_LEAFLET (adw_bin_get_child (ADW_BIN (self)));

  self->year = g_date_time_get_year (now);
  self->search_words = g_ptr_array_new_with_free_func (g_free);
  self->bound = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->occurrences = g_list_store_new (BB_TYPE_OCCURRENCE);
  self->filter = gtk_custom_filter_new (filter_occurrence, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->occurrences)),
                                              GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  self->themes = gtk_string_list_new (all_themes);
  gtk_drop_down_set_model (self->theme_filter, G_LIST_MODEL (self->themes));
  statuses = gtk_string_list_new (NULL);
  gtk_string_list_append (statuses, _("All statuses"));
  for (guint i = 0; i < G_N_ELEMENTS (status_order); i++)
    gtk_string_list_append (statuses, bb_activity_status_get_label (status_order[i]));
  gtk_drop_down_set_model (self->status_filter, G_LIST_MODEL (statuses));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_grid_view_set_factory (self->list_view, factory);
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_row_activated_cb), self);
  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  g_signal_connect (self->theme_filter, "notify::selected", G_CALLBACK (on_filter_selected_cb), self);
  g_signal_connect (self->status_filter, "notify::selected", G_CALLBACK (on_filter_selected_cb), self);
  g_signal_connect (self->calendar_toggle, "toggled", G_CALLBACK (on_calendar_toggled_cb), self);
  g_signal_connect (self->calendar, "day-selected", G_CALLBACK (on_calendar_changed_cb), self);
  g_signal_connect (self->calendar, "next-month", G_CALLBACK (on_calendar_changed_cb), self);
  g_signal_connect (self->calendar, "prev-month", G_CALLBACK (on_calendar_changed_cb), self);
  g_signal_connect (self->calendar, "next-year", G_CALLBACK (on_calendar_changed_cb), self);
  g_signal_connect (self->calendar, "prev-year", G_CALLBACK (on_calendar_changed_cb), self);
  g_signal_connect (self->day_list, "row-activated", G_CALLBACK (on_day_row_activated_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), self);
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* ---- Public API ---- */

void
bb_programme_page_set_year (BbProgrammePage *self,
                            int              year)
{
  g_return_if_fail (BB_IS_PROGRAMME_PAGE (self));
  g_return_if_fail (year >= 1900 && year <= 2200);

  self->year = year;
  if (self->loaded || gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
}

void
bb_programme_page_load (BbProgrammePage *self)
{
  g_return_if_fail (BB_IS_PROGRAMME_PAGE (self));

  if (!self->loaded)
    reload (self);
}

GListModel *
bb_programme_page_get_model (BbProgrammePage *self)
{
  g_return_val_if_fail (BB_IS_PROGRAMME_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

void
bb_programme_page_select (BbProgrammePage *self,
                          const char      *activity_id,
                          GDateTime       *recurrence_id)
{
  g_autoptr(BbOccurrence) occurrence = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BB_IS_PROGRAMME_PAGE (self));
  g_return_if_fail (activity_id != NULL);

  occurrence = bb_programme_get_occurrence (self->store, activity_id, recurrence_id, &error);
  if (occurrence == NULL)
    {
      show_error (self, _("Could Not Read the Programme"), error);
      return;
    }
  show_occurrence (self, occurrence);
}

BbOccurrence *
bb_programme_page_get_selected (BbProgrammePage *self)
{
  g_return_val_if_fail (BB_IS_PROGRAMME_PAGE (self), NULL);
  return self->selected;
}
