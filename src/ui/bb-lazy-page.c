/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A section page of the window costs its template, its widgets and its
 * style the moment it is built, whether or not anyone looks at it. The
 * window holds one BbLazyPage per section instead, which builds the real
 * page the first time it is mapped (the view stack only maps the page it
 * shows), so opening a council pays for the overview alone. */

#include "config.h"

#include "bb-lazy-page.h"

struct _BbLazyPage
{
  AdwBin      parent_instance;

  char       *page_type;
  BbStore    *store;
  /* property name → GObject (or a NULL value), for the page's other
   * object properties, such as the Sharing page's "scheduler" */
  GHashTable *objects;
  /* Owned by AdwBin as its child once built. */
  GtkWidget  *page;
};

G_DEFINE_FINAL_TYPE (BbLazyPage, bb_lazy_page, ADW_TYPE_BIN)

static void
bb_lazy_page_object_unref (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

enum {
  PROP_0,
  PROP_PAGE_TYPE,
  PROP_STORE,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
resolve_page_type (BbLazyPage *self)
{
  g_autoptr(GTypeClass) klass = NULL;
  GType type;

  if (self->page_type == NULL)
    {
      g_critical ("BbLazyPage: no page-type set");
      return G_TYPE_INVALID;
    }

  type = g_type_from_name (self->page_type);
  if (type == G_TYPE_INVALID || !g_type_is_a (type, GTK_TYPE_WIDGET) ||
      G_TYPE_IS_ABSTRACT (type))
    {
      g_critical ("BbLazyPage: “%s” is not a known widget type; "
                  "ensure the type before the page is shown", self->page_type);
      return G_TYPE_INVALID;
    }

  klass = g_type_class_ref (type);
  if (g_object_class_find_property (G_OBJECT_CLASS (klass), "store") == NULL)
    {
      g_critical ("BbLazyPage: %s has no “store” property", self->page_type);
      return G_TYPE_INVALID;
    }

  return type;
}

static void
set_page_object (BbLazyPage *self,
                 const char *property,
                 gpointer    object)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (self->page), property) != NULL)
    g_object_set (self->page, property, object, NULL);
}

static void
build_page (BbLazyPage *self)
{
  GHashTableIter iter;
  gpointer key, value;
  GType type;

  if (self->page != NULL)
    return;

  type = resolve_page_type (self);
  if (type == G_TYPE_INVALID)
    return;

  self->page = g_object_new (type, NULL);
  g_hash_table_iter_init (&iter, self->objects);
  while (g_hash_table_iter_next (&iter, &key, &value))
    set_page_object (self, key, value);
  g_object_set (self->page, "store", self->store, NULL);
  adw_bin_set_child (ADW_BIN (self), self->page);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
bb_lazy_page_map (GtkWidget *widget)
{
  BbLazyPage *self = BB_LAZY_PAGE (widget);

  /* Built before chaining up, so the page is mapped with this widget and
   * its own map handler reads its data as it always did. */
  build_page (self);

  GTK_WIDGET_CLASS (bb_lazy_page_parent_class)->map (widget);
}

static void
bb_lazy_page_dispose (GObject *object)
{
  BbLazyPage *self = BB_LAZY_PAGE (object);

  self->page = NULL;
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->store);
  g_hash_table_remove_all (self->objects);

  G_OBJECT_CLASS (bb_lazy_page_parent_class)->dispose (object);
}

static void
bb_lazy_page_finalize (GObject *object)
{
  BbLazyPage *self = BB_LAZY_PAGE (object);

  g_free (self->page_type);
  g_hash_table_unref (self->objects);

  G_OBJECT_CLASS (bb_lazy_page_parent_class)->finalize (object);
}

static void
bb_lazy_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BbLazyPage *self = BB_LAZY_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAGE_TYPE:
      g_value_set_string (value, self->page_type);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PAGE:
      g_value_set_object (value, self->page);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_lazy_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BbLazyPage *self = BB_LAZY_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAGE_TYPE:
      g_assert (self->page_type == NULL);
      self->page_type = g_value_dup_string (value);
      break;
    case PROP_STORE:
      bb_lazy_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_lazy_page_class_init (BbLazyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_lazy_page_dispose;
  object_class->finalize = bb_lazy_page_finalize;
  object_class->get_property = bb_lazy_page_get_property;
  object_class->set_property = bb_lazy_page_set_property;

  widget_class->map = bb_lazy_page_map;

  properties[PROP_PAGE_TYPE] =
    g_param_spec_string ("page-type", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BB_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  properties[PROP_PAGE] =
    g_param_spec_object ("page", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bb_lazy_page_init (BbLazyPage *self)
{
  self->objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) bb_lazy_page_object_unref);
}

GtkWidget *
bb_lazy_page_new (const char *page_type)
{
  g_return_val_if_fail (page_type != NULL, NULL);

  return g_object_new (BB_TYPE_LAZY_PAGE, "page-type", page_type, NULL);
}

const char *
bb_lazy_page_get_page_type (BbLazyPage *self)
{
  g_return_val_if_fail (BB_IS_LAZY_PAGE (self), NULL);

  return self->page_type;
}

BbStore *
bb_lazy_page_get_store (BbLazyPage *self)
{
  g_return_val_if_fail (BB_IS_LAZY_PAGE (self), NULL);

  return self->store;
}

void
bb_lazy_page_set_store (BbLazyPage *self,
                        BbStore    *store)
{
  g_return_if_fail (BB_IS_LAZY_PAGE (self));
  g_return_if_fail (!store || BB_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  /* A page that is built keeps following the window's council. */
  if (self->page != NULL)
    g_object_set (self->page, "store", store, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
bb_lazy_page_set_page_object (BbLazyPage *self,
                              const char *property,
                              gpointer    object)
{
  g_return_if_fail (BB_IS_LAZY_PAGE (self));
  g_return_if_fail (property != NULL);
  g_return_if_fail (object == NULL || G_IS_OBJECT (object));

  g_hash_table_insert (self->objects, g_strdup (property), object != NULL ? g_object_ref (object) : NULL);
  if (self->page != NULL)
    set_page_object (self, property, object);
}

GtkWidget *
bb_lazy_page_get_page (BbLazyPage *self)
{
  g_return_val_if_fail (BB_IS_LAZY_PAGE (self), NULL);

  return self->page;
}

GtkWidget *
bb_lazy_page_ensure_page (BbLazyPage *self)
{
  g_return_val_if_fail (BB_IS_LAZY_PAGE (self), NULL);

  build_page (self);

  return self->page;
}
