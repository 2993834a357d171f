//! A sorted multiset kept in short sorted blocks (split when long, joined when thin):
//! insert, remove and rank cost a few hundred element moves instead of n, and reading a
//! window of rows starts at its block. The
//! overview keeps 10,000 rows and 40,000 alerts in these and re-keys only what changed.

/// Blocks split when they outgrow this; a block never stays empty.
const MAX_BLOCK: usize = 512;
/// A block this short joins its right neighbour when the two fit in one.
const MIN_BLOCK: usize = MAX_BLOCK / 4;
/// Blocks are this long when built from a sorted list.
const BUILT_BLOCK: usize = MAX_BLOCK / 2;

#[derive(Debug, Clone)]
pub(super) struct OrderedIndex<K> {
    blocks: Vec<Vec<K>>,
    len: usize,
}

impl<K> Default for OrderedIndex<K> {
    fn default() -> Self {
        OrderedIndex {
            blocks: Vec::new(),
            len: 0,
        }
    }
}

impl<K: Ord> OrderedIndex<K> {
    /// Builds from any list (sorted here).
    pub(super) fn from_unsorted(mut keys: Vec<K>) -> Self {
        keys.sort_unstable();
        let len = keys.len();
        let mut blocks = Vec::with_capacity(len.div_ceil(BUILT_BLOCK));
        let mut rest = keys.into_iter().peekable();
        while rest.peek().is_some() {
            blocks.push(rest.by_ref().take(BUILT_BLOCK).collect());
        }
        OrderedIndex { blocks, len }
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(super) fn insert(&mut self, key: K) {
        self.len += 1;
        if self.blocks.is_empty() {
            self.blocks.push(vec![key]);
            return;
        }
        let b = self.block_for(&key).min(self.blocks.len() - 1);
        let block = &mut self.blocks[b];
        let at = block.partition_point(|k| k < &key);
        block.insert(at, key);
        if block.len() > MAX_BLOCK {
            let upper = block.split_off(block.len() / 2);
            self.blocks.insert(b + 1, upper);
        }
    }

    /// Removes one key equal to `key`; whether there was one.
    pub(super) fn remove(&mut self, key: &K) -> bool {
        let Some((b, at)) = self.locate(key) else {
            return false;
        };
        let block = &mut self.blocks[b];
        block.remove(at);
        if block.is_empty() {
            self.blocks.remove(b);
        } else if block.len() < MIN_BLOCK && b + 1 < self.blocks.len() {
            // Keep blocks few under churn: a thin block joins its neighbour when both fit.
            if self.blocks[b].len() + self.blocks[b + 1].len() <= MAX_BLOCK {
                let next = self.blocks.remove(b + 1);
                self.blocks[b].extend(next);
            }
        }
        self.len -= 1;
        true
    }

    /// How many keys sort before `key`, if it is held.
    pub(super) fn rank(&self, key: &K) -> Option<usize> {
        let (b, at) = self.locate(key)?;
        Some(self.blocks[..b].iter().map(Vec::len).sum::<usize>() + at)
    }

    pub(super) fn get(&self, index: usize) -> Option<&K> {
        self.iter_from(index).next()
    }

    /// The keys in order, from the `index`-th on.
    pub(super) fn iter_from(&self, index: usize) -> impl Iterator<Item = &K> + '_ {
        let mut skip = index;
        let mut first = self.blocks.len();
        for (b, block) in self.blocks.iter().enumerate() {
            if skip < block.len() {
                first = b;
                break;
            }
            skip -= block.len();
        }
        self.blocks[first..]
            .iter()
            .enumerate()
            .flat_map(move |(i, block)| block[if i == 0 { skip } else { 0 }..].iter())
    }

    /// The first block whose last key is not below `key` (may be one past the end).
    fn block_for(&self, key: &K) -> usize {
        self.blocks
            .partition_point(|block| block.last().is_some_and(|last| last < key))
    }

    fn locate(&self, key: &K) -> Option<(usize, usize)> {
        let b = self.block_for(key);
        let block = self.blocks.get(b)?;
        let at = block.partition_point(|k| k < key);
        (block.get(at) == Some(key)).then_some((b, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u16),
        Remove(u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u16..3000).prop_map(Op::Insert),
            (0u16..3000).prop_map(Op::Remove),
        ]
    }

    proptest! {
        /// Whatever the inserts and removes, the index reads like a sorted list.
        #[test]
        fn behaves_like_a_sorted_list(
            start in proptest::collection::vec(0u16..3000, 0..1500),
            ops in proptest::collection::vec(op(), 0..3000),
            probes in proptest::collection::vec(0usize..4000, 1..20),
        ) {
            let mut index = OrderedIndex::from_unsorted(start.clone());
            let mut model = start;
            model.sort_unstable();
            for op in ops {
                match op {
                    Op::Insert(k) => {
                        index.insert(k);
                        let at = model.partition_point(|m| *m < k);
                        model.insert(at, k);
                    }
                    Op::Remove(k) => {
                        let held = model.binary_search(&k).ok();
                        prop_assert_eq!(index.remove(&k), held.is_some());
                        if let Some(at) = held {
                            model.remove(model.partition_point(|m| *m < model[at]));
                        }
                    }
                }
            }
            prop_assert_eq!(index.len(), model.len());
            prop_assert_eq!(index.iter_from(0).copied().collect::<Vec<_>>(), model.clone());
            for probe in probes {
                prop_assert_eq!(index.get(probe), model.get(probe));
                prop_assert_eq!(
                    index.iter_from(probe).take(7).copied().collect::<Vec<_>>(),
                    model.iter().skip(probe).take(7).copied().collect::<Vec<_>>()
                );
                let key = probe as u16;
                let first = model.partition_point(|m| *m < key);
                let expected = (model.get(first) == Some(&key)).then_some(first);
                prop_assert_eq!(index.rank(&key), expected);
            }
            prop_assert!(index.blocks.iter().all(|b| !b.is_empty() && b.len() <= MAX_BLOCK));
        }
    }
}
