//! The full smoothness report of a symmetric matrix: spectrum, L_2, the L_inf bracket with the
//! method behind each bound, exact L_inf when affordable, the certified separable constant
//! L_sep, and the geometry read-outs of docs/theory.md §3 and §4.

use super::bounds::local_search;
use super::lanczos::lanczos;
use super::linf::{linf_branch_and_bound, linf_enumerate, Progress};
use super::low_rank::linf_low_rank;
use super::norm_constant::{LOW_RANK_MAX_RANK, LOW_RANK_WORK};
use super::sdp::{bilinear_lift, sdp_rank, solve, Certificate};
use crate::linalg::rho_diag;
use crate::linalg::Matrix;
use crate::norm::l1;
use crate::rng::{Rng, Stream};
use crate::Error;
use serde::{Deserialize, Serialize};

/// When to compute L_inf exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExactMode {
    /// When it will finish in about a second (enumeration up to d = 24, branch and bound within
    /// a node budget).
    Auto,
    Always,
    Never,
}

/// The SDP's sweeps on an n x n matrix: about 2e9 multiply-adds (n^2 rank each), at least 50.
fn sdp_max_sweeps(n: usize) -> usize {
    (2e9 / ((n * n * sdp_rank(n)) as f64)).clamp(50.0, 20_000.0) as usize
}

/// Multiply-adds of the SDP's sweeps on an n x n matrix at most: what a budget over several
/// reports counts.
pub fn sdp_work_bound(n: usize) -> u64 {
    (sdp_max_sweeps(n) * n * n * sdp_rank(n)) as u64
}

#[derive(Clone, Debug)]
pub struct ReportOptions {
    pub exact: ExactMode,
    /// Seeds the random starts of local search, hyperplane rounding and the SDP.
    pub seed: u64,
    /// Relative primal-dual gap at which the SDP stops.
    pub sdp_gap: f64,
    /// Random starts of local search.
    pub starts: usize,
    /// Work allowed for exact L_inf in `auto` mode, in row updates of O(d) each (2^30, about a
    /// second, by default; the page's main thread allows far less).
    pub exact_work: u64,
    /// The SDP bound (L_sep) only up to this dimension: beyond it the bracket rests on local
    /// search below and min(d L_2, sum |H_ij|) above.
    pub sdp_max_d: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            exact: ExactMode::Auto,
            seed: 1,
            sdp_gap: 1e-6,
            starts: 16,
            exact_work: 1 << 30,
            sdp_max_d: crate::smoothness::SDP_MAX_D,
        }
    }
}

/// Enumeration in `auto` mode up to this dimension (d 2^(d-1) = 2e8 row updates, ~0.3 s), and
/// only within the options' work budget.
pub const AUTO_ENUMERATION_MAX_D: usize = 24;
/// `always` refuses enumeration beyond this dimension up front: d 2^(d-1) = 1.8e9 row updates at
/// d = 27 take about 2.5 s natively and two to three times that in the page, and each further
/// dimension doubles that (d = 40: 2^39 vectors, hours). (It was 29, 10 s natively, which the
/// page under load took past a minute.)
pub const ALWAYS_MAX_D: usize = 27;
/// Work allowed to branch and bound under `always`, in row updates (about 3 s natively, two to
/// three times that in the page): its time cannot be known in advance, so when the budget is
/// spent the report keeps the certified bracket and says so in `exact_note`. (It was 2^34, which
/// kept the page busy past a minute: fuzz seed 7, case 156.)
pub const ALWAYS_WORK: u64 = 1 << 32;
/// Multiply-adds allowed to the Lanczos run that finds the top eigenvector (about 0.5 s): on a
/// clustered spectrum it would otherwise run d steps, O(d^3) with full reorthogonalisation.
const LANCZOS_WORK: f64 = 1e9;
/// Hyperplane roundings of the SDP solution.
const ROUNDINGS: usize = 32;

/// A bound or value and the method that produced it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub method: String,
}

/// A closed interval [low, high].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SmoothnessReport {
    pub d: usize,
    /// PSD: L_inf = max_v v^T H v and L_sep is defined; otherwise L_inf = max_{v,w} w^T H v.
    pub psd: bool,
    /// L_2 = max |lambda| (= lambda_max for PSD H).
    pub l2: f64,
    pub lambda_max: f64,
    pub lambda_min: f64,
    /// lambda_bar = tr(H) / d.
    pub lambda_mean: f64,
    pub trace: f64,
    pub abs_sum: f64,
    pub rho_diag: f64,
    pub linf_lower: f64,
    pub linf_lower_method: String,
    pub linf_upper: f64,
    pub linf_upper_method: String,
    pub linf_exact: Option<f64>,
    pub linf_exact_method: Option<String>,
    /// Every bound computed, for the record.
    pub lower_bounds: Vec<Estimate>,
    pub upper_bounds: Vec<Estimate>,
    /// Certified sum l_i with diag(l) - H PSD (PSD H; for general H the same SDP bounds the
    /// bilinear form and is reported as an upper bound only).
    pub l_sep: Option<f64>,
    pub separable: Option<Vec<f64>>,
    /// tr(H X) of the SDP primal solution: l_sep - sdp_primal brackets the SDP optimum.
    pub sdp_primal: Option<f64>,
    /// (l_sep - sdp_primal) / l_sep.
    pub gap: Option<f64>,
    pub certificate: Option<CertificateCheck>,
    /// lambda_max / lambda_bar; None when tr H = 0 but H is not (see `degenerate`).
    pub spread: Option<f64>,
    /// d L_2 / L_inf, the paper's predicted per-step advantage of sign descent, as implied by
    /// the L_inf bracket (a point when L_inf is exact).
    pub predicted_ratio: Interval,
    /// L_sep / L_inf (PSD H): between 1 and pi/2.
    pub l_sep_over_linf: Option<Interval>,
    /// rho_diag lambda_max / lambda_bar <= d L_2 / L_inf <= lambda_max / lambda_bar (PSD H).
    pub two_sided_bound: Option<Interval>,
    pub eigenvalues: Vec<f64>,
    /// The case that gives a ratio no value of its own, and the value chosen: H = 0, or a
    /// trace-zero H (no spread).
    pub degenerate: Option<String>,
    /// Why exact L_inf was asked for and not reached (its work budget ran out); the bracket
    /// [linf_lower, linf_upper] stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact_note: Option<String>,
}

/// What `degenerate` says for H = 0. Every ratio takes its value at c I as c -> 0: GD and sign
/// descent both stop at once, neither has an advantage, and all constants coincide.
pub const ZERO_MATRIX: &str = "H = 0: every method stops at once; every constant is 0 and every ratio (spread, d L_2 / L_inf, L_sep / L_inf, the two-sided bound, the SDP gap) takes its value at c I as c -> 0, which is 1 (0 for the gap)";
/// What `degenerate` says for an indefinite H with tr H = 0.
pub const ZERO_TRACE: &str = "tr H = 0 with H != 0: lambda_bar = 0, so the spread lambda_max / lambda_bar is undefined";

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CertificateCheck {
    pub min_eigenvalue: f64,
    pub tolerance: f64,
    pub valid: bool,
}

/// The report of symmetric `h` (checked by the caller).
pub fn report(h: &Matrix, opts: &ReportOptions, progress: Progress) -> Result<SmoothnessReport, Error> {
    report_with_eigenvalues(h, h.sym_eigenvalues()?, opts, progress)
}

/// The report of symmetric `h` whose eigenvalues (ascending) are already known: O(d^3) saved.
///
/// Every constant in the report is homogeneous of degree 1 in H and every ratio of degree 0, so
/// the work is done on H / 2^e, with 2^e <= max |H_ij| < 2^(e+1) (exact), and the constants are
/// multiplied back by 2^e: entries of 1e300 cannot overflow a product, and a constant that
/// exceeds the largest float after all is named.
pub fn report_with_eigenvalues(
    h: &Matrix,
    eigenvalues: Vec<f64>,
    opts: &ReportOptions,
    progress: Progress,
) -> Result<SmoothnessReport, Error> {
    let e = h.exponent_of_largest();
    let scaled_eigenvalues = eigenvalues.iter().map(|v| libm::scalbn(*v, -e)).collect();
    let mut r = report_of_scaled(&h.scaled_by_power_of_two(-e), scaled_eigenvalues, opts, progress)?.scaled_back(e)?;
    if opts.exact == ExactMode::Always && r.linf_exact.is_none() {
        r.exact_note = Some(format!(
            "exact L_inf not reached: branch and bound spent its budget of 2^{} row updates; L_inf is in [{}, {}]",
            ALWAYS_WORK.ilog2(),
            r.linf_lower,
            r.linf_upper
        ));
    }
    Ok(r)
}

fn report_of_scaled(
    h: &Matrix,
    eigenvalues: Vec<f64>,
    opts: &ReportOptions,
    progress: Progress,
) -> Result<SmoothnessReport, Error> {
    let d = h.n();
    let (lambda_min, lambda_max) =
        (eigenvalues.first().copied().unwrap_or(0.0), eigenvalues.last().copied().unwrap_or(0.0));
    let l2 = lambda_max.abs().max(lambda_min.abs());
    let psd = lambda_min >= -crate::linalg::PSD_TOLERANCE * l2;
    if !psd && opts.exact == ExactMode::Always && d > ALWAYS_MAX_D {
        return Err(Error::TooLargeForExact { d, max: ALWAYS_MAX_D });
    }
    let trace = h.trace();
    let abs_sum = h.abs_sum();
    let mut lower = vec![
        Estimate { value: trace, method: "tr H".into() },
        Estimate { value: l2, method: "max |eigenvalue|".into() },
    ];
    let mut upper = vec![
        Estimate { value: d as f64 * l2, method: "d L_2".into() },
        Estimate { value: abs_sum, method: "sum |H_ij|".into() },
    ];

    // Good sign vectors: the top eigenvector's signs, random starts, SDP roundings; each improved
    // by local search.
    let mut best_v: Vec<f64> = vec![1.0; d];
    let consider = |lower: &mut Vec<Estimate>, method: &str, v: &[f64], best_v: &mut Vec<f64>| {
        let (val, v2) = local_search(h, psd, v);
        let val = val.max(l1(&h.matvec(&signs(v))));
        if lower.iter().all(|e| val > e.value) {
            *best_v = v2;
        }
        lower.push(Estimate { value: val, method: method.into() });
    };
    if d > 0 {
        let ex =
            lanczos(d, |v, out| h.matvec_into(v, out), 1e-10, opts.seed, lanczos_steps(d)).map_err(Error::Eigen)?;
        let top = ex.top_vector;
        let v = signs(&top);
        let method = if ex.converged {
            "sign of the top eigenvector".to_string()
        } else {
            format!("sign of the top Ritz vector after {} Lanczos steps (budget spent)", ex.iterations)
        };
        lower.push(Estimate { value: l1(&h.matvec(&v)), method });
        consider(&mut lower, "local search from the top eigenvector's signs", &top, &mut best_v);
        let mut rng = Rng::stream(opts.seed, Stream::LocalSearch);
        let mut best_random = (f64::NEG_INFINITY, vec![]);
        for _ in 0..opts.starts {
            let (val, v) = local_search(h, psd, &rng.normals(d));
            if val > best_random.0 {
                best_random = (val, v);
            }
        }
        if opts.starts > 0 {
            consider(
                &mut lower,
                &format!("best of {} seeded local searches", opts.starts),
                &best_random.1,
                &mut best_v,
            );
        }
    }

    // SDP: on H (PSD) or on B = 1/2 [[0, H], [H, 0]] (general), whose max over sign vectors
    // z = (w, v) is max w^T H v = L_inf.
    let mut sdp = None;
    if d > 0 && d <= opts.sdp_max_d {
        let b = if psd { h.clone() } else { bilinear_lift(h) };
        let n = b.n();
        let rank = sdp_rank(n);
        let (sol, cert) = solve(&b, opts.seed, opts.sdp_gap, sdp_max_sweeps(n));
        if !progress(0.5) {
            return Err(Error::Cancelled);
        }
        // Goemans-Williamson rounding: z_i = sign(<r, v_i>) for Gaussian r.
        let mut rng = Rng::stream(opts.seed, Stream::Rounding);
        let mut best_round = (f64::NEG_INFINITY, vec![]);
        for _ in 0..ROUNDINGS {
            let r = rng.normals(rank);
            let z: Vec<f64> = sol.v.iter().map(|vi| crate::norm::dot(vi, &r)).collect();
            let v = if psd { z } else { z[d..].to_vec() };
            let (val, v2) = local_search(h, psd, &v);
            if val > best_round.0 {
                best_round = (val, v2);
            }
        }
        consider(&mut lower, "SDP hyperplane rounding + local search", &best_round.1, &mut best_v);
        if cert.valid {
            upper.push(Estimate {
                value: cert.upper,
                method: if psd {
                    "L_sep (certified SDP dual)".into()
                } else {
                    "SDP dual of the bilinear form (certified)".into()
                },
            });
        }
        sdp = Some((sol.primal, cert));
    }

    let lo = best(&lower, f64::max);
    let hi = best(&upper, f64::min);
    let (linf_exact, linf_exact_method) = if lo.value >= hi.value * (1.0 - 1e-12) {
        (Some(lo.value), Some(format!("bounds meet: {} = {}", lo.method, hi.method)))
    } else {
        match exact(h, psd, lambda_min, opts.exact, opts.exact_work, &best_v, progress)? {
            Some((v, m)) => (Some(v), Some(m)),
            None => (None, None),
        }
    };

    let lambda_mean = if d > 0 { trace / d as f64 } else { 0.0 };
    let zero = abs_sum == 0.0;
    let one = Interval { low: 1.0, high: 1.0 };
    let dl2 = d as f64 * l2;
    let predicted_ratio = match linf_exact {
        _ if zero => one,
        Some(e) => Interval { low: dl2 / e, high: dl2 / e },
        None => Interval { low: dl2 / hi.value, high: dl2 / lo.value },
    };
    let rho = rho_diag(h);
    let (l_sep, separable, sdp_primal, gap, certificate) = match &sdp {
        Some((primal, cert)) => (
            cert.valid.then_some(cert.upper),
            cert.valid.then(|| if psd { cert.l.clone() } else { vec![] }),
            Some(*primal),
            cert.valid.then(|| if zero { 0.0 } else { (cert.upper - primal) / cert.upper }),
            Some(check(cert)),
        ),
        None => (None, None, None, None, None),
    };
    let l_sep = if psd { l_sep } else { None };
    let separable = if psd { separable } else { None };
    Ok(SmoothnessReport {
        d,
        psd,
        l2,
        lambda_max,
        lambda_min,
        lambda_mean,
        trace,
        abs_sum,
        rho_diag: rho,
        linf_lower: lo.value,
        linf_lower_method: lo.method.clone(),
        linf_upper: hi.value,
        linf_upper_method: hi.method.clone(),
        linf_exact,
        linf_exact_method,
        l_sep_over_linf: l_sep.map(|s| match linf_exact {
            _ if zero => one,
            Some(e) => Interval { low: s / e, high: s / e },
            None => Interval { low: s / hi.value, high: s / lo.value },
        }),
        two_sided_bound: match () {
            _ if zero => Some(one),
            _ if psd && lambda_mean > 0.0 => {
                Some(Interval { low: rho * lambda_max / lambda_mean, high: lambda_max / lambda_mean })
            }
            _ => None,
        },
        spread: match () {
            _ if zero => Some(1.0),
            _ if lambda_mean != 0.0 => Some(lambda_max / lambda_mean),
            _ => None,
        },
        exact_note: None,
        degenerate: match () {
            _ if zero => Some(ZERO_MATRIX.into()),
            _ if lambda_mean == 0.0 => Some(ZERO_TRACE.into()),
            _ => None,
        },
        predicted_ratio,
        lower_bounds: lower,
        upper_bounds: upper,
        l_sep,
        separable,
        sdp_primal,
        gap,
        certificate,
        eigenvalues,
    })
}

impl SmoothnessReport {
    /// The report of 2^e H from that of H: constants times 2^e (exact), ratios unchanged; a
    /// constant past the largest float is named.
    fn scaled_back(mut self, e: i32) -> Result<Self, Error> {
        let mut overflow = None;
        let mut up = |field: &'static str, v: &mut f64| {
            *v = libm::scalbn(*v, e);
            if !v.is_finite() {
                overflow = overflow.or(Some(field));
            }
        };
        up("l2", &mut self.l2);
        up("lambda_max", &mut self.lambda_max);
        up("lambda_min", &mut self.lambda_min);
        up("lambda_mean", &mut self.lambda_mean);
        up("trace", &mut self.trace);
        up("abs_sum", &mut self.abs_sum);
        up("linf_lower", &mut self.linf_lower);
        up("linf_upper", &mut self.linf_upper);
        self.linf_exact.iter_mut().for_each(|v| up("linf_exact", v));
        self.l_sep.iter_mut().for_each(|v| up("l_sep", v));
        self.sdp_primal.iter_mut().for_each(|v| up("sdp_primal", v));
        self.lower_bounds.iter_mut().for_each(|b| up("lower_bounds", &mut b.value));
        self.upper_bounds.iter_mut().for_each(|b| up("upper_bounds", &mut b.value));
        self.separable.iter_mut().flatten().for_each(|v| up("separable", v));
        self.eigenvalues.iter_mut().for_each(|v| up("eigenvalues", v));
        if let Some(c) = &mut self.certificate {
            up("certificate.min_eigenvalue", &mut c.min_eigenvalue);
            up("certificate.tolerance", &mut c.tolerance);
        }
        match overflow {
            Some(field) => Err(Error::Overflow { field }),
            None => Ok(self),
        }
    }
}

fn check(c: &Certificate) -> CertificateCheck {
    CertificateCheck { min_eigenvalue: c.min_eigenvalue, tolerance: c.tolerance, valid: c.valid }
}

/// Lanczos steps within LANCZOS_WORK: K steps cost K d^2 (products) + 2 K^2 d (reorthogonalising
/// twice), so K is the positive root of 2 d K^2 + d^2 K = LANCZOS_WORK.
fn lanczos_steps(d: usize) -> usize {
    let d = d as f64;
    ((f64::sqrt(d * d * d * d + 8.0 * d * LANCZOS_WORK) - d * d) / (4.0 * d)) as usize
}

fn signs(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| if *x < 0.0 { -1.0 } else { 1.0 }).collect()
}

fn best(list: &[Estimate], pick: fn(f64, f64) -> f64) -> Estimate {
    let v = list.iter().map(|e| e.value).fold(list[0].value, pick);
    list.iter().find(|e| e.value == v).cloned().expect("non-empty")
}

/// Exact L_inf by the mode's algorithm, or None when not attempted (or over budget in auto).
/// The value is recomputed from the maximising vector as ||H v||_1, the same formula as the
/// lower bounds, so that rounding in the incremental updates cannot put it below them.
fn exact(
    h: &Matrix,
    psd: bool,
    lambda_min: f64,
    mode: ExactMode,
    work: u64,
    start: &[f64],
    progress: Progress,
) -> Result<Option<(f64, String)>, Error> {
    let d = h.n();
    // Enumeration in auto mode: small enough, and within the work budget.
    let enumerate = d <= AUTO_ENUMERATION_MAX_D && (d as u64) << (d.max(1) - 1) <= work;
    let finish = |found: Option<(f64, Vec<f64>)>, method: &str| {
        found.map(|(_, v)| Some((l1(&h.matvec(&v)), method.to_string()))).ok_or(Error::Cancelled)
    };
    if psd && mode != ExactMode::Never {
        if let Some(found) = linf_low_rank(h, lambda_min, LOW_RANK_MAX_RANK, LOW_RANK_WORK) {
            let method = format!("identity plus rank {}: zonotope vertices", found.rank);
            return Ok(Some((found.value, method)));
        }
    }
    const BNB: &str = "branch and bound";
    const GRAY: &str = "Gray-code enumeration";
    match (mode, psd) {
        (ExactMode::Never, _) => Ok(None),
        (ExactMode::Always, false) => finish(linf_enumerate(h, progress), GRAY),
        (_, true) => {
            // Branch and bound within a work budget; progress callbacks come every 2^16 nodes,
            // each node costing O(d). Over budget: in auto mode enumeration when small enough,
            // else nothing (the caller keeps the bracket).
            let work = if mode == ExactMode::Always { ALWAYS_WORK } else { work };
            let allowed_calls = (work / ((1 << 16) * d as u64)).max(1);
            let mut calls = 0u64;
            let mut cancelled_by_user = false;
            let mut budgeted = |f: f64| {
                calls += 1;
                cancelled_by_user = !progress(f);
                !cancelled_by_user && calls <= allowed_calls
            };
            let found = linf_branch_and_bound(h, Some(start), &mut budgeted);
            match found {
                _ if cancelled_by_user => Err(Error::Cancelled),
                Some(_) => finish(found, BNB),
                None if enumerate && mode == ExactMode::Auto => finish(linf_enumerate(h, progress), GRAY),
                None => Ok(None),
            }
        }
        (ExactMode::Auto, false) if enumerate => finish(linf_enumerate(h, progress), GRAY),
        (ExactMode::Auto, false) => Ok(None),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::testing::random_psd;

    fn run(h: &Matrix, exact: ExactMode) -> SmoothnessReport {
        report(h, &ReportOptions { exact, ..Default::default() }, &mut |_| true).unwrap()
    }

    #[test]
    fn always_refuses_indefinite_enumeration_above_its_limit_at_once() {
        // An indefinite 28 x 28 matrix: 2^27 sign vectors times 28 rows, past the limit.
        let mut h = random_psd(ALWAYS_MAX_D + 1, 3);
        h.set(0, 0, -1e3);
        let e = report(&h, &ReportOptions { exact: ExactMode::Always, ..Default::default() }, &mut |_| true);
        assert_eq!(e.unwrap_err(), Error::TooLargeForExact { d: ALWAYS_MAX_D + 1, max: ALWAYS_MAX_D });
    }

    #[test]
    fn diagonal_hessian_all_agree_on_the_trace() {
        let h = Matrix::diagonal(&[5.0, 1.0, 1.0, 0.5]);
        let r = run(&h, ExactMode::Never);
        assert_eq!(r.linf_exact, Some(7.5));
        assert!((r.l_sep.unwrap() - 7.5).abs() < 1e-9 * 7.5);
        assert_eq!(r.rho_diag, 1.0);
        let pr = r.predicted_ratio;
        assert!((pr.low - 4.0 * 5.0 / 7.5).abs() < 1e-12 && pr.low == pr.high);
    }

    #[test]
    fn all_ones_is_d_squared() {
        let d = 9;
        let h = Matrix::from_rows(&vec![vec![1.0; d]; d]);
        let r = run(&h, ExactMode::Always);
        assert_eq!(r.linf_exact, Some(81.0));
    }

    #[test]
    fn bracket_holds_on_random_psd_matrices() {
        for (d, seed) in [(6, 1), (10, 2), (14, 3), (18, 4)] {
            let h = random_psd(d, seed);
            let r = run(&h, ExactMode::Always);
            let exact = r.linf_exact.unwrap();
            let (truth, _) = crate::smoothness::linf_exact(&h);
            assert!((exact - truth).abs() <= 1e-12 * truth);
            assert!(r.linf_lower <= exact * (1.0 + 1e-12) && exact <= r.linf_upper * (1.0 + 1e-12));
            let lsep = r.l_sep.unwrap();
            assert!(exact <= lsep * (1.0 + 1e-12) && lsep <= std::f64::consts::FRAC_PI_2 * exact);
            assert!(r.certificate.as_ref().unwrap().valid);
            assert!(r.gap.unwrap() < 1e-6, "gap {}", r.gap.unwrap());
            for e in &r.lower_bounds {
                assert!(e.value <= exact * (1.0 + 1e-12), "{e:?}");
            }
            for e in &r.upper_bounds {
                assert!(e.value >= exact * (1.0 - 1e-12), "{e:?}");
            }
            let two = r.two_sided_bound.unwrap();
            let ratio = r.predicted_ratio.low;
            assert!(two.low <= ratio * (1.0 + 1e-12) && ratio <= two.high * (1.0 + 1e-12));
        }
    }

    #[test]
    fn indefinite_matrices_bracket_the_bilinear_maximum() {
        let mut r = Rng::new(5);
        for d in [5, 9, 12] {
            let a: Vec<Vec<f64>> = (0..d).map(|_| r.normals(d)).collect();
            let h = Matrix::from_rows(&(0..d).map(|i| (0..d).map(|j| a[i][j] + a[j][i]).collect()).collect::<Vec<_>>());
            let rep = run(&h, ExactMode::Auto);
            assert!(!rep.psd);
            let exact = rep.linf_exact.unwrap();
            assert!((exact - crate::smoothness::linf_exact(&h).0).abs() <= 1e-12 * exact);
            assert!(rep.linf_lower <= exact * (1.0 + 1e-12) && exact <= rep.linf_upper * (1.0 + 1e-12));
            assert!(rep.l_sep.is_none());
        }
    }

    #[test]
    fn huge_entries_are_scaled_away_and_the_constants_scaled_back() {
        // [[a]]: every constant is |a|. [[1, b], [b, 1]]: eigenvalues 1 +- b, L_inf = sum |H_ij|.
        let r = run(&Matrix::from_rows(&[vec![-1e300]]), ExactMode::Auto);
        assert_eq!((r.l2, r.lambda_min, r.linf_exact), (1e300, -1e300, Some(1e300)));
        assert_eq!(r.predicted_ratio, Interval { low: 1.0, high: 1.0 });
        let b = 1e300;
        let r = run(&Matrix::from_rows(&[vec![1.0, b], vec![b, 1.0]]), ExactMode::Auto);
        assert!(!r.psd && (r.l2 - b).abs() <= 1e-15 * b);
        assert!((r.linf_exact.unwrap() - 2.0 * b).abs() <= 1e-15 * b);
        // A power-of-two multiple gives the same report with the constants multiplied, exactly.
        let h = random_psd(8, 3);
        let (base, big) = (run(&h, ExactMode::Auto), run(&h.scaled_by_power_of_two(900), ExactMode::Auto));
        assert_eq!(big, base.clone().scaled_back(900).unwrap());
        assert_eq!((big.rho_diag, big.predicted_ratio, big.gap), (base.rho_diag, base.predicted_ratio, base.gap));
        // Constants past the largest float are named.
        let m = f64::MAX;
        let err = report(&Matrix::from_rows(&[vec![m, m], vec![m, m]]), &ReportOptions::default(), &mut |_| true);
        assert_eq!(err, Err(Error::Overflow { field: "l2" }));
    }

    #[test]
    fn the_zero_matrix_gets_named_ratios() {
        for d in [1, 3] {
            let r = run(&Matrix::zeros(d), ExactMode::Auto);
            let one = Interval { low: 1.0, high: 1.0 };
            assert_eq!((r.l2, r.linf_exact, r.l_sep), (0.0, Some(0.0), Some(0.0)));
            assert_eq!(
                (r.spread, r.predicted_ratio, r.l_sep_over_linf, r.two_sided_bound),
                (Some(1.0), one, Some(one), Some(one))
            );
            assert_eq!((r.rho_diag, r.gap), (1.0, Some(0.0)));
            assert_eq!(r.degenerate.as_deref(), Some(ZERO_MATRIX));
            let json = serde_json::to_string(&r).unwrap();
            assert!(!json.contains("null"), "{json}");
        }
        // A trace-zero H != 0 has no spread, and says so.
        let r = run(&Matrix::diagonal(&[1.0, -1.0]), ExactMode::Auto);
        assert_eq!((r.spread, r.degenerate.as_deref()), (None, Some(ZERO_TRACE)));
    }
}
