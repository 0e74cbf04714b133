"""`parkflow assess` on the largest built-in park with its plan (issue 10: ≤ 30 s with 200
Monte Carlo runs, the command's default).

    python benchmarks/bench_report.py            # jiayuguan + jiayuguan-2025, zh, HTML + PDF
    python benchmarks/bench_report.py --quick    # jinchang, HTML only, 20 yearly runs

Printed: the time of each stage (the seeded 200-run monthly simulation and the tornado the
command runs, the computations of `mfa.report.assess`, the figures and HTML, the PDF) and of
the whole command in a fresh process (imports included), the number of PDF pages and the
size of each file.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mfa
from mfa.plans import load_plan
from mfa.report import assess, write_report
from mfa.simulate import sensitivity_study, simulate
from mfa.simulate.study import default_last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="jinchang, HTML only")
    parser.add_argument("--lang", default="zh")
    args = parser.parse_args()
    park_name = "jinchang" if args.quick else "jiayuguan"
    pdf = not args.quick
    with tempfile.TemporaryDirectory() as tmp:
        park, plan = mfa.load_park(park_name), load_plan(f"{park_name}-2025")
        begun = time.perf_counter()
        runs, step = (20, "year") if args.quick else (200, "month")
        study = simulate(park, plan, last=default_last(park, plan), step=step, runs=runs)
        ranking = sensitivity_study(study)
        simulated = time.perf_counter()
        start = time.perf_counter()
        found = assess(park, plan, trajectory=study.trajectory, stockpiles=study.stockpiles,
                       sensitivity=ranking)
        computed = time.perf_counter()
        write_report(found, Path(tmp) / "html", args.lang, pdf=False)
        html = time.perf_counter()
        print(f"park {park_name} ({len(park.enterprises)} enterprises, {len(park.links)} "
              f"links), plan {plan.meta.id} ({len(plan.projects)} projects), lang {args.lang}")
        label = f"  simulation and tornado ({runs} runs, {step} step):"
        print(f"{label:<58}{simulated - begun:6.2f} s")
        print(f"  computations (compare, effects, attribution, economics): "
              f"{computed - start:6.2f} s")
        print(f"  figures, tables and HTML:                               "
              f"{html - computed:6.2f} s")
        if pdf:
            write_report(found, Path(tmp) / "full", args.lang)
            full = time.perf_counter()
            print(f"  figures, tables, HTML and PDF:                          "
                  f"{full - html:6.2f} s")
            out = Path(tmp) / "cli"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mfa.cli", "assess", park_name, "--plan",
                            plan.meta.id, "--out", str(out), "--lang", args.lang],
                           check=True, capture_output=True)
            print(f"  parkflow assess (fresh process, 200 Monte Carlo runs):  "
                  f"{time.perf_counter() - started:6.2f} s  (target with 200 runs: ≤ 30 s)")
            pages = subprocess.run(["pdfinfo", str(out / "report.pdf")], capture_output=True,
                                   text=True, check=False).stdout
            count = next((line.split()[-1] for line in pages.splitlines()
                          if line.startswith("Pages:")), "?")
            for name in ("report.html", "report.pdf"):
                print(f"  {name}: {(out / name).stat().st_size / 1e6:.2f} MB")
            print(f"  PDF pages: {count}")


if __name__ == "__main__":
    main()
