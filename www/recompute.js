// @ts-check
// When to recompute: at once on an edit, at most once per animation frame; a burst of slider
// events coalesces into one more run on the next frame.

/** Returns `schedule()`, which calls `run` under that rule.
 * @param {() => unknown} run */
export function perFrame(run) {
  let ranThisFrame = false;
  let pending = false;
  function schedule() {
    if (ranThisFrame) {
      pending = true;
      return;
    }
    ranThisFrame = true;
    requestAnimationFrame(() => {
      ranThisFrame = false;
      if (pending) {
        pending = false;
        schedule();
      }
    });
    run();
  }
  return schedule;
}
