"""``jeugdhulp analyze``: the whole analysis from files, no database (never imports Django).

Exit status 0 on success, 1 when an input is wrong (Dutch message naming file, row, column and
value), 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from jeugdhulp.analysis.clusters import permutations_for
from jeugdhulp.analysis.comparison import DEFAULT_SIZE
from jeugdhulp.analysis.output import write_all
from jeugdhulp.analysis.pipeline import (
    AnalysisError,
    AnalysisInputs,
    AnalysisParams,
    run_analysis,
)
from jeugdhulp.analysis.standardisation import PopulationError
from jeugdhulp.data.areas import centroids, read_areas
from jeugdhulp.data.covariates import read_covariates
from jeugdhulp.data.errors import InputError
from jeugdhulp.data.population import read_population
from jeugdhulp.data.sites import read_sites
from jeugdhulp.snapshot.reader import read_snapshot


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a Dutch hint, as FORMATS.md promises
        self.print_usage(sys.stderr)
        print(f"jeugdhulp analyze: fout in de opdracht: {message}", file=sys.stderr)
        raise SystemExit(2)


def _date(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"geen datum: {value!r} (gebruik JJJJ-MM-DD)")


def _catchment(value: str) -> tuple[str, float]:
    form, _, km = value.partition("=")
    try:
        return form.strip().upper(), float(km)
    except ValueError:
        raise argparse.ArgumentTypeError(f"verwacht HULPVORM=KM, niet {value!r}") from None


# The default permutations suffice for a cluster of this many areas to be flagged under BH
# (clusters.permutations_for): 9,999 at 9,000 areas (~0.06 s per form), 999 up to 1,000 areas.
SMALLEST_CLUSTER = 20


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``jeugdhulp analyze`` (options as in FORMATS.md).

    Returns
    -------
    argparse.ArgumentParser
        Exits with status 2 and a Dutch message on wrong usage.
    """
    p = _Parser(
        prog="jeugdhulp analyze", description="De hele analyse van een foto, uit bestanden."
    )
    p.add_argument("--areas", type=Path, required=True, help="gebieden (GeoJSON, GPKG, SHP, ...)")
    p.add_argument("--code-field", help="veld met de gebiedscode")
    p.add_argument("--name-field", help="veld met de gebiedsnaam")
    p.add_argument("--population", type=Path, required=True, help="bevolking per gebied")
    p.add_argument("--covariates", type=Path, help="achtergrondkenmerken per gebied (CSV)")
    p.add_argument("--covariate", action="append", help="te gebruiken kenmerk (herhaalbaar)")
    p.add_argument("--sites", type=Path, help="vestigingen met hulpvorm en capaciteit (CSV)")
    p.add_argument("--sites-crs", help="CRS van x/y in het vestigingenbestand")
    p.add_argument("--snapshot", type=Path, nargs="+", required=True, help="fotobestand(en)")
    p.add_argument("--peildatum", type=_date, required=True, help="JJJJ-MM-DD")
    p.add_argument("--out", type=Path, required=True, help="uitvoermap")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--permutations",
        type=int,
        help="aantal permutaties bij --cluster-inference permutation; standaard genoeg om "
        f"clusters van {SMALLEST_CLUSTER} gebieden te kunnen vinden (minstens 999)",
    )
    p.add_argument("--threshold", type=int, default=5, help="kleinste getoonde aantal (5)")
    p.add_argument("--alpha", type=float, default=0.05, help="false discovery rate (0,05)")
    p.add_argument("--cluster-method", choices=["gi_star", "moran"], default="gi_star")
    p.add_argument(
        "--cluster-inference",
        choices=["saddlepoint", "permutation"],
        default="saddlepoint",
        help="p-waarden van de clusters: zadelpuntbenadering (standaard, hangt niet af van "
        "--seed) of permutaties",
    )
    p.add_argument("--catchment-km", type=float, default=20.0, help="straal E2SFCA in km")
    p.add_argument("--catchment", type=_catchment, action="append", default=[], help="HULPVORM=KM")
    p.add_argument("--decay", choices=["gaussian", "step", "none"], default="gaussian")
    p.add_argument(
        "--vergelijkingsgroep-grootte",
        type=int,
        default=DEFAULT_SIZE,
        help=f"aantal gelijkaardige gebieden per vergelijkingsgroep ({DEFAULT_SIZE})",
    )
    p.add_argument("--sep", choices=[",", ";"], default=",", help="scheidingsteken van de CSV")
    p.add_argument("--quiet", action="store_true", help="geen voortgang tonen")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``jeugdhulp analyze``: read the files, run the analysis, write the outputs.

    Parameters
    ----------
    argv : Sequence of str or None
        The arguments after ``analyze``; None: ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status: 0 on success, 1 when an input is wrong (Dutch messages on stderr naming
        file, row, column and value), 2 on wrong usage.
    """
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if (
        (args.permutations is not None and args.permutations < 1)
        or args.threshold < 1
        or args.vergelijkingsgroep_grootte < 1
    ):
        print(
            "jeugdhulp analyze: --permutations, --threshold en --vergelijkingsgroep-grootte "
            "moeten minstens 1 zijn",
            file=sys.stderr,
        )
        return 2
    bar = tqdm(total=None, disable=args.quiet, file=sys.stderr, unit=" stap", leave=False)

    def step(label: str) -> None:
        bar.set_description_str(label)
        bar.update(1)

    try:
        return _run(args, step)
    except (InputError, PopulationError, AnalysisError) as error:
        bar.close()
        # Only an InputError names its problems and file; the others are one message.
        input_error = isinstance(error, InputError)
        problems = (error.problems if input_error else None) or [error]
        where = f"{error.file}: " if input_error and error.file else ""
        for problem in problems:
            print(f"{where}{problem}", file=sys.stderr)
        return 1
    finally:
        bar.close()


# The errors a folder or a write meets, in Dutch (``OSError.strerror`` is English).
OS_ERRORS = {
    errno.EACCES: "geen schrijfrechten",
    errno.EPERM: "niet toegestaan",
    errno.EROFS: "alleen-lezen bestandssysteem",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "het schijfquotum is bereikt",
    errno.ENOENT: "de map bestaat niet (meer)",
    errno.ENOTDIR: "een deel van het pad is een bestand",
    errno.ENAMETOOLONG: "de naam is te lang",
}


def os_error_text(error: OSError) -> str:
    """The Dutch reason of an operating-system error.

    Parameters
    ----------
    error : OSError
        The error of a folder or file operation.

    Returns
    -------
    str
        From :data:`OS_ERRORS`, else "systeemfout" with the error's symbolic code.
    """
    code = error.errno or 0
    return OS_ERRORS.get(code, f"systeemfout {errno.errorcode.get(code, code)}")


def output_problem(out: Path) -> str | None:
    """Why ``out`` cannot be the output folder, checked before the analysis runs.

    The folder (and missing parents) is made and a file written in it, then both are removed
    again: only a real attempt finds what rights alone do not tell (root on ``/proc`` or a
    read-only mount). Nothing is left behind.

    Parameters
    ----------
    out : pathlib.Path
        The ``--out`` folder.

    Returns
    -------
    str or None
        The problem in Dutch; None when the folder can be used.
    """
    if out.exists():
        if not out.is_dir():
            return "bestaat al en is geen map: geef bij --out een map"
        if not os.access(out, os.W_OK):
            return "geen schrijfrechten in deze map"
    else:
        ancestor = out.parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            return f"de map kan niet gemaakt worden: {ancestor} is een bestand"
        if not os.access(ancestor, os.W_OK):
            return f"de map kan niet gemaakt worden: geen schrijfrechten in {ancestor}"
    missing = [folder for folder in [out, *out.parents] if not folder.exists()]
    made: list[Path] = []
    try:
        for folder in reversed(missing):
            folder.mkdir()
            made.append(folder)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        verb = "gemaakt" if len(made) < len(missing) else "beschreven"
        return f"de map kan niet {verb} worden: {os_error_text(error)}"
    finally:
        for folder in reversed(made):
            with contextlib.suppress(OSError):  # an empty folder left behind does no harm
                folder.rmdir()
    return None


def _run(args: argparse.Namespace, step) -> int:
    for path in [args.areas, args.population, args.covariates, args.sites, *args.snapshot]:
        if path is not None and not path.is_file():
            print(f"{path}: bestand niet gevonden", file=sys.stderr)
            return 1
    problem = output_problem(args.out)
    if problem:
        print(f"{args.out}: {problem}", file=sys.stderr)
        return 1
    # The population, covariates and snapshot files are read in two forked processes while
    # this one reads the areas and sites (the snapshot checks need the site codes): about a
    # second less on two cores. Problems are reported in the order of a serial run.
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
    try:
        population_read = pool.submit(read_population, args.population)
        covariates_read = None
        if args.covariates:
            covariates_read = pool.submit(read_covariates, args.covariates, args.covariate)
        step("gebieden lezen")
        areas = read_areas(args.areas, code_field=args.code_field, name_field=args.name_field)
        centres = centroids(areas)
        sites = sites_error = None
        if args.sites:
            try:
                sites = read_sites(args.sites, crs=args.sites_crs, municipality_centroids=centres)
            except InputError as error:
                sites_error = error
        site_codes = set(sites["vestiging"]) if sites is not None else None
        snapshots_read = [
            pool.submit(read_snapshot, path, peildatum=args.peildatum, site_codes=site_codes)
            for path in args.snapshot
        ]
        step("bevolking lezen")
        population = population_read.result()
        covariates = covariates_read.result() if covariates_read else None
        if args.sites:
            step("vestigingen lezen")
            if sites_error:
                raise sites_error
        frames, rows_read, failed = [], {}, False
        for path, snapshot_read in zip(args.snapshot, snapshots_read, strict=True):
            step(f"foto lezen: {path.name}")
            result = snapshot_read.result()
            rows_read[path.name] = result.rows_read
            for problem in result.problems:
                prefix = "" if problem.file else f"{path.name}: "
                print(f"{prefix}{problem}", file=sys.stderr)
            failed |= not result.ok
            frames.append(result.frame)
    finally:
        # On a wrong input, do not wait for the reads still queued.
        pool.shutdown(cancel_futures=True)
    if failed:
        print("Er werd niets geanalyseerd: verbeter eerst de fouten hierboven.", file=sys.stderr)
        return 1
    permutations = args.permutations or permutations_for(
        len(areas), alpha=args.alpha, smallest_cluster=SMALLEST_CLUSTER
    )
    params = AnalysisParams(
        peildatum=args.peildatum,
        seed=args.seed,
        permutations=permutations,
        threshold=args.threshold,
        alpha=args.alpha,
        cluster_method=args.cluster_method,
        cluster_inference=args.cluster_inference,
        covariates=tuple(args.covariate) if args.covariate else None,
        catchment_km=args.catchment_km,
        catchment_per_form=tuple(sorted(args.catchment)),
        decay=args.decay,
        comparison_size=args.vergelijkingsgroep_grootte,
    )
    inputs = AnalysisInputs.flemish(
        areas,
        population,
        pd.concat(frames, ignore_index=True),
        params,
        centroids=centres,
        sites=sites,
        covariates=covariates,
    )
    result = run_analysis(inputs, progress=step)
    step("bestanden schrijven")
    files = [("gebieden", args.areas), ("bevolking", args.population)]
    files += [("covariaten", args.covariates)] if args.covariates else []
    files += [("vestigingen", args.sites)] if args.sites else []
    files += [("foto", path) for path in args.snapshot]
    options = {
        "sep": args.sep,
        "permutations_rule": "opgegeven (--permutations)"
        if args.permutations
        else f"standaard: genoeg voor clusters van {SMALLEST_CLUSTER} gebieden onder "
        f"Benjamini-Hochberg bij alpha {args.alpha} (minstens 999)",
    }
    try:
        written = write_all(
            result, args.out, files, sep=args.sep, rows_read=rows_read, options=options
        )
    except OSError as error:  # a disk that fills up, a folder removed meanwhile
        print(f"{args.out}: kan niet schrijven ({os_error_text(error)})", file=sys.stderr)
        return 1
    if not args.quiet:
        for path in written:
            print(f"geschreven: {path}", file=sys.stderr)
    # Not progress: shown with --quiet too, as in the manifest and the report.
    for warning in result.warnings:
        print(f"waarschuwing: {warning}", file=sys.stderr)
    return 0
