"""The partners of a request get their own model (same table) with the registration date, and an
index on (partner, date, request) for the dashboard."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_dates(apps, schema_editor):
    aanmelding = apps.get_model("aanmeldingen", "Aanmelding")
    partner = apps.get_model("aanmeldingen", "AanmeldingPartner")
    partner.objects.update(
        aangemeld_op=Subquery(
            aanmelding.objects.filter(pk=OuterRef("aanmelding_id")).values("aangemeld_op")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("aanmeldingen", "0001_initial"),
    ]

    operations = [
        # The table of the automatic many-to-many model becomes this model's (Django's
        # documented way to give an existing many-to-many field a through model).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AanmeldingPartner",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "aanmelding",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="aanmeldingen.aanmelding",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "aanmeldingen_aanmelding_partners",
                        "unique_together": {("aanmelding", "organisation")},
                    },
                ),
                migrations.AlterField(
                    model_name="aanmelding",
                    name="partners",
                    field=models.ManyToManyField(
                        related_name="aanmeldingen",
                        through="aanmeldingen.AanmeldingPartner",
                        to="accounts.organisation",
                        verbose_name="aangesproken partners",
                    ),
                ),
            ]
        ),
        migrations.AddField(
            model_name="aanmeldingpartner",
            name="aangemeld_op",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(copy_dates, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="aanmeldingpartner",
            name="aangemeld_op",
            field=models.DateField(),
        ),
        migrations.AddIndex(
            model_name="aanmeldingpartner",
            index=models.Index(
                fields=["organisation", "aangemeld_op", "aanmelding"],
                name="aanmelding_partner_periode",
            ),
        ),
    ]
