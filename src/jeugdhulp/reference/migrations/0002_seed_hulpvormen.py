"""Seed the catalogue of forms of help with the default Flemish list (editable afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):
    from jeugdhulp.snapshot.catalogue import HULPVORMEN

    HulpVorm = apps.get_model("reference", "HulpVorm")
    for item in HULPVORMEN.values():
        HulpVorm.objects.get_or_create(
            code=item.code, defaults={"label": item.label, "usual_access": item.usual_access}
        )


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
