/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-backup.h"
#include "bb-compat.h"
#include "bb-date.h"
#include "bb-overview-page.h"
#include "bb-property-row.h"
#include "bb-validate.h"

struct _BbOverviewPage
{
  AdwBin          parent_instance;

  BbPropertyRow  *name_row;
  BbPropertyRow  *municipality_row;
  BbPropertyRow  *legal_form_row;
  BbPropertyRow  *residents_row;
  BbPropertyRow  *kvk_row;
  BbPropertyRow  *iban_row;
  BbPropertyRow  *contact_row;
  BbPropertyRow  *email_row;
  BbPropertyRow  *phone_row;
  BbPropertyRow  *location_row;
  BbPropertyRow  *size_row;
  BbPropertyRow  *format_row;
  BbPropertyRow  *created_row;
  BbPropertyRow  *last_backup_row;
  BbPropertyRow  *backups_row;
  BbPropertyRow  *backup_folder_row;
  BbPropertyRow  *handover_row;

  BbStore        *store;
};

G_DEFINE_FINAL_TYPE (BbOverviewPage, bb_overview_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_value (BbPropertyRow *row,
           const char   *value)
{
  g_autofree char *escaped = NULL;

  /* An empty field says so, instead of leaving a gap the eye skips over. */
  if (value == NULL || value[0] == '\0')
    {
      escaped = g_markup_printf_escaped ("<i>%s</i>", _("Not filled in"));
      bb_property_row_set_value (row, escaped);
      return;
    }

  escaped = g_markup_escape_text (value, -1);
  bb_property_row_set_value (row, escaped);
}

static char *
format_iso_long (const char *iso)
{
  g_autoptr(GDateTime) datetime = bb_date_time_from_iso (iso);

  if (datetime == NULL)
    return g_strdup (iso);

  return bb_date_time_format_long (datetime);
}

static void
refresh_council (BbOverviewPage *self)
{
  g_autoptr(BbCouncil) council = bb_store_dup_council (self->store);
  g_autofree char *iban = NULL;
  g_autofree char *residents = NULL;
  g_autofree char *created = NULL;

  if (council == NULL)
    return;

  iban = bb_iban_format (bb_council_get_iban (council));
  created = format_iso_long (bb_council_get_created_at (council));
  if (bb_council_get_residents (council) > 0)
    residents = g_strdup_printf ("%u", bb_council_get_residents (council));

  set_value (self->name_row, bb_council_get_name (council));
  set_value (self->municipality_row, bb_council_get_municipality (council));
  set_value (self->legal_form_row, bb_legal_form_get_label (bb_council_get_legal_form (council)));
  set_value (self->residents_row, residents);
  set_value (self->kvk_row, bb_council_get_kvk_number (council));
  set_value (self->iban_row, iban);
  set_value (self->contact_row, bb_council_get_contact_name (council));
  set_value (self->email_row, bb_council_get_email (council));
  set_value (self->phone_row, bb_council_get_phone (council));
  set_value (self->created_row, created);
}

static void
refresh_file (BbOverviewPage *self)
{
  const char *path = bb_store_get_path (self->store);
  g_autofree char *format = NULL;
  g_autofree char *size = NULL;
  GStatBuf st;

  set_value (self->location_row, path);

  if (g_stat (path, &st) == 0)
    size = g_format_size ((guint64) st.st_size);
  set_value (self->size_row, size);

  /* Translators: %d is the schema version of the council file. */
  format = g_strdup_printf (_("Version %d"), bb_store_get_schema_version (self->store));
  set_value (self->format_row, format);
}

static void
refresh_backups (BbOverviewPage *self)
{
  const char *root = bb_store_get_backup_root (self->store);
  const char *council_id = bb_store_get_council_id (self->store);
  g_autoptr(GPtrArray) backups = bb_backup_list (root, council_id, NULL);
  g_autofree char *folder = bb_backup_get_dir (root, council_id);
  g_autofree char *count = NULL;
  guint n = backups ? backups->len : 0;

  if (n > 0)
    {
      BbBackupInfo *latest = g_ptr_array_index (backups, 0);
      g_autofree char *when = bb_date_time_format_long (latest->created);
      /* Translators: "<date and time> (<why the backup was made>)". */
      g_autofree char *text = g_strdup_printf (_("%s (%s)"), when,
                                               bb_backup_reason_get_label (latest->reason));

      set_value (self->last_backup_row, text);
    }
  else
    {
      set_value (self->last_backup_row, _("No backup yet"));
    }

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u backup", "%u backups", n), n);
  set_value (self->backups_row, count);
  set_value (self->backup_folder_row, folder);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.show-backups", n > 0);
}

static void
bb_overview_page_show_folder_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BbOverviewPage *self = BB_OVERVIEW_PAGE (widget);
  g_autofree char *folder_path = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->store == NULL)
    return;

  folder_path = g_path_get_dirname (bb_store_get_path (self->store));
  folder = g_file_new_for_path (folder_path);
  bb_compat_show_folder (GTK_WINDOW (gtk_widget_get_root (widget)), folder);
}

static void
bb_overview_page_show_backups_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  BbOverviewPage *self = BB_OVERVIEW_PAGE (widget);
  g_autofree char *folder_path = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->store == NULL)
    return;

  folder_path = bb_backup_get_dir (bb_store_get_backup_root (self->store),
                                   bb_store_get_council_id (self->store));
  folder = g_file_new_for_path (folder_path);
  bb_compat_show_folder (GTK_WINDOW (gtk_widget_get_root (widget)), folder);
}

static void
bb_overview_page_dispose (GObject *object)
{
  BbOverviewPage *self = BB_OVERVIEW_PAGE (object);

  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (bb_overview_page_parent_class)->dispose (object);
}

static void
bb_overview_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BbOverviewPage *self = BB_OVERVIEW_PAGE (object);

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
bb_overview_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BbOverviewPage *self = BB_OVERVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      bb_overview_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bb_overview_page_class_init (BbOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_overview_page_dispose;
  object_class->get_property = bb_overview_page_get_property;
  object_class->set_property = bb_overview_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BB_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BB_TYPE_PROPERTY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/buurtboek/Buurtboek/bb-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, municipality_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, legal_form_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, residents_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, kvk_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, iban_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, contact_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, location_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, size_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, format_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, created_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, last_backup_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, backups_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, backup_folder_row);
  gtk_widget_class_bind_template_child (widget_class, BbOverviewPage, handover_row);

  gtk_widget_class_install_action (widget_class, "overview.show-folder", NULL, bb_overview_page_show_folder_action);
  gtk_widget_class_install_action (widget_class, "overview.show-backups", NULL, bb_overview_page_show_backups_action);
}

static void
bb_overview_page_init (BbOverviewPage *self)
{
  g_autofree char *handover = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  handover = g_markup_escape_text (_("The council details as a JSON document that Buurtboek can import into a new council file."), -1);
  bb_property_row_set_value (self->handover_row, handover);
}

void
bb_overview_page_set_store (BbOverviewPage *self,
                            BbStore        *store)
{
  g_return_if_fail (BB_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (!store || BB_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  bb_overview_page_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
bb_overview_page_refresh (BbOverviewPage *self)
{
  g_return_if_fail (BB_IS_OVERVIEW_PAGE (self));

  if (self->store == NULL)
    return;

  refresh_council (self);
  refresh_file (self);
  refresh_backups (self);
}
