"""Information indices (enaR ``enaAscendency``; Ulanowicz 1986, 1997, 2004, 2009).

They work on enaR's extended matrix ``T`` (``as.extended``): rows are the n nodes and the
import row, columns the n nodes, export and respiration (dissipation); its entries are the
internal flows f_ij, the inputs z_j (import row), the exports e_i and the dissipation r_i.
With ``TSTp = Σ T_ij``, row sums ``T_i·`` and column sums ``T_·j`` (log₂, bits):

- flow diversity ``H = −Σ (T_ij/TSTp) log₂(T_ij/TSTp)``;
- average mutual information ``AMI = Σ (T_ij/TSTp) log₂(T_ij TSTp / (T_i· T_·j))``;
- ascendency ``A = TSTp · AMI``; development capacity ``C = TSTp · H``;
  overhead ``Φ = C − A = −Σ T_ij log₂(T_ij² / (T_i· T_·j))``; residual diversity ``H − AMI``;
- robustness, enaR's form (Ulanowicz 2009; Fath 2014): ``R = −(A/C) ln(A/C)``, natural log,
  largest (1/e) at A/C = 1/e; stored as ``robustness``;
- Goerner, Lietaer & Ulanowicz 2009 (*Ecol. Econ.* 69:76–81): ``R = −(e / ln e) a^β ln(a^β)``
  with a = A/C and β = 1.288, scaled to peak at 1 near a ≈ 0.46; stored as
  ``robustness_goerner``;
- effective link density ``Π (√(t_i· t_·j) / t_ij)^t_ij`` and trophic depth
  ``Π (t_ij / (t_i· t_·j))^t_ij`` with ``t = T / TSTp`` (Ulanowicz, Holt & Barfield 2014,
  *Ecol. Lett.* 17:127–136, as enaR computes them), evaluated as sums of logs.

Only the non-zero entries are visited, so the cost is linear in the number of links.
"""

from __future__ import annotations

import math

import numpy as np

from .flownet import FlowNetwork

GOERNER_BETA = 1.288


def extended_entries(network: FlowNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The non-zero entries of the extended matrix as (value, row sum, column sum) arrays."""
    n = network.n
    coo = network.flows.tocoo()
    z, e, r = network.inputs, network.exports, network.dissipation
    row_sum = np.asarray(network.flows.sum(axis=1)).ravel() + e + r  # node rows
    col_sum = np.asarray(network.flows.sum(axis=0)).ravel() + z  # node columns
    nodes = np.arange(n)
    values = np.concatenate([coo.data, z, e, r])
    rows = np.concatenate([row_sum[coo.row], np.full(n, z.sum()), row_sum[nodes],
                           row_sum[nodes]])
    cols = np.concatenate([col_sum[coo.col], col_sum[nodes], np.full(n, e.sum()),
                           np.full(n, r.sum())])
    keep = values > 0
    return values[keep], rows[keep], cols[keep]


def information_metrics(network: FlowNetwork) -> dict[str, float]:
    """H, AMI, residual diversity, A, C, Φ, ratios, both robustness forms, ELD and TD."""
    values, rows, cols = extended_entries(network)
    tstp = float(values.sum())
    if tstp <= 0:
        return dict.fromkeys(INFORMATION_IDS, math.nan)
    p = values / tstp
    h = float(-np.sum(p * np.log2(p)))
    ami = float(np.sum(p * np.log2(values * tstp / (rows * cols))))
    ascendency, capacity = tstp * ami, tstp * h
    ratio = ascendency / capacity if capacity > 0 else math.nan
    row_share, col_share = rows / tstp, cols / tstp
    log_eld = np.sum(p * np.log(np.sqrt(row_share * col_share) / p))
    log_td = np.sum(p * np.log(p / (row_share * col_share)))
    return {
        "h": h,
        "ami": ami,
        "hr": h - ami,
        "ascendency": ascendency,
        "capacity": capacity,
        "overhead": capacity - ascendency,
        "a_over_c": ratio,
        "o_over_c": 1.0 - ratio,
        "robustness": robustness(ratio),
        "robustness_goerner": robustness_goerner(ratio),
        "effective_link_density": float(np.exp(log_eld)),
        "trophic_depth": float(np.exp(log_td)),
    }


def robustness(a_over_c: float) -> float:
    """enaR's robustness −(A/C)·ln(A/C) (Ulanowicz 2009; Fath 2014); 0 at A/C ∈ {0, 1}."""
    if not 0 < a_over_c < 1:
        return 0.0 if a_over_c in (0.0, 1.0) else math.nan
    return -a_over_c * math.log(a_over_c)


def robustness_goerner(a_over_c: float, beta: float = GOERNER_BETA) -> float:
    """Goerner et al. 2009: −(e/ln e)·a^β·ln(a^β), peak 1 at a = e^(−1/β) ≈ 0.46."""
    if not 0 < a_over_c < 1:
        return 0.0 if a_over_c in (0.0, 1.0) else math.nan
    power = a_over_c ** beta
    return float(-(math.e / math.log(math.e)) * power * math.log(power))


INFORMATION_IDS = ("h", "ami", "hr", "ascendency", "capacity", "overhead", "a_over_c",
                   "o_over_c", "robustness", "robustness_goerner", "effective_link_density",
                   "trophic_depth")
