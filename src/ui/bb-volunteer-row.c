/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <pango/pangocairo.h>

#include "bb-volunteer-row.h"

/* The box of two labels this row replaces: 6 px above and below, 2 px
 * between, the details in Adwaita's .caption size and .dim-label. */
#define PAD_X          11   /* as BbProgrammeRow: grid cells get no row padding */
#define PAD_Y          6
#define LINE_GAP       2
#define CAPTION_PT     9
#define DIM_ALPHA      0.55
#define MIN_CHARS      8
#define NAT_CHARS      28

typedef enum {
  PART_TITLE,
  PART_DETAILS,
  N_PARTS
} Part;

struct _BbVolunteerRow
{
  GtkWidget    parent_instance;

  char        *texts[N_PARTS];
  PangoLayout *layouts[N_PARTS];  /* made when first drawn */
};

G_DEFINE_FINAL_TYPE (BbVolunteerRow, bb_volunteer_row, GTK_TYPE_WIDGET)

/* ---- Sizes from the font, shared by all rows ---- */

typedef struct {
  int line;          /* height of a line of body text */
  int caption_line;  /* of the small details */
  int char_width;
} Sizes;

static GHashTable *sizes_cache;  /* "font@dpi" → Sizes */

static void
set_part_attributes (PangoLayout *layout,
                     Part         part)
{
  PangoAttrList *attrs;

  if (part != PART_DETAILS)
    return;
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_size_new (CAPTION_PT * PANGO_SCALE));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

static void
sample_size (GtkWidget  *widget,
             Part        part,
             const char *text,
             int        *width,
             int        *height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

  set_part_attributes (layout, part);
  pango_layout_get_pixel_size (layout, width, height);
}

/* Worked out once per font and resolution, so measuring a row shapes no
 * text. */
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
  sample_size (widget, PART_DETAILS, "Ág", &unused, &sizes->caption_line);
  sample_size (widget, PART_TITLE, "abcdefghijklmnopqrstuvwxyz", &sizes->char_width, &unused);
  sizes->char_width = MAX (1, sizes->char_width / 26);
  g_hash_table_insert (sizes_cache, g_steal_pointer (&key), sizes);
  return sizes;
}

/* ---- Drawing ---- */

static void
clear_layouts (BbVolunteerRow *self)
{
  for (guint i = 0; i < N_PARTS; i++)
    g_clear_object (&self->layouts[i]);
}

static PangoLayout *
get_layout (BbVolunteerRow *self,
            Part            part,
            int             width)
{
  PangoLayout *layout = self->layouts[part];

  if (layout == NULL)
    {
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->texts[part]);
      set_part_attributes (layout, part);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      self->layouts[part] = layout;
    }

  pango_layout_set_width (layout, MAX (1, width) * PANGO_SCALE);
  return layout;
}

static void
draw_layout (GtkWidget     *widget,
             GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             int            y,
             const GdkRGBA *color)
{
  int x = PAD_X;

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    {
      int layout_width;

      pango_layout_get_pixel_size (layout, &layout_width, NULL);
      x = gtk_widget_get_width (widget) - PAD_X - layout_width;
    }

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
bb_volunteer_row_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  BbVolunteerRow *self = BB_VOLUNTEER_ROW (widget);
  const Sizes *sizes = get_sizes (widget);
  int width = MAX (0, gtk_widget_get_width (widget) - 2 * PAD_X);
  GdkRGBA fg, dim;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  dim = fg;
  dim.alpha *= DIM_ALPHA;

  draw_layout (widget, snapshot, get_layout (self, PART_TITLE, width), PAD_Y, &fg);
  if (self->texts[PART_DETAILS] != NULL && self->texts[PART_DETAILS][0] != '\0')
    draw_layout (widget, snapshot, get_layout (self, PART_DETAILS, width), PAD_Y + sizes->line + LINE_GAP, &dim);
}

/* ---- Size ---- */

static GtkSizeRequestMode
bb_volunteer_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
bb_volunteer_row_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  const Sizes *sizes = get_sizes (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 2 * PAD_X + MIN_CHARS * sizes->char_width;
      *natural = 2 * PAD_X + NAT_CHARS * sizes->char_width;
    }
  else
    {
      /* Always room for the details line, as the box of labels had. */
      *minimum = 2 * PAD_Y + sizes->line + LINE_GAP + sizes->caption_line;
      *natural = *minimum;
    }
}

/* ---- Style changes ---- */

static void
bb_volunteer_row_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (bb_volunteer_row_parent_class)->css_changed (widget, change);

  /* The font may have changed: lay out again, and measure again. */
  clear_layouts (BB_VOLUNTEER_ROW (widget));
  gtk_widget_queue_resize (widget);
}

static void
bb_volunteer_row_system_setting_changed (GtkWidget        *widget,
                                         GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (bb_volunteer_row_parent_class)->system_setting_changed (widget, setting);

  clear_layouts (BB_VOLUNTEER_ROW (widget));
  gtk_widget_queue_resize (widget);
}

static void
bb_volunteer_row_direction_changed (GtkWidget        *widget,
                                    GtkTextDirection  previous)
{
  GTK_WIDGET_CLASS (bb_volunteer_row_parent_class)->direction_changed (widget, previous);

  clear_layouts (BB_VOLUNTEER_ROW (widget));
  gtk_widget_queue_draw (widget);
}

/* ---- GObject ---- */

static void
bb_volunteer_row_finalize (GObject *object)
{
  BbVolunteerRow *self = BB_VOLUNTEER_ROW (object);

  clear_layouts (self);
  for (guint i = 0; i < N_PARTS; i++)
    g_free (self->texts[i]);

  G_OBJECT_CLASS (bb_volunteer_row_parent_class)->finalize (object);
}

static void
bb_volunteer_row_class_init (BbVolunteerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bb_volunteer_row_finalize;
  widget_class->snapshot = bb_volunteer_row_snapshot;
  widget_class->get_request_mode = bb_volunteer_row_get_request_mode;
  widget_class->measure = bb_volunteer_row_measure;
  widget_class->css_changed = bb_volunteer_row_css_changed;
  widget_class->system_setting_changed = bb_volunteer_row_system_setting_changed;
  widget_class->direction_changed = bb_volunteer_row_direction_changed;

  gtk_widget_class_set_css_name (widget_class, "volunteer-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
bb_volunteer_row_init (BbVolunteerRow *self)
{
}

/* ---- Public API ---- */

GtkWidget *
bb_volunteer_row_new (void)
{
  return g_object_new (BB_TYPE_VOLUNTEER_ROW, NULL);
}

static gboolean
set_text (BbVolunteerRow *self,
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
bb_volunteer_row_set (BbVolunteerRow *self,
                      const char     *title,
                      const char     *details)
{
  gboolean changed = FALSE;

  g_return_if_fail (BB_IS_VOLUNTEER_ROW (self));

  changed |= set_text (self, PART_TITLE, title);
  changed |= set_text (self, PART_DETAILS, details);
  if (!changed)
    return;

  /* A screen reader gets both texts as the row's label. */
  if (details != NULL && details[0] != '\0')
    {
      g_autofree char *label = g_strdup_printf ("%s, %s", title != NULL ? title : "", details);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    title != NULL ? title : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
bb_volunteer_row_get_title (BbVolunteerRow *self)
{
  g_return_val_if_fail (BB_IS_VOLUNTEER_ROW (self), NULL);
  return self->texts[PART_TITLE];
}
