//! The rest of the world, `Others` (`model::others`), as the file names it: a supplier in
//! ties, share effects and share metrics; never a state.

use super::names::Among;
use super::Compiler;
use crate::format::Num;
use crate::model::{Others, OTHERS};
use crate::scenario::file::{Change as ChangeDef, ScenarioFile};
use crate::scenario::locate::Position;
use crate::scenario::spelling::quoted_name;

impl Compiler<'_> {
    /// A recipient and its supplier, e.g. the ends of a tie: two distinct states, or a state
    /// and the rest of the world, whose index is the recipient's own (`model::others`).
    pub(super) fn supply(
        &mut self,
        recipient: &str,
        supplier: &str,
        what: &str,
        at: Option<Position>,
    ) -> Option<(usize, usize)> {
        if supplier != OTHERS && !self.state_index.contains_key(supplier) {
            // A misspelt supplier may be the rest of the world's name ("Otters"): it is
            // measured against `Others` too, a valid name here and nowhere else.
            match recipient {
                OTHERS => self.not_a_state(at, what),
                _ => _ = self.state(recipient),
            }
            let mut suppliers = self.names.states.clone();
            suppliers.push(OTHERS);
            // Placed where it supplies: its first mention may be a stance's, where the
            // suggestion of `Others` would be wrong.
            // A supplier misspelt as its recipient is (`Tie(from: "Othrs", to: "Othrs")`)
            // is the second of the two: the first is the recipient's.
            let offset = at.map(|p| self.loc.offset(p));
            let mut at = offset.and_then(|o| self.loc.name_from(o, supplier));
            if supplier == recipient {
                at = at.and_then(|o| self.loc.name_from(o + 1, supplier));
            }
            let at = at.map(|o| self.loc.position(o));
            self.lookup_among(Among::Suppliers, supplier, &suppliers, at);
            return None;
        }
        if supplier != OTHERS {
            return self.pair(recipient, supplier, what, at);
        }
        self.others_named = true;
        if recipient == OTHERS {
            self.not_a_state(at, what);
            return None;
        }
        let i = self.state(recipient)?;
        Some((i, i))
    }

    /// `Others` written where a state is needed (a stance, an affinity, a recipient...).
    pub(super) fn not_a_state(&mut self, at: Option<Position>, what: &str) {
        let at = at.or_else(|| self.loc.name(OTHERS));
        self.problem(
            at,
            format!(
                "{what} names \"{OTHERS}\", the rest of the world: it supplies shares (ties, \
                 Share effects and metrics, as the supplier) but is not a state, so it has no \
                 stance, affinity, partnership or needs of its own"
            ),
        );
    }

    /// A state defined with the reserved name, at its definition.
    pub(super) fn reserved_state_name(&mut self, at: Option<Position>) {
        self.problem(
            at,
            format!(
                "a state may not be called \"{OTHERS}\": the name is reserved for the rest of \
                 the world, a supplier in every channel; name the state after the country"
            ),
        );
    }

    /// The rest of the world of a file that names it (`others_named`, set as ties, effects
    /// and metrics are compiled, or the `others` field), with its attractiveness checked.
    pub(super) fn others(&mut self, f: &ScenarioFile) -> Option<Others> {
        let attractiveness = match &f.others {
            Some(def) => {
                let x = def.attractiveness;
                if !(x.is_finite() && (-1.0..=1.0).contains(&x)) {
                    let at = self.top_field("others");
                    self.problem(
                        at,
                        format!(
                            "others: `attractiveness` is a stance-like pull in [-1, 1], got {}",
                            Num(x)
                        ),
                    );
                }
                x
            }
            None => 0.0,
        };
        (self.others_named || f.others.is_some()).then_some(Others { attractiveness })
    }
}

impl Compiler<'_> {
    /// A `Gain` or `Lose` moves a part of a recipient's need: a number in [0, 1] (a range is
    /// checked where it is drawn, `Compiler::event`).
    pub(super) fn shift_amount(&mut self, event: &str, change: &ChangeDef, at: Option<Position>) {
        let (ChangeDef::Gain(x, _) | ChangeDef::Lose(x, _)) = change else {
            return;
        };
        if let Some(x) = x.fixed() {
            if !(0.0..=1.0).contains(&x) {
                let at = at.or_else(|| self.loc.name(event));
                self.problem(
                    at,
                    format!(
                        "event {}: a Gain or Lose moves a part of the recipient's need, a \
                         number in [0, 1], got {}",
                        quoted_name(event),
                        Num(x)
                    ),
                );
            }
        }
    }

    /// `Gain` and `Lose` move a row of shares: refused in any other effect, at the effect
    /// when it can be found (`at`), else at its event.
    pub(super) fn shift_of_a_share_only(
        &mut self,
        event: &str,
        change: &ChangeDef,
        at: Option<Position>,
    ) {
        if matches!(change, ChangeDef::Gain(..) | ChangeDef::Lose(..)) {
            let at = at.or_else(|| self.loc.name(event));
            self.problem(
                at,
                format!(
                    "event {}: Gain and Lose shift a supplier's share (Share or TransientShare); \
                     use Add, Scale or Set for a stance, an affinity or a parameter",
                    quoted_name(event)
                ),
            );
        }
    }
}
