//! The fixed words the fact extractor's one pass looks for, and what each one starts: the
//! patterns' anchors, the runtime kinds' names and the cloud domains. `build.rs` includes this
//! file to compile their automaton, so it imports only what the build script has too.

use super::hosts::CLOUD_SUFFIXES;

/// What a pattern reads, one pattern each: `readers.rs` has the reader of each, which matches
/// exactly what the regex in the pattern's comment below does (its tests compare the two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Code,
    StatusCode,
    DataFlow,
    DataFlowCode,
    ShirLog,
    ChainStart,
    FailureType,
    OperationTarget,
    Side,
    ExceptionType,
    HttpStatus,
    HttpReason,
    UrlHost,
    RuntimeName,
    ActivityId,
}

/// A pattern, the fixed words it starts at, and how many bytes before the word it may start.
pub(super) struct Pattern {
    pub(super) field: Field,
    pub(super) anchors: &'static [&'static str],
    pub(super) lookbehind: usize,
    /// The fixed word must start a word (the text before it is not a letter or digit).
    pub(super) word_start: bool,
}

const HTTP_REASONS: &[&str] = &[
    "(BadRequest)",
    "(Unauthorized)",
    "(Forbidden)",
    "(NotFound)",
    "(Conflict)",
    "(InternalServerError)",
    "(BadGateway)",
    "(ServiceUnavailable)",
    "(GatewayTimeout)",
    "(TooManyRequests)",
    "(RequestTimeout)",
];

pub(super) const PATTERNS: &[Pattern] = &[
    Pattern {
        field: Field::Code,
        anchors: &["error code", "errorcode", "error_code", "\"code\""],
        lookbehind: 0,
        word_start: true,
        // A label pasted with Markdown emphasis (`**Error code** 2108`, from a ticket or an
        // issue) is still the label.
        // Reads `^(?i:error[ _]?code|"code")\*{0,2}(?:"?\s*[=:]|\s+is:?|\s)\s*['"]?([A-Za-z0-9][A-Za-z0-9_.-]*)` (regex-lite syntax).
    },
    Pattern {
        field: Field::StatusCode,
        // A data flow's `StatusCode` holds its `DF-` code (or `DFExecutorUserError`); numbers
        // there are HTTP statuses, read below. Also when the JSON is cut short or escaped.
        anchors: &["\"statuscode\""],
        lookbehind: 0,
        word_start: false,
        // Reads `^"(?i:statuscode)"\s*:\s*"([A-Za-z][A-Za-z0-9_.-]*)"` (regex-lite syntax).
    },
    Pattern {
        field: Field::DataFlowCode,
        // A data flow's code anywhere says whose error it is; debug sessions and data preview
        // banners head their message with it (`DF-Executor-InvalidPath: at Source ...`).
        anchors: &["DF-"],
        lookbehind: 0,
        word_start: true,
        // Reads `^DF-[A-Za-z0-9]+-[A-Za-z0-9_]+(?::\s)?` (regex-lite syntax).
    },
    Pattern {
        field: Field::DataFlow,
        // A data flow debug session resolves a dataset's expressions with its own activity
        // (`body('DataFlowDebugExpressionResolver')`): its name says a data flow is failing
        // where the error carries no `DF-` code.
        anchors: &["job failed due to reason", "DataFlowDebug"],
        lookbehind: 0,
        word_start: true,
        // Reads `^(?:(?i:job failed due to reason)|DataFlowDebug)` (regex-lite syntax).
    },
    Pattern {
        field: Field::ShirLog,
        anchors: &["the error code is"],
        lookbehind: 0,
        word_start: true,
        // Reads `^(?i:the error code is):?\s*([A-Za-z0-9_-]+)` (regex-lite syntax).
    },
    Pattern {
        field: Field::ChainStart,
        anchors: &["ErrorCode="],
        lookbehind: 0,
        word_start: true,
        // Reads `^ErrorCode=[A-Za-z0-9_-]+,\s*'?Type=` (regex-lite syntax).
    },
    Pattern {
        field: Field::FailureType,
        anchors: &["failure type", "failuretype"],
        lookbehind: 0,
        word_start: true,
        // Reads `^(?i:failure ?type)\*{0,2}"?\s*[=:]?\s*"?((?i:user ?error|system ?error|user configuration issue|transient error))` (regex-lite syntax).
    },
    Pattern {
        field: Field::OperationTarget,
        anchors: &["Operation on target "],
        lookbehind: 0,
        word_start: true,
        // Reads `^Operation on target (.{1,160}?) failed` (regex-lite syntax).
    },
    Pattern {
        field: Field::Side,
        anchors: &["failure happened on"],
        lookbehind: 0,
        word_start: true,
        // Reads `^(?i:failure happened on) '?((?i:source|sink))'? (?i:side)` (regex-lite syntax).
    },
    Pattern {
        field: Field::ExceptionType,
        anchors: &["Type="],
        lookbehind: 0,
        word_start: true,
        // Reads `^Type=([A-Za-z_][A-Za-z0-9_.]*(?:Exception|Error|Fault)[A-Za-z0-9_]*)` (regex-lite syntax).
    },
    Pattern {
        field: Field::HttpStatus,
        anchors: &[
            "status code",
            "statuscode",
            "http status",
            "http/1.",
            "response status",
        ],
        lookbehind: 0,
        word_start: true,
        // Reads `^(?i:status ?code|http status(?: code)?|statuscode|http/1\.[01]|response status)['":=\s]*(?:is\s*)?['"]?([1-5][0-9][0-9])\b` (regex-lite syntax).
    },
    Pattern {
        field: Field::HttpReason,
        anchors: HTTP_REASONS,
        lookbehind: 4,
        word_start: false,
        // Reads `\b([1-5][0-9][0-9]) ?\(` (regex-lite syntax).
    },
    Pattern {
        field: Field::UrlHost,
        anchors: &[
            "http://", "https://", "sftp://", "ftp://", "ftps://", "jdbc:",
        ],
        lookbehind: 0,
        word_start: true,
        // Reads `^(?i:https?|sftp|ftps?|jdbc:[a-z]+)://([A-Za-z0-9._-]+)` (regex-lite syntax).
    },
    Pattern {
        field: Field::RuntimeName,
        anchors: &["integration runtime", "integrationruntime", "IR"],
        lookbehind: 0,
        word_start: true,
        // Reads `^(?:(?i:integration ?runtime)|IR)\s*(?:\((?i:self-hosted|azure|managed)\)\s*)?(?i:name)?[:=]?\s*'([^'\t\n\r ][^']{0,79})'` (regex-lite syntax).
    },
    Pattern {
        field: Field::ActivityId,
        anchors: &["activity id", "activityid"],
        lookbehind: 0,
        word_start: true,
        // Reads `^(?i:activity ?id)(?:\s+is)?['"]?\s*[:=]?\s*['"]?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})` (regex-lite syntax).
    },
];

/// Runtime kinds by the words that name them, in order of precedence: the first kind the text
/// names at all wins, and where it first names it is kept.
pub(super) const IR_KINDS: &[(&str, &[&str])] = &[
    (
        "managed-vnet",
        &["managed virtual network", "managed vnet", "managedvnet"],
    ),
    (
        "self-hosted",
        &[
            "self-hosted",
            "selfhosted",
            "self hosted",
            "shir",
            "diawp",
            "dmgcmd",
            "gateway",
        ],
    ),
    ("ssis", &["ssis"]),
    (
        "azure",
        &[
            "autoresolveintegrationruntime",
            "azure ir",
            "azure integration runtime",
        ],
    ),
];

/// Complaints a text may make without any error, by the words that make them: a user's "the copy
/// takes 9 hours" is the performance articles' business.
pub(crate) const SYMPTOMS: &[(&str, &[&str])] = &[(
    "slow",
    &[
        "slow",
        "long time",
        "forever",
        "too long",
        "so long",
        "performance",
        "hours",
        "hrs",
    ],
)];

/// Activity kinds by the words that name them in prose (`the copy from Table storage`, `my data
/// flow`).
pub(super) const ACTIVITY_KINDS: &[(&str, &[&str])] = &[
    ("copy", &["copy", "copie"]),
    ("data-flow", &["data flow", "dataflow"]),
];

/// What a fixed word starts.
#[derive(Clone, Copy)]
pub(crate) enum Owner {
    /// A pattern to run at the word (index into [`PATTERNS`]).
    Pattern(usize),
    /// A runtime kind's name (index into [`IR_KINDS`]).
    IrKind(usize),
    /// A cloud domain that ends host names (index into `hosts::CLOUD_SUFFIXES`).
    CloudSuffix(usize),
    /// Words of a complaint (index into [`SYMPTOMS`]).
    Symptom(usize),
    /// An activity kind's name (index into [`ACTIVITY_KINDS`]).
    ActivityKind(usize),
}

/// Every fixed word (as first written, ASCII case aside) and, for each, what it starts.
pub(crate) fn fixed_words() -> (Vec<&'static str>, Vec<Vec<Owner>>) {
    let mut words: Vec<&'static str> = Vec::new();
    let mut owners: Vec<Vec<Owner>> = Vec::new();
    let mut add = |word: &'static str, owner: Owner| match words
        .iter()
        .position(|w| w.eq_ignore_ascii_case(word))
    {
        Some(at) => owners[at].push(owner),
        None => {
            words.push(word);
            owners.push(vec![owner]);
        }
    };
    for (index, pattern) in PATTERNS.iter().enumerate() {
        for word in pattern.anchors {
            add(word, Owner::Pattern(index));
        }
    }
    for (index, (_, names)) in IR_KINDS.iter().enumerate() {
        for name in *names {
            add(name, Owner::IrKind(index));
        }
    }
    for (index, suffix) in CLOUD_SUFFIXES.iter().enumerate() {
        add(suffix, Owner::CloudSuffix(index));
    }
    for (index, (_, phrases)) in SYMPTOMS.iter().enumerate() {
        for phrase in *phrases {
            add(phrase, Owner::Symptom(index));
        }
    }
    for (index, (_, names)) in ACTIVITY_KINDS.iter().enumerate() {
        for name in *names {
            add(name, Owner::ActivityKind(index));
        }
    }
    (words, owners)
}
