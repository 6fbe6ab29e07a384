//! Presets: the paper's comparisons (docs/theory.md §5), each a spec with a sentence or two
//! telling the reader what to look at. The CLI runs them by name (`steepest run --preset NAME`)
//! and the page loads them by URL (`?preset=NAME&...` with the spec's own keys).

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
    /// What to look at, and what the theory predicts.
    pub look_for: &'static str,
    pub view: View,
    pub spec: Spec,
    /// The page's URL query for this preset.
    pub query: String,
}

const TABLE: &[(&str, &str, &str, View, &str)] = &[
    (
        "outliers-diagonal",
        "Outlier eigenvalues, diagonal Hessian: sign GD wins",
        "Two eigenvalues at 100 above eight at 1, on the diagonal. L_inf = tr H, so the predicted advantage d L_2 / L_inf = lambda_max / lambda_bar is large, and sign GD (step ||g||_1 / L_inf) reaches the target in fewer steps than GD (step 1/L_2). Sign GD with a constant step stalls in a band around the minimiser: it is shown tuned, but never used for step counts.",
        View::Runs,
        r#"{"problem": {"kind": "quadratic", "d": 10, "spectrum": "outliers", "outliers": 2, "lambda_max": 100, "lambda_min": 1, "rotation": 0},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}, {"kind": "sign_gd", "rule": "const", "tune": true}],
            "run": {"steps": 5000, "target": 1e-6}}"#,
    ),
    (
        "outliers-rotated",
        "The same spectrum, rotated: GD is unchanged, sign GD loses its edge",
        "The eigenvalues of the previous preset, Haar-rotated. GD sees only the eigenvalues and behaves as before; rho_diag falls, L_inf grows towards d lambda_max, the predicted advantage of sign GD shrinks below 1, and it now needs more steps than GD. Move the rotation slider to watch the crossover.",
        View::Runs,
        r#"{"problem": {"kind": "quadratic", "d": 10, "spectrum": "outliers", "outliers": 2, "lambda_max": 100, "lambda_min": 1, "rotation": 1},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}],
            "run": {"steps": 5000, "target": 1e-6}}"#,
    ),
    (
        "flat-spectrum",
        "A flat spectrum: no advantage for sign GD, whatever the rotation",
        "Eigenvalues evenly spaced in [1, 2]: lambda_max is close to lambda_bar, so even on the diagonal d L_2 / L_inf = lambda_max / lambda_bar is below 2, and GD converges faster. Rotating only makes sign GD worse.",
        View::Runs,
        r#"{"problem": {"kind": "quadratic", "d": 10, "spectrum": "uniform", "lambda_max": 2, "lambda_min": 1, "rotation": 0},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}],
            "run": {"steps": 5000, "target": 1e-6}}"#,
    ),
    (
        "separable-vs-linf",
        "Separable smoothness against l_inf smoothness",
        "The Laplacian of a 5-cycle. The best separable constants l_i (diag(l) >= H) sum to L_sep, the SDP relaxation of L_inf; here it is not tight: L_inf = 16 (a maximum cut of the cycle cuts 4 edges) while L_sep is about 18.09, within the pi/2 of Nesterov's theorem. Every result proved under separable smoothness holds with sum l_i replaced by the smaller L_inf.",
        View::Runs,
        r#"{"problem": {"kind": "matrix", "matrix": [[2, -1, 0, 0, -1], [-1, 2, -1, 0, 0], [0, -1, 2, -1, 0], [0, 0, -1, 2, -1], [-1, 0, 0, -1, 2]]},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}],
            "run": {"steps": 2000, "target": 1e-6}}"#,
    ),
    (
        "geometry-2d",
        "Two dimensions: unit balls, steepest directions, trajectories",
        "A 2-D quadratic with eigenvalues 10 and 1 along axes turned by 30 degrees. At the start point the l2, l_inf and l1 unit balls show why each method moves where it does: GD follows -g, sign GD a corner of the square, coordinate descent one axis. Click to move the start point.",
        View::Geometry2d,
        r#"{"problem": {"kind": "quad2d", "lambda_max": 10, "lambda_min": 1, "angle": 30, "x0": [2, 1.5]},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}, {"kind": "coordinate"}, {"kind": "adam", "lr": 0.1}],
            "run": {"steps": 60, "target": 0}}"#,
    ),
    (
        "sweep",
        "The map: spread x rotation, measured against predicted",
        "Each cell holds five seeded 20-dimensional quadratics with two outlier eigenvalues, at the cell's spread lambda_max / lambda_bar and rotation; GD and sign GD keep their theory step rules with tuned multipliers. Left: the measured advantage of sign GD (GD's steps over sign GD's to 1e-6); right: the prediction d L_2 / L_inf. Red favours sign GD, blue GD. Both rise with the spread on the diagonal and fall with rotation, as rho_diag does; the rank correlation tells how well the theory orders the cells.",
        View::Sweep,
        r#"{"problem": {"kind": "quadratic", "d": 20, "spectrum": "outliers", "outliers": 2, "lambda_min": 1},
            "methods": [{"kind": "gd"}, {"kind": "sign_gd"}],
            "run": {"steps": 3000, "target": 1e-6},
            "sweep": {"spread_min": 1.5, "spread_max": 8, "spread_points": 6, "rotation_points": 6}}"#,
    ),
    (
        "digits-mlp",
        "A network on real data: SGD, signum and Adam on the digits",
        "A network with 16 tanh units on the 8x8 handwritten digits (1797 images shipped with the page), trained on seeded minibatches of 32. The curves show the full training loss; the table gives train and test accuracy (about 95% for each). Switch on rotate_params to train in a randomly rotated parameter space, or see the next preset.",
        View::Runs,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh"},
            "methods": [{"kind": "gd", "rule": "const", "lr": 0.3}, {"kind": "signum", "lr": 0.003}, {"kind": "adam", "lr": 0.01}],
            "run": {"steps": 200, "target": 0, "batch": 32}}"#,
    ),
    (
        "digits-mlp-rotated",
        "The same network in a rotated parameter space: SGD does not notice",
        "The previous preset optimised in a Haar-randomly rotated parameter space x = Q z. SGD's curve is the same to rounding: it is rotation-equivariant. Signum and Adam act coordinate-wise, so their curves change: the basis the network is written in matters to them, and not always for the worse.",
        View::Runs,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh", "rotate_params": true},
            "methods": [{"kind": "gd", "rule": "const", "lr": 0.3}, {"kind": "signum", "lr": 0.003}, {"kind": "adam", "lr": 0.01}],
            "run": {"steps": 200, "target": 0, "batch": 32}}"#,
    ),
    (
        "digits-mlp-deep",
        "Two hidden layers on the digits",
        "A network with two tanh layers of 16 units (1482 parameters), trained like the one-layer preset. The Hessian view of this spec shows three layer blocks.",
        View::Runs,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "hidden2": 16, "activation": "tanh"},
            "methods": [{"kind": "gd", "rule": "const", "lr": 0.3}, {"kind": "signum", "lr": 0.003}, {"kind": "adam", "lr": 0.01}],
            "run": {"steps": 200, "target": 0, "batch": 32}, "analysis": {"method": 2, "step": 200}}"#,
    ),
    (
        "digits-hessian",
        "The trained network's Hessian against a rotated twin",
        "The Hessian of the 16-unit network (1210 parameters) after 200 Adam steps. Its spectrum is a bulk near 0 with a few outliers (lambda_max about 43 times the mean eigenvalue) and a few slightly negative eigenvalues. Its mass is not concentrated on the diagonal (rho_diag about 0.02, against 0.01 for the rotated twin), so the paper's diagonal argument is weak here; the heat map shows the layer blocks and the bias rows instead. Where the basis does matter is L_inf: the best sign vector found gives v^T H v about 180 for the network against about 299 for the twin. Switch on analysis.sdp (slow: about a minute here) to certify the upper ends: L_inf lies in [180, 204] for the network and in [299, 343] for the twin, so the predicted advantage d L_2 / L_inf of sign descent is at least 2.27 in the network's own basis and at most 1.55 after the rotation. The track plot follows the five largest eigenvalues over the run: the outliers are there from the start (lambda_max about 1.13, 137 times lambda_bar, at initialisation) and shrink as Adam trains (0.38 after 200 steps), while lambda_bar stays near 0.009.",
        View::Hessian,
        r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh"},
            "methods": [{"kind": "adam", "lr": 0.01}],
            "run": {"steps": 200, "target": 0, "batch": 32}, "analysis": {"method": 0, "step": 200, "track": 8}}"#,
    ),
];

/// Every preset, in reading order.
pub fn presets() -> Vec<Preset> {
    TABLE
        .iter()
        .map(|(name, title, look_for, view, json)| {
            let spec = Spec::from_json(json).unwrap_or_else(|e| panic!("preset {name}: {e}"));
            let query = format!("preset={name}&{}", to_query(&spec));
            Preset { name, title, look_for, view: *view, spec, query }
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
        let r = crate::experiment::run_sweep(&preset("sweep").unwrap().spec, &mut |_| true).unwrap();
        assert!(r.ceiling.spearman >= 0.6, "{:?}", r.ceiling);
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
