//! The sweep map (docs/theory.md §5, comparison 2): over a grid of eigenvalue spread
//! (lambda_max / lambda_bar) x rotation, the measured advantage of sign GD over GD next to the
//! prediction from the guarantees along the runs and the ceiling d L_2 / L_inf
//! (experiment::prediction).
//!
//! Each cell holds `sweep.problems` seeded quadratics: k = problem.outliers eigenvalues at
//! lambda_max over a bulk of d - k at lambda_min, with lambda_max set so that the spread is the
//! cell's: lambda_bar = (k lambda_max + (d - k) lambda_min) / d, so
//! lambda_max = s (d - k) lambda_min / (d - s k)  (needs s < d / k).
//! GD runs with step 1/L_2 and sign GD with ||g||_1 / L_inf (L_inf exact when affordable,
//! else its certified upper bound), by default with each rule's multiplier chosen from the
//! sweep's own log-spaced grid (sweep.tune_*, 0.25 to 2: beyond 2 the descent guarantee is
//! lost) by the documented tuning rule, or exactly (sweep.rule = theory). The
//! measured advantage is GD's steps over sign GD's steps to the target (a run that misses the
//! target counts run.steps and the cell is flagged censored), or GD's suboptimality over sign
//! GD's after run.steps. Cells report geometric means over their problems, and the map's
//! Spearman rank correlation between measured and predicted. (Logarithms come from libm, like
//! every transcendental function on the numbers' path, so native and wasm agree bit for bit.)

use super::prediction::winner_agreement;
use super::problem::build;
use super::run::run_problem;
use crate::json::nan_as_null;
use crate::optimizer::method::{GD, SIGN_GD};
use crate::optimizer::{log_grid, Status};
use crate::smoothness::Progress;
use crate::spec::{MethodSpec, Rule, Spec, SpecError, SweepMeasure, SweepRule, SweepTask};
use crate::Error;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepCell {
    pub spread: f64,
    pub rotation: f64,
    /// Mean rho_diag of the cell's Hessians.
    pub rho_diag: f64,
    /// Geometric mean of the ceiling d L_2 / L_inf.
    pub ceiling: f64,
    /// Geometric mean of the prediction from the guarantees along both runs
    /// (experiment::prediction).
    pub predicted: f64,
    /// Geometric mean of the measured advantage (above 1: sign GD ahead).
    pub measured: f64,
    /// Per problem: GD's and sign GD's steps to the target (or run.steps) and final f - f*.
    pub gd_steps: Vec<usize>,
    pub sign_steps: Vec<usize>,
    pub gd_final: Vec<f64>,
    pub sign_final: Vec<f64>,
    /// A run of this cell missed the target (its step count is a lower bound).
    pub censored: bool,
    /// Every problem's L_inf was exact (otherwise some theory step, ceiling and prediction rest
    /// on an upper bound).
    pub linf_exact: bool,
}

/// How well one prediction of the cells agrees with the measured advantage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// Spearman's rank correlation with the measured advantage over the cells; 0 when it is
    /// undefined, as `degenerate` says.
    pub spearman: f64,
    /// The share of cells whose winner it names (the same side of 1 as measured).
    pub winners: f64,
    /// Why the rank correlation is undefined: one side is the same in every cell (or there is
    /// one cell), so there is no order to compare.
    pub degenerate: Option<&'static str>,
}

/// What `Agreement::degenerate` says when the measured advantage is the same in every cell.
pub const SAME_MEASURED: &str = "every cell measured the same advantage (runs too short to tell the cells apart?): with no order to compare, Spearman's rho is undefined; 0 (no association) stands for it";
/// What `Agreement::degenerate` says when the prediction is the same in every cell.
pub const SAME_PREDICTED: &str = "the prediction is the same in every cell: with no order to compare, Spearman's rho is undefined; 0 (no association) stands for it";

impl Agreement {
    fn of(prediction: &[f64], measured: &[f64]) -> Self {
        let rho = spearman(measured, prediction);
        let constant = |x: &[f64]| x.iter().all(|v| v.total_cmp(&x[0]).is_eq());
        Agreement {
            spearman: rho.unwrap_or(0.0),
            winners: winner_agreement(prediction, measured),
            degenerate: match rho {
                Some(_) => None,
                None if constant(measured) => Some(SAME_MEASURED),
                None => Some(SAME_PREDICTED),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepResult {
    pub spec: Spec,
    pub spreads: Vec<f64>,
    pub rotations: Vec<f64>,
    /// Row-major: rotations outer, spreads inner.
    pub cells: Vec<SweepCell>,
    /// The ceiling's and the prediction's agreement with the measured advantage.
    pub ceiling: Agreement,
    pub predicted: Agreement,
}

/// lambda_max giving spread s with k outliers over d - k at lambda_min.
pub fn lambda_max_for_spread(s: f64, d: usize, k: usize, lambda_min: f64) -> f64 {
    s * (d - k) as f64 * lambda_min / (d as f64 - s * k as f64)
}

/// The sweep's grid: its spreads, its rotations, and each cell's (rotation, spread), row-major
/// (rotations outer, spreads inner).
struct Grid {
    spreads: Vec<f64>,
    rotations: Vec<f64>,
    cells: Vec<(f64, f64)>,
}

impl Grid {
    fn of(spec: &SweepTask) -> Self {
        let w = &spec.sweep;
        let spreads =
            log_grid(w.spread_min, w.spread_max_for(spec.problem.d, spec.problem.outliers), w.spread_points as usize);
        let rotations: Vec<f64> = (0..w.rotation_points).map(|i| i as f64 / (w.rotation_points - 1) as f64).collect();
        let cells = rotations.iter().flat_map(|&r| spreads.iter().map(move |&s| (r, s))).collect();
        Grid { spreads, rotations, cells }
    }
}

/// Runs the sweep of a spec; `progress(fraction)` as cells finish (computed side by side
/// natively, one after another in wasm: `parallel::map`), false cancels.
pub fn run_sweep(spec: &Spec, progress: Progress) -> Result<SweepResult, Error> {
    let task = spec.sweep_task()?;
    let grid = Grid::of(&task);
    let cells = compute_cells(&task, &grid.cells, progress)?;
    Ok(assemble(&task, grid, cells))
}

/// Cells `which` of the sweep of a spec (indices into its row-major grid of rotation_points x
/// spread_points cells), each computed as `run_sweep` computes it: a share of one sweep, for a
/// pool of workers (the page's); `assemble_sweep` puts the shares together.
/// `progress(fraction of these cells)`, false cancels.
pub fn sweep_cells(spec: &Spec, which: &[usize], progress: Progress) -> Result<Vec<SweepCell>, Error> {
    let task = spec.sweep_task()?;
    let grid = Grid::of(&task);
    let last = grid.cells.len() - 1;
    let chosen = which
        .iter()
        .map(|&i| grid.cells.get(i).copied().ok_or_else(|| SpecError::new("cells", i, format!("allowed: 0 to {last}"))))
        .collect::<Result<Vec<_>, _>>()?;
    compute_cells(&task, &chosen, progress)
}

/// The sweep result of a spec from all its cells in grid order (`sweep_cells` of every index,
/// in any shares): what `run_sweep` returns.
pub fn assemble_sweep(spec: &Spec, cells: Vec<SweepCell>) -> Result<SweepResult, Error> {
    let task = spec.sweep_task()?;
    let grid = Grid::of(&task);
    let at = |c: &SweepCell| (c.rotation.to_bits(), c.spread.to_bits());
    if cells.len() != grid.cells.len()
        || cells.iter().zip(&grid.cells).any(|(c, &(r, s))| at(c) != (r.to_bits(), s.to_bits()))
    {
        return Err(SpecError::new(
            "cells",
            format!("{} cells", cells.len()),
            format!("allowed: the sweep's {} cells in grid order (rotations outer, spreads inner)", grid.cells.len()),
        )
        .into());
    }
    Ok(assemble(&task, grid, cells))
}

/// The cells at these (rotation, spread) points, side by side (`parallel::map`).
fn compute_cells(task: &SweepTask, at: &[(f64, f64)], progress: Progress) -> Result<Vec<SweepCell>, Error> {
    let spec: &Spec = task;
    crate::parallel::map(at, |&(rotation, spread), _| sweep_cell(spec, rotation, spread), &mut |done| {
        progress(done / at.len() as f64)
    })
    .ok_or(Error::Cancelled)?
    .into_iter()
    .collect()
}

/// The sweep result from its grid and its cells, in grid order: the agreements of the ceiling
/// and the prediction with the measured advantage.
fn assemble(task: &SweepTask, grid: Grid, cells: Vec<SweepCell>) -> SweepResult {
    let column = |f: fn(&SweepCell) -> f64| cells.iter().map(f).collect::<Vec<_>>();
    let measured = column(|c| c.measured);
    let ceiling = Agreement::of(&column(|c| c.ceiling), &measured);
    let predicted = Agreement::of(&column(|c| c.predicted), &measured);
    let Grid { spreads, rotations, .. } = grid;
    SweepResult { spec: Spec::clone(task), spreads, rotations, cells, ceiling, predicted }
}

/// One cell of a sweep task: its `problems` seeded problems at this rotation and spread, with
/// GD and sign GD run on each, averaged geometrically.
fn sweep_cell(spec: &Spec, rotation: f64, spread: f64) -> Result<SweepCell, Error> {
    let w = &spec.sweep;
    let (d, k) = (spec.problem.d as usize, spec.problem.outliers as usize);
    let mut cell = SweepCell {
        spread,
        rotation,
        rho_diag: 0.0,
        ceiling: 0.0,
        predicted: 0.0,
        measured: 0.0,
        gd_steps: vec![],
        sign_steps: vec![],
        gd_final: vec![],
        sign_final: vec![],
        censored: false,
        linf_exact: true,
    };
    let (mut log_ceiling, mut log_pred, mut log_meas) = (0.0, 0.0, 0.0);
    for j in 0..w.problems {
        let mut s = spec.clone();
        s.problem.rotation = rotation;
        s.problem.seed = spec.problem.seed + j;
        s.problem.lambda_max = lambda_max_for_spread(spread, d, k, spec.problem.lambda_min);
        let tune = w.rule == SweepRule::Tuned;
        s.run.tune_min = w.tune_min;
        s.run.tune_max = w.tune_max;
        s.run.tune_points = w.tune_points;
        s.methods =
            [&GD, &SIGN_GD].map(|kind| MethodSpec { rule: Rule::Theory, tune, ..MethodSpec::of(kind) }).to_vec();
        let cell_task = s.run_task()?;
        let problem = build(&cell_task);
        let r = run_problem(&cell_task, &problem);
        let (gd, sign) = (&r.methods[0], &r.methods[1]);
        // A sweep's problems are quadratics run with theory steps: each has its Hessian,
        // and sign GD its constant.
        let (Some(hess), Some(linf)) = (problem.objective.constant_hessian(), &sign.smoothness) else {
            unreachable!("a sweep task's cells are quadratics run with theory steps")
        };
        cell.rho_diag += crate::linalg::rho_diag(hess) / w.problems as f64;
        cell.linf_exact &= linf.exact;
        // The run's comparison holds the ceiling and the prediction. Both runs start above
        // the minimum, so it exists (a run that stops at once has the ceiling's guarantee,
        // a_0, and nothing else); a start at the minimiser is its named case (prediction 1).
        let advantage = r.comparison.as_ref().map(|c| c.advantage);
        log_ceiling += libm::log(advantage.map_or(f64::NAN, |a| a.ceiling));
        log_pred += libm::log(advantage.map_or(f64::NAN, |a| a.predicted));
        let steps = |m: &super::run::MethodResult| m.stopped_at.max(1);
        let missed = |m: &super::run::MethodResult| m.status != Status::Target;
        let ratio = match w.measure {
            SweepMeasure::Steps => {
                cell.censored |= missed(gd) || missed(sign);
                steps(gd) as f64 / steps(sign) as f64
            }
            SweepMeasure::Suboptimality => {
                let last = |m: &super::run::MethodResult| *m.trace.f.last().unwrap_or(&f64::NAN);
                last(gd).max(f64::MIN_POSITIVE) / last(sign).max(f64::MIN_POSITIVE)
            }
        };
        log_meas += libm::log(ratio);
        cell.gd_steps.push(gd.stopped_at);
        cell.sign_steps.push(sign.stopped_at);
        cell.gd_final.push(*gd.trace.f.last().unwrap_or(&f64::NAN));
        cell.sign_final.push(*sign.trace.f.last().unwrap_or(&f64::NAN));
    }
    cell.ceiling = libm::exp(log_ceiling / w.problems as f64);
    cell.predicted = libm::exp(log_pred / w.problems as f64);
    cell.measured = libm::exp(log_meas / w.problems as f64);
    Ok(cell)
}

/// Ranks from 1, ties sharing their average rank.
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rho: the Pearson correlation of the ranks; None when either side is constant
/// (all ranks tied, 0/0), which includes a single cell.
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma) * (x - ma)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb) * (y - mb)).sum();
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

/// The columns of the sweep's CSV, read from a sweep result or from the page's copy of one (in
/// wasm), so that the page exports with the CLI's code. NaN arrives from JSON as null.
#[derive(Clone, Debug, Deserialize)]
pub struct SweepTable {
    pub cells: Vec<SweepRow>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SweepRow {
    #[serde(deserialize_with = "nan_as_null::float")]
    pub spread: f64,
    #[serde(deserialize_with = "nan_as_null::float")]
    pub rotation: f64,
    #[serde(deserialize_with = "nan_as_null::float")]
    pub rho_diag: f64,
    #[serde(deserialize_with = "nan_as_null::float")]
    pub ceiling: f64,
    #[serde(deserialize_with = "nan_as_null::float")]
    pub predicted: f64,
    #[serde(deserialize_with = "nan_as_null::float")]
    pub measured: f64,
    pub censored: bool,
    pub linf_exact: bool,
}

impl SweepTable {
    pub fn of(result: &SweepResult) -> Self {
        serde_json::from_value(serde_json::to_value(result).expect("sweeps serialise"))
            .expect("a sweep has every column")
    }
}

/// CSV, one row per cell.
pub fn sweep_csv(r: &SweepTable) -> String {
    let mut out = String::from("spread,rotation,rho_diag,ceiling,predicted,measured,censored,linf_exact\n");
    for c in &r.cells {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            c.spread, c.rotation, c.rho_diag, c.ceiling, c.predicted, c.measured, c.censored, c.linf_exact
        ));
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::spec::auto_spread_max;

    #[test]
    fn spearman_matches_textbook_values() {
        // Perfect monotone: 1; reversed: -1; the classic ten-pair example (no ties):
        // d^2 sum 194, rho = 1 - 6 * 194 / (10 * 99) = -0.1757...
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 35.0]).unwrap() - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]).unwrap() + 1.0).abs() < 1e-12);
        let iq = [106.0, 100.0, 86.0, 101.0, 99.0, 103.0, 97.0, 113.0, 112.0, 110.0];
        let tv = [7.0, 27.0, 2.0, 50.0, 28.0, 29.0, 20.0, 12.0, 6.0, 17.0];
        assert!((spearman(&iq, &tv).unwrap() - (1.0 - 6.0 * 194.0 / 990.0)).abs() < 1e-12);
        assert_eq!(ranks(&[2.0, 1.0, 2.0]), vec![2.5, 1.0, 2.5]);
    }

    #[test]
    fn the_csv_reads_a_sweep_back_from_json_with_nan_as_null() {
        let table: SweepTable = serde_json::from_str(
            r#"{"cells": [{"spread": 1.5, "rotation": 0, "rho_diag": 1, "ceiling": 1.5, "predicted": 1.25,
                "measured": null, "censored": true, "linf_exact": false, "gd_steps": [3]}]}"#,
        )
        .unwrap();
        assert_eq!(
            sweep_csv(&table),
            "spread,rotation,rho_diag,ceiling,predicted,measured,censored,linf_exact\n1.5,0,1,1.5,1.25,NaN,true,false\n"
        );
    }

    #[test]
    fn spread_formula_gives_the_spread() {
        let (d, k) = (20, 3);
        let lmax = lambda_max_for_spread(4.0, d, k, 1.0);
        let mean = (k as f64 * lmax + (d - k) as f64) / d as f64;
        assert!((lmax / mean - 4.0).abs() < 1e-12);
    }

    /// A 4 x 3 map of two problems per cell at d = 12: quick, with cells of unequal cost.
    fn small_sweep() -> Spec {
        Spec::from_json(
            r#"{"problem": {"d": 12, "outliers": 2}, "run": {"steps": 3000},
                "sweep": {"spread_max": 5, "spread_points": 4, "rotation_points": 3, "problems": 2}}"#,
        )
        .unwrap()
    }

    /// The cells are computed side by side (src/parallel.rs) in batches that depend on the
    /// number of threads; the sweep's bytes do not.
    #[test]
    fn a_sweep_gives_the_same_bytes_on_one_thread_and_on_four() {
        let spec = small_sweep();
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| serde_json::to_string(&run_sweep(&spec, &mut |_| true).unwrap()).unwrap())
        };
        let one = on(1);
        assert_eq!(on(4), one);
        assert_eq!(on(3), one);
    }

    /// The page's pool computes a sweep in shares of cells (`sweep_cells`) and puts them together
    /// (`assemble_sweep`): the bytes are run_sweep's, whatever the shares.
    #[test]
    fn a_sweep_in_shares_of_cells_gives_the_bytes_of_the_whole() {
        let spec = small_sweep();
        let whole = serde_json::to_string(&run_sweep(&spec, &mut |_| true).unwrap()).unwrap();
        let shares: Vec<Vec<usize>> = (0..5).map(|k| (k..12).step_by(5).collect()).collect();
        let mut cells: Vec<(usize, SweepCell)> = shares
            .iter()
            .flat_map(|share| share.iter().copied().zip(sweep_cells(&spec, share, &mut |_| true).unwrap()))
            .collect();
        cells.sort_by_key(|(i, _)| *i);
        let cells: Vec<SweepCell> = cells.into_iter().map(|(_, c)| c).collect();
        assert_eq!(serde_json::to_string(&assemble_sweep(&spec, cells.clone()).unwrap()).unwrap(), whole);
        // Cells out of order, missing, or beyond the grid are named errors.
        let mut swapped = cells.clone();
        swapped.swap(0, 1);
        for wrong in [swapped, cells[1..].to_vec()] {
            assert!(matches!(assemble_sweep(&spec, wrong), Err(Error::Spec(ref e)) if e.field == "cells"));
        }
        let e = sweep_cells(&spec, &[12], &mut |_| true).unwrap_err();
        assert!(matches!(e, Error::Spec(ref e) if e.field == "cells" && e.allowed == "allowed: 0 to 11"), "{e:?}");
        assert_eq!(sweep_cells(&spec, &[0, 1], &mut |_| false).unwrap_err(), Error::Cancelled);
    }

    #[test]
    fn diagonal_cells_predict_the_spread_and_the_map_tracks_the_theory() {
        let spec = Spec::from_json(
            r#"{"problem": {"d": 12, "outliers": 2}, "run": {"steps": 20000, "target": 1e-6},
                "sweep": {"spread_min": 1.5, "spread_max": 5, "spread_points": 3, "rotation_points": 3, "problems": 2, "rule": "theory"}}"#,
        )
        .unwrap();
        let r = run_sweep(&spec, &mut |_| true).unwrap();
        assert_eq!(r.cells.len(), 9);
        for c in r.cells.iter().filter(|c| c.rotation == 0.0) {
            // Diagonal: L_inf = tr H, so d L_2 / L_inf = lambda_max / lambda_bar = the spread.
            assert!((c.ceiling - c.spread).abs() < 1e-9 * c.spread, "{} vs {}", c.ceiling, c.spread);
            assert!(c.linf_exact);
            assert!((c.rho_diag - 1.0).abs() < 1e-12);
        }
        assert!(r.ceiling.spearman > 0.5, "measured should follow the ceiling: {:?}", r.ceiling);
        // With theory steps the guarantees along the runs order the cells closely and name
        // nearly every winner, where the ceiling names almost none (it is above 1 everywhere).
        assert!(r.predicted.spearman > r.ceiling.spearman, "{:?} vs {:?}", r.predicted, r.ceiling);
        assert!(r.predicted.winners >= 0.8, "{:?}", r.predicted);
        // A cell equals running its two methods directly.
        let c = &r.cells[4];
        let mut s = spec.clone();
        s.problem.rotation = c.rotation;
        s.problem.lambda_max = lambda_max_for_spread(c.spread, 12, 2, 1.0);
        s.methods = vec![MethodSpec::of(&GD), MethodSpec::of(&SIGN_GD)];
        let direct = crate::experiment::run_spec(&s).unwrap();
        assert_eq!((direct.methods[0].stopped_at, direct.methods[1].stopped_at), (c.gd_steps[0], c.sign_steps[0]));
    }

    #[test]
    fn a_sweep_whose_cells_all_measure_the_same_names_why_it_has_no_correlation() {
        // Fuzz reproducer (seed 7, case 358, with 12 steps for its 26: since the rotations' angles
        // are drawn by chains, one cell reaches the target in 26): in 12 steps neither run
        // reaches 1e-6 in any cell, so every cell measures 12 / 12 = 1 and the measured ranks are
        // all tied.
        let spec = Spec::from_json(
            r#"{"problem": {"d": 5, "outliers": 2, "rotation": 0.02}, "run": {"target": 1e-6, "steps": 12},
                "sweep": {"spread_points": 3, "rotation_points": 3, "problems": 1, "tune_points": 2, "spread_max": 1.73}}"#,
        )
        .unwrap();
        let r = run_sweep(&spec, &mut |_| true).unwrap();
        let measured: Vec<f64> = r.cells.iter().map(|c| c.measured).collect();
        assert!(measured.iter().all(|m| *m == measured[0]), "{measured:?}");
        for a in [r.ceiling, r.predicted] {
            assert_eq!((a.spearman, a.degenerate), (0.0, Some(SAME_MEASURED)), "{a:?}");
        }
        // One cell, or a constant prediction: undefined too, and named for the side at fault.
        assert_eq!(spearman(&[2.0], &[3.0]), None);
        assert_eq!(Agreement::of(&[1.5, 1.5, 1.5], &[1.0, 2.0, 3.0]).degenerate, Some(SAME_PREDICTED));
        assert_eq!(Agreement::of(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]).degenerate, None);
    }

    #[test]
    fn a_cancelled_sweep_says_so() {
        let spec = Spec::from_json(
            r#"{"problem": {"d": 12, "outliers": 2}, "run": {"steps": 100},
                "sweep": {"spread_max": 5, "spread_points": 2, "rotation_points": 2, "problems": 1}}"#,
        )
        .unwrap();
        assert_eq!(run_sweep(&spec, &mut |_| false).unwrap_err(), Error::Cancelled);
    }

    #[test]
    fn sweeps_need_an_outlier_quadratic_that_can_reach_the_spread() {
        let e = run_sweep(
            &Spec::from_json(r#"{"problem": {"d": 10, "outliers": 2}, "sweep": {"spread_max": 6}}"#).unwrap(),
            &mut |_| true,
        );
        assert!(matches!(e, Err(Error::Spec(ref s)) if s.field == "sweep.spread_max"), "{e:?}");
        let e = run_sweep(&Spec::from_json(r#"{"problem": {"kind": "rosenbrock"}}"#).unwrap(), &mut |_| true);
        assert!(matches!(e, Err(Error::Spec(ref s)) if s.field == "problem.kind"));
    }

    #[test]
    fn the_default_largest_spread_fits_the_problem() {
        // d = 5 with two outliers: spreads reach at most d / k = 2.5; the default map ends at 2.
        let spec = Spec::from_json(
            r#"{"problem": {"d": 5, "outliers": 2}, "run": {"steps": 200},
                "sweep": {"spread_points": 2, "rotation_points": 2, "problems": 1}}"#,
        )
        .unwrap();
        let r = run_sweep(&spec, &mut |_| true).unwrap();
        assert_eq!(r.spreads.last(), Some(&2.0));
        assert_eq!(r.spec.sweep.spread_max, Some(2.0), "the echoed spec says what was run");
        // Where even the smallest spread cannot fit, the error names it and both ways out.
        let e = run_sweep(&Spec::from_json(r#"{"problem": {"d": 3, "outliers": 2}}"#).unwrap(), &mut |_| true);
        let Err(Error::Spec(e)) = e else { panic!("{e:?}") };
        assert_eq!(e.field, "sweep.spread_min");
        assert!(e.to_string().contains("1.2") && e.to_string().contains("sweep.spread_max"), "{e}");
        // Where 8 fits, the default is 8: the default sweep's cells are unchanged.
        assert_eq!(auto_spread_max(20, 2), 8.0);
        for d in 2..=60u64 {
            for k in 1..d {
                let s = auto_spread_max(d, k);
                let (d, k) = (d as f64, k as f64);
                assert!(s <= 8.0 && s < d / k, "d = {d}, k = {k}: {s}");
                // lambda_max / lambda_min = s (d - k) / (d - s k) stays at most 4 (d - k) / k.
                let ratio = lambda_max_for_spread(s, d as usize, k as usize, 1.0);
                assert!(ratio.is_finite() && ratio <= 4.0 * (d - k) / k * (1.0 + 1e-12), "d = {d}, k = {k}: {ratio}");
            }
        }
    }
}
