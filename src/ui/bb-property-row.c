/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "bb-property-row.h"

/* Between the text and the suffix, as in an AdwActionRow. */
#define SPACING 6

struct _BbPropertyRow
{
  AdwPreferencesRow parent_instance;

  GtkWidget     *text;     /* vertical box: title_label, value_label */
  GtkWidget     *title_label;
  GtkWidget     *value_label;
  GtkWidget     *suffix;
  char          *value;
};

G_DEFINE_FINAL_TYPE (BbPropertyRow, bb_property_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_VALUE,
  PROP_SUFFIX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The row's layout: the text takes the width the suffix leaves, and its
 * height follows from that width. The text is only ever measured for its
 * height at a width, or for its width without a height. */
#define BB_TYPE_PROPERTY_LAYOUT (bb_property_layout_get_type ())
G_DECLARE_FINAL_TYPE (BbPropertyLayout, bb_property_layout, BB, PROPERTY_LAYOUT, GtkLayoutManager)

struct _BbPropertyLayout
{
  GtkLayoutManager parent_instance;
};

G_DEFINE_FINAL_TYPE (BbPropertyLayout, bb_property_layout, GTK_TYPE_LAYOUT_MANAGER)

static int
suffix_width (BbPropertyRow *row,
              int            width)
{
  int min = 0, nat = 0;

  if (row->suffix == NULL || !gtk_widget_should_layout (row->suffix))
    return 0;

  gtk_widget_measure (row->suffix, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  if (width < 0)
    return nat;

  /* What the text needs at least stays the text's. */
  {
    int text_min = 0;

    gtk_widget_measure (row->text, GTK_ORIENTATION_HORIZONTAL, -1, &text_min, NULL, NULL, NULL);
    return CLAMP (width - text_min - SPACING, min, nat);
  }
}

static void
bb_property_layout_measure (GtkLayoutManager *manager,
                            GtkWidget        *widget,
                            GtkOrientation    orientation,
                            int               for_size,
                            int              *minimum,
                            int              *natural,
                            int              *minimum_baseline,
                            int              *natural_baseline)
{
  BbPropertyRow *row = BB_PROPERTY_ROW (widget);
  gboolean has_suffix = row->suffix != NULL && gtk_widget_should_layout (row->suffix);
  int text_min = 0, text_nat = 0, suffix_min = 0, suffix_nat = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (row->text, orientation, -1, &text_min, &text_nat, NULL, NULL);
      if (has_suffix)
        gtk_widget_measure (row->suffix, orientation, -1, &suffix_min, &suffix_nat, NULL, NULL);
      *minimum = text_min + (has_suffix ? SPACING + suffix_min : 0);
      *natural = text_nat + (has_suffix ? SPACING + suffix_nat : 0);
      return;
    }

  {
    int suffix_w = suffix_width (row, for_size);
    int text_w = for_size < 0 ? -1 : MAX (for_size - suffix_w - (has_suffix ? SPACING : 0), 0);

    gtk_widget_measure (row->text, orientation, text_w, &text_min, &text_nat, NULL, NULL);
    if (has_suffix)
      gtk_widget_measure (row->suffix, orientation, for_size < 0 ? -1 : suffix_w,
                          &suffix_min, &suffix_nat, NULL, NULL);
    *minimum = MAX (text_min, suffix_min);
    *natural = MAX (text_nat, suffix_nat);
  }
}

static void
bb_property_layout_allocate (GtkLayoutManager *manager,
                             GtkWidget        *widget,
                             int               width,
                             int               height,
                             int               baseline)
{
  BbPropertyRow *row = BB_PROPERTY_ROW (widget);
  gboolean has_suffix = row->suffix != NULL && gtk_widget_should_layout (row->suffix);
  int suffix_w = suffix_width (row, width);
  int text_w = MAX (width - suffix_w - (has_suffix ? SPACING : 0), 0);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int text_h = 0;

  /* Centred here rather than by valign: GTK aligns a widget by asking
   * its width for the given height first, which is the costly question
   * for wrapping text. */
  gtk_widget_measure (row->text, GTK_ORIENTATION_VERTICAL, text_w, NULL, &text_h, NULL, NULL);
  text_h = MIN (text_h, height);
  gtk_widget_size_allocate (row->text,
                            &(GtkAllocation) { rtl ? width - text_w : 0, (height - text_h) / 2, text_w, text_h }, -1);
  if (has_suffix)
    gtk_widget_size_allocate (row->suffix,
                              &(GtkAllocation) { rtl ? 0 : width - suffix_w, 0, suffix_w, height }, -1);
}

static GtkSizeRequestMode
bb_property_layout_get_request_mode (GtkLayoutManager *manager,
                                     GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
bb_property_layout_class_init (BbPropertyLayoutClass *klass)
{
  GtkLayoutManagerClass *manager_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  manager_class->measure = bb_property_layout_measure;
  manager_class->allocate = bb_property_layout_allocate;
  manager_class->get_request_mode = bb_property_layout_get_request_mode;
}

static void
bb_property_layout_init (BbPropertyLayout *self)
{
}

static void
bb_property_row_dispose (GObject *object)
{
  BbPropertyRow *self = BB_PROPERTY_ROW (object);

  g_clear_pointer (&self->text, gtk_widget_unparent);
  g_clear_pointer (&self->suffix, gtk_widget_unparent);
  self->title_label = NULL;
  self->value_label = NULL;

  G_OBJECT_CLASS (bb_property_row_parent_class)->dispose (object);
}

static void
bb_property_row_finalize (GObject *object)
{
  BbPropertyRow *self = BB_PROPERTY_ROW (object);

  g_free (self->value);

  G_OBJECT_CLASS (bb_property_row_parent_class)->finalize (object);
}

static void
bb_property_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BbPropertyRow *self = BB_PROPERTY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, bb_property_row_get_value (self));
      break;
    case PROP_SUFFIX:
      g_value_set_object (value, self->suffix);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_property_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BbPropertyRow *self = BB_PROPERTY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      bb_property_row_set_value (self, g_value_get_string (value));
      break;
    case PROP_SUFFIX:
      bb_property_row_set_suffix (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_property_row_class_init (BbPropertyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_property_row_dispose;
  object_class->finalize = bb_property_row_finalize;
  object_class->get_property = bb_property_row_get_property;
  object_class->set_property = bb_property_row_set_property;

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUFFIX] =
    g_param_spec_object ("suffix", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bb_property_row_init (BbPropertyRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_set_layout_manager (widget, g_object_new (BB_TYPE_PROPERTY_LAYOUT, NULL));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_widget_add_css_class (widget, "bb-property-row");

  self->text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (self->text, "title");

  self->title_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->title_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->title_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0.0);
  gtk_widget_add_css_class (self->title_label, "title");
  gtk_box_append (GTK_BOX (self->text), self->title_label);

  self->value_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->value_label), 0.0);
  gtk_widget_add_css_class (self->value_label, "subtitle");
  gtk_box_append (GTK_BOX (self->text), self->value_label);

  gtk_widget_set_parent (self->text, widget);
  g_object_bind_property (self, "title", self->title_label, "label", G_BINDING_SYNC_CREATE);

  /* Read as "title, value", like an AdwActionRow. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->value_label, NULL,
                                  -1);
}

GtkWidget *
bb_property_row_new (void)
{
  return g_object_new (BB_TYPE_PROPERTY_ROW, NULL);
}

const char *
bb_property_row_get_value (BbPropertyRow *self)
{
  g_return_val_if_fail (BB_IS_PROPERTY_ROW (self), NULL);

  return self->value != NULL ? self->value : "";
}

void
bb_property_row_set_value (BbPropertyRow *self,
                           const char    *markup)
{
  g_return_if_fail (BB_IS_PROPERTY_ROW (self));

  if (g_strcmp0 (markup, self->value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (markup);
  gtk_label_set_markup (GTK_LABEL (self->value_label), markup != NULL ? markup : "");
  gtk_widget_set_visible (self->value_label, markup != NULL && markup[0] != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

GtkWidget *
bb_property_row_get_suffix (BbPropertyRow *self)
{
  g_return_val_if_fail (BB_IS_PROPERTY_ROW (self), NULL);

  return self->suffix;
}

void
bb_property_row_set_suffix (BbPropertyRow *self,
                            GtkWidget     *suffix)
{
  g_return_if_fail (BB_IS_PROPERTY_ROW (self));
  g_return_if_fail (suffix == NULL || GTK_IS_WIDGET (suffix));

  if (self->suffix == suffix)
    return;

  g_clear_pointer (&self->suffix, gtk_widget_unparent);
  if (suffix != NULL)
    {
      self->suffix = suffix;
      gtk_widget_set_parent (suffix, GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUFFIX]);
}
