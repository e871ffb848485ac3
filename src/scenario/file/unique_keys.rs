//! A map of the file whose keys must differ. RON keeps the last of two equal keys without a
//! word: `groups: {"a": [...], "a": [...]}` silently dropped a group, and
//! `beta: {"aid": 1.5, "aid": 2.0}` a value. A key written twice is refused where it is
//! written the second time.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

use crate::scenario::spelling::quoted_name;

/// Reads a map of names, refusing a name written twice.
pub fn unique<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    deserializer.deserialize_map(Unique(PhantomData))
}

struct Unique<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for Unique<V> {
    type Value = BTreeMap<String, V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of names, e.g. {\"aid\": 1.5}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut names = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            if names.contains_key(&name) {
                return Err(A::Error::custom(format!(
                    "{} is written twice in this map: write it once (the second would \
                     silently replace the first)",
                    quoted_name(&name)
                )));
            }
            let value = map.next_value()?;
            names.insert(name, value);
        }
        Ok(names)
    }
}
