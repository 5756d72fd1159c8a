//! The hash tables generated lookups use. The hash is the one `errspec::__private` probes
//! with (`src/table.rs`); `tests/test_lookup_tables.rs` checks that the two agree.

/// The multiplier of the hash (the golden ratio in 64-bit fixed point).
const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of a wire value: eight bytes at a time, multiply and fold.
pub fn hash_str(bytes: &[u8]) -> u64 {
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K);
        h ^= h >> 29;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h ^ (h >> 32)
}

/// The hash of a numeric wire value.
pub fn hash_u32(n: u32) -> u64 {
    let h = (u64::from(n) ^ 0x5851_F42D_4C95_7F2D).wrapping_mul(K);
    h ^ (h >> 32)
}

/// The first slot to probe for `hash` in a table of `2^bits` slots (`bits` from 1 to 63).
pub fn slot(hash: u64, bits: u32) -> usize {
    (hash.wrapping_mul(K) >> (64 - bits)) as usize
}

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
        let bits = (hashes.len() * 2)
            .next_power_of_two()
            .max(2)
            .trailing_zeros();
        let mask = (1usize << bits) - 1;
        let mut slots = vec![0u32; 1 << bits];
        for (key, &hash) in hashes.iter().enumerate() {
            let mut at = slot(hash, bits);
            while slots[at] != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = key as u32 + 1;
        }
        HashTable { bits, slots }
    }
}
