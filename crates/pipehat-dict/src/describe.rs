//! Names and types for any element a path points at.

use core::fmt;

use crate::{DataTypeDef, ElementDef, SegmentDef, Version};

/// What the dictionary knows of the element a [`pipehat::Path`] points at: the segment, and
/// the field, component and subcomponent definitions down to the path's depth. A level the
/// dictionary does not know (a Z-segment not added, a component past the data type's last, a
/// component of a primitive) is `None`, and so is everything below it.
#[derive(Debug, Clone)]
pub struct Description<'d> {
    /// The path described.
    pub path: pipehat::Path,
    /// The segment's definition.
    pub segment: Option<SegmentDef<'d>>,
    /// The field's definition, when the path names a field or something inside one.
    pub field: Option<ElementDef<'d>>,
    /// The component's definition, when the path names one and the field's type has it.
    pub component: Option<ElementDef<'static>>,
    /// The subcomponent's definition, when the path names one and the component's type has it.
    pub subcomponent: Option<ElementDef<'static>>,
}

impl<'d> Description<'d> {
    pub(crate) fn new(
        path: pipehat::Path,
        segment: Option<SegmentDef<'d>>,
        version: Version,
    ) -> Self {
        let field = path.field().and_then(|n| segment.as_ref()?.field(n));
        let component = component_of(
            version,
            field.as_ref().map(|f| f.data_type),
            path.component(),
        );
        let subcomponent = component_of(
            version,
            component.as_ref().map(|c| c.data_type),
            path.subcomponent(),
        );
        Description {
            path,
            segment,
            field,
            component,
            subcomponent,
        }
    }

    /// The names from the field down, joined with " / ": "Patient Address / Zip or Postal
    /// Code" for `PID-11.5`. The segment's name for a path that names only a segment; empty when
    /// the dictionary knows nothing of it.
    #[must_use]
    pub fn label(&self) -> String {
        let names: Vec<&str> = [
            self.field.as_ref().map(|f| f.name),
            self.component.as_ref().map(|c| c.name),
            self.subcomponent.as_ref().map(|s| s.name),
        ]
        .into_iter()
        .flatten()
        .filter(|name| !name.is_empty())
        .collect();
        if names.is_empty() && self.path.field().is_none() {
            return self
                .segment
                .as_ref()
                .map(|s| s.name.to_owned())
                .unwrap_or_default();
        }
        names.join(" / ")
    }

    /// The data type of the deepest element described, e.g. `ST` for `PID-11.5`.
    #[must_use]
    pub fn data_type(&self) -> Option<&str> {
        [
            self.subcomponent.as_ref().map(|s| s.data_type),
            self.component.as_ref().map(|c| c.data_type),
            self.field.as_ref().map(|f| f.data_type),
        ]
        .into_iter()
        .flatten()
        .find(|t| !t.is_empty())
    }

    /// The table of the deepest element described, if it has one.
    #[must_use]
    pub fn table(&self) -> Option<u16> {
        match (&self.subcomponent, &self.component, &self.field) {
            (Some(s), _, _) => s.table,
            (None, Some(c), _) => c.table,
            (None, None, Some(f)) => f.table,
            _ => None,
        }
    }
}

/// "PID-7 Date/Time of Birth (TS)": the path, the label and the type, as a tooltip shows them.
impl fmt::Display for Description<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        let label = self.label();
        if !label.is_empty() {
            write!(f, " {label}")?;
        }
        if let Some(data_type) = self.data_type() {
            write!(f, " ({data_type})")?;
        }
        Ok(())
    }
}

fn component_of(
    version: Version,
    data_type: Option<&str>,
    position: Option<usize>,
) -> Option<ElementDef<'static>> {
    let data_type: DataTypeDef = version.data_type(data_type?)?;
    data_type.component(position?)
}

impl Version {
    /// Names and types for the element a path points at, e.g. `PID-11[1].5` → "Patient
    /// Address / Zip or Postal Code" (ST). Occurrence and repetition do not change the answer.
    #[must_use]
    pub fn describe(self, path: &pipehat::Path) -> Description<'static> {
        Description::new(*path, self.segment(path.segment()), self)
    }
}

/// Names from the standard definitions of a version.
impl pipehat::names::Names for Version {
    fn segment_name(&self, segment: &str) -> Option<&str> {
        self.segment(segment).map(|s| s.name)
    }

    fn element_name(
        &self,
        segment: &str,
        field: usize,
        component: Option<usize>,
        subcomponent: Option<usize>,
    ) -> Option<&str> {
        let field = self.field(segment, field)?;
        element_name(*self, field, component, subcomponent)
    }
}

/// Names from the standard definitions and the segments added to the dictionary.
impl pipehat::names::Names for crate::Dictionary {
    fn segment_name(&self, segment: &str) -> Option<&str> {
        self.segment(segment).map(|s| s.name)
    }

    fn element_name(
        &self,
        segment: &str,
        field: usize,
        component: Option<usize>,
        subcomponent: Option<usize>,
    ) -> Option<&str> {
        let field = self.field(segment, field)?;
        element_name(self.version(), field, component, subcomponent)
    }
}

fn element_name<'d>(
    version: Version,
    field: ElementDef<'d>,
    component: Option<usize>,
    subcomponent: Option<usize>,
) -> Option<&'d str> {
    let Some(component) = component else {
        return Some(field.name);
    };
    let component = component_of(version, Some(field.data_type), Some(component))?;
    match subcomponent {
        None => Some(component.name),
        Some(sub) => Some(component_of(version, Some(component.data_type), Some(sub))?.name),
    }
}
