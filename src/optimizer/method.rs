//! The named methods: one row of `METHODS` each, with its id, its reader's name, its own
//! hyperparameters and their defaults, and its update (a chain of links from `transform`).
//! Everything else about a method (the spec's choices, which controls the page shows, the
//! theory norm, the label) is read from its row.

use super::muon::Muon;
use super::transform::{Adam, Chain, Ema, Lion, Momentum, Scale, Sign, Steepest, Transform};
use crate::norm::{LayerNorm, Layout, Norm};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A hyperparameter a method may read: the spec field `methods[].{id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Hyper {
    /// Momentum or first-moment decay.
    Beta,
    /// Second decay (Adam's second moment, Lion's momentum).
    Beta2,
    /// Adam's epsilon.
    Eps,
    /// p of the l_p norm.
    P,
    /// Block size of the block-l2 norm.
    Block,
}

impl Hyper {
    pub const ALL: [Hyper; 5] = [Hyper::Beta, Hyper::Beta2, Hyper::Eps, Hyper::P, Hyper::Block];

    /// The spec field, e.g. "beta2".
    pub fn id(self) -> &'static str {
        match self {
            Hyper::Beta => "beta",
            Hyper::Beta2 => "beta2",
            Hyper::Eps => "eps",
            Hyper::P => "p",
            Hyper::Block => "block",
        }
    }

    pub fn from_id(id: &str) -> Option<Hyper> {
        Hyper::ALL.into_iter().find(|h| h.id() == id)
    }
}

/// Where a method reads its hyperparameters (a spec's values, or a row's defaults).
pub type Hypers<'a> = dyn Fn(Hyper) -> f64 + 'a;

/// How the step size is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRule {
    /// From the smoothness constant: ||g||_*/L along the steepest direction (1/L for GD), times lr.
    Theory,
    /// A constant step lr.
    Const,
}

/// The step size of a chain: a constant lr, or lr times the theory step of smoothness constant L.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepSize {
    Const(f64),
    Theory { lr: f64, smoothness: f64 },
}

/// What a method does with the gradient. Norms and links may read the layout of the parameter
/// vector (its weight matrices); the vector norms ignore it.
pub enum Update {
    /// Gradient descent: x <- x - lr g; theory: lr / L_2.
    Gradient,
    /// Steepest descent under a norm: the direction s(g) with ||s|| = 1, <g, s> = ||g||_*, times
    /// ||g||_* / L under the theory rule, then lr.
    Steepest(fn(&Hypers, &Layout) -> Norm),
    /// Links of its own, then lr; no theory step.
    Links(fn(&Hypers, &Layout) -> Vec<Box<dyn Transform>>),
}

/// One optimiser: a row of `METHODS`.
pub struct Method {
    /// The spec name (`methods[].kind`), e.g. "sign_gd".
    pub id: &'static str,
    /// A reader's name; `{p}` and `{block}` stand for those hyperparameters' values.
    name: &'static str,
    /// Its name on minibatches, when it has its own (GD is SGD there).
    pub stochastic_name: Option<&'static str>,
    /// The hyperparameters it reads, with its own defaults (in the ranges of the `methods[]` rows
    /// of the parameter table).
    pub hyper: &'static [(Hyper, f64)],
    pub update: Update,
}

/// Every method, in the order of the spec's choices.
pub const METHODS: &[Method] =
    &[GD, SIGN_GD, NORMALIZED_GD, COORDINATE, LP, BLOCK, HEAVY_BALL, NESTEROV, SIGNUM, ADAM, LION, SPECTRAL, MUON];

/// The methods' ids, in table order (the choices of `methods[].kind`).
pub const METHOD_IDS: [&str; METHODS.len()] = {
    let mut ids = [""; METHODS.len()];
    let mut i = 0;
    while i < METHODS.len() {
        ids[i] = METHODS[i].id;
        i += 1;
    }
    ids
};

/// Gradient descent: x <- x - lr g (theory: lr = 1/L_2 times the multiplier).
pub const GD: Method =
    Method { id: "gd", name: "GD", stochastic_name: Some("SGD"), hyper: &[], update: Update::Gradient };

/// Steepest descent under l_inf: direction sign(g); theory step ||g||_1 / L_inf.
pub const SIGN_GD: Method = Method {
    id: "sign_gd",
    name: "sign GD",
    stochastic_name: Some("signSGD"),
    hyper: &[],
    update: Update::Steepest(|_, _| Norm::LInf),
};

/// Steepest descent under l2: direction g / ||g||_2 (theory step ||g||_2 / L_2 is GD).
pub const NORMALIZED_GD: Method = Method {
    id: "normalized_gd",
    name: "normalised GD",
    stochastic_name: None,
    hyper: &[],
    update: Update::Steepest(|_, _| Norm::L2),
};

/// Steepest descent under l1: greedy (Gauss-Southwell) coordinate descent.
pub const COORDINATE: Method = Method {
    id: "coordinate",
    name: "greedy coordinate",
    stochastic_name: None,
    hyper: &[],
    update: Update::Steepest(|_, _| Norm::L1),
};

/// Steepest descent under l_p.
pub const LP: Method = Method {
    id: "lp",
    name: "l_{p} steepest",
    stochastic_name: None,
    hyper: &[(Hyper::P, 3.0)],
    update: Update::Steepest(|h, _| Norm::Lp { p: h(Hyper::P) }),
};

/// Steepest descent under the block-l2 norm: block-wise normalised gradient.
pub const BLOCK: Method = Method {
    id: "block",
    name: "block-normalised ({block})",
    stochastic_name: None,
    hyper: &[(Hyper::Block, 2.0)],
    update: Update::Steepest(|h, _| Norm::Block { size: h(Hyper::Block) as usize }),
};

/// Heavy-ball momentum: v <- beta v + g, x <- x - lr v.
pub const HEAVY_BALL: Method = Method {
    id: "heavy_ball",
    name: "heavy ball",
    stochastic_name: None,
    hyper: &[(Hyper::Beta, 0.9)],
    update: Update::Links(|h, _| vec![Box::new(Momentum::new(h(Hyper::Beta), false))]),
};

/// Nesterov momentum: v <- beta v + g, x <- x - lr (g + beta v).
pub const NESTEROV: Method = Method {
    id: "nesterov",
    name: "Nesterov",
    stochastic_name: None,
    hyper: &[(Hyper::Beta, 0.9)],
    update: Update::Links(|h, _| vec![Box::new(Momentum::new(h(Hyper::Beta), true))]),
};

/// Signum: m <- beta m + (1 - beta) g, x <- x - lr sign(m).
pub const SIGNUM: Method = Method {
    id: "signum",
    name: "signum",
    stochastic_name: None,
    hyper: &[(Hyper::Beta, 0.9)],
    update: Update::Links(|h, _| vec![Box::new(Ema::new(h(Hyper::Beta))), Box::new(Sign)]),
};

/// Adam (Kingma & Ba 2015) with its paper's defaults.
pub const ADAM: Method = Method {
    id: "adam",
    name: "Adam",
    stochastic_name: None,
    hyper: &[(Hyper::Beta, 0.9), (Hyper::Beta2, 0.999), (Hyper::Eps, 1e-8)],
    update: Update::Links(|h, _| vec![Box::new(Adam::new(h(Hyper::Beta), h(Hyper::Beta2), h(Hyper::Eps)))]),
};

/// Lion (Chen et al. 2023) with the paper's defaults (beta2 0.99, as in optax).
pub const LION: Method = Method {
    id: "lion",
    name: "Lion",
    stochastic_name: None,
    hyper: &[(Hyper::Beta, 0.9), (Hyper::Beta2, 0.99)],
    update: Update::Links(|h, _| vec![Box::new(Lion::new(h(Hyper::Beta), h(Hyper::Beta2)))]),
};

/// Steepest descent under the per-layer spectral norm (docs/theory.md §6): each weight matrix
/// moves along the exact polar factor U V^T of its gradient (an SVD), each bias along g / ||g||_2;
/// theory step ||g||_* / L with the dual sum of nuclear norms (and bias l2 norms).
pub const SPECTRAL: Method = Method {
    id: "spectral",
    name: "spectral",
    stochastic_name: None,
    hyper: &[],
    update: Update::Steepest(|_, layout| Norm::Modular { layout: layout.clone(), layer: LayerNorm::Spectral }),
};

/// Muon as optax.contrib.muon (see `optimizer::muon` for its conventions and differences):
/// Nesterov momentum beta 0.95 and five quintic Newton–Schulz steps on the weight matrices, Adam
/// (beta2, eps) on the rest.
pub const MUON: Method = Method {
    id: "muon",
    name: "Muon",
    stochastic_name: None,
    hyper: &[(Hyper::Beta, 0.95), (Hyper::Beta2, 0.999), (Hyper::Eps, 1e-8)],
    update: Update::Links(|h, layout| {
        vec![Box::new(Muon::new(layout.clone(), h(Hyper::Beta), h(Hyper::Beta2), h(Hyper::Eps)))]
    }),
};

impl Method {
    /// The row with this id.
    pub fn by_id(id: &str) -> Option<&'static Method> {
        METHODS.iter().find(|m| m.id == id)
    }

    /// Its default for `h`; None when it does not read `h`.
    pub fn default_of(&self, h: Hyper) -> Option<f64> {
        self.hyper.iter().find(|(k, _)| *k == h).map(|(_, v)| *v)
    }

    /// Reads its own defaults (NaN for a hyperparameter it does not declare, which it never
    /// reads: tested for every row).
    pub fn defaults(&self) -> impl Fn(Hyper) -> f64 + '_ {
        |h| self.default_of(h).unwrap_or(f64::NAN)
    }

    /// A reader's name, e.g. "sign GD" or "l_3 steepest".
    pub fn display_name(&self, h: &Hypers) -> String {
        self.hyper
            .iter()
            .fold(self.name.to_string(), |name, (k, _)| name.replace(&format!("{{{}}}", k.id()), &h(*k).to_string()))
    }

    /// The norm whose smoothness constant the theory step needs, on parameters of `layout`; None
    /// when there is no theory step.
    pub fn theory_norm(&self, h: &Hypers, layout: &Layout) -> Option<Norm> {
        match &self.update {
            Update::Gradient => Some(Norm::L2),
            Update::Steepest(norm) => Some(norm(h, layout)),
            Update::Links(_) => None,
        }
    }

    /// Whether it has a theory step (a norm whose smoothness constant sets the step).
    pub fn has_theory_step(&self) -> bool {
        !matches!(self.update, Update::Links(_))
    }

    /// The chain of this method with hyperparameters `h` and step `step`, on parameters of
    /// `layout`.
    pub fn chain(&self, h: &Hypers, step: StepSize, layout: &Layout) -> Chain {
        let (lr, theory_l) = match step {
            StepSize::Const(lr) => (lr, None),
            StepSize::Theory { lr, smoothness } => (lr, Some(smoothness)),
        };
        let mut links: Vec<Box<dyn Transform>> = match &self.update {
            Update::Gradient => return Chain(vec![Box::new(Scale(theory_l.map_or(lr, |l| lr / l)))]),
            Update::Steepest(norm) => vec![Box::new(Steepest::new(norm(h, layout), theory_l))],
            Update::Links(links) => links(h, layout),
        };
        links.push(Box::new(Scale(lr)));
        Chain(links)
    }
}

/// Methods are the same when their ids are.
impl PartialEq for Method {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl fmt::Debug for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// A method in a spec: written as its id.
pub type MethodKind = &'static Method;

/// Serde for `MethodKind` (`#[serde(with = "method_id")]`): the id, and back through `METHODS`.
pub mod method_id {
    use super::{Method, MethodKind, METHOD_IDS};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(m: &MethodKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(m.id)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<MethodKind, D::Error> {
        let id = String::deserialize(d)?;
        Method::by_id(&id).ok_or_else(|| D::Error::unknown_variant(&id, &METHOD_IDS))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::norm::Block;
    use std::cell::RefCell;

    fn first_steps(m: &Method, h: &Hypers, lr: f64, grads: &[[f64; 2]]) -> Vec<Vec<f64>> {
        let mut chain = m.chain(h, StepSize::Const(lr), &Layout::vector(2));
        grads
            .iter()
            .enumerate()
            .map(|(t, g)| {
                let mut u = g.to_vec();
                chain.update(&mut u, t + 1);
                u
            })
            .collect()
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-12 * y.abs().max(1.0))
    }

    /// Every method reads exactly the hyperparameters it declares, whatever the step rule, so
    /// the controls derived from its row are the ones that matter; its defaults lie in the
    /// table's ranges.
    #[test]
    fn every_method_reads_exactly_what_it_declares() {
        for m in METHODS {
            let read = RefCell::new(Vec::new());
            let recorder = |h: Hyper| {
                read.borrow_mut().push(h);
                m.default_of(h).unwrap_or(1.0)
            };
            // A matrix and a vector: methods that treat them apart read everything.
            let layout = Layout(vec![Block::Matrix { rows: 1, cols: 2 }, Block::Vector { len: 1 }]);
            for step in [StepSize::Const(0.1), StepSize::Theory { lr: 1.0, smoothness: 2.0 }] {
                m.chain(&recorder, step, &layout).update(&mut [1.0, -2.0, 0.5], 1);
            }
            m.theory_norm(&recorder, &layout);
            m.display_name(&recorder);
            let mut read = read.into_inner();
            read.sort();
            read.dedup();
            let mut declared: Vec<Hyper> = m.hyper.iter().map(|(h, _)| *h).collect();
            declared.sort();
            assert_eq!(read, declared, "{}", m.id);
            for (h, v) in m.hyper {
                let field = format!("methods[0].{}", h.id());
                crate::spec::check_number(&field, &format!("methods[].{}", h.id()), *v)
                    .unwrap_or_else(|e| panic!("{}: {e}", m.id));
            }
        }
        let mut ids = METHOD_IDS.to_vec();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), METHODS.len(), "ids are unique");
    }

    #[test]
    fn names_fill_in_their_hyperparameters() {
        assert_eq!(LP.display_name(&LP.defaults()), "l_3 steepest");
        assert_eq!(BLOCK.display_name(&|_| 4.0), "block-normalised (4)");
        assert_eq!(SIGN_GD.display_name(&SIGN_GD.defaults()), "sign GD");
    }

    #[test]
    fn adam_first_steps_by_hand() {
        // With beta2 = 0.99:
        // Step 1: m = 0.1 g, v = 0.01 g^2; m_hat = g, v_hat = g^2, so u = lr g / (|g| + eps).
        // Step 2 with g2: m = 0.09 g1 + 0.1 g2, v = 0.0099 g1^2 + 0.01 g2^2,
        // m_hat = m / 0.19, v_hat = v / 0.0199.
        let (g1, g2) = ([2.0, -0.5], [1.0, 0.25]);
        let h = |h: Hyper| if h == Hyper::Beta2 { 0.99 } else { ADAM.defaults()(h) };
        let u = first_steps(&ADAM, &h, 0.1, &[g1, g2]);
        let want1: Vec<f64> = g1.iter().map(|g| 0.1 * g / (g.abs() + 1e-8)).collect();
        let want2: Vec<f64> = (0..2)
            .map(|i| {
                let m = (0.09 * g1[i] + 0.1 * g2[i]) / 0.19;
                let v = (0.0099 * g1[i] * g1[i] + 0.01 * g2[i] * g2[i]) / (1.0 - 0.99f64 * 0.99);
                0.1 * m / (v.sqrt() + 1e-8)
            })
            .collect();
        assert!(close(&u[0], &want1), "{:?} vs {want1:?}", u[0]);
        assert!(close(&u[1], &want2), "{:?} vs {want2:?}", u[1]);
    }

    #[test]
    fn signum_first_steps_by_hand() {
        // m1 = 0.1 g1 = (0.2, -0.05); m2 = 0.9 m1 + 0.1 g2 = (0.18 - 0.1, -0.045 + 0.1).
        let u = first_steps(&SIGNUM, &SIGNUM.defaults(), 0.5, &[[2.0, -0.5], [-1.0, 1.0]]);
        assert_eq!(u[0], vec![0.5, -0.5]);
        assert_eq!(u[1], vec![0.5, 0.5]);
    }

    #[test]
    fn lion_first_steps_by_hand() {
        // Defaults beta1 0.9, beta2 0.99.
        // Step 1: c = 0.1 g1 -> sign(g1); m = 0.01 g1 = (0.02, -0.005).
        // Step 2: c = 0.9 m + 0.1 g2 = (0.018 - 0.03, -0.0045 + 0.0001) -> (-, -).
        let u = first_steps(&LION, &LION.defaults(), 0.01, &[[2.0, -0.5], [-0.3, 0.001]]);
        assert_eq!(u[0], vec![0.01, -0.01]);
        assert_eq!(u[1], vec![-0.01, -0.01]);
    }

    #[test]
    fn momentum_first_steps_by_hand() {
        // Heavy ball: v1 = g1, v2 = 0.9 g1 + g2. Nesterov: u = g + 0.9 v.
        let g1 = [1.0, 2.0];
        let g2 = [0.5, -1.0];
        let hb = first_steps(&HEAVY_BALL, &HEAVY_BALL.defaults(), 0.1, &[g1, g2]);
        assert!(close(&hb[1], &[0.1 * (0.9 + 0.5), 0.1 * (1.8 - 1.0)]));
        let nest = first_steps(&NESTEROV, &NESTEROV.defaults(), 0.1, &[g1, g2]);
        assert!(close(&nest[0], &[0.1 * 1.9, 0.1 * 3.8]));
        let v2 = [0.9 + 0.5, 1.8 - 1.0];
        assert!(close(&nest[1], &[0.1 * (0.5 + 0.9 * v2[0]), 0.1 * (-1.0 + 0.9 * v2[1])]));
    }

    #[test]
    fn theory_step_is_dual_norm_over_l() {
        let theory = StepSize::Theory { lr: 1.0, smoothness: 4.0 };
        let mut chain = SIGN_GD.chain(&SIGN_GD.defaults(), theory, &Layout::vector(2));
        let mut u = vec![3.0, -1.0];
        let step = chain.update(&mut u, 1);
        assert_eq!(step, 1.0); // ||g||_1 / L = 4 / 4
        assert_eq!(u, vec![1.0, -1.0]);
        let mut gd = GD.chain(&GD.defaults(), theory, &Layout::vector(2));
        let mut u = vec![3.0, -1.0];
        assert_eq!(gd.update(&mut u, 1), 0.25);
        assert_eq!(u, vec![0.75, -0.25]);
    }
}
