/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <pango/pangocairo.h>

#include "bb-programme-row.h"

/* The spacing and type of the box of labels this row replaces, with
 * Adwaita's .heading and .caption sizes. */
#define PAD_X        11
#define PAD_Y        0
#define HEADING_TOP  6     /* above the month heading */
#define HEADING_GAP  6     /* between the heading and the row */
#define COLUMN_GAP   12    /* between date, texts and status */
#define LINE_GAP     2     /* between title and subtitle */
#define DATE_CHARS   10
#define MIN_TEXT_CHARS 4
#define NAT_TEXT_CHARS 24
#define HEADING_PT   11
#define CAPTION_PT   9
#define DIM_ALPHA    0.55            /* Adwaita's .dim-label */

typedef enum {
  PART_HEADING,
  PART_DATE,
  PART_TITLE,
  PART_SUBTITLE,
  PART_STATUS,
  N_PARTS
} Part;

struct _BbProgrammeRow
{
  GtkWidget           parent_instance;

  char               *texts[N_PARTS];
  PangoLayout        *layouts[N_PARTS];  /* made when first drawn */
  BbProgrammeRowTone  tone;
};

G_DEFINE_FINAL_TYPE (BbProgrammeRow, bb_programme_row, GTK_TYPE_WIDGET)

/* ---- Sizes from the font, shared by all rows ---- */

typedef struct {
  int line;          /* height of a line of body text */
  int heading_line;  /* of the bold heading */
  int caption_line;  /* of the small subtitle and status */
  int date_width;
  int char_width;
  int status_width;  /* room kept for the status when narrow */
} Sizes;

static GHashTable *sizes_cache;  /* "font@dpi" → Sizes */

static PangoAttrList *
part_attributes (Part part)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  switch (part)
    {
    case PART_HEADING:
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_size_new (HEADING_PT * PANGO_SCALE));
      break;
    case PART_DATE:
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum 1"));
      break;
    case PART_SUBTITLE:
    case PART_STATUS:
      pango_attr_list_insert (attrs, pango_attr_size_new (CAPTION_PT * PANGO_SCALE));
      break;
    case PART_TITLE:
    case N_PARTS:
    default:
      break;
    }

  return attrs;
}

static void
sample_size (GtkWidget  *widget,
             Part        part,
             const char *text,
             int        *width,
             int        *height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = part_attributes (part);

  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_size (layout, width, height);
}

/* Worked out once per font and resolution: a row's height does not
 * depend on its texts, so measuring a row shapes no text. */
static const Sizes *
get_sizes (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  g_autofree char *font = pango_font_description_to_string (pango_context_get_font_description (context));
  g_autofree char *key = g_strdup_printf ("%s@%g", font, pango_cairo_context_get_resolution (context));
  Sizes *sizes;
  int unused;

  if (sizes_cache == NULL)
    sizes_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  sizes = g_hash_table_lookup (sizes_cache, key);
  if (sizes != NULL)
    return sizes;

  sizes = g_new0 (Sizes, 1);
  sample_size (widget, PART_TITLE, "Ág", &unused, &sizes->line);
  sample_size (widget, PART_HEADING, "Ág", &unused, &sizes->heading_line);
  sample_size (widget, PART_SUBTITLE, "Ág", &unused, &sizes->caption_line);
  sample_size (widget, PART_DATE, "0000000000", &sizes->date_width, &unused);
  sample_size (widget, PART_TITLE, "abcdefghijklmnopqrstuvwxyz", &sizes->char_width, &unused);
  sizes->char_width = MAX (1, sizes->char_width / 26);
  sample_size (widget, PART_STATUS, "0000000000", &sizes->status_width, &unused);
  g_hash_table_insert (sizes_cache, g_steal_pointer (&key), sizes);
  return sizes;
}

/* ---- Drawing ---- */

static void
clear_layouts (BbProgrammeRow *self)
{
  for (guint i = 0; i < N_PARTS; i++)
    g_clear_object (&self->layouts[i]);
}

static PangoLayout *
get_layout (BbProgrammeRow *self,
            Part            part,
            int             width)
{
  PangoLayout *layout = self->layouts[part];

  if (layout == NULL)
    {
      PangoAttrList *attrs = part_attributes (part);

      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->texts[part]);
      pango_layout_set_attributes (layout, attrs);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      pango_attr_list_unref (attrs);
      self->layouts[part] = layout;
    }

  pango_layout_set_width (layout, width >= 0 ? MAX (1, width) * PANGO_SCALE : -1);
  return layout;
}

static gboolean
has_text (BbProgrammeRow *self,
          Part            part)
{
  return self->texts[part] != NULL && self->texts[part][0] != '\0';
}

static void
draw_layout (GtkWidget     *widget,
             GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             int            x,
             int            y,
             int            width,
             const GdkRGBA *color)
{
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    {
      int layout_width;

      pango_layout_get_pixel_size (layout, &layout_width, NULL);
      x = gtk_widget_get_width (widget) - x - MIN (width, layout_width);
    }

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
tone_color (GtkWidget          *widget,
            BbProgrammeRowTone  tone,
            const GdkRGBA      *fg,
            GdkRGBA            *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  const char *name = NULL;

  *color = *fg;
  switch (tone)
    {
    case BB_PROGRAMME_ROW_TONE_ACCENT:
      name = "accent_color";
      break;
    case BB_PROGRAMME_ROW_TONE_SUCCESS:
      name = "success_color";
      break;
    case BB_PROGRAMME_ROW_TONE_ERROR:
      name = "error_color";
      break;
    case BB_PROGRAMME_ROW_TONE_DIM:
    default:
      color->alpha *= DIM_ALPHA;
      break;
    }

  if (name != NULL && !gtk_style_context_lookup_color (context, name, color))
    *color = *fg;
}

static void
bb_programme_row_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  BbProgrammeRow *self = BB_PROGRAMME_ROW (widget);
  const Sizes *sizes = get_sizes (widget);
  int width = gtk_widget_get_width (widget);
  int inner = MAX (0, width - 2 * PAD_X);
  int y = PAD_Y, row_height, texts_x, texts_width, status_width = 0;
  GdkRGBA fg, dim, status_color;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  dim = fg;
  dim.alpha *= DIM_ALPHA;

  if (has_text (self, PART_HEADING))
    {
      y += HEADING_TOP;
      draw_layout (widget, snapshot, get_layout (self, PART_HEADING, inner), PAD_X, y, inner, &fg);
      y += sizes->heading_line + HEADING_GAP;
    }

  row_height = sizes->line + LINE_GAP + sizes->caption_line;
  draw_layout (widget, snapshot, get_layout (self, PART_DATE, sizes->date_width),
               PAD_X, y + (row_height - sizes->line) / 2, sizes->date_width, &fg);
  texts_x = PAD_X + sizes->date_width + COLUMN_GAP;

  if (has_text (self, PART_STATUS))
    {
      PangoLayout *status = get_layout (self, PART_STATUS, -1);

      pango_layout_get_pixel_size (status, &status_width, NULL);
      status_width = MIN (status_width, MAX (0, width - PAD_X - texts_x - COLUMN_GAP));
      pango_layout_set_width (status, MAX (1, status_width) * PANGO_SCALE);
      tone_color (widget, self->tone, &fg, &status_color);
      draw_layout (widget, snapshot, status, width - PAD_X - status_width,
                   y + (row_height - sizes->caption_line) / 2, status_width, &status_color);
      status_width += COLUMN_GAP;
    }

  texts_width = MAX (0, width - PAD_X - status_width - texts_x);
  draw_layout (widget, snapshot, get_layout (self, PART_TITLE, texts_width), texts_x, y, texts_width, &fg);
  if (has_text (self, PART_SUBTITLE))
    draw_layout (widget, snapshot, get_layout (self, PART_SUBTITLE, texts_width),
                 texts_x, y + sizes->line + LINE_GAP, texts_width, &dim);
}

/* ---- Size ---- */

static GtkSizeRequestMode
bb_programme_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
bb_programme_row_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  BbProgrammeRow *self = BB_PROGRAMME_ROW (widget);
  const Sizes *sizes = get_sizes (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 2 * PAD_X + sizes->date_width + COLUMN_GAP + MIN_TEXT_CHARS * sizes->char_width +
                 COLUMN_GAP + sizes->status_width;
      *natural = *minimum + (NAT_TEXT_CHARS - MIN_TEXT_CHARS) * sizes->char_width;
    }
  else
    {
      *minimum = 2 * PAD_Y + sizes->line + LINE_GAP + sizes->caption_line;
      if (has_text (self, PART_HEADING))
        *minimum += HEADING_TOP + sizes->heading_line + HEADING_GAP;
      *natural = *minimum;
    }
}

/* ---- Style changes ---- */

static void
bb_programme_row_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (bb_programme_row_parent_class)->css_changed (widget, change);

  /* The font may have changed: lay out again, and measure again. */
  clear_layouts (BB_PROGRAMME_ROW (widget));
  gtk_widget_queue_resize (widget);
}

static void
bb_programme_row_system_setting_changed (GtkWidget        *widget,
                                         GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (bb_programme_row_parent_class)->system_setting_changed (widget, setting);

  clear_layouts (BB_PROGRAMME_ROW (widget));
  gtk_widget_queue_resize (widget);
}

static void
bb_programme_row_direction_changed (GtkWidget        *widget,
                                    GtkTextDirection  previous)
{
  GTK_WIDGET_CLASS (bb_programme_row_parent_class)->direction_changed (widget, previous);

  clear_layouts (BB_PROGRAMME_ROW (widget));
  gtk_widget_queue_draw (widget);
}

/* ---- GObject ---- */

static void
bb_programme_row_finalize (GObject *object)
{
  BbProgrammeRow *self = BB_PROGRAMME_ROW (object);

  clear_layouts (self);
  for (guint i = 0; i < N_PARTS; i++)
    g_free (self->texts[i]);

  G_OBJECT_CLASS (bb_programme_row_parent_class)->finalize (object);
}

static void
bb_programme_row_class_init (BbProgrammeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bb_programme_row_finalize;
  widget_class->snapshot = bb_programme_row_snapshot;
  widget_class->get_request_mode = bb_programme_row_get_request_mode;
  widget_class->measure = bb_programme_row_measure;
  widget_class->css_changed = bb_programme_row_css_changed;
  widget_class->system_setting_changed = bb_programme_row_system_setting_changed;
  widget_class->direction_changed = bb_programme_row_direction_changed;

  gtk_widget_class_set_css_name (widget_class, "programme-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
bb_programme_row_init (BbProgrammeRow *self)
{
  self->tone = BB_PROGRAMME_ROW_TONE_DIM;
}

/* ---- Public API ---- */

GtkWidget *
bb_programme_row_new (void)
{
  return g_object_new (BB_TYPE_PROGRAMME_ROW, NULL);
}

/* What a screen reader says for the row: every text, in reading order. */
static void
update_accessible_label (BbProgrammeRow *self)
{
  GString *label = g_string_new (NULL);

  for (guint i = 0; i < N_PARTS; i++)
    if (has_text (self, i))
      {
        if (label->len > 0)
          g_string_append (label, i == PART_DATE ? ". " : ", ");
        g_string_append (label, self->texts[i]);
      }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label->str, -1);
  g_string_free (label, TRUE);
}

static gboolean
set_text (BbProgrammeRow *self,
          Part            part,
          const char     *text)
{
  if (g_strcmp0 (self->texts[part], text) == 0)
    return FALSE;

  g_free (self->texts[part]);
  self->texts[part] = g_strdup (text);
  g_clear_object (&self->layouts[part]);
  return TRUE;
}

void
bb_programme_row_set (BbProgrammeRow     *self,
                      const char         *date,
                      const char         *title,
                      const char         *subtitle,
                      const char         *status,
                      BbProgrammeRowTone  tone)
{
  gboolean changed = FALSE;

  g_return_if_fail (BB_IS_PROGRAMME_ROW (self));

  changed |= set_text (self, PART_DATE, date);
  changed |= set_text (self, PART_TITLE, title);
  changed |= set_text (self, PART_SUBTITLE, subtitle);
  changed |= set_text (self, PART_STATUS, status);
  changed |= self->tone != tone;
  self->tone = tone;

  if (changed)
    {
      update_accessible_label (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
bb_programme_row_set_heading (BbProgrammeRow *self,
                              const char     *heading)
{
  gboolean had = FALSE;

  g_return_if_fail (BB_IS_PROGRAMME_ROW (self));

  had = has_text (self, PART_HEADING);
  if (!set_text (self, PART_HEADING, heading))
    return;

  update_accessible_label (self);
  if (had != has_text (self, PART_HEADING))
    gtk_widget_queue_resize (GTK_WIDGET (self));
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
bb_programme_row_get_heading (BbProgrammeRow *self)
{
  g_return_val_if_fail (BB_IS_PROGRAMME_ROW (self), NULL);
  return self->texts[PART_HEADING];
}

const char *
bb_programme_row_get_title (BbProgrammeRow *self)
{
  g_return_val_if_fail (BB_IS_PROGRAMME_ROW (self), NULL);
  return self->texts[PART_TITLE];
}
