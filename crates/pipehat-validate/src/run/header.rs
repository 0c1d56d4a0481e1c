//! The header's checks: the version checked against (MSH-12, or the caller's), and the message
//! type, trigger event and structure MSH-9 names, which choose the structure checked.

use pipehat::Message;
use pipehat_dict::{Dictionary, Version};

use super::Run;
use crate::location::At;
use crate::options::Options;

/// `MSH-field.component` as text (what `Message::get` gives for that path, without parsing
/// one); empty where the message lacks it.
fn msh_component(message: &Message<'_>, field: usize, component: usize) -> String {
    message
        .segment(b"MSH")
        .and_then(|msh| msh.field(field))
        .and_then(|f| f.repetition(1))
        .and_then(|r| r.component(component))
        .map(|c| c.text().into_owned())
        .unwrap_or_default()
}

/// The version to check against, MSH-12 as written, and — when MSH-12 named a version — the
/// note of how it resolved.
pub(crate) fn choose_version(
    message: &Message<'_>,
    options: &Options<'_>,
) -> (Version, String, Option<Option<String>>) {
    let written = msh_component(message, 12, 1);
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
    fn msh_at(&self, path: &str) -> At {
        let parsed: pipehat::Path = path.parse().expect("a fixed MSH path");
        let span = self.message.get(&parsed).map_or_else(
            || {
                self.message
                    .segments()
                    .next()
                    .map_or(self.message.span(), |s| s.span())
            },
            |e| e.span(),
        );
        At {
            path: Some(parsed.to_string()),
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
                    let at = self.msh_at("MSH-12");
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
                let at = self.msh_at("MSH-12");
                self.report("msh.version-missing", at, message, Some(&written));
            }
        }

        let msh9 = self
            .message
            .segment(b"MSH")
            .and_then(|msh| msh.field(9))
            .and_then(|f| f.repetition(1));
        let [message_type, event, named_structure] = [1, 2, 3].map(|n| {
            msh9.and_then(|r| r.component(n))
                .map(|c| c.text().into_owned())
                .unwrap_or_default()
        });
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
                        self.msh_at("MSH-9.3"),
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
                            self.msh_at("MSH-9.3"),
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
                self.msh_at("MSH-9.1"),
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
                self.msh_at("MSH-9.2"),
                message,
                Some(&event),
            );
        }
    }
}
