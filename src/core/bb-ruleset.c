/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Rule sets are data: thresholds, the deadline rule and the variance
 * threshold of a grantor, as JSON. Amounts are integer cents and the
 * threshold is in basis points, so "one cent above" is exact.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bb-date.h"
#include "bb-money.h"
#include "bb-ruleset.h"
#include "bb-store-private.h"

G_DEFINE_QUARK (bb-ruleset-error-quark, bb_ruleset_error)

G_DEFINE_FINAL_TYPE (BbRuleset, bb_ruleset, G_TYPE_OBJECT)

/* The Rijkssubsidiekader model: up to € 25.000 nothing; up to € 125.000 an
 * activity report; above that a financial report with auditor statement;
 * the request for the final amount within 13 weeks. */
static const char national_json[] =
  "{ \"name\": \"National model\","
  "  \"tiers\": [ { \"up_to_cents\": 2500000, \"content\": \"none\" },"
  "               { \"up_to_cents\": 12500000, \"content\": \"activity\" },"
  "               { \"content\": \"auditor\" } ],"
  "  \"deadline\": { \"type\": \"weeks-after-end\", \"weeks\": 13 },"
  "  \"variance_threshold_percent\": 10,"
  "  \"required_attachments\": [] }";

/* A typical municipal ASV: up to € 5.000 fixed directly, above that an
 * activity and financial report, 13 weeks after the period. */
static const char municipal_json[] =
  "{ \"name\": \"Typical municipality\","
  "  \"tiers\": [ { \"up_to_cents\": 500000, \"content\": \"none\" },"
  "               { \"content\": \"activity-financial\" } ],"
  "  \"deadline\": { \"type\": \"weeks-after-end\", \"weeks\": 13 },"
  "  \"variance_threshold_percent\": 10,"
  "  \"required_attachments\": [] }";

static const struct {
  const char *id;
  const char *json;
  const char *name;
} builtins[] = {
  { BB_RULESET_ID_NATIONAL, national_json, N_("National model (up to € 25.000 no report)") },
  { BB_RULESET_ID_MUNICIPAL, municipal_json, N_("Typical municipality (up to € 5.000 no report)") },
};

static const char *content_names[] = {
  [BB_REPORT_CONTENT_NONE] = "none",
  [BB_REPORT_CONTENT_ACTIVITY] = "activity",
  [BB_REPORT_CONTENT_ACTIVITY_FINANCIAL] = "activity-financial",
  [BB_REPORT_CONTENT_AUDITOR] = "auditor",
};

static void
bb_ruleset_finalize (GObject *object)
{
  BbRuleset *self = (BbRuleset *)object;

  g_free (self->id);
  g_free (self->name);
  g_clear_pointer (&self->tiers, g_array_unref);
  g_free (self->deadline_date);
  g_strfreev (self->required_attachments);

  G_OBJECT_CLASS (bb_ruleset_parent_class)->finalize (object);
}

static void
bb_ruleset_class_init (BbRulesetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_ruleset_finalize;
}

static void
bb_ruleset_init (BbRuleset *self)
{
  self->id = g_strdup ("");
  self->name = g_strdup ("");
  self->tiers = g_array_new (FALSE, TRUE, sizeof (BbRulesetTier));
  self->deadline_kind = BB_DEADLINE_WEEKS_AFTER_END;
  self->deadline_weeks = 13;
  self->variance_threshold_bp = 1000;
  self->required_attachments = g_new0 (char *, 1);
}

const char *
bb_report_content_to_string (BbReportContent content)
{
  g_return_val_if_fail (content <= BB_REPORT_CONTENT_AUDITOR, "none");
  return content_names[content];
}

gboolean
bb_report_content_from_string (const char      *text,
                               BbReportContent *out_content)
{
  for (guint i = 0; i < G_N_ELEMENTS (content_names); i++)
    if (g_strcmp0 (text, content_names[i]) == 0)
      {
        *out_content = (BbReportContent)i;
        return TRUE;
      }
  return FALSE;
}

const char *
bb_report_content_get_label (BbReportContent content)
{
  switch (content)
    {
    case BB_REPORT_CONTENT_NONE:
      return _("No report");
    case BB_REPORT_CONTENT_ACTIVITY:
      return _("Activity report");
    case BB_REPORT_CONTENT_ACTIVITY_FINANCIAL:
      return _("Activity and financial report");
    case BB_REPORT_CONTENT_AUDITOR:
      return _("Activity and financial report with auditor statement");
    default:
      g_return_val_if_reached ("");
    }
}

static gboolean
invalid (GError     **error,
         const char  *field)
{
  g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID,
               _("The rule set has a missing or wrong field “%s”."), field);
  return FALSE;
}

static gboolean
read_uint (JsonObject *object,
           const char *key,
           guint       min,
           guint       max,
           guint      *out)
{
  JsonNode *node = json_object_get_member (object, key);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (node);
  if (value < min || value > max)
    return FALSE;
  *out = (guint)value;
  return TRUE;
}

static const char *
read_string (JsonObject *object,
             const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
parse_tiers (BbRuleset  *self,
             JsonObject *root,
             GError    **error)
{
  JsonNode *node = json_object_get_member (root, "tiers");
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "tiers");
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return invalid (error, "tiers");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *field = g_strdup_printf ("tiers[%u]", i);
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *bound;
      BbRulesetTier tier = { -1, BB_REPORT_CONTENT_NONE };

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, field);
      object = json_node_get_object (element);

      if (!bb_report_content_from_string (read_string (object, "content"), &tier.content))
        {
          g_autofree char *sub = g_strconcat (field, ".content", NULL);
          return invalid (error, sub);
        }

      bound = json_object_get_member (object, "up_to_cents");
      if (i + 1 < n)
        {
          if (bound == NULL || !JSON_NODE_HOLDS_VALUE (bound) ||
              json_node_get_value_type (bound) != G_TYPE_INT64 ||
              json_node_get_int (bound) < 0 ||
              (i > 0 && json_node_get_int (bound) <=
                        g_array_index (self->tiers, BbRulesetTier, i - 1).up_to_cents))
            {
              g_autofree char *sub = g_strconcat (field, ".up_to_cents", NULL);
              return invalid (error, sub);
            }
          tier.up_to_cents = json_node_get_int (bound);
        }
      else if (bound != NULL && !JSON_NODE_HOLDS_NULL (bound))
        {
          /* The last tier must be open: every amount has to land somewhere. */
          g_autofree char *sub = g_strconcat (field, ".up_to_cents", NULL);
          return invalid (error, sub);
        }

      g_array_append_val (self->tiers, tier);
    }

  return TRUE;
}

static gboolean
parse_deadline (BbRuleset  *self,
                JsonObject *root,
                GError    **error)
{
  JsonNode *node = json_object_get_member (root, "deadline");
  JsonObject *object;
  const char *type;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "deadline");
  object = json_node_get_object (node);
  type = read_string (object, "type");

  if (g_strcmp0 (type, "weeks-after-end") == 0)
    {
      self->deadline_kind = BB_DEADLINE_WEEKS_AFTER_END;
      if (!read_uint (object, "weeks", 0, 520, &self->deadline_weeks))
        return invalid (error, "deadline.weeks");
    }
  else if (g_strcmp0 (type, "fixed") == 0)
    {
      self->deadline_kind = BB_DEADLINE_FIXED;
      if (!read_uint (object, "month", 1, 12, &self->deadline_month))
        return invalid (error, "deadline.month");
      if (!read_uint (object, "day", 1, 31, &self->deadline_day) ||
          self->deadline_day > g_date_get_days_in_month (self->deadline_month, 2000))
        return invalid (error, "deadline.day");
    }
  else if (g_strcmp0 (type, "date") == 0)
    {
      GDate date;

      self->deadline_kind = BB_DEADLINE_DATE;
      if (read_string (object, "date") == NULL ||
          !bb_date_parse (read_string (object, "date"), &date, NULL))
        return invalid (error, "deadline.date");
      self->deadline_date = bb_date_to_iso (&date);
    }
  else
    return invalid (error, "deadline.type");

  return TRUE;
}

BbRuleset *
bb_ruleset_from_json (const char  *json,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BbRuleset) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *node;
  const char *name;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID,
                   _("The rule set is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      invalid (error, "{}");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  self = g_object_new (BB_TYPE_RULESET, NULL);

  name = read_string (root, "name");
  if (name == NULL || strspn (name, " \t\n") == strlen (name))
    {
      invalid (error, "name");
      return NULL;
    }
  g_free (self->name);
  self->name = g_strdup (name);

  if (!parse_tiers (self, root, error) || !parse_deadline (self, root, error))
    return NULL;

  node = json_object_get_member (root, "variance_threshold_percent");
  if (node != NULL)
    {
      double percent;

      if (!JSON_NODE_HOLDS_VALUE (node) ||
          (json_node_get_value_type (node) != G_TYPE_INT64 &&
           json_node_get_value_type (node) != G_TYPE_DOUBLE))
        {
          invalid (error, "variance_threshold_percent");
          return NULL;
        }
      percent = json_node_get_double (node);
      if (!(percent >= 0 && percent <= 1000))
        {
          invalid (error, "variance_threshold_percent");
          return NULL;
        }
      /* Round to basis points once, here; all comparisons are integers. */
      self->variance_threshold_bp = (guint)(percent * 100 + 0.5);
    }

  node = json_object_get_member (root, "required_attachments");
  if (node != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          invalid (error, "required_attachments");
          return NULL;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            {
              g_autofree char *field = g_strdup_printf ("required_attachments[%u]", i);
              invalid (error, field);
              return NULL;
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      g_strfreev (self->required_attachments);
      self->required_attachments = g_strv_builder_end (builder);
    }

  return g_steal_pointer (&self);
}

char *
bb_ruleset_to_json (BbRuleset *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (BB_IS_RULESET (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);

  json_builder_set_member_name (builder, "tiers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->tiers->len; i++)
    {
      const BbRulesetTier *tier = &g_array_index (self->tiers, BbRulesetTier, i);

      json_builder_begin_object (builder);
      if (tier->up_to_cents >= 0)
        {
          json_builder_set_member_name (builder, "up_to_cents");
          json_builder_add_int_value (builder, tier->up_to_cents);
        }
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, bb_report_content_to_string (tier->content));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "deadline");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  switch (self->deadline_kind)
    {
    case BB_DEADLINE_WEEKS_AFTER_END:
      json_builder_add_string_value (builder, "weeks-after-end");
      json_builder_set_member_name (builder, "weeks");
      json_builder_add_int_value (builder, self->deadline_weeks);
      break;
    case BB_DEADLINE_FIXED:
      json_builder_add_string_value (builder, "fixed");
      json_builder_set_member_name (builder, "month");
      json_builder_add_int_value (builder, self->deadline_month);
      json_builder_set_member_name (builder, "day");
      json_builder_add_int_value (builder, self->deadline_day);
      break;
    case BB_DEADLINE_DATE:
    default:
      json_builder_add_string_value (builder, "date");
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, self->deadline_date ? self->deadline_date : "");
      break;
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "variance_threshold_percent");
  if (self->variance_threshold_bp % 100 == 0)
    json_builder_add_int_value (builder, self->variance_threshold_bp / 100);
  else
    json_builder_add_double_value (builder, self->variance_threshold_bp / 100.0);

  json_builder_set_member_name (builder, "required_attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; self->required_attachments[i] != NULL; i++)
    json_builder_add_string_value (builder, self->required_attachments[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

BbRuleset *
bb_ruleset_copy (BbRuleset  *self,
                 const char *name)
{
  g_autofree char *json = NULL;
  BbRuleset *copy;

  g_return_val_if_fail (BB_IS_RULESET (self), NULL);

  json = bb_ruleset_to_json (self);
  copy = bb_ruleset_from_json (json, NULL);
  g_assert (copy != NULL);
  g_free (copy->id);
  copy->id = bb_store_new_id ();
  copy->builtin = FALSE;
  if (name != NULL)
    {
      g_free (copy->name);
      copy->name = g_strdup (name);
    }
  return copy;
}

static gboolean
field_error (GError         **error,
             BbRulesetField  *out_field,
             BbRulesetField   field,
             const char      *message)
{
  if (out_field != NULL)
    *out_field = field;
  g_set_error_literal (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID, message);
  return FALSE;
}

gboolean
bb_ruleset_validate (BbRuleset       *self,
                     BbRulesetField  *out_field,
                     GError         **error)
{
  g_autofree char *json = NULL;
  g_autoptr(BbRuleset) check = NULL;

  g_return_val_if_fail (BB_IS_RULESET (self), FALSE);

  if (self->name == NULL || strspn (self->name, " \t\n") == strlen (self->name))
    return field_error (error, out_field, BB_RULESET_FIELD_NAME, _("Give the rule set a name."));

  if (self->tiers->len == 0)
    return field_error (error, out_field, BB_RULESET_FIELD_TIERS,
                        _("A rule set needs at least one tier of required content."));
  for (guint i = 0; i + 1 < self->tiers->len; i++)
    {
      const BbRulesetTier *tier = &g_array_index (self->tiers, BbRulesetTier, i);

      if (tier->up_to_cents < 0)
        {
          g_autofree char *message =
            /* Translators: %u is the number of a tier (row) of a rule set */
            g_strdup_printf (_("Tier %u needs an upper amount."), i + 1);
          return field_error (error, out_field, BB_RULESET_FIELD_TIERS, message);
        }
      if (i > 0 && tier->up_to_cents <= g_array_index (self->tiers, BbRulesetTier, i - 1).up_to_cents)
        {
          g_autofree char *before = bb_money_format (g_array_index (self->tiers, BbRulesetTier, i - 1).up_to_cents);
          g_autofree char *message =
            /* Translators: %u is the number of a tier, %s the amount of the tier before it */
            g_strdup_printf (_("Tier %u must go higher than the tier before it (%s)."), i + 1, before);
          return field_error (error, out_field, BB_RULESET_FIELD_TIERS, message);
        }
    }
  if (g_array_index (self->tiers, BbRulesetTier, self->tiers->len - 1).up_to_cents >= 0)
    return field_error (error, out_field, BB_RULESET_FIELD_TIERS,
                        _("The last tier must cover every higher amount."));

  switch (self->deadline_kind)
    {
    case BB_DEADLINE_WEEKS_AFTER_END:
      if (self->deadline_weeks > 520)
        return field_error (error, out_field, BB_RULESET_FIELD_DEADLINE,
                            _("The deadline can be at most 520 weeks after the period."));
      break;
    case BB_DEADLINE_FIXED:
      if (self->deadline_month < 1 || self->deadline_month > 12 || self->deadline_day < 1 ||
          self->deadline_day > g_date_get_days_in_month (self->deadline_month, 2000))
        return field_error (error, out_field, BB_RULESET_FIELD_DEADLINE,
                            _("The deadline day does not exist; write it as day-month, like 01-05."));
      break;
    case BB_DEADLINE_DATE:
      {
        GDate date;

        if (self->deadline_date == NULL || !bb_date_parse (self->deadline_date, &date, NULL))
          return field_error (error, out_field, BB_RULESET_FIELD_DEADLINE,
                              _("The deadline is not a date; write it like 2026-04-01."));
      }
      break;
    default:
      return field_error (error, out_field, BB_RULESET_FIELD_DEADLINE, _("Choose a kind of deadline."));
    }

  if (self->variance_threshold_bp > 100000)
    return field_error (error, out_field, BB_RULESET_FIELD_VARIANCE,
                        _("The variance threshold can be at most 1000%."));

  for (guint i = 0; self->required_attachments != NULL && self->required_attachments[i] != NULL; i++)
    if (strspn (self->required_attachments[i], " \t\n") == strlen (self->required_attachments[i]))
      return field_error (error, out_field, BB_RULESET_FIELD_ATTACHMENTS,
                          _("A required attachment has no name."));

  /* Anything else the stored form would refuse, in its words. */
  json = bb_ruleset_to_json (self);
  check = bb_ruleset_from_json (json, error);
  if (check == NULL)
    {
      if (out_field != NULL)
        *out_field = BB_RULESET_FIELD_NAME;
      return FALSE;
    }
  return TRUE;
}

gboolean
bb_ruleset_parse_percent (const char  *text,
                          guint       *out_bp,
                          GError     **error)
{
  g_autofree char *copy = NULL;
  gint64 whole = 0, fraction = 0;
  guint fraction_digits = 0;
  const char *p;

  g_return_val_if_fail (out_bp != NULL, FALSE);

  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (g_str_has_suffix (copy, "%"))
    {
      copy[strlen (copy) - 1] = '\0';
      g_strstrip (copy);
    }
  p = copy;
  if (*p == '\0')
    goto bad;
  while (g_ascii_isdigit (*p) && whole <= 1000)
    whole = whole * 10 + (*p++ - '0');
  if (*p == ',' || *p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        {
          if (fraction_digits >= 2)
            goto bad;
          fraction = fraction * 10 + (*p++ - '0');
          fraction_digits++;
        }
      if (fraction_digits == 0)
        goto bad;
    }
  if (*p != '\0' || p == copy)
    goto bad;
  if (fraction_digits == 1)
    fraction *= 10;
  if (whole > 1000 || (whole == 1000 && fraction > 0))
    {
      g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID,
                   _("“%s” is more than 1000%%."), text);
      return FALSE;
    }
  *out_bp = (guint)(whole * 100 + fraction);
  return TRUE;

bad:
  g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID,
               _("“%s” is not a percentage; write it like 10 or 7,5."), text != NULL ? text : "");
  return FALSE;
}

char *
bb_ruleset_format_percent (guint bp)
{
  if (bp % 100 == 0)
    return g_strdup_printf ("%u", bp / 100);
  if (bp % 10 == 0)
    return g_strdup_printf ("%u,%u", bp / 100, (bp % 100) / 10);
  return g_strdup_printf ("%u,%02u", bp / 100, bp % 100);
}

BbReportContent
bb_ruleset_required_content (BbRuleset *self,
                             gint64     granted_cents)
{
  g_return_val_if_fail (BB_IS_RULESET (self), BB_REPORT_CONTENT_NONE);

  for (guint i = 0; i < self->tiers->len; i++)
    {
      const BbRulesetTier *tier = &g_array_index (self->tiers, BbRulesetTier, i);

      if (tier->up_to_cents < 0 || granted_cents <= tier->up_to_cents)
        return tier->content;
    }
  /* A hand-built rule set without an open last tier: the heaviest. */
  return BB_REPORT_CONTENT_AUDITOR;
}

char *
bb_ruleset_compute_deadline (BbRuleset   *self,
                             const char  *period_end,
                             GError     **error)
{
  GDate end, deadline;

  g_return_val_if_fail (BB_IS_RULESET (self), NULL);

  if (!bb_date_parse (period_end, &end, error))
    return NULL;

  switch (self->deadline_kind)
    {
    case BB_DEADLINE_WEEKS_AFTER_END:
      deadline = end;
      g_date_add_days (&deadline, 7 * self->deadline_weeks);
      break;
    case BB_DEADLINE_FIXED:
      {
        GDateYear year = g_date_get_year (&end);
        guint day = self->deadline_day;

        /* 29 February falls back to the 28th in a common year. */
        if (day > g_date_get_days_in_month (self->deadline_month, year))
          day = g_date_get_days_in_month (self->deadline_month, year);
        g_date_clear (&deadline, 1);
        g_date_set_dmy (&deadline, day, self->deadline_month, year);
        if (g_date_compare (&deadline, &end) <= 0)
          {
            year++;
            day = MIN (self->deadline_day, g_date_get_days_in_month (self->deadline_month, year));
            g_date_set_dmy (&deadline, day, self->deadline_month, year);
          }
      }
      break;
    case BB_DEADLINE_DATE:
    default:
      if (!bb_date_parse (self->deadline_date, &deadline, error))
        return NULL;
      break;
    }

  return bb_date_to_iso (&deadline);
}

gboolean
bb_ruleset_explanation_required (BbRuleset *self,
                                 gint64     planned_cents,
                                 gint64     actual_cents)
{
  gint64 difference;

  g_return_val_if_fail (BB_IS_RULESET (self), FALSE);

  difference = actual_cents - planned_cents;
  if (difference < 0)
    difference = -difference;
  if (planned_cents <= 0)
    return difference != 0;
  /* Integers only: |d| / planned > bp / 10000. Both sides stay far below
   * G_MAXINT64 for amounts within BB_MONEY_MAX_CENTS. */
  return difference * 10000 > (gint64)self->variance_threshold_bp * planned_cents;
}

BbRuleset *
bb_ruleset_get_builtin (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (g_strcmp0 (id, builtins[i].id) == 0)
      {
        BbRuleset *self = bb_ruleset_from_json (builtins[i].json, NULL);

        g_assert (self != NULL);
        g_free (self->id);
        self->id = g_strdup (builtins[i].id);
        g_free (self->name);
        self->name = g_strdup (_(builtins[i].name));
        self->builtin = TRUE;
        return self;
      }
  return NULL;
}

static BbRuleset *
ruleset_from_row (sqlite3_stmt *stmt)
{
  BbRuleset *self = bb_ruleset_from_json ((const char *)sqlite3_column_text (stmt, 2), NULL);

  if (self == NULL)
    return NULL;
  g_free (self->id);
  self->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  g_free (self->name);
  self->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  return self;
}

GPtrArray *
bb_ruleset_list (BbStore  *store,
                 GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    g_ptr_array_add (list, bb_ruleset_get_builtin (builtins[i].id));

  stmt = bb_store_prepare (store,
                           "SELECT id, name, definition FROM money_ruleset"
                           " ORDER BY name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BbRuleset *ruleset = ruleset_from_row (stmt);

      /* A definition damaged outside Buurtboek is skipped, not fatal. */
      if (ruleset != NULL)
        g_ptr_array_add (list, ruleset);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the rule sets"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

BbRuleset *
bb_ruleset_lookup (BbStore     *store,
                   const char  *id,
                   GError     **error)
{
  BbRuleset *ruleset;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  ruleset = bb_ruleset_get_builtin (id);
  if (ruleset != NULL)
    return ruleset;

  stmt = bb_store_prepare (store, "SELECT id, name, definition FROM money_ruleset WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      ruleset = ruleset_from_row (stmt);
      sqlite3_reset (stmt);
      if (ruleset == NULL)
        g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_INVALID,
                     _("The rule set “%s” in the council file is damaged."), id);
      return ruleset;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_NOT_FOUND,
                 _("There is no rule set “%s”."), id);
  else
    bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not read the rule sets"));
  return NULL;
}

gboolean
bb_ruleset_save (BbStore    *store,
                 BbRuleset  *ruleset,
                 GError    **error)
{
  g_autofree char *json = NULL;
  g_autofree char *now = NULL;
  g_autoptr(BbRuleset) check = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (BB_IS_RULESET (ruleset), FALSE);

  if (ruleset->builtin || bb_ruleset_get_builtin (ruleset->id) != NULL)
    {
      g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_BUILTIN,
                   _("A built-in rule set cannot be changed; make a copy and edit that."));
      return FALSE;
    }

  /* What is stored must read back: check the round trip first. */
  json = bb_ruleset_to_json (ruleset);
  check = bb_ruleset_from_json (json, error);
  if (check == NULL)
    return FALSE;

  if (ruleset->id == NULL || *ruleset->id == '\0')
    {
      g_free (ruleset->id);
      ruleset->id = bb_store_new_id ();
    }
  now = bb_date_time_now_iso ();

  stmt = bb_store_prepare (store,
                           "INSERT INTO money_ruleset (id, name, definition, created_at, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?4)"
                           " ON CONFLICT (id) DO UPDATE SET name = ?2, definition = ?3, updated_at = ?4",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ruleset->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, ruleset->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not save the rule set"));
      return FALSE;
    }
  bb_store_emit_changed (store);
  return TRUE;
}

gboolean
bb_ruleset_delete (BbStore     *store,
                   const char  *id,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (BB_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (strcmp (id, builtins[i].id) == 0)
      {
        g_set_error (error, BB_RULESET_ERROR, BB_RULESET_ERROR_BUILTIN,
                     _("A built-in rule set cannot be deleted."));
        return FALSE;
      }

  if (!bb_store_begin (store, error))
    return FALSE;

  stmt = bb_store_prepare (store, "UPDATE subsidy SET ruleset_id = ?2 WHERE ruleset_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, BB_RULESET_ID_MUNICIPAL, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  stmt = bb_store_prepare (store, "DELETE FROM money_ruleset WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto sql_fail;

  if (!bb_store_commit (store, error))
    return FALSE;
  bb_store_emit_changed (store);
  return TRUE;

sql_fail:
  bb_store_set_sqlite_error (error, bb_store_get_db (store), rc, _("Could not delete the rule set"));
fail:
  bb_store_rollback (store);
  return FALSE;
}
