//! Lower bounds on L_inf from good sign vectors: every v in {-1,1}^d gives ||H v||_1 <= L_inf
//! (and v^T H v <= L_inf). Local search improves a vector until no single change helps.

use crate::linalg::Matrix;
use crate::norm::{dot, l1, sign};

/// v^T H v.
pub fn psd_value(h: &Matrix, v: &[f64]) -> f64 {
    dot(v, &h.matvec(v))
}

/// Improves a sign vector and returns (value, vector), value = ||H v||_1 <= L_inf.
/// PSD H: one-flip ascent on v^T H v (flipping v_k changes it by 4 (H_kk - v_k (Hv)_k)), then
/// the value ||H v||_1 >= v^T H v. General H: alternating w = sign(H v), v = sign(H w), each
/// step raising w^T H v, until it stops changing.
pub fn local_search(h: &Matrix, psd: bool, start: &[f64]) -> (f64, Vec<f64>) {
    let d = h.n();
    let mut v: Vec<f64> = start.iter().map(|x| if *x < 0.0 { -1.0 } else { 1.0 }).collect();
    if psd {
        let mut u = h.matvec(&v);
        loop {
            let mut improved = false;
            for k in 0..d {
                let gain = 4.0 * (h.get(k, k) - v[k] * u[k]);
                // A relative threshold keeps rounding from flipping back and forth.
                if gain > 1e-12 * (h.get(k, k).abs() + u[k].abs()) {
                    let delta = -2.0 * v[k];
                    v[k] = -v[k];
                    u.iter_mut().zip(h.row(k)).for_each(|(ui, hk)| *ui += delta * hk);
                    improved = true;
                }
            }
            if !improved {
                break;
            }
        }
        (l1(&u), v)
    } else {
        let mut best = l1(&h.matvec(&v));
        for _ in 0..1000 {
            let w: Vec<f64> = h.matvec(&v).iter().map(|x| if *x < 0.0 { -1.0 } else { 1.0 }).collect();
            let hw = h.matvec(&w);
            let next: Vec<f64> = hw.iter().map(|x| if sign(*x) < 0.0 { -1.0 } else { 1.0 }).collect();
            let val = l1(&h.matvec(&next));
            if val <= best {
                break;
            }
            best = val;
            v = next;
        }
        (best, v)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::smoothness::linf_exact;

    #[test]
    fn local_search_gives_a_valid_lower_bound_and_never_worsens() {
        let mut r = Rng::new(1);
        for d in [4, 9, 14] {
            for psd in [true, false] {
                let a: Vec<Vec<f64>> = (0..d).map(|_| r.normals(d)).collect();
                let rows: Vec<Vec<f64>> = (0..d)
                    .map(|i| (0..d).map(|j| if psd { dot(&a[i], &a[j]) } else { a[i][j] + a[j][i] }).collect())
                    .collect();
                let h = Matrix::from_rows(&rows);
                let (exact, _) = linf_exact(&h);
                let start: Vec<f64> = r.normals(d);
                let start_val =
                    l1(&h.matvec(&start.iter().map(|x| if *x < 0.0 { -1.0 } else { 1.0 }).collect::<Vec<_>>()));
                let (val, v) = local_search(&h, psd, &start);
                assert!(val <= exact * (1.0 + 1e-12));
                assert!(val >= start_val * (1.0 - 1e-12) || psd);
                assert!((l1(&h.matvec(&v)) - val).abs() <= 1e-9 * val);
            }
        }
    }
}
