//! Which inputs and formats `triage` reads, and their records as a stream of bounded batches.

// Memory stays bounded whatever the input size: files are read as streams, records handed on a
// batch at a time, and a JSON document is walked one record at a time, never held whole.

use super::csv;
use super::record::{self, Parsed};
use crate::cli::input;
use clap::ValueEnum;
use flate2::read::MultiGzDecoder;
use rayon::prelude::*;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Records handed on at a time: enough to keep every core busy, small enough to bound memory.
pub const BATCH: usize = 4096;
/// Raw text held for one batch at most: a batch of long records is handed on sooner.
const BATCH_BYTES: usize = 64 * 1024 * 1024;

/// The formats `--format` can force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A Log Analytics CSV export of ADFActivityRun or SynapseIntegrationActivityRuns
    Csv,
    /// `az monitor log-analytics query` output: a JSON array of rows
    LogAnalyticsJson,
    /// Diagnostic-settings archives (ActivityRuns): JSON lines or {"records": [...]}
    Diagnostic,
    /// The REST/SDK/CLI activity runs: {"value": [...]}, or a PowerShell ConvertTo-Json array
    ActivityRuns,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::LogAnalyticsJson => "log-analytics-json",
            Format::Diagnostic => "diagnostic",
            Format::ActivityRuns => "activity-runs",
        }
    }

    /// The format a record's field names give away.
    fn of_record(map: &Map<String, Value>) -> Format {
        let has = |name: &str| record::lookup(map, name).is_some();
        if has("TableName") || has("TimeGenerated") || has("ErrorMessage") {
            Format::LogAnalyticsJson
        } else if has("activityRunStart") || has("activityRunEnd") || has("durationInMs") {
            Format::ActivityRuns
        } else if has("properties") || has("category") || has("operationName") && has("time") {
            Format::Diagnostic
        } else {
            Format::LogAnalyticsJson
        }
    }
}

/// One input: a file, or standard input.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub path: Option<PathBuf>,
    pub size: u64,
}

/// The files behind the command line's paths: `-` is standard input, a directory is walked
/// (sorted, hidden entries left out), a file is itself.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Source>, String> {
    let mut sources = Vec::new();
    if paths.is_empty() {
        sources.push(stdin());
    }
    for path in paths {
        if path == Path::new("-") {
            sources.push(stdin());
            continue;
        }
        let meta =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if meta.is_dir() {
            walk(path, &mut sources)?;
        } else {
            sources.push(file(path, meta.len()));
        }
    }
    Ok(sources)
}

fn stdin() -> Source {
    Source {
        name: "standard input".into(),
        path: None,
        size: 0,
    }
}

fn file(path: &Path, size: u64) -> Source {
    Source {
        name: path.display().to_string(),
        path: Some(path.to_path_buf()),
        size,
    }
}

fn walk(dir: &Path, out: &mut Vec<Source>) -> Result<(), String> {
    let read = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut entries: Vec<_> = read
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    // Sorted, so the y=/m=/d=/h= layout is read in time order and every run reads alike.
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let meta =
            std::fs::metadata(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if meta.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(file(&path, meta.len()));
        }
    }
    Ok(())
}

/// Counts the bytes read from the raw (possibly compressed) input, for the progress bar.
struct Counted<'a, R> {
    inner: R,
    read: &'a AtomicU64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The source's text as UTF-8: gunzipped when it starts with gzip's magic bytes, with a UTF-8
/// byte-order mark dropped; UTF-16 with a byte-order mark (PowerShell's `>`) is converted.
fn open<'a>(source: &Source, progress: &'a AtomicU64) -> Result<Box<dyn BufRead + 'a>, String> {
    let raw: Box<dyn Read> = match &source.path {
        None => Box::new(io::stdin().lock()),
        Some(path) => {
            Box::new(File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?)
        }
    };
    let mut raw = BufReader::with_capacity(
        1 << 16,
        Counted {
            inner: raw,
            read: progress,
        },
    );
    let failed = |e: io::Error| format!("cannot read {}: {e}", source.name);
    let head = raw.fill_buf().map_err(failed)?;
    let mut text: Box<dyn BufRead + 'a> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(raw)))
    } else {
        Box::new(raw)
    };
    let head = text.fill_buf().map_err(failed)?;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        text.consume(3);
    } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        // Rare and small (a PowerShell export): read whole, within the usual input limit.
        let little = head[0] == 0xFF;
        let mut bytes = Vec::new();
        text.take(input::MAX_INPUT_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
        if bytes.len() > input::MAX_INPUT_BYTES {
            return Err(format!(
                "{}: a UTF-16 file larger than {} MB; save it as UTF-8",
                source.name,
                input::MAX_INPUT_BYTES >> 20
            ));
        }
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|pair| {
                let pair = [pair[0], *pair.get(1).unwrap_or(&0)];
                if little {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        return Ok(Box::new(Cursor::new(
            String::from_utf16_lossy(&units).into_bytes(),
        )));
    }
    Ok(text)
}

/// How a JSON input is laid out.
enum Syntax {
    Csv,
    JsonLines,
    JsonDocument,
}

/// Looks at the start of the text: `[` or a `{` whose first line is not a whole value is one
/// JSON document; a first line that is a whole JSON value, with more after it, means JSON lines;
/// anything else is CSV. The first line is read whole (up to [`SNIFF_BYTES`]), not just what one
/// read of a decompressor happens to give, and handed back in front of the rest.
fn sniff<'a>(
    mut reader: Box<dyn BufRead + 'a>,
) -> io::Result<(Option<Syntax>, Box<dyn BufRead + 'a>)> {
    let mut head = Vec::new();
    while head.iter().all(u8::is_ascii_whitespace) && head.len() < SNIFF_BYTES {
        let limit = (SNIFF_BYTES - head.len()) as u64;
        if (&mut reader).take(limit).read_until(b'\n', &mut head)? == 0 {
            break;
        }
    }
    let more = !reader.fill_buf()?.is_empty();
    let syntax = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|at| match head[at] {
            b'[' => Syntax::JsonDocument,
            b'{' if more && serde_json::from_slice::<IgnoredAny>(&head[at..]).is_ok() => {
                Syntax::JsonLines
            }
            b'{' => Syntax::JsonDocument,
            _ => Syntax::Csv,
        });
    Ok((syntax, Box::new(Cursor::new(head).chain(reader))))
}

/// The most of a first line read to tell JSON lines from one JSON document.
const SNIFF_BYTES: usize = 1 << 20;

/// What reading one source gave, besides its records.
pub struct Outcome {
    pub format: Option<Format>,
}

/// Reads every record of `source` and hands them to `sink` in batches of `(line, record)`.
/// A read error ends this source with an error; bad records are `Parsed::Malformed`.
pub fn read(
    source: &Source,
    forced: Option<Format>,
    progress: &AtomicU64,
    sink: &mut dyn FnMut(Vec<(usize, Parsed)>),
) -> Result<Outcome, String> {
    let failed = |e: io::Error| format!("cannot read {}: {e}", source.name);
    let (sniffed, reader) = sniff(open(source, progress)?).map_err(failed)?;
    let syntax = match (forced, sniffed) {
        (Some(Format::Csv), _) => Some(Syntax::Csv),
        (Some(_), Some(Syntax::Csv)) => Some(Syntax::JsonDocument),
        (_, sniffed) => sniffed,
    };
    let mut batcher = Batcher {
        batch: Vec::with_capacity(BATCH),
        sink,
        format: forced,
    };
    match syntax {
        None => {}
        Some(Syntax::Csv) => read_csv(reader, &mut batcher, forced.is_some())
            .map_err(|e| format!("{}: {e}", source.name))?,
        Some(Syntax::JsonLines) => read_json_lines(reader, &mut batcher).map_err(failed)?,
        Some(Syntax::JsonDocument) => read_json_document(reader, &mut batcher),
    }
    batcher.flush();
    Ok(Outcome {
        format: batcher.format,
    })
}

struct Batcher<'a> {
    batch: Vec<(usize, Parsed)>,
    sink: &'a mut dyn FnMut(Vec<(usize, Parsed)>),
    format: Option<Format>,
}

impl Batcher<'_> {
    fn push(&mut self, line: usize, parsed: Parsed) {
        self.batch.push((line, parsed));
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }
    fn flush(&mut self) {
        if !self.batch.is_empty() {
            (self.sink)(std::mem::replace(
                &mut self.batch,
                Vec::with_capacity(BATCH),
            ));
        }
    }
    fn value(&mut self, line: usize, value: &Value) {
        if let (None, Value::Object(map)) = (self.format, value) {
            self.format = Some(Format::of_record(map));
        }
        self.push(line, record::read_value(value));
    }
}

fn read_csv(reader: Box<dyn BufRead + '_>, out: &mut Batcher, forced: bool) -> Result<(), String> {
    let mut records = csv::Reader::new(reader);
    let header = match records.next_record().map_err(|e| e.to_string())? {
        Some((_, csv::Record::Fields(names))) => csv::Header::new(&names),
        Some((_, csv::Record::Broken(why))) => return Err(format!("unreadable header: {why}")),
        None => return Ok(()),
    };
    if !forced && !header.is_activity_runs() {
        return Err("not a recognised export: expected JSON, or CSV with a Status column and ErrorMessage, Error or ActivityName (use --format to force one)".into());
    }
    out.format = Some(Format::Csv);
    let mut rows = Vec::with_capacity(BATCH);
    let mut held = 0;
    loop {
        let next = records.next_record().map_err(|e| e.to_string())?;
        let end = next.is_none();
        if let Some(record) = next {
            if let (_, csv::Record::Fields(fields)) = &record {
                held += fields.iter().map(String::len).sum::<usize>();
            }
            rows.push(record);
        }
        if rows.len() >= BATCH || held >= BATCH_BYTES || (end && !rows.is_empty()) {
            held = 0;
            let parsed: Vec<(usize, Parsed)> = std::mem::take(&mut rows)
                .into_par_iter()
                .map(|(line, record)| match record {
                    csv::Record::Fields(fields) => (line, header.row(fields)),
                    csv::Record::Broken(why) => (line, Parsed::Malformed(why)),
                })
                .collect();
            for (line, parsed) in parsed {
                out.push(line, parsed);
            }
        }
        if end {
            return Ok(());
        }
    }
}

/// JSON lines: each line one record, or a `{"records": [...]}` / `{"value": [...]}` of them.
/// Lines are parsed in parallel, a batch at a time.
fn read_json_lines(mut reader: Box<dyn BufRead + '_>, out: &mut Batcher) -> io::Result<()> {
    let mut buffer = Vec::new();
    let mut lines = Vec::with_capacity(BATCH);
    let (mut number, mut held) = (0, 0);
    loop {
        let next = input::next_line(&mut reader, &mut buffer)?;
        let end = next.is_none();
        if let Some(line) = next {
            number += 1;
            if let input::Line::Text(text) = &line {
                held += text.len();
            }
            lines.push((number, line));
        }
        if lines.len() >= BATCH || held >= BATCH_BYTES || (end && !lines.is_empty()) {
            held = 0;
            let parsed: Vec<(usize, Vec<Value>, Option<Parsed>)> = std::mem::take(&mut lines)
                .into_par_iter()
                .map(|(n, line)| parse_line(n, line))
                .collect();
            for (n, values, bad) in parsed {
                for value in &values {
                    out.value(n, value);
                }
                if let Some(bad) = bad {
                    out.push(n, bad);
                }
            }
        }
        if end {
            return Ok(());
        }
    }
}

fn parse_line(number: usize, line: input::Line) -> (usize, Vec<Value>, Option<Parsed>) {
    let text = match line {
        input::Line::TooLong => {
            let why = format!("longer than {} MB; skipped", input::MAX_INPUT_BYTES >> 20);
            return (number, Vec::new(), Some(Parsed::Malformed(why)));
        }
        input::Line::Text(text) => text,
    };
    if text.trim().is_empty() {
        return (number, Vec::new(), None);
    }
    match input::parse_json_line(&text) {
        Ok((Value::Object(mut map), _)) => {
            let container = ["records", "value"]
                .into_iter()
                .find(|key| matches!(record::lookup(&map, key), Some(Value::Array(_))));
            match container {
                Some(key) => {
                    let key = map
                        .keys()
                        .find(|k| k.eq_ignore_ascii_case(key))
                        .cloned()
                        .unwrap_or_default();
                    match map.remove(&key) {
                        Some(Value::Array(items)) => (number, items, None),
                        _ => (number, Vec::new(), None),
                    }
                }
                None => (number, vec![Value::Object(map)], None),
            }
        }
        Ok((other, _)) => (number, vec![other], None),
        Err(e) => (
            number,
            Vec::new(),
            Some(Parsed::Malformed(format!("not JSON: {e}"))),
        ),
    }
}

/// Counts line breaks as serde_json reads, so each record can be named by its first line.
struct Lines<R> {
    inner: R,
    count: Rc<Cell<usize>>,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let newlines = buf[..n].iter().filter(|&&b| b == b'\n').count();
        self.count.set(self.count.get() + newlines);
        Ok(n)
    }
}

/// One JSON document, streamed: a top-level array of records, or an object whose `value` or
/// `records` array holds them, or a single record. Records are read one at a time; a syntax
/// error ends the document (JSON cannot be resynchronised) and is reported with its line.
fn read_json_document(reader: Box<dyn BufRead + '_>, out: &mut Batcher) {
    let count = Rc::new(Cell::new(0));
    let mut de = serde_json::Deserializer::from_reader(Lines {
        inner: reader,
        count: count.clone(),
    });
    let top = Top {
        out: &mut *out,
        count: &count,
    };
    let result = top.deserialize(&mut de).and_then(|()| de.end());
    if let Err(e) = result {
        let why = if e.is_eof() {
            format!("the JSON document ends early ({e}); the records before it are read")
        } else {
            format!("not JSON: {e}; the rest of the file is skipped")
        };
        out.push(e.line().max(1), Parsed::Malformed(why));
    }
}

struct Top<'a, 'b> {
    out: &'a mut Batcher<'b>,
    count: &'a Rc<Cell<usize>>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of activity runs, or an object with a value or records array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Records {
            out: self.out,
            count: self.count,
        }
        .visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let line = self.count.get() + 1;
        let mut single = Map::new();
        let mut container = false;
        while let Some(key) = map.next_key::<String>()? {
            let is_container = ["value", "records"]
                .iter()
                .any(|c| key.eq_ignore_ascii_case(c));
            if is_container {
                container = true;
                if key.eq_ignore_ascii_case("records") && self.out.format.is_none() {
                    self.out.format = Some(Format::Diagnostic);
                }
                map.next_value_seed(Records {
                    out: &mut *self.out,
                    count: self.count,
                })?;
            } else {
                single.insert(key, map.next_value()?);
            }
        }
        if !container {
            self.out.value(line, &Value::Object(single));
        }
        Ok(())
    }
}

struct Records<'a, 'b> {
    out: &'a mut Batcher<'b>,
    count: &'a Rc<Cell<usize>>,
}

impl<'de> DeserializeSeed<'de> for Records<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of activity runs")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some((line, value)) = seq.next_element_seed(Element { count: self.count })? {
            self.out.value(line, &value);
        }
        Ok(())
    }
}

/// One record and the line it starts on.
struct Element<'a> {
    count: &'a Rc<Cell<usize>>,
}

impl<'de> DeserializeSeed<'de> for Element<'_> {
    type Value = (usize, Value);
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(usize, Value), D::Error> {
        // serde_json has skipped the separators and peeked the record's first character.
        let line = self.count.get() + 1;
        Ok((line, serde::Deserialize::deserialize(de)?))
    }
}
