//! Choice groups as written: events that name the same `choice` (`model::choice`).

use std::collections::BTreeMap;

use super::Compiler;
use crate::model::{Choice, Event};
use crate::scenario::file::ScenarioFile;
use crate::scenario::spelling::quoted_name;

impl Compiler<'_> {
    /// Gives each event of a choice group the group, once every event is compiled. A group
    /// of one event is refused (it chooses nothing: a misspelt group name, most likely), as
    /// is a member that says `repeat: true` (a choice is made once).
    pub(super) fn choices(
        &mut self,
        f: &ScenarioFile,
        events: &mut [Event],
        anchors: &[Option<usize>],
    ) {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (e, def) in f.events.iter().enumerate() {
            if let Some(group) = &def.choice {
                groups.entry(group.as_str()).or_default().push(e);
            }
        }
        for (group, members) in groups {
            let first = members[0];
            let anchor = anchors.get(first).copied().flatten();
            if group.trim().is_empty() {
                let at = self.loc.field_after(anchor, "choice");
                self.problem(at, "a choice group needs a name".into());
            } else if let [only] = members[..] {
                // Not for a nameless group as well: its one line is at the same place.
                let at = self.loc.field_after(anchor, "choice");
                let others = f.events.iter().filter_map(|e| e.choice.as_deref());
                let hint =
                    crate::scenario::spelling::suggestion(group, others.filter(|&g| g != group))
                        .map(|g| format!(" — did you mean {}?", quoted_name(g)))
                        .unwrap_or_default();
                self.problem(
                    at,
                    format!(
                        "choice group {} has one event, {}: a choice needs two or more \
                         events that name it{hint}",
                        quoted_name(group),
                        quoted_name(&f.events[only].name)
                    ),
                );
            }
            for &m in &members {
                if f.events[m].repeat == Some(true) {
                    let at = self
                        .loc
                        .field_after(anchors.get(m).copied().flatten(), "repeat");
                    self.problem(
                        at,
                        format!(
                            "event {} is in choice group {}, which fires once: remove \
                             `repeat: true`",
                            quoted_name(&f.events[m].name),
                            quoted_name(group)
                        ),
                    );
                }
                if let Some(event) = events.get_mut(m) {
                    event.repeat = false;
                    event.choice = Some(Choice {
                        group: group.to_string(),
                        members: members.clone(),
                    });
                }
            }
        }
    }
}
