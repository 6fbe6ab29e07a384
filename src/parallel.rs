//! Independent pieces of work spread over every core natively (rayon), and done one after
//! another in wasm (one thread per worker). Either way the results come back in input order and
//! each is computed by the same code, with nothing summed across pieces, so they are
//! bit-identical whatever the number of threads.

/// Reports from inside one item: the fraction of it done; false asks it to stop.
pub type Tick<'a> = &'a mut dyn FnMut(f64) -> bool;

/// `f(item, tick)` of each item, in the items' order, with `progress(items done)` (a fraction
/// counts the items under way by their last tick) called from the calling thread; a false
/// report (or a false tick) gives None: items under way are told to stop by their tick, items
/// not started are skipped.
///
/// Natively every item is a task of its own that whichever thread is free takes next (rayon),
/// with no barrier between groups of items: items of very unequal cost (a sweep's cells, a
/// tuning grid's runs) then keep every core busy to the end.
#[cfg(not(target_arch = "wasm32"))]
pub fn map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T, Tick) -> R + Sync,
    progress: &mut dyn FnMut(f64) -> bool,
) -> Option<Vec<R>> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::{channel, RecvTimeoutError};
    use std::time::Duration;
    enum Report<R> {
        Partly(usize, f64),
        Done(usize, Option<R>),
    }
    let stop = AtomicBool::new(false);
    let (tx, rx) = channel();
    let mut results: Vec<Option<R>> = items.iter().map(|_| None).collect();
    rayon::in_place_scope(|scope| {
        for (i, item) in items.iter().enumerate() {
            let (tx, stop, f) = (tx.clone(), &stop, &f);
            scope.spawn(move |_| {
                let result = (!stop.load(Ordering::Relaxed)).then(|| {
                    f(item, &mut |fraction| {
                        let _ = tx.send(Report::Partly(i, fraction));
                        !stop.load(Ordering::Relaxed)
                    })
                });
                let _ = tx.send(Report::Done(i, result));
            });
        }
        // This thread reports and, while it waits, works: it may be the pool's only thread.
        // What was told last: the sum below can come out an ulp lower after a piece ends (1 +
        // (0.03 + 1.0) = 2.0300000000000002 > 2 + 0.03), and a report must never fall.
        let (mut finished, mut partly, mut told) = (0, vec![0.0; items.len()], 0.0_f64);
        while finished < items.len() {
            let report = match rx.try_recv() {
                Ok(report) => report,
                Err(_) => match rayon::yield_now() {
                    Some(rayon::Yield::Executed) => continue,
                    _ => match rx.recv_timeout(Duration::from_millis(1)) {
                        Ok(report) => report,
                        Err(RecvTimeoutError::Timeout) => continue,
                        Err(RecvTimeoutError::Disconnected) => unreachable!("every task reports its end"),
                    },
                },
            };
            match report {
                Report::Partly(i, fraction) => partly[i] = fraction,
                Report::Done(i, result) => {
                    (finished, partly[i], results[i]) = (finished + 1, 0.0, result);
                }
            }
            told = told.max(finished as f64 + partly.iter().sum::<f64>());
            if !stop.load(Ordering::Relaxed) && !progress(told) {
                stop.store(true, Ordering::Relaxed);
            }
        }
    });
    if stop.into_inner() {
        return None;
    }
    results.into_iter().collect()
}

/// `f(item, tick)` of each item, in the items' order, with `progress(items done)`; a false
/// report or tick gives None (see the native version).
#[cfg(target_arch = "wasm32")]
pub fn map<T, R>(items: &[T], f: impl Fn(&T, Tick) -> R, progress: &mut dyn FnMut(f64) -> bool) -> Option<Vec<R>> {
    let mut results = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let mut going = true;
        let result = f(item, &mut |fraction| {
            going &= progress(i as f64 + fraction);
            going
        });
        if !going || !progress((i + 1) as f64) {
            return None;
        }
        results.push(result);
    }
    Some(results)
}

/// `map` of work that is never cancelled (pieces of one computation), telling `done(fraction of
/// the items done)`.
pub fn map_all<T: Sync, R: Send>(items: &[T], f: impl Fn(&T, Tick) -> R + Sync, done: &mut dyn FnMut(f64)) -> Vec<R> {
    let count = items.len().max(1) as f64;
    map(items, f, &mut |k| {
        done(k / count);
        true
    })
    .expect("nothing cancels it")
}

/// How many pieces to cut one computation into for `map`: two per thread natively, so that a
/// thread that is held up leaves its second piece to the others; one in wasm.
pub fn pieces() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    return 2 * rayon::current_num_threads();
    #[cfg(target_arch = "wasm32")]
    return 1;
}

/// 0..weights.len() cut into at most `count` consecutive non-empty ranges of about equal total
/// weight (each ends once it holds its share of what is left).
pub fn balanced(weights: &[f64], count: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::with_capacity(count);
    let (mut start, mut left) = (0, weights.iter().sum::<f64>());
    for k in (1..=count.max(1)).rev() {
        if start == weights.len() {
            break;
        }
        let (share, mut end, mut taken) = (left / k as f64, start, 0.0);
        while end < weights.len() && (end == start || k == 1 || taken + 0.5 * weights[end] <= share) {
            taken += weights[end];
            end += 1;
        }
        ranges.push(start..end);
        (start, left) = (end, left - taken);
    }
    ranges
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn on<R: Send>(threads: usize, work: impl FnOnce() -> R + Send) -> R {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(work)
    }

    /// Items of unequal cost, some reporting from inside: the results in input order, the last
    /// report all items, on one thread (which must do the work while it waits) and on four,
    /// and nested maps (a sweep's cells tune their steps) as well.
    #[test]
    fn results_come_in_order_and_progress_ends_at_the_count() {
        let items: Vec<u64> = (0..40).map(|i| (i * 7919) % 23).collect();
        let work = |&n: &u64, tick: Tick| {
            let inner = map(&[n, n + 1], |&m, _| (0..m * 1000).fold(m, |a, b| a ^ b.wrapping_mul(31)), &mut |_| true);
            tick(0.5);
            inner.unwrap().iter().sum::<u64>()
        };
        let serial: Vec<u64> = items.iter().map(|n| work(n, &mut |_| true)).collect();
        for threads in [1, 4] {
            let mut last = 0.0;
            let got = on(threads, || map(&items, work, &mut |done| std::mem::replace(&mut last, done) <= done));
            assert_eq!(got, Some(serial.clone()), "{threads} threads");
            assert_eq!(last, items.len() as f64);
        }
    }

    /// A false report stops the map: items under way see it at their next tick, the rest never
    /// start. (On one thread the caller runs an item itself and reads its ticks after it.)
    #[test]
    fn a_false_report_cancels() {
        for threads in [1, 4] {
            let (started, ticks) = (AtomicUsize::new(0), AtomicUsize::new(0));
            let got = on(threads, || {
                map(
                    &[0; 100],
                    |_, tick| {
                        started.fetch_add(1, Ordering::Relaxed);
                        for _ in 0..200 {
                            ticks.fetch_add(1, Ordering::Relaxed);
                            if !tick(0.5) {
                                break;
                            }
                            std::thread::sleep(std::time::Duration::from_micros(200));
                        }
                    },
                    &mut |done| done < 0.5,
                )
            });
            assert_eq!(got, None);
            assert!(started.into_inner() < 100, "{threads} threads: every item started");
            assert!(ticks.into_inner() < 100 * 200, "{threads} threads: every item ran to its end");
        }
    }

    #[test]
    fn balanced_ranges_cover_the_items_in_order_with_near_equal_weight() {
        for (weights, count) in
            [(vec![1.0; 10], 3), ((1..=100).map(f64::from).collect(), 4), (vec![5.0, 0.0, 0.0, 1.0], 8), (vec![], 2)]
        {
            let ranges = balanced(&weights, count);
            assert!(ranges.len() <= count && ranges.iter().all(|r| !r.is_empty()), "{ranges:?}");
            let ends: Vec<usize> = ranges.iter().map(|r| r.end).collect();
            let starts: Vec<usize> = ranges.iter().map(|r| r.start).collect();
            assert_eq!(starts.first().copied().unwrap_or(0), 0);
            assert_eq!(ends.last().copied().unwrap_or(0), weights.len());
            assert!(starts.iter().skip(1).zip(&ends).all(|(s, e)| s == e), "{ranges:?}");
            let total: f64 = weights.iter().sum();
            let heaviest = weights.iter().fold(0.0f64, |m, w| m.max(*w));
            for r in &ranges {
                let w: f64 = weights[r.clone()].iter().sum();
                assert!(w <= total / ranges.len() as f64 + heaviest, "{r:?}: {w} of {total}");
            }
        }
        assert_eq!(balanced(&[1.0; 9], 3), [0..3, 3..6, 6..9]);
    }
}
