//! The static lookup tables of generated code: per-code strings packed into one literal with
//! end offsets, and open-addressing hash tables from wire values to codes.
//!
//! The generator builds the tables; these functions read them. The hash and the first slot
//! are `errspec_core`'s, the same functions the generator builds the tables with.

pub use errspec_core::{canonical_u32, hash_str, hash_u32, slot};

/// String `i` of a packed table: `text` holds the strings one after the other, `ends[i]` is
/// where string `i` ends.
#[inline]
pub fn packed(text: &'static str, ends: &'static [u32], i: usize) -> &'static str {
    let start = match i {
        0 => 0,
        _ => ends[i - 1] as usize,
    };
    text.get(start..ends[i] as usize).unwrap_or("")
}

/// The key holding `raw` in a string hash table: `slots` has `2^bits` entries, each `0`
/// (empty) or a key's index plus one; the keys are the packed strings of `text` and `ends`.
#[inline]
pub fn find_str(
    raw: &str,
    bits: u32,
    slots: &'static [u32],
    text: &'static str,
    ends: &'static [u32],
) -> Option<usize> {
    let mask = slots.len().wrapping_sub(1);
    let mut at = slot(hash_str(raw.as_bytes()), bits) & mask;
    // The generator leaves at least half the slots empty; the bound only keeps a hand-edited
    // table from looping.
    for _ in 0..slots.len() {
        let key = *slots.get(at)? as usize;
        if key == 0 {
            return None;
        }
        if packed(text, ends, key - 1) == raw {
            return Some(key - 1);
        }
        at = (at + 1) & mask;
    }
    None
}

/// The key holding `n` in a numeric hash table: each slot holds a key's number in its high 32
/// bits and the key's index plus one in its low 32 bits (`0`: empty), so that a probe reads
/// one word.
#[inline]
pub fn find_u32(n: u32, bits: u32, slots: &'static [u64]) -> Option<usize> {
    let mask = slots.len().wrapping_sub(1);
    let mut at = slot(hash_u32(n), bits) & mask;
    for _ in 0..slots.len() {
        let entry = *slots.get(at)?;
        let key = entry as u32 as usize;
        if key == 0 {
            return None;
        }
        if (entry >> 32) as u32 == n {
            return Some(key - 1);
        }
        at = (at + 1) & mask;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_strings_are_cut_at_their_ends() {
        static ENDS: [u32; 3] = [1, 1, 4];
        assert_eq!(packed("abcd", &ENDS, 0), "a");
        assert_eq!(packed("abcd", &ENDS, 1), "");
        assert_eq!(packed("abcd", &ENDS, 2), "bcd");
    }

    #[test]
    fn canonical_numbers_only() {
        assert_eq!(canonical_u32("40001"), Some(40001));
        assert_eq!(canonical_u32("0"), Some(0));
        assert_eq!(canonical_u32("4294967295"), Some(u32::MAX));
        for raw in [
            "",
            "040001",
            "+1",
            "-1",
            "1.0",
            "4294967296",
            "99999999999",
            "1 ",
            "٣",
        ] {
            assert_eq!(canonical_u32(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn probing_stops_at_an_empty_slot_and_on_a_malformed_table() {
        static EMPTY: [u64; 4] = [0; 4];
        static FULL: [u64; 4] = [7 << 32 | 1; 4];
        assert_eq!(find_u32(7, 2, &EMPTY), None);
        // A table without an empty slot is not something the generator writes; lookups in
        // one still end.
        assert_eq!(find_u32(7, 2, &FULL), Some(0));
        assert_eq!(find_u32(8, 2, &FULL), None);
        assert_eq!(find_u32(8, 2, &[]), None);
    }
}
