//! The run loop: x_{t+1} = x_t - chain(g_t), showing each evaluated point to its observers (the
//! per-step trace is one).

use super::observe::{Observer, Point};
use super::transform::Chain;
use crate::norm::l2;
use crate::objective::Objective;
use serde::Serialize;

/// A run counts as diverged when f(x_t) - f* exceeds this factor times f(x_0) - f* (or, when f* is
/// unknown, when |f(x_t) - f(x_0)| exceeds it times 1 + |f(x_0)|), or when anything is NaN or inf.
pub const DIVERGENCE_FACTOR: f64 = 1e10;

#[derive(Clone, Copy, Debug)]
pub struct RunConfig {
    pub steps: usize,
    /// Stop when (f - f*) <= target (f(x_0) - f*); None runs all steps (and is forced when f* is
    /// unknown).
    pub target: Option<f64>,
    /// Minibatch size for objectives with data rows (0: full batch). The observed values are
    /// always the full objective's; only the update uses the minibatch gradient.
    pub batch: usize,
    /// Seeds the minibatch order.
    pub batch_seed: u64,
}

impl RunConfig {
    /// Full batch.
    pub fn new(steps: usize, target: Option<f64>) -> Self {
        RunConfig { steps, target, batch: 0, batch_seed: 0 }
    }
}

/// Minibatches in epochs: each epoch is a fresh seeded permutation of the rows, cut into
/// batches; a final partial batch is dropped.
struct Batches {
    order: Vec<usize>,
    next: usize,
    size: usize,
    rng: crate::rng::Rng,
}

impl Batches {
    fn new(rows: usize, size: usize, seed: u64) -> Self {
        Batches {
            order: (0..rows).collect(),
            next: rows,
            size: size.min(rows),
            rng: crate::rng::Rng::stream(seed, crate::rng::Stream::Batches),
        }
    }

    fn take(&mut self) -> &[usize] {
        if self.next + self.size > self.order.len() {
            for i in (1..self.order.len()).rev() {
                let j = (self.rng.next_u64() % (i as u64 + 1)) as usize;
                self.order.swap(i, j);
            }
            self.next = 0;
        }
        self.next += self.size;
        &self.order[self.next - self.size..self.next]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Reached the target suboptimality.
    Target,
    /// Ran all steps.
    MaxSteps,
    /// The gradient became exactly zero: nothing more to do.
    Stationary,
    Diverged,
    /// An observer ended the run (a cancelled computation, a read-out that failed).
    Halted,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub status: Status,
    /// The last step index t whose point x_t was evaluated.
    pub stopped_at: usize,
    /// f(x_t) - f* (or f(x_t) when f* is unknown) at `stopped_at`.
    pub final_f: f64,
    pub message: String,
    /// The last iterate x_t.
    #[serde(skip)]
    pub x: Vec<f64>,
}

/// Runs `chain` on `obj` from `x0`, showing every evaluated point to each of `observers` in order
/// (tuning runs pass none).
pub fn run(
    obj: &dyn Objective,
    x0: &[f64],
    chain: &mut Chain,
    cfg: &RunConfig,
    observers: &mut [&mut dyn Observer],
) -> Outcome {
    let d = obj.dim();
    let f_star = obj.minimum();
    let target = if f_star.is_some() { cfg.target } else { None };
    let mut x = x0.to_vec();
    let mut g = vec![0.0; d];
    let mut batches = (cfg.batch > 0 && obj.rows() > 0).then(|| Batches::new(obj.rows(), cfg.batch, cfg.batch_seed));
    let mut f0 = f64::NAN;
    let mut step = None;
    for t in 0..=cfg.steps {
        let f = obj.value_and_gradient(&x, &mut g) - f_star.unwrap_or(0.0);
        if t == 0 {
            f0 = f;
        }
        let gl2 = l2(&g);
        let blown_up = match f_star {
            Some(_) => f > DIVERGENCE_FACTOR * f0.max(f64::MIN_POSITIVE),
            None => (f - f0).abs() > DIVERGENCE_FACTOR * (1.0 + f0.abs()),
        };
        let stop = if !f.is_finite() || !gl2.is_finite() {
            Some((
                Status::Diverged,
                format!(
                    "diverged at step {t}: f or its gradient is {}",
                    if f.is_nan() || gl2.is_nan() { "NaN" } else { "infinite" }
                ),
            ))
        } else if t > 0 && blown_up {
            Some((
                Status::Diverged,
                format!("diverged at step {t}: f - f* = {f:.3e} grew past 1e10 times its start value"),
            ))
        } else if target.is_some_and(|tg| f <= tg * f0) {
            Some((Status::Target, format!("reached the target at step {t}")))
        } else if t == cfg.steps {
            Some((Status::MaxSteps, format!("ran all {t} steps")))
        } else if gl2 == 0.0 {
            Some((Status::Stationary, format!("zero gradient at step {t}")))
        } else {
            None
        };
        let point = Point { t, x: &x, f, g: &g, step, stop: stop.as_ref().map(|(s, _)| *s), objective: obj };
        // Every observer sees the point, even after one of them asks to halt.
        let mut halted = false;
        for o in observers.iter_mut() {
            halted |= o.observe(&point).is_break();
        }
        let stop = if halted { Some((Status::Halted, format!("halted by an observer at step {t}"))) } else { stop };
        if let Some((status, message)) = stop {
            return Outcome { status, stopped_at: t, final_f: f, message, x };
        }
        if let Some(b) = batches.as_mut() {
            let rows = b.take().to_vec();
            obj.batch_gradient(&x, &rows, &mut g);
        }
        step = Some(chain.update(&mut g, t + 1));
        for (xi, ui) in x.iter_mut().zip(&g) {
            *xi -= ui;
        }
    }
    unreachable!("the loop returns at t = steps")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::norm::l1;
    use crate::objective::{HaarRotation, Quadratic};
    use crate::optimizer::method::{Method, GD, SIGN_GD};
    use crate::optimizer::StepSize;
    use crate::optimizer::Trace;
    use crate::rng::Rng;
    use crate::smoothness::linf_exact;

    fn random_quadratic(d: usize, seed: u64) -> Quadratic {
        let mut r = Rng::new(seed);
        let lam: Vec<f64> = {
            let mut l: Vec<f64> = (0..d).map(|_| 0.1 + 10.0 * r.uniform()).collect();
            l.sort_by(f64::total_cmp);
            l
        };
        let rot = HaarRotation::new(d, &mut r);
        let h = crate::objective::rotated_hessian(&lam, &rot, 0.7);
        let x_star = r.normals(d);
        Quadratic::with_spectrum(h, x_star, lam)
    }

    fn cfg(steps: usize) -> RunConfig {
        RunConfig::new(steps, None)
    }

    #[test]
    fn gd_matches_the_closed_form() {
        // x_t - x* = (I - H/L)^t (x_0 - x*).
        let q = random_quadratic(6, 1);
        let l = q.known_spectrum().unwrap().last().copied().unwrap();
        let x0 = vec![1.0; 6];
        let mut trace = Trace::with_iterates();
        let mut chain = GD.chain(&GD.defaults(), StepSize::Theory { lr: 1.0, smoothness: l }, &q.layout());
        run(&q, &x0, &mut chain, &cfg(30), &mut [&mut trace]);
        let h = q.hessian_matrix();
        let mut z: Vec<f64> = x0.iter().zip(q.x_star()).map(|(a, b)| a - b).collect();
        for t in 0..=30 {
            let xt = &trace.x.as_ref().unwrap()[t];
            for i in 0..6 {
                assert!((xt[i] - q.x_star()[i] - z[i]).abs() < 1e-12, "t={t}");
            }
            let hz = h.matvec(&z);
            for i in 0..6 {
                z[i] -= hz[i] / l;
            }
        }
    }

    #[test]
    fn theory_steps_decrease_f_by_the_guarantee() {
        // f(x) - f(x+) >= ||g||_*^2 / (2L) at every step, for l2 (L = lambda_max) and l_inf (L by
        // brute force).
        for seed in 0..5 {
            let d = 3 + seed as usize;
            let q = random_quadratic(d, 10 + seed);
            let l2c = q.known_spectrum().unwrap().last().copied().unwrap();
            let linf = crate::testing::brute_quadratic(q.hessian_matrix());
            assert!((linf - linf_exact(q.hessian_matrix()).0).abs() < 1e-9 * linf);
            type DualNorm = fn(&[f64]) -> f64;
            let cases: [(&Method, f64, DualNorm); 2] = [(&GD, l2c, l2), (&SIGN_GD, linf, l1)];
            for (kind, l, dual) in cases {
                let mut trace = Trace::with_iterates();
                let mut chain = kind.chain(&kind.defaults(), StepSize::Theory { lr: 1.0, smoothness: l }, &q.layout());
                let x0 = Rng::new(seed).normals(d);
                run(&q, &x0, &mut chain, &cfg(40), &mut [&mut trace]);
                let xs = trace.x.as_ref().unwrap();
                for (t, x) in xs.iter().enumerate().take(xs.len() - 1) {
                    let mut g = vec![0.0; d];
                    q.value_and_gradient(x, &mut g);
                    let decrease = trace.f[t] - trace.f[t + 1];
                    let guaranteed = dual(&g).powi(2) / (2.0 * l);
                    assert!(decrease >= guaranteed * (1.0 - 1e-9) - 1e-14, "{kind:?} t={t}: {decrease} < {guaranteed}");
                }
            }
        }
    }

    #[test]
    fn divergence_is_reported_as_data() {
        let q = random_quadratic(4, 3);
        let mut chain = GD.chain(&GD.defaults(), StepSize::Const(100.0), &q.layout());
        let mut trace = Trace::default();
        let out = run(&q, &[1.0; 4], &mut chain, &cfg(1000), &mut [&mut trace]);
        assert_eq!(out.status, Status::Diverged);
        assert!(out.stopped_at > 0 && out.stopped_at < 1000);
        assert!(out.message.starts_with(&format!("diverged at step {}", out.stopped_at)));
        assert_eq!(trace.f.len(), out.stopped_at + 1);
    }

    #[test]
    fn target_stops_the_run() {
        let q = random_quadratic(4, 4);
        let l = q.known_spectrum().unwrap().last().copied().unwrap();
        let mut chain = GD.chain(&GD.defaults(), StepSize::Theory { lr: 1.0, smoothness: l }, &q.layout());
        let out = run(&q, &[1.0; 4], &mut chain, &RunConfig::new(100_000, Some(1e-6)), &mut []);
        assert_eq!(out.status, Status::Target);
        assert!(out.final_f <= 1e-6 * q.value(&[1.0; 4]));
    }

    /// What a witness saw at one point: t, x, f - f*, g, step, stop.
    type Seen = (usize, Vec<f64>, f64, Vec<f64>, Option<f64>, Option<Status>);

    /// Records what it is shown and asks to halt at step `halt_at`.
    #[derive(Default)]
    struct Witness {
        seen: Vec<Seen>,
        halt_at: Option<usize>,
    }

    impl Observer for Witness {
        fn observe(&mut self, p: &Point) -> std::ops::ControlFlow<()> {
            self.seen.push((p.t, p.x.to_vec(), p.f, p.g.to_vec(), p.step, p.stop));
            match self.halt_at == Some(p.t) {
                true => std::ops::ControlFlow::Break(()),
                false => std::ops::ControlFlow::Continue(()),
            }
        }
    }

    /// An observer sees every point in order, each with its own f - f* and gradient, the step
    /// that led there (x_t = x_{t-1} - lr g_{t-1} for GD) and, at the last, why the run stops;
    /// watching does not move the iterates.
    #[test]
    fn observers_see_every_point_and_change_nothing() {
        let q = random_quadratic(5, 6);
        let lr = 0.05;
        let x0 = Rng::new(7).normals(5);
        let mut w = Witness::default();
        let watched =
            run(&q, &x0, &mut GD.chain(&GD.defaults(), StepSize::Const(lr), &q.layout()), &cfg(25), &mut [&mut w]);
        let alone = run(&q, &x0, &mut GD.chain(&GD.defaults(), StepSize::Const(lr), &q.layout()), &cfg(25), &mut []);
        assert_eq!(watched, alone);
        assert_eq!(w.seen.len(), 26);
        let mut g = vec![0.0; 5];
        for (k, (t, x, f, gt, step, stop)) in w.seen.iter().enumerate() {
            assert_eq!(*t, k);
            assert_eq!(*f, q.value_and_gradient(x, &mut g) - q.minimum().unwrap());
            assert_eq!(gt, &g);
            assert_eq!(*step, (k > 0).then_some(lr));
            assert_eq!(*stop, (k == 25).then_some(Status::MaxSteps));
            if k > 0 {
                let (_, before, _, g_before, _, _) = &w.seen[k - 1];
                for i in 0..5 {
                    assert!((x[i] - (before[i] - lr * g_before[i])).abs() <= 1e-15 * (1.0 + x[i].abs()));
                }
            }
        }
    }

    /// An observer that asks to halt ends the run at that point, after every observer saw it.
    #[test]
    fn an_observer_halts_the_run() {
        let q = random_quadratic(4, 8);
        let mut halting = Witness { halt_at: Some(7), ..Witness::default() };
        let mut trace = Trace::default();
        let mut chain = SIGN_GD.chain(&SIGN_GD.defaults(), StepSize::Const(0.01), &q.layout());
        let out = run(&q, &[1.0; 4], &mut chain, &cfg(100), &mut [&mut halting, &mut trace]);
        assert_eq!((out.status, out.stopped_at), (Status::Halted, 7));
        assert_eq!(out.x, halting.seen[7].1);
        assert_eq!((halting.seen.len(), trace.f.len(), trace.step.len()), (8, 8, 7));
    }
}
