//! The hash tables generated lookups use, built with `errspec_core`'s hash and first slot:
//! the functions `errspec::__private` probes them with.

use errspec_core::slot;

/// An open-addressing table of `2^bits` slots, at most half full: each slot is `0` (empty) or
/// a key's index plus one, found by linear probing from [`slot`].
pub struct HashTable {
    /// log2 of the number of slots.
    pub bits: u32,
    /// The slots.
    pub slots: Vec<u32>,
}

impl HashTable {
    /// The table of keys with these hashes, in this order.
    pub fn new(hashes: &[u64]) -> Self {
        let keys: Vec<(usize, u64)> = hashes.iter().copied().enumerate().collect();
        Self::of(&keys)
    }

    /// The table of these keys: each key's index, with its hash.
    pub fn of(keys: &[(usize, u64)]) -> Self {
        let bits = (keys.len() * 2).next_power_of_two().max(2).trailing_zeros();
        let mask = (1usize << bits) - 1;
        let mut slots = vec![0u32; 1 << bits];
        for &(key, hash) in keys {
            let mut at = slot(hash, bits);
            while slots[at] != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = key as u32 + 1;
        }
        HashTable { bits, slots }
    }
}
