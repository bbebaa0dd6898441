/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The grantors' rule sets: the built-in ones to look at and copy, the
 * council's own copies to edit. Typed text becomes a BbRuleset here; the
 * checks and their messages are the core's (bb_ruleset_validate).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "bb-money.h"
#include "bb-money-widgets.h"
#include "bb-ruleset.h"
#include "bb-ruleset-dialog.h"

typedef struct {
  GtkWidget   *row;
  GtkEntry    *bound;     /* hidden on the last, open tier */
  GtkLabel    *above;     /* "Above that" on the last tier */
  GtkDropDown *content;
} Tier;

struct _BbRulesetDialog
{
  AdwWindow       parent_instance;

  BbStore        *store;
  GPtrArray      *rulesets;        /* BbRuleset* */
  BbRuleset      *current;
  GPtrArray      *tiers;           /* Tier* */
  gboolean        loading;

  GtkDropDown    *chooser;
  GtkWidget      *copy_button;
  GtkWidget      *delete_button;
  GtkWidget      *save_button;
  GtkLabel       *hint;
  GtkWidget      *form;
  AdwEntryRow    *name_row;
  GtkListBox     *tiers_list;
  GtkDropDown    *deadline_kind;
  AdwEntryRow    *weeks_row;
  AdwEntryRow    *fixed_row;
  AdwEntryRow    *date_row;
  AdwEntryRow    *variance_row;
  AdwEntryRow    *attachments_row;
  GtkLabel       *error;
};

G_DEFINE_FINAL_TYPE (BbRulesetDialog, bb_ruleset_dialog, ADW_TYPE_WINDOW)

static const BbReportContent contents[] = {
  BB_REPORT_CONTENT_NONE,
  BB_REPORT_CONTENT_ACTIVITY,
  BB_REPORT_CONTENT_ACTIVITY_FINANCIAL,
  BB_REPORT_CONTENT_AUDITOR,
};

static void
show_error (BbRulesetDialog *self,
            const char      *message,
            GtkWidget       *field)
{
  GtkWidget *fields[] = { GTK_WIDGET (self->name_row), GTK_WIDGET (self->tiers_list),
                          GTK_WIDGET (self->weeks_row), GTK_WIDGET (self->fixed_row),
                          GTK_WIDGET (self->date_row), GTK_WIDGET (self->variance_row),
                          GTK_WIDGET (self->attachments_row) };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    gtk_widget_remove_css_class (fields[i], "error");
  if (field != NULL)
    gtk_widget_add_css_class (field, "error");
  gtk_label_set_text (self->error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error), message != NULL);
}

static void
update_tier_rows (BbRulesetDialog *self)
{
  for (guint i = 0; i < self->tiers->len; i++)
    {
      Tier *tier = g_ptr_array_index (self->tiers, i);
      gboolean last = i + 1 == self->tiers->len;

      gtk_widget_set_visible (GTK_WIDGET (tier->bound), !last);
      gtk_widget_set_visible (GTK_WIDGET (tier->above), last);
    }
}

static void
on_remove_tier_clicked_cb (GtkButton       *button,
                           BbRulesetDialog *self)
{
  Tier *tier = g_object_get_data (G_OBJECT (button), "tier");

  if (self->tiers->len <= 1)
    return;
  gtk_list_box_remove (self->tiers_list, tier->row);
  g_ptr_array_remove (self->tiers, tier);
  update_tier_rows (self);
}

static Tier *
add_tier (BbRulesetDialog *self,
          guint            position,
          gint64           up_to_cents,
          BbReportContent  content)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  Tier *tier = g_new0 (Tier, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *bound = up_to_cents >= 0 ? bb_money_format_plain (up_to_cents) : NULL;
  guint selected = 0;

  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      gtk_string_list_append (names, bb_report_content_get_label (contents[i]));
      if (contents[i] == content)
        selected = i;
    }

  tier->bound = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (tier->bound), bound != NULL ? bound : "");
  gtk_editable_set_width_chars (GTK_EDITABLE (tier->bound), 9);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (tier->bound), 10);
  gtk_entry_set_input_purpose (tier->bound, GTK_INPUT_PURPOSE_NUMBER);
  /* Translators: placeholder of the upper amount of a tier */
  gtk_entry_set_placeholder_text (tier->bound, _("up to €"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (tier->bound), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Granted up to (€)"), -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (tier->bound), _("Granted up to and including this amount"));
  /* Translators: the last tier of a rule set: every higher amount granted */
  tier->above = GTK_LABEL (gtk_label_new (_("Above that")));
  gtk_label_set_xalign (tier->above, 0);
  gtk_label_set_width_chars (tier->above, 9);
  tier->content = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL));
  bb_money_dropdown_make_narrow (tier->content);
  gtk_drop_down_set_selected (tier->content, selected);
  gtk_widget_set_hexpand (GTK_WIDGET (tier->content), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tier->content), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Required content"), -1);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this tier"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove this tier"), -1);
  g_object_set_data (G_OBJECT (remove), "tier", tier);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_tier_clicked_cb), self);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (tier->bound));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (tier->above));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (tier->content));
  gtk_box_append (GTK_BOX (box), remove);
  tier->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (tier->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (tier->row), box);
  gtk_list_box_insert (self->tiers_list, tier->row, position);
  g_ptr_array_insert (self->tiers, position, tier);
  update_tier_rows (self);
  return tier;
}

static void
on_add_tier_clicked_cb (BbRulesetDialog *self)
{
  /* A new bound goes before the open last tier. */
  Tier *tier = add_tier (self, self->tiers->len > 0 ? self->tiers->len - 1 : 0, -1, BB_REPORT_CONTENT_NONE);

  gtk_widget_grab_focus (GTK_WIDGET (tier->bound));
}

static void
update_deadline_rows (BbRulesetDialog *self)
{
  guint kind = gtk_drop_down_get_selected (self->deadline_kind);

  gtk_widget_set_visible (GTK_WIDGET (self->weeks_row), kind == BB_DEADLINE_WEEKS_AFTER_END);
  gtk_widget_set_visible (GTK_WIDGET (self->fixed_row), kind == BB_DEADLINE_FIXED);
  gtk_widget_set_visible (GTK_WIDGET (self->date_row), kind == BB_DEADLINE_DATE);
}

static void
fill_form (BbRulesetDialog *self)
{
  BbRuleset *r = self->current;
  g_autofree char *weeks = g_strdup_printf ("%u", r->deadline_weeks);
  g_autofree char *fixed = r->deadline_month > 0 ? g_strdup_printf ("%02u-%02u", r->deadline_day, r->deadline_month)
                                                 : g_strdup ("");
  g_autofree char *percent = bb_ruleset_format_percent (r->variance_threshold_bp);
  g_autofree char *attachments = r->required_attachments != NULL ? g_strjoinv (", ", r->required_attachments)
                                                                 : g_strdup ("");

  while (self->tiers->len > 0)
    {
      Tier *tier = g_ptr_array_index (self->tiers, 0);

      gtk_list_box_remove (self->tiers_list, tier->row);
      g_ptr_array_remove_index (self->tiers, 0);
    }
  for (guint i = 0; i < r->tiers->len; i++)
    {
      const BbRulesetTier *tier = &g_array_index (r->tiers, BbRulesetTier, i);

      add_tier (self, i, tier->up_to_cents, tier->content);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), r->name);
  gtk_drop_down_set_selected (self->deadline_kind, r->deadline_kind);
  gtk_editable_set_text (GTK_EDITABLE (self->weeks_row), weeks);
  gtk_editable_set_text (GTK_EDITABLE (self->fixed_row), fixed);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), r->deadline_date != NULL ? r->deadline_date : "");
  gtk_editable_set_text (GTK_EDITABLE (self->variance_row), percent);
  gtk_editable_set_text (GTK_EDITABLE (self->attachments_row), attachments);
  update_deadline_rows (self);

  /* Built-in rule sets are shown as they are; the council edits copies. */
  gtk_widget_set_sensitive (self->form, !r->builtin);
  gtk_widget_set_sensitive (self->save_button, !r->builtin);
  gtk_widget_set_sensitive (self->delete_button, !r->builtin);
  gtk_widget_set_visible (GTK_WIDGET (self->hint), r->builtin);
  show_error (self, NULL, NULL);
}

static void
on_chooser_selected_cb (BbRulesetDialog *self)
{
  guint i = gtk_drop_down_get_selected (self->chooser);

  if (self->loading || self->rulesets == NULL || i >= self->rulesets->len)
    return;
  g_set_object (&self->current, g_ptr_array_index (self->rulesets, i));
  fill_form (self);
}

static void
load_list (BbRulesetDialog *self,
           const char      *select_id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  g_clear_pointer (&self->rulesets, g_ptr_array_unref);
  self->rulesets = bb_ruleset_list (self->store, &error);
  if (self->rulesets == NULL)
    {
      self->rulesets = g_ptr_array_new_with_free_func (g_object_unref);
      show_error (self, error->message, NULL);
    }
  for (guint i = 0; i < self->rulesets->len; i++)
    {
      BbRuleset *r = g_ptr_array_index (self->rulesets, i);

      gtk_string_list_append (names, r->name);
      if (g_strcmp0 (r->id, select_id) == 0)
        selected = i;
    }
  self->loading = TRUE;
  gtk_drop_down_set_model (self->chooser, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->chooser, selected);
  self->loading = FALSE;
  on_chooser_selected_cb (self);
}

static guint
parse_uint (const char *text,
            gboolean   *ok)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  guint64 value = 0;

  *ok = g_ascii_string_to_unsigned (stripped, 10, 0, 100000, &value, NULL);
  return (guint)value;
}

/* The form as a rule set, or NULL with the message and the field. */
static BbRuleset *
read_form (BbRulesetDialog  *self,
           GtkWidget       **out_field,
           GError          **error)
{
  g_autoptr(BbRuleset) r = bb_ruleset_copy (self->current, gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  BbRulesetField field = BB_RULESET_FIELD_NAME;
  gboolean ok;

  /* The copy got a new id; editing keeps the one it had. */
  g_free (r->id);
  r->id = g_strdup (self->current->id);

  g_array_set_size (r->tiers, 0);
  for (guint i = 0; i < self->tiers->len; i++)
    {
      Tier *tier = g_ptr_array_index (self->tiers, i);
      BbRulesetTier t = { -1, contents[MIN (gtk_drop_down_get_selected (tier->content), G_N_ELEMENTS (contents) - 1)] };
      const char *text = gtk_editable_get_text (GTK_EDITABLE (tier->bound));

      if (i + 1 < self->tiers->len && *text != '\0')
        {
          if (!bb_money_parse (text, &t.up_to_cents, &local_error) || t.up_to_cents < 0)
            {
              *out_field = GTK_WIDGET (self->tiers_list);
              g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID,
                           /* Translators: %u is the number of a tier, %s what is wrong with its amount */
                           _("Tier %u: %s"), i + 1,
                           local_error != NULL ? local_error->message : _("the amount cannot be negative."));
              return NULL;
            }
        }
      g_array_append_val (r->tiers, t);
    }

  r->deadline_kind = gtk_drop_down_get_selected (self->deadline_kind);
  switch (r->deadline_kind)
    {
    case BB_DEADLINE_WEEKS_AFTER_END:
      r->deadline_weeks = parse_uint (gtk_editable_get_text (GTK_EDITABLE (self->weeks_row)), &ok);
      if (!ok)
        {
          *out_field = GTK_WIDGET (self->weeks_row);
          g_set_error_literal (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID,
                               _("Write the number of weeks as a whole number, like 13."));
          return NULL;
        }
      break;
    case BB_DEADLINE_FIXED:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (self->fixed_row));
        unsigned day = 0, month = 0;
        char end = '\0';

        if (sscanf (text, "%u-%u%c", &day, &month, &end) != 2)
          day = month = 0;
        r->deadline_day = day;
        r->deadline_month = month;
      }
      break;
    case BB_DEADLINE_DATE:
    default:
      g_free (r->deadline_date);
      r->deadline_date = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->date_row))));
      break;
    }

  if (!bb_ruleset_parse_percent (gtk_editable_get_text (GTK_EDITABLE (self->variance_row)),
                                 &r->variance_threshold_bp, error))
    {
      *out_field = GTK_WIDGET (self->variance_row);
      return NULL;
    }

  /* "Bankafschriften, Jaarrekening," — empty pieces are left out. */
  parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->attachments_row)), ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  g_strfreev (r->required_attachments);
  r->required_attachments = g_strv_builder_end (builder);

  if (!bb_ruleset_validate (r, &field, error))
    {
      switch (field)
        {
        case BB_RULESET_FIELD_TIERS:
          *out_field = GTK_WIDGET (self->tiers_list);
          break;
        case BB_RULESET_FIELD_DEADLINE:
          *out_field = r->deadline_kind == BB_DEADLINE_FIXED ? GTK_WIDGET (self->fixed_row)
                     : r->deadline_kind == BB_DEADLINE_DATE ? GTK_WIDGET (self->date_row)
                     : GTK_WIDGET (self->weeks_row);
          break;
        case BB_RULESET_FIELD_VARIANCE:
          *out_field = GTK_WIDGET (self->variance_row);
          break;
        case BB_RULESET_FIELD_ATTACHMENTS:
          *out_field = GTK_WIDGET (self->attachments_row);
          break;
        case BB_RULESET_FIELD_NAME:
        default:
          *out_field = GTK_WIDGET (self->name_row);
          break;
        }
      return NULL;
    }
  return g_steal_pointer (&r);
}

gboolean
bb_ruleset_dialog_save (BbRulesetDialog *self)
{
  g_autoptr(BbRuleset) r = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *field = NULL;

  g_return_val_if_fail (BB_IS_RULESET_DIALOG (self), FALSE);

  if (self->current == NULL || self->current->builtin)
    return FALSE;
  r = read_form (self, &field, &error);
  if (r == NULL || !bb_ruleset_save (self->store, r, &error))
    {
      show_error (self, error->message, field);
      return FALSE;
    }
  load_list (self, r->id);
  return TRUE;
}

gboolean
bb_ruleset_dialog_copy (BbRulesetDialog *self)
{
  g_autoptr(BbRuleset) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (BB_IS_RULESET_DIALOG (self), FALSE);

  if (self->current == NULL)
    return FALSE;
  /* Translators: the name of a copied rule set; %s is the original's name */
  name = g_strdup_printf (_("%s (copy)"), self->current->name);
  copy = bb_ruleset_copy (self->current, name);
  if (!bb_ruleset_save (self->store, copy, &error))
    {
      show_error (self, error->message, NULL);
      return FALSE;
    }
  load_list (self, copy->id);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return TRUE;
}

static void
on_delete_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       BbRulesetDialog  *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->current == NULL)
    return;
  if (!bb_ruleset_delete (self->store, self->current->id, &error))
    show_error (self, error->message, NULL);
  else
    load_list (self, NULL);
}

static void
on_delete_clicked_cb (BbRulesetDialog *self)
{
  GtkWidget *dialog;

  if (self->current == NULL || self->current->builtin)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Delete This Rule Set?"),
                                   _("Subsidies that follow it will follow the typical municipal rule set instead."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 6);
  return label;
}

static AdwEntryRow *
entry_row (GtkListBox *list,
           const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_append (list, row);
  return ADW_ENTRY_ROW (row);
}

static void
build (BbRulesetDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *add = gtk_button_new_with_mnemonic (_("Add _Tier"));
  GtkListBox *chooser_list = boxed_list ();
  GtkListBox *details = boxed_list ();
  GtkListBox *deadline = boxed_list ();
  GtkWidget *row;
  const char *kinds[] = { _("Weeks after the period ends"), _("The same day every year"), _("One fixed date"), NULL };

  gtk_window_set_title (GTK_WINDOW (self), _("Rule Sets"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (bb_ruleset_dialog_save), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (content), header);

  /* Which rule set */
  self->chooser = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  bb_money_dropdown_make_narrow (self->chooser);
  gtk_widget_set_valign (GTK_WIDGET (self->chooser), GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (GTK_WIDGET (self->chooser), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chooser), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rule set"), -1);
  g_signal_connect_swapped (self->chooser, "notify::selected", G_CALLBACK (on_chooser_selected_cb), self);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Rule set"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->chooser));
  gtk_list_box_append (chooser_list, row);
  gtk_widget_set_margin_top (GTK_WIDGET (chooser_list), 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (chooser_list));

  self->copy_button = gtk_button_new_with_mnemonic (_("_Copy to Edit"));
  gtk_widget_set_tooltip_text (self->copy_button, _("Make a copy of this rule set that the council can change"));
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (bb_ruleset_dialog_copy), self);
  self->delete_button = gtk_button_new_with_mnemonic (_("_Delete"));
  gtk_widget_add_css_class (self->delete_button, "destructive-action");
  g_signal_connect_swapped (self->delete_button, "clicked", G_CALLBACK (on_delete_clicked_cb), self);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 6);
  gtk_box_append (GTK_BOX (buttons), self->delete_button);
  gtk_box_append (GTK_BOX (buttons), self->copy_button);
  gtk_box_append (GTK_BOX (box), buttons);

  self->hint = GTK_LABEL (gtk_label_new (_("Built-in rule sets cannot be changed. Copy one to adapt it to your grantor.")));
  gtk_label_set_wrap (self->hint, TRUE);
  gtk_label_set_xalign (self->hint, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->hint), "dim-label");
  gtk_widget_set_margin_top (GTK_WIDGET (self->hint), 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->hint));

  /* The rule set itself */
  self->form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (self->form), heading (_("Details")));
  self->name_row = entry_row (details, _("Name"));
  self->variance_row = entry_row (details, _("Explain differences above (%)"));
  self->attachments_row = entry_row (details, _("Required attachments (separated by commas)"));
  gtk_box_append (GTK_BOX (self->form), GTK_WIDGET (details));

  gtk_box_append (GTK_BOX (self->form), heading (_("Required Content by Amount Granted")));
  self->tiers_list = boxed_list ();
  gtk_box_append (GTK_BOX (self->form), GTK_WIDGET (self->tiers_list));
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  gtk_widget_set_margin_top (add, 6);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_tier_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->form), add);

  gtk_box_append (GTK_BOX (self->form), heading (_("Report Deadline")));
  self->deadline_kind = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (kinds));
  bb_money_dropdown_make_narrow (self->deadline_kind);
  gtk_widget_set_valign (GTK_WIDGET (self->deadline_kind), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->deadline_kind), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Kind of deadline"), -1);
  g_signal_connect_swapped (self->deadline_kind, "notify::selected", G_CALLBACK (update_deadline_rows), self);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Deadline"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->deadline_kind));
  gtk_list_box_append (deadline, row);
  self->weeks_row = entry_row (deadline, _("Weeks after the end of the period"));
  self->fixed_row = entry_row (deadline, _("Day and month (DD-MM)"));
  self->date_row = entry_row (deadline, _("Date (YYYY-MM-DD)"));
  gtk_box_append (GTK_BOX (self->form), GTK_WIDGET (deadline));
  gtk_box_append (GTK_BOX (box), self->form);

  self->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error, TRUE);
  gtk_label_set_xalign (self->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error), FALSE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->error), 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error));

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
}

static void
bb_ruleset_dialog_dispose (GObject *object)
{
  BbRulesetDialog *self = (BbRulesetDialog *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->current);
  g_clear_pointer (&self->rulesets, g_ptr_array_unref);
  g_clear_pointer (&self->tiers, g_ptr_array_unref);

  G_OBJECT_CLASS (bb_ruleset_dialog_parent_class)->dispose (object);
}

static void
bb_ruleset_dialog_class_init (BbRulesetDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_ruleset_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_ruleset_dialog_init (BbRulesetDialog *self)
{
  self->tiers = g_ptr_array_new_with_free_func (g_free);
  build (self);
}

BbRulesetDialog *
bb_ruleset_dialog_new (GtkWindow  *parent,
                       BbStore    *store,
                       const char *ruleset_id)
{
  BbRulesetDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  self = g_object_new (BB_TYPE_RULESET_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  load_list (self, ruleset_id);
  return self;
}

const char *
bb_ruleset_dialog_get_ruleset_id (BbRulesetDialog *self)
{
  g_return_val_if_fail (BB_IS_RULESET_DIALOG (self), NULL);

  return self->current != NULL ? self->current->id : NULL;
}

const char *
bb_ruleset_dialog_get_error (BbRulesetDialog *self)
{
  g_return_val_if_fail (BB_IS_RULESET_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error)) ? gtk_label_get_text (self->error) : NULL;
}

GtkEditable *
bb_ruleset_dialog_get_tier_entry (BbRulesetDialog *self,
                                  guint            index)
{
  Tier *tier;

  g_return_val_if_fail (BB_IS_RULESET_DIALOG (self), NULL);

  if (index + 1 >= self->tiers->len)
    return NULL;
  tier = g_ptr_array_index (self->tiers, index);
  return GTK_EDITABLE (tier->bound);
}
