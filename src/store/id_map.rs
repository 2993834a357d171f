//! Maps and sets keyed by platform ids. SipHash costs more than the rest of a lookup; a
//! fast hash with a per-process random seed (foldhash) is as quick as an unseeded one and
//! still keeps a server from choosing ids that all land in one bucket.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

pub(crate) type IdMap<V> = HashMap<Uuid, V, foldhash::fast::RandomState>;
pub(crate) type IdSet = HashSet<Uuid, foldhash::fast::RandomState>;
