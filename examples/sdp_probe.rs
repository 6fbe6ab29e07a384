use steepest::objective::{rotated_hessian, spectrum, HaarRotation, SpectrumKind};
use steepest::rng::Rng;
use steepest::smoothness::{certificate_from, mixing_method};
fn main() {
    let d = 200;
    let lam = spectrum(SpectrumKind::Outliers, d, 1.0, 100.0, 20);
    let h = rotated_hessian(&lam, &HaarRotation::new(d, &mut Rng::new(2)), 1.0);
    for sweeps in [10, 30, 100, 300, 1000] {
        let t = std::time::Instant::now();
        let sol = mixing_method(&h, 1, 0.0, sweeps);
        let el = t.elapsed();
        let c = certificate_from(&h, &sol);
        println!("{sweeps} sweeps {:?} primal {} upper {} gap {:.3e} valid {} mineig {:.3e}", el, sol.primal, c.upper, (c.upper - sol.primal)/c.upper, c.valid, c.min_eigenvalue);
    }
}
