//! A fast hash map for the anonymizer's own lookup tables ([`FastMap`]).

/// A fast hasher for the anonymizer's own lookup tables (rustc's Fx: eight bytes at a time,
/// then MurmurHash3's finalizer so the map's control bits are well mixed). The keys come from
/// the user's own messages and the dictionary; flooding attacks are not a concern here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fast;

/// The running state of [`Fast`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FastHasher(u64);

/// A `HashMap` with the [`Fast`] hasher.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, Fast>;

impl core::hash::BuildHasher for Fast {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl core::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}
