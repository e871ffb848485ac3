//! Numbers a study's messages quote are shown in a bounded form (`format::Num`): 1e300,
//! not its 301 digits.

use crate::common;

use common::{exits, scenario};

// Defect (issue 21, 5): `--param eta=0:1e300:3` was refused with a message that printed
// all 301 digits of its HI, and `eta=1e300:2e300:1` with all of LO's. Now both are shown
// in scientific form.
#[test]
fn a_huge_number_in_a_sweep_message_prints_all_of_its_digits() {
    let visit = scenario("putin_visit.ron");
    for (param, shown) in [
        ("eta=0:1e300:3", "0..1e300"),
        ("eta=1e300:2e300:1", "(1e300:1e300:1)"),
    ] {
        let err = exits(2, &[&"sweep", &visit, &"--param", &param, &"-n", &"10"]);
        assert!(err.contains(shown), "{err}");
        assert!(!err.contains("0000000000"), "{err}");
    }
}
