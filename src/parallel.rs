//! Independent pieces of work spread over every core natively (rayon), and done one after
//! another in wasm (one thread per worker). Either way the results come back in input order and
//! each is computed by the same code, with nothing summed across pieces, so they are
//! bit-identical whatever the number of threads.

/// `f` of each item, in the items' order.
#[cfg(not(target_arch = "wasm32"))]
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    items.par_iter().map(f).collect()
}

/// `f` of each item, in the items' order.
#[cfg(target_arch = "wasm32")]
pub fn map<T, R>(items: &[T], f: impl Fn(&T) -> R) -> Vec<R> {
    items.iter().map(f).collect()
}

/// How many items to hand out between two progress reports: four per thread natively, so that
/// no core waits long behind a slow item; one in wasm, so that progress moves with each.
pub fn batch() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    return 4 * rayon::current_num_threads();
    #[cfg(target_arch = "wasm32")]
    return 1;
}
