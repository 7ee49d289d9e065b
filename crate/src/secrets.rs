//! Secrets quoted inside error texts: where they are, and the same text with them masked.
//!
//! ```
//! use adf_troubleshooter::secrets::{self, Kind};
//! let text = "GET https://acct.blob.core.windows.net/in?sv=2022-11-02&sig=q0tY%2Bz%3D failed";
//! assert_eq!(
//!     secrets::mask(text),
//!     "GET https://acct.blob.core.windows.net/in?sv=2022-11-02&sig=**** failed"
//! );
//! let found = secrets::find(text);
//! assert_eq!(found[0].kind, Kind::SasSignature);
//! assert_eq!(&text[found[0].start..found[0].end], "q0tY%2Bz%3D");
//! ```
//!
//! Error texts quote connection strings, URLs and requests as the service saw them, so they
//! carry SAS signatures (`sig=`), storage account keys (`AccountKey=`), passwords (`Password=`,
//! `pwd=`), bearer tokens and bare JWTs, client secrets, and self-hosted integration runtime
//! authentication keys (`IR@...`). Each is found by the word that names it (one pass over the
//! text) and ends where its value ends. Only the value is the secret: the name
//! stays, so `Password=****` still tells the reader what was there.

use serde::Serialize;

/// What a secret is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The `sig=` parameter of a shared access signature.
    SasSignature,
    /// A storage `AccountKey=` or a Service Bus / Event Hubs `SharedAccessKey=`.
    AccountKey,
    Password,
    /// An `Authorization: Bearer` token or a bare JSON Web Token.
    BearerToken,
    /// A service principal's client secret (`client_secret=`, `"servicePrincipalKey"`).
    ClientSecret,
    /// A self-hosted integration runtime's authentication key (`IR@...`).
    IrAuthenticationKey,
}

/// One secret: its kind and its range (end exclusive). [`find`] gives byte offsets; the
/// diagnosis carries character offsets, like its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Secret {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// What a masked value is shown as.
pub const MASK: &str = "****";

/// How the value after a name is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `name=value` or `"name": "value"`: connection strings, query strings, JSON.
    Assigned(Value),
    /// `Bearer <token>`.
    Bearer,
    /// `eyJ...` with three dot-separated parts.
    Jwt,
    /// `IR@<id>@<factory>@<endpoint>@<key>`.
    IrKey,
}

/// Which characters an unquoted value may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    /// Base64 or URL query characters, possibly URL-encoded: the value stops at `&`.
    Token,
    /// Anything up to a `;`, a quote, a line break or a tag: a password may hold any
    /// character, spaces included.
    Free,
}

struct Name {
    /// Lower case; texts match it in any case (`AccountKey`, `PWD`, `Bearer`).
    word: &'static str,
    kind: Kind,
    shape: Shape,
    /// The word must not continue a longer one (`sig`, not `dsig`; `bearer`, not `xbearer`). A
    /// digit before it does not count: JSON writes `&sig=` as `\u0026sig=`.
    word_start: bool,
}

const fn assigned(word: &'static str, kind: Kind, value: Value) -> Name {
    Name {
        word,
        kind,
        shape: Shape::Assigned(value),
        word_start: false,
    }
}

const fn whole_word(word: &'static str, kind: Kind, shape: Shape) -> Name {
    Name {
        word,
        kind,
        shape,
        word_start: true,
    }
}

const NAMES: &[Name] = &[
    whole_word("sig", Kind::SasSignature, Shape::Assigned(Value::Token)),
    assigned("accountkey", Kind::AccountKey, Value::Token),
    assigned("sharedaccesskey", Kind::AccountKey, Value::Token),
    // Also `ProxyPassword=`, `"sshPassword":`: any name ending in password.
    assigned("password", Kind::Password, Value::Free),
    // No word ends in `pwd`: `DB_PWD=` is a password too.
    assigned("pwd", Kind::Password, Value::Free),
    // In a form body or query string; Azure AD secrets are URL-safe (`~`, `.`, `_`, `-`).
    assigned("client_secret", Kind::ClientSecret, Value::Token),
    assigned("clientsecret", Kind::ClientSecret, Value::Token),
    assigned("client-secret", Kind::ClientSecret, Value::Token),
    assigned("serviceprincipalkey", Kind::ClientSecret, Value::Free),
    whole_word("bearer", Kind::BearerToken, Shape::Bearer),
    // Every JWT starts `eyJ` (base64 of `{"`); the three-part shape decides, in any case.
    whole_word("eyj", Kind::BearerToken, Shape::Jwt),
    whole_word("ir@", Kind::IrAuthenticationKey, Shape::IrKey),
];

/// A bearer token shorter than this is a word of prose ("Bearer token is invalid").
const MIN_BEARER_CHARS: usize = 16;

/// The secrets in `text`, by byte offsets, in order and without overlaps.
pub fn find(text: &str) -> Vec<Secret> {
    find_from_candidates(text, next_name_start)
}

/// Where the next name may start, from byte `at` on: most bytes start no name, and one set
/// lookup each passes them before any name is compared.
fn next_name_start(bytes: &[u8], at: usize) -> Option<usize> {
    let skip = bytes.get(at..)?.iter().position(|&b| starts_a_name(b))?;
    Some(at + skip)
}

/// [`find`], comparing the names only where `next` says one may start.
fn find_from_candidates(text: &str, next: fn(&[u8], usize) -> Option<usize>) -> Vec<Secret> {
    let bytes = text.as_bytes();
    let mut found: Vec<Secret> = Vec::new();
    let mut at = 0;
    while let Some(candidate) = next(bytes, at) {
        at = candidate;
        let Some(name) = name_at(bytes, at) else {
            at += 1;
            continue;
        };
        let after = at + name.word.len();
        let value = match name.shape {
            Shape::Assigned(value) => assigned_value(bytes, after, value),
            Shape::Bearer => bearer(bytes, after),
            Shape::Jwt => jwt(bytes, at),
            Shape::IrKey => ir_key(bytes, after),
        };
        match value.filter(|&(s, e)| !already_masked(&bytes[s..e])) {
            Some((start, end)) => {
                found.push(Secret {
                    kind: name.kind,
                    start,
                    end,
                });
                // A name inside a secret is part of its value; going on after it also keeps
                // the search linear.
                at = end;
            }
            None => at = after,
        }
    }
    found
}

/// The name that starts at byte `at`, if any. A handful of names, each compared only where
/// its first letter stands: one pass over the text, without an automaton to build (this
/// module is in the extension's wasm, where every kilobyte counts).
fn name_at(bytes: &[u8], at: usize) -> Option<&'static Name> {
    let first = bytes[at].to_ascii_lowercase();
    let before = at.checked_sub(1).map(|i| bytes[i]);
    NAMES.iter().find(|name| {
        let word = name.word.as_bytes();
        word[0] == first
            && bytes
                .get(at..at + word.len())
                .is_some_and(|here| here.eq_ignore_ascii_case(word))
            && !(name.word_start && before.is_some_and(|b| continues_word(b, name.shape)))
    })
}

/// Whether a name starts with byte `b` (in either case).
fn starts_a_name(b: u8) -> bool {
    NAME_STARTS[usize::from(b >> 6)] >> (b & 63) & 1 == 1
}

/// The first bytes of the names in both cases, as a set of 256 bits.
const NAME_STARTS: [u64; 4] = {
    let mut set = [0u64; 4];
    let mut i = 0;
    while i < NAMES.len() {
        let first = NAMES[i].word.as_bytes()[0];
        let upper = first.to_ascii_uppercase();
        set[(first >> 6) as usize] |= 1 << (first & 63);
        set[(upper >> 6) as usize] |= 1 << (upper & 63);
        i += 1;
    }
    set
};

/// The secrets in `text`, by character offsets (as the diagnosis reports evidence).
pub fn locate(text: &str) -> Vec<Secret> {
    let mut secrets = find(text);
    let (mut at, mut chars) = (0, 0);
    let mut to_chars = |byte: usize| {
        chars += text[at..byte].chars().count();
        at = byte;
        chars
    };
    for secret in &mut secrets {
        secret.start = to_chars(secret.start);
        secret.end = to_chars(secret.end);
    }
    secrets
}

/// `text` with every secret's value replaced by [`MASK`].
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for secret in find(text) {
        out.push_str(&text[at..secret.start]);
        out.push_str(MASK);
        at = secret.end;
    }
    out.push_str(&text[at..]);
    out
}

fn continues_word(before: u8, shape: Shape) -> bool {
    match shape {
        // Inside a longer base64url run, `eyJ` is not where a token starts.
        Shape::Jwt => before.is_ascii_alphanumeric() || before == b'-' || before == b'_',
        _ => before.is_ascii_alphabetic() || before == b'_',
    }
}

/// Services mask some values themselves (`Password=**********`): nothing left to hide.
fn already_masked(value: &[u8]) -> bool {
    value.iter().all(|&b| b == b'*')
}

/// The value after a name: `name=value`, `name = "value"`, `"name": "value"` (also with the
/// quotes JSON-escaped, `\"name\":\"value\"`), or `name={value}` (ODBC braces).
fn assigned_value(bytes: &[u8], after_name: usize, value: Value) -> Option<(usize, usize)> {
    let mut i = after_name;
    let key_quotes = run(bytes, i, |b| matches!(b, b'"' | b'\'' | b'\\'));
    let key_quoted = bytes[i..i + key_quotes].iter().any(|&b| b != b'\\');
    i += key_quotes;
    i += run(bytes, i, |b| b == b' ');
    match bytes.get(i) {
        Some(b'=') => {}
        // A colon assigns only after a quoted name: `"password": "..."`, not prose
        // (`invalid password: check it`).
        Some(b':') if key_quoted => {}
        _ => return None,
    }
    i += 1;
    i += run(bytes, i, |b| b == b' ');
    let opening = run(bytes, i, |b| matches!(b, b'"' | b'\'' | b'\\'));
    let start = i + opening;
    let end = if opening > 0 {
        // Quoted: up to the same quote that opened it, less the backslashes escaping it.
        let close = start
            + match bytes[start - 1] {
                b'"' => run(bytes, start, |b| b != b'"'),
                b'\'' => run(bytes, start, |b| b != b'\''),
                _ => return None,
            };
        trim_end(bytes, start, close, b'\\')
    } else if bytes.get(start) == Some(&b'{') {
        // Braced: the braces stay, like quotes, so a masked value still reads as one.
        let start = start + 1;
        let close = start + run(bytes, start, |b| b != b'}');
        return (close > start).then_some((start, close));
    } else {
        start + unquoted_len(bytes, start, value)
    };
    (end > start).then_some((start, end))
}

fn unquoted_len(bytes: &[u8], start: usize, value: Value) -> usize {
    match value {
        Value::Token => run(bytes, start, is_token_byte),
        Value::Free => {
            let mut len = 0;
            while let Some(&b) = bytes.get(start + len) {
                let escaped_quote =
                    b == b'\\' && matches!(bytes.get(start + len + 1), Some(b'"' | b'\'' | b'\\'));
                if escaped_quote
                    || matches!(b, b';' | b'"' | b'\'' | b'<' | b'>' | b'\r' | b'\n' | b'\t')
                {
                    break;
                }
                len += 1;
            }
            // Stopping at an ASCII byte keeps the end on a character boundary.
            trim_end(bytes, start, start + len, b' ') - start
        }
    }
}

/// Base64, base64url, URL-encoded and URL query characters.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=' | b'%')
}

fn bearer(bytes: &[u8], after_name: usize) -> Option<(usize, usize)> {
    let spaces = run(bytes, after_name, |b| b == b' ');
    let start = after_name + spaces;
    let end = start + run(bytes, start, is_token_byte);
    let long_enough = end - start >= MIN_BEARER_CHARS || bytes[start..end].starts_with(b"eyJ");
    (spaces > 0 && long_enough).then_some((start, end))
}

fn jwt(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let base64url = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut end = start;
    for part in 0..3 {
        let len = run(bytes, end, base64url);
        if part < 2 && (len == 0 || bytes.get(end + len) != Some(&b'.')) {
            return None;
        }
        end += len + usize::from(part < 2);
    }
    Some((start, end))
}

fn ir_key(bytes: &[u8], after_name: usize) -> Option<(usize, usize)> {
    // A key starts with the runtime's id, a GUID, then `@`: an e-mail address or a prose
    // `IR@` does not. The shape, not a length, decides, so masking inside cannot change it.
    let id = run(bytes, after_name, |b| b.is_ascii_hexdigit() || b == b'-');
    if id != GUID_CHARS || bytes.get(after_name + id) != Some(&b'@') {
        return None;
    }
    let len = run(bytes, after_name, |b| {
        !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b'\\' | b',' | b';' | b'<' | b'>')
    });
    Some((after_name, after_name + len))
}

const GUID_CHARS: usize = 36;

/// `end` moved back over the bytes `b` before it, not past `start`.
fn trim_end(bytes: &[u8], start: usize, mut end: usize, b: u8) -> usize {
    while end > start && bytes[end - 1] == b {
        end -= 1;
    }
    end
}

/// How many bytes from `at` satisfy `keep`. A function pointer, not a generic: one copy of the
/// loop serves every caller in the wasm.
fn run(bytes: &[u8], at: usize, keep: fn(u8) -> bool) -> usize {
    bytes
        .get(at..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| keep(b)).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind in the shapes error texts carry it, with the text it must become.
    #[test]
    fn masks_each_kind_of_secret() {
        for (kind, text, masked) in [
            (
                Kind::SasSignature,
                "Blob https://a.blob.core.windows.net/c/f.csv?sv=2021-08-06&se=2030-01-01&sr=b&sp=r&sig=9yZb%2F0kQ%3D was not found",
                "Blob https://a.blob.core.windows.net/c/f.csv?sv=2021-08-06&se=2030-01-01&sr=b&sp=r&sig=**** was not found",
            ),
            (
                Kind::SasSignature,
                r#"{"url": "https://a.dfs.core.windows.net/x?sp=rl\u0026sig=AbC123%2B"}"#,
                r#"{"url": "https://a.dfs.core.windows.net/x?sp=rl\u0026sig=****"}"#,
            ),
            (
                Kind::AccountKey,
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4+/Zm9v==;EndpointSuffix=core.windows.net",
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=****;EndpointSuffix=core.windows.net",
            ),
            (
                Kind::AccountKey,
                "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=c2VjcmV0a2V5PQ==",
                "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=****",
            ),
            (
                Kind::Password,
                "Cannot connect to SQL Server: 'Server=tcp:s.database.windows.net;User ID=etl;Password=P@ss w0rd!;Encrypt=True'",
                "Cannot connect to SQL Server: 'Server=tcp:s.database.windows.net;User ID=etl;Password=****;Encrypt=True'",
            ),
            (
                Kind::Password,
                "Driver={ODBC Driver 18};uid=etl;pwd={se;cret};server=db01",
                "Driver={ODBC Driver 18};uid=etl;pwd={****};server=db01",
            ),
            (Kind::Password, "export DB_PWD=s3cr3t", "export DB_PWD=****"),
            (
                Kind::Password,
                r#"{\"connectionString\":\"host=pg\",\"password\":\"hunter2;x\"}"#,
                r#"{\"connectionString\":\"host=pg\",\"password\":\"****\"}"#,
            ),
            (
                Kind::BearerToken,
                "Request failed: Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwcyJ9.c2lnbmF0dXJl (401)",
                "Request failed: Authorization: Bearer **** (401)",
            ),
            (
                Kind::BearerToken,
                r#"{"access_token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."}"#,
                r#"{"access_token": "****"}"#,
            ),
            (
                Kind::ClientSecret,
                "POST /oauth2/v2.0/token client_id=1b2c&client_secret=Qx8Q~abc.DEF_ghi-123&grant_type=client_credentials",
                "POST /oauth2/v2.0/token client_id=1b2c&client_secret=****&grant_type=client_credentials",
            ),
            (
                Kind::ClientSecret,
                r#""servicePrincipalKey": "Qx8Q~abc.DEF_ghi-123""#,
                r#""servicePrincipalKey": "****""#,
            ),
            (
                Kind::IrAuthenticationKey,
                "Registering with key IR@2b8f4f0e-4c61-4b0f-9d55-31a7c5e1f0aa@adf-sales@ServiceEndpoint=adf-sales.westeurope.datafactory.azure.net@Zm9vYmFyYmF6cXV4Zm9vYmFy== failed",
                "Registering with key IR@**** failed",
            ),
        ] {
            assert_eq!(mask(text), masked, "{kind:?} in {text}");
            assert!(find(text).iter().all(|s| s.kind == kind), "{text}: {:?}", find(text));
        }
    }

    #[test]
    fn leaves_texts_that_only_talk_about_secrets() {
        for text in [
            "The Authentication key is invalid or empty.",
            "Login failed for user 'etl'. Reason: Password did not match.",
            "Invalid password: check the linked service.",
            "Bearer token is expired",
            "Password=**********;User ID=etl",
            "Contact IR@contoso.com about the runtime",
            "IR@xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx@adf@key (a placeholder)",
            "config=abc&dsig=1",
            "AADSTS7000215: Invalid client secret provided.",
            "Café &#x1F600; ErrorCode=InvalidGatewayKey",
        ] {
            assert_eq!(mask(text), text);
            assert!(find(text).is_empty(), "{text}");
        }
    }

    /// Texts the property tests found where the masked text still showed a secret.
    #[test]
    fn masked_text_shows_no_secret() {
        for (text, masked) in [
            // An empty braced value, then text: the braces were masked with the value.
            (";pwd={}a", ";pwd={}a"),
            // Masking the client secret made the `IR@` text long enough to pass for a key,
            // when keys were told by their length.
            (
                "IR@{client_secret=IR@0AeyJhbGci.eyJz.&#39;",
                "IR@{client_secret=****@0AeyJhbGci.eyJz.&#39;",
            ),
        ] {
            assert_eq!(mask(text), masked);
            assert_eq!(find(masked), []);
        }
    }

    #[test]
    fn locates_by_characters_after_non_ascii_text() {
        let text = "Pipeline «données» failed: …&sig=abc123";
        let secret = locate(text)[0];
        let value: String = text
            .chars()
            .skip(secret.start)
            .take(secret.end - secret.start)
            .collect();
        assert_eq!(value, "abc123");
    }

    proptest::proptest! {
        /// Skipping the bytes that start no name finds the secrets comparing every name at
        /// every byte finds: names in both cases, assigned, quoted or bare, tokens, keys and prose.
        #[test]
        fn skipping_bytes_that_start_no_name_finds_the_same_secrets(
            text in "((sig|SIG|AccountKey|accountkey|SharedAccessKey|Password|pwd|PWD|Client_Secret|client-secret|ServicePrincipalKey|bearer |Bearer )( ?[=:] ?)?[\"']?[a-zA-Z0-9%.~]{0,20}|(eyJ|EYJ)[a-z]{1,3}\\.[a-z]{1,3}\\.[a-z]{0,3}|(IR|ir)@[0-9a-f-]{36}@x|[a-z0-9 ,;_.\"'-]){0,12}"
        ) {
            let every_byte = |bytes: &[u8], at: usize| (at < bytes.len()).then_some(at);
            proptest::prop_assert_eq!(find(&text), find_from_candidates(&text, every_byte));
        }
    }
}
