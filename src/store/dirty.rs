//! Which conferences one input touched, and how far. A participant is made from its leg's
//! resources (conferencecall, call, agent, the commands and hold aimed at them), the room's
//! membership history, and the time; re-deriving a room reads again only what moved.

use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    /// Anything may have moved: every leg is looked up again.
    Whole,
    /// The room's own snapshot moved: who is listed, and since when.
    Room,
    /// A resource of this leg moved.
    Leg(Uuid),
    /// Only the time: timers fell due.
    Time,
}

#[derive(Default)]
pub(crate) struct Dirty(Vec<(Uuid, Mark)>);

/// What a conference's re-derivation must read again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    pub(crate) whole: bool,
    pub(crate) room: bool,
    /// Legs whose resources moved (sorted).
    legs: Vec<Uuid>,
}

impl Dirty {
    pub(crate) fn mark(&mut self, conference: Uuid) {
        self.0.push((conference, Mark::Whole));
    }

    pub(crate) fn mark_room(&mut self, conference: Uuid) {
        self.0.push((conference, Mark::Room));
    }

    pub(crate) fn mark_leg(&mut self, conference: Uuid, leg: Uuid) {
        self.0.push((conference, Mark::Leg(leg)));
    }

    pub(crate) fn mark_time(&mut self, conference: Uuid) {
        self.0.push((conference, Mark::Time));
    }

    /// Each conference once, in id order, with what to read again.
    pub(crate) fn into_scopes(mut self) -> Vec<(Uuid, Scope)> {
        self.0.sort_unstable();
        self.0.dedup();
        let mut scopes: Vec<(Uuid, Scope)> = Vec::new();
        for (conference, mark) in self.0 {
            if scopes.last().is_none_or(|(last, _)| *last != conference) {
                scopes.push((conference, Scope::default()));
            }
            let scope = &mut scopes.last_mut().expect("just pushed").1;
            match mark {
                Mark::Whole => scope.whole = true,
                Mark::Room => scope.room = true,
                Mark::Leg(leg) => scope.legs.push(leg),
                Mark::Time => {}
            }
        }
        scopes
    }
}

impl Scope {
    pub(crate) const WHOLE: Scope = Scope {
        whole: true,
        room: false,
        legs: Vec::new(),
    };

    /// Whether the leg's resources must be looked up again.
    pub(crate) fn looks_up(&self, leg: Uuid) -> bool {
        self.whole || self.legs.binary_search(&leg).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_gather_per_room() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let (x, y) = (Uuid::from_u128(10), Uuid::from_u128(11));
        let mut dirty = Dirty::default();
        dirty.mark_leg(a, y);
        dirty.mark_leg(b, x);
        dirty.mark_leg(a, x);
        dirty.mark(b);
        dirty.mark_room(a);
        dirty.mark_leg(a, y);
        dirty.mark_time(c);
        let scopes = dirty.into_scopes();
        let ids: Vec<Uuid> = scopes.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [a, b, c]);
        let (room_a, whole_b, time_c) = (&scopes[0].1, &scopes[1].1, &scopes[2].1);
        assert!(room_a.room && !room_a.whole);
        assert!(room_a.looks_up(x) && room_a.looks_up(y) && !room_a.looks_up(c));
        assert!(whole_b.whole && whole_b.looks_up(y));
        assert_eq!(time_c, &Scope::default());
    }
}
