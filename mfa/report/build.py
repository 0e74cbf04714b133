"""Write a report folder as one unit: ``report.html``, ``report.pdf``, ``figures/`` (SVG and
PNG), ``tables/`` (a CSV per table) and ``manifest.json``.

Everything is built in a temporary folder beside the target and renamed into place at the
end, so the target holds a complete report or nothing new; an existing target is refused
unless ``force`` (then the old folder is replaced as a whole).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParkFlowError
from .assessment import Assessment
from .blocks import Section, Table, number_blocks
from .progress import progress_section
from .render import render_html, render_pdf
from .sections_annex import methods_section, sources_section
from .sections_park import indicator_section, park_section, summary
from .sections_plan import effects_section, projects_section, sensitivity_section
from .strings import text

TEMP_PREFIX = ".parkflow-report-"


def _version() -> str:
    """The installed ParkFlow version (``mfa.__version__`` sits above this layer)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("parkflow")
    except PackageNotFoundError:  # a checkout without an install
        return "unknown"


def sections(a: Assessment, lang: str, figures: Path) -> list[Section]:
    """The report's sections in order; those without their data are left out."""
    progress = [progress_section(a, a.measured, lang)] if a.measured else []
    found = [summary(a, lang), *progress, park_section(a, lang, figures),
             indicator_section(a, lang, figures),
             projects_section(a, lang, figures), effects_section(a, lang),
             sensitivity_section(a, lang, figures), sources_section(a, lang),
             methods_section(a, lang)]
    chosen = [s for s in found if s is not None]
    number_blocks(chosen)
    return chosen


def write_report(a: Assessment, out_dir: Path, lang: str = "zh", *, force: bool = False,
                 command: str = "", seed: int | None = None, pdf: bool = True) -> list[Path]:
    """Build the report of ``a`` in ``out_dir``; return the files written. ``pdf=False``
    leaves out ``report.pdf`` (the slow part: quick checks of the HTML).

    Raises
    ------
    ParkFlowError
        When ``out_dir`` exists and ``force`` is not set, is a file, or cannot be written.
    """
    out_dir = Path(out_dir)
    text(lang)  # an unknown language fails before anything is computed or written
    if out_dir.exists() and not (force and out_dir.is_dir()):
        raise ParkFlowError.single(out_dir, "", "already exists" if out_dir.is_dir() else
                                   "exists and is not a folder",
                                   "choose a new folder for --out, or give --force to "
                                   "replace it" if out_dir.is_dir() else
                                   "choose a folder path for --out")
    parent = out_dir.absolute().parent
    temp = parent / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        (temp / "figures").mkdir(parents=True)
        (temp / "tables").mkdir()
        _build(a, temp, lang, command, seed, pdf)
        _swap(temp, out_dir.absolute())
    except OSError as error:
        raise ParkFlowError.single(out_dir, "", f"cannot be written: {error.strerror or error}",
                                   "choose a folder you can write, with free space") from error
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return sorted(p for p in out_dir.rglob("*") if p.is_file())


def _build(a: Assessment, folder: Path, lang: str, command: str, seed: int | None,
           pdf: bool) -> None:
    chosen = sections(a, lang, folder / "figures")
    for table in _tables(chosen):
        table.frame.to_csv(folder / "tables" / f"{table.id}.csv", index=False,
                           float_format="%.10g")
    context = _context(a, lang)
    (folder / "report.html").write_text(render_html(chosen, context, interactive=True),
                                        encoding="utf-8")
    if pdf:
        render_pdf(render_html(chosen, context, interactive=False), folder / "report.pdf")
    manifest = _manifest(a, lang, command, seed, folder)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2)
                                          + "\n", encoding="utf-8")


def _tables(chosen: list[Section]) -> list[Table]:
    """Every table, with a unique file stem."""
    tables = [b for s in chosen for b in s.blocks if isinstance(b, Table)]
    seen: dict[str, int] = {}
    for table in tables:
        seen[table.id] = seen.get(table.id, 0) + 1
        if seen[table.id] > 1:
            table.id = f"{table.id}_{seen[table.id]}"
    return tables


def _context(a: Assessment, lang: str) -> dict[str, Any]:
    words = text(lang)
    meta = a.park.meta
    names = (meta.name_zh, meta.name_en) if lang == "zh" else (meta.name_en, meta.name_zh)
    facts = [(words["base_year"], str(meta.base_year))]
    if a.years:
        facts.append((words["target_years"], ", ".join(str(y) for y in a.years)))
    if a.plan is not None:
        plan_name = a.plan.meta.name_zh if lang == "zh" else a.plan.meta.name_en
        facts.append((words["plan"], f"{plan_name} ({a.plan.meta.id})"))
    facts.append((words["generated"], dt.date.today().isoformat()))
    title = words["progress_title" if a.measured else "report_title"]
    if a.measured:
        facts.insert(0, (words["measured"], str(a.measured.year)))
    return {"lang": lang, "words": words, "title": title,
            "kicker": "ParkFlow", "park_name": names[0], "park_alt": names[1],
            "facts": facts, "version": _version(),
            "colophon": words["generated_by"].format(version=_version())}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(a: Assessment, lang: str, command: str, seed: int | None,
              folder: Path) -> dict[str, Any]:
    inputs = []
    if a.park.path:
        inputs.append({"role": "park", "path": str(a.park.path), "sha256": _sha256(a.park.path)})
    if a.plan is not None and a.plan.path:
        inputs.append({"role": "plan", "path": str(a.plan.path),
                       "sha256": _sha256(a.plan.path)})
    if a.portfolio is not None and a.portfolio.plan.path:
        inputs.append({"role": "candidates", "path": str(a.portfolio.plan.path),
                       "sha256": _sha256(a.portfolio.plan.path)})
    if a.measured is not None and a.measured.path:
        inputs.append({"role": "measured", "path": str(a.measured.path),
                       "sha256": _sha256(a.measured.path)})
    for path in sorted(paths.flows_dir().rglob("*.yaml")):
        inputs.append({"role": "catalogue", "path": str(path), "sha256": _sha256(path)})
    outputs = [{"path": str(p.relative_to(folder)), "sha256": _sha256(p)}
               for p in sorted(folder.rglob("*")) if p.is_file()]
    return {"parkflow_version": _version(), "command": command,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "language": lang, "park": a.park.meta.id,
            "plan": a.plan.meta.id if a.plan else None, "base_year": a.park.meta.base_year,
            "years": a.years, "seed": seed,
            "runs": None if a.trajectory is None else int(a.trajectory["valid_runs"].max()),
            "bases": asdict(a.park.statistics.basis), "inputs": inputs, "outputs": outputs}


def _swap(temp: Path, target: Path) -> None:
    """Put ``temp`` at ``target``; an existing ``target`` (with --force) is removed after."""
    if not target.exists():
        os.rename(temp, target)
        return
    old = temp.with_name(temp.name + "-old")
    os.rename(target, old)
    try:
        os.rename(temp, target)
    except OSError:
        os.rename(old, target)  # put the previous report back
        raise
    shutil.rmtree(old, ignore_errors=True)
