#!/usr/bin/env python3
"""Vectorised NumPy baseline for the paper-fig4 benchmark.

The same experiment as ``./fedlink benchmark --preset paper-fig4`` (SPEC sections 1-6), written the
way a competent NumPy user would write it, so that the Java reference engine is compared against a
fair baseline rather than a strawman:

* K = 100 clients, L = 128, rho = 1, the paper's per-client sample counts, W_k = 1e4 I,
  observation-noise variance 1e-4; data drawn once per experiment (numpy's own RNG: the numbers are
  not bit-identical to Java's, the distributions are the same).
* series: {rerce, rerce-continual} x uplink = downlink variance {6.25e-4, 1e-2}, C = 4 polled
  clients per round drawn uniformly without replacement, 500 rounds, 100 trials.
* P_k = rho N_k is precomputed once as a (K, L, L) array (Cholesky, SPEC eq. 7).
* All M trials of a series run at once. The client state is a (K, M, L) array (client, trial,
  element), so a step of every client in every trial is one batched matrix product
  (K, M, L) @ (K, L, L): K GEMMs of (M x L) by (L x L) in BLAS, instead of K*M matrix-vector
  products. Since P_k is symmetric, D @ P_k^T = (P_k d)^T row by row.
* `rerce-continual` has two formulations (`--continual-form`), with the same random draws in the
  same order and the same curve to rounding:
  - `gemm` (default): every client steps every round, so a round is one batched GEMM
    (K, M, L) @ (K, L, L) against the dense P_k.
  - `eigen`, as the Java engine runs it: P_k = U_k diag(p_k) U_k^T + (I - U_k U_k^T), with U_k
    (L x r_k, r_k = min(d_k, L)) the eigenvectors of X_k^T X_k with nonzero eigenvalues s_i and
    p_i = rho / (rho + 2 w s_i), computed from the smaller Gram matrix. A client keeps
    z = U_k^T w and u = U_k^T m on the span of its samples and w_perp = (I - U_k U_k^T) w on the
    rest, where P_k is the identity, so the step of every client is elementwise on (K, M, r_max)
    arrays (z <- z + p (u - z); w_perp <- m_perp) and only a poll costs products with U_k, one
    each way, grouped by client like the `rerce` step below: u = U_k^T s~, and the upload
    t = U_k (2 z_new - z_old - 2 u + u_old) + 2 s~ - s~_old from the previous poll's u_old and
    s~_old, so w_perp itself is never formed. The metric's identity part follows by Pythagoras,
    ||s~ - w*||^2 - ||u - U_k^T w*||^2, recomputed directly in the rare case that it cancels. Clients
    with r_k < r_max are padded with zero columns of U (p = 1 there), which contribute nothing.
* `rerce` steps only the C polled clients of each trial; each round the M*C (trial, client) pairs
  are grouped by client into a zero-padded stack, so the round is again one batched GEMM, each
  polled P_k multiplying all the trials that polled it (about M*C/K = 4 rows at paper-fig4). A
  dense all-clients product would be K/C = 25x the work, gathering a (M*C, L, L) stack of P_k costs
  ~50 MB of memory traffic per round (about 8x slower, measured), and a Python loop over the
  polled clients is no faster than the padded stack.

A client update is one local step of one client in one round of one trial (start-up uploads
excluded): `rerce` counts C per round, `rerce-continual` counts K per round, exactly as the Java
engine counts them. The timing is end to end: data generation, the constants and every series
(interpreter start-up and imports excluded, as the JVM start-up is excluded on the Java side).
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

try:
    import numpy as np
except ImportError:  # pragma: no cover - exercised on machines without numpy
    sys.stderr.write(
        "numpy_baseline.py: numpy is not installed for " + sys.executable + "\n"
        "  install it (e.g. 'python3 -m pip install numpy' or 'apt-get install python3-numpy')\n"
        "  and run again; the Java side of the benchmark does not need it.\n")
    sys.exit(3)

CLIENTS = 100
DIMENSION = 128
RHO = 1.0
SELECTED = 4
OBSERVATION_NOISE_VARIANCE = 1e-4
WEIGHT = 1.0 / OBSERVATION_NOISE_VARIANCE
LINK_VARIANCES = (6.25e-4, 1e-2)
ALGORITHMS = ("rerce", "rerce-continual")
STEADY_STATE_FRACTION = 0.2
CANCELLATION = 1e-6          # eigen form: below this share of ||s~ - w*||^2, recompute directly

HERE = Path(__file__).resolve().parent
SAMPLE_COUNTS = (HERE.parent / "core" / "src" / "main" / "resources" / "io" / "fedlink" / "core" / "data"
                 / "paper-client-sample-counts.csv")


# --------------------------------------------------------------------------------------------
# BLAS / threads report
# --------------------------------------------------------------------------------------------

def blas_info() -> dict:
    """Which BLAS numpy uses and with how many threads (threadpoolctl if present, else a direct
    query of the OpenBLAS library numpy loaded, else numpy's build configuration)."""
    info: dict = {"numpy": np.__version__, "python": platform.python_version()}
    env = {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                      "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    info["env"] = env
    try:
        from threadpoolctl import threadpool_info  # type: ignore

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            p = pools[0]
            info.update(source="threadpoolctl", library=p.get("internal_api"), version=p.get("version"),
                        threads=p.get("num_threads"), coretype=p.get("architecture"), path=p.get("filepath"))
            return info
    except ImportError:
        pass
    # No threadpoolctl: ask the OpenBLAS that this process mapped, as threadpoolctl would.
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            libs = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line})
        for path in libs:
            lib = ctypes.CDLL(path)
            for prefix in ("scipy_openblas", "openblas"):
                for suffix in ("64_", ""):
                    threads = getattr(lib, prefix + "_get_num_threads" + suffix, None)
                    if threads is None:
                        continue
                    threads.restype = ctypes.c_int
                    config = getattr(lib, prefix + "_get_config" + suffix, None)
                    core = getattr(lib, prefix + "_get_corename" + suffix, None)
                    if config is not None:
                        config.restype = ctypes.c_char_p
                    if core is not None:
                        core.restype = ctypes.c_char_p
                    info.update(source="OpenBLAS (queried via ctypes)", library="openblas", path=path,
                                threads=threads(),
                                version=config().decode() if config is not None else None,
                                coretype=core().decode() if core is not None else None)
                    return info
    except OSError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info.update(source="numpy.show_config", library=blas.get("name"), version=blas.get("version"),
                    threads=None)
    except Exception:  # noqa: BLE001 - best effort only
        info.update(source="unknown", library=None, threads=None)
    return info


# --------------------------------------------------------------------------------------------
# Data (SPEC section 6) and constants (SPEC section 1)
# --------------------------------------------------------------------------------------------

def paper_sample_counts() -> np.ndarray:
    if not SAMPLE_COUNTS.is_file():
        sys.exit(f"numpy_baseline.py: the paper's sample counts are missing: {SAMPLE_COUNTS}")
    with open(SAMPLE_COUNTS, newline="", encoding="utf-8") as f:
        rows = sorted((int(r["client"]), int(r["samples"])) for r in csv.DictReader(f))
    counts = np.array([s for _, s in rows], dtype=np.int64)
    if len(counts) != CLIENTS:
        sys.exit(f"numpy_baseline.py: expected {CLIENTS} sample counts in {SAMPLE_COUNTS}, got {len(counts)}")
    return counts


def generate_problem(rng: np.random.Generator, counts: np.ndarray, eigenbases: bool = False):
    """Returns (P, wh, w_star, basis): P_k = rho N_k as (K, L, L), wh_k as (K, L), w* as (L,), and
    basis = (U, p) of `data_eigenbases` if `eigenbases`, else None. The random draws do not depend
    on `eigenbases` (the bases are a deterministic function of the data)."""
    K, L = len(counts), DIMENSION
    omega = rng.standard_normal(L)
    omega -= omega.mean()
    omega /= math.sqrt(np.mean(omega * omega))            # unit mean power

    mu = rng.uniform(-0.5, 0.5, K)
    sd = np.sqrt(rng.uniform(0.5, 1.5, K))
    rows = np.repeat(np.arange(K), counts)                  # client of every sample
    X = mu[rows, None] + sd[rows, None] * rng.standard_normal((len(rows), L))   # N(mu_k, var_k)
    y = X @ omega + math.sqrt(OBSERVATION_NOISE_VARIANCE) * rng.standard_normal(len(rows))

    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    gram = np.empty((K, L, L))
    moment = np.empty((K, L))
    for k in range(K):                                      # K small GEMMs, once per experiment
        Xk = X[starts[k]:starts[k] + counts[k]]
        gram[k] = Xk.T @ Xk
        moment[k] = Xk.T @ y[starts[k]:starts[k] + counts[k]]

    eye = np.eye(L)
    system = 2.0 * WEIGHT * gram + RHO * eye                # 2 X^T W X + rho I, SPD
    chol = np.linalg.cholesky(system)                       # batched over K
    chol_inv = np.linalg.solve(chol, np.broadcast_to(eye, system.shape))
    N = np.swapaxes(chol_inv, 1, 2) @ chol_inv              # N_k = (L L^T)^{-1}   (7)
    N = 0.5 * (N + np.swapaxes(N, 1, 2))                    # exactly symmetric
    wh = 2.0 * WEIGHT * np.einsum("kij,kj->ki", N, moment)  # wh_k = 2 N_k X^T W y  (8)
    P = RHO * N

    total_gram = WEIGHT * gram.sum(0)
    total_moment = WEIGHT * moment.sum(0)
    c = np.linalg.cholesky(total_gram)                      # w* (3) by Cholesky
    w_star = np.linalg.solve(c.T, np.linalg.solve(c, total_moment))
    basis = data_eigenbases(X, starts, counts, gram) if eigenbases else None
    return np.ascontiguousarray(P), wh, w_star, basis


def data_eigenbases(X, starts, counts, gram):
    """P_k = U_k diag(p_k) U_k^T + (I - U_k U_k^T), as U (K, L, r_max) and p (K, r_max).

    U_k holds the orthonormal eigenvectors of X_k^T X_k with nonzero eigenvalues s_i (s descending,
    so p ascending, as in the Java engine), p_i = rho / (rho + 2 w s_i). From the smaller Gram
    matrix: when d_k < L, X X^T = Q S Q^T (d_k x d_k) and U = X^T Q S^{-1/2}; otherwise
    X^T X = U S U^T. Directions with s_i <= 1e-13 s_max are left to the identity part. Clients
    with fewer than r_max directions get zero columns of U and p = 1 there."""
    K, L = gram.shape[0], gram.shape[1]
    r_max = int(np.minimum(counts, L).max())
    U = np.zeros((K, L, r_max))
    p = np.ones((K, r_max))
    for k in range(K):                                      # K eigh of min(d_k, L)^2, once
        Xk = X[starts[k]:starts[k] + counts[k]]
        wide = counts[k] < L
        s, Q = np.linalg.eigh(Xk @ Xk.T if wide else gram[k])
        s, Q = s[::-1], Q[:, ::-1]                          # descending s
        keep = s > 1e-13 * max(s[0], 0.0)
        s, Q = s[keep], Q[:, keep]
        r = len(s)
        U[k, :, :r] = Xk.T @ (Q / np.sqrt(s)) if wide else Q
        p[k, :r] = RHO / (RHO + 2.0 * WEIGHT * s)
    return U, p


# --------------------------------------------------------------------------------------------
# The algorithms, all M trials of a series at once
# --------------------------------------------------------------------------------------------

def select(rng: np.random.Generator, trials: int, clients: int, selected: int) -> np.ndarray:
    """S_n of every trial: C of K uniformly without replacement, as a (M, C) array. The C smallest of
    K i.i.d. uniform keys are a uniformly random C-subset."""
    if selected >= clients:
        return np.broadcast_to(np.arange(clients), (trials, clients))
    return np.argpartition(rng.random((trials, clients)), selected - 1, axis=1)[:, :selected]


def polled_step(P, ks, diff):
    """Row i of the result is (P_{ks[i]} diff[i])^T, for the M*C polled (trial, client) pairs.

    The pairs are grouped by client into a zero-padded (clients polled, most polls, L) stack, so the
    whole round is one batched GEMM against the P_k of the polled clients (P_k is symmetric, so the
    row form d^T P_k is (P_k d)^T). Each P_k is read once per round, not once per pair."""
    K = P.shape[0]
    counts = np.bincount(ks, minlength=K)
    present = counts > 0
    compact = np.cumsum(present) - 1                       # client id -> index among the polled
    order = np.argsort(ks, kind="stable")
    first = np.cumsum(counts) - counts                      # first position of each client in `order`
    slot = np.empty_like(ks)
    slot[order] = np.arange(len(ks)) - first[ks[order]]     # rank of the pair within its client
    padded = np.zeros((int(present.sum()), int(counts.max()), diff.shape[1]))
    padded[compact[ks], slot] = diff
    matrices = P if present.all() else P[present]
    return np.matmul(padded, matrices)[compact[ks], slot]


def run_rerce(P, wh, w_star, trials, rounds, variance, rng):
    """SPEC 4.3. Returns (nmse per round averaged over trials, client updates)."""
    K, L = wh.shape
    C, M = SELECTED, trials
    sd = math.sqrt(variance)
    W = np.repeat(wh[:, None, :], M, axis=1)                # (K, M, L): w_{k,0} = wh_k
    dev = np.broadcast_to(((wh - w_star) ** 2).sum(1)[:, None], (K, M)).copy()
    norm = K * float(w_star @ w_star)
    trial_of = np.repeat(np.arange(M), C)

    # start-up: the scheduled clients upload wh_k; w_{-1} = 0, w_0 = mean, s_0 = 2 w_0
    sel = select(rng, M, K, C)
    up = wh[sel] + sd * rng.standard_normal((M, C, L))
    g = up.mean(1)
    s = 2.0 * g

    nmse = np.empty((rounds, M))
    for n in range(rounds):
        sel = select(rng, M, K, C)
        ks = sel.ravel()
        received = (s[:, None, :] + sd * rng.standard_normal((M, C, L))).reshape(M * C, L)
        old = W[ks, trial_of]                               # (M*C, L) polled models
        diff = received - old
        new = old + polled_step(P, ks, diff)                # w <- (I - P) w + P s~
        W[ks, trial_of] = new
        d = new - w_star
        dev[ks, trial_of] = np.einsum("ij,ij->i", d, d)
        uploads = (new + sd * rng.standard_normal((M * C, L))).reshape(M, C, L)
        g_next = uploads.mean(1)                            # w_{n+1} = (1/C) sum received
        s = 2.0 * g_next - g                                # s_{n+1} = 2 w_{n+1} - w_n
        g = g_next
        nmse[n] = dev.sum(0) / norm
    return nmse.mean(1), rounds * M * C


def run_rerce_continual(P, wh, w_star, trials, rounds, variance, rng):
    """SPEC 4.4. Returns (nmse per round averaged over trials, client updates)."""
    K, L = wh.shape
    C, M = SELECTED, trials
    sd = math.sqrt(variance)
    W = np.repeat(wh[:, None, :], M, axis=1)                # (K, M, L)
    last = np.zeros((K, M, L))                              # m_k = 0 until first polled
    # start-up: every client uploads t_k = 2 wh_k; the server keeps the received copies
    latest = 2.0 * W + sd * rng.standard_normal((K, M, L))
    s = latest.mean(0)                                      # (M, L)
    norm = K * float(w_star @ w_star)
    trial_of = np.repeat(np.arange(M), C)

    diff = np.empty_like(W)
    step = np.empty_like(W)
    nmse = np.empty((rounds, M))
    for n in range(rounds):
        sel = select(rng, M, K, C)
        ks = sel.ravel()
        last[ks, trial_of] = (s[:, None, :] + sd * rng.standard_normal((M, C, L))).reshape(M * C, L)
        np.subtract(last, W, out=diff)
        np.matmul(diff, P, out=step)                        # every client, every trial: K GEMMs
        W += step                                           # w_new = (I - P) w + P m
        # t = 2 w_new - w_old = w_new + step; only the polled uploads reach the server
        latest[ks, trial_of] = W[ks, trial_of] + step[ks, trial_of] + sd * rng.standard_normal((M * C, L))
        s = latest.mean(0)                                  # s_{n+1} = (1/K) sum_k t~_k
        np.subtract(W, w_star, out=diff)
        nmse[n] = np.einsum("kml,kml->m", diff, diff) / norm
    return nmse.mean(1), rounds * M * K


class ClientGroups:
    """The polled (trial, client) pairs of one round, grouped by client for batched products.

    `product(rows, mats)` returns rows[i] @ mats[ks[i]] for every pair i, as one batched GEMM of a
    zero-padded (clients polled, most polls, ...) stack (see `polled_step`). rows may carry extra
    middle axes (pairs, J, n): the J rows of a pair go through the same matrix in the same GEMM."""

    def __init__(self, ks, clients):
        counts = np.bincount(ks, minlength=clients)
        present = counts > 0
        order = np.argsort(ks, kind="stable")
        first = np.cumsum(counts) - counts
        slot = np.empty_like(ks)
        slot[order] = np.arange(len(ks)) - first[ks[order]]
        self.index = ((np.cumsum(present) - 1)[ks], slot)  # (position among the polled, rank within)
        self.shape = (int(present.sum()), int(counts.max()))
        self.present = None if present.all() else present

    def product(self, rows, mats):
        padded = np.zeros(self.shape + rows.shape[1:])
        padded[self.index] = rows
        if self.present is not None:
            mats = mats[self.present]
        out = np.matmul(padded.reshape(self.shape[0], -1, rows.shape[-1]), mats)
        return out.reshape(self.shape + rows.shape[1:-1] + (mats.shape[-1],))[self.index]


def run_rerce_continual_eigen(basis, wh, w_star, trials, rounds, variance, rng):
    """SPEC 4.4 in the data eigenbasis of every P_k (`--continual-form eigen`), the arithmetic of
    the Java engine (ContinualRerceClient). The random draws are those of `run_rerce_continual`, in
    the same order.

    State per (client, trial): z = U^T w and u = U^T m as (K, M, r) arrays, both kept relative to
    U^T w* (dz = z - U^T w*, du = u - U^T w*: the step dz <- dz + p (du - dz) is the same formula,
    and the metric's ||z - U^T w*||^2 is then a single reduction, without a temporary); and m, the
    last received vector s~ (0 until first polled), as (K, M, L). w_perp = (I - U U^T) m is never
    formed. A poll costs one product each way, u = U^T s~ and the upload
        t = 2 w_new - w_old = U (2 z_new - z_old - 2 u + c_old) + 2 s~ - v_old
    with (c_old, v_old) = (u_old, s~_old) of the previous poll, which is (0, 0) for a client that
    stepped but was never polled, and (U^T wh, wh) before any step (round 0 only). In relative
    coordinates the coefficients are 2 dz_new - dz_old - 2 du + du_old. Clients with r = L have no
    identity part: their upload is U (2 z_new - z_old) and their w_perp deviation 0, as in Java.

    The metric's identity part ||w_perp - (I - U U^T) w*||^2 changes only on a poll, where it is
    ||s~ - w*||^2 - ||u - U^T w*||^2 (Pythagoras), recomputed directly (one product with U for the
    pairs concerned) when the difference falls below CANCELLATION of ||s~ - w*||^2."""
    U, p = basis                                            # (K, L, r), (K, r)
    Ut = np.ascontiguousarray(np.swapaxes(U, 1, 2))         # U^T per client (K, r, L), for U z
    K, L = wh.shape
    C, M = SELECTED, trials
    sd = math.sqrt(variance)
    # start-up: every client uploads t_k = 2 wh_k; the server keeps the received copies
    latest = 2.0 * np.repeat(wh[:, None, :], M, axis=1) + sd * rng.standard_normal((K, M, L))
    s = latest.mean(0)                                      # (M, L)
    norm = K * float(w_star @ w_star)
    trial_of = np.repeat(np.arange(M), C)

    partial = (U != 0.0).any(axis=1).sum(axis=1) < L       # r_k < L: P_k has an identity part
    z_start = np.matmul(wh[:, None, :], U)[:, 0]           # U^T wh, (K, r)
    z_star = np.matmul(w_star, U)                           # U^T w*, (K, r)
    perp_star = w_star - np.matmul(z_star[:, None, :], Ut)[:, 0]
    perp_star[~partial] = 0.0                               # (I - U U^T) w*, 0 when r = L
    p_b = p[:, None, :]

    dz = np.repeat((z_start - z_star)[:, None, :], M, axis=1)   # z - U^T w*, z_0 = U^T wh
    du = np.repeat(-z_star[:, None, :], M, axis=1)          # u - U^T w*, u = 0 until first polled
    last = np.zeros((K, M, L))                              # m = s~_old, 0 until first polled
    perp_dev = np.repeat(np.einsum("kl,kl->k", perp_star, perp_star)[:, None], M, axis=1)
    tmp = np.empty_like(dz)
    nmse = np.empty((rounds, M))
    for n in range(rounds):
        sel = select(rng, M, K, C)
        ks = sel.ravel()
        received = (s[:, None, :] + sd * rng.standard_normal((M, C, L))).reshape(M * C, L)
        groups = ClientGroups(ks, K)
        u = groups.product(received, U)                     # u = U^T s~ (row form s~^T U)
        du_new = u - z_star[ks]
        dz_old = dz[ks, trial_of]
        if n == 0:                                          # no step yet: w_perp = (I - U U^T) wh
            du_old, v_old = dz_old, wh[ks]                  # c_old = U^T wh, v_old = wh
        else:                                               # (u_old, s~_old), or (0, 0) if never polled
            du_old, v_old = du[ks, trial_of], last[ks, trial_of]
        du[ks, trial_of] = du_new
        np.subtract(du, dz, out=tmp)                        # every client, every trial:
        tmp *= p_b
        dz += tmp                                           # z <- z + p (u - z)   (13)
        # t = 2 w_new - w_old = U (2 z_new - z_old - 2 u + c_old) + 2 s~ - v_old
        coef = 2.0 * dz[ks, trial_of] - dz_old
        identity_part = 2.0 * received - v_old
        correction = du_old - 2.0 * du_new
        pair_partial = partial[ks]
        if not pair_partial.all():                          # r = L: t = U (2 z_new - z_old)
            full = ~pair_partial
            identity_part[full] = 0.0
            correction[full] = z_star[ks[full]]             # 2 dz_new - dz_old + U^T w*
        coef += correction
        upload = groups.product(coef, Ut)                   # the one product with U
        upload += identity_part
        latest[ks, trial_of] = upload + sd * rng.standard_normal((M * C, L))
        last[ks, trial_of] = received
        # ||w_perp - (I - U U^T) w*||^2 = ||s~ - w*||^2 - ||u - U^T w*||^2
        d = received - w_star
        whole = np.einsum("ij,ij->i", d, d)
        perp = whole - np.einsum("ij,ij->i", du_new, du_new)
        perp[~pair_partial] = 0.0
        cancelled = np.flatnonzero(pair_partial & (perp < CANCELLATION * whole))
        if len(cancelled):                                  # directly: s~ - U u - (I - U U^T) w*
            kc = ks[cancelled]
            e = received[cancelled] - np.matmul(u[cancelled][:, None, :], Ut[kc])[:, 0] - perp_star[kc]
            perp[cancelled] = np.einsum("ij,ij->i", e, e)
        perp_dev[ks, trial_of] = perp
        s = latest.mean(0)                                  # s_{n+1} = (1/K) sum_k t~_k
        # ||w - w*||^2 = ||z - U^T w*||^2 + ||w_perp - (I - U U^T) w*||^2
        nmse[n] = (np.einsum("kmr,kmr->m", dz, dz) + perp_dev.sum(0)) / norm
    return nmse.mean(1), rounds * M * K


RUNNERS = {"rerce": run_rerce, "rerce-continual": run_rerce_continual}
CONTINUAL_FORMS = ("gemm", "eigen")


def steady_state_db(curve: np.ndarray) -> float:
    window = max(1, math.ceil(STEADY_STATE_FRACTION * len(curve) - 1e-9))
    return 10.0 * math.log10(float(np.mean(curve[-window:])))


def java_double(value: float) -> str:
    """Double.toString as the Java labels print it (6.25e-4, 0.01): plain between 1e-3 and 1e7."""
    if value == 0.0 or 1e-3 <= abs(value) < 1e7:
        return repr(float(value))
    mantissa, exponent = np.format_float_scientific(value, unique=True, trim="0").split("e")
    return f"{mantissa}e{int(exponent)}"


def label(algorithm: str, variance: float) -> str:
    v = java_double(variance)
    return f"{algorithm} C={SELECTED} up={v} down={v}"


def parse_series(text: str | None):
    everything = [(a, v) for a in ALGORITHMS for v in LINK_VARIANCES]
    if not text:
        return everything
    chosen = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        name, _, var = item.partition(":")
        if name not in ALGORITHMS:
            sys.exit(f"numpy_baseline.py: --series {item}: unknown algorithm; expected {', '.join(ALGORITHMS)}")
        if var:
            try:
                v = float(var)
            except ValueError:
                sys.exit(f"numpy_baseline.py: --series {item}: '{var}' is not a number")
            if not v >= 0.0:
                sys.exit(f"numpy_baseline.py: --series {item}: the link variance must be >= 0")
            chosen.append((name, v))
        else:
            chosen.extend((name, v) for v in LINK_VARIANCES)
    if not chosen:
        sys.exit("numpy_baseline.py: --series names no series")
    return chosen


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Vectorised NumPy baseline of paper-fig4 (K=100, L=128, C=4, rerce and rerce-continual "
                    "at link variances 6.25e-4 and 1e-2); times it end to end and reports client updates per second.")
    parser.add_argument("--trials", type=positive, default=100, help="Monte Carlo trials per series (default 100)")
    parser.add_argument("--rounds", type=positive, default=500, help="rounds after start-up (default 500)")
    parser.add_argument("--seed", type=int, default=1, help="seed of numpy's RNG (default 1)")
    parser.add_argument("--series", metavar="LIST",
                        help="subset of series, comma separated ALGO or ALGO:VARIANCE, e.g. "
                             "'rerce-continual:1e-2,rerce' (default: all four)")
    parser.add_argument("--continual-form", choices=CONTINUAL_FORMS, default="gemm",
                        help="how rerce-continual is computed: 'gemm' steps every client with the dense "
                             "P_k, one batched (K, M, L) @ (K, L, L) product per round; 'eigen' works in "
                             "the eigenbasis of each client's data, P_k = U diag(p) U^T + (I - U U^T), "
                             "elementwise per round and products with U only on a poll, as the Java "
                             "engine does. Same random draws, same curve to rounding (default gemm)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    args = parser.parse_args(argv)
    series = parse_series(args.series)
    eigen = args.continual_form == "eigen" and any(a == "rerce-continual" for a, _ in series)

    blas = blas_info()
    print(f"numpy {blas['numpy']} (python {blas['python']}), BLAS: {blas.get('library')} "
          f"{blas.get('version') or ''}, threads: {blas.get('threads')}, core: {blas.get('coretype')} "
          f"[{blas.get('source')}]")
    if blas["env"]:
        print("BLAS environment: " + " ".join(f"{k}={v}" for k, v in blas["env"].items()))

    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    P, wh, w_star, basis = generate_problem(rng, paper_sample_counts(), eigenbases=eigen)
    generated = time.perf_counter()

    results = []
    for algorithm, variance in series:
        t0 = time.perf_counter()
        if algorithm == "rerce-continual" and eigen:
            curve, updates = run_rerce_continual_eigen(basis, wh, w_star, args.trials, args.rounds, variance, rng)
        else:
            curve, updates = RUNNERS[algorithm](P, wh, w_star, args.trials, args.rounds, variance, rng)
        seconds = time.perf_counter() - t0
        entry = {"series": label(algorithm, variance), "algorithm": algorithm, "variance": variance}
        if algorithm == "rerce-continual":
            entry["continual_form"] = args.continual_form
        entry.update({"steady_state_db": steady_state_db(curve), "client_updates": updates,
                      "seconds": seconds, "updates_per_second": updates / seconds})
        results.append(entry)
    finished = time.perf_counter()

    total_updates = sum(r["client_updates"] for r in results)
    generation, run, total = generated - start, finished - generated, finished - start
    rate = total_updates / total

    print(f"paper-fig4 on numpy: {len(results)} series x {args.trials} trials x {args.rounds} rounds, "
          f"K = {CLIENTS}, L = {DIMENSION}, rerce-continual form: {args.continual_form}")
    width = max(len("series"), *(len(r["series"]) for r in results))
    header = f"{'series':<{width}}  {'steady state dB':>16}  {'rounds':>6}  {'trials':>6}  {'seconds':>9}  {'updates/second':>15}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['series']:<{width}}  {r['steady_state_db']:16.2f}  {args.rounds:6d}  {args.trials:6d}  "
              f"{r['seconds']:9.2f}  {r['updates_per_second']:15.0f}")
    print(f"\nclient updates: {total_updates}; data generation {generation:.2f} s, trials {run:.2f} s, "
          f"total {total:.2f} s")
    print(f"end to end: {rate:.0f} client updates per second")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"engine": "numpy", "trials": args.trials, "rounds": args.rounds, "seed": args.seed,
                       "clients": CLIENTS, "dim": DIMENSION, "selected": SELECTED,
                       "continual_form": args.continual_form, "blas": blas,
                       "series": results, "client_updates": total_updates, "generation_seconds": generation,
                       "run_seconds": run, "total_seconds": total, "updates_per_second": rate}, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
