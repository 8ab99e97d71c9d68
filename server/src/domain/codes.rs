//! Random codes from the CSPRNG: box codes (in QR URLs) and receipt codes.

use rand::RngExt;

/// A box's public code, in its QR URL: 20 lowercase hex digits, checked before any look-up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BoxCode(String);

impl BoxCode {
    /// A new code: 80 random bits.
    pub fn random() -> BoxCode {
        let bytes: [u8; 10] = rand::rng().random();
        BoxCode(hex::encode(bytes))
    }

    /// The code in a URL, or `None` when it has not the shape of one.
    pub fn parse(text: &str) -> Option<BoxCode> {
        is_box_code(text).then(|| BoxCode(text.to_string()))
    }

    /// The code's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for BoxCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new box code: 80 random bits as 20 lowercase hex digits.
pub fn new_box_code() -> String {
    BoxCode::random().0
}

/// Whether `code` has the shape of a box code (checked before any database look-up).
pub fn is_box_code(code: &str) -> bool {
    code.len() == 20
        && code
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A receipt code: 16 digits, the villager's only key to their opinion. Only its keyed hash is
/// stored; it is shown once, on the receipt, and its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl ReceiptCode {
    /// A new code: about 53 random bits.
    pub fn random() -> ReceiptCode {
        let n: u64 = rand::rng().random_range(0..10_000_000_000_000_000);
        ReceiptCode(format!("{n:016}"))
    }

    /// The code a villager typed, with spaces, dashes and full-width digits allowed; `None`
    /// when it is not 16 digits.
    pub fn parse(typed: &str) -> Option<ReceiptCode> {
        normalize_receipt(typed).map(ReceiptCode)
    }

    /// The 16 digits, to hash or tag.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The code to show the villager on their receipt, the one place it leaves the server.
    pub fn reveal(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptCode(hidden)")
    }
}

/// A new 16-digit receipt code (about 53 bits).
pub fn new_receipt() -> String {
    ReceiptCode::random().reveal()
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

/// Letters and digits of a slip code: Crockford's base 32, which leaves out I, L, O and U.
const SLIP_ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A new one-time appraisal slip code: 16 characters, 80 random bits.
pub fn new_slip_code() -> String {
    let mut rng = rand::rng();
    (0..16)
        .map(|_| SLIP_ALPHABET[rng.random_range(0..SLIP_ALPHABET.len())] as char)
        .collect()
}

/// Whether `code` has the shape of a slip code (checked before any look-up).
pub fn is_slip_code(code: &str) -> bool {
    code.len() == 16 && code.bytes().all(|b| SLIP_ALPHABET.contains(&b))
}

/// A new key kept only on a phone (an appraisal change key, an opinion's submission key):
/// 128 random bits as 32 hex digits.
pub fn new_device_key() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

/// Whether `key` has the shape of a device key.
pub fn is_device_key(key: &str) -> bool {
    key.len() == 32
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
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
    fn slip_codes_and_change_keys_are_random_and_well_formed() {
        let codes: std::collections::HashSet<String> = (0..1000).map(|_| new_slip_code()).collect();
        assert_eq!(codes.len(), 1000);
        assert!(codes.iter().all(|c| is_slip_code(c)));
        assert!(!is_slip_code("0123456789abcdei"), "no look-alike letters");
        assert!(!is_slip_code("0123456789ABCDEF"));
        let key = new_device_key();
        assert!(is_device_key(&key));
        assert_ne!(key, new_device_key());
        assert!(!is_device_key(&key[..31]));
    }

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
    fn typed_codes_parse_into_their_types_and_a_receipt_is_never_debugged() {
        let receipt = ReceiptCode::parse("1234 5678-9012 3456").expect("16 digits");
        assert_eq!(receipt.digits(), "1234567890123456");
        assert_eq!(format!("{receipt:?}"), "ReceiptCode(hidden)");
        assert_eq!(ReceiptCode::parse("1234"), None);
        assert_eq!(ReceiptCode::random().reveal().len(), 16);
        let code = BoxCode::random();
        assert_eq!(BoxCode::parse(code.as_str()), Some(code.clone()));
        assert_eq!(BoxCode::parse("../etc/passwd"), None);
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
