//! A flag given to a command that does not take it, though other commands do.

use crate::common;

/// Regression (issue 24's last trial): `simulate sensitivity FILE --records` was answered
/// with clap's tip "a similar argument exists: '--trajectories'". Now, still exit 2 before
/// any work: which commands take `--records`, and why a study does not.
#[test]
fn records_given_to_sensitivity_says_which_commands_take_it_not_trajectories() {
    let file = common::scenario("baseline.ron");
    let err = common::exits(2, &[&"sensitivity", &file, &"--records"]);
    assert!(!err.contains("--trajectories"), "{err}");
    assert!(
        err.contains("`--records` is not a flag of `simulate sensitivity`"),
        "{err}"
    );
    for taker in [
        "`simulate FILE` (a run)",
        "`simulate compare`",
        "`simulate score`",
        "`--shard`",
    ] {
        assert!(err.contains(taker), "{taker}: {err}");
    }
    assert!(!err.contains("`simulate sweep`"), "{err}");
    // A flag no command takes keeps clap's answer.
    let err = common::exits(2, &[&"sensitivity", &file, &"--recordz"]);
    assert!(err.contains("unexpected argument"), "{err}");
}
