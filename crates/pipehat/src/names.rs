//! Names for elements: the hook through which a dictionary names what the parser found.
//!
//! The core knows HL7's syntax, not its vocabulary. A dictionary (`pipehat-dict`) implements
//! [`Names`]; the readable JSON ([`crate::json::Named`]) and the viewer take one when they have
//! it, so the core never depends on the dictionary.

/// Names segments, fields, components and subcomponents, e.g. `PID` → "Patient
/// Identification", PID-5.1 → "Family Name". `None` where the names are unknown.
///
/// ```
/// use pipehat::names::Names;
///
/// struct Tiny;
/// impl Names for Tiny {
///     fn segment_name(&self, segment: &str) -> Option<&str> {
///         (segment == "PID").then_some("Patient Identification")
///     }
///     fn element_name(&self, segment: &str, field: usize, component: Option<usize>,
///                     subcomponent: Option<usize>) -> Option<&str> {
///         match (segment, field, component, subcomponent) {
///             ("PID", 5, None, None) => Some("Patient Name"),
///             ("PID", 5, Some(1), None) => Some("Family Name"),
///             _ => None,
///         }
///     }
/// }
/// assert_eq!(Tiny.element_name("PID", 5, Some(1), None), Some("Family Name"));
/// ```
pub trait Names {
    /// The segment's name.
    fn segment_name(&self, segment: &str) -> Option<&str>;

    /// The name of field `field` of `segment`, or of its component (and subcomponent) when
    /// those are given. Numbers are 1-based, as in paths.
    fn element_name(
        &self,
        segment: &str,
        field: usize,
        component: Option<usize>,
        subcomponent: Option<usize>,
    ) -> Option<&str>;
}

impl<N: Names + ?Sized> Names for &N {
    fn segment_name(&self, segment: &str) -> Option<&str> {
        (**self).segment_name(segment)
    }

    fn element_name(
        &self,
        segment: &str,
        field: usize,
        component: Option<usize>,
        subcomponent: Option<usize>,
    ) -> Option<&str> {
        (**self).element_name(segment, field, component, subcomponent)
    }
}
