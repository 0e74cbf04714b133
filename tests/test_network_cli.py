"""`parkflow network`: metrics table, JSON, GraphML/GEXF on stdout, files with --out, and
bad input exits 2 without a traceback."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from conftest import run_cli

from mfa.network.metric_defs import METRICS


def _ok(*args: str | Path, cwd: Path) -> str:
    result = run_cli("network", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_jinchang_mass_prints_the_metrics(tmp_path: Path) -> None:
    out = _ok("jinchang", "--currency", "mass", cwd=tmp_path)
    for metric in ("connectance", "lambda_max", "tst", "fci", "a_over_c", "robustness"):
        assert metric in out
    assert "mass network (t), 2016" in out


def test_json_has_every_metric(tmp_path: Path) -> None:
    data = json.loads(_ok("kalundborg", "--currency", "water", "--format", "json",
                          cwd=tmp_path))
    assert data["unit"] == "m³" and data["year"] == 2000
    assert set(data["metrics"]) == set(METRICS)
    assert "rows give" in data["orientation"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_formats_on_stdout(tmp_path: Path, fmt: str) -> None:
    root = ET.fromstring(_ok("kalundborg", "--currency", "energy", "--format", fmt,
                             cwd=tmp_path))
    assert root.tag.endswith(fmt)


def test_out_writes_every_file(tmp_path: Path) -> None:
    _ok("kalundborg", "--currency", "energy", "--out", tmp_path / "net", cwd=tmp_path)
    files = sorted(p.name for p in (tmp_path / "net").iterdir())
    stem = "kalundborg_energy_2000"
    assert files == [f"{stem}.gexf", f"{stem}.graphml", f"{stem}.json", f"{stem}_metrics.csv",
                     f"{stem}_nodes.csv"]
    graph = nx.read_graphml(tmp_path / "net" / f"{stem}.graphml")
    edge = graph.edges["statoil", "asnaes"]
    assert edge["carriers"] == "refinery_gas" and edge["unit"] == "GJ"
    assert edge["q_refinery_gas"] == pytest.approx(1.444734e7, rel=1e-6)
    linked = json.loads((tmp_path / "net" / f"{stem}.json").read_text(encoding="utf-8"))
    assert {"nodes", "links", "carrier_flows"} <= set(linked)
    assert nx.read_gexf(tmp_path / "net" / f"{stem}.gexf").number_of_edges() == len(
        graph.edges)


@pytest.mark.parametrize("args", [["no_such_park"], ["kalundborg", "--year", "1800"],
                                  ["kalundborg", "--currency", "carbon"]])
def test_bad_input_exits_2(tmp_path: Path, args: list[str]) -> None:
    result = run_cli("network", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_out_on_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = run_cli("network", "kalundborg", "--out", target, cwd=tmp_path)
    assert result.returncode == 2 and "not a folder" in result.stderr
