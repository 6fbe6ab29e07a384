//! Update rules as small composable links, after optax: each link maps the incoming direction
//! (at first the gradient) to a new one and keeps its own state. A method is a chain of links, and
//! the parameter update is x <- x - (chain output). Sign GD, signum, Adam and Lion differ by one link.
//!
//! Each link returns the scalar it multiplied by (1 for links that do not scale); their product is
//! the "step used" that the run loop records.

use crate::norm::{sign, Norm};

pub trait Transform {
    /// Transforms `u` in place at step t (t = 1 for the first update); returns the scale applied.
    fn update(&mut self, u: &mut [f64], t: usize) -> f64;
}

/// A chain of links applied in order.
pub struct Chain(pub Vec<Box<dyn Transform>>);

impl Chain {
    pub fn update(&mut self, u: &mut [f64], t: usize) -> f64 {
        self.0.iter_mut().map(|link| link.update(u, t)).product()
    }

    /// The chain followed by the schedule `kind` over `horizon` steps (nothing for constant).
    pub fn with_schedule(mut self, kind: ScheduleKind, horizon: usize) -> Chain {
        match kind {
            ScheduleKind::Constant => {}
            ScheduleKind::Cosine | ScheduleKind::Step => self.0.push(Box::new(Schedule { kind, horizon })),
        }
        self
    }
}

/// A step-size schedule over a horizon of T steps, as a factor s(t) for step t = 1, 2, ...
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    /// s(t) = 1.
    Constant,
    /// s(t) = (1 + cos(pi (t - 1) / T)) / 2: from 1 down to 0 at the horizon.
    Cosine,
    /// s(t) = 0.1^floor(3 (t - 1) / T): tenfold drops at a third and two thirds of the horizon.
    Step,
}

impl ScheduleKind {
    /// The spec name, e.g. "cosine".
    pub fn id(&self) -> &'static str {
        match self {
            ScheduleKind::Constant => "constant",
            ScheduleKind::Cosine => "cosine",
            ScheduleKind::Step => "step",
        }
    }
}

/// u <- s(t) u, the schedule's factor at step t.
pub struct Schedule {
    pub kind: ScheduleKind,
    pub horizon: usize,
}

impl Transform for Schedule {
    fn update(&mut self, u: &mut [f64], t: usize) -> f64 {
        let frac = (t.saturating_sub(1)) as f64 / self.horizon.max(1) as f64;
        let s = match self.kind {
            ScheduleKind::Constant => 1.0,
            ScheduleKind::Cosine => 0.5 * (1.0 + libm::cos(std::f64::consts::PI * frac.min(1.0))),
            ScheduleKind::Step => libm::pow(0.1, (3.0 * frac).floor().min(2.0)),
        };
        u.iter_mut().for_each(|v| *v *= s);
        s
    }
}

/// u <- lr u.
pub struct Scale(pub f64);

impl Transform for Scale {
    fn update(&mut self, u: &mut [f64], _t: usize) -> f64 {
        u.iter_mut().for_each(|v| *v *= self.0);
        self.0
    }
}

/// u <- s(u), the steepest direction of `norm` (||s|| = 1, <u, s> = ||u||_*), times ||u||_*/L
/// when `smoothness` is Some(L): the step that minimises the L-smooth upper bound
/// f(x) - <g, eta s> + (L/2) eta^2, giving a decrease of at least ||g||_*^2 / (2L).
pub struct Steepest {
    pub norm: Norm,
    pub smoothness: Option<f64>,
    scratch: Vec<f64>,
}

impl Steepest {
    pub fn new(norm: Norm, smoothness: Option<f64>) -> Self {
        Steepest { norm, smoothness, scratch: vec![] }
    }
}

impl Transform for Steepest {
    fn update(&mut self, u: &mut [f64], _t: usize) -> f64 {
        let scale = self.smoothness.map_or(1.0, |l| self.norm.dual(u) / l);
        self.scratch.resize(u.len(), 0.0);
        self.norm.direction_into(u, &mut self.scratch);
        for (v, s) in u.iter_mut().zip(&self.scratch) {
            *v = scale * s;
        }
        scale
    }
}

/// Momentum accumulator: v <- beta v + u; u <- v (heavy ball) or u + beta v (Nesterov),
/// as optax.trace and PyTorch SGD (named for what it is, beside the run's trace recorder).
pub struct Momentum {
    beta: f64,
    nesterov: bool,
    v: Vec<f64>,
}

impl Momentum {
    pub fn new(beta: f64, nesterov: bool) -> Self {
        Momentum { beta, nesterov, v: vec![] }
    }
}

impl Transform for Momentum {
    fn update(&mut self, u: &mut [f64], _t: usize) -> f64 {
        self.v.resize(u.len(), 0.0);
        for (ui, vi) in u.iter_mut().zip(self.v.iter_mut()) {
            *vi = self.beta * *vi + *ui;
            *ui = if self.nesterov { *ui + self.beta * *vi } else { *vi };
        }
        1.0
    }
}

/// Exponential moving average: m <- beta m + (1 - beta) u; u <- m (no bias correction: its sign,
/// which is all signum uses, does not depend on it).
pub struct Ema {
    beta: f64,
    m: Vec<f64>,
}

impl Ema {
    pub fn new(beta: f64) -> Self {
        Ema { beta, m: vec![] }
    }
}

impl Transform for Ema {
    fn update(&mut self, u: &mut [f64], _t: usize) -> f64 {
        self.m.resize(u.len(), 0.0);
        for (ui, mi) in u.iter_mut().zip(self.m.iter_mut()) {
            *mi = self.beta * *mi + (1.0 - self.beta) * *ui;
            *ui = *mi;
        }
        1.0
    }
}

/// u <- sign(u), sign(0) = 0.
pub struct Sign;

impl Transform for Sign {
    fn update(&mut self, u: &mut [f64], _t: usize) -> f64 {
        u.iter_mut().for_each(|v| *v = sign(*v));
        1.0
    }
}

/// Adam's direction (Kingma & Ba 2015): m <- b1 m + (1-b1) g, v <- b2 v + (1-b2) g^2,
/// u <- m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t).
pub struct Adam {
    b1: f64,
    b2: f64,
    eps: f64,
    m: Vec<f64>,
    v: Vec<f64>,
}

impl Adam {
    pub fn new(b1: f64, b2: f64, eps: f64) -> Self {
        Adam { b1, b2, eps, m: vec![], v: vec![] }
    }
}

impl Transform for Adam {
    fn update(&mut self, u: &mut [f64], t: usize) -> f64 {
        self.m.resize(u.len(), 0.0);
        self.v.resize(u.len(), 0.0);
        let c1 = 1.0 - libm::pow(self.b1, t as f64);
        let c2 = 1.0 - libm::pow(self.b2, t as f64);
        for ((ui, mi), vi) in u.iter_mut().zip(self.m.iter_mut()).zip(self.v.iter_mut()) {
            *mi = self.b1 * *mi + (1.0 - self.b1) * *ui;
            *vi = self.b2 * *vi + (1.0 - self.b2) * *ui * *ui;
            *ui = (*mi / c1) / (f64::sqrt(*vi / c2) + self.eps);
        }
        1.0
    }
}

/// Lion's direction (Chen et al. 2023): u <- sign(b1 m + (1-b1) g), then m <- b2 m + (1-b2) g.
pub struct Lion {
    b1: f64,
    b2: f64,
    m: Vec<f64>,
}

impl Lion {
    pub fn new(b1: f64, b2: f64) -> Self {
        Lion { b1, b2, m: vec![] }
    }
}

impl Transform for Lion {
    fn update(&mut self, u: &mut [f64], _t: usize) -> f64 {
        self.m.resize(u.len(), 0.0);
        for (ui, mi) in u.iter_mut().zip(self.m.iter_mut()) {
            let g = *ui;
            *ui = sign(self.b1 * *mi + (1.0 - self.b1) * g);
            *mi = self.b2 * *mi + (1.0 - self.b2) * g;
        }
        1.0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn factors(kind: ScheduleKind, horizon: usize) -> Vec<f64> {
        let mut s = Schedule { kind, horizon };
        (1..=horizon).map(|t| s.update(&mut [1.0], t)).collect()
    }

    #[test]
    fn schedules_by_hand() {
        assert!(factors(ScheduleKind::Constant, 5).iter().all(|f| *f == 1.0));
        // Cosine over 4 steps: t = 1..4 at fractions 0, 1/4, 1/2, 3/4.
        let c = factors(ScheduleKind::Cosine, 4);
        let want = [
            1.0,
            0.5 * (1.0 + (std::f64::consts::FRAC_PI_4).cos()),
            0.5,
            0.5 * (1.0 - (std::f64::consts::FRAC_PI_4).cos()),
        ];
        for (a, b) in c.iter().zip(want) {
            assert!((a - b).abs() < 1e-15, "{a} vs {b}");
        }
        // Step over 9 steps: 1 for t = 1..3, 0.1 for 4..6, 0.01 for 7..9.
        let s = factors(ScheduleKind::Step, 9);
        assert_eq!(&s[..3], &[1.0; 3]);
        assert!(s[3..6].iter().all(|f| (f - 0.1).abs() < 1e-15));
        assert!(s[6..].iter().all(|f| (f - 0.01).abs() < 1e-15));
    }
}
