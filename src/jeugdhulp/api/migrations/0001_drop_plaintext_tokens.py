"""API tokens were DRF authtoken keys stored in plain text (table ``authtoken_token``). They are
dropped, not converted: nothing could tell which of them was still wanted, and a key that was
ever readable in the database is not a secret any more. Partners get a new token
(``jeugdhulp token USERNAME``), which is stored as a digest by django-rest-knox."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop
        ),
    ]
