"""Two indexes fewer to write on every audited action (docs/performance.md).

- `action`: the log is filtered by exact action only, so PostgreSQL's pattern-matching
  (`_like`) copy is dropped and the plain index is kept under a stable name: renamed, not
  rebuilt, so a large audit table is not locked while an index is built.
- `target_type`: the (target_type, target_id) index leads with it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _action_indexes(apps, schema_editor):
    model = apps.get_model("core", "AuditEvent")
    return model, schema_editor._constraint_names(model, ["action"], index=True)


def forwards(apps, schema_editor):
    model, names = _action_indexes(apps, schema_editor)
    table = schema_editor.quote_name(model._meta.db_table)
    for name in sorted(names):
        quoted = schema_editor.quote_name(name)
        if name == "audit_action_idx":
            continue
        if name.endswith("_like") or schema_editor.connection.vendor != "postgresql":
            schema_editor.execute(f"DROP INDEX {quoted}")
        else:
            schema_editor.execute(f"ALTER INDEX {quoted} RENAME TO audit_action_idx")
    _, names = _action_indexes(apps, schema_editor)
    if "audit_action_idx" not in names:
        schema_editor.execute(f"CREATE INDEX audit_action_idx ON {table} (action)")


def backwards(apps, schema_editor):
    model = apps.get_model("core", "AuditEvent")
    schema_editor.execute("DROP INDEX audit_action_idx")
    field = model._meta.get_field("action")
    field.db_index = True
    for sql in schema_editor._field_indexes_sql(model, field):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_change_event"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="action",
                    field=models.CharField(max_length=80),
                ),
                migrations.AddIndex(
                    model_name="auditevent",
                    index=models.Index(fields=["action"], name="audit_action_idx"),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
    ]
