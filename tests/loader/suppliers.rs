//! A supplier of a share, as the loader reads it: a state or `Others`, the rest of the world.

use crate::common;

use common::{data, read};

// Defect (hostile review): `Share("A", "Otters", "aid", ...)` got "unknown state" and the
// list of states, never the "did you mean" for `Others`, a valid name for a supplier.
#[test]
fn a_misspelt_supplier_is_offered_others() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace(
        "effects: [Share(\"A\", \"B\", \"aid\", Add(0.3))",
        "effects: [Share(\"A\", \"Otters\", \"aid\", Add(0.3))",
    );
    assert!(text.contains("Otters"));
    let file = common::write(dir.path(), "otters.ron", &text);
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("otters.ron:39:36:"), "{err}");
    assert!(err.contains("did you mean \"Others\"?"), "{err}");
}
