//! A resource as the store holds it: the newest version, stamped with the store-wide
//! generation at which it was stored. A derivation remembers the generations it read, so
//! it can tell that nothing it depends on moved without comparing any content.

use std::ops::Deref;

#[derive(Debug, Clone)]
pub(crate) struct Held<T> {
    value: T,
    generation: Generation,
}

/// Store-wide and only ever increasing: a resource dropped and stored again gets a new one.
/// Zero stands for "not held".
pub(crate) type Generation = u64;

impl<T> Held<T> {
    pub(crate) fn new(value: T, generation: Generation) -> Self {
        Held { value, generation }
    }

    pub(crate) fn generation(&self) -> Generation {
        self.generation
    }

    pub(crate) fn replace(&mut self, value: T, generation: Generation) {
        self.value = value;
        self.generation = generation;
    }
}

impl<T> Deref for Held<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// The generation of what an optional lookup found.
pub(crate) fn generation_of<T>(held: Option<&Held<T>>) -> Generation {
    held.map_or(0, Held::generation)
}
