//! Log Analytics CSV exports: RFC 4180 records read one at a time, and their columns by name.

// The portal's export quotes fields that hold commas, quotes or line breaks (error messages do),
// so a record may span lines; it is read as it comes, never the whole file.

use super::record::{self, Fields, Parsed};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufRead};

/// The longest record kept; past it the field is almost surely an unterminated quote.
const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// One CSV record and the line it starts on, or why it could not be read.
pub enum Record {
    Fields(Vec<String>),
    /// The record's text ran past [`MAX_RECORD_BYTES`] or the file ended inside a quote.
    Broken(String),
}

/// Reads records from `reader`, counting lines so that a bad row can be named.
pub struct Reader<R> {
    reader: R,
    line: usize,
    done: bool,
}

impl<R: BufRead> Reader<R> {
    pub fn new(reader: R) -> Self {
        Reader {
            reader,
            line: 0,
            done: false,
        }
    }

    /// The next record with its first line (1-based); `None` at the end.
    pub fn next_record(&mut self) -> io::Result<Option<(usize, Record)>> {
        if self.done {
            return Ok(None);
        }
        let mut fields = Vec::new();
        let mut field = Vec::new();
        let mut quoted = false;
        let mut size = 0;
        let mut raw = Vec::new();
        let start = self.line + 1;
        loop {
            raw.clear();
            let n = self.reader.read_until(b'\n', &mut raw)?;
            if n == 0 {
                self.done = true;
                if quoted {
                    return Ok(Some((
                        start,
                        Record::Broken("the file ends inside a quoted field".into()),
                    )));
                }
                if fields.is_empty() && field.is_empty() {
                    return Ok(None);
                }
                fields.push(text(&field));
                return Ok(Some((start, Record::Fields(fields))));
            }
            self.line += 1;
            size += n;
            if size > MAX_RECORD_BYTES {
                self.done = true;
                return Ok(Some((
                    start,
                    Record::Broken(format!(
                        "a record longer than {} MB (an unterminated quote?); the rest of the file is skipped",
                        MAX_RECORD_BYTES >> 20
                    )),
                )));
            }
            let mut i = 0;
            while i < raw.len() {
                let b = raw[i];
                if quoted {
                    if b == b'"' {
                        if raw.get(i + 1) == Some(&b'"') {
                            field.push(b'"');
                            i += 1;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.push(b);
                    }
                } else {
                    match b {
                        b'"' => quoted = true,
                        b',' => fields.push(text(&std::mem::take(&mut field))),
                        b'\r' if raw.get(i + 1) == Some(&b'\n') => {}
                        b'\n' => {}
                        _ => field.push(b),
                    }
                }
                i += 1;
            }
            if !quoted {
                fields.push(text(&field));
                return Ok(Some((start, Record::Fields(fields))));
            }
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The header: column names as the portal writes them (`TimeGenerated [UTC]`), by lower-case
/// name without the time-zone suffix.
pub struct Header {
    columns: HashMap<String, usize>,
    pub width: usize,
}

impl Header {
    pub fn new(names: &[String]) -> Header {
        let columns = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name = name.trim().trim_start_matches('\u{feff}');
                let name = name.split(" [").next().unwrap_or(name);
                (name.to_ascii_lowercase(), i)
            })
            .collect();
        Header {
            columns,
            width: names.len(),
        }
    }

    /// Whether this looks like an activity-run table: it has a status and an error column.
    pub fn is_activity_runs(&self) -> bool {
        let has = |name: &str| self.columns.contains_key(name);
        has("status") && (has("errormessage") || has("error") || has("activityname"))
    }

    pub fn row(&self, fields: Vec<String>) -> Parsed {
        if fields.len() != self.width {
            return Parsed::Malformed(format!(
                "{} fields where the header has {}",
                fields.len(),
                self.width
            ));
        }
        record::read(&Row {
            header: self,
            fields,
        })
    }
}

struct Row<'a> {
    header: &'a Header,
    fields: Vec<String>,
}

impl Fields for Row<'_> {
    fn text(&self, name: &str) -> Option<String> {
        let at = *self.header.columns.get(&name.to_ascii_lowercase())?;
        let value = self.fields[at].trim();
        (!value.is_empty() && !value.eq_ignore_ascii_case("null")).then(|| value.to_string())
    }
    fn object(&self, name: &str) -> Option<Cow<'_, Map<String, Value>>> {
        record::object_in(&self.text(name)?).map(Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<(usize, Result<Vec<String>, String>)> {
        let mut reader = Reader::new(text.as_bytes());
        let mut out = Vec::new();
        while let Some((line, record)) = reader.next_record().unwrap() {
            out.push((
                line,
                match record {
                    Record::Fields(f) => Ok(f),
                    Record::Broken(why) => Err(why),
                },
            ));
        }
        out
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks() {
        let got = records("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n3,\n");
        assert_eq!(got[0], (1, Ok(vec!["a".into(), "b".into()])));
        assert_eq!(
            got[1],
            (2, Ok(vec!["x, \"y\"".into(), "two\nlines".into()]))
        );
        assert_eq!(got[2], (4, Ok(vec!["3".into(), "".into()])));
        assert_eq!(got.len(), 3);
        let broken = records("a\n\"open\n");
        assert_eq!(broken[1].0, 2);
        assert!(broken[1].1.is_err());
    }

    #[test]
    fn columns_are_found_without_their_time_zone_suffix() {
        let header = Header::new(&["TimeGenerated [UTC]".into(), "Status".into()]);
        assert!(!header.is_activity_runs());
        let row = Row {
            header: &header,
            fields: vec!["x".into(), "Failed".into()],
        };
        assert_eq!(row.text("timegenerated").as_deref(), Some("x"));
        assert!(matches!(
            header.row(vec!["only one".into()]),
            Parsed::Malformed(_)
        ));
    }
}
