//! Counts the steps of the anonymizer's own loops, in tests only, so that a test can check
//! that the work grows linearly with a part of the input without timing anything (see
//! `linear_work` in `anonymizer.rs`). Outside tests, counting is nothing.

#[cfg(test)]
use std::cell::Cell;

#[cfg(test)]
thread_local!(static STEPS: Cell<u64> = const { Cell::new(0) });

/// Counts `n` steps.
#[cfg(test)]
pub fn add(n: usize) {
    STEPS.with(|steps| steps.set(steps.get() + n as u64));
}

/// The steps counted on this thread since the last call.
#[cfg(test)]
pub fn take() -> u64 {
    STEPS.with(|steps| steps.replace(0))
}

/// Outside tests: nothing.
#[cfg(not(test))]
#[inline(always)]
pub fn add(_: usize) {}
