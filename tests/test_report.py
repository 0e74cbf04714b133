"""`parkflow assess`: the assessment report (mfa.report) — files, self-containment, PDF pages
and Chinese text, a real headless browser, escaping, --force, the issue-9 sections, Sankey."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import mini_park, run_cli, write_park

import mfa
from mfa import paths
from mfa.plans import load_plan
from mfa.report import assess, write_report
from mfa.report.sankey import sankey_data, static_figure
from mfa.synthetic import random_park

CJK = "Noto Sans CJK SC"
PARKS = sorted(paths.builtin_parks())
TARGET_2025 = ("solid_waste_utilisation_rate=80@2025", "resource_output_rate_index=1.1@2025")


def _plan(park: str) -> str | None:
    name = f"{park}-2025"
    return name if name in paths.builtin_plans() else None


@pytest.fixture(scope="module")
def zh_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zh") / "report"
    run = run_cli("assess", "jinchang", "--plan", "jinchang-2025", "--out", out, "--lang", "zh",
                  "--portfolio", "jinchang-candidates", "--target", TARGET_2025[0],
                  "--target", TARGET_2025[1])
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def en_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("en") / "report"
    park, plan = mfa.load_park("jinchang"), load_plan("jinchang-2025")
    write_report(assess(park, plan), out, "en")
    return out


class _Refs(HTMLParser):
    """Every URL-bearing attribute, the scripts' src and the style text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.scripts = 0
        self.styles: list[str] = []
        self._in_style = False
        self.tags: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.scripts += tag == "script"
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data", "xlink:href"):
                self.refs.append(value or "")
            if name == "style" and value:
                self.styles.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _parsed(html: Path) -> _Refs:
    parser = _Refs()
    parser.feed(html.read_text(encoding="utf-8"))
    return parser


# --- the files ------------------------------------------------------------------------------

def test_report_folder_holds_every_part(zh_report: Path) -> None:
    for name in ("report.html", "report.pdf", "manifest.json"):
        assert (zh_report / name).stat().st_size > 0
    svgs = {p.stem for p in (zh_report / "figures").glob("*.svg")}
    pngs = {p.stem for p in (zh_report / "figures").glob("*.png")}
    assert svgs == pngs >= {"network", "sankey_mass", "sankey_energy", "contributions"}
    html = _parsed(zh_report / "report.html")
    assert len(list((zh_report / "tables").glob("*.csv"))) == html.tags["table"]
    assert not list(zh_report.parent.glob(".parkflow-report-*"))  # no temporary folder left


def test_manifest_names_inputs_with_their_hashes(zh_report: Path) -> None:
    manifest = json.loads((zh_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["park"] == "jinchang" and manifest["plan"] == "jinchang-2025"
    assert manifest["command"].startswith("parkflow assess jinchang --plan jinchang-2025")
    assert manifest["bases"]["electricity"] and manifest["date"]
    assert "seed" in manifest and manifest["parkflow_version"]
    roles = {i["role"] for i in manifest["inputs"]}
    assert roles == {"park", "plan", "candidates", "catalogue"}
    park_file = next(i for i in manifest["inputs"] if i["role"] == "park")
    assert park_file["sha256"] == hashlib.sha256(
        Path(park_file["path"]).read_bytes()).hexdigest()
    pdf = next(o for o in manifest["outputs"] if o["path"] == "report.pdf")
    assert pdf["sha256"] == hashlib.sha256((zh_report / "report.pdf").read_bytes()).hexdigest()


def test_tables_carry_the_computed_values(zh_report: Path) -> None:
    """The targets table holds compare()'s values: the report invents no number."""
    from mfa.scenarios.compare import compare

    park, plan = mfa.load_park("jinchang"), load_plan("jinchang-2025")
    expected = compare(park, [plan], [2020, 2025])
    targets = pd.read_csv(zh_report / "tables" / "targets.csv")
    for row in targets.itertuples(index=False):
        value = expected.at[("jinchang-2025", int(row.year), str(row.indicator)), "value"]
        assert row.value == pytest.approx(float(value), rel=1e-9)


# --- self-contained HTML ---------------------------------------------------------------------

def test_html_references_nothing_outside(zh_report: Path) -> None:
    html = _parsed(zh_report / "report.html")
    outside = [r for r in html.refs if not (r.startswith("#") or r.startswith("data:"))]
    assert outside == []
    assert "link" not in html.tags
    css = "\n".join(html.styles)
    assert [u for u in re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
            if not u.startswith("data:")] == []
    assert "Content-Security-Policy" in (zh_report / "report.html").read_text(encoding="utf-8")


def test_every_font_family_names_the_cjk_font(zh_report: Path) -> None:
    text = (zh_report / "report.html").read_text(encoding="utf-8")
    css = "\n".join(_parsed(zh_report / "report.html").styles)
    families = re.findall(r"font-family\s*:\s*([^;}]+)", css)
    assert families and all(CJK in f for f in families)
    specs = re.findall(r'"family": "([^"]+)"', text)
    assert specs and all(CJK in f for f in specs)


def test_both_languages_change_every_heading(zh_report: Path, en_report: Path) -> None:
    from mfa.report.strings import text

    zh, en = ((p / "report.html").read_text(encoding="utf-8") for p in (zh_report, en_report))
    for key in ("s_summary", "s_park", "s_indicators", "s_projects", "s_effects", "s_sources",
                "s_methods", "g_output", "g_consumption", "g_utilisation", "g_discharge"):
        assert text("zh")[key] in zh and text("en")[key] in en
    assert 'lang="en"' in en and 'lang="zh-CN"' in zh
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", en)
    assert headers and not [h for h in headers if re.search(r"[\u4e00-\u9fff]", h)
                            and "编制指南" not in h]


# --- the PDF ---------------------------------------------------------------------------------

def _pages(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / "page")],
                   check=True, timeout=300)
    return sorted(folder.glob("page*.png"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_pages_are_not_blank(zh_report: Path, tmp_path: Path) -> None:
    from PIL import Image

    pages = _pages(zh_report / "report.pdf", tmp_path)
    assert len(pages) >= 10
    for page in pages:
        pixels = np.asarray(Image.open(page).convert("L"), dtype=float)
        assert pixels.std() > 3.0, f"{page.name} is blank"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_chinese_text_is_extractable(zh_report: Path) -> None:
    text = subprocess.run(["pdftotext", str(zh_report / "report.pdf"), "-"], check=True,
                          capture_output=True, text=True, timeout=120).stdout
    park = mfa.load_park("jinchang")
    for words in ("园区循环化改造评估报告", "目录", "一般工业固体废物综合利用率", "资源综合利用",
                  "预期成效", "节能量", park.meta.name_zh[:6]):
        assert words in text, words
    assert "\ufffd" not in text
    fonts = subprocess.run(["pdffonts", str(zh_report / "report.pdf")], check=True,
                           capture_output=True, text=True, timeout=60).stdout
    assert "NotoSansCJK" in fonts.replace("-", "")


# --- a real browser --------------------------------------------------------------------------

_CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--disable-default-apps", "--enable-logging=stderr",
                   "--v=0", "--virtual-time-budget=5000"]


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="chromium is not installed (.ci/run installs it)")
def test_html_opens_in_chromium_without_errors_or_requests(zh_report: Path,
                                                           tmp_path: Path) -> None:
    """The page's console is empty, the page requests nothing (Chromium's own background
    requests are told apart by their network isolation key, file:// for the page) and the
    plotly Sankey diagrams are drawn."""
    netlog = tmp_path / "net.json"
    run = subprocess.run(["chromium", *_CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'ud'}",
                          f"--log-net-log={netlog}", "--dump-dom",
                          (zh_report / "report.html").as_uri()],
                         capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    events = json.loads(netlog.read_text(encoding="utf-8"))["events"]
    requested = {e["params"]["url"] for e in events
                 if "file://" in str(e.get("params", {}).get("network_isolation_key", ""))
                 and "url" in e["params"]}
    assert [u for u in requested if not u.startswith(("file:", "data:"))] == []
    assert run.stdout.count('class="main-svg"') >= 2  # each Sankey drawn by plotly
    assert run.stdout.count("<img") >= 4


# --- safety ----------------------------------------------------------------------------------

def test_park_text_is_escaped(tmp_path: Path) -> None:
    data = mini_park()
    evil = "<script>alert(1)</script>"
    data["park"]["name_en"] = data["park"]["name_zh"] = evil
    data["enterprises"][0]["name_zh"] = data["enterprises"][0]["name_en"] = evil
    park = mfa.load_park(write_park(tmp_path, data))
    write_report(assess(park, None), tmp_path / "out", "en", pdf=False)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\u003cscript\\u003ealert(1)" in html  # in the plotly spec
    scripts = _parsed(tmp_path / "out" / "report.html").scripts
    assert scripts == 1 + len(list((tmp_path / "out" / "figures").glob("sankey_*.svg")))


def test_existing_folder_is_refused_unless_force(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    park = write_park(tmp_path, mini_park())
    run = run_cli("assess", park, "--out", out, "--lang", "en")
    assert run.returncode == 2 and "already exists" in run.stderr and "--force" in run.stderr
    assert "Traceback" not in run.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    run = run_cli("assess", park, "--out", out, "--lang", "en", "--force")
    assert run.returncode == 0, run.stderr
    assert not (out / "keep.txt").exists() and (out / "report.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["park.yaml", "report"]


def test_bad_options_exit_2_and_write_nothing(tmp_path: Path) -> None:
    park = write_park(tmp_path, mini_park())
    for args, message in ((["--lang", "fr"], "unknown language"),
                          (["--plan", "jinchang-2025"], "is for park 'jinchang'")):
        run = run_cli("assess", park, "--out", tmp_path / "out", *args)
        assert run.returncode == 2 and message in run.stderr, run.stderr
        assert not (tmp_path / "out").exists()


# --- every park ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("park", PARKS)
def test_every_park_builds_its_report(park: str, lang: str, tmp_path: Path) -> None:
    """Every section and figure of every built-in park with its plan, in both languages
    (the HTML: the PDF of each park is the slow test below)."""
    model = mfa.load_park(park)
    plan = _plan(park)
    found = assess(model, load_plan(plan) if plan else None)
    write_report(found, tmp_path / "r", lang, pdf=False)
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert (model.meta.name_zh if lang == "zh" else model.meta.name_en) in html
    assert ('id="s-projects"' in html) == (plan is not None)


@pytest.mark.slow
@pytest.mark.parametrize("park", [p for p in PARKS if p != "jinchang"])
def test_every_park_pdf(park: str, tmp_path: Path) -> None:
    plan = _plan(park)
    run = run_cli("assess", park, *(["--plan", plan] if plan else []), "--out",
                  tmp_path / "r", "--lang", "en", "--runs", "20", "--step", "year")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "r" / "report.pdf").read_bytes().startswith(b"%PDF")


# --- issue 9 sections ------------------------------------------------------------------------

def _issue9_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    trajectory = pd.DataFrame({
        "year": [2020, 2020], "indicator": ["solid_waste_utilisation_rate"] * 2,
        "scenario": ["baseline", "mini-plan"], "p5": [20.5, 40.25], "p50": [21.0, 41.0],
        "p95": [21.5, 41.75], "target": [73.0, 73.0], "probability": [0.0, 0.125],
        "unit": ["%", "%"], "mean": [21.0, 41.0], "valid_runs": [200, 199]})
    stockpiles = pd.DataFrame({
        "period": ["2016-01-01", "2016-07-01"], "year": [2016, 2016],
        "stockpile": ["slag_yard", "slag_yard"], "carrier": ["nickel_slag"] * 2,
        "unit": ["t", "t"], "central": [1234.0, 2346.0], "p5": [1000.0, 2000.0],
        "p50": [1200.0, 2300.0], "p95": [1500.0, 2700.0], "capacity": [np.nan, np.nan]})
    sensitivity = pd.DataFrame({
        "indicator": ["solid_waste_utilisation_rate"], "year": [2020],
        "parameter": ["smelter.rates.nickel_slag"], "method": ["tornado"], "rank": [1],
        "S1": [np.nan], "S1_conf": [np.nan], "ST": [np.nan], "ST_conf": [np.nan],
        "output_low": [19.0], "output_high": [23.5], "swing": [4.5], "central": [5.0],
        "low": [4.0], "high": [6.0], "unit": ["t/t"], "source": ["hand test [A]"]})
    return trajectory, stockpiles, sensitivity


def test_issue9_sections_appear_only_with_their_frames(tmp_path: Path) -> None:
    park = mfa.load_park(write_park(tmp_path, mini_park()))
    trajectory, stockpiles, sensitivity = _issue9_frames()
    with_frames = assess(park, None, trajectory=trajectory, stockpiles=stockpiles,
                         sensitivity=sensitivity)
    write_report(with_frames, tmp_path / "with", "en", pdf=False)
    write_report(assess(park, None), tmp_path / "without", "en", pdf=False)
    html = (tmp_path / "with" / "report.html").read_text(encoding="utf-8")
    bare = (tmp_path / "without" / "report.html").read_text(encoding="utf-8")
    for marker in ('id="t-trajectory"', 'id="t-stockpiles"', 'id="s-sensitivity"'):
        assert marker in html and marker not in bare
    assert "12.5%" in html  # the probability 0.125
    piles = html[html.index('id="t-stockpiles"'):]
    piles = piles[:piles.index("</table>")]
    assert "2,346" in piles  # the level at the year's last period
    assert "1,234" not in piles  # an earlier period of the same year is not shown
    assert "hand test [A]" in html and "4.5" in html
    saved = pd.read_csv(tmp_path / "with" / "tables" / "trajectory.csv")
    assert list(saved.columns) == list(trajectory.columns)


def test_issue9_frame_without_its_columns_is_a_located_error(tmp_path: Path) -> None:
    park = mfa.load_park(write_park(tmp_path, mini_park()))
    with pytest.raises(mfa.ParkFlowError, match="lacks the columns p5"):
        assess(park, None, trajectory=pd.DataFrame({"year": [2020]}).assign(
            indicator="x", scenario="s"))


# --- Sankey ----------------------------------------------------------------------------------

def test_sankey_of_fifty_enterprises_stays_readable() -> None:
    """Every enterprise gets a column, labels never overlap (one label line per node at
    least), the figure grows with the tallest column, and back edges close cycles."""
    park = mfa.park_from_dict(random_park(50))
    result = park.balance()
    names = {e.id: e.name_en for e in park.enterprises}
    data = sankey_data(result, "mass", names, ("in", "out"))
    assert len(data.labels) >= 50
    for s, t in data.back:
        assert data.column[t] <= data.column[s]  # a loop runs back, so it is drawn as one
    forward = [(s, t) for s, t in zip(data.links["source"], data.links["target"], strict=True)
               if (s, t) not in data.back]
    assert all(data.column[t] > data.column[s] for s, t in forward)
    fig = static_figure(data, {}, "loop", "t")
    tallest = int(np.bincount(np.asarray(data.column)).max())
    assert fig.get_figheight() >= tallest * 9.0 * 1.3 / 72 / 0.7
    labels = [t for t in fig.axes[0].texts if t.get_text() and t.get_text() != "t"]
    assert len(labels) == len(data.labels)


def test_sankey_draws_a_recycling_loop(tmp_path: Path) -> None:
    """Two enterprises passing material both ways: one back edge, drawn under the diagram."""
    data = mini_park()
    data["links"].append({"from": "cement_plant", "to": "smelter", "carrier": "cement",
                          "cap": "10 t/a"})
    data["enterprises"][0]["rates"]["cement"] = "-0.05 t/t"
    park = mfa.load_park(write_park(tmp_path, data))
    found = sankey_data(park.balance(), "mass", {}, ("in", "out"))
    index = {label: k for k, label in enumerate(found.labels)}
    assert found.back == {(index["cement_plant"], index["smelter"])}


# --- the progress report ---------------------------------------------------------------------

def _measured(folder: Path, content: str) -> Path:
    path = folder / "measured.yaml"
    path.write_text(content, encoding="utf-8")
    return path


def test_progress_report_compares_measured_with_the_plan(tmp_path: Path) -> None:
    from mfa.report.progress import load_measured
    from mfa.scenarios.compare import compare

    park, plan = mfa.load_park("jinchang"), load_plan("jinchang-2025")
    file = _measured(tmp_path, "year: 2020\nsource: hand test\nvalues:\n"
                               "  solid_waste_utilisation_rate: 50.0\n"
                               "  energy_consumption: 1.0\n")
    found = assess(park, plan, measured=load_measured(file, 2020))
    write_report(found, tmp_path / "r", "en", pdf=False)
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert 'id="s-progress"' in html and "Annual progress report" in html
    table = pd.read_csv(tmp_path / "r" / "tables" / "progress.csv").set_index("indicator")
    expected = compare(park, [plan], [2020])
    rate = float(expected.at[("jinchang-2025", 2020, "solid_waste_utilisation_rate"), "value"])
    assert table.at["solid_waste_utilisation_rate", "expected"] == pytest.approx(rate)
    assert table.at["solid_waste_utilisation_rate", "deviation"] == pytest.approx(50.0 - rate)
    assert bool(table.at["solid_waste_utilisation_rate", "on_track"]) == (rate <= 50.0)
    assert bool(table.at["energy_consumption", "on_track"])  # 1 tce: less is better
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))
    assert "measured" in {i["role"] for i in manifest["inputs"]}


def test_bad_measured_values_are_located_errors(tmp_path: Path) -> None:
    park = write_park(tmp_path, mini_park())
    file = _measured(tmp_path, "year: 2019\nvalues:\n  solid_waste_utilisaton_rate: 50\n"
                               "  energy_consumption: lots\n")
    run = run_cli("assess", park, "--out", tmp_path / "out", "--progress", "2018",
                  "--measured", file)
    assert run.returncode == 2, run.stderr
    for message in ("year", "is 2019, but the report is for 2018",
                    "values.solid_waste_utilisaton_rate", "solid_waste_utilisation_rate",
                    "values.energy_consumption", "not a finite number"):
        assert message in run.stderr, message
    assert not (tmp_path / "out").exists()
    run = run_cli("assess", park, "--out", tmp_path / "out", "--progress", "2018")
    assert run.returncode == 2 and "go together" in run.stderr


def test_the_cli_report_carries_the_simulation(zh_report: Path) -> None:
    """`parkflow assess` runs the seeded Monte Carlo simulation (issue 9): trajectories with
    bands and the probability of each target, stockpile levels, the tornado of the inputs."""
    figures = {p.name for p in (zh_report / "figures").iterdir()}
    assert {"trajectory.svg", "stockpiles.svg",
            "tornado_solid_waste_utilisation_rate_2025.svg"} <= figures
    trajectory = pd.read_csv(zh_report / "tables" / "trajectory.csv")
    row = trajectory[(trajectory.year == 2025)
                     & (trajectory.indicator == "solid_waste_utilisation_rate")].iloc[0]
    assert row.valid_runs == 200 and row.target == 80 and 0 <= row.probability <= 1
    assert row.p5 <= row.p50 <= row.p95
    manifest = json.loads((zh_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 0 and "--runs=200" in manifest["command"]
    assert "指标轨迹与不确定性" in (zh_report / "report.html").read_text(encoding="utf-8")


def test_the_cli_report_carries_the_asked_portfolio(zh_report: Path) -> None:
    """`--portfolio CANDIDATES --target …` adds the closest (here: no subset reaches 80 %)
    portfolio of the candidates to section 4, for exactly the targets given."""
    html = (zh_report / "report.html").read_text(encoding="utf-8")
    assert "最接近目标的项目组合" in html and "组合的目标达成情况" in html
    reached = pd.read_csv(zh_report / "tables" / "portfolio_targets.csv")
    assert list(zip(reached.indicator, reached.year, reached.target, strict=True)) == [
        ("solid_waste_utilisation_rate", 2025, 80.0), ("resource_output_rate_index", 2025, 1.1)]
    assert reached.met.tolist() == [False, True]
    chosen = pd.read_csv(zh_report / "tables" / "portfolio.csv")
    assert len(chosen) >= 1 and (chosen.present_cost > 0).all()
    manifest = json.loads((zh_report / "manifest.json").read_text(encoding="utf-8"))
    assert "--portfolio jinchang-candidates" in manifest["command"]
    assert all(f"--target={t}" in manifest["command"] for t in TARGET_2025)
    candidates = next(i for i in manifest["inputs"] if i["role"] == "candidates")
    assert candidates["path"].endswith("jinchang-candidates.yaml")


def test_units_and_table_headers_are_in_the_report_language(zh_report: Path) -> None:
    """No pint spelling (yuan/t, m**3, dimensionless) and no raw column name in the Chinese
    report: the prices table reads 物料 · 类别 · 数值 · 单位 …, its kinds 市场价格 / 处置费."""
    html = (zh_report / "report.html").read_text(encoding="utf-8")
    for pint_spelling in ("yuan/", "m**3", "dimensionless", "disposal_fee"):
        assert pint_spelling not in html, pint_spelling
    prices = html[html.index('id="t-prices"'):]
    prices = prices[:prices.index("</table>")]
    assert all(f">{h}</th>" in prices for h in ("物料", "类别", "数值", "单位", "年份", "来源"))
    assert "元/t" in prices and "处置费" in prices and "市场价格" in prices
