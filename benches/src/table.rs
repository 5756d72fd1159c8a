//! A prototype of a lookup shape for generated code, measured beside the current one: a static
//! open-addressing hash table built at generation time. It is here to put numbers on a
//! recommendation for the emitter (see BENCHMARKS.md), not used by errspec itself.
//!
//! The table holds code indices in `2^k` slots (at most half full), keyed by a fixed hash of
//! the wire value; a lookup hashes once, then compares the wire values of the slots it probes
//! (1.5 on average at this load) until it finds the value or an empty slot. It is O(1) whatever
//! the number of codes, compiles to plain static arrays, and allocates nothing.
//!
//! Used by the build script (through `#[path]`) to emit the tables and at run time to hash.

use std::fmt::Write as _;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of a wire value: eight bytes at a time, multiply and fold.
#[inline]
pub fn hash_str(bytes: &[u8]) -> u64 {
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        h = (h ^ word).wrapping_mul(K);
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
#[inline]
pub fn hash_u32(n: u32) -> u64 {
    let h = (u64::from(n) ^ 0x5851_F42D_4C95_7F2D).wrapping_mul(K);
    h ^ (h >> 32)
}

/// The first slot of a hash in a table of `2^bits` slots.
#[inline]
pub fn slot(hash: u64, bits: u32) -> usize {
    (hash.wrapping_mul(K) >> (64 - bits)) as usize
}

fn fill(hashes: &[u64]) -> (u32, Vec<u32>) {
    let bits = (hashes.len() * 2)
        .next_power_of_two()
        .max(2)
        .trailing_zeros();
    let mut slots = vec![0u32; 1 << bits];
    for (key, &hash) in hashes.iter().enumerate() {
        let mut s = slot(hash, bits);
        while slots[s] != 0 {
            s = (s + 1) & (slots.len() - 1);
        }
        slots[s] = key as u32 + 1;
    }
    (bits, slots)
}

fn list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let mut s = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            s.push_str(if i % 16 == 0 { ",\n    " } else { ", " });
        }
        let _ = write!(s, "{item}");
    }
    s
}

/// A module with `index(&str) -> Option<usize>` (and `index_u32` if `numeric`), giving the
/// position of a code (as in `ErrorCode::ALL`) for a wire value or alias.
///
/// `keys` are `(wire value, code index)`, documented values and aliases alike.
pub fn emit(keys: &[(String, usize)], numeric: bool, hash_path: &str) -> String {
    let mut r = String::new();
    let hashes: Vec<u64> = keys.iter().map(|(w, _)| hash_str(w.as_bytes())).collect();
    let (bits, slots) = fill(&hashes);
    let _ = write!(
        r,
        "const BITS: u32 = {bits};\n\
         static SLOTS: [u32; {}] = [\n    {}\n];\n\
         static KEYS: [&str; {}] = [\n    {}\n];\n\
         static CODES: [u32; {}] = [\n    {}\n];\n\n\
         /// The position of the code for a wire value, if it is documented.\n\
         #[inline]\n\
         pub fn index(raw: &str) -> ::core::option::Option<usize> {{\n    \
             let mut slot = {hash_path}::slot({hash_path}::hash_str(raw.as_bytes()), BITS);\n    \
             loop {{\n        \
                 let key = SLOTS[slot];\n        \
                 if key == 0 {{\n            return ::core::option::Option::None;\n        }}\n        \
                 let key = (key - 1) as usize;\n        \
                 if KEYS[key] == raw {{\n            return ::core::option::Option::Some(CODES[key] as usize);\n        }}\n        \
                 slot = (slot + 1) & (SLOTS.len() - 1);\n    \
             }}\n\
         }}\n",
        slots.len(),
        list(&slots),
        keys.len(),
        list(keys.iter().map(|(w, _)| format!("{w:?}"))),
        keys.len(),
        list(keys.iter().map(|(_, i)| i)),
    );
    if numeric {
        let numbers: Vec<u32> = keys
            .iter()
            .map(|(w, _)| w.parse().expect("numeric wire values"))
            .collect();
        let hashes: Vec<u64> = numbers.iter().map(|&n| hash_u32(n)).collect();
        let (bits, slots) = fill(&hashes);
        let _ = write!(
            r,
            "\nconst NUM_BITS: u32 = {bits};\n\
             static NUM_SLOTS: [u32; {}] = [\n    {}\n];\n\
             static NUMBERS: [u32; {}] = [\n    {}\n];\n\n\
             /// The position of the code for a numeric wire value, if it is documented.\n\
             #[inline]\n\
             pub fn index_u32(n: u32) -> ::core::option::Option<usize> {{\n    \
                 let mut slot = {hash_path}::slot({hash_path}::hash_u32(n), NUM_BITS);\n    \
                 loop {{\n        \
                     let key = NUM_SLOTS[slot];\n        \
                     if key == 0 {{\n            return ::core::option::Option::None;\n        }}\n        \
                     let key = (key - 1) as usize;\n        \
                     if NUMBERS[key] == n {{\n            return ::core::option::Option::Some(CODES[key] as usize);\n        }}\n        \
                     slot = (slot + 1) & (NUM_SLOTS.len() - 1);\n    \
                 }}\n\
             }}\n",
            slots.len(),
            list(&slots),
            numbers.len(),
            list(&numbers),
        );
    }
    r
}
