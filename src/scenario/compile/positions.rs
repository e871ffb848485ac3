//! Where in the text a problem is. Compiled values carry no positions, so each check finds
//! its place again: a top-level field, an entry of a list, a name within an item.

use super::Compiler;
use crate::scenario::locate::{quoted, Position};

impl Compiler<'_> {
    /// Where a top-level field (`steps`, `metrics`, ...) is written: the word itself, at
    /// the top level of the file, not the same letters inside a longer word (`ties` inside
    /// `affinities` put every share-total problem on the affinities' line) nor a field of
    /// the same name inside an item (a state's `name` is not the scenario's).
    pub(super) fn top_field(&self, field: &str) -> Option<Position> {
        self.top_field_offset(field).map(|at| self.loc.position(at))
    }

    /// The byte offset of [`Self::top_field`].
    pub(super) fn top_field_offset(&self, field: &str) -> Option<usize> {
        self.loc.top_field(field)
    }

    /// Where each item of the top-level list `list` (`events`, `outcomes`) called by
    /// `names` (in order) starts: found by the list's structure (`Locator::list_item`). A
    /// search from the start of the file for each item's name (its first mention, maybe in
    /// an earlier item) put problems at the wrong item and cost seconds for a thousand
    /// items, and never found a name written as a raw string.
    pub(super) fn item_anchors<'n>(
        &self,
        list: &str,
        names: impl ExactSizeIterator<Item = &'n str>,
    ) -> Vec<Option<usize>> {
        let count = names.len();
        names
            .enumerate()
            .map(|(i, name)| self.loc.list_item(list, i, name, count))
            .collect()
    }

    /// Where item `index` of the list of `what`s (`state` -> `states: [...]`), called
    /// `name`, is named; `count` items are compiled.
    pub(super) fn defined_at(
        &self,
        what: &str,
        index: usize,
        name: &str,
        count: usize,
    ) -> Option<Position> {
        let item = self.loc.list_item(&format!("{what}s"), index, name, count);
        self.named_at(item)
    }

    /// Where the item at `anchor` is named (its `name:` value), as a position.
    pub(super) fn named_at(&self, anchor: Option<usize>) -> Option<Position> {
        anchor.map(|a| self.loc.position(self.loc.item_name(a)))
    }

    /// Where the next `(a, b, ...)` entry of a list is written, searched from `cursor`,
    /// which then moves past it: entries are met in file order, so each search starts where
    /// the last one ended (linear in the file, and a repeated pair finds its own entry).
    pub(super) fn next_entry(
        &self,
        cursor: &mut Option<usize>,
        a: &str,
        b: &str,
    ) -> Option<Position> {
        let first = self.loc.name_from((*cursor)?, a)?;
        let second = self.loc.name_from(first + quoted(a).len(), b)?;
        *cursor = Some(second + quoted(b).len());
        Some(self.loc.position(first))
    }

    /// Where `name` is first written at or after `anchor` (an item's start), or None.
    pub(super) fn near(&self, anchor: Option<usize>, name: &str) -> Option<Position> {
        let at = self.loc.name_from(anchor?, name)?;
        Some(self.loc.position(at))
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::locate::Position;

    use super::super::tests::compiler;

    #[test]
    fn entries_are_found_in_order_even_when_repeated() {
        let text = "(\n stances: [(\"A\", \"B\", 1),\n  (\"A\", \"B\", 2)],\n)";
        let c = compiler(text);
        let mut cursor = c.loc.find_from(0, "stances");
        let first = c.next_entry(&mut cursor, "A", "B");
        let second = c.next_entry(&mut cursor, "A", "B");
        assert_eq!(
            first,
            Some(Position {
                line: 2,
                column: 13
            })
        );
        assert_eq!(second, Some(Position { line: 3, column: 4 }));
        assert_eq!(c.next_entry(&mut cursor, "A", "B"), None);
        assert_eq!(c.next_entry(&mut None, "A", "B"), None);
    }

    /// `ties` was found inside `affinities`, which comes first in a file.
    #[test]
    fn a_top_field_is_not_found_inside_a_longer_word() {
        let c = compiler("(\n affinities: [],\n description: \"ties\",\n ties : [],\n)");
        assert_eq!(c.top_field("ties"), Some(Position { line: 4, column: 2 }));
        assert_eq!(c.top_field("nothing"), None);
    }

    #[test]
    fn a_name_near_an_item_is_the_first_after_its_start() {
        let c = compiler("\"A\" x \"A\"");
        assert_eq!(c.near(Some(1), "A"), Some(Position { line: 1, column: 7 }));
        assert_eq!(c.near(None, "A"), None);
    }
}
