//! The eigenvalue track's colours as a reader with deuteranopia (or protanopia) sees them:
//! simulated with Machado, Oliveira & Fernandes (2009) at full severity, compared by CIEDE2000.
//! Test code only.

use super::anatomy::track_series;
use super::style::Look;

/// Machado et al. 2009, severity 1.0, on linear RGB.
const DEUTERANOPIA: [[f64; 3]; 3] =
    [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]];
const PROTANOPIA: [[f64; 3]; 3] =
    [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];

/// The ranks the track draws (experiment::anatomy follows the 5 largest eigenvalues).
const RANKS: usize = 5;

/// How far apart (CIEDE2000) two series must look when nothing else tells them apart. A
/// difference of 1 is about the smallest one sees between two large patches; 2-px lines need
/// several times that (Szafir, "Modeling Color Difference for Visualization Design", 2018), and
/// a reader should tell the lines apart at a glance, not side by side.
const APART: f64 = 15.0;

fn linear(c: u8) -> f64 {
    let c = c as f64 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn rgb(hex: &str) -> [u8; 3] {
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [byte(1), byte(3), byte(5)]
}

/// CIELAB (D65) of a linear RGB colour, clipped to the gamut.
fn lab(l: [f64; 3]) -> [f64; 3] {
    let l = l.map(|v| v.clamp(0.0, 1.0));
    let xyz = [
        (0.4124564 * l[0] + 0.3575761 * l[1] + 0.1804375 * l[2]) / 0.95047,
        0.2126729 * l[0] + 0.7151522 * l[1] + 0.0721750 * l[2],
        (0.0193339 * l[0] + 0.1191920 * l[1] + 0.9503041 * l[2]) / 1.08883,
    ];
    let f = xyz.map(|t| if t > 216.0 / 24389.0 { t.cbrt() } else { (24389.0 / 27.0 * t + 16.0) / 116.0 });
    [116.0 * f[1] - 16.0, 500.0 * (f[0] - f[1]), 200.0 * (f[1] - f[2])]
}

/// How `hex` looks under `deficiency`, in CIELAB.
fn seen(hex: &str, deficiency: &[[f64; 3]; 3]) -> [f64; 3] {
    let l = rgb(hex).map(linear);
    lab(deficiency.map(|row| row[0] * l[0] + row[1] * l[1] + row[2] * l[2]))
}

/// CIEDE2000 (Sharma, Wu & Dalal 2005, whose formulas and test data this follows).
fn ciede2000(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (deg, rad) = (f64::to_degrees, f64::to_radians);
    let c_bar = (a[1].hypot(a[2]) + b[1].hypot(b[2])) / 2.0;
    let g = 0.5 * (1.0 - (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt());
    let prime = |p: [f64; 3]| {
        let a1 = (1.0 + g) * p[1];
        let h = if a1 == 0.0 && p[2] == 0.0 { 0.0 } else { deg(p[2].atan2(a1)).rem_euclid(360.0) };
        (a1.hypot(p[2]), h)
    };
    let ((c1, h1), (c2, h2)) = (prime(a), prime(b));
    let dh = if c1 * c2 == 0.0 {
        0.0
    } else if (h2 - h1).abs() <= 180.0 {
        h2 - h1
    } else if h2 > h1 {
        h2 - h1 - 360.0
    } else {
        h2 - h1 + 360.0
    };
    let (dl, dc, dh) = (b[0] - a[0], c2 - c1, 2.0 * (c1 * c2).sqrt() * rad(dh / 2.0).sin());
    let (l_bar, c_bar) = ((a[0] + b[0]) / 2.0, (c1 + c2) / 2.0);
    let h_bar = if c1 * c2 == 0.0 {
        h1 + h2
    } else if (h1 - h2).abs() <= 180.0 {
        (h1 + h2) / 2.0
    } else if h1 + h2 < 360.0 {
        (h1 + h2 + 360.0) / 2.0
    } else {
        (h1 + h2 - 360.0) / 2.0
    };
    let t = 1.0 - 0.17 * rad(h_bar - 30.0).cos() + 0.24 * rad(2.0 * h_bar).cos() + 0.32 * rad(3.0 * h_bar + 6.0).cos()
        - 0.20 * rad(4.0 * h_bar - 63.0).cos();
    let rotation = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
    let (sc, sh) = (1.0 + 0.045 * c_bar, 1.0 + 0.015 * c_bar * t);
    let rt = -rad(2.0 * rotation).sin() * rc;
    ((dl / sl).powi(2) + (dc / sc).powi(2) + (dh / sh).powi(2) + rt * (dc / sc) * (dh / sh)).sqrt()
}

/// The smallest simulated difference between two of the track's ranks that a reader tells
/// apart by colour alone or that run side by side: neighbouring ranks, and ranks with the same
/// dash. `palette_index` gives each rank's palette colour.
fn closest_pair(palette_index: impl Fn(usize) -> usize, deficiency: &[[f64; 3]; 3], dark: bool) -> (f64, usize, usize) {
    let look = Look { scale: 1.0, dark };
    let hex = |k: usize| {
        let c = look.series(palette_index(k));
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    };
    let mut closest = (f64::INFINITY, 0, 0);
    for i in 0..RANKS {
        for j in i + 1..RANKS {
            if j == i + 1 || look.dash(i) == look.dash(j) {
                let d = ciede2000(seen(&hex(i), deficiency), seen(&hex(j), deficiency));
                if d < closest.0 {
                    closest = (d, i, j);
                }
            }
        }
    }
    closest
}

#[test]
fn ciede2000_matches_sharma_wu_dalals_test_pairs() {
    let pairs = [
        ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
        ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
        ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
        ([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644),
    ];
    for (a, b, want) in pairs {
        assert!((ciede2000(a, b) - want).abs() < 1e-4, "{a:?} {b:?}: {} != {want}", ciede2000(a, b));
        assert!((ciede2000(b, a) - want).abs() < 1e-4);
    }
}

#[test]
fn the_simulation_keeps_greys_and_white_is_white() {
    for grey in ["#000000", "#777777", "#FFFFFF"] {
        let normal = lab(rgb(grey).map(linear));
        for m in [&DEUTERANOPIA, &PROTANOPIA] {
            assert!(ciede2000(seen(grey, m), normal) < 0.05, "{grey}");
        }
    }
    assert!(ciede2000(lab([1.0; 3]), [100.0, 0.0, 0.0]) < 1e-3);
}

/// Neighbouring ranks, and ranks with the same dash, stay well apart under deuteranopia and
/// protanopia, on light and dark backgrounds. In plain palette order they did not: the 2nd and
/// 5th ranks (vermillion and orange, both dashed) came within 12.5, and green sat within 16 of
/// the purple beside it.
#[test]
fn the_eigenvalue_track_stays_readable_without_red_green_vision() {
    for (name, m) in [("deuteranopia", &DEUTERANOPIA), ("protanopia", &PROTANOPIA)] {
        for dark in [false, true] {
            let (d, i, j) = closest_pair(track_series, m, dark);
            assert!(d >= APART, "{name}, dark {dark}: ranks {} and {} differ by {d:.1}", i + 1, j + 1);
        }
    }
    let (d, i, j) = closest_pair(|k| k, &DEUTERANOPIA, false);
    assert!(d < APART && (i, j) == (1, 4), "the plain palette order: {d:.1} between ranks {} and {}", i + 1, j + 1);
}
