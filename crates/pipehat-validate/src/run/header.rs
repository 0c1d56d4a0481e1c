//! The header's checks: the version checked against (MSH-12, or the caller's), and the message
//! type, trigger event and structure MSH-9 names, which choose the structure checked.

use pipehat::{Message, Path};
use pipehat_dict::{Dictionary, Version};

use super::Run;
use crate::location::At;
use crate::options::Options;

/// MSH-`field`, or with `component` that component of its first repetition.
fn msh_path(field: usize, component: Option<usize>) -> Path {
    match component {
        Some(component) => Path::new("MSH", 1, &[field, 1, component]),
        None => Path::new("MSH", 1, &[field]),
    }
    .expect("MSH and numbers from 1 make a path")
}

/// MSH-`field`.`component` as text; empty where the message lacks it.
fn msh_text(message: &Message<'_>, field: usize, component: usize) -> String {
    message
        .get(&msh_path(field, Some(component)))
        .map(|element| element.text().into_owned())
        .unwrap_or_default()
}

/// The version to check against, MSH-12 as written, and — when MSH-12 named a version — the
/// note of how it resolved.
///
/// [`Version::of_message`] resolves the same MSH-12 to the same version (the test below holds
/// it to that), but gives neither the text as written nor the note the findings quote, and
/// falls back to the latest version where this falls back to the caller's: so MSH-12 is read
/// here, once, and resolved as `of_message` resolves it.
pub(crate) fn choose_version(
    message: &Message<'_>,
    options: &Options<'_>,
) -> (Version, String, Option<Option<String>>) {
    let written = msh_text(message, 12, 1);
    let resolution = Version::resolve(&written);
    let version = match (options.version, &resolution) {
        (Some(version), _) => version,
        (None, Some(resolution)) => resolution.version,
        (None, None) => options
            .dictionary
            .map_or(Version::LATEST, Dictionary::version),
    };
    (version, written, resolution.map(|r| r.note))
}

impl<'m, 'a, 'o, 'c> Run<'m, 'a, 'o, 'c> {
    /// Where MSH-`field` (with `component`: its first repetition's) is, or the header when the
    /// message lacks it.
    fn msh_at(&self, field: usize, component: Option<usize>) -> At {
        let path = msh_path(field, component);
        let span = self.message.get(&path).map_or_else(
            || {
                self.message
                    .segments()
                    .next()
                    .map_or(self.message.span(), |s| s.span())
            },
            |e| e.span(),
        );
        At {
            path: Some(path.to_string()),
            segment: 1,
            span,
        }
    }

    pub(super) fn check_header(&mut self) {
        let (version, written, resolution) = choose_version(self.message, self.options);
        self.set_version(version);
        match (self.options.version, resolution) {
            (Some(_), _) => {}
            (None, Some(note)) => {
                if let Some(note) = note {
                    let at = self.msh_at(12, None);
                    self.report("msh.version-unknown", at, note, Some(&written));
                }
            }
            (None, None) => {
                let message = if written.is_empty() {
                    format!("MSH-12 Version ID is empty; checked against HL7 v{version}")
                } else {
                    format!(
                        "MSH-12 Version ID{} not an HL7 version; checked against HL7 v{version}",
                        self.quoted(&written)
                    )
                };
                let at = self.msh_at(12, None);
                self.report("msh.version-missing", at, message, Some(&written));
            }
        }

        let [message_type, event, named_structure] =
            [1, 2, 3].map(|n| msh_text(self.message, 9, n));
        let version = self.version;
        let by_event = version.event(&message_type, &event);
        if !named_structure.is_empty() {
            match version.structure(&named_structure) {
                None => {
                    let message = format!(
                        "MSH-9.3 Message Structure{} not a structure of HL7 v{version}",
                        self.quoted(&named_structure)
                    );
                    self.report(
                        "msh.structure-unknown",
                        self.msh_at(9, Some(3)),
                        message,
                        Some(&named_structure),
                    );
                }
                Some(structure) => {
                    if let Some(event) = by_event
                        && event.structure != structure.id
                    {
                        let message = format!(
                            "MSH-9.3 Message Structure {} differs from {}, the structure of {}^{} in HL7 v{version}",
                            structure.id, event.structure, event.message_type, event.trigger_event
                        );
                        self.report(
                            "msh.structure-mismatch",
                            self.msh_at(9, Some(3)),
                            message,
                            None,
                        );
                    }
                    self.structure = Some(structure);
                    return;
                }
            }
        }
        if let Some(structure) = version.structure_for(&message_type, &event) {
            self.structure = Some(structure);
            return;
        }
        let type_known = version.events().any(|e| e.message_type == message_type);
        if !type_known {
            let message = format!(
                "MSH-9.1 Message Type{} not a message type of HL7 v{version}; the structure is not checked",
                self.quoted(&message_type)
            );
            self.report(
                "msh.message-type-unknown",
                self.msh_at(9, Some(1)),
                message,
                Some(&message_type),
            );
        } else if named_structure.is_empty() {
            let message = format!(
                "MSH-9.2 Trigger Event{} not an event of {message_type} in HL7 v{version}; the structure is not checked",
                self.quoted(&event)
            );
            self.report(
                "msh.event-unknown",
                self.msh_at(9, Some(2)),
                message,
                Some(&event),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MSH-12 as senders write it: the version checked against is `Version::of_message`'s, the
    /// text as written is the first component's.
    #[test]
    fn msh12_resolves_as_the_dictionary_reads_a_message() {
        for (msh12, written) in [
            ("2.5.1", "2.5.1"),
            ("2.5.1^USA^ISO3166", "2.5.1"),
            ("2.4&x", "2.4&x"),
            ("&2.4", "&2.4"),
            (" v2.3.0 ", " v2.3.0 "),
            ("2.4.1", "2.4.1"),
            ("2.9", "2.9"),
            ("3", "3"),
            ("2.5\\T\\1", "2.5&1"),
            ("x", "x"),
            ("", ""),
            ("~2.5", ""),
        ] {
            let input = format!("MSH|^~\\&|A|B|||1||ADT^A01|1|P|{msh12}\r");
            let message = Message::parse(input.as_bytes()).expect("a message");
            let (version, text, _) = choose_version(&message, &Options::default());
            assert_eq!(version, Version::of_message(&message), "{msh12}");
            assert_eq!(text, written, "{msh12}");
        }
        let without = Message::parse(b"MSH|^~\\&|A|B|||1||ADT^A01|1|P\r").expect("a message");
        assert_eq!(choose_version(&without, &Options::default()).1, "");
    }
}
