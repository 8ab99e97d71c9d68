//! Random codes from the CSPRNG: box codes (in QR URLs) and receipt codes.

use rand::RngExt;

/// A new box code: 80 random bits as 20 lowercase hex digits.
pub fn new_box_code() -> String {
    let bytes: [u8; 10] = rand::rng().random();
    hex::encode(bytes)
}

/// Whether `code` has the shape of a box code (checked before any database look-up).
pub fn is_box_code(code: &str) -> bool {
    code.len() == 20
        && code
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new 16-digit receipt code (about 53 bits).
pub fn new_receipt() -> String {
    let n: u64 = rand::rng().random_range(0..10_000_000_000_000_000);
    format!("{n:016}")
}

/// The 16 digits of a typed receipt, ignoring spaces and dashes; `None` if it is not 16 digits.
pub fn normalize_receipt(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .map(|c| match c {
            // Full-width digits typed by Chinese input methods.
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            other => other,
        })
        .collect();
    (digits.len() == 16 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A staff password: 16 characters from an alphabet without look-alikes (about 90 bits).
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_codes_are_random_and_well_formed() {
        let a = new_box_code();
        let b = new_box_code();
        assert_ne!(a, b);
        assert!(is_box_code(&a), "{a}");
        assert!(!is_box_code("../etc/passwd"));
        assert!(!is_box_code("ABCDEFABCDEFABCDEFAB"));
    }

    #[test]
    fn receipts_have_sixteen_digits() {
        for _ in 0..1000 {
            let r = new_receipt();
            assert_eq!(r.len(), 16);
            assert!(r.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn typed_receipts_are_normalised() {
        assert_eq!(
            normalize_receipt("1234 5678-9012 3456").as_deref(),
            Some("1234567890123456")
        );
        assert_eq!(
            normalize_receipt("１２３４５６７８９０１２３４５６").as_deref(),
            Some("1234567890123456")
        );
        assert_eq!(normalize_receipt("123"), None);
        assert_eq!(normalize_receipt("12345678901234567"), None);
        assert_eq!(normalize_receipt("abcd567890123456"), None);
    }
}
