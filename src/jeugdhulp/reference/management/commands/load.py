"""``jeugdhulp load areas|population|covariates|sites FILE [options]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jeugdhulp.data.errors import InputError
from jeugdhulp.reference.loading.areas import load_areas
from jeugdhulp.reference.loading.covariates import load_covariates
from jeugdhulp.reference.loading.population import load_population
from jeugdhulp.reference.loading.sites import load_sites
from jeugdhulp.reference.models import AreaLevel


class Command(BaseCommand):
    help = "Laadt referentiegegevens: gebieden, bevolking, achtergrondkenmerken of vestigingen."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="SOORT")

        areas = kinds.add_parser("areas", help="gebieden uit een vectorbestand")
        areas.add_argument("file")
        areas.add_argument(
            "--level",
            required=True,
            choices=[c.value for c in AreaLevel],
            help="niveau van de gebieden",
        )
        areas.add_argument(
            "--vintage", required=True, help="versie (jaar) van de grenzen, bv. 2025"
        )
        areas.add_argument("--code-field", help="veld met de gebiedscode")
        areas.add_argument("--name-field", help="veld met de naam")
        areas.add_argument("--parent-field", help="veld met de code van het bovenliggende gebied")
        areas.add_argument("--layer", help="laag (bij bestanden met meerdere lagen)")
        areas.add_argument("--crs", help="coördinatenstelsel als het bestand het niet zegt")

        population = kinds.add_parser("population", help="bevolking per leeftijd en geslacht")
        population.add_argument("file")
        population.add_argument("--vintage", help="versie van de gebieden (standaard: passend)")
        population.add_argument("--year", type=int, help="jaar van de telling (1 januari)")

        covariates = kinds.add_parser("covariates", help="achtergrondkenmerken per gebied")
        covariates.add_argument("file")
        covariates.add_argument("--vintage", help="versie van de gebieden (standaard: passend)")
        covariates.add_argument("--year", type=int, help="jaar van de kenmerken")
        covariates.add_argument(
            "--covariate", action="append", dest="columns", help="kolom om te laden (herhaalbaar)"
        )

        sites = kinds.add_parser("sites", help="vestigingen met hulpvormen en capaciteit")
        sites.add_argument("file")
        sites.add_argument("--sites-crs", help="coördinatenstelsel van kolommen x en y")

    def handle(self, *args, kind: str, file: str, **options):
        try:
            if kind == "areas":
                report = load_areas(
                    file,
                    niveau=options["level"],
                    vintage=options["vintage"],
                    code_field=options["code_field"],
                    name_field=options["name_field"],
                    layer=options["layer"],
                    parent_field=options["parent_field"],
                    crs=options["crs"],
                )
            elif kind == "population":
                report = load_population(file, vintage=options["vintage"], year=options["year"])
            elif kind == "covariates":
                report = load_covariates(
                    file,
                    year=options["year"],
                    vintage=options["vintage"],
                    columns=options["columns"],
                )
            else:
                report = load_sites(file, crs=options["sites_crs"])
        except InputError as error:
            lines = [f"{file}: niets geladen."] + [f"  {p}" for p in error.problems]
            raise CommandError("\n".join(lines), returncode=1) from None
        for warning in report.warnings:
            self.stderr.write(f"waarschuwing: {warning}")
        self.stdout.write(f"{file}: {report.summary()}.")
