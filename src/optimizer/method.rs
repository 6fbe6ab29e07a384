//! The named methods, each a chain of links from `transform`.

use super::transform::{Adam, Chain, Ema, Lion, Scale, Sign, Steepest, Trace, Transform};
use crate::norm::Norm;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    /// Gradient descent: x <- x - lr g (theory: lr = 1/L_2 times the multiplier).
    Gd,
    /// Steepest descent under l_inf: direction sign(g); theory step ||g||_1 / L_inf.
    SignGd,
    /// Steepest descent under l2: direction g / ||g||_2 (theory step ||g||_2 / L_2 is GD).
    NormalizedGd,
    /// Steepest descent under l1: greedy (Gauss-Southwell) coordinate descent.
    Coordinate,
    /// Steepest descent under l_p.
    Lp,
    /// Steepest descent under the block-l2 norm: block-wise normalised gradient.
    Block,
    /// Heavy-ball momentum: v <- beta v + g, x <- x - lr v.
    HeavyBall,
    /// Nesterov momentum: v <- beta v + g, x <- x - lr (g + beta v).
    Nesterov,
    /// Signum: m <- beta m + (1 - beta) g, x <- x - lr sign(m).
    Signum,
    Adam,
    Lion,
}

/// How the step size is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRule {
    /// From the smoothness constant: ||g||_*/L along the steepest direction (1/L for GD), times lr.
    Theory,
    /// A constant step lr.
    Const,
}

/// The hyperparameters a method may read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyper {
    pub beta: f64,
    pub beta2: f64,
    pub eps: f64,
    pub p: f64,
    pub block: usize,
}

impl MethodKind {
    pub const ALL: [MethodKind; 11] = [
        MethodKind::Gd,
        MethodKind::SignGd,
        MethodKind::NormalizedGd,
        MethodKind::Coordinate,
        MethodKind::Lp,
        MethodKind::Block,
        MethodKind::HeavyBall,
        MethodKind::Nesterov,
        MethodKind::Signum,
        MethodKind::Adam,
        MethodKind::Lion,
    ];

    /// The spec name (serde's), e.g. "sign_gd".
    pub fn id(&self) -> &'static str {
        match self {
            MethodKind::Gd => "gd",
            MethodKind::SignGd => "sign_gd",
            MethodKind::NormalizedGd => "normalized_gd",
            MethodKind::Coordinate => "coordinate",
            MethodKind::Lp => "lp",
            MethodKind::Block => "block",
            MethodKind::HeavyBall => "heavy_ball",
            MethodKind::Nesterov => "nesterov",
            MethodKind::Signum => "signum",
            MethodKind::Adam => "adam",
            MethodKind::Lion => "lion",
        }
    }

    /// A reader's name, e.g. "sign GD".
    pub fn display_name(&self, h: &Hyper) -> String {
        match self {
            MethodKind::Gd => "GD".into(),
            MethodKind::SignGd => "sign GD".into(),
            MethodKind::NormalizedGd => "normalised GD".into(),
            MethodKind::Coordinate => "greedy coordinate".into(),
            MethodKind::Lp => format!("l_{} steepest", h.p),
            MethodKind::Block => format!("block-normalised ({})", h.block),
            MethodKind::HeavyBall => "heavy ball".into(),
            MethodKind::Nesterov => "Nesterov".into(),
            MethodKind::Signum => "signum".into(),
            MethodKind::Adam => "Adam".into(),
            MethodKind::Lion => "Lion".into(),
        }
    }

    /// The norm whose smoothness constant the theory step needs; None when there is no theory step.
    pub fn theory_norm(&self, h: &Hyper) -> Option<Norm> {
        match self {
            MethodKind::Gd | MethodKind::NormalizedGd => Some(Norm::L2),
            MethodKind::SignGd => Some(Norm::LInf),
            MethodKind::Coordinate => Some(Norm::L1),
            MethodKind::Lp => Some(Norm::Lp { p: h.p }),
            MethodKind::Block => Some(Norm::Block { size: h.block }),
            _ => None,
        }
    }

    /// The chain for this method. `smoothness` is L for the theory rule (required then).
    pub fn chain(&self, h: &Hyper, rule: StepRule, lr: f64, smoothness: Option<f64>) -> Chain {
        let theory_l = match rule {
            StepRule::Theory => Some(smoothness.expect("the theory rule needs a smoothness constant")),
            StepRule::Const => None,
        };
        let links: Vec<Box<dyn Transform>> = match self {
            MethodKind::Gd => vec![Box::new(Scale(theory_l.map_or(lr, |l| lr / l)))],
            MethodKind::HeavyBall => vec![Box::new(Trace::new(h.beta, false)), Box::new(Scale(lr))],
            MethodKind::Nesterov => vec![Box::new(Trace::new(h.beta, true)), Box::new(Scale(lr))],
            MethodKind::Signum => vec![Box::new(Ema::new(h.beta)), Box::new(Sign), Box::new(Scale(lr))],
            MethodKind::Adam => vec![Box::new(Adam::new(h.beta, h.beta2, h.eps)), Box::new(Scale(lr))],
            MethodKind::Lion => vec![Box::new(Lion::new(h.beta, h.beta2)), Box::new(Scale(lr))],
            steepest => {
                let norm = steepest.theory_norm(h).expect("steepest methods have a norm");
                vec![Box::new(Steepest::new(norm, theory_l)), Box::new(Scale(lr))]
            }
        };
        Chain(links)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const H: Hyper = Hyper { beta: 0.9, beta2: 0.99, eps: 1e-8, p: 3.0, block: 2 };

    fn first_steps(kind: MethodKind, lr: f64, grads: &[[f64; 2]]) -> Vec<Vec<f64>> {
        let mut chain = kind.chain(&H, StepRule::Const, lr, None);
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

    #[test]
    fn adam_first_steps_by_hand() {
        // Step 1: m = 0.1 g, v = 0.01 g^2; m_hat = g, v_hat = g^2, so u = lr g / (|g| + eps).
        // Step 2 with g2: m = 0.09 g1 + 0.1 g2, v = 0.0099 g1^2 + 0.01 g2^2,
        // m_hat = m / 0.19, v_hat = v / 0.0199.
        let (g1, g2) = ([2.0, -0.5], [1.0, 0.25]);
        let u = first_steps(MethodKind::Adam, 0.1, &[g1, g2]);
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
        let u = first_steps(MethodKind::Signum, 0.5, &[[2.0, -0.5], [-1.0, 1.0]]);
        assert_eq!(u[0], vec![0.5, -0.5]);
        assert_eq!(u[1], vec![0.5, 0.5]);
    }

    #[test]
    fn lion_first_steps_by_hand() {
        // Step 1: c = 0.1 g1 -> sign(g1); m = 0.01 g1 = (0.02, -0.005).
        // Step 2: c = 0.9 m + 0.1 g2 = (0.018 - 0.03, -0.0045 + 0.0001) -> (-, -).
        let u = first_steps(MethodKind::Lion, 0.01, &[[2.0, -0.5], [-0.3, 0.001]]);
        assert_eq!(u[0], vec![0.01, -0.01]);
        assert_eq!(u[1], vec![-0.01, -0.01]);
    }

    #[test]
    fn momentum_first_steps_by_hand() {
        // Heavy ball: v1 = g1, v2 = 0.9 g1 + g2. Nesterov: u = g + 0.9 v.
        let g1 = [1.0, 2.0];
        let g2 = [0.5, -1.0];
        let hb = first_steps(MethodKind::HeavyBall, 0.1, &[g1, g2]);
        assert!(close(&hb[1], &[0.1 * (0.9 + 0.5), 0.1 * (1.8 - 1.0)]));
        let nest = first_steps(MethodKind::Nesterov, 0.1, &[g1, g2]);
        assert!(close(&nest[0], &[0.1 * 1.9, 0.1 * 3.8]));
        let v2 = [0.9 + 0.5, 1.8 - 1.0];
        assert!(close(&nest[1], &[0.1 * (0.5 + 0.9 * v2[0]), 0.1 * (-1.0 + 0.9 * v2[1])]));
    }

    #[test]
    fn theory_step_is_dual_norm_over_l() {
        let mut chain = MethodKind::SignGd.chain(&H, StepRule::Theory, 1.0, Some(4.0));
        let mut u = vec![3.0, -1.0];
        let step = chain.update(&mut u, 1);
        assert_eq!(step, 1.0); // ||g||_1 / L = 4 / 4
        assert_eq!(u, vec![1.0, -1.0]);
        let mut gd = MethodKind::Gd.chain(&H, StepRule::Theory, 1.0, Some(4.0));
        let mut u = vec![3.0, -1.0];
        assert_eq!(gd.update(&mut u, 1), 0.25);
        assert_eq!(u, vec![0.75, -0.25]);
    }
}
