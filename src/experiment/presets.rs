//! Presets: the paper's comparisons (docs/theory.md §5), each a spec with a sentence or two
//! telling the reader what to look at. The CLI runs them by name (`steepest run --preset NAME`)
//! and the page loads them by URL (`?preset=NAME&...` with the spec's own keys).

use super::claims::{Claim, Number};
use crate::spec::{url::to_query, Spec};
use serde::Serialize;

/// Which view of the page a preset is about, by the page's id for it (`?view=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Convergence curves, gradient norms, the geometry tables and the smoothness panel.
    Runs,
    /// The 2-D contour view with unit balls, directions and trajectories.
    Geometry2d,
    /// The spread x rotation map of measured against predicted advantage.
    Sweep,
    /// The Hessian analysis at a checkpoint, beside its same-spectrum rotation.
    Hessian,
}

#[derive(Clone, Debug, Serialize)]
pub struct Preset {
    pub name: &'static str,
    pub title: &'static str,
    /// What to look at, and what the theory says; no number about a result (those are claims).
    pub look_for: &'static str,
    /// What the story says about the result, checked on it (the page shows each with a tick or a
    /// cross; `steepest run --preset NAME` prints them; a test holds them at the defaults).
    pub claims: Vec<Claim>,
    pub view: View,
    pub spec: Spec,
    /// The page's URL query for this preset.
    pub query: String,
}

/// (name, title, story, claims, view, spec).
type Row = (&'static str, &'static str, &'static str, &'static [Claim], View, &'static str);

const SIGN_FEWER_STEPS: Claim = Claim::FewerSteps { faster: 1, slower: 0 };
const GD_FEWER_STEPS: Claim = Claim::FewerSteps { faster: 0, slower: 1 };
const fn predicted(above: bool) -> Claim {
    Claim::Advantage { number: Number::Predicted, above }
}
const fn ceiling(above: bool) -> Claim {
    Claim::Advantage { number: Number::Ceiling, above }
}

const TABLE: &[Row] = &[
    (
        "outliers-diagonal",
        "Outlier eigenvalues, diagonal Hessian: sign GD wins",
        "Two eigenvalues at 100 above eight at 1, on the diagonal. For a diagonal Hessian L_inf = tr H, so the ceiling d L_2 / L_inf equals the spread lambda_max / lambda_bar, and the gradients stay dense enough for the prediction to favour sign GD (step ||g||_1 / L_inf) over GD (step 1/L_2). The third curve is sign GD with a tuned constant step: a constant step shrinks the gradient only down to a band whose width scales with the step, so how fast it gets there depends on the target.",
        &[SIGN_FEWER_STEPS, ceiling(true), predicted(true)],
        View::Runs,
        r#"{"problem": {"kind": "quadratic", "d": 10, "spectrum": "outliers", "outliers": 2, "lambda_max": 100, "lambda_min": 1, "rotation": 0},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}, {"kind": "sign_gd", "rule": "const", "tune": true}],
            "run": {"steps": 5000, "target": 1e-6}}"#,
    ),
    (
        "outliers-rotated",
        "The same spectrum, rotated: sign GD loses its edge",
        "The eigenvalues of the previous preset, Haar-rotated. GD's step 1/L_2 and its guarantee depend only on the eigenvalues, so they stay the same; its step count differs only because the start point meets the rotated eigenvectors differently. Off the diagonal rho_diag drops below 1, and L_inf can only grow (it is at least tr H, which a diagonal Hessian attains), so the ceiling can only shrink. More decisively, sign GD's gradients are no longer dense, and the prediction from the guarantees along the runs falls below 1 even though the ceiling stays above it. Move the rotation slider to watch the crossover.",
        &[GD_FEWER_STEPS, ceiling(true), predicted(false)],
        View::Runs,
        r#"{"problem": {"kind": "quadratic", "d": 10, "spectrum": "outliers", "outliers": 2, "lambda_max": 100, "lambda_min": 1, "rotation": 1},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}],
            "run": {"steps": 5000, "target": 1e-6}}"#,
    ),
    (
        "flat-spectrum",
        "A flat spectrum: no advantage for sign GD",
        "Eigenvalues evenly spaced in [1, 2]: lambda_max is close to lambda_bar, so on the diagonal the ceiling d L_2 / L_inf = lambda_max / lambda_bar is small, and the prediction along the runs favours GD. No rotation can raise the ceiling: L_inf is at least tr H, so d L_2 / L_inf <= lambda_max / lambda_bar at every rotation.",
        &[GD_FEWER_STEPS, predicted(false)],
        View::Runs,
        r#"{"problem": {"kind": "quadratic", "d": 10, "spectrum": "uniform", "lambda_max": 2, "lambda_min": 1, "rotation": 0},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}],
            "run": {"steps": 5000, "target": 1e-6}}"#,
    ),
    (
        "separable-vs-linf",
        "Separable smoothness against l_inf smoothness",
        "The Laplacian of a 5-cycle. The best separable constants l_i (diag(l) >= H) sum to L_sep, the SDP relaxation of L_inf; here the relaxation is not tight: a maximum cut of the cycle cuts 4 edges, so L_inf = 16, while L_sep is larger, within the pi/2 of Nesterov's theorem. Every result proved under separable smoothness holds with sum l_i replaced by the smaller L_inf.",
        &[Claim::LinfEquals { value: 16.0 }, Claim::SeparableGap],
        View::Runs,
        r#"{"problem": {"kind": "matrix", "matrix": [[2, -1, 0, 0, -1], [-1, 2, -1, 0, 0], [0, -1, 2, -1, 0], [0, 0, -1, 2, -1], [-1, 0, 0, -1, 2]]},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}],
            "run": {"steps": 2000, "target": 1e-6}}"#,
    ),
    (
        "geometry-2d",
        "Two dimensions: unit balls, steepest directions, trajectories",
        "A 2-D quadratic with eigenvalues 10 and 1 along axes turned by 30 degrees. At the start point the l2, l_inf and l1 unit balls show why each method moves where it does: GD follows -g, sign GD a corner of the square, coordinate descent one axis. Click to move the start point.",
        &[],
        View::Geometry2d,
        r#"{"problem": {"kind": "quad2d", "lambda_max": 10, "lambda_min": 1, "angle": 30, "x0": [2, 1.5]},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}, {"kind": "coordinate"}, {"kind": "adam", "lr": 0.1}],
            "run": {"steps": 60, "target": 0}}"#,
    ),
    (
        "sweep",
        "The map: spread x rotation, measured against predicted",
        "Each cell holds five seeded 20-dimensional quadratics with two outlier eigenvalues, at the cell's spread lambda_max / lambda_bar and rotation; GD and sign GD keep their theory step rules with tuned multipliers. The maps show the measured advantage of sign GD (GD's steps over sign GD's to 1e-6), the prediction from the guarantees along the runs, and the ceiling d L_2 / L_inf, which ignores the density of the gradients. Red favours sign GD, blue GD. Compare where each map turns blue with the measured map, and how many winners each names.",
        &[Claim::SweepWinners { share: 0.8 }],
        View::Sweep,
        r#"{"problem": {"kind": "quadratic", "d": 20, "spectrum": "outliers", "outliers": 2, "lambda_min": 1},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}],
            "run": {"steps": 3000, "target": 1e-6},
            "sweep": {"spread_min": 1.5, "spread_points": 6, "rotation_points": 6}}"#,
    ),
    (
        "digits-mlp",
        "A network on real data: SGD, signum and Adam on the digits",
        "A network with 16 tanh units on the 8x8 handwritten digits (1797 images shipped with the page), trained on seeded minibatches of 32. The loss plot shows the full training loss at 100 evaluation points (run.eval_points), the minibatch-loss plot the loss of each step's batch; the table gives train and test accuracy. Switch on rotate_params to train in a randomly rotated parameter space, or see the next preset.",
        &[Claim::TestAccuracy { method: 0, value: 0.9 }, Claim::TestAccuracy { method: 2, value: 0.9 }],
        View::Runs,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh"},
            "methods": [{"kind": "gd", "rule": "const", "lr": 0.3}, {"kind": "signum", "lr": 0.003}, {"kind": "adam", "lr": 0.01}],
            "run": {"steps": 200, "target": 0, "batch": 32}}"#,
    ),
    (
        "digits-mlp-rotated",
        "The same network in a rotated parameter space: SGD does not notice",
        "The previous preset optimised in a Haar-randomly rotated parameter space x = Q z. SGD is rotation-equivariant: its iterates are the previous preset's turned by Q, so its curve is the same to rounding. Signum and Adam act coordinate by coordinate, so the basis the network is written in matters to them: compare their curves and accuracies with the previous preset's.",
        &[Claim::TestAccuracy { method: 0, value: 0.9 }],
        View::Runs,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh", "rotate_params": true},
            "methods": [{"kind": "gd", "rule": "const", "lr": 0.3}, {"kind": "signum", "lr": 0.003}, {"kind": "adam", "lr": 0.01}],
            "run": {"steps": 200, "target": 0, "batch": 32}}"#,
    ),
    (
        "digits-mlp-deep",
        "Two hidden layers on the digits",
        "A network with two tanh layers of 16 units (1482 parameters), trained like the one-layer preset. The Hessian view of this spec shows three layer blocks.",
        &[Claim::TestAccuracy { method: 2, value: 0.9 }],
        View::Runs,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "hidden2": 16, "activation": "tanh"},
            "methods": [{"kind": "gd", "rule": "const", "lr": 0.3}, {"kind": "signum", "lr": 0.003}, {"kind": "adam", "lr": 0.01}],
            "run": {"steps": 200, "target": 0, "batch": 32}, "analysis": {"method": 2, "step": 200}}"#,
    ),
    (
        "digits-hessian",
        "The trained network's Hessian against a rotated twin",
        "The Hessian of the 16-unit network (1210 parameters) after 200 Adam steps, beside a matrix with the same eigenvalues under a random rotation. Its spectrum is a bulk near 0 with a few outliers far above the mean eigenvalue (the table gives the spread). The heat map shows layer blocks and bias rows rather than a dominant diagonal, so the paper's diagonal argument is weak here; compare rho_diag and the L_inf bracket of the two matrices, and switch on analysis.sdp (slow) to certify the upper ends. The track plot follows the five largest eigenvalues from initialisation to the checkpoint.",
        &[Claim::TopEigenvalueShrinks, Claim::MoreDiagonalThanTwin],
        View::Hessian,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh"},
            "methods": [{"kind": "adam", "lr": 0.01}],
            "run": {"steps": 200, "target": 0, "batch": 32}, "analysis": {"method": 0, "step": 200, "track": 8}}"#,
    ),
    (
        "spectral-quadratic",
        "A matrix variable with its sides rotated: the spectral method and Muon keep their edge, sign GD loses it",
        "The variable is an 8 x 8 matrix X. Its Hessian has eight outlier eigenvalues at 100, filling one row of X, over a bulk at 1, seen through Haar rotations of both sides (X -> U X V^T, rotate_sides). Such a rotation keeps the eigenvalues, so GD's step 1/L_2 and its guarantee stay the same (its run starts elsewhere relative to the eigenvectors), and keeps the spectral norm, so the spectral method (steepest descent under the spectral norm, exact polar factor) and Muon (its Newton-Schulz approximation) see the same geometry and their updates rotate with the problem (docs/theory.md §6); but it mixes the coordinates, and sign GD, whose l_inf geometry needs them, loses its edge. The spectral method and Muon are tuned (the spectral method's tuning keeps its theory step: the Hessian is a Kronecker product, and so is its rotation, so the Kronecker bound gives L_spec = 107 up to rounding). Beside sign GD's three numbers the verdict sets spectral descent's: the ceiling R L_2 / L_spec, the prediction from the guarantees along its run and GD's, and the measured ratio of steps. Untick rotate_sides and sign GD wins too; set rotation to 1 instead (a Haar rotation of the 64-dimensional vectorised space) and only GD is left unharmed.",
        &[
            Claim::FewerSteps { faster: 2, slower: 0 },
            GD_FEWER_STEPS,
            Claim::FewerSteps { faster: 3, slower: 1 },
            predicted(false),
            Claim::SpectralAdvantage { number: Number::Ceiling, above: true },
            Claim::SpectralAdvantage { number: Number::Measured, above: true },
        ],
        View::Runs,
        r#"{"problem": {"kind": "quadratic", "d": 64, "shape": [8, 8], "spectrum": "outliers", "outliers": 8, "lambda_max": 100, "lambda_min": 1, "rotate_sides": true},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}, {"kind": "spectral", "tune": true}, {"kind": "muon", "tune": true}],
            "run": {"steps": 1000, "target": 1e-6}}"#,
    ),
    (
        "muon-vs-adam-digits",
        "SGD, signum, Adam and Muon on the digits network",
        "The 16-unit tanh network of digits-mlp, trained on seeded minibatches of 32 by SGD, signum, Adam and Muon (the optax.contrib.muon conventions: Nesterov momentum 0.95 and five Newton-Schulz steps on the two weight matrices, Adam on the biases). Muon moves each weight matrix along an approximate polar factor of its momentum, steepest descent under the spectral norm (docs/theory.md §6), where signum and Adam move every weight by about the same amount, steepest descent under l_inf. So two geometries of the gradient matter: its density phi (how evenly it spreads over coordinates, what sign descent's advantage scales with) and its nuclear rank nu / R (how evenly it spreads over singular directions, what spectral descent's scales with). Compare the two plots, then the accuracies; Muon's step was tuned by hand on this preset.",
        &[Claim::TestAccuracy { method: 2, value: 0.9 }, Claim::TestAccuracy { method: 3, value: 0.9 }],
        View::Runs,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh"},
            "methods": [{"kind": "gd", "rule": "const", "lr": 0.3}, {"kind": "signum", "lr": 0.003}, {"kind": "adam", "lr": 0.01}, {"kind": "muon", "lr": 0.03}],
            "run": {"steps": 200, "target": 0, "batch": 32}}"#,
    ),
    (
        "heavy-tailed-classes",
        "Heavy-tailed classes: GD stalls on the rare ones, sign GD and Adam do not",
        "The digits with class frequencies drawn from a Zipf law (class_zipf: the class of rank r keeps a share (r+1)^-s of the rows of the most frequent; the order of the classes is seeded), and the 16-unit network trained on all of them at once by GD, sign GD and Adam. The run splits the training loss into the frequent, middle and rare classes (a third of the classes each, by rank). A rare class contributes little to the gradient, so GD, whose step follows the gradient's size, lowers its loss last and least; sign GD and Adam give every coordinate a step of about the same size, so the weights that only the rare classes use move too (the paper's dense-gradient and diagonal story on the softmax Hessian). Compare the rare classes' curves, then set class_zipf to 0.",
        &[
            Claim::RareClassesLag { method: 0 },
            Claim::LowerRareLoss { better: 1, worse: 0 },
            Claim::LowerRareLoss { better: 2, worse: 0 },
        ],
        View::Runs,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh", "class_zipf": 1.5},
            "methods": [{"kind": "gd", "rule": "const", "lr": 0.3}, {"kind": "sign_gd", "rule": "const", "lr": 0.003}, {"kind": "adam", "lr": 0.01}],
            "run": {"steps": 300, "target": 0}}"#,
    ),
];

/// Every preset, in reading order.
pub fn presets() -> Vec<Preset> {
    TABLE
        .iter()
        .map(|(name, title, look_for, claims, view, json)| {
            let spec = Spec::from_json(json).unwrap_or_else(|e| panic!("preset {name}: {e}"));
            let query = format!("preset={name}&{}", to_query(&spec));
            Preset { name, title, look_for, claims: claims.to_vec(), view: *view, spec, query }
        })
        .collect()
}

/// The preset called `name`.
pub fn preset(name: &str) -> Option<Preset> {
    presets().into_iter().find(|p| p.name == name)
}

/// The names, for error messages.
pub fn preset_names() -> Vec<&'static str> {
    TABLE.iter().map(|t| t.0).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::experiment::{run_spec, spec_geometry};
    use crate::smoothness::ReportOptions;

    #[test]
    fn every_preset_is_valid_and_round_trips_through_its_url() {
        for p in presets() {
            p.spec.validate().unwrap();
            assert_eq!(crate::spec::url::from_query(&p.query).spec, p.spec, "{}", p.name);
        }
    }

    fn steps(name: &str) -> Vec<usize> {
        run_spec(&preset(name).unwrap().spec).unwrap().methods.iter().map(|m| m.stopped_at).collect()
    }

    /// Every claim of every preset holds on the preset's own results, computed as its view
    /// computes them.
    #[test]
    fn every_presets_claims_hold_at_its_defaults() {
        use crate::experiment::{hessian_anatomy, run_sweep, ClaimInput};
        for p in presets() {
            if p.claims.is_empty() {
                continue;
            }
            let input = match p.view {
                View::Sweep => ClaimInput::of(None, None, Some(&run_sweep(&p.spec, &mut |_| true).unwrap()), None),
                View::Hessian => {
                    ClaimInput::of(None, None, None, Some(&hessian_anatomy(&p.spec, &mut |_| true).unwrap()))
                }
                View::Runs | View::Geometry2d => {
                    let run = run_spec(&p.spec).unwrap();
                    let report = p
                        .claims
                        .iter()
                        .any(Claim::needs_report)
                        .then(|| spec_geometry(&p.spec, &ReportOptions::default(), &mut |_| true).unwrap().report);
                    ClaimInput::of(Some(&run), report.as_ref(), None, None)
                }
            };
            for c in crate::experiment::check_claims(&p.claims, &input) {
                assert_eq!(c.holds, Some(true), "{}: {} ({})", p.name, c.text, c.evidence);
            }
        }
    }

    #[test]
    fn the_paper_orderings_hold() {
        // Diagonal with outliers: sign GD (theory step) needs fewer steps than GD.
        let s = steps("outliers-diagonal");
        assert!(s[1] < s[0], "{s:?}");
        let diagonal_advantage = s[0] as f64 / s[1] as f64;
        // Rotated: sign GD needs more, and its advantage shrinks at least two-fold.
        let s = steps("outliers-rotated");
        assert!(s[1] > s[0], "{s:?}");
        let rotated_advantage = s[0] as f64 / s[1] as f64;
        assert!(diagonal_advantage >= 2.0 * rotated_advantage, "{diagonal_advantage} vs {rotated_advantage}");
        // Flat spectrum: sign GD needs at least as many steps as GD.
        let s = steps("flat-spectrum");
        assert!(s[1] >= s[0], "{s:?}");
    }

    #[test]
    fn the_default_sweep_ranks_cells_as_the_theory_does() {
        // Over seeds 1-8 the ceiling's Spearman correlation was 0.56-0.75 (with the rotations'
        // angles drawn by chains, and with the Givens reduction before them); 36 cells of no
        // association would give about 0 +- 0.17.
        let r = crate::experiment::run_sweep(&preset("sweep").unwrap().spec, &mut |_| true).unwrap();
        assert!(r.ceiling.spearman >= 0.5, "{:?}", r.ceiling);
        assert!(r.predicted.winners >= 0.75, "{:?}", r.predicted);
    }

    #[test]
    fn the_digits_network_learns_and_sgd_ignores_the_rotation() {
        let plain = run_spec(&preset("digits-mlp").unwrap().spec).unwrap();
        let adam = plain.methods.iter().find(|m| m.kind == "adam").unwrap();
        assert!(adam.accuracy.unwrap().test >= 0.9, "{:?}", adam.accuracy);
        let rotated = run_spec(&preset("digits-mlp-rotated").unwrap().spec).unwrap();
        for (a, b) in plain.methods[0].trace.f.iter().zip(&rotated.methods[0].trace.f) {
            assert!((a - b).abs() <= 1e-9 * a.abs(), "SGD: {a} vs {b}");
        }
        assert_ne!(plain.methods[1].trace.f, rotated.methods[1].trace.f);
    }

    #[test]
    fn five_cycle_has_linf_16_and_a_loose_sdp() {
        let g = spec_geometry(&preset("separable-vs-linf").unwrap().spec, &ReportOptions::default(), &mut |_| true)
            .unwrap();
        assert_eq!(g.report.linf_exact, Some(16.0));
        // SDP value of max-cut on C5: (5/2)(1 - cos(4 pi / 5)) cut edges; v^T L v = 4 cut.
        let sdp = 4.0 * 2.5 * (1.0 - (4.0 * std::f64::consts::PI / 5.0).cos());
        let lsep = g.report.l_sep.unwrap();
        assert!((lsep - sdp).abs() < 1e-5 * sdp, "{lsep} vs {sdp}");
    }
}
