//! The run loop: x_{t+1} = x_t - chain(g_t), showing each point to its observers (the per-step
//! trace is one). A full-batch run evaluates f and its gradient at every point (the update needs
//! them). A minibatch run updates with the minibatch gradient, whose pass also gives the
//! minibatch loss for free, and evaluates the full objective only at its evaluation points
//! (`RunConfig::every`) and where it stops: a full pass costs rows / batch steps.

use super::observe::{Every, Full, Observer, Point};
use super::transform::Chain;
use crate::norm::l2;
use crate::objective::Objective;
use serde::Serialize;

/// A run counts as diverged when f(x_t) - f* exceeds this factor times f(x_0) - f* (or, when f* is
/// unknown, when |f(x_t) - f(x_0)| exceeds it times 1 + |f(x_0)|), or when anything is NaN or inf.
/// On a minibatch run the full f is tested at the evaluation points, the minibatch loss and
/// gradient (NaN or inf) at every step.
pub const DIVERGENCE_FACTOR: f64 = 1e10;

#[derive(Clone, Copy, Debug)]
pub struct RunConfig {
    pub steps: usize,
    /// Stop when (f - f*) <= target (f(x_0) - f*); None runs all steps (and is forced when f* is
    /// unknown).
    pub target: Option<f64>,
    /// Minibatch size for objectives with data rows (0: full batch). The updates then use the
    /// minibatch gradient, and the full objective is evaluated only at the evaluation points.
    pub batch: usize,
    /// Seeds the minibatch order.
    pub batch_seed: u64,
    /// The schedule of sampled read-outs (`Point::sampled`) and of a minibatch run's full
    /// evaluations, which add a minibatch run's last point.
    pub every: Every,
}

impl RunConfig {
    /// Full batch, sampled read-outs at every step.
    pub fn new(steps: usize, target: Option<f64>) -> Self {
        RunConfig { steps, target, batch: 0, batch_seed: 0, every: Every::STEP }
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

/// Runs `chain` on `obj` from `x0`, showing every point to each of `observers` in order (tuning
/// runs pass none).
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
    // The minibatch gradient, which a minibatch run's update consumes.
    let mut g_batch = if batches.is_some() { vec![0.0; d] } else { Vec::new() };
    let mut f0 = f64::NAN;
    let mut step = None;
    for t in 0..=cfg.steps {
        let batch_f = match batches.as_mut() {
            Some(b) if t < cfg.steps => {
                let rows = b.take().to_vec();
                Some(obj.batch_value_and_gradient(&x, &rows, &mut g_batch))
            }
            _ => None,
        };
        let batch_bad = batch_f.map(|fb| (fb, l2(&g_batch))).filter(|(fb, gl2)| !fb.is_finite() || !gl2.is_finite());
        let evaluate = batches.is_none() || cfg.every.has(t) || t == cfg.steps || batch_bad.is_some();
        let (f, fit) = match evaluate {
            true => {
                let (f, fit) = obj.value_gradient_and_fit(&x, &mut g);
                (Some(f - f_star.unwrap_or(0.0)), fit)
            }
            false => (None, None),
        };
        if t == 0 {
            f0 = f.unwrap_or(f64::NAN);
        }
        let stop = match f {
            Some(f) => full_stop(f, f0, l2(&g), t, cfg.steps, f_star.is_some(), target),
            None => None,
        }
        .or_else(|| {
            batch_bad.map(|(fb, gl2)| {
                let what = if fb.is_nan() || gl2.is_nan() { "NaN" } else { "infinite" };
                (Status::Diverged, format!("diverged at step {t}: the minibatch loss or its gradient is {what}"))
            })
        });
        let point = Point {
            t,
            x: &x,
            full: f.map(|f| Full { f, g: &g, fit }),
            batch_f,
            sampled: cfg.every.has(t) || (batches.is_some() && stop.is_some()),
            step,
            stop: stop.as_ref().map(|(s, _)| *s),
            objective: obj,
        };
        // Every observer sees the point, even after one of them asks to halt.
        let mut halted = false;
        for o in observers.iter_mut() {
            halted |= o.observe(&point).is_break();
        }
        let stop = if halted { Some((Status::Halted, format!("halted by an observer at step {t}"))) } else { stop };
        if let Some((status, message)) = stop {
            // Only a halt comes between evaluation points.
            let final_f = f.unwrap_or_else(|| obj.value(&x) - f_star.unwrap_or(0.0));
            return Outcome { status, stopped_at: t, final_f, message, x };
        }
        let u = if batches.is_some() { &mut g_batch } else { &mut g };
        step = Some(chain.update(u, t + 1));
        for (xi, ui) in x.iter_mut().zip(u.iter()) {
            *xi -= ui;
        }
    }
    unreachable!("the loop returns at t = steps")
}

/// Why a run stops at x_t, from the full objective there: f = f(x_t) - f* (or f(x_t)), f0 its
/// value at x_0, gl2 = ||grad f(x_t)||_2; None to go on.
fn full_stop(
    f: f64,
    f0: f64,
    gl2: f64,
    t: usize,
    steps: usize,
    f_star_known: bool,
    target: Option<f64>,
) -> Option<(Status, String)> {
    let blown_up = match f_star_known {
        true => f > DIVERGENCE_FACTOR * f0.max(f64::MIN_POSITIVE),
        false => (f - f0).abs() > DIVERGENCE_FACTOR * (1.0 + f0.abs()),
    };
    if !f.is_finite() || !gl2.is_finite() {
        Some((
            Status::Diverged,
            format!(
                "diverged at step {t}: f or its gradient is {}",
                if f.is_nan() || gl2.is_nan() { "NaN" } else { "infinite" }
            ),
        ))
    } else if t > 0 && blown_up {
        Some((Status::Diverged, format!("diverged at step {t}: f - f* = {f:.3e} grew past 1e10 times its start value")))
    } else if target.is_some_and(|tg| f <= tg * f0) {
        Some((Status::Target, format!("reached the target at step {t}")))
    } else if t == steps {
        Some((Status::MaxSteps, format!("ran all {t} steps")))
    } else if gl2 == 0.0 {
        Some((Status::Stationary, format!("zero gradient at step {t}")))
    } else {
        None
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::norm::l1;
    use crate::objective::{HaarRotation, Quadratic};
    use crate::optimizer::method::{Method, ADAM, GD, SIGN_GD};
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
            let full = p.full.expect("a full-batch run evaluates every point");
            self.seen.push((p.t, p.x.to_vec(), full.f, full.g.to_vec(), p.step, p.stop));
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

    /// f(x) = (1/n) sum_i (a_i . x - b_i)^2 / 2 over n seeded rows: an objective to draw
    /// minibatches from.
    struct LeastSquares {
        a: Vec<Vec<f64>>,
        b: Vec<f64>,
    }

    impl LeastSquares {
        fn new(n: usize, d: usize, seed: u64) -> Self {
            let mut r = Rng::new(seed);
            LeastSquares { a: (0..n).map(|_| r.normals(d)).collect(), b: r.normals(n) }
        }

        fn residual(&self, i: usize, x: &[f64]) -> f64 {
            self.a[i].iter().zip(x).map(|(a, x)| a * x).sum::<f64>() - self.b[i]
        }

        /// The mean loss over `rows` and its gradient.
        fn mean(&self, x: &[f64], rows: &[usize], g: &mut [f64]) -> f64 {
            let inv = 1.0 / rows.len() as f64;
            g.fill(0.0);
            let mut f = 0.0;
            for &i in rows {
                let r = self.residual(i, x);
                f += 0.5 * r * r;
                g.iter_mut().zip(&self.a[i]).for_each(|(g, a)| *g += inv * r * a);
            }
            f * inv
        }
    }

    impl Objective for LeastSquares {
        fn dim(&self) -> usize {
            self.a[0].len()
        }
        fn value(&self, x: &[f64]) -> f64 {
            self.mean(x, &(0..self.b.len()).collect::<Vec<_>>(), &mut vec![0.0; x.len()])
        }
        fn value_and_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
            self.mean(x, &(0..self.b.len()).collect::<Vec<_>>(), g)
        }
        fn hessian_vector(&self, _: &[f64], _: &[f64], _: &mut [f64]) {
            unreachable!("runs take no Hessian-vector products")
        }
        fn rows(&self) -> usize {
            self.b.len()
        }
        fn batch_value_and_gradient(&self, x: &[f64], rows: &[usize], g: &mut [f64]) -> f64 {
            self.mean(x, rows, g)
        }
        fn minimum(&self) -> Option<f64> {
            None
        }
    }

    /// What a point shows: t, x, the full (f, g) where evaluated, the minibatch loss, sampled,
    /// stop.
    type Shown = (usize, Vec<f64>, Option<(f64, Vec<f64>)>, Option<f64>, bool, Option<Status>);

    #[derive(Default)]
    struct Recorder(Vec<Shown>);

    impl Observer for Recorder {
        fn observe(&mut self, p: &Point) -> std::ops::ControlFlow<()> {
            let full = p.full.map(|f| (f.f, f.g.to_vec()));
            self.0.push((p.t, p.x.to_vec(), full, p.batch_f, p.sampled, p.stop));
            std::ops::ControlFlow::Continue(())
        }
    }

    /// The run before evaluation points: the full objective at every step, the update from the
    /// minibatch gradient; its iterates, and f at each.
    fn full_every_step(obj: &dyn Objective, x0: &[f64], c: &RunConfig, chain: &mut Chain) -> (Vec<Vec<f64>>, Vec<f64>) {
        let mut batches = Batches::new(obj.rows(), c.batch, c.batch_seed);
        let (mut x, mut g) = (x0.to_vec(), vec![0.0; x0.len()]);
        let (mut xs, mut fs) = (Vec::new(), Vec::new());
        for t in 0..=c.steps {
            fs.push(obj.value_and_gradient(&x, &mut g));
            xs.push(x.clone());
            if t < c.steps {
                obj.batch_value_and_gradient(&x, b_rows(&mut batches), &mut g);
                chain.update(&mut g, t + 1);
                x.iter_mut().zip(&g).for_each(|(x, u)| *x -= u);
            }
        }
        (xs, fs)
    }

    fn b_rows(b: &mut Batches) -> &[usize] {
        b.take()
    }

    /// A minibatch run: at every step the loss of exactly the rows its update used (replayed from
    /// the seed, summed here by brute force), the full objective at t = 0, every, 2 every, ... and
    /// the last step and nowhere else, sampled there; and the iterates, bit for bit, and f at the
    /// evaluation points those of the run that evaluated the full objective at every step.
    #[test]
    fn a_minibatch_run_records_each_batch_loss_and_the_full_objective_on_its_schedule() {
        let obj = LeastSquares::new(50, 4, 11);
        let x0 = Rng::new(12).normals(4);
        let c = RunConfig { batch: 8, batch_seed: 5, every: Every::nth(7), ..cfg(45) };
        let chain = || ADAM.chain(&ADAM.defaults(), StepSize::Const(0.05), &obj.layout());
        let mut seen = Recorder::default();
        let out = run(&obj, &x0, &mut chain(), &c, &mut [&mut seen]);
        assert_eq!((out.status, out.stopped_at), (Status::MaxSteps, 45));
        let (xs, fs) = full_every_step(&obj, &x0, &c, &mut chain());
        assert_eq!(out.x, xs[45]);
        let mut replay = Batches::new(50, 8, 5);
        let mut g = vec![0.0; 4];
        for (t, x, full, batch_f, sampled, _) in &seen.0 {
            assert_eq!(x, &xs[*t], "t = {t}");
            let on_schedule = t % 7 == 0 || *t == 45;
            assert_eq!((full.is_some(), *sampled), (on_schedule, on_schedule), "t = {t}");
            if let Some((f, gt)) = full {
                assert_eq!(*f, fs[*t]);
                assert_eq!(*f, obj.value_and_gradient(x, &mut g));
                assert_eq!(gt, &g);
            }
            if *t == 45 {
                assert_eq!(*batch_f, None);
                continue;
            }
            let rows = replay.take();
            let brute = rows.iter().map(|&i| 0.5 * obj.residual(i, x).powi(2)).sum::<f64>() / rows.len() as f64;
            let fb = batch_f.expect("every update's minibatch loss");
            assert!((fb - brute).abs() <= 1e-14 * brute, "t = {t}: {fb} vs {brute}");
        }
        assert_eq!(seen.0.len(), 46);
        let mut trace = Trace::default();
        run(&obj, &x0, &mut chain(), &c, &mut [&mut trace]);
        let schedule: Vec<usize> = (0..=45).filter(|t| t % 7 == 0 || *t == 45).collect();
        assert_eq!(trace.t, schedule);
        assert_eq!(trace.f, schedule.iter().map(|t| fs[*t]).collect::<Vec<_>>());
        assert_eq!((trace.batch_loss.len(), trace.step.len()), (45, 45));
        let json = serde_json::to_value(&trace).unwrap();
        assert_eq!(json["t"].as_array().unwrap().len(), schedule.len());
    }

    /// A minibatch loss or gradient that turns infinite ends the run at that step, which is then
    /// evaluated in full, though the schedule would evaluate only x_0 and the last point.
    #[test]
    fn a_minibatch_divergence_is_caught_at_its_step() {
        let obj = LeastSquares::new(40, 3, 2);
        let c = RunConfig { batch: 4, batch_seed: 1, every: Every::nth(10_000), ..cfg(10_000) };
        let mut chain = GD.chain(&GD.defaults(), StepSize::Const(40.0), &obj.layout());
        let mut trace = Trace::default();
        let out = run(&obj, &[1.0; 3], &mut chain, &c, &mut [&mut trace]);
        let k = out.stopped_at;
        assert_eq!(out.status, Status::Diverged);
        assert!(k > 1 && k < 10_000);
        assert!(out.message.starts_with(&format!("diverged at step {k}: ")), "{}", out.message);
        assert_eq!(trace.t, vec![0, k]);
        assert!(trace.batch_loss[..k].iter().all(|f| f.is_finite()));
        assert_eq!(trace.batch_loss.len(), k + 1);
        assert_eq!(out.final_f, trace.f[1]);
    }

    /// A full-batch run evaluates every point: its trace has t = 0, 1, ..., f and the gradient
    /// norms of each iterate computed afresh, no minibatch loss, and its JSON no t.
    #[test]
    fn a_full_batch_trace_has_every_step() {
        let q = random_quadratic(5, 21);
        let mut trace = Trace::with_iterates();
        let mut chain = GD.chain(&GD.defaults(), StepSize::Const(0.05), &q.layout());
        run(&q, &[1.0; 5], &mut chain, &RunConfig { every: Every::nth(4), ..cfg(30) }, &mut [&mut trace]);
        assert_eq!(trace.t, (0..=30).collect::<Vec<_>>());
        let mut g = vec![0.0; 5];
        for (t, x) in trace.x.as_ref().unwrap().iter().enumerate() {
            assert_eq!(trace.f[t], q.value_and_gradient(x, &mut g) - q.minimum().unwrap());
            assert_eq!((trace.grad_l2[t], trace.grad_l1[t]), (l2(&g), l1(&g)));
        }
        assert!(trace.batch_loss.is_empty());
        let json = serde_json::to_value(&trace).unwrap();
        assert!(json.get("t").is_none() && json.get("batch_loss").is_none());
    }
}
