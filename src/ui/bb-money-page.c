/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The Money section. All figures come from the core (bb-budget, bb-ledger);
 * this file only lays them out and turns typed text into calls. It loads
 * when first mapped, and again on the store's "changed" while visible.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-bank-import.h"
#include "bb-budget.h"
#include "bb-compat.h"
#include "bb-date.h"
#include "bb-ledger.h"
#include "bb-ledger-rows.h"
#include "bb-ledger-undo.h"
#include "bb-money.h"
#include "bb-money-page.h"
#include "bb-money-widgets.h"
#include "bb-ruleset-dialog.h"
#include "bb-subsidy.h"
#include "bb-transaction-dialog.h"

/* Decoded receipt thumbnails kept; beyond this the cache starts over. */
#define THUMBNAIL_CACHE_MAX 512
#define THUMBNAIL_SIZE 40

struct _BbMoneyPage
{
  AdwBin          parent_instance;

  BbStore        *store;
  gulong          changed_id;
  gboolean        loaded;
  gboolean        dirty;
  gboolean        reloading;

  GPtrArray      *subsidies;      /* BbSubsidy* */
  GPtrArray      *posts;          /* BbBudgetPost* of the shown subsidy */
  char           *subsidy_id;

  GtkStack       *stack;
  AdwViewStack   *views;          /* subsidy, ledger, missing */
  GtkDropDown    *view_dropdown;  /* the views when the switcher does not fit */
  AdwStatusPage  *empty_page;
  AdwToastOverlay *toast_overlay;

  /* Subsidy */
  GtkDropDown    *subsidy_dropdown;
  GtkStringList  *subsidy_names;
  AdwEntryRow    *grantor_row;
  AdwEntryRow    *scheme_row;
  AdwEntryRow    *number_row;
  AdwEntryRow    *start_row;
  AdwEntryRow    *end_row;
  AdwEntryRow    *granted_row;
  GtkDropDown    *ruleset_dropdown;
  GPtrArray      *rulesets;       /* BbRuleset*, as in ruleset_dropdown */
  GtkLabel       *subsidy_error;
  AdwActionRow   *deadline_row;
  AdwActionRow   *content_row;
  AdwActionRow   *advances_row;
  GtkButton      *report_button;

  /* Budget */
  GtkListBox     *budget_list;
  AdwEntryRow    *post_name_row;
  AdwEntryRow    *post_planned_row;
  GtkDropDown    *post_kind;
  GtkLabel       *post_error;
  GtkListBox     *actual_list;
  GtkListBox     *totals_list;

  /* Ledger */
  GtkSearchEntry *search;
  GtkLabel       *balances;
  GtkStack       *ledger_stack;     /* "list", "empty", "no-match" */
  GtkFilterListModel *ledger_model; /* BbLedgerRow of the period, searched */
  GtkCustomFilter *search_filter;
  char           *folded_query;
  GtkStack       *missing_stack;    /* "list", "empty" */
  GtkFilterListModel *missing_model;

  /* Receipt thumbnails: receipt id → GdkTexture, and id → GPtrArray of
   * the GtkImages waiting for a decode running in a thread. */
  GHashTable     *thumbnails;
  GHashTable     *pending_thumbnails;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (BbMoneyPage, bb_money_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (BbMoneyPage *self);

/* Helpers */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
amount_label (gint64 cents)
{
  g_autofree char *text = bb_money_format (cents);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  if (cents < 0)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static GtkWindow *
parent_window (BbMoneyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GtkListBox *
boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return GTK_LIST_BOX (list);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 6);
  return label;
}

static GtkLabel *
error_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  return GTK_LABEL (label);
}

static GtkWidget *
clamped_page (GtkWidget *content)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 800);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_bottom (content, 24);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  return scrolled;
}

static BbSubsidy *
current_subsidy (BbMoneyPage *self)
{
  guint i;

  if (self->subsidies == NULL || self->subsidies->len == 0)
    return NULL;
  i = gtk_drop_down_get_selected (self->subsidy_dropdown);
  if (i == GTK_INVALID_LIST_POSITION || i >= self->subsidies->len)
    return NULL;
  return g_ptr_array_index (self->subsidies, i);
}

static const char *
post_name (BbMoneyPage *self,
           const char  *post_id)
{
  for (guint i = 0; self->posts != NULL && i < self->posts->len; i++)
    {
      BbBudgetPost *post = g_ptr_array_index (self->posts, i);

      if (g_strcmp0 (post->id, post_id) == 0)
        return post->name;
    }
  return NULL;
}

/* Subsidy details */

static void
fill_rulesets (BbMoneyPage *self,
               const char  *selected_id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  g_clear_pointer (&self->rulesets, g_ptr_array_unref);
  self->rulesets = self->store != NULL ? bb_ruleset_list (self->store, NULL) : NULL;
  for (guint i = 0; self->rulesets != NULL && i < self->rulesets->len; i++)
    {
      BbRuleset *ruleset = g_ptr_array_index (self->rulesets, i);

      gtk_string_list_append (names, ruleset->name);
      if (g_strcmp0 (ruleset->id, selected_id) == 0)
        selected = i;
    }
  gtk_drop_down_set_model (self->ruleset_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->ruleset_dropdown, selected);
}

static void
on_rulesets_clicked_cb (BbMoneyPage *self)
{
  guint i = gtk_drop_down_get_selected (self->ruleset_dropdown);
  const char *id = self->rulesets != NULL && i < self->rulesets->len
                   ? ((BbRuleset *)g_ptr_array_index (self->rulesets, i))->id : NULL;
  BbRulesetDialog *dialog = bb_ruleset_dialog_new (parent_window (self), self->store, id);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
fill_subsidy (BbMoneyPage *self,
              BbSubsidy   *subsidy)
{
  g_autofree char *granted = subsidy ? bb_money_format_plain (subsidy->granted_cents) : NULL;
  g_autofree char *deadline = subsidy ? bb_subsidy_compute_deadline (self->store, subsidy) : NULL;
  g_autofree char *advances = NULL;

  gtk_editable_set_text (GTK_EDITABLE (self->grantor_row), subsidy ? subsidy->grantor : "");
  gtk_editable_set_text (GTK_EDITABLE (self->scheme_row), subsidy ? subsidy->scheme : "");
  gtk_editable_set_text (GTK_EDITABLE (self->number_row), subsidy ? subsidy->beschikking_number : "");
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), subsidy ? subsidy->period_start : "");
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), subsidy ? subsidy->period_end : "");
  gtk_editable_set_text (GTK_EDITABLE (self->granted_row), granted ? granted : "");
  fill_rulesets (self, subsidy != NULL ? subsidy->ruleset_id : BB_RULESET_ID_MUNICIPAL);
  show_error (self->subsidy_error, NULL);

  adw_action_row_set_subtitle (self->deadline_row, deadline ? deadline : "—");
  adw_action_row_set_subtitle (self->content_row,
                               subsidy ? bb_report_content_get_label (bb_subsidy_get_required_content (self->store, subsidy))
                                       : "—");
  if (subsidy != NULL)
    advances = bb_money_format (bb_subsidy_get_advances_total (subsidy));
  adw_action_row_set_subtitle (self->advances_row, advances ? advances : "—");

  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->report_button),
                                          g_variant_new_string (subsidy ? subsidy->id : ""));
  gtk_widget_set_sensitive (GTK_WIDGET (self->report_button), subsidy != NULL);
}

static void
on_save_subsidy_clicked_cb (BbMoneyPage *self)
{
  BbSubsidy *shown = current_subsidy (self);
  g_autoptr(BbSubsidy) subsidy = NULL;
  g_autoptr(GError) error = NULL;
  gint64 granted = 0;
  const char *granted_text = gtk_editable_get_text (GTK_EDITABLE (self->granted_row));

  subsidy = shown ? bb_subsidy_load (self->store, shown->id, NULL) : bb_subsidy_new ();
  if (subsidy == NULL)
    subsidy = bb_subsidy_new ();

  if (*granted_text != '\0' && !bb_money_parse (granted_text, &granted, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Amount granted: %s"), error->message);
      show_error (self->subsidy_error, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->granted_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->granted_row), "error");

#define TAKE(field, row) g_free (subsidy->field); subsidy->field = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->row)))
  TAKE (grantor, grantor_row);
  TAKE (scheme, scheme_row);
  TAKE (beschikking_number, number_row);
  TAKE (period_start, start_row);
  TAKE (period_end, end_row);
#undef TAKE
  subsidy->granted_cents = granted;
  {
    guint i = gtk_drop_down_get_selected (self->ruleset_dropdown);

    if (self->rulesets != NULL && i < self->rulesets->len)
      {
        g_free (subsidy->ruleset_id);
        subsidy->ruleset_id = g_strdup (((BbRuleset *)g_ptr_array_index (self->rulesets, i))->id);
      }
  }

  if (!bb_subsidy_save (self->store, subsidy, &error))
    {
      show_error (self->subsidy_error, error->message);
      return;
    }
  g_free (self->subsidy_id);
  self->subsidy_id = g_strdup (subsidy->id);
  if (self->posts == NULL || self->posts->len == 0)
    {
      g_autoptr(GPtrArray) posts = bb_budget_list_posts (self->store, subsidy->id, NULL);

      /* A new subsidy starts from the template of typical posts. */
      if (posts != NULL && posts->len == 0)
        bb_budget_apply_template (self->store, subsidy->id, NULL);
    }
  reload (self);
}

static void
on_new_subsidy_clicked_cb (BbMoneyPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *start = g_strdup_printf ("%04d-01-01", g_date_time_get_year (now));
  g_autofree char *end = g_strdup_printf ("%04d-12-31", g_date_time_get_year (now));

  gtk_stack_set_visible_child_name (self->stack, "money");
  gtk_drop_down_set_selected (self->subsidy_dropdown, GTK_INVALID_LIST_POSITION);
  fill_subsidy (self, NULL);
  g_clear_pointer (&self->subsidy_id, g_free);
  g_clear_pointer (&self->posts, g_ptr_array_unref);
  clear_list (self->budget_list);
  clear_list (self->actual_list);
  clear_list (self->totals_list);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), start);
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), end);
  gtk_widget_grab_focus (GTK_WIDGET (self->grantor_row));
}

/* Budget */

static void
on_planned_apply_cb (AdwEntryRow *row,
                     BbMoneyPage *self)
{
  BbBudgetPost *post = g_object_get_data (G_OBJECT (row), "post");
  g_autoptr(GError) error = NULL;
  gint64 cents;

  if (!bb_money_parse (gtk_editable_get_text (GTK_EDITABLE (row)), &cents, &error) ||
      cents < 0)
    {
      g_autofree char *message = g_strdup_printf (_("%s: %s"), post->name,
                                                  error ? error->message : _("the planned amount cannot be negative."));
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_error (self->post_error, message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  post->planned_cents = cents;
  if (!bb_budget_save_post (self->store, post, &error))
    show_error (self->post_error, error->message);
}

static void
on_explanation_apply_cb (AdwEntryRow *row,
                         BbMoneyPage *self)
{
  BbBudgetPost *post = g_object_get_data (G_OBJECT (row), "post");
  g_autoptr(GError) error = NULL;

  if (!bb_budget_set_explanation (self->store, post->id, gtk_editable_get_text (GTK_EDITABLE (row)), &error))
    show_error (self->post_error, error->message);
}

static void
on_add_post_clicked_cb (BbMoneyPage *self)
{
  g_autoptr(BbBudgetPost) post = NULL;
  g_autoptr(GError) error = NULL;
  const char *planned_text = gtk_editable_get_text (GTK_EDITABLE (self->post_planned_row));
  gint64 planned = 0;

  if (self->subsidy_id == NULL)
    {
      show_error (self->post_error, _("Save the subsidy first."));
      return;
    }
  if (*planned_text != '\0' && !bb_money_parse (planned_text, &planned, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->post_planned_row), "error");
      show_error (self->post_error, error->message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->post_planned_row), "error");
  post = bb_budget_post_new (self->subsidy_id,
                             gtk_drop_down_get_selected (self->post_kind) == 1 ? BB_POST_INCOME : BB_POST_EXPENSE,
                             gtk_editable_get_text (GTK_EDITABLE (self->post_name_row)), planned);
  if (!bb_budget_save_post (self->store, post, &error))
    {
      show_error (self->post_error, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->post_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->post_planned_row), "");
}

static void
add_total_row (GtkListBox *list,
               const char *title,
               gint64      cents)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount_label (cents));
  gtk_list_box_append (list, row);
}

static void
fill_budget (BbMoneyPage *self)
{
  g_autoptr(BbBudgetActual) actual = NULL;

  clear_list (self->budget_list);
  clear_list (self->actual_list);
  clear_list (self->totals_list);
  g_clear_pointer (&self->posts, g_ptr_array_unref);

  if (self->subsidy_id == NULL)
    return;

  self->posts = bb_budget_list_posts (self->store, self->subsidy_id, NULL);
  actual = bb_budget_actual_compute (self->store, self->subsidy_id, NULL);
  if (self->posts == NULL || actual == NULL)
    return;

  for (guint i = 0; i < self->posts->len; i++)
    {
      BbBudgetPost *post = g_ptr_array_index (self->posts, i);
      GtkWidget *row = adw_entry_row_new ();
      g_autofree char *planned = bb_money_format_plain (post->planned_cents);
      g_autofree char *title = g_strdup_printf ("%s (%s)", post->name,
                                                post->kind == BB_POST_INCOME ? _("income") : _("expense"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (row), planned);
      g_object_set_data_full (G_OBJECT (row), "post", g_object_ref (post), g_object_unref);
      g_signal_connect (row, "apply", G_CALLBACK (on_planned_apply_cb), self);
      gtk_list_box_append (self->budget_list, row);
    }

  for (guint i = 0; i < actual->lines->len; i++)
    {
      BbBudgetLine *line = g_ptr_array_index (actual->lines, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *planned = bb_money_format (line->planned_cents);
      g_autofree char *real = bb_money_format (line->actual_cents);
      g_autofree char *difference = bb_money_format (line->difference_cents);
      g_autofree char *percent = line->has_percent ? bb_budget_format_percent (line->difference_bp) : g_strdup ("—");
      /* Translators: planned, actual, difference in euros and percent of one budget post. */
      g_autofree char *subtitle = g_strdup_printf (_("Planned %s · actual %s · difference %s (%s)"),
                                                   planned, real, difference, percent);
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line->post->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      gtk_list_box_append (self->actual_list, row);

      if (line->explanation_required)
        {
          GtkWidget *explain = adw_entry_row_new ();
          g_autofree char *label = g_strdup_printf (line->explanation_missing ? _("Explanation for “%s” (required)")
                                                                              : _("Explanation for “%s”"),
                                                    line->post->name);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (explain), label);
          adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (explain), TRUE);
          gtk_editable_set_text (GTK_EDITABLE (explain), line->post->explanation);
          if (line->explanation_missing)
            gtk_widget_add_css_class (explain, "warning");
          g_object_set_data_full (G_OBJECT (explain), "post", g_object_ref (line->post), g_object_unref);
          g_signal_connect (explain, "apply", G_CALLBACK (on_explanation_apply_cb), self);
          gtk_list_box_append (self->actual_list, explain);
        }
    }

  add_total_row (self->totals_list, _("Planned expenses"), actual->planned_expense_cents);
  add_total_row (self->totals_list, _("Actual expenses"), actual->actual_expense_cents);
  add_total_row (self->totals_list, _("Planned income"), actual->planned_income_cents);
  add_total_row (self->totals_list, _("Actual income"), actual->actual_income_cents);
  add_total_row (self->totals_list, _("Result"), actual->result_cents);
  add_total_row (self->totals_list, _("To pay back"), actual->payback_cents);
}

/* Ledger */

typedef struct {
  BbMoneyPage *self;
  char        *transaction_id;
} AttachData;

static void
attach_data_free (gpointer data)
{
  AttachData *attach = data;

  g_free (attach->transaction_id);
  g_free (attach);
}

static gboolean
attach_file (BbMoneyPage *self,
             const char  *transaction_id,
             GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *id = NULL;

  if (bytes != NULL)
    id = bb_ledger_attach_receipt (self->store, transaction_id, bytes, NULL, name, &error);
  if (id == NULL)
    {
      bb_compat_show_message (parent_window (self), _("Could Not Attach the Receipt"), error->message);
      return FALSE;
    }
  return TRUE;
}

static void
on_receipt_chosen_cb (GFile    *file,
                      gpointer  user_data)
{
  AttachData *attach = user_data;

  if (file != NULL)
    attach_file (attach->self, attach->transaction_id, file);
  g_object_unref (attach->self);
  attach_data_free (attach);
}

static const char *
item_transaction_id (GtkListItem *item)
{
  BbLedgerRow *row = item != NULL ? gtk_list_item_get_item (item) : NULL;

  return row != NULL ? row->id : NULL;
}

static void
on_attach_clicked_cb (GtkButton   *button,
                      BbMoneyPage *self)
{
  const char *id = item_transaction_id (g_object_get_data (G_OBJECT (button), "list-item"));
  AttachData *attach;
  g_autoptr(GtkFileFilter) filter = NULL;

  if (id == NULL)
    return;
  attach = g_new0 (AttachData, 1);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Photos and PDF files"));
  gtk_file_filter_add_mime_type (filter, "image/*");
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  attach->self = g_object_ref (self);
  attach->transaction_id = g_strdup (id);
  bb_compat_choose_file (parent_window (self), BB_FILE_CHOOSE_OPEN, _("Attach Receipt"), _("_Attach"),
                         NULL, NULL, filter, on_receipt_chosen_cb, attach);
}

/* Several files from the file manager, or one: each becomes a receipt. */
static gboolean
on_receipt_dropped_cb (GtkDropTarget *target,
                       const GValue  *value,
                       double         x,
                       double         y,
                       BbMoneyPage   *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  g_autofree char *id = g_strdup (item_transaction_id (g_object_get_data (G_OBJECT (widget), "list-item")));
  gboolean attached = FALSE;

  if (id == NULL)
    return FALSE;
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      for (GSList *l = files; l != NULL; l = l->next)
        attached |= attach_file (self, id, l->data);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    attached = attach_file (self, id, g_value_get_object (value));
  return attached;
}

/* Thumbnails: the bytes are read here (one BLOB), decoded and scaled in
 * a thread, and shown on every row still showing that receipt. */

static void
decode_thumbnail_thread (GTask        *task,
                         gpointer      source,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (task_data);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2, TRUE,
                                                cancellable, &error);
  if (pixbuf == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
show_thumbnail (GtkImage   *image,
                GdkTexture *texture)
{
  if (texture != NULL)
    gtk_image_set_from_paintable (image, GDK_PAINTABLE (texture));
  else
    gtk_image_set_from_icon_name (image, "image-missing-symbolic");
}

static void
on_thumbnail_decoded_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  BbMoneyPage *self = BB_MONEY_PAGE (source);
  g_autofree char *receipt_id = user_data;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GdkTexture) texture = NULL;
  GPtrArray *images;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))) || self->thumbnails == NULL)
    return;
  if (pixbuf != NULL)
    texture = gdk_texture_new_for_pixbuf (pixbuf);
  if (g_hash_table_size (self->thumbnails) >= THUMBNAIL_CACHE_MAX)
    g_hash_table_remove_all (self->thumbnails);
  if (texture != NULL)
    g_hash_table_insert (self->thumbnails, g_strdup (receipt_id), g_object_ref (texture));
  images = g_hash_table_lookup (self->pending_thumbnails, receipt_id);
  for (guint i = 0; images != NULL && i < images->len; i++)
    {
      GtkImage *image = g_ptr_array_index (images, i);

      /* Only where the row was not meanwhile reused for another. */
      if (g_strcmp0 (g_object_get_data (G_OBJECT (image), "receipt-id"), receipt_id) == 0)
        show_thumbnail (image, texture);
    }
  g_hash_table_remove (self->pending_thumbnails, receipt_id);
}

static void
request_thumbnail (BbMoneyPage *self,
                   GtkImage    *image,
                   const char  *receipt_id)
{
  GPtrArray *images = g_hash_table_lookup (self->pending_thumbnails, receipt_id);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTask) task = NULL;

  gtk_image_set_from_icon_name (image, "image-x-generic-symbolic");
  if (images != NULL)
    {
      g_ptr_array_add (images, g_object_ref (image));
      return;
    }
  bytes = bb_ledger_get_receipt_data (self->store, receipt_id, NULL);
  if (bytes == NULL)
    return;
  images = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (images, g_object_ref (image));
  g_hash_table_insert (self->pending_thumbnails, g_strdup (receipt_id), images);
  task = g_task_new (self, self->cancellable, on_thumbnail_decoded_cb, g_strdup (receipt_id));
  g_task_set_source_tag (task, request_thumbnail);
  g_task_set_task_data (task, g_steal_pointer (&bytes), (GDestroyNotify)g_bytes_unref);
  g_task_run_in_thread (task, decode_thumbnail_thread);
}

/* Editing, deleting and undoing */

static void
on_undo_clicked_cb (AdwToast    *toast,
                    BbMoneyPage *self)
{
  BbLedgerUndo *undo = g_object_get_data (G_OBJECT (toast), "undo");
  g_autoptr(GError) error = NULL;

  if (undo == NULL || self->store == NULL)
    return;
  if (!bb_ledger_undo_delete (self->store, undo, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  /* Once only */
  g_object_set_data (G_OBJECT (toast), "undo", NULL);
}

static void
on_delete_requested_cb (BbTransactionDialog *dialog,
                        const char          *id,
                        BbMoneyPage         *self)
{
  g_autoptr(GError) error = NULL;
  BbLedgerUndo *undo;
  AdwToast *toast;
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;

  undo = bb_ledger_delete_for_undo (self->store, id, &error);
  if (undo == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  escaped = g_markup_escape_text (bb_ledger_undo_get_description (undo), -1);
  /* Translators: %s is the description of a transaction */
  title = g_strdup_printf (_("“%s” deleted"), escaped);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "undo", undo, (GDestroyNotify)bb_ledger_undo_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
open_editor (BbMoneyPage *self,
             const char  *id)
{
  g_autoptr(BbTransaction) t = NULL;
  g_autoptr(GError) error = NULL;
  BbTransactionDialog *dialog;

  if (id != NULL)
    {
      t = bb_ledger_load (self->store, id, &error);
      if (t == NULL)
        {
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          return;
        }
    }
  dialog = bb_transaction_dialog_new (parent_window (self), self->store, t, self->posts);
  g_signal_connect_object (dialog, "delete-requested", G_CALLBACK (on_delete_requested_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_ledger_activate_cb (GtkListView *view,
                       guint        position,
                       BbMoneyPage *self)
{
  g_autoptr(BbLedgerRow) row = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (view)), position);

  if (row != NULL)
    open_editor (self, row->id);
}

static void
on_new_transaction_clicked_cb (BbMoneyPage *self)
{
  open_editor (self, NULL);
}

/* One ledger row: thumbnail, title, "date · account · counterparty ·
 * post" (wrapping), the amount right-aligned in tabular figures, and an
 * attach button that is marked while the receipt is missing. Files
 * dropped on the row become its receipts. */
static void
on_row_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 BbMoneyPage              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *thumb = gtk_image_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *amount = gtk_label_new (NULL);
  GtkWidget *attach = gtk_button_new_from_icon_name ("mail-attachment-symbolic");
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_image_set_pixel_size (GTK_IMAGE (thumb), THUMBNAIL_SIZE);
  gtk_widget_set_valign (thumb, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_label_set_xalign (GTK_LABEL (amount), 1.0);
  gtk_widget_add_css_class (amount, "numeric");
  gtk_widget_set_valign (amount, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (attach, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (attach, "flat");
  g_object_set_data (G_OBJECT (attach), "list-item", item);
  g_signal_connect (attach, "clicked", G_CALLBACK (on_attach_clicked_cb), self);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), thumb);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), amount);
  gtk_box_append (GTK_BOX (box), attach);

  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_object_set_data (G_OBJECT (box), "list-item", item);
  g_signal_connect (drop, "drop", G_CALLBACK (on_receipt_dropped_cb), self);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (drop));

  g_object_set_data (G_OBJECT (item), "thumb", thumb);
  g_object_set_data (G_OBJECT (item), "title", title);
  g_object_set_data (G_OBJECT (item), "subtitle", subtitle);
  g_object_set_data (G_OBJECT (item), "amount", amount);
  g_object_set_data (G_OBJECT (item), "attach", attach);
  gtk_list_item_set_child (item, box);
}

static void
on_row_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                BbMoneyPage              *self)
{
  BbLedgerRow *row = gtk_list_item_get_item (item);
  GtkWidget *thumb = g_object_get_data (G_OBJECT (item), "thumb");
  GtkWidget *amount = g_object_get_data (G_OBJECT (item), "amount");
  GtkWidget *attach = g_object_get_data (G_OBJECT (item), "attach");
  g_autoptr(GString) parts = g_string_new (row->date);
  g_autofree char *money = bb_money_format (row->amount_cents);
  g_autofree char *accessible = NULL;
  const char *post = NULL;
  const char *title = *row->description != '\0' ? row->description : row->counterparty;

  if (row->n_splits == 1)
    post = post_name (self, row->post_id);
  else if (row->n_splits > 1)
    post = _("split over posts");
  /* date · account · counterparty · post, leaving out what is empty */
  g_string_append_printf (parts, " · %s", bb_account_get_label (row->account));
  if (*row->counterparty != '\0' && title != row->counterparty)
    g_string_append_printf (parts, " · %s", row->counterparty);
  if (post != NULL)
    g_string_append_printf (parts, " · %s", post);

  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "title"), title);
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "subtitle"), parts->str);
  gtk_label_set_text (GTK_LABEL (amount), money);
  if (row->amount_cents < 0)
    gtk_widget_add_css_class (amount, "dim-label");
  else
    gtk_widget_remove_css_class (amount, "dim-label");

  gtk_widget_set_tooltip_text (attach, row->n_receipts > 0 ? _("Attach another receipt")
                                                           : _("Attach a receipt (missing)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (attach), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Attach a receipt"), -1);
  if (row->n_receipts == 0)
    gtk_widget_add_css_class (attach, "warning");
  else
    gtk_widget_remove_css_class (attach, "warning");

  /* Rows without a receipt keep the empty slot, so the texts align. */
  g_object_set_data_full (G_OBJECT (thumb), "receipt-id", g_strdup (row->receipt_id), g_free);
  if (row->receipt_id == NULL)
    gtk_image_clear (GTK_IMAGE (thumb));
  else
    {
      if (row->receipt_type == NULL || !g_str_has_prefix (row->receipt_type, "image/"))
        gtk_image_set_from_icon_name (GTK_IMAGE (thumb), "x-office-document-symbolic");
      else if (g_hash_table_contains (self->thumbnails, row->receipt_id))
        show_thumbnail (GTK_IMAGE (thumb), g_hash_table_lookup (self->thumbnails, row->receipt_id));
      else
        request_thumbnail (self, GTK_IMAGE (thumb), row->receipt_id);
    }

  /* Translators: how a screen reader names one ledger row: title, details, amount */
  accessible = g_strdup_printf (_("%s, %s, %s"), title, parts->str, money);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (item)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
on_row_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  BbMoneyPage              *self)
{
  g_object_set_data (G_OBJECT (g_object_get_data (G_OBJECT (item), "thumb")), "receipt-id", NULL);
}

static gboolean
search_matches (gpointer item,
                gpointer user_data)
{
  BbMoneyPage *self = user_data;

  return bb_ledger_row_matches (item, self->folded_query);
}

static gboolean
receipt_missing (gpointer item,
                 gpointer user_data)
{
  return BB_LEDGER_ROW (item)->n_receipts == 0;
}

static void
update_ledger_states (BbMoneyPage *self)
{
  GListModel *all = gtk_filter_list_model_get_model (self->ledger_model);
  guint n_all = all != NULL ? g_list_model_get_n_items (all) : 0;

  if (n_all == 0)
    gtk_stack_set_visible_child_name (self->ledger_stack, "empty");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->ledger_model)) == 0)
    gtk_stack_set_visible_child_name (self->ledger_stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->ledger_stack, "list");
  gtk_stack_set_visible_child_name (self->missing_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->missing_model)) > 0 ? "list" : "empty");
}

static void
fill_ledger (BbMoneyPage *self)
{
  g_autoptr(GListStore) rows = NULL;
  g_autoptr(GError) error = NULL;
  BbLedgerFilter filter = BB_LEDGER_FILTER_INIT;
  BbSubsidy *subsidy = current_subsidy (self);
  gint64 bank = 0, cash = 0;
  g_autofree char *bank_text = NULL;
  g_autofree char *cash_text = NULL;
  g_autofree char *balances = NULL;

  bb_ledger_get_balance (self->store, BB_ACCOUNT_BANK, NULL, &bank, NULL);
  bb_ledger_get_balance (self->store, BB_ACCOUNT_CASH, NULL, &cash, NULL);
  bank_text = bb_money_format (bank);
  cash_text = bb_money_format (cash);
  /* Translators: the balances of the bank account and the cash box. */
  balances = g_strdup_printf (_("Bank %s · Cash %s"), bank_text, cash_text);
  gtk_label_set_text (self->balances, balances);

  if (subsidy != NULL)
    {
      filter.from = subsidy->period_start;
      filter.to = subsidy->period_end;
    }
  /* Every transaction of the period: the list only makes rows for what
   * is on screen, and the search filters the folded keys in memory. */
  rows = bb_ledger_list_rows (self->store, &filter, &error);
  if (rows == NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  gtk_filter_list_model_set_model (self->ledger_model, G_LIST_MODEL (rows));
  gtk_filter_list_model_set_model (self->missing_model, G_LIST_MODEL (rows));
  update_ledger_states (self);
}

static void
on_search_changed_cb (BbMoneyPage *self)
{
  g_free (self->folded_query);
  self->folded_query = bb_ledger_fold_search (gtk_editable_get_text (GTK_EDITABLE (self->search)));
  gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_ledger_states (self);
}

/* Bank import */

typedef struct {
  BbMoneyPage     *self;
  BbBankStatement *statement;
  GPtrArray       *checks;   /* GtkCheckButton* or NULL per entry */
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_object_unref (data->self);
  bb_bank_statement_free (data->statement);
  g_ptr_array_unref (data->checks);
  g_free (data);
}

static void
on_import_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       ImportData       *data)
{
  g_autoptr(GError) error = NULL;
  guint added = 0, skipped = 0;

  if (g_strcmp0 (response, "import") == 0)
    {
      for (guint i = 0; i < data->statement->entries->len; i++)
        {
          BbBankEntry *entry = g_ptr_array_index (data->statement->entries, i);
          GtkCheckButton *check = g_ptr_array_index (data->checks, i);

          /* Only confirmed suggestions are booked. */
          if (check == NULL || !gtk_check_button_get_active (check))
            g_clear_pointer (&entry->suggested_post_id, g_free);
        }
      if (!bb_bank_statement_import (data->statement, data->self->store, &added, &skipped, &error))
        bb_compat_show_message (parent_window (data->self), _("Could Not Import the Statement"), error->message);
      else
        {
          g_autofree char *message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u transaction.", "Imported %u transactions.", added),
                             added);
          gtk_widget_set_tooltip_text (GTK_WIDGET (data->self->balances), message);
        }
    }
  import_data_free (data);
}

static void
show_import_preview (BbMoneyPage     *self,
                     BbBankStatement *statement)
{
  ImportData *data = g_new0 (ImportData, 1);
  GtkWidget *dialog;
  GtkListBox *list = boxed_list ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  g_autofree char *body = NULL;
  guint fresh = 0;

  data->self = g_object_ref (self);
  data->statement = statement;
  data->checks = g_ptr_array_new ();

  for (guint i = 0; i < statement->entries->len; i++)
    {
      BbBankEntry *entry = g_ptr_array_index (statement->entries, i);
      BbTransaction *t = entry->transaction;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", t->date, t->description);
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);
      g_autofree char *escaped_title = g_markup_escape_text (*t->counterparty ? t->counterparty : t->description, -1);
      GtkWidget *check = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount_label (t->amount_cents));
      if (entry->duplicate)
        {
          gtk_widget_set_sensitive (row, FALSE);
          gtk_widget_set_tooltip_text (row, _("Already in the ledger"));
        }
      else
        {
          fresh++;
          if (entry->suggested_post_id != NULL)
            {
              g_autoptr(BbBudgetPost) post = bb_budget_load_post (self->store, entry->suggested_post_id, NULL);
              g_autofree char *label = g_strdup_printf (_("Book on “%s”"), post ? post->name : "?");

              check = gtk_check_button_new_with_label (label);
              gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
              gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
            }
        }
      g_ptr_array_add (data->checks, check);
      gtk_list_box_append (list, row);
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s: %u new transaction. Check the suggested posts before importing.",
                                       "%s: %u new transactions. Check the suggested posts before importing.", fresh),
                          bb_bank_format_get_label (statement->format), fresh);
  dialog = adw_message_dialog_new (parent_window (self), _("Import Bank Statement"), body);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (list));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "import", fresh > 0);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_import_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_statement_chosen_cb (GFile    *file,
                        gpointer  user_data)
{
  g_autoptr(BbMoneyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  BbBankStatement *statement = NULL;

  if (file == NULL)
    return;
  name = g_file_get_basename (file);
  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  if (bytes != NULL)
    statement = bb_bank_statement_parse (bytes, name, &error);
  if (statement != NULL && !bb_bank_statement_prepare (statement, self->store, &error))
    g_clear_pointer (&statement, bb_bank_statement_free);
  if (statement == NULL)
    {
      bb_compat_show_message (parent_window (self), _("Could Not Read the Statement"), error->message);
      return;
    }
  show_import_preview (self, statement);
}

static void
on_import_clicked_cb (BbMoneyPage *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Bank statements (CAMT.053, CSV, TXT)"));
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_pattern (filter, "*.XML");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  gtk_file_filter_add_pattern (filter, "*.TXT");
  bb_compat_choose_file (parent_window (self), BB_FILE_CHOOSE_OPEN, _("Import Bank Statement"), _("_Open"),
                         NULL, NULL, filter, on_statement_chosen_cb, g_object_ref (self));
}

/* Loading */

static void
reload (BbMoneyPage *self)
{
  g_autoptr(GtkStringList) names = NULL;
  guint selected = GTK_INVALID_LIST_POSITION;

  if (self->store == NULL || self->reloading)
    return;
  self->reloading = TRUE;
  self->loaded = TRUE;
  self->dirty = FALSE;

  g_clear_pointer (&self->subsidies, g_ptr_array_unref);
  self->subsidies = bb_subsidy_list (self->store, NULL);
  names = gtk_string_list_new (NULL);
  for (guint i = 0; self->subsidies != NULL && i < self->subsidies->len; i++)
    {
      BbSubsidy *subsidy = g_ptr_array_index (self->subsidies, i);
      g_autofree char *label = g_strdup_printf ("%s %s (%.4s)", subsidy->grantor, subsidy->scheme, subsidy->period_start);

      gtk_string_list_append (names, label);
      if (g_strcmp0 (subsidy->id, self->subsidy_id) == 0 || (self->subsidy_id == NULL && i == 0))
        selected = i;
    }
  gtk_drop_down_set_model (self->subsidy_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->subsidy_dropdown, selected);
  g_free (self->subsidy_id);
  self->subsidy_id = current_subsidy (self) ? g_strdup (current_subsidy (self)->id) : NULL;

  if (self->subsidies == NULL || self->subsidies->len == 0)
    {
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "money") != 0)
        gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "money");

  fill_subsidy (self, current_subsidy (self));
  fill_budget (self);
  fill_ledger (self);
  self->reloading = FALSE;
}

static void
on_subsidy_selected_cb (BbMoneyPage *self)
{
  BbSubsidy *subsidy;

  if (self->reloading)
    return;
  subsidy = current_subsidy (self);
  if (subsidy == NULL)
    return;
  g_free (self->subsidy_id);
  self->subsidy_id = g_strdup (subsidy->id);
  fill_subsidy (self, subsidy);
  fill_budget (self);
  fill_ledger (self);
}

static void
on_store_changed_cb (BbMoneyPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  else
    self->dirty = TRUE;
}

static void
on_map_cb (BbMoneyPage *self)
{
  if (!self->loaded || self->dirty)
    reload (self);
}

/* Construction */

static AdwEntryRow *
entry_row (GtkListBox *list,
           const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_append (list, row);
  return ADW_ENTRY_ROW (row);
}

static AdwActionRow *
info_row (GtkListBox *list,
          const char *title)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "—");
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_append (list, row);
  return ADW_ACTION_ROW (row);
}

static GtkDropDown *
dropdown_row (GtkListBox         *list,
              const char         *title,
              const char * const *choices)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *dropdown = gtk_drop_down_new_from_strings (choices);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);
  gtk_list_box_append (list, row);
  return GTK_DROP_DOWN (dropdown);
}

static GtkWidget *
pill_button (const char *label,
             gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 6);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static GtkWidget *
build_subsidy_tab (BbMoneyPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *new_button = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkListBox *details = boxed_list ();
  GtkListBox *facts = boxed_list ();
  GtkListBox *add_post = boxed_list ();
  GtkWidget *save = pill_button (_("_Save Subsidy"), TRUE);
  GtkWidget *add = pill_button (_("_Add Post"), FALSE);
  static const char * const kinds[] = { N_("Expense"), N_("Income"), NULL };
  const char *translated_kinds[] = { _(kinds[0]), _(kinds[1]), NULL };

  self->subsidy_names = gtk_string_list_new (NULL);
  self->subsidy_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  bb_money_dropdown_make_narrow (self->subsidy_dropdown);
  gtk_widget_set_hexpand (GTK_WIDGET (self->subsidy_dropdown), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->subsidy_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Subsidy"), -1);
  g_signal_connect_swapped (self->subsidy_dropdown, "notify::selected", G_CALLBACK (on_subsidy_selected_cb), self);
  gtk_widget_set_tooltip_text (new_button, _("New subsidy"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (new_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("New subsidy"), -1);
  g_signal_connect_swapped (new_button, "clicked", G_CALLBACK (on_new_subsidy_clicked_cb), self);
  self->report_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Report…")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->report_button), _("Prepare the verantwoording for the grantor"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->report_button), "win.report");
  /* win.report takes the subsidy id; "" until a subsidy is shown. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->report_button), g_variant_new_string (""));
  gtk_widget_set_margin_top (top, 12);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->subsidy_dropdown));
  gtk_box_append (GTK_BOX (top), new_button);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->report_button));
  gtk_box_append (GTK_BOX (box), top);

  gtk_box_append (GTK_BOX (box), heading (_("Subsidy")));
  self->grantor_row = entry_row (details, _("Grantor"));
  self->scheme_row = entry_row (details, _("Scheme"));
  self->number_row = entry_row (details, _("Beschikking number"));
  self->start_row = entry_row (details, _("Period start (YYYY-MM-DD)"));
  self->end_row = entry_row (details, _("Period end (YYYY-MM-DD)"));
  self->granted_row = entry_row (details, _("Amount granted (€)"));
  {
    GtkWidget *row = adw_action_row_new ();
    GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");

    self->ruleset_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
    bb_money_dropdown_make_narrow (self->ruleset_dropdown);
    gtk_widget_set_valign (GTK_WIDGET (self->ruleset_dropdown), GTK_ALIGN_CENTER);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->ruleset_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Rule set of the grantor"), -1);
    gtk_widget_add_css_class (edit, "flat");
    gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (edit, _("Copy and edit rule sets"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Copy and edit rule sets"), -1);
    g_signal_connect_swapped (edit, "clicked", G_CALLBACK (on_rulesets_clicked_cb), self);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Rule set"));
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->ruleset_dropdown));
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
    gtk_list_box_append (details, row);
  }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (details));
  self->subsidy_error = error_label ();
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->subsidy_error));
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_subsidy_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), save);

  gtk_box_append (GTK_BOX (box), heading (_("Report to the Grantor")));
  self->deadline_row = info_row (facts, _("Deadline"));
  self->content_row = info_row (facts, _("Required content"));
  self->advances_row = info_row (facts, _("Advances received"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (facts));

  gtk_box_append (GTK_BOX (box), heading (_("Budget")));
  self->budget_list = boxed_list ();
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->budget_list));
  self->post_name_row = entry_row (add_post, _("New post"));
  self->post_planned_row = entry_row (add_post, _("Planned amount (€)"));
  self->post_kind = dropdown_row (add_post, _("Kind"), translated_kinds);
  gtk_widget_set_margin_top (GTK_WIDGET (add_post), 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (add_post));
  self->post_error = error_label ();
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->post_error));
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_post_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), add);

  gtk_box_append (GTK_BOX (box), heading (_("Budget Versus Actual")));
  self->actual_list = boxed_list ();
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->actual_list));
  self->totals_list = boxed_list ();
  gtk_widget_set_margin_top (GTK_WIDGET (self->totals_list), 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->totals_list));

  return clamped_page (box);
}

static GtkWidget *
ledger_view (BbMoneyPage *self,
             GListModel  *model,
             const char  *accessible_label)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *view;
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *frame = gtk_frame_new (NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_row_unbind_cb), self);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (model))), factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (view), TRUE);
  gtk_list_view_set_show_separators (GTK_LIST_VIEW (view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  g_signal_connect (view, "activate", G_CALLBACK (on_ledger_activate_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  /* A short list is a card of its own height; a long one scrolls. */
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_frame_set_child (GTK_FRAME (frame), scrolled);
  gtk_widget_set_vexpand (frame, TRUE);
  gtk_widget_set_valign (frame, GTK_ALIGN_START);
  gtk_widget_set_margin_top (frame, 12);
  gtk_widget_set_margin_bottom (frame, 12);
  return frame;
}

static GtkWidget *
status_page (const char *icon,
             const char *title,
             const char *description)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  gtk_widget_add_css_class (page, "compact");
  gtk_widget_set_vexpand (page, TRUE);
  return page;
}

static GtkWidget *
clamped_list_page (GtkWidget *content)
{
  GtkWidget *clamp = adw_clamp_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 800);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_widget_set_vexpand (clamp, TRUE);
  return clamp;
}

static GtkWidget *
build_ledger_tab (BbMoneyPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *import = gtk_button_new_from_icon_name ("document-open-symbolic");
  GtkWidget *new_transaction = gtk_button_new_from_icon_name ("list-add-symbolic");

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->search), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search transactions"), -1);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  gtk_widget_set_tooltip_text (import, _("Import a bank statement (CAMT.053 or CSV)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (import), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Import statement"), -1);
  g_signal_connect_swapped (import, "clicked", G_CALLBACK (on_import_clicked_cb), self);
  gtk_widget_set_margin_top (top, 12);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->search));
  gtk_box_append (GTK_BOX (top), import);
  gtk_widget_set_tooltip_text (new_transaction, _("New transaction, divided over posts"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (new_transaction), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("New transaction"), -1);
  gtk_widget_add_css_class (new_transaction, "suggested-action");
  g_signal_connect_swapped (new_transaction, "clicked", G_CALLBACK (on_new_transaction_clicked_cb), self);
  gtk_box_append (GTK_BOX (top), new_transaction);
  gtk_box_append (GTK_BOX (box), top);

  self->balances = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->balances, 0);
  gtk_label_set_wrap (self->balances, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->balances), "numeric");
  gtk_widget_set_margin_top (GTK_WIDGET (self->balances), 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->balances));

  self->search_filter = gtk_custom_filter_new (search_matches, self, NULL);
  self->ledger_model = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->search_filter)));
  self->ledger_stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->ledger_stack, ledger_view (self, G_LIST_MODEL (self->ledger_model), _("Transactions")),
                       "list");
  gtk_stack_add_named (self->ledger_stack,
                       status_page ("view-list-symbolic", _("No Transactions"),
                                    _("Add a transaction with the + button or import a bank statement.")),
                       "empty");
  gtk_stack_add_named (self->ledger_stack,
                       status_page ("edit-find-symbolic", _("No Matching Transactions"),
                                    _("Search for a description, counterparty, IBAN, date or amount.")),
                       "no-match");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->ledger_stack));
  return clamped_list_page (box);
}

static GtkWidget *
build_missing_tab (BbMoneyPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *hint = gtk_label_new (_("Drop a photo or PDF on a transaction, or use its attach button."));
  GtkCustomFilter *missing = gtk_custom_filter_new (receipt_missing, NULL, NULL);

  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_set_margin_top (hint, 12);
  gtk_box_append (GTK_BOX (box), hint);
  self->missing_model = gtk_filter_list_model_new (NULL, GTK_FILTER (missing));
  self->missing_stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->missing_stack,
                       ledger_view (self, G_LIST_MODEL (self->missing_model), _("Transactions without a receipt")),
                       "list");
  gtk_stack_add_named (self->missing_stack,
                       status_page ("emblem-ok-symbolic", _("Every Transaction Has a Receipt"),
                                    _("Nothing is missing in this period.")),
                       "empty");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->missing_stack));
  return clamped_list_page (box);
}

static const char * const view_names[] = { "subsidy", "ledger", "missing" };

static void
on_view_changed_cb (BbMoneyPage *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->views);

  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    if (g_strcmp0 (name, view_names[i]) == 0 && gtk_drop_down_get_selected (self->view_dropdown) != i)
      gtk_drop_down_set_selected (self->view_dropdown, i);
}

static void
on_view_dropdown_selected_cb (BbMoneyPage *self)
{
  guint i = gtk_drop_down_get_selected (self->view_dropdown);

  if (i < G_N_ELEMENTS (view_names))
    adw_view_stack_set_visible_child_name (self->views, view_names[i]);
}

static void
build (BbMoneyPage *self)
{
  GtkWidget *outer = gtk_stack_new ();
  GtkWidget *inner = adw_view_stack_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *squeezer = adw_squeezer_new ();
  GtkWidget *wide = adw_view_switcher_new ();
  GtkWidget *narrow = adw_view_switcher_new ();
  GtkWidget *create = gtk_button_new_with_mnemonic (_("_Add Subsidy"));
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  const char *title;

  self->views = ADW_VIEW_STACK (inner);
  title = _("Subsidy and Budget");
  gtk_string_list_append (titles, title);
  adw_view_stack_add_titled_with_icon (self->views, build_subsidy_tab (self), "subsidy", title,
                                       "x-office-spreadsheet-symbolic");
  title = _("Ledger");
  gtk_string_list_append (titles, title);
  adw_view_stack_add_titled_with_icon (self->views, build_ledger_tab (self), "ledger", title,
                                       "view-list-symbolic");
  title = _("Missing Receipts");
  gtk_string_list_append (titles, title);
  adw_view_stack_add_titled_with_icon (self->views, build_missing_tab (self), "missing", title,
                                       "mail-attachment-symbolic");

  /* Folds at narrow widths: labels beside icons, icons above labels, and
   * on a phone a dropdown that always fits. */
  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (wide), self->views);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (wide), ADW_VIEW_SWITCHER_POLICY_WIDE);
  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (narrow), self->views);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (narrow), ADW_VIEW_SWITCHER_POLICY_NARROW);
  self->view_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (titles)), NULL));
  gtk_widget_set_halign (GTK_WIDGET (self->view_dropdown), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Money view"), -1);
  g_signal_connect_swapped (self->view_dropdown, "notify::selected", G_CALLBACK (on_view_dropdown_selected_cb), self);
  g_signal_connect_swapped (self->views, "notify::visible-child-name", G_CALLBACK (on_view_changed_cb), self);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), wide);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), narrow);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), GTK_WIDGET (self->view_dropdown));
  adw_squeezer_set_homogeneous (ADW_SQUEEZER (squeezer), FALSE);
  adw_squeezer_set_transition_type (ADW_SQUEEZER (squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  gtk_widget_set_halign (squeezer, GTK_ALIGN_FILL);
  gtk_widget_set_margin_top (squeezer, 6);
  gtk_widget_set_margin_start (squeezer, 6);
  gtk_widget_set_margin_end (squeezer, 6);
  gtk_box_append (GTK_BOX (content), squeezer);
  gtk_widget_set_vexpand (inner, TRUE);
  gtk_box_append (GTK_BOX (content), inner);

  self->empty_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->empty_page, "accessories-calculator-symbolic");
  adw_status_page_set_title (self->empty_page, _("No Subsidies Yet"));
  adw_status_page_set_description (self->empty_page,
                                   _("Add the subsidy the council received to plan its budget, keep the ledger and collect the receipts."));
  gtk_widget_add_css_class (create, "pill");
  gtk_widget_add_css_class (create, "suggested-action");
  gtk_widget_set_halign (create, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (create, "clicked", G_CALLBACK (on_new_subsidy_clicked_cb), self);
  adw_status_page_set_child (self->empty_page, create);

  self->stack = GTK_STACK (outer);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->empty_page), "empty");
  gtk_stack_add_named (self->stack, content, "money");
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, outer);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->toast_overlay));
}

static void
bb_money_page_dispose (GObject *object)
{
  BbMoneyPage *self = (BbMoneyPage *)object;

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  g_clear_pointer (&self->subsidies, g_ptr_array_unref);
  g_clear_pointer (&self->posts, g_ptr_array_unref);
  g_clear_pointer (&self->rulesets, g_ptr_array_unref);
  g_clear_pointer (&self->subsidy_id, g_free);
  g_clear_object (&self->subsidy_names);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->ledger_model);
  g_clear_object (&self->missing_model);
  g_clear_object (&self->search_filter);
  g_clear_pointer (&self->thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->pending_thumbnails, g_hash_table_unref);
  g_clear_pointer (&self->folded_query, g_free);

  G_OBJECT_CLASS (bb_money_page_parent_class)->dispose (object);
}

static void
bb_money_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BbMoneyPage *self = BB_MONEY_PAGE (object);

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
bb_money_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BbMoneyPage *self = BB_MONEY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      bb_money_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_money_page_class_init (BbMoneyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_money_page_dispose;
  object_class->get_property = bb_money_page_get_property;
  object_class->set_property = bb_money_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BB_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bb_money_page_init (BbMoneyPage *self)
{
  self->thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->pending_thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    (GDestroyNotify)g_ptr_array_unref);
  self->cancellable = g_cancellable_new ();
  build (self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
}

void
bb_money_page_set_store (BbMoneyPage *self,
                         BbStore     *store)
{
  g_return_if_fail (BB_IS_MONEY_PAGE (self));
  g_return_if_fail (store == NULL || BB_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_set_object (&self->store, store);
  g_clear_pointer (&self->subsidy_id, g_free);
  self->loaded = FALSE;
  self->dirty = TRUE;
  /* Loading waits until the page is shown: start-up stays fast. */
  if (store != NULL)
    self->changed_id = g_signal_connect_swapped (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  if (store != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
bb_money_page_reload (BbMoneyPage *self)
{
  g_return_if_fail (BB_IS_MONEY_PAGE (self));

  reload (self);
}

const char *
bb_money_page_get_subsidy_id (BbMoneyPage *self)
{
  g_return_val_if_fail (BB_IS_MONEY_PAGE (self), NULL);

  return self->subsidy_id;
}
