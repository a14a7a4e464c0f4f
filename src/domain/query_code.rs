//! 查询码: the short code a petitioner is given to ask about the case by
//! phone or online. Eight characters from an alphabet that leaves out the
//! ones read aloud or written by hand as each other (0/O, 1/I/L), so it can
//! be dictated; random, so it cannot be guessed from the case number.

/// Digits 2-9 and the capital letters without I, L and O: 31 symbols,
/// 31^8 ≈ 8.5 × 10^11 codes.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

pub const LEN: usize = 8;

/// A fresh random code (the store retries on the rare collision).
pub fn generate(rng: &mut fastrand::Rng) -> String {
    (0..LEN).map(|_| ALPHABET[rng.usize(..ALPHABET.len())] as char).collect()
}

/// The code a caller read out, as stored: upper case, spaces and dashes
/// dropped (`abcd-2345` → `ABCD2345`); `None` if it cannot be one.
pub fn normalize(s: &str) -> Option<String> {
    let code: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// How the code is printed: two groups of four, easier to read out.
pub fn printed(code: &str) -> String {
    match code.split_at_checked(LEN / 2) {
        Some((a, b)) => format!("{a} {b}"),
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_use_only_the_alphabet() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..1000 {
            let code = generate(&mut rng);
            assert_eq!(code.len(), LEN);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
            assert_eq!(normalize(&code).as_deref(), Some(code.as_str()));
        }
    }

    #[test]
    fn what_a_caller_reads_out_is_normalised() {
        let cases = [
            ("ABCD2345", Some("ABCD2345")),
            ("abcd 2345", Some("ABCD2345")),
            ("ABCD-2345", Some("ABCD2345")),
            ("ABCD234", None),   // too short
            ("ABCD23450", None), // 0 is not in the alphabet
            ("ABCDI345", None),  // nor is I
            ("王秀兰王秀兰王秀", None),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input).as_deref(), want, "{input}");
        }
        assert_eq!(printed("ABCD2345"), "ABCD 2345");
    }
}
