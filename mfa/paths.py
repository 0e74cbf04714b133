"""Where the built-in park library and carrier catalogue are, in a checkout or a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # An installed wheel carries the folders under mfa/_data/; a checkout (or an editable
    # install) has them beside the package.
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def parks_dir() -> Path:
    """The folder of built-in parks (``parks/``)."""
    return _data_dir("parks")


def flows_dir() -> Path:
    """The folder of the carrier catalogue (``flows/``)."""
    return _data_dir("flows")


def builtin_parks() -> dict[str, Path]:
    """Built-in park names (file stems) and their files."""
    return {p.stem: p for p in sorted(parks_dir().glob("*.yaml"))}


def resolve_park(name_or_path: str | Path) -> Path:
    """A path as given if it exists, else the built-in park of that name."""
    path = Path(name_or_path)
    if path.exists() or path.suffix in {".yaml", ".yml"} or len(path.parts) > 1:
        return path
    return builtin_parks().get(str(name_or_path), path)


def plans_dir() -> Path:
    """The folder of built-in plans (``parks/plans/``)."""
    return parks_dir() / "plans"


def builtin_plans() -> dict[str, Path]:
    """Built-in plan names (file stems, ``<park>-<plan>``) and their files."""
    return {p.stem: p for p in sorted(plans_dir().glob("*.yaml"))}


def resolve_plan(name_or_path: str | Path) -> Path:
    """A path as given if it exists, else the built-in plan of that name."""
    path = Path(name_or_path)
    if path.exists() or path.suffix in {".yaml", ".yml"} or len(path.parts) > 1:
        return path
    return builtin_plans().get(str(name_or_path), path)
