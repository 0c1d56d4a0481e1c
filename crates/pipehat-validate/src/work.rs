//! Counters of the work validation does, in the crate's own tests only (to show it is linear in
//! the input without timing anything); nothing at all otherwise.

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// Bytes split into parts by [`Walk::split`](crate::walk::Walk::split).
    Split,
    /// Bytes a [`LineCursor`](pipehat::position::LineCursor) counts at most to find a
    /// finding's line:column after the one before.
    Located,
    /// Findings located.
    Locations,
    /// Segment ids compared to count a segment's occurrence (at most).
    IdsCompared,
}

#[cfg(test)]
thread_local! {
    static COUNTS: std::cell::Cell<[usize; 4]> = const { std::cell::Cell::new([0; 4]) };
}

#[cfg(test)]
pub(crate) fn count(kind: Kind, n: usize) {
    COUNTS.with(|counts| {
        let mut all = counts.get();
        all[kind as usize] += n;
        counts.set(all);
    });
}

#[cfg(not(test))]
#[inline(always)]
pub(crate) fn count(_: Kind, _: usize) {}

/// The counts since the last call, in [`Kind`]'s order.
#[cfg(test)]
pub(crate) fn take() -> [usize; 4] {
    COUNTS.with(|counts| counts.replace([0; 4]))
}
