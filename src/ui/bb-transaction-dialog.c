/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Editing one transaction: its details, the activity and volunteer it
 * belongs to, and its split lines over budget posts, with what is still
 * to divide shown as the treasurer types. Checks and sums are the core's
 * (bb_transaction_validate, bb_transaction_get_unassigned_cents).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bb-activity.h"
#include "bb-budget.h"
#include "bb-money.h"
#include "bb-money-widgets.h"
#include "bb-transaction-dialog.h"
#include "bb-volunteer.h"

typedef struct {
  GtkWidget   *row;
  GtkDropDown *post;
  GtkEntry    *amount;
  char        *kept_post_id;   /* a post not in the list (another subsidy's) */
} Line;

struct _BbTransactionDialog
{
  AdwWindow       parent_instance;

  BbStore        *store;
  BbTransaction  *transaction;     /* the one edited, or a new one */
  GPtrArray      *posts;           /* BbBudgetPost* */
  GPtrArray      *activity_ids;    /* char*, index + 1 in the dropdown */
  GPtrArray      *volunteer_ids;   /* char* */
  GPtrArray      *lines;           /* Line* */

  AdwEntryRow    *date_row;
  AdwEntryRow    *amount_row;
  AdwEntryRow    *description_row;
  AdwEntryRow    *counterparty_row;
  AdwEntryRow    *iban_row;
  GtkDropDown    *account;
  GtkDropDown    *activity;
  GtkDropDown    *volunteer;
  GtkListBox     *lines_list;
  GtkLabel       *remaining;
  GtkLabel       *error;
};

G_DEFINE_FINAL_TYPE (BbTransactionDialog, bb_transaction_dialog, ADW_TYPE_WINDOW)

enum {
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
line_free (gpointer data)
{
  Line *line = data;

  g_free (line->kept_post_id);
  g_free (line);
}

static void
show_error (BbTransactionDialog *self,
            const char          *message)
{
  gtk_label_set_text (self->error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error), message != NULL);
}

static const char *
line_post_id (BbTransactionDialog *self,
              Line                *line)
{
  guint i = gtk_drop_down_get_selected (line->post);

  if (i == GTK_INVALID_LIST_POSITION || i == 0)
    return NULL;
  if (i - 1 < self->posts->len)
    return ((BbBudgetPost *)g_ptr_array_index (self->posts, i - 1))->id;
  return line->kept_post_id;
}

/* The form as a transaction; NULL with the message of the first field
 * that cannot be read. */
static BbTransaction *
read_form (BbTransactionDialog  *self,
           GError              **error)
{
  g_autoptr(BbTransaction) t = bb_transaction_copy (self->transaction);
  g_autoptr(GError) local_error = NULL;
  guint activity = gtk_drop_down_get_selected (self->activity);
  guint volunteer = gtk_drop_down_get_selected (self->volunteer);
  gint64 cents;

  if (!bb_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->amount_row)), &cents, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Amount: %s"), local_error->message);
      return NULL;
    }
  t->amount_cents = cents;
  g_free (t->date);
  t->date = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
  g_free (t->description);
  t->description = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row)));
  g_free (t->counterparty);
  t->counterparty = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->counterparty_row)));
  g_free (t->counterparty_iban);
  t->counterparty_iban = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->iban_row)));
  t->account = gtk_drop_down_get_selected (self->account) == 1 ? BB_ACCOUNT_CASH : BB_ACCOUNT_BANK;
  g_clear_pointer (&t->activity_id, g_free);
  if (activity != GTK_INVALID_LIST_POSITION && activity > 0 && activity - 1 < self->activity_ids->len)
    t->activity_id = g_strdup (g_ptr_array_index (self->activity_ids, activity - 1));
  g_clear_pointer (&t->volunteer_id, g_free);
  if (volunteer != GTK_INVALID_LIST_POSITION && volunteer > 0 && volunteer - 1 < self->volunteer_ids->len)
    t->volunteer_id = g_strdup (g_ptr_array_index (self->volunteer_ids, volunteer - 1));

  bb_transaction_clear_splits (t);
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (line->amount));
      gint64 typed;

      g_clear_error (&local_error);
      if (!bb_money_parse (text, &typed, &local_error))
        {
          g_set_error (error, local_error->domain, local_error->code,
                       /* Translators: %u is the number of a split line, %s what is wrong */
                       _("Line %u: %s"), i + 1, local_error->message);
          return NULL;
        }
      bb_transaction_add_split (t, line_post_id (self, line),
                                bb_split_cents_for_transaction (cents, typed));
    }

  return g_steal_pointer (&t);
}

static void
update_remaining (BbTransactionDialog *self)
{
  g_autoptr(BbTransaction) t = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  t = read_form (self, &error);
  if (t == NULL)
    {
      gtk_label_set_text (self->remaining, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->remaining), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->remaining), "error");

  if (self->lines->len == 0)
    text = g_strdup (_("Not divided over posts. Add a line per post."));
  else if (bb_transaction_get_unassigned_cents (t) == 0)
    text = g_strdup (_("The lines add up to the amount."));
  else
    {
      gint64 rest = bb_transaction_get_unassigned_cents (t);
      g_autofree char *amount = bb_money_format (rest < 0 ? -rest : rest);

      text = rest * (t->amount_cents < 0 ? -1 : 1) > 0
             /* Translators: %s is an amount of money */
             ? g_strdup_printf (_("Still to divide: %s"), amount)
             : g_strdup_printf (_("The lines are %s more than the amount."), amount);
      gtk_widget_add_css_class (GTK_WIDGET (self->remaining), "warning");
    }
  if (bb_transaction_get_unassigned_cents (t) == 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self->remaining), "warning");
  gtk_label_set_text (self->remaining, text);
}

static void
on_remove_line_clicked_cb (GtkButton           *button,
                           BbTransactionDialog *self)
{
  Line *line = g_object_get_data (G_OBJECT (button), "line");

  gtk_list_box_remove (self->lines_list, line->row);
  g_ptr_array_remove (self->lines, line);
  update_remaining (self);
}

static Line *
add_line (BbTransactionDialog *self,
          const char          *post_id,
          const char          *amount)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  Line *line = g_new0 (Line, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  guint selected = 0;
  g_autofree char *label = g_strdup_printf (_("Amount of line %u"), self->lines->len + 1);

  gtk_string_list_append (names, _("No post"));
  for (guint i = 0; i < self->posts->len; i++)
    {
      BbBudgetPost *post = g_ptr_array_index (self->posts, i);

      gtk_string_list_append (names, post->name);
      if (g_strcmp0 (post->id, post_id) == 0)
        selected = i + 1;
    }
  if (post_id != NULL && selected == 0)
    {
      /* Booked on a post of another subsidy: keep it as it is */
      line->kept_post_id = g_strdup (post_id);
      gtk_string_list_append (names, _("A post of another subsidy"));
      selected = self->posts->len + 1;
    }

  line->post = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL));
  bb_money_dropdown_make_narrow (line->post);
  gtk_drop_down_set_selected (line->post, selected);
  gtk_widget_set_hexpand (GTK_WIDGET (line->post), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (line->post), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Post"), -1);
  g_signal_connect_swapped (line->post, "notify::selected", G_CALLBACK (update_remaining), self);

  line->amount = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (line->amount), amount != NULL ? amount : "");
  gtk_editable_set_width_chars (GTK_EDITABLE (line->amount), 9);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (line->amount), 9);
  gtk_entry_set_input_purpose (line->amount, GTK_INPUT_PURPOSE_NUMBER);
  gtk_entry_set_placeholder_text (line->amount, "0,00");
  gtk_accessible_update_property (GTK_ACCESSIBLE (line->amount), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  g_signal_connect_swapped (line->amount, "changed", G_CALLBACK (update_remaining), self);

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this line"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove this line"), -1);
  g_object_set_data (G_OBJECT (remove), "line", line);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_line_clicked_cb), self);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (line->post));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (line->amount));
  gtk_box_append (GTK_BOX (box), remove);
  line->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (line->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (line->row), box);
  gtk_list_box_append (self->lines_list, line->row);
  g_ptr_array_add (self->lines, line);

  return line;
}

static void
on_add_line_clicked_cb (BbTransactionDialog *self)
{
  g_autoptr(BbTransaction) t = read_form (self, NULL);
  g_autofree char *rest = NULL;
  Line *line;

  /* The new line starts with what is still to divide */
  if (t != NULL && bb_transaction_get_unassigned_cents (t) != 0)
    {
      gint64 cents = bb_transaction_get_unassigned_cents (t);

      rest = bb_money_format_plain (cents < 0 ? -cents : cents);
    }
  line = add_line (self, NULL, rest);
  update_remaining (self);
  gtk_widget_grab_focus (GTK_WIDGET (line->post));
}

gboolean
bb_transaction_dialog_save (BbTransactionDialog *self)
{
  g_autoptr(BbTransaction) t = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BB_IS_TRANSACTION_DIALOG (self), FALSE);

  t = read_form (self, &error);
  if (t == NULL || !bb_ledger_save (self->store, t, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  show_error (self, NULL);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
on_delete_clicked_cb (BbTransactionDialog *self)
{
  g_autofree char *id = g_strdup (self->transaction->id);

  /* Closing destroys the window: tell the page first */
  g_signal_emit (self, signals[DELETE_REQUESTED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static AdwEntryRow *
entry_row (GtkListBox *list,
           const char *title,
           const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_list_box_append (list, row);
  return ADW_ENTRY_ROW (row);
}

static GtkDropDown *
dropdown_row (GtkListBox    *list,
              const char    *title,
              GtkStringList *choices,
              guint          selected)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (choices)), NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  bb_money_dropdown_make_narrow (GTK_DROP_DOWN (dropdown));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);
  gtk_list_box_append (list, row);
  return GTK_DROP_DOWN (dropdown);
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

/* "None", then the programme's activities with their date; the volunteers
 * by name. Links the transaction already has come first when they are
 * not in the lists (e.g. an activity of another year is always there). */
static GtkStringList *
activity_choices (BbTransactionDialog *self,
                  guint               *out_selected)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) activities = bb_programme_list_activities (self->store, NULL);

  *out_selected = 0;
  gtk_string_list_append (names, C_("activity", "None"));
  for (guint i = 0; activities != NULL && i < activities->len; i++)
    {
      BbActivity *activity = g_ptr_array_index (activities, i);
      g_autofree char *date = g_date_time_format (bb_activity_get_start (activity), "%Y-%m-%d");
      g_autofree char *label = g_strdup_printf ("%s (%s)", bb_activity_get_title (activity), date);

      gtk_string_list_append (names, label);
      g_ptr_array_add (self->activity_ids, g_strdup (bb_activity_get_id (activity)));
      if (g_strcmp0 (bb_activity_get_id (activity), self->transaction->activity_id) == 0)
        *out_selected = self->activity_ids->len;
    }
  return names;
}

static GtkStringList *
volunteer_choices (BbTransactionDialog *self,
                   guint               *out_selected)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  g_autoptr(GListModel) volunteers = bb_volunteer_list_all (self->store, NULL);

  *out_selected = 0;
  gtk_string_list_append (names, C_("volunteer", "None"));
  for (guint i = 0; volunteers != NULL && i < g_list_model_get_n_items (volunteers); i++)
    {
      g_autoptr(BbVolunteer) volunteer = g_list_model_get_item (volunteers, i);

      gtk_string_list_append (names, bb_volunteer_get_display_name (volunteer));
      g_ptr_array_add (self->volunteer_ids, g_strdup (bb_volunteer_get_id (volunteer)));
      if (g_strcmp0 (bb_volunteer_get_id (volunteer), self->transaction->volunteer_id) == 0)
        *out_selected = self->volunteer_ids->len;
    }
  return names;
}

static void
build (BbTransactionDialog *self,
       gboolean             is_new)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *add = gtk_button_new_with_mnemonic (_("Add _Line"));
  GtkListBox *details = boxed_list ();
  GtkListBox *links = boxed_list ();
  g_autoptr(GtkStringList) accounts = gtk_string_list_new (NULL);
  g_autofree char *amount = NULL;
  guint selected;

  gtk_window_set_title (GTK_WINDOW (self), is_new ? _("New Transaction") : _("Transaction"));
  gtk_window_set_default_size (GTK_WINDOW (self), 440, 680);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (bb_transaction_dialog_save), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (content), header);

  gtk_box_append (GTK_BOX (box), heading (_("Details")));
  self->date_row = entry_row (details, _("Date (YYYY-MM-DD)"), self->transaction->date);
  if (!is_new)
    amount = bb_money_format_plain (self->transaction->amount_cents);
  self->amount_row = entry_row (details, _("Amount (€, negative for an expense)"), amount);
  self->description_row = entry_row (details, _("Description"), self->transaction->description);
  self->counterparty_row = entry_row (details, _("Counterparty"), self->transaction->counterparty);
  self->iban_row = entry_row (details, _("Counterparty IBAN"), self->transaction->counterparty_iban);
  gtk_string_list_append (accounts, bb_account_get_label (BB_ACCOUNT_BANK));
  gtk_string_list_append (accounts, bb_account_get_label (BB_ACCOUNT_CASH));
  self->account = dropdown_row (details, _("Account"), accounts,
                                self->transaction->account == BB_ACCOUNT_CASH ? 1 : 0);
  g_signal_connect_swapped (self->amount_row, "changed", G_CALLBACK (update_remaining), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (details));

  gtk_box_append (GTK_BOX (box), heading (_("Posts")));
  self->lines_list = boxed_list ();
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->lines_list));
  self->remaining = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->remaining, 0);
  gtk_label_set_wrap (self->remaining, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->remaining), "numeric");
  gtk_widget_set_margin_top (GTK_WIDGET (self->remaining), 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->remaining));
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  gtk_widget_set_margin_top (add, 6);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_line_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), add);

  gtk_box_append (GTK_BOX (box), heading (_("Links")));
  {
    g_autoptr(GtkStringList) activities = activity_choices (self, &selected);
    self->activity = dropdown_row (links, _("Activity"), activities, selected);
  }
  {
    g_autoptr(GtkStringList) volunteers = volunteer_choices (self, &selected);
    self->volunteer = dropdown_row (links, _("Volunteer"), volunteers, selected);
  }
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (links));

  self->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error, TRUE);
  gtk_label_set_xalign (self->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error), FALSE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->error), 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error));

  if (!is_new)
    {
      GtkWidget *delete = gtk_button_new_with_mnemonic (_("_Delete Transaction"));

      gtk_widget_add_css_class (delete, "destructive-action");
      gtk_widget_add_css_class (delete, "pill");
      gtk_widget_set_halign (delete, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_top (delete, 24);
      g_signal_connect_swapped (delete, "clicked", G_CALLBACK (on_delete_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), delete);
    }

  for (guint i = 0; i < self->transaction->splits->len; i++)
    {
      const BbSplit *split = &g_array_index (self->transaction->splits, BbSplit, i);
      g_autofree char *text = bb_money_format_plain (split->amount_cents < 0 ? -split->amount_cents
                                                                             : split->amount_cents);

      add_line (self, split->post_id, text);
    }

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_bottom (box, 24);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 600);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (content), scrolled);
  adw_window_set_content (ADW_WINDOW (self), content);

  update_remaining (self);
}

static void
bb_transaction_dialog_dispose (GObject *object)
{
  BbTransactionDialog *self = (BbTransactionDialog *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->transaction);
  g_clear_pointer (&self->posts, g_ptr_array_unref);
  g_clear_pointer (&self->activity_ids, g_ptr_array_unref);
  g_clear_pointer (&self->volunteer_ids, g_ptr_array_unref);
  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (bb_transaction_dialog_parent_class)->dispose (object);
}

static void
bb_transaction_dialog_class_init (BbTransactionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_transaction_dialog_dispose;

  /* The id of the transaction the user wants deleted. */
  signals[DELETE_REQUESTED] =
    g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_transaction_dialog_init (BbTransactionDialog *self)
{
  self->activity_ids = g_ptr_array_new_with_free_func (g_free);
  self->volunteer_ids = g_ptr_array_new_with_free_func (g_free);
  self->lines = g_ptr_array_new_with_free_func (line_free);
}

BbTransactionDialog *
bb_transaction_dialog_new (GtkWindow     *parent,
                           BbStore       *store,
                           BbTransaction *transaction,
                           GPtrArray     *posts)
{
  BbTransactionDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (transaction == NULL || BB_IS_TRANSACTION (transaction), NULL);

  self = g_object_new (BB_TYPE_TRANSACTION_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->posts = posts != NULL ? g_ptr_array_ref (posts)
                              : g_ptr_array_new_with_free_func (g_object_unref);
  if (transaction != NULL)
    self->transaction = bb_transaction_copy (transaction);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      self->transaction = bb_transaction_new ();
      g_free (self->transaction->date);
      self->transaction->date = g_date_time_format (now, "%Y-%m-%d");
    }
  build (self, transaction == NULL);

  return self;
}

void
bb_transaction_dialog_add_line (BbTransactionDialog *self,
                                guint                post_index,
                                const char          *amount)
{
  Line *line;

  g_return_if_fail (BB_IS_TRANSACTION_DIALOG (self));

  line = add_line (self, NULL, amount);
  gtk_drop_down_set_selected (line->post, post_index);
  update_remaining (self);
}

const char *
bb_transaction_dialog_get_remaining_text (BbTransactionDialog *self)
{
  g_return_val_if_fail (BB_IS_TRANSACTION_DIALOG (self), NULL);

  return gtk_label_get_text (self->remaining);
}

const char *
bb_transaction_dialog_get_error (BbTransactionDialog *self)
{
  g_return_val_if_fail (BB_IS_TRANSACTION_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error)) ? gtk_label_get_text (self->error) : NULL;
}
